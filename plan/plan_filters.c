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
#include "plan/filter.h"
#include "plan/plan_set_internal.h"

/* "gotrace: WHERE:COL: why", then the expression with a caret under COL,
 * as one report of three lines. */
static void report_filter_error(const struct plan_set_opts *o, const char *where, int col,
				const char *func, bool name_func, const char *text,
				const struct filter_error *fe)
{
	char caret[1024];
	size_t n = 0;
	int i;

	for (i = 1; i < fe->col && text[i - 1] && n + 2 < sizeof(caret); i++)
		caret[n++] = text[i - 1] == '\t' ? '\t' : ' ';
	caret[n] = '\0';
	if (name_func)
		o->report("%s:%d: %s: %s\n  %s\n  %s^", where, col, func, fe->msg, text, caret);
	else
		o->report("%s:%d: %s\n  %s\n  %s^", where, col, fe->msg, text, caret);
}

static int compile_one(const struct plan_set_opts *o, struct traced *t, struct traced *ret,
		       const char *text, const struct func_spec *spec, bool name_func,
		       struct gt_filter *call, struct gt_filter *at_ret)
{
	struct filter_error fe;
	struct filter_node *expr;
	char where[300];
	int col, err;

	if (spec)
		snprintf(where, sizeof(where), "%s:%d", spec->file, spec->line);
	else
		snprintf(where, sizeof(where), "--filter: 1");
	expr = filter_parse(text, &fe);
	if (!expr) {
		col = spec ? spec->filter_col + fe.col - 1 : fe.col;
		report_filter_error(o, where, col, t->func->name, false, text, &fe);
		return -EINVAL;
	}
	err = filter_compile_split(expr, t->plan, ret ? ret->plan : NULL, call, at_ret, &fe);
	filter_node__free(expr);
	if (err) {
		col = spec ? spec->filter_col + fe.col - 1 : fe.col;
		/* "unknown parameter" names the function already */
		report_filter_error(o, where, col, t->func->name,
				    name_func && !strstr(fe.msg, t->func->name), text, &fe);
		return err;
	}
	return 0;
}

bool plan_filters_need_returns(const struct plan_set_opts *o)
{
	const struct func_spec *spec;
	struct filter_error fe;
	int i;

	for (i = 0; i < o->n_matches; i++) {
		const struct go_func *f = gobin__func(o->bin, o->matches[i]);
		const char *text = plan_filter_text(o, f, &spec);
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

static struct gt_filter *copy_filter(const struct plan_set_opts *o, const struct gt_filter *f)
{
	struct gt_filter *copy = malloc(sizeof(*copy));

	if (!copy) {
		o->report("out of memory");
		return NULL;
	}
	*copy = *f;
	return copy;
}

/*
 * Each entry plan gets its filter's call half; a return plan gets the
 * half that reads results, and is marked to report only returns whose
 * call was reported. A call is held until its return when the filter
 * needs its results or --min-duration its duration.
 */
int plan_compile_filters(struct plan_set *ps, const struct plan_set_opts *o)
{
	const struct func_spec *spec;
	struct gt_filter call, at_ret;
	int fi, err;

	for (fi = 0; fi < ps->n_funcs; fi++) {
		struct traced *t = &ps->plans[plan_set__entry_id(ps, fi)];
		int ret_id = plan_set__return_id(ps, fi);
		struct traced *ret = ret_id >= 0 ? &ps->plans[ret_id] : NULL;
		const char *text = plan_filter_text(o, gobin__func(o->bin, o->matches[fi]), &spec);
		bool held = o->min_duration_ns > 0;

		memset(&call, 0, sizeof(call));
		memset(&at_ret, 0, sizeof(at_ret));
		if (text) {
			err = compile_one(o, t, ret, text, spec, ps->n_funcs > 1, &call, &at_ret);
			if (err)
				return err;
			held |= at_ret.flags & GT_FILTER_ON;
			t->filter_text = strdup(text);
			if (!t->filter_text) {
				o->report("out of memory");
				return -ENOMEM;
			}
		}
		if (held)
			call.flags |= GT_FILTER_HOLD;
		if (call.flags && !(t->filter = copy_filter(o, &call)))
			return -ENOMEM;
		if (!ret || !(text || held))
			continue;
		at_ret.flags |= GT_FILTER_NEED_CALL;
		if (held) {
			at_ret.flags |= GT_FILTER_HOLD;
			at_ret.min_duration_ns = o->min_duration_ns;
		}
		if (!(ret->filter = copy_filter(o, &at_ret)))
			return -ENOMEM;
		ps->any_held |= held;
	}
	return 0;
}
