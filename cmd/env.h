/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command line: options, usage text, and the one way gotrace reports
 * to its user.
 */
#ifndef GOTRACE_ENV_H
#define GOTRACE_ENV_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "plan/funcs.h"

struct env {
	const char *binary;
	pid_t pid;
	const char *command;
	const char *funcs_file;
	const char *output;
	bool json;
	bool pretty; /* text: values on lines of their own */
	int fold;    /* text: struct levels shown below each argument; -1: all */
	bool list;
	bool dry_run; /* --dry-run: the plan set printed, nothing loaded or attached */
	bool noop;
	bool perf_uprobes; /* never uprobe_multi links (bench, tests) */
	bool returns;
	bool keep;	 /* -c: leave the command running when gotrace stops first */
	bool no_signals; /* never signal the traced process: floats in X registers only when saved */
	const char *debug_file;
	long buffer_size;
	int verbose;
	double duration;
	long max_events; /* calls printed before gotrace stops; 0: no limit */
	long max_string;
	long max_elems;
	long event_budget; /* --max-event: bytes captured per event; 0: the most */
	int max_depth;
	bool stats;	 /* --stats: counters per function, no events (implies -r) */
	double interval; /* --stats: seconds between tables; 0: once, at the end */
	bool stack;	 /* --stack: each call event carries its Go call stack */
	int stack_depth; /* --stack-depth: frames shown at most */
	const char *filter; /* --filter: for every function without one of its own */
	const char *print;  /* --print: the expressions shown instead of the arguments */
	uint64_t min_duration_ns; /* --min-duration; 0: none */
	struct func_specs specs;
};

extern const struct env *const env;

/*
 * Exit statuses, as gotrace(8) lists them: 0 when tracing stopped as asked
 * or as documented (Ctrl-C, SIGTERM, -d, -n, a closed output, the traced
 * process's exit) or -l listed; EXIT_ERROR on an error, reported; EX_USAGE
 * (64, argp's) on a bad command line.
 */
#define EXIT_ERROR 1

/* Parses the command line into *env, reads the functions file and derives
 * the settings that follow from others; exits on --help, --version or a
 * usage error. Returns 0 or a negative errno, reported. */
int parse_options(int argc, char **argv);
/* What parse_options allocated. */
void free_options(void);

/* A duration in Go's syntax ("500us", "1.5s", "1m30s") into *NS; false
 * when it is not one. */
bool parse_go_duration(const char *s, uint64_t *ns);

/* Diagnostics: one line on stderr, "gotrace: what failed: why". */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* GOTRACE_ENV_H */
