/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * output/: what gotrace prints, and nothing else: decoded events as text
 * lines (close to Go's %+v) or JSON lines (the contract in docs/json.md),
 * --stack's frames, --stats' tables, -l's function lists, and the stop and
 * summary lines. cmd/ gathers the facts and hands them over finished;
 * printers turn values and enums into words, and never read prose back.
 * No BPF here: output/ builds and tests without libbpf.
 */
#ifndef GOTRACE_OUTPUT_H
#define GOTRACE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "decode/decode.h"

/*
 * Events
 */
struct output_opts {
	bool json;
	bool pretty; /* text: one field, element or entry per line */
	/* text: structs more than this many levels below an argument show as
	 * {…}, unless of the traced function's package; -1: none does */
	int fold;
	int64_t realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC, to stamp events */
};

/* One line per event on OUT. Returns 0, or -ENOMEM when nothing was printed;
 * write errors are left in OUT (ferror). */
int output_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de);
/* {"event":"lost","count":N} or a text line saying N events were lost; returns
 * as output_event does. */
int output_lost(FILE *out, const struct output_opts *opts, uint64_t count, int64_t time_ns);

/*
 * --stack: a call's Go stack as symbolized frames, printed under the call
 * line as runtime/debug.Stack prints a goroutine, or as the call event's
 * "stack" member in JSON (docs/json.md).
 */
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

/*
 * --stats: per function, calls, errors and latency, as a text table with
 * bcc funclatency-style histograms, or JSON lines (docs/json.md).
 */
struct stats_row {
	const char *func;
	struct gt_stats st; /* summed over CPUs */
	bool entry_only;    /* no RET probed: calls counted, no latency */
};

/* The latency below which a fraction Q (0..1) of the calls fall, estimated
 * from the log2 histogram (linear inside a slot), within [min, max]. 0
 * when there are no calls. */
uint64_t stats_percentile(const struct gt_stats *st, double q);
/* The bounds of histogram slot K, in ns: slot 0 is [0, 1]. */
void stats_slot_range(int k, uint64_t *lo, uint64_t *hi);
/* Adds B's counts to A: CPUs, or slots of the epochs. */
void stats_merge(struct gt_stats *a, const struct gt_stats *b);

/* One interval's rows: JSON lines, or the table then each function's
 * histogram. REALTIME_NS stamps them; INTERVAL_NS is the time they cover.
 * Write errors are left in OUT (ferror); returns 0 or -ENOMEM. */
int output_stats(FILE *out, bool json, const struct stats_row *rows, int n_rows,
		 int64_t realtime_ns, uint64_t interval_ns);

/*
 * -l: the matching functions with their Go signatures, as text or, with
 * -j, as JSON lines (docs/json.md, "Function lists").
 */
struct go_func;

/* Where a listed function's parameters come from. */
enum list_source {
	LIST_FROM_DWARF,	   /* the binary's own */
	LIST_FROM_FUNCS_FILE,	   /* a signature in a functions file (-f) */
	LIST_FROM_DEBUG_FILE,	   /* --debug-file's DWARF */
	LIST_FROM_TYPE_DESCRIPTOR, /* a method's runtime type descriptor */
	LIST_FROM_RAW,		   /* raw registers and stack words: shown, not marked */
};

/* Why a function's parameters are not known at all. */
enum list_unknown {
	LIST_KNOWN,
	LIST_UNKNOWN_ASSEMBLY, /* assembly in a binary with DWARF: ABI0, a signature needed */
	LIST_UNKNOWN_NO_DWARF, /* a binary without DWARF: a signature or --debug-file */
};

struct listed_func {
	const struct go_func *func; /* with its parameters, as FROM gives them */
	enum list_source from;
	enum list_unknown unknown;
	bool results_unknown; /* Go 1.17's DWARF lists none */
	bool stack_abi;	      /* it takes its arguments on the stack */
};

/* L's line: "main.f(a int, s string) (int, error) [mark]", or its JSON
 * object. Returns 0 or -ENOMEM; write errors are left in OUT. */
int output_listed(FILE *out, bool json, const struct listed_func *l);

/*
 * The lines said on stderr when gotrace stops: why, then what it saw.
 * They are written to OUT without "gotrace: " or a newline: cmd/ says them.
 */
enum stop_reason {
	STOP_NONE,
	STOP_SIGNAL,	       /* Ctrl-C, SIGTERM */
	STOP_DURATION,	       /* -d */
	STOP_MAX_EVENTS,       /* -n */
	STOP_OUTPUT_CLOSED,    /* the reader went away: EPIPE */
	STOP_WRITE_ERROR,      /* writing events failed otherwise: an error */
	STOP_READ_ERROR,       /* reading the ring buffer failed: an error */
	STOP_PROCESS_EXITED,   /* -p */
	STOP_COMMAND_EXITED,   /* -c */
	STOP_BINARY_REWRITTEN, /* BINARY modified in place: an error */
};

struct stop {
	enum stop_reason reason;
	int signal;	  /* STOP_SIGNAL */
	pid_t pid;	  /* STOP_PROCESS_EXITED, STOP_COMMAND_EXITED */
	int status;	  /* STOP_COMMAND_EXITED: its wait status */
	int err;	  /* STOP_WRITE_ERROR, STOP_READ_ERROR: a negative errno */
	long events;	  /* STOP_MAX_EVENTS */
	const char *path; /* STOP_BINARY_REWRITTEN */
};

/* "stopped: why"; nothing for STOP_NONE. DURATION is -d's, OUTPUT -o's
 * file (NULL: stdout), which the words name. */
void output_stop(FILE *out, const struct stop *stop, double duration, const char *output);
/* "exited with status 0", "was killed by SIGTERM": a wait status, said. */
void describe_wait_status(int status, char *buf, size_t len);

struct summary_func {
	const char *name;
	long calls; /* call events printed */
};

/* What a function's filter passed of the calls it saw. */
struct summary_filtered {
	const char *name;
	uint64_t passed, seen;
};

struct summary_line {
	/* the traced functions, in any order */
	const struct summary_func *funcs;
	int n_funcs;
	uint64_t lost;	  /* events the ring buffer had no room for */
	uint64_t evicted; /* -r: calls that never returned, evicted */
	/* the functions with a filter, in the order they were traced */
	const struct summary_filtered *filtered;
	int n_filtered;
};

/* "7 calls: main.f 5, main.g 2; 0 events lost; 0 frames evicted", then
 * with filters "; filters passed 5 of 7000 calls (main.f 5 of 7000)": the
 * functions by calls, most first, the first few named. Returns 0 or
 * -ENOMEM. */
int output_summary(FILE *out, const struct summary_line *sum);

#endif /* GOTRACE_OUTPUT_H */
