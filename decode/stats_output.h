/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stats output: per function, calls, errors and latency, as a text table
 * with bcc funclatency-style histograms, or JSON lines (docs/json.md).
 */
#ifndef GOTRACE_STATS_OUTPUT_H
#define GOTRACE_STATS_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include "bpf/gotrace.h"

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

#endif /* GOTRACE_STATS_OUTPUT_H */
