/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stats: calls, errors and latency counted in the kernel per function
 * (bpf/stats.bpf.h), no events; printed every --interval and at the end.
 */
#ifndef GOTRACE_STATS_H
#define GOTRACE_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "cmd/probe.h"
#include "cmd/session.h"

/*
 * Prints one table: with FINAL, everything counted since the last print
 * (both epochs' slots); else the epoch just ended, after flipping it.
 * INTERVAL_NS is the time covered; CALLS (by plan id) gets each entry plan's
 * count added, for the summary. Returns 0 or a negative errno, reported.
 */
int stats_print(struct probe *p, const struct traced *funcs, int n_funcs, FILE *out, bool json,
		bool final, int64_t realtime_ns, uint64_t interval_ns, long *calls);

#endif /* GOTRACE_STATS_H */
