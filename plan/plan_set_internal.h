/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Inside the plan set: the steps plan_set__new takes, file by file. */
#ifndef GOTRACE_PLAN_SET_INTERNAL_H
#define GOTRACE_PLAN_SET_INTERNAL_H

#include "plan/plan_set.h"

/* The filter text of function F: its functions-file line's, else --filter;
 * and the spec it comes from (NULL for --filter). */
const char *plan_filter_text(const struct plan_set_opts *o, const struct go_func *f,
			     const struct func_spec **spec);

/* plan_filters.c: whether some function's filter names its results (returns
 * are then traced). */
bool plan_filters_need_returns(const struct plan_set_opts *o);
/* plan_filters.c: each function's filter compiled against its plans, split
 * between the call and the return. Returns 0, or -EINVAL (-ENOMEM) with
 * the error reported: the position, the expression and a caret. */
int plan_compile_filters(struct plan_set *ps, const struct plan_set_opts *o);

/* plan_sites.c: every plan's probe sites (the entry past the stack-growth
 * check, each RET), and the signal-frame steps of the plans that read X
 * registers. Returns 0 or a negative errno, reported. */
int plan_find_sites(struct plan_set *ps, const struct plan_set_opts *o);

#endif /* GOTRACE_PLAN_SET_INTERNAL_H */
