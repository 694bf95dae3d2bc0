// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The planner against hand-built type layouts: each case is a rule of
 * cmd/compile/abi-internal.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "plan/plan.h"

static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
static struct go_type t_int8 = {.kind = GO_INT8, .name = "int8", .size = 1, .align = 1};
static struct go_type t_f64 = {.kind = GO_FLOAT64, .name = "float64", .size = 8, .align = 8};
static struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
static struct go_type t_empty = {.kind = GO_STRUCT, .name = "struct {}", .size = 0, .align = 1};
static struct go_type t_arr2 = {
    .kind = GO_ARRAY, .name = "[2]int", .size = 16, .align = 8, .elem = &t_int, .len = 2};
static struct go_type t_arr1 = {
    .kind = GO_ARRAY, .name = "[1]int", .size = 8, .align = 8, .elem = &t_int, .len = 1};
static struct go_field pair_fields[] = {
    {.name = "A", .offset = 0, .type = &t_int},
    {.name = "F", .offset = 8, .type = &t_f64},
};
static struct go_type t_pair = {.kind = GO_STRUCT,
				.name = "main.Pair",
				.size = 16,
				.align = 8,
				.fields = pair_fields,
				.n_fields = 2};
static struct go_type t_ppair = {
    .kind = GO_POINTER, .name = "*main.Pair", .size = 8, .align = 8, .elem = &t_pair};
static struct go_field node_fields[2];
static struct go_type t_node = {.kind = GO_STRUCT,
				.name = "main.Node",
				.size = 24,
				.align = 8,
				.fields = node_fields,
				.n_fields = 2};
static struct go_type t_pnode = {
    .kind = GO_POINTER, .name = "*main.Node", .size = 8, .align = 8, .elem = &t_node};

static struct plan_opts opts = {.max_string = 64, .max_depth = 4, .max_elems = 16};

static struct func_plan *plan_of(struct go_param *params, int n)
{
	static struct go_func f;
	struct func_plan *plan = NULL;
	char err[256];

	memset(&f, 0, sizeof(f));
	f.name = "main.f";
	f.params = params;
	f.n_params = n;
	f.has_dwarf = true;
	assert_int_equal(plan_func(&f, &opts, &plan, err, sizeof(err)), 0);
	assert_non_null(plan);
	return plan;
}

static const struct plan_piece *piece(const struct func_plan *p, int arg, int i)
{
	const struct plan_blob *b;

	assert_true(p->args[arg].blob >= 0);
	b = &p->blobs[p->args[arg].blob];
	assert_true(i < b->n_pieces);
	return &b->pieces[i];
}

/* The GO-VERSIONS example: f(x int, y int8, s string) -> RAX, BL, RCX, RDI */
static void test_ints_and_string(void **state)
{
	struct go_param ps[] = {
	    {"x", &t_int, false},
	    {"y", &t_int8, false},
	    {"s", &t_string, false},
	    {"~r0", &t_int, true},
	};
	struct func_plan *p = plan_of(ps, 4);

	assert_int_equal(p->n_args, 3);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RBX);
	assert_int_equal(piece(p, 1, 0)->size, 1);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RCX);
	assert_int_equal(piece(p, 2, 1)->reg, GT_REG_RDI);
	assert_int_equal(piece(p, 2, 1)->offset, 8);
	/* 4 REG ops, then the string's bytes counted by RDI's value */
	assert_int_equal(p->bpf.n_ops, 5);
	assert_int_equal(p->bpf.ops[4].kind, GT_OP_DEREF);
	assert_int_equal(p->bpf.ops[4].base, piece(p, 2, 0)->op);
	assert_int_equal(p->bpf.ops[4].len_op, piece(p, 2, 1)->op);
	assert_int_equal(p->bpf.ops[4].size, 64);
	func_plan__free(p);
}

