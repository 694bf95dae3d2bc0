// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --print over the plan set: each function's expressions (its functions
 * file line's "print" clause, else --print) replace its plans, checked per
 * function. Over several functions an expression applies where it checks;
 * one that checks for none of them is the user's error, and what applies
 * nowhere for a function is said once for all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/plan_set_internal.h"
#include "plan/print.h"
#include "plan/untyped.h"

/* One text of expressions, where it comes from, and what it found. */
struct print_source {
	const char *text;
	const struct func_spec *spec; /* NULL: --print */
	struct filter_list list;
	bool checked[FILTER_MAX_LIST];		  /* somewhere */
	struct filter_error why[FILTER_MAX_LIST]; /* at the first function where it did not */
	const char *where[FILTER_MAX_LIST];
	int n_funcs;
};

/* "WHERE:COL: [FUNC: ]why", then the text with a caret under COL. */
static void report_error(const struct plan_set_opts *o, const struct print_source *src,
			 const char *func, const struct filter_error *fe)
{
	int first = src->spec ? src->spec->print_col : 1;
	char where[300];

	if (src->spec)
		snprintf(where, sizeof(where), "%s:%d", src->spec->file, src->spec->line);
	else
		snprintf(where, sizeof(where), "--print: 1");
	plan_report_caret(o, where, first + fe->col - 1, func, src->text, fe);
}

static struct print_source *new_source(const char *text, const struct func_spec *spec)
{
	struct print_source *src = calloc(1, sizeof(*src));

	if (src) {
		src->text = text;
		src->spec = spec;
	}
	return src;
}

/* The source of function FI's expressions, parsed once; NULL when it
 * prints none (*ERR 0). */
static struct print_source *source_of(struct plan_prints *pp, const struct plan_set_opts *o,
				      int fi, int *err)
{
	const struct func_spec *spec = func_specs__spec_of(o->specs, o->bin,
							   gobin__func(o->bin, o->matches[fi]));
	struct print_source **slot;
	struct filter_error fe;

	*err = 0;
	if (!(spec && spec->print) && !o->print)
		return NULL;
	slot = spec && spec->print ? &pp->by_spec[spec - o->specs->specs] : &pp->global;
	if (*slot)
		return *slot;
	*slot = new_source(spec && spec->print ? spec->print : o->print,
			   spec && spec->print ? spec : NULL);
	if (!*slot) {
		o->report("out of memory");
		*err = -ENOMEM;
		return NULL;
	}
	if (filter_parse_list((*slot)->text, &(*slot)->list, &fe)) {
		report_error(o, *slot, NULL, &fe);
		*err = -EDOM;
		return NULL;
	}
	return *slot;
}

/* Whether EXPR starts from a result of F as the plans will type it. */
static bool names_results(const struct plan_set_opts *o, const struct filter_node *expr,
			  const struct go_func *f)
{
	struct go_signature *sig;
	struct go_func typed;
	const struct go_func *t = plan_typed_func(o, f, &typed, &sig);
	bool named = t && print_names_results(expr, t);

	go_signature__free(sig);
	return named;
}

int plan_prints__parse(struct plan_prints *pp, const struct plan_set_opts *o)
{
	int fi, k, err = 0;

	pp->by_spec = calloc(o->specs->n + 1, sizeof(*pp->by_spec));
	pp->n_specs = o->specs->n;
	if (!pp->by_spec) {
		o->report("out of memory");
		return -ENOMEM;
	}
	for (fi = 0; fi < o->n_matches && !err; fi++) {
		struct print_source *src = source_of(pp, o, fi, &err);

		if (!src)
			continue;
		pp->any = true;
		for (k = 0; k < src->list.n; k++)
			pp->need_returns |= names_results(o, src->list.nodes[k],
							  gobin__func(o->bin, o->matches[fi]));
	}
	return err;
}

static void free_source(struct print_source *src)
{
	if (!src)
		return;
	filter_list__clear(&src->list);
	free(src);
}

void plan_prints__clear(struct plan_prints *pp)
{
	int i;

	for (i = 0; pp->by_spec && i < pp->n_specs; i++)
		free_source(pp->by_spec[i]);
	free(pp->by_spec);
	free_source(pp->global);
	memset(pp, 0, sizeof(*pp));
}

