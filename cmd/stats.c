// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stats: the plans cut down to what the kernel's counters need, and the
 * counters read, slot by slot, into the tables that output/ prints.
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

/* The last result's record, when it is an interface: the error of Go's
 * (..., error) convention. Else none. */
static void keep_error_result(struct traced *t)
{
	struct func_plan *plan = t->plan;
	struct gt_plan *bpf = &plan->bpf;
	const struct plan_arg *last;

	if (!plan->n_args) {
		bpf->n_ops = 0;
		return;
	}
	last = &plan->args[plan->n_args - 1];
	if (!last->available || last->op == PLAN_NO_OP || !last->param->type ||
	    last->param->type->kind != GO_INTERFACE || last->op >= (int)bpf->n_ops) {
		bpf->n_ops = 0;
		return;
	}
	bpf->ops[0] = bpf->ops[last->op];
	bpf->ops[0].type = 0; /* its word only: nothing followed */
	bpf->n_ops = 1;
	bpf->flags |= GT_PLAN_ERR_RESULT;
}

void stats_prepare_plans(struct traced *funcs, int n_funcs)
{
	int i;

	for (i = 0; i < n_funcs; i++) {
		struct gt_plan *bpf = &funcs[i].plan->bpf;

		if (bpf->flags & GT_PLAN_RETURN) {
			keep_error_result(&funcs[i]);
			if (env.verbose)
				fprintf(stderr, "%s: --stats: %s\n", funcs[i].func->name,
					bpf->flags & GT_PLAN_ERR_RESULT
					    ? "errors from its last result"
					    : "no error result: errors not counted");
		} else {
			/* issue 15: a --filter on arguments keeps the ops it reads */
			bpf->n_ops = 0;
		}
	}
}

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