/* Ten ints: the tenth goes to the stack, at SP+8 (after the return address). */
static void test_tenth_int_on_stack(void **state)
{
	struct go_param ps[10];
	struct func_plan *p;
	int i;

	for (i = 0; i < 10; i++)
		ps[i] = (struct go_param){"a", &t_int, false};
	p = plan_of(ps, 10);
	assert_int_equal(piece(p, 8, 0)->reg, GT_REG_R11);
	assert_true(p->args[9].on_stack);
	assert_int_equal(p->args[9].stack_offset, 8);
	assert_int_equal(p->bpf.ops[p->blobs[p->args[9].blob].op].kind, GT_OP_STACK);
	assert_int_equal(p->bpf.ops[p->blobs[p->args[9].blob].op].offset, 8);
	func_plan__free(p);
}

/* Sixteen floats: X0-X14, then the sixteenth on the stack, where it can be
 * read; an int after them still takes RAX. */
static void test_sixteenth_float_on_stack(void **state)
{
	struct go_param ps[17];
	struct func_plan *p;
	int i;

	for (i = 0; i < 16; i++)
		ps[i] = (struct go_param){"f", &t_f64, false};
	ps[16] = (struct go_param){"n", &t_int, false};
	p = plan_of(ps, 17);
	assert_true(piece(p, 14, 0)->is_float);
	assert_int_equal(piece(p, 14, 0)->reg, 14);
	assert_true(p->args[15].on_stack);
	assert_int_equal(p->args[15].stack_offset, 8);
	assert_int_equal(piece(p, 16, 0)->reg, GT_REG_RAX);
	func_plan__free(p);
}

/* All or nothing: after 8 ints a string (2 registers) goes to the stack,
 * and the int after it still takes R11. */
static void test_all_or_nothing(void **state)
{
	struct go_param ps[10];
	struct func_plan *p;
	int i;

	for (i = 0; i < 8; i++)
		ps[i] = (struct go_param){"a", &t_int, false};
	ps[8] = (struct go_param){"s", &t_string, false};
	ps[9] = (struct go_param){"z", &t_int, false};
	p = plan_of(ps, 10);
	assert_true(p->args[8].on_stack);
	assert_int_equal(p->args[8].stack_offset, 8);
	assert_false(p->args[9].on_stack);
	assert_int_equal(piece(p, 9, 0)->reg, GT_REG_R11);
	func_plan__free(p);
}

/* Arrays longer than 1 go to the stack, one-element arrays do not; stack
 * slots are aligned to the type; zero-sized arguments take no register. */
static void test_arrays_and_zero_size(void **state)
{
	struct go_param ps[] = {
	    {"b", &t_int8, false},  {"arr", &t_arr2, false}, {"one", &t_arr1, false},
	    {"e", &t_empty, false}, {"c", &t_int8, false},   {"arr2", &t_arr2, false},
	};
	struct func_plan *p = plan_of(ps, 6);

	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_true(p->args[1].on_stack);
	assert_int_equal(p->args[1].stack_offset, 8);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	assert_true(p->args[3].on_stack);
	assert_int_equal(p->args[3].stack_offset, 8 + 16);
	assert_int_equal(piece(p, 4, 0)->reg, GT_REG_RCX);
	assert_true(p->args[5].on_stack);
	assert_int_equal(p->args[5].stack_offset, 8 + 16);
	func_plan__free(p);
}

/* A struct splits across integer and float registers; the float piece has
 * no op. A pointer to it is followed: one DEREF of the struct's size. */
static void test_struct_split_and_pointer(void **state)
{
	struct go_param ps[] = {
	    {"f", &t_f64, false},
	    {"pair", &t_pair, false},
	    {"pp", &t_ppair, false},
	};
	struct func_plan *p = plan_of(ps, 3);

	assert_true(piece(p, 0, 0)->is_float);
	assert_int_equal(piece(p, 0, 0)->reg, 0);
	/* X registers come from the saved FPU state, when it is current */
	assert_int_equal(p->bpf.ops[piece(p, 0, 0)->op].kind, GT_OP_XMM);
	assert_int_equal(p->bpf.ops[piece(p, 0, 0)->op].reg, 0);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	assert_true(piece(p, 1, 1)->is_float);
	assert_int_equal(piece(p, 1, 1)->reg, 1);
	assert_int_equal(p->bpf.ops[piece(p, 1, 1)->op].kind, GT_OP_XMM);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	assert_int_equal(p->bpf.n_ops, 5);
	assert_int_equal(p->bpf.ops[4].kind, GT_OP_DEREF);
	assert_int_equal(p->bpf.ops[4].base, piece(p, 2, 0)->op);
	assert_int_equal(p->bpf.ops[4].size, 16);
	assert_int_equal(p->bpf.ops[4].len_op, GT_NO_OP);
	func_plan__free(p);
}