/* What applied where: the functions left out, and those that show only
 * some of their expressions. */
struct print_tally {
	struct func_names skipped, partial;
};

/* Function FI's plans replaced by those of SRC's expressions that check
 * for it; none checking leaves the function out. */
static int print_function(struct plan_set *ps, struct print_source *src,
			  const struct plan_opts *plan_opts, int fi, struct print_tally *tally)
{
	int ids[2] = {plan_set__entry_id(ps, fi), plan_set__return_id(ps, fi)};
	enum print_status status[2][FILTER_MAX_LIST] = {{0}};
	struct filter_error errs[2][FILTER_MAX_LIST];
	struct func_plan *prints[2] = {NULL, NULL};
	const char *name = ps->plans[ids[0]].func->name;
	const struct filter_list *l = &src->list;
	int k, e, n_ok = 0, n_failed = 0, err = 0;

	for (k = 0; k < 2 && ids[k] >= 0 && !err; k++)
		err = plan_print(ps->plans[ids[k]].plan, l, plan_opts, &prints[k], status[k],
				 errs[k]);
	if (err) {
		func_plan__free(prints[0]);
		return err;
	}
	src->n_funcs++;
	for (e = 0; e < l->n; e++) {
		bool ok = status[0][e] == PRINT_OK || (ids[1] >= 0 && status[1][e] == PRINT_OK);
		int half = status[0][e] == PRINT_FAILED ? 0 : 1;

		n_ok += ok;
		src->checked[e] |= ok;
		if (ok || status[half][e] != PRINT_FAILED)
			continue;
		n_failed++;
		if (!src->where[e]) {
			src->where[e] = name;
			src->why[e] = errs[half][e];
		}
	}
	if (!n_ok) {
		func_names__add(&tally->skipped, name);
		ps->plans[ids[0]].print_skipped = true;
	} else if (n_failed) {
		func_names__add(&tally->partial, name);
	}
	for (k = 0; k < 2 && ids[k] >= 0; k++) {
		func_plan__free(ps->plans[ids[k]].plan);
		ps->plans[ids[k]].plan = prints[k];
	}
	return 0;
}

/* An expression that checks for none of its source's functions. */
static int check_sources(struct plan_prints *pp, const struct plan_set_opts *o)
{
	int i, e;

	for (i = -1; i < pp->n_specs; i++) {
		struct print_source *src = i < 0 ? pp->global : pp->by_spec[i];

		for (e = 0; src && src->n_funcs && e < src->list.n; e++) {
			if (src->checked[e])
				continue;
			if (!src->where[e]) {
				/* only ever the other half's: a result without returns */
				src->why[e].col = src->list.nodes[e]->col;
				snprintf(src->why[e].msg, sizeof(src->why[e].msg),
					 "a result, and no return is traced");
			}
			report_error(o, src, src->n_funcs > 1 ? src->where[e] : NULL, &src->why[e]);
			return -EDOM;
		}
	}
	return 0;
}

int plan_apply_prints(struct plan_set *ps, const struct plan_set_opts *o,
		      struct plan_prints *pp, const struct plan_opts *plan_opts)
{
	struct print_tally tally = {0};
	struct print_source *src;
	char names[300];
	int fi, err;

	for (fi = 0; fi < ps->n_funcs; fi++) {
		src = source_of(pp, o, fi, &err);
		if (!err && src)
			err = print_function(ps, src, plan_opts, fi, &tally);
		if (err) {
			if (err == -ENOMEM)
				o->report("out of memory");
			return err;
		}
	}
	err = check_sources(pp, o);
	if (err)
		return err;
	if (tally.skipped.count) {
		func_names__format(&tally.skipped, names, sizeof(names));
		o->report("--print: no expression applies to %d function%s, left out (%s)",
			  tally.skipped.count, tally.skipped.count == 1 ? "" : "s", names);
	}
	if (tally.partial.count) {
		func_names__format(&tally.partial, names, sizeof(names));
		o->report("--print: some expressions do not apply to %d function%s (%s): shown "
			  "where they do",
			  tally.partial.count, tally.partial.count == 1 ? "" : "s", names);
	}
	return 0;
}
