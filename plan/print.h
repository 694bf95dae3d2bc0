/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --print: the values of Go expressions instead of every argument
 * (plan/print.c). The expressions are filters' syntax (plan/filter.h):
 * parameters or results, fields through structs, pointers and embedded
 * structs (r.URL.Path), *p, a constant index of an array or slice (xs[0],
 * checked against the slice's length in BPF), and len(x).
 */
#ifndef GOTRACE_PLAN_PRINT_H
#define GOTRACE_PLAN_PRINT_H

#include <stdbool.h>
#include "plan/filter.h"
#include "plan/plan.h"

enum print_status {
	PRINT_OK,	  /* the expression's value is one of the plan's */
	PRINT_OTHER_HALF, /* it starts from a result at the entry, a parameter at a return */
	PRINT_FAILED,	  /* it does not check here: ERRS says why, and where */
};

/*
 * A plan of EXPRS over FULL's arguments (an entry plan: the parameters;
 * a return plan: the results), into *OUT: one arg per expression that
 * checks here, named by its text, and only the ops that reach them.
 * STATUS and ERRS (EXPRS->n each) say, per expression, whether it does.
 * Returns 0 or -ENOMEM.
 */
int plan_print(const struct func_plan *full, const struct filter_list *exprs,
	       const struct plan_opts *opts, struct func_plan **out, enum print_status *status,
	       struct filter_error *errs);

/* Whether EXPR starts from one of FUNC's results (returns are then traced). */
bool print_names_results(const struct filter_node *expr, const struct go_func *func);

#endif /* GOTRACE_PLAN_PRINT_H */
