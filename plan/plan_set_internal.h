/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Inside the plan set: the steps plan_set__new takes, file by file. */
#ifndef GOTRACE_PLAN_SET_INTERNAL_H
#define GOTRACE_PLAN_SET_INTERNAL_H

#include "plan/filter.h"
#include "plan/plan_set.h"

/* The filter text of function F: its functions-file line's, else --filter;
 * and the spec it comes from (NULL for --filter). */
const char *plan_filter_text(const struct plan_set_opts *o, const struct go_func *f,
			     const struct func_spec **spec);

/* A report that says nothing: for a second look at what a first reported. */
void plan_report_nothing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "gotrace: WHERE:COL: [FUNC: ]why", then TEXT with a caret under its
 * column FE->col (COL: the same column in WHERE's line), as one report. */
void plan_report_caret(const struct plan_set_opts *o, const char *where, int col,
		       const char *func, const char *text, const struct filter_error *fe);

/* F as the plans will type it, into *TYPED: its DWARF, or without DWARF a
 * functions file's signature, --debug-file or a method's descriptor
 * (untyped.c), whose parameters *SIG then owns (free it). What typing F
 * reports, its planning reports. Returns F or TYPED, NULL when untyped. */
const struct go_func *plan_typed_func(const struct plan_set_opts *o, const struct go_func *f,
				      struct go_func *typed, struct go_signature **sig);

struct filter_node;

/* plan_filters.c: the functions' filters, each text parsed once. */
struct plan_filters {
	struct filter_node *global;   /* --filter's */
	struct filter_node **by_spec; /* a functions-file line's, by spec index */
	int n_specs;
	bool need_returns; /* some function's filter names its results */
};

/* Parses the filter of every function. Returns 0, or -EINVAL (-ENOMEM)
 * with the error reported: the position, the expression and a caret. */
int plan_filters__parse(struct plan_filters *pf, const struct plan_set_opts *o);
void plan_filters__clear(struct plan_filters *pf);
/* Each function's filter compiled against its plans, split between the
 * call and the return; type assertions' types from PLAN_OPTS (bin,
 * types_bin). Returns 0, or -EINVAL (-ENOMEM), reported. */
int plan_compile_filters(struct plan_set *ps, const struct plan_set_opts *o,
			 struct plan_filters *pf, const struct plan_opts *plan_opts);

/* plan_prints.c: the expressions of --print and of the functions file's
 * "print" clauses, each text parsed once. */
struct plan_prints {
	struct print_source *global;	/* --print's */
	struct print_source **by_spec;	/* a functions-file line's, by spec index */
	int n_specs;
	bool any;	   /* some function prints expressions */
	bool need_returns; /* some expression starts from a result */
};

/* Parses every function's expressions. Returns 0, -EDOM with the error
 * reported (the position, the expressions and a caret), or -ENOMEM. */
int plan_prints__parse(struct plan_prints *pp, const struct plan_set_opts *o);
void plan_prints__clear(struct plan_prints *pp);
/* Each printing function's plans replaced by its expressions' alone
 * (plan/print.h), against PLAN_OPTS's type table. Returns 0, -EDOM when an
 * expression checks for none of its functions (reported), or -ENOMEM. */
int plan_apply_prints(struct plan_set *ps, const struct plan_set_opts *o,
		      struct plan_prints *pp, const struct plan_opts *plan_opts);

/* plan_sites.c: every plan's probe sites (the entry past the stack-growth
 * check, each RET), and the signal-frame steps of the plans that read X
 * registers. Returns 0 or a negative errno, reported. */
int plan_find_sites(struct plan_set *ps, const struct plan_set_opts *o);

#endif /* GOTRACE_PLAN_SET_INTERNAL_H */
