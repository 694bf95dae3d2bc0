/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stack: a call's Go stack as symbolized frames, printed under the call
 * line as runtime/debug.Stack prints a goroutine, or as the call event's
 * "stack" member in JSON (docs/json.md).
 */
#ifndef GOTRACE_STACK_OUTPUT_H
#define GOTRACE_STACK_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer;

struct stack_frame {
	const char *func; /* "?" when unknown */
	const char *file; /* NULL when unknown */
	int line;	  /* -1 when unknown */
	bool inlined;	  /* inlined into the next frame: no PC of its own */
	uint64_t offset;  /* a real frame's PC from its function's entry */
	uint64_t pc;	  /* the run-time address */
};

/* Why the stack ends where it does. */
enum stack_end {
	STACK_END_GOEXIT = 0, /* the goroutine's first frame: the whole stack */
	STACK_END_DEPTH,      /* --stack-depth (or the event's budget) cut it */
	STACK_END_CGO,	      /* C called into Go here (cgo): C frames follow */
	STACK_END_UNKNOWN,    /* a PC in no Go function: not followed */
	STACK_END_UNREADABLE, /* a frame pointer could not be read */
};

struct call_stack {
	struct stack_frame *frames;
	int n;
	enum stack_end end;
};

/* "depth", "cgo", ... as JSON's "stack_end"; NULL for STACK_END_GOEXIT. */
const char *stack_end_name(enum stack_end end);
/* The frames, each "\tfunc()" then "\t\tfile:line +0xoff", and a note
 * when the stack does not reach the goroutine's first frame. */
void text_stack(FILE *out, const struct call_stack *cs);
/* "stack":[{"func":…,"file":…,"line":N},…] and, when it ends early,
 * "stack_end":"why" (and "stack_truncated":true when cut): members of the
 * object being written. */
void json_stack(struct json_writer *jw, const struct call_stack *cs);

#endif /* GOTRACE_STACK_OUTPUT_H */
