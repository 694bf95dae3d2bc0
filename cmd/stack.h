/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stack: a call event's PCs (its GT_REC_STACK record) to Go frames,
 * inlined calls expanded, through the pclntab.
 */
#ifndef GOTRACE_STACK_H
#define GOTRACE_STACK_H

#include <stdint.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "output/output.h"
#include "symbols/symbols.h"

struct stacks;

/* BIN's line tables, with a cache of the PCs seen. NULL, *err a negative
 * errno, when BIN has no pclntab it can read. */
struct stacks *stacks__new(const struct gobin *bin, int *err);
void stacks__free(struct stacks *st);

/*
 * The stack of EV (RECORDS its data), PIE's load BIAS taken off each PC,
 * into OUT: at most MAX_FRAMES frames, from the probed function out to the
 * goroutine's first (runtime.goexit not shown). Returns 1 when EV has a
 * stack, 0 when not (OUT untouched), or -ENOMEM.
 */
int stack_of_event(struct stacks *st, uint64_t bias, const struct gt_event *ev, const void *records,
		   int max_frames, struct call_stack *out);
void call_stack__clear(struct call_stack *cs);

#endif /* GOTRACE_STACK_H */
