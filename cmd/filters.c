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

static int compile_one(struct traced *t, const char *text, const struct func_spec *spec,
		       bool name_func)
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
	t->filter = calloc(1, sizeof(*t->filter));
	if (!t->filter) {
		filter_node__free(expr);
		report("out of memory");
		return -ENOMEM;
	}
	err = filter_compile(expr, t->plan, t->filter, &fe);
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
		filter_describe(t->filter, stderr);
	}
	return 0;
}

int compile_filters(struct traced *funcs, int n_funcs, int plans_per_func,
		    const struct gobin *bin)
{
	int i, err;

	for (i = 0; i < n_funcs; i += plans_per_func) {
		const struct func_spec *spec = func_specs__spec_of(&env.specs, bin, funcs[i].func);
		const char *text = spec && spec->filter ? spec->filter : env.filter;

		if (!text)
			continue;
		err = compile_one(&funcs[i], text, spec, n_funcs / plans_per_func > 1);
		if (err)
			return err;
		if (plans_per_func == 2) {
			funcs[i + 1].filter = calloc(1, sizeof(*funcs[i + 1].filter));
			if (!funcs[i + 1].filter) {
				report("out of memory");
				return -ENOMEM;
			}
			funcs[i + 1].filter->flags = GT_FILTER_NEED_CALL;
		}
	}
	return 0;
}