/* A recursive type is followed to max_depth and no further. */
static void test_depth_limit(void **state)
{
	struct go_param ps[] = {{"n", &t_pnode, false}};
	struct func_plan *p;
	unsigned i, derefs = 0;

	node_fields[0] = (struct go_field){"next", 0, &t_pnode, false};
	node_fields[1] = (struct go_field){"name", 8, &t_string, false};
	opts.max_depth = 3;
	p = plan_of(ps, 1);
	for (i = 0; i < p->bpf.n_ops; i++)
		derefs += p->bpf.ops[i].kind == GT_OP_DEREF && p->bpf.ops[i].len_op == GT_NO_OP;
	assert_int_equal(derefs, 3);
	opts.max_depth = 4;
	func_plan__free(p);
}

/* Go before 1.17 and assembly: everything on the stack, each value aligned. */
static void test_stack_abi(void **state)
{
	struct go_param ps[] = {
	    {"b", &t_int8, false},
	    {"x", &t_int, false},
	    {"s", &t_string, false},
	};
	struct func_plan *p;

	opts.stack_abi = true;
	p = plan_of(ps, 3);
	opts.stack_abi = false;
	assert_int_equal(p->args[0].stack_offset, 8);
	assert_int_equal(p->args[1].stack_offset, 16);
	assert_int_equal(p->args[2].stack_offset, 24);
	func_plan__free(p);
}

/* Go before 1.17: the results follow the arguments on the stack, from the
 * next pointer-aligned offset, each aligned. Pair(x int8, s string) (int8,
 * string) and f(b int8) (r int8) as Go 1.15 lays them out. */
static void test_stack_abi_results(void **state)
{
	struct go_param pair[] = {
	    {"x", &t_int8, false},
	    {"s", &t_string, false},
	    {"~r0", &t_int8, true},
	    {"~r1", &t_string, true},
	};
	struct go_param small[] = {{"b", &t_int8, false}, {"r", &t_int8, true}};
	struct func_plan *p;

	opts.stack_abi = true;
	opts.results = true;
	p = plan_of(pair, 4);
	assert_int_equal(p->n_args, 2);
	assert_string_equal(p->args[0].param->name, "~r0");
	assert_int_equal(p->args[0].stack_offset, 32);
	assert_int_equal(p->args[1].stack_offset, 40);
	func_plan__free(p);
	p = plan_of(small, 2);
	assert_int_equal(p->args[0].stack_offset, 16);
	func_plan__free(p);
	opts.results = false;
	opts.stack_abi = false;
}

/* The example of abi-internal.md: f(a1 uint8, a2 [2]uintptr, a3 uint8)
 * (r1 struct { x uintptr; y [2]uintptr }, r2 string). At the RET, r1 is on
 * the stack after a2, and r2 is in RAX and RBX. */
static void test_results(void **state)
{
	static struct go_type t_u8 = {.kind = GO_UINT8, .name = "uint8", .size = 1, .align = 1};
	static struct go_type t_uptr = {
	    .kind = GO_UINTPTR, .name = "uintptr", .size = 8, .align = 8};
	static struct go_type t_a2 = {.kind = GO_ARRAY,
				      .name = "[2]uintptr",
				      .size = 16,
				      .align = 8,
				      .elem = &t_uptr,
				      .len = 2};
	static struct go_field r1_fields[] = {
	    {.name = "x", .offset = 0, .type = &t_uptr},
	    {.name = "y", .offset = 8, .type = &t_a2},
	};
	static struct go_type t_r1 = {.kind = GO_STRUCT,
				      .name = "struct { x uintptr; y [2]uintptr }",
				      .size = 24,
				      .align = 8,
				      .fields = r1_fields,
				      .n_fields = 2};
	struct go_param ps[] = {
	    {"a1", &t_u8, false}, {"a2", &t_a2, false},	   {"a3", &t_u8, false},
	    {"r1", &t_r1, true},  {"r2", &t_string, true},
	};
	struct func_plan *p;

	p = plan_of(ps, 5);
	assert_int_equal(p->n_args, 3);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_true(p->args[1].on_stack);
	assert_int_equal(p->args[1].stack_offset, 8);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	func_plan__free(p);

	opts.results = true;
	p = plan_of(ps, 5);
	opts.results = false;
	assert_int_equal(p->n_args, 2);
	assert_string_equal(p->args[0].param->name, "r1");
	assert_true(p->args[0].on_stack);
	assert_int_equal(p->args[0].stack_offset, 8 + 16);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	assert_int_equal(piece(p, 1, 1)->reg, GT_REG_RBX);
	func_plan__free(p);
}

