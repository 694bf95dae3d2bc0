// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stack's frames, as text under the call line and as JSON members.
 */
#include <inttypes.h>
#include "output/internal.h"

const char *stack_end_name(enum stack_end end)
{
	switch (end) {
	case STACK_END_GOEXIT:
		return NULL;
	case STACK_END_DEPTH:
		return "depth";
	case STACK_END_CGO:
		return "cgo";
	case STACK_END_UNKNOWN:
		return "unknown";
	case STACK_END_UNREADABLE:
		return "unreadable";
	}
	return NULL;
}

static const char *end_note(enum stack_end end)
{
	switch (end) {
	case STACK_END_GOEXIT:
		return NULL;
	case STACK_END_DEPTH:
		return "...cut: more frames than --stack-depth";
	case STACK_END_CGO:
		return "...called from C (cgo): the C frames are not shown";
	case STACK_END_UNKNOWN:
		return "...a return address in no Go function: the stack ends here";
	case STACK_END_UNREADABLE:
		return "...a frame pointer could not be read: the stack ends here";
	}
	return NULL;
}

void text_stack(FILE *out, const struct call_stack *cs)
{
	const char *note = end_note(cs->end);
	int i;

	for (i = 0; i < cs->n; i++) {
		const struct stack_frame *f = &cs->frames[i];

		/* as Go's tracebacks: an inlined call has no arguments or PC */
		fprintf(out, "\t%s(%s)\n\t\t%s:", f->func, f->inlined ? "..." : "",
			f->file ? f->file : "?");
		if (f->line >= 0)
			fprintf(out, "%d", f->line);
		else
			fputc('?', out);
		if (!f->inlined)
			fprintf(out, " +0x%" PRIx64, f->offset);
		fputc('\n', out);
	}
	if (note)
		fprintf(out, "\t%s\n", note);
}

void json_stack(struct json_writer *jw, const struct call_stack *cs)
{
	const char *end = stack_end_name(cs->end);
	int i;

	jw_name(jw, "stack");
	jw_start_array(jw);
	for (i = 0; i < cs->n; i++) {
		const struct stack_frame *f = &cs->frames[i];

		jw_start_object(jw);
		jw_string_field(jw, "func", f->func);
		jw_name(jw, "file");
		if (f->file)
			jw_cstring(jw, f->file);
		else
			jw_null(jw);
		jw_name(jw, "line");
		if (f->line >= 0)
			jw_int(jw, f->line);
		else
			jw_null(jw);
		if (f->inlined) {
			jw_name(jw, "inlined");
			jw_bool(jw, true);
		}
		jw_end_object(jw);
	}
	jw_end_array(jw);
	if (end)
		jw_string_field(jw, "stack_end", end);
	if (cs->end == STACK_END_DEPTH) {
		jw_name(jw, "stack_truncated");
		jw_bool(jw, true);
	}
}
