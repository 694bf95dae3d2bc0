/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -l: the matching functions with their Go signatures, as text or, with
 * -j, as JSON lines (docs/json.md, "Function lists").
 */
#ifndef GOTRACE_LIST_H
#define GOTRACE_LIST_H

#include <stdbool.h>
#include <stdio.h>
#include "symbols/symbols.h"

/* One line per function of BIN at MATCHES (indexes for gobin__func): its
 * parameters from DWARF or, without, from where tracing would take them
 * (a functions file, DEBUG_BIN, a method's runtime type descriptor), said
 * so. Returns 0 or a negative errno; write errors are left in OUT. */
int list_functions(FILE *out, const struct gobin *bin, const struct gobin *debug_bin,
		   const int *matches, int n_matches, bool json);

#endif /* GOTRACE_LIST_H */