/* main.Sum[go.shape.int](xs []int, k int): the dictionary takes RAX. */
static void test_generic_dictionary(void **state)
{
	static struct go_type t_slice = {
	    .kind = GO_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int};
	struct go_param ps[] = {{"xs", &t_slice, false}, {"k", &t_int, false}};
	struct func_plan *p;
	static struct go_func f;
	char err[128];

	f.name = "main.Sum[go.shape.int]";
	f.params = ps;
	f.n_params = 2;
	f.has_dict = true;
	f.dict_index = 0;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_args, 2);
	assert_int_equal(p->dict_reg, GT_REG_RAX);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RBX);
	assert_int_equal(piece(p, 0, 2)->reg, GT_REG_RDI);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RSI);
	func_plan__free(p);
}

/*
 * (*Gen[T]).Get(k int) T: from Go 1.20 the receiver comes first (RAX), the
 * dictionary second (RBX), then k (RCX); Go 1.18 and 1.19 pass the
 * dictionary before the receiver. The result is unaffected.
 */
static void test_generic_method_dictionary(void **state)
{
	struct go_param ps[] = {
	    {"g", &t_pnode, false}, {"k", &t_int, false}, {"~r0", &t_int, true}};
	struct func_plan *p;
	static struct go_func f;
	char err[128];

	f.name = "main.(*Gen[go.shape.int]).Get";
	f.params = ps;
	f.n_params = 3;
	f.has_dict = true;
	f.dict_index = 1;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_args, 2);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_int_equal(p->dict_reg, GT_REG_RBX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RCX);
	func_plan__free(p);

	f.name = "main.(*Gen[go.shape.int_0]).Get";
	f.dict_index = 0;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->dict_reg, GT_REG_RAX);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RBX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RCX);
	func_plan__free(p);

	opts.results = true;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	opts.results = false;
	assert_int_equal(p->n_args, 1);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	func_plan__free(p);

	/* a receiver and nothing else: the dictionary comes last */
	f.n_params = 1;
	f.dict_index = 1;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_args, 1);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_int_equal(p->dict_reg, GT_REG_RBX);
	func_plan__free(p);
}

/* Without has_dict, a shape in the name changes nothing: a raw signature
 * lists the dictionary's register itself. */
static void test_no_dictionary(void **state)
{
	struct go_param ps[] = {{"RAX", &t_int, false}, {"RBX", &t_int, false}};
	struct func_plan *p;
	static struct go_func f;
	char err[128];

	f.name = "main.Sum[go.shape.int]";
	f.params = ps;
	f.n_params = 2;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->dict_reg, -1);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RBX);
	func_plan__free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ints_and_string),
	    cmocka_unit_test(test_tenth_int_on_stack),
	    cmocka_unit_test(test_all_or_nothing),
	    cmocka_unit_test(test_sixteenth_float_on_stack),
	    cmocka_unit_test(test_arrays_and_zero_size),
	    cmocka_unit_test(test_struct_split_and_pointer),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_stack_abi),
	    cmocka_unit_test(test_stack_abi_results),
	    cmocka_unit_test(test_results),
	    cmocka_unit_test(test_generic_dictionary),
	    cmocka_unit_test(test_generic_method_dictionary),
	    cmocka_unit_test(test_no_dictionary),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
