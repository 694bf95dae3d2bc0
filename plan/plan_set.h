/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The plan set: everything a session loads into the BPF side for one
 * analysed file, finished and read-only. Built from the binary (and
 * --debug-file) and the options, once; cmd/ copies it into BPF maps and
 * attaches its probe sites, and never patches it.
 *
 * Plan ids: the set's plans[] index, the attach cookie's func_id and the
 * events' func_id. A function traced with returns has an entry plan and a
 * return plan, each naming the other (`pair`); plan_set__entry_id and
 * plan_set__return_id are the one place that knows how they are laid out.
 */
#ifndef GOTRACE_PLAN_SET_H
#define GOTRACE_PLAN_SET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "plan/funcs.h"
#include "plan/plan.h"
#include "plan/report.h"
#include "symbols/symbols.h"

enum plan_kind {
	PLAN_ENTRY,  /* a function's entry: its arguments */
	PLAN_RETURN, /* its RET instructions: its results (-r) */
	PLAN_LINE,   /* a source line: the variables live there (not yet built) */
};

/* What one plan id traces, and where its probes go. */
struct traced {
	enum plan_kind kind;
	int func_index;		    /* which function of the set: 0 to n_funcs - 1 */
	int pair;		    /* the plan id of the other half (entry, return), or -1 */
	const struct go_func *func; /* with parameters from elsewhere when it has no DWARF */
	struct func_plan *plan;
	/* its probe sites: virtual addresses in the binary, and their file
	 * offsets for the uprobes; a line can have several (inlined copies) */
	uint64_t *probes;
	uint64_t *offsets;
	int n_probes;
	bool entry_adjusted; /* PLAN_ENTRY: the probe is past the stack-growth check */
	/* PLAN_ENTRY of a function matched by a glob that has no RET: traced at
	 * its entry only (GT_PLAN_ENTRY_ONLY), or left out (no probe) when
	 * what it asks needs the return (--min-duration, a filter on results) */
	bool entry_only;
	bool left_out;
	bool print_skipped; /* PLAN_ENTRY: --print does not apply to it: no probe */
	/* without DWARF: the function with parameters from elsewhere */
	struct go_func typed;
	struct go_signature *sig;
	bool raw_words;		  /* its parameters are raw registers and stack words */
	struct gt_filter *filter; /* its filter (plan/filter.h), or NULL */
	char *filter_text;	  /* the expression, for -v */
};

/* What a plan set is built from: the user's options, read once (cmd/env.h). */
struct plan_set_opts {
	const struct gobin *bin;       /* the analysed binary */
	const struct gobin *debug_bin; /* --debug-file, or NULL */
	const char *path;	       /* where BIN was read from: its identity, and messages */
	const int *matches;	       /* the functions traced: indexes for gobin__func */
	int n_matches;
	const struct func_specs *specs; /* signatures and filters per function */
	const char *filter;		/* --filter: for every function without one of its own */
	const char *print;		/* --print: expressions shown instead of the arguments */
	uint64_t min_duration_ns;	/* --min-duration; 0: none */
	bool returns;			/* -r, or implied by --stats or --min-duration */
	bool stats;			/* --stats: plans cut to what the counters need */
	bool signals;			/* SIGURG for X registers allowed (not --no-signals) */
	long event_budget;		/* --max-event; 0: the most */
	int stack_depth;		/* --stack-depth with --stack; 0: no stacks */
	int max_depth;
	long max_string;
	long max_elems;
	plan_report_fn report; /* warnings and errors, one line each */
};

struct plan_set {
	const struct gobin *bin;
	const struct gobin *debug_bin;
	const char *path;
	/* the analysed file: probes go into this very file, and a process
	 * that execs another is another file (another set) */
	dev_t dev;
	ino_t ino;
	char build_id[256]; /* Go's build ID, or "" */

	/* settings that follow from the binary as well as the options,
	 * decided here once: nothing else derives them */
	bool returns;		/* returns traced: asked, or a filter names results */
	bool stats;		/* --stats */
	uint32_t event_budget;	/* bytes per event for the BPF side; 0: the most */
	/* --stack: PCs the BPF side walks per call (a frame can be inlined
	 * calls and their caller: one more than the frames shown, to know
	 * whether the stack was cut); 0: no stacks. Their record's room is
	 * kept out of the budget before any argument is captured. */
	uint32_t stack_pcs;
	bool use_signals;	/* some plan reads X registers, from SIGURG signal frames */
	bool reads_x;		/* some plan reads X registers */
	bool any_held;		/* some call is held until its return (filters, --min-duration) */

	struct traced *plans; /* by plan id */
	int n_plans;
	int n_funcs;	      /* functions planned */
	int n_probed_funcs;   /* of those, the ones with probes (none: left out) */

	/* the runtime's signal handlers, probed for the frames that carry X
	 * registers (use_signals): their functions and file offsets */
	const struct go_func *sigtramps[2];
	uint64_t sigtramp_offsets[2];
	int n_sigtramps;

	struct type_table *types; /* the plans' type programs */
	/* interfaces' dynamic types: descriptor addresses in bin, their ids */
	uint64_t *rtype_addrs;
	uint32_t *rtype_ids;
	int n_rtypes;
};

/* Builds the plan set of OPTS's functions. Returns 0 or a negative errno,
 * reported through opts->report: -EDOM when the user's --print does not
 * check (a usage error, with the position and a caret). */
int plan_set__new(const struct plan_set_opts *opts, struct plan_set **out);
void plan_set__free(struct plan_set *ps);

/* The entry plan of function FUNC_INDEX, and its return plan (-1 without
 * returns). */
int plan_set__entry_id(const struct plan_set *ps, int func_index);
int plan_set__return_id(const struct plan_set *ps, int func_index);

/* -v and --dry-run: every function with its probe sites, plans, filters,
 * signal-frame steps and the type programs' count. */
void plan_set__describe(const struct plan_set *ps, FILE *out);

/* Whether PLAN reads an X register. */
bool plan_reads_x(const struct func_plan *plan);

#endif /* GOTRACE_PLAN_SET_H */
