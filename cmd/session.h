/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracing session: load the BPF program with the plans, attach the
 * probes, poll events into the output, and say at the end what was lost.
 */
#ifndef GOTRACE_SESSION_H
#define GOTRACE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "cmd/child.h"
#include "plan/plan.h"
#include "symbols/symbols.h"

/* What one plan id traces. Plan ids: a function's entry plan, then with
 * -r its return plan. */
struct traced {
	const struct go_func *func;
	struct func_plan *plan;
	uint64_t *probes; /* file addresses of this plan's probes */
	int n_probes;
	/* without DWARF: the function with parameters from elsewhere */
	struct go_func typed;
	struct go_signature *sig;
	bool raw_words; /* its parameters are raw registers and stack words */
	struct gt_filter *filter; /* its filter (cmd/filters.c), or NULL */
};

struct session_opts {
	const struct gobin *bin;       /* the traced binary */
	const struct gobin *debug_bin; /* --debug-file, or NULL */
	const char *target;	       /* the binary's path, for the probes */
	pid_t pid;		       /* the one process traced (-p or -c), or 0 */
	struct traced *funcs;	       /* by plan id; the session adds their probes */
	int n_funcs;
	const struct type_table *types; /* the plans' type programs */
	/* interfaces' dynamic types: descriptor addresses in bin, and their ids */
	const uint64_t *rtype_addrs;
	const uint32_t *rtype_ids;
	int n_rtypes;
};

struct session;

/* Loads the BPF program and stores the plans. On error returns NULL and
 * sets *err to a negative errno, reported. */
struct session *session__new(const struct session_opts *opts, int *err);
/* The probes of BIN's functions MATCHES (indexes for gobin__func), in plan
 * id order. Returns 0 or a negative errno, reported. */
int session__attach(struct session *s, const int *matches, int n_matches);
/* Opens the output, catches signals and says what is attached. Returns 0
 * or a negative errno, reported. */
int session__start(struct session *s);
/* Prints events until Ctrl-C, -d, -n, the reader or the traced process
 * (-p, or the command CHILD) is gone; then what the buffer still holds,
 * and why it stopped. Returns 0 or, when reading or writing events
 * failed, a negative errno, reported. */
int session__poll(struct session *s, struct child *child);
/* What tracing missed (calls in flight, calls never paired), then the
 * summary line: calls per function, events lost, frames evicted. */
void session__report(struct session *s);
/* Detaches every probe and closes the output; NULL is a no-op. */
void session__free(struct session *s);

#endif /* GOTRACE_SESSION_H */
