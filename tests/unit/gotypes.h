/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Go types built by hand, shared by the planner's, the type programs' and
 * the decoder's unit tests. */
#ifndef GOTRACE_TESTS_GOTYPES_H
#define GOTRACE_TESTS_GOTYPES_H

#include "symbols/symbols.h"

#define SHARED __attribute__((unused))

static SHARED struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
static SHARED struct go_type t_f64 = {.kind = GO_FLOAT64, .name = "float64", .size = 8, .align = 8};
static SHARED struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
static SHARED struct go_type t_error = {.kind = GO_INTERFACE, .name = "error", .size = 16, .align = 8};
static SHARED struct go_type t_any = {.kind = GO_INTERFACE,
			       .name = "interface {}",
			       .size = 16,
			       .align = 8,
			       .is_empty_interface = true};
static SHARED struct go_field pair_fields[] = {
    {.name = "A", .offset = 0, .type = &t_int},
    {.name = "F", .offset = 8, .type = &t_f64},
};
static struct go_type t_pair = {.kind = GO_STRUCT,
				.name = "main.Pair",
				.size = 16,
				.align = 8,
				.fields = pair_fields,
				.n_fields = 2};
static SHARED struct go_type t_ppair = {
    .kind = GO_POINTER, .name = "*main.Pair", .size = 8, .align = 8, .elem = &t_pair};

/* type Pair struct { A int; F float64 } above */

#endif /* GOTRACE_TESTS_GOTYPES_H */
