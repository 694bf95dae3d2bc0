// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stats: the kernel's counters read, slot by slot, into the tables that
 * output/ prints (the plan set cut the plans to what counting needs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/env.h"
#include "cmd/stats.h"
#include "output/output.h"

/* After a flip, how long a hit that read the old epoch may still be
 * writing its slot: a uprobe program runs for microseconds. */
#define FLIP_GRACE_US 5000

int stats_print(struct probe *p, const struct traced *funcs, int n_funcs, FILE *out, bool json,
		bool final, int64_t realtime_ns, uint64_t interval_ns, long *calls)
{
	struct stats_row *rows;
	struct gt_stats other;
	int i, n = 0, slot = 0, err = 0;

	rows = calloc(n_funcs ? n_funcs : 1, sizeof(*rows));
	if (!rows) {
		report("out of memory");
		return -ENOMEM;
	}
	if (!final) {
		slot = probe__stats_flip(p);
		usleep(FLIP_GRACE_US);
	}
	for (i = 0; i < n_funcs && !err; i++) {
		if (funcs[i].plan->bpf.flags & GT_PLAN_RETURN)
			continue;
		rows[n].func = funcs[i].func->name;
		rows[n].entry_only = funcs[i].entry_only;
		err = probe__stats_read(p, i, slot, true, &rows[n].st);
		if (!err && final)
			err = probe__stats_read(p, i, slot ^ 1, true, &other);
		if (!err && final)
			stats_merge(&rows[n].st, &other);
		calls[i] += rows[n].st.count;
		n++;
	}
	if (err)
		report("reading the --stats counters: %s", strerror(-err));
	else if (output_stats(out, json, rows, n, realtime_ns, interval_ns))
		err = -ENOMEM;
	free(rows);
	return err;
}
