// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Why gotrace stopped and what it saw: the counts gathered from the
 * plans, for output/ to word, said on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include "cmd/env.h"
#include "cmd/summary.h"
#include "output/output.h"

/* Says what PRINT writes, as one diagnostic line; nothing when it writes
 * nothing. Returns PRINT's error, or -ENOMEM. */
static int report_printed(int (*print)(FILE *out, const void *arg), const void *arg)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	int err;

	if (!f) {
		report("out of memory");
		return -ENOMEM;
	}
	err = print(f, arg);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err)
		report("out of memory");
	else if (len)
		report("%s", line);
	free(line);
	return err;
}

static int print_stop(FILE *out, const void *stop)
{
	output_stop(out, stop, env->duration, env->output);
	return 0;
}

void report_stop(const struct stop *stop)
{
	report_printed(print_stop, stop);
}

static bool has_filter(const struct summary *sum, int i)
{
	const struct gt_filter *f = sum->funcs[i].filter;

	return f && (f->flags & (GT_FILTER_ON | GT_FILTER_HOLD));
}

/* What the filters of entry plan I's function passed and dropped: at the
 * call, and for held calls at the return. */
static void function_counts(const struct summary *sum, int i, uint64_t *passed, uint64_t *seen)
{
	const struct gt_filter_count *call = &sum->filtered[i], *ret = NULL;

	if (sum->funcs[i].pair >= 0)
		ret = &sum->filtered[sum->funcs[i].pair];
	*seen = call->passed + call->dropped + call->unheld;
	if (sum->funcs[i].filter->flags & GT_FILTER_HOLD) {
		/* every call the entry passed is decided at its return */
		if (!(sum->funcs[i].filter->flags & GT_FILTER_ON))
			*seen = call->unheld + (ret ? ret->passed + ret->dropped : 0);
		*passed = ret ? ret->passed : 0;
	} else {
		*passed = call->passed;
	}
}

static int print_summary(FILE *out, const void *line)
{
	return output_summary(out, line);
}

void report_summary(const struct summary *sum)
{
	struct summary_line line = {.lost = sum->lost, .evicted = sum->evicted};
	struct summary_filtered *filtered;
	struct summary_func *funcs;
	int i;

	funcs = calloc(sum->n_funcs ? sum->n_funcs : 1, sizeof(*funcs));
	filtered = calloc(sum->n_funcs ? sum->n_funcs : 1, sizeof(*filtered));
	if (!funcs || !filtered) {
		report("out of memory");
		goto cleanup;
	}
	/* calls count on entry plans */
	for (i = 0; i < sum->n_funcs; i++) {
		struct summary_filtered *fc = &filtered[line.n_filtered];

		if (sum->funcs[i].kind != PLAN_ENTRY)
			continue;
		funcs[line.n_funcs].name = sum->funcs[i].func->name;
		funcs[line.n_funcs++].calls = sum->calls[i];
		if (!sum->filtered || !has_filter(sum, i))
			continue;
		fc->name = sum->funcs[i].func->name;
		function_counts(sum, i, &fc->passed, &fc->seen);
		line.n_filtered++;
	}
	line.funcs = funcs;
	line.filtered = filtered;
	report_printed(print_summary, &line);
cleanup:
	free(funcs);
	free(filtered);
}
