// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stack: PCs to frames. The first PC is the probed instruction's; the
 * others are return addresses, looked up one byte back, inside their call
 * instruction, as Go's tracebacks do, so that the line is the call's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/stack.h"

#define INLINE_FRAMES 16 /* frames one PC may expand to, at most */

static const struct gt_rec *stack_record(const struct gt_event *ev, const void *records)
{
	const uint8_t *p = records, *end = p + ev->data_len;
	uint32_t i;

	for (i = 0; i < ev->n_recs; i++) {
		const struct gt_rec *rec = (const struct gt_rec *)p;

		if ((size_t)(end - p) < sizeof(*rec) || (size_t)(end - p) - sizeof(*rec) < rec->len)
			return NULL;
		if (rec->op == GT_REC_STACK)
			return rec;
		p += sizeof(*rec) + ((rec->len + 7u) & ~7u);
	}
	return NULL;
}

/* Go code entered from C: the Go stack's frames end at the runtime's
 * callback (its caller's frame pointer is C's, or nothing). */
static bool called_from_c(const char *func)
{
	return !strcmp(func, "runtime.cgocallback") || !strcmp(func, "runtime.cgocallbackg") ||
	       !strcmp(func, "crosscall2") || !strncmp(func, "_cgoexp_", 8);
}

int stack_of_event(const struct go_lines *lines, uint64_t bias, const struct gt_event *ev,
		   const void *records, int max_frames, struct call_stack *out)
{
	const struct gt_rec *rec = stack_record(ev, records);
	struct go_frame frames[INLINE_FRAMES];
	const uint64_t *pcs;
	uint32_t i, n_pcs;
	int j, n;

	if (!rec || !lines)
		return 0;
	memset(out, 0, sizeof(*out));
	out->frames = calloc(max_frames > 0 ? max_frames : 1, sizeof(*out->frames));
	if (!out->frames)
		return -ENOMEM;
	pcs = (const uint64_t *)(rec + 1);
	n_pcs = rec->len / 8;
	out->end = STACK_END_UNKNOWN;
	if (rec->type & GT_STACK_FAULT)
		out->end = STACK_END_UNREADABLE;
	if (rec->type & GT_STACK_CUT)
		out->end = STACK_END_DEPTH;
	for (i = 0; i < n_pcs; i++) {
		uint64_t pc = pcs[i] - bias - (i > 0); /* a return address: its call */
		bool cgo = false;

		n = go_lines__frames(lines, pc, frames, INLINE_FRAMES);
		if (n == 0) {
			out->end = STACK_END_UNKNOWN;
			return 1;
		}
		for (j = 0; j < n; j++) {
			struct stack_frame *f;

			if (frames[j].func && !strcmp(frames[j].func, "runtime.goexit")) {
				out->end = STACK_END_GOEXIT;
				return 1;
			}
			if (out->n >= max_frames) {
				out->end = STACK_END_DEPTH;
				return 1;
			}
			f = &out->frames[out->n++];
			f->func = frames[j].func ? frames[j].func : "?";
			f->file = frames[j].file;
			f->line = frames[j].line;
			f->inlined = frames[j].inlined;
			f->pc = pcs[i];
			f->offset = pcs[i] - bias - frames[j].entry;
			cgo |= called_from_c(f->func);
		}
		if (cgo) {
			out->end = STACK_END_CGO;
			return 1;
		}
	}
	return 1;
}

void call_stack__clear(struct call_stack *cs)
{
	free(cs->frames);
	memset(cs, 0, sizeof(*cs));
}
