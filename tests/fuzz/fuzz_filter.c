// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The filter expression's parser and compiler under libFuzzer (standalone:
 * `make fuzz-filter`). Any bytes are parsed; an expression that parses is
 * compiled against a hand-built function, and a program that compiles must
 * be one the BPF side can run: forward jumps, no pop from an empty stack,
 * at most GT_FILTER_STACK words, literals inside the pool, one word at the
 * end (filter_program_depth).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/filter.h"
#include "plan/plan.h"
#include "plan/types.h"

static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
static struct go_type t_int8 = {.kind = GO_INT8, .name = "int8", .size = 1, .align = 1};
static struct go_type t_u32 = {.kind = GO_UINT32, .name = "uint32", .size = 4, .align = 4};
static struct go_type t_bool = {.kind = GO_BOOL, .name = "bool", .size = 1, .align = 1};
static struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
static struct go_type t_error = {.kind = GO_INTERFACE, .name = "error", .size = 16, .align = 8};
static struct go_type t_map = {
    .kind = GO_MAP, .name = "map[int]int", .size = 8, .align = 8, .key = &t_int, .elem = &t_int};
static struct go_field inner_fields[] = {
    {.name = "S", .offset = 0, .type = &t_string},
    {.name = "B", .offset = 16, .type = &t_bool},
};
static struct go_type t_inner = {.kind = GO_STRUCT,
				 .name = "main.In",
				 .size = 24,
				 .align = 8,
				 .fields = inner_fields,
				 .n_fields = 2};
static struct go_type t_pinner = {
    .kind = GO_POINTER, .name = "*main.In", .size = 8, .align = 8, .elem = &t_inner};
static struct go_field outer_fields[] = {
    {.name = "In", .offset = 0, .type = &t_inner, .embedded = true},
    {.name = "P", .offset = 24, .type = &t_pinner},
    {.name = "N", .offset = 32, .type = &t_int8},
};
static struct go_type t_outer = {.kind = GO_STRUCT,
				 .name = "main.Out",
				 .size = 40,
				 .align = 8,
				 .fields = outer_fields,
				 .n_fields = 3};
static struct go_type t_pouter = {
    .kind = GO_POINTER, .name = "*main.Out", .size = 8, .align = 8, .elem = &t_outer};
static struct go_type t_slice = {
    .kind = GO_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int};
static struct go_type t_byte = {.kind = GO_UINT8, .name = "uint8", .size = 1, .align = 1};
static struct go_type t_bytes = {
    .kind = GO_SLICE, .name = "[]uint8", .size = 24, .align = 8, .elem = &t_byte};
static struct go_type t_ins = {
    .kind = GO_SLICE, .name = "[]*main.In", .size = 24, .align = 8, .elem = &t_pinner};
static struct go_type t_arr = {
    .kind = GO_ARRAY, .name = "[2]main.In", .size = 48, .align = 8, .elem = &t_inner, .len = 2};

static struct go_param params[] = {
    {.name = "id", .type = &t_int},
    {.name = "s", .type = &t_string},
    {.name = "o", .type = &t_pouter},
    {.name = "ok", .type = &t_bool},
    {.name = "n", .type = &t_int8},
    {.name = "u", .type = &t_u32},
    {.name = "m", .type = &t_map},
    {.name = "v", .type = &t_outer},
    {.name = "xs", .type = &t_slice},
    {.name = "key", .type = &t_bytes},
    {.name = "ins", .type = &t_ins},
    {.name = "arr", .type = &t_arr},
    {.name = "e", .type = &t_error},
    {.name = "err", .type = &t_error, .is_result = true},
    {.name = "~r1", .type = &t_int, .is_result = true},
};
static struct go_func func = {.name = "main.f", .params = params, .n_params = 15};

static struct type_table *types;
static struct func_plan *entry, *ret;

static void check_program(const struct gt_filter *f)
{
	int depth = filter_program_depth(f);

	if (!f->flags)
		return;
	if (depth < 1 || depth > GT_FILTER_STACK) {
		fprintf(stderr, "compiled a program the BPF side cannot run (depth %d)\n", depth);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_filter call, at_ret;
	struct filter_error err;
	struct filter_node *expr;
	char errbuf[256], *text;

	if (!types) {
		struct type_opts topts = {.max_string = 64, .max_elems = 16};
		struct plan_opts opts = {.max_depth = 4};

		types = type_table__new(&topts);
		opts.types = types;
		if (!types || plan_func(&func, &opts, &entry, errbuf, sizeof(errbuf)))
			abort();
		opts.results = true;
		if (plan_func(&func, &opts, &ret, errbuf, sizeof(errbuf)))
			abort();
	}
	if (size > FILTER_MAX_TEXT + 16)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	expr = filter_parse(text, &err);
	if (!expr) {
		/* an error points inside the text, or just past it */
		if (err.col < 1 || (size_t)err.col > strlen(text) + 1 || !err.msg[0])
			abort();
	} else if (filter_compile_split(expr, entry, ret, NULL, &call, &at_ret, &err) == 0) {
		check_program(&call);
		check_program(&at_ret);
	} else if (!err.msg[0]) {
		abort();
	}
	filter_node__free(expr);
	free(text);
	return 0;
}
