// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Filters, from the command line or a functions file, compiled per traced
 * function: the same expression may name a parameter one function has and
 * another lacks, which is an error for that one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/env.h"
#include "cmd/filters.h"
#include "cmd/funcs.h"
#include "plan/filter.h"

/* "gotrace: WHERE:COL: why", then the expression with a caret under COL. */
static void report_filter_error(const char *where, int col, const char *func, bool name_func,
				const char *text, const struct filter_error *fe)
{
	int i;

	if (name_func)
		report("%s:%d: %s: %s", where, col, func, fe->msg);
	else
		report("%s:%d: %s", where, col, fe->msg);
	fprintf(stderr, "  %s\n  ", text);
	for (i = 1; i < fe->col && text[i - 1]; i++)
		fputc(text[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

static struct gt_filter *new_filter(void)
{
	struct gt_filter *f = calloc(1, sizeof(*f));

	if (!f)
		report("out of memory");
	return f;
}

static int compile_one(struct traced *t, struct traced *ret, const char *text,
		       const struct func_spec *spec, bool name_func, struct gt_filter *call,
		       struct gt_filter *at_ret)
{
	struct filter_error fe;
	struct filter_node *expr;
	char where[300];
	int col, err;

	if (spec && spec->filter)
		snprintf(where, sizeof(where), "%s:%d", spec->file, spec->line);
	else
		snprintf(where, sizeof(where), "--filter: 1");
	expr = filter_parse(text, &fe);
	if (!expr) {
		col = spec && spec->filter ? spec->filter_col + fe.col - 1 : fe.col;
		report_filter_error(where, col, t->func->name, false, text, &fe);
		return -EINVAL;
	}
	err = filter_compile_split(expr, t->plan, ret ? ret->plan : NULL, call, at_ret, &fe);
	filter_node__free(expr);
	if (err) {
		col = spec && spec->filter ? spec->filter_col + fe.col - 1 : fe.col;
		/* "unknown parameter" names the function already */
		report_filter_error(where, col, t->func->name,
				    name_func && !strstr(fe.msg, t->func->name), text, &fe);
		return err;
	}
	if (env.verbose) {
		fprintf(stderr, "filter for %s: %s\n", t->func->name, text);
		if (call->n_ops)
			fprintf(stderr, " at the call:\n");
		filter_describe(call, stderr);
		if (at_ret->n_ops)
			fprintf(stderr, " at the return (the call is held until then):\n");
		filter_describe(at_ret, stderr);
	}
	return 0;
}

bool filters_need_returns(const struct gobin *bin, const int *matches, int n_matches)
{
	struct filter_error fe;
	int i;

	for (i = 0; i < n_matches; i++) {
		const struct go_func *f = gobin__func(bin, matches[i]);
		const struct func_spec *spec = func_specs__spec_of(&env.specs, bin, f);
		const char *text = spec && spec->filter ? spec->filter : env.filter;
		struct filter_node *expr;
		bool results;

		if (!text)
			continue;
		expr = filter_parse(text, &fe);
		if (!expr)
			continue; /* said when it is compiled */
		results = filter_names_results(expr, f);
		filter_node__free(expr);
		if (results)
			return true;
	}
	return false;
}

int compile_filters(struct traced *funcs, int n_funcs, int plans_per_func, const struct gobin *bin)
{
	struct gt_filter call, at_ret;
	bool any_held = false;
	int i, err;

	for (i = 0; i < n_funcs; i += plans_per_func) {
		const struct func_spec *spec = func_specs__spec_of(&env.specs, bin, funcs[i].func);
		const char *text = spec && spec->filter ? spec->filter : env.filter;
		struct traced *ret = plans_per_func == 2 ? &funcs[i + 1] : NULL;
		bool held = env.min_duration_ns > 0;

		memset(&call, 0, sizeof(call));
		memset(&at_ret, 0, sizeof(at_ret));
		if (text) {
			err = compile_one(&funcs[i], ret, text, spec, n_funcs / plans_per_func > 1,
					  &call, &at_ret);
			if (err)
				return err;
			held |= at_ret.flags & GT_FILTER_ON;
		}
		if (held)
			call.flags |= GT_FILTER_HOLD;
		if (call.flags) {
			funcs[i].filter = new_filter();
			if (!funcs[i].filter)
				return -ENOMEM;
			*funcs[i].filter = call;
		}
		if (!ret || !(text || held))
			continue;
		at_ret.flags |= GT_FILTER_NEED_CALL;
		if (held) {
			at_ret.flags |= GT_FILTER_HOLD;
			at_ret.min_duration_ns = env.min_duration_ns;
		}
		ret->filter = new_filter();
		if (!ret->filter)
			return -ENOMEM;
		*ret->filter = at_ret;
		any_held |= held;
	}
	/* a held call is copied into the `held` map whole */
	if (any_held && (!env.event_budget || env.event_budget > GT_HELD_DATA)) {
		if (env.event_budget)
			report("--max-event %ld lowered to %d: calls held until their return "
			       "keep at most that",
			       env.event_budget, GT_HELD_DATA);
		env.event_budget = GT_HELD_DATA;
	}
	return 0;
}
