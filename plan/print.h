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

/*
 * A plan of EXPRS over FULL's arguments (an entry plan: the parameters;
 * a return plan: the results), into *OUT: one arg per expression that
 * starts from one of them, named by its text, and only the ops that reach
 * them. An expression of the other half is left to that half's plan.
 * Returns 0, or -EINVAL with ERR filled (the column of the token at
 * fault), or -ENOMEM.
 */
int plan_print(const struct func_plan *full, const struct filter_list *exprs,
	       const struct plan_opts *opts, struct func_plan **out, struct filter_error *err);

/* Whether EXPR starts from one of FUNC's results (returns are then traced). */
bool print_names_results(const struct filter_node *expr, const struct go_func *func);

#endif /* GOTRACE_PLAN_PRINT_H */
