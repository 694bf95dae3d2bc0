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
#include "plan/untyped.h"

/* Where a filter's text comes from, for its errors: "FILE:LINE", or
 * "--filter: 1"; and the column of its first character there. */
static int filter_where(const struct func_spec *spec, char *where, size_t len)
{
	if (spec) {
		snprintf(where, len, "%s:%d", spec->file, spec->line);
		return spec->filter_col;
	}
	snprintf(where, len, "--filter: 1");
	return 1;
}

/* The parsed filter of function FI (its spec's, else --filter's), parsed
 * once per text; NULL with *err 0 when it has none. */
static struct filter_node *filter_of(struct plan_filters *pf, const struct plan_set_opts *o,
				     int fi, const struct func_spec **spec, int *err)
{
	const char *text = plan_filter_text(o, gobin__func(o->bin, o->matches[fi]), spec);
	struct filter_node **slot;
	struct filter_error fe;
	char where[300];
	int first;

	*err = 0;
	if (!text)
		return NULL;
	slot = *spec ? &pf->by_spec[*spec - o->specs->specs] : &pf->global;
	if (*slot)
		return *slot;
	*slot = filter_parse(text, &fe);
	if (!*slot) {
		first = filter_where(*spec, where, sizeof(where));
		plan_report_caret(o, where, first + fe.col - 1, NULL, text, &fe);
		*err = -EINVAL;
	}
	return *slot;
}

/* Whether EXPR names a result of F as the plans will type it, so that
 * results imply -r on stripped binaries too. */
static bool names_results(const struct plan_set_opts *o, const struct filter_node *expr,
			  const struct go_func *f)
{
	struct go_signature *sig;
	struct go_func typed;
	const struct go_func *t = plan_typed_func(o, f, &typed, &sig);
	bool named = t && filter_names_results(expr, t);

	go_signature__free(sig);
	return named;
}

int plan_filters__parse(struct plan_filters *pf, const struct plan_set_opts *o)
{
	const struct func_spec *spec;
	int fi, err = 0;

	pf->by_spec = calloc(o->specs->n + 1, sizeof(*pf->by_spec));
	pf->n_specs = o->specs->n;
	if (!pf->by_spec) {
		o->report("out of memory");
		return -ENOMEM;
	}
	for (fi = 0; fi < o->n_matches && !err; fi++) {
		const struct filter_node *expr = filter_of(pf, o, fi, &spec, &err);

		if (expr && names_results(o, expr, gobin__func(o->bin, o->matches[fi])))
			pf->need_returns = true;
	}
	return err;
}

void plan_filters__clear(struct plan_filters *pf)
{
	int i;

	for (i = 0; pf->by_spec && i < pf->n_specs; i++)
		filter_node__free(pf->by_spec[i]);
	free(pf->by_spec);
	filter_node__free(pf->global);
	memset(pf, 0, sizeof(*pf));
}

static int compile_one(const struct plan_set_opts *o, const struct plan_opts *plan_opts,
		       struct traced *t, struct traced *ret, const struct filter_node *expr,
		       const struct func_spec *spec, bool name_func, struct gt_filter *call,
		       struct gt_filter *at_ret)
{
	const char *text = spec ? spec->filter : o->filter;
	struct filter_error fe;
	char where[300];
	int first, err;

	err = filter_compile_split(expr, t->plan, ret ? ret->plan : NULL, plan_opts, call, at_ret,
				   &fe);
	if (err) {
		first = filter_where(spec, where, sizeof(where));
		/* "unknown parameter" names the function already */
		plan_report_caret(o, where, first + fe.col - 1,
				  name_func && !strstr(fe.msg, t->func->name) ? t->func->name : NULL,
				  text, &fe);
		return err;
	}
	t->filter_text = strdup(text);
	if (!t->filter_text) {
		o->report("out of memory");
		return -ENOMEM;
	}
	return 0;
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
int plan_compile_filters(struct plan_set *ps, const struct plan_set_opts *o,
			 struct plan_filters *pf, const struct plan_opts *plan_opts)
{
	const struct func_spec *spec;
	struct gt_filter call, at_ret;
	int fi, err;

	for (fi = 0; fi < ps->n_funcs; fi++) {
		struct traced *t = &ps->plans[plan_set__entry_id(ps, fi)];
		int ret_id = plan_set__return_id(ps, fi);
		struct traced *ret = ret_id >= 0 ? &ps->plans[ret_id] : NULL;
		const struct filter_node *expr = filter_of(pf, o, fi, &spec, &err);
		bool held = o->min_duration_ns > 0;

		if (err)
			return err;
		memset(&call, 0, sizeof(call));
		memset(&at_ret, 0, sizeof(at_ret));
		if (expr) {
			err = compile_one(o, plan_opts, t, ret, expr, spec, ps->n_funcs > 1, &call,
					  &at_ret);
			if (err)
				return err;
			held |= at_ret.flags & GT_FILTER_ON;
		}
		if (held)
			call.flags |= GT_FILTER_HOLD;
		if (call.flags && !(t->filter = copy_filter(o, &call)))
			return -ENOMEM;
		if (!ret || !(expr || held))
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
