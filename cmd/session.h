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
#include "plan/plan_set.h"

struct session_opts {
	const struct plan_set *set; /* what is loaded and attached */
	pid_t pid;		    /* the one process traced (-p or -c), or 0 */
};

struct session;

/* Loads the BPF program and stores the plan set. On error returns NULL and
 * sets *err to a negative errno, reported. */
struct session *session__new(const struct session_opts *opts, int *err);
/* Attaches the plan set's probes. Returns 0 or a negative errno, reported. */
int session__attach(struct session *s);
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
