/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Filters for the session: each traced function's expression (its
 * functions-file line's, else --filter) compiled against its entry plan
 * (plan/filter.h), and what the kernel counted of them.
 */
#ifndef GOTRACE_CMD_FILTERS_H
#define GOTRACE_CMD_FILTERS_H

#include <stdbool.h>
#include "cmd/session.h"
#include "symbols/symbols.h"

/* Whether some function's filter names its results (-r is then implied). */
bool filters_need_returns(const struct gobin *bin, const int *matches, int n_matches);

/* Fills each entry plan's filter, and marks the return plan (with -r) of
 * a filtered function to report only returns whose call was reported.
 * Returns 0, or -EINVAL (-ENOMEM) with the error reported: the position,
 * the expression and a caret. */
int compile_filters(struct traced *funcs, int n_funcs, int plans_per_func, const struct gobin *bin);

#endif /* GOTRACE_CMD_FILTERS_H */
