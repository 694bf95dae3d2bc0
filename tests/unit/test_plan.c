// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The planner against hand-built type layouts: each case is a rule of
 * cmd/compile/abi-internal.md, checked on the root ops it makes (one REGS op
 * per argument in integer registers, with its pieces in the plan; one XMM op
 * per float piece; one STACK op per stack argument) and on the type
 * programs they name. The programs themselves are test_types.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan/plan.h"
#include "plan/types.h"

#include "tests/unit/gotypes.h"
static struct go_type t_int8 = {.kind = GO_INT8, .name = "int8", .size = 1, .align = 1};
static struct go_type t_c128 = {
    .kind = GO_COMPLEX128, .name = "complex128", .size = 16, .align = 8};
static struct go_type t_empty = {.kind = GO_STRUCT, .name = "struct {}", .size = 0, .align = 1};
static struct go_type t_arr2 = {
    .kind = GO_ARRAY, .name = "[2]int", .size = 16, .align = 8, .elem = &t_int, .len = 2};
static struct go_type t_arr1 = {
    .kind = GO_ARRAY, .name = "[1]int", .size = 8, .align = 8, .elem = &t_int, .len = 1};
static struct go_type t_big = {
    .kind = GO_ARRAY, .name = "[1000]int", .size = 8000, .align = 8, .elem = &t_int, .len = 1000};
static struct go_type t_slice = {
    .kind = GO_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int};
static struct go_field named_fields[] = {
    {.name = "ID", .offset = 0, .type = &t_int8},
    {.name = "Name", .offset = 8, .type = &t_string},
};
static struct go_type t_named = {.kind = GO_STRUCT,
				 .name = "main.Named",
				 .size = 24,
				 .align = 8,
				 .fields = named_fields,
				 .n_fields = 2};

static struct type_opts topts = {.max_string = 64, .max_elems = 16};
static struct plan_opts opts = {.max_depth = 4};

/* Every test plans against a type table of its own. */
static int setup(void **state)
{
	opts = (struct plan_opts){.max_depth = 4};
	opts.types = type_table__new(&topts);
	return opts.types ? 0 : -1;
}

static int teardown(void **state)
{
	type_table__free(opts.types);
	opts.types = NULL;
	return 0;
}

static struct func_plan *plan_named(const char *name, struct go_param *params, int n)
{
	static struct go_func f;
	struct func_plan *plan = NULL;
	char err[256] = "";

	memset(&f, 0, sizeof(f));
	f.name = (char *)name;
	f.params = params;
	f.n_params = n;
	f.has_dwarf = true;
	if (plan_func(&f, &opts, &plan, err, sizeof(err)))
		fail_msg("plan_func: %s", err);
	assert_non_null(plan);
	return plan;
}

static struct func_plan *plan_of(struct go_param *params, int n)
{
	return plan_named("main.f", params, n);
}

static const struct plan_piece *piece(const struct func_plan *p, int arg, int i)
{
	assert_true(p->args[arg].available);
	assert_true(i < p->args[arg].n_pieces);
	return &p->args[arg].pieces[i];
}

/* The root op of an argument, checked to be of KIND. */
static const struct gt_op *root(const struct func_plan *p, int arg, int kind)
{
	const struct gt_op *op;

	assert_true(p->args[arg].available);
	assert_in_range(p->args[arg].op, 0, (int)p->bpf.n_ops - 1);
	op = &p->bpf.ops[p->args[arg].op];
	assert_int_equal(op->kind, kind);
	return op;
}

/* The plan's copy of integer piece I of ARG: what the BPF side assembles. */
static const struct gt_piece *bpf_piece(const struct func_plan *p, int arg, int i)
{
	const struct gt_op *op = root(p, arg, GT_OP_REGS);

	assert_true(i < op->n_pieces);
	assert_true(op->piece + i < GT_MAX_PIECES);
	return &p->bpf.pieces[op->piece + i];
}

/* The GO-VERSIONS example: f(x int, y int8, s string) -> RAX, BL, RCX, RDI.
 * Each argument is one REGS op of its own size; only the string has a
 * type program (its bytes). */
static void test_ints_and_string(void **state)
{
	struct go_param ps[] = {
	    {"x", &t_int, false},
	    {"y", &t_int8, false},
	    {"s", &t_string, false},
	    {"~r0", &t_int, true},
	};
	struct func_plan *p = plan_of(ps, 4);
	const struct gt_type *prog;
	const struct gt_op *op;

	assert_int_equal(p->n_args, 3);
	assert_int_equal(p->bpf.n_ops, 3);
	assert_false(p->ops_exhausted);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RBX);
	assert_int_equal(piece(p, 1, 0)->size, 1);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RCX);
	assert_int_equal(piece(p, 2, 1)->reg, GT_REG_RDI);
	assert_int_equal(piece(p, 2, 1)->offset, 8);

	op = root(p, 0, GT_OP_REGS);
	assert_int_equal(op->size, 8);
	assert_int_equal(op->n_pieces, 1);
	assert_int_equal(op->type, 0); /* an int leads nowhere */
	assert_int_equal(p->args[0].type_id, 0);
	op = root(p, 1, GT_OP_REGS);
	assert_int_equal(op->size, 1);
	assert_int_equal(bpf_piece(p, 1, 0)->reg, GT_REG_RBX);
	assert_int_equal(bpf_piece(p, 1, 0)->size, 1);
	op = root(p, 2, GT_OP_REGS);
	assert_int_equal(op->size, 16);
	assert_int_equal(op->n_pieces, 2);
	/* pieces follow those of the arguments before */
	assert_int_equal(op->piece, 2);
	assert_int_equal(bpf_piece(p, 2, 0)->reg, GT_REG_RCX);
	assert_int_equal(bpf_piece(p, 2, 0)->offset, 0);
	assert_int_equal(bpf_piece(p, 2, 1)->reg, GT_REG_RDI);
	assert_int_equal(bpf_piece(p, 2, 1)->offset, 8);
	assert_int_equal(bpf_piece(p, 2, 1)->size, 8);
	/* the string's program: its bytes, up to max_string */
	assert_int_not_equal(p->args[2].type_id, 0);
	assert_int_equal(op->type, p->args[2].type_id);
	assert_int_equal(p->args[2].type_id, type_table__find(opts.types, &t_string));
	prog = type_table__program(opts.types, op->type);
	assert_int_equal(prog->n_ops, 1);
	assert_int_equal(prog->ops[0].kind, GT_T_STRING);
	assert_int_equal(prog->ops[0].off, 0);
	assert_int_equal(prog->ops[0].max_count, 64);
	func_plan__free(p);
}

/* Ten ints: the tenth goes to the stack, at SP+8 (after the return address). */
static void test_tenth_int_on_stack(void **state)
{
	struct go_param ps[10];
	struct func_plan *p;
	const struct gt_op *op;
	int i;

	for (i = 0; i < 10; i++)
		ps[i] = (struct go_param){"a", &t_int, false};
	p = plan_of(ps, 10);
	assert_int_equal(piece(p, 8, 0)->reg, GT_REG_R11);
	assert_int_equal(bpf_piece(p, 8, 0)->reg, GT_REG_R11);
	assert_true(p->args[9].on_stack);
	assert_int_equal(p->args[9].stack_offset, 8);
	assert_int_equal(p->args[9].n_pieces, 0);
	op = root(p, 9, GT_OP_STACK);
	assert_int_equal(op->offset, 8);
	assert_int_equal(op->size, 8);
	assert_int_equal(p->bpf.n_ops, 10);
	func_plan__free(p);
}

/* Sixteen floats: X0-X14, each an XMM op, then the sixteenth on the stack,
 * where it can be read; an int after them still takes RAX. */
static void test_sixteenth_float_on_stack(void **state)
{
	struct go_param ps[17];
	struct func_plan *p;
	const struct plan_piece *pc;
	int i;

	for (i = 0; i < 16; i++)
		ps[i] = (struct go_param){"f", &t_f64, false};
	ps[16] = (struct go_param){"n", &t_int, false};
	p = plan_of(ps, 17);
	for (i = 0; i < 15; i++) {
		pc = piece(p, i, 0);
		assert_true(pc->is_float);
		assert_int_equal(pc->reg, i);
		/* a float argument has no REGS op: its image is its X register */
		assert_int_equal(p->args[i].op, PLAN_NO_OP);
		assert_int_equal(p->bpf.ops[pc->op].kind, GT_OP_XMM);
		assert_int_equal(p->bpf.ops[pc->op].reg, i);
		assert_int_equal(p->bpf.ops[pc->op].size, 8);
	}
	assert_true(p->args[15].on_stack);
	assert_int_equal(p->args[15].stack_offset, 8);
	assert_int_equal(root(p, 15, GT_OP_STACK)->offset, 8);
	assert_int_equal(piece(p, 16, 0)->reg, GT_REG_RAX);
	assert_int_equal(root(p, 16, GT_OP_REGS)->n_pieces, 1);
	func_plan__free(p);
}

/* A complex128 takes two X registers, two XMM ops. */
static void test_complex(void **state)
{
	struct go_param ps[] = {{"c", &t_c128, false}, {"n", &t_int, false}};
	struct func_plan *p = plan_of(ps, 2);

	assert_int_equal(p->args[0].n_pieces, 2);
	assert_int_equal(piece(p, 0, 0)->reg, 0);
	assert_int_equal(piece(p, 0, 1)->reg, 1);
	assert_int_equal(piece(p, 0, 1)->offset, 8);
	assert_int_equal(p->bpf.ops[piece(p, 0, 1)->op].kind, GT_OP_XMM);
	assert_int_equal(p->bpf.ops[piece(p, 0, 1)->op].reg, 1);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	func_plan__free(p);
}

/* All or nothing: after 8 ints a string (2 registers) goes to the stack,
 * and the int after it still takes R11. */
static void test_all_or_nothing(void **state)
{
	struct go_param ps[10];
	struct func_plan *p;
	const struct gt_op *op;
	int i;

	for (i = 0; i < 8; i++)
		ps[i] = (struct go_param){"a", &t_int, false};
	ps[8] = (struct go_param){"s", &t_string, false};
	ps[9] = (struct go_param){"z", &t_int, false};
	p = plan_of(ps, 10);
	assert_true(p->args[8].on_stack);
	assert_int_equal(p->args[8].stack_offset, 8);
	op = root(p, 8, GT_OP_STACK);
	assert_int_equal(op->size, 16);
	/* a stack string's bytes are followed as a register string's are */
	assert_int_equal(op->type, type_table__find(opts.types, &t_string));
	assert_int_not_equal(op->type, 0);
	assert_false(p->args[9].on_stack);
	assert_int_equal(piece(p, 9, 0)->reg, GT_REG_R11);
	assert_int_equal(bpf_piece(p, 9, 0)->reg, GT_REG_R11);
	func_plan__free(p);
}

/* Arrays longer than 1 go to the stack, one-element arrays do not; stack
 * slots are aligned to the type; zero-sized arguments take no register and
 * no op, and are available. */
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
	assert_int_equal(root(p, 1, GT_OP_STACK)->size, 16);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	assert_true(p->args[3].on_stack);
	assert_int_equal(p->args[3].stack_offset, 8 + 16);
	assert_true(p->args[3].available);
	assert_int_equal(p->args[3].op, PLAN_NO_OP);
	assert_int_equal(p->args[3].type_id, 0);
	assert_int_equal(piece(p, 4, 0)->reg, GT_REG_RCX);
	assert_true(p->args[5].on_stack);
	assert_int_equal(p->args[5].stack_offset, 8 + 16);
	assert_int_equal(root(p, 5, GT_OP_STACK)->offset, 8 + 16);
	/* b, arr, one, c, arr2: the empty struct has no op */
	assert_int_equal(p->bpf.n_ops, 5);
	func_plan__free(p);
}

/* A stack argument larger than one read is read up to GT_READ_MAX. */
static void test_large_stack_arg(void **state)
{
	struct go_param ps[] = {{"big", &t_big, false}, {"n", &t_int, false}};
	struct func_plan *p = plan_of(ps, 2);
	const struct gt_op *op = root(p, 0, GT_OP_STACK);

	assert_int_equal(op->offset, 8);
	assert_int_equal(op->size, GT_READ_MAX);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	func_plan__free(p);
}

/* A struct splits across integer and float registers: the integer piece in
 * the REGS op, the float piece in an XMM op. A pointer to it is followed:
 * its type program has one PTR op to the struct's 16 bytes. */
static void test_struct_split_and_pointer(void **state)
{
	struct go_param ps[] = {
	    {"f", &t_f64, false},
	    {"pair", &t_pair, false},
	    {"pp", &t_ppair, false},
	};
	struct func_plan *p = plan_of(ps, 3);
	const struct gt_type *prog;
	const struct gt_op *op;

	assert_true(piece(p, 0, 0)->is_float);
	assert_int_equal(piece(p, 0, 0)->reg, 0);
	/* X registers come from the saved FPU state, or a signal frame */
	assert_int_equal(p->bpf.ops[piece(p, 0, 0)->op].kind, GT_OP_XMM);
	assert_int_equal(p->bpf.ops[piece(p, 0, 0)->op].reg, 0);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	assert_false(piece(p, 1, 0)->is_float);
	assert_int_equal(piece(p, 1, 0)->op, p->args[1].op);
	op = root(p, 1, GT_OP_REGS);
	assert_int_equal(op->size, 16);
	assert_int_equal(op->n_pieces, 1); /* F is not in it */
	assert_true(piece(p, 1, 1)->is_float);
	assert_int_equal(piece(p, 1, 1)->reg, 1);
	assert_int_equal(piece(p, 1, 1)->offset, 8);
	assert_int_equal(p->bpf.ops[piece(p, 1, 1)->op].kind, GT_OP_XMM);
	assert_int_equal(p->bpf.ops[piece(p, 1, 1)->op].reg, 1);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	/* X0; pair's REGS and X1; pp's REGS */
	assert_int_equal(p->bpf.n_ops, 4);
	op = root(p, 2, GT_OP_REGS);
	assert_int_equal(bpf_piece(p, 2, 0)->reg, GT_REG_RBX);
	assert_int_not_equal(op->type, 0);
	prog = type_table__program(opts.types, op->type);
	assert_int_equal(prog->n_ops, 1);
	assert_int_equal(prog->ops[0].kind, GT_T_PTR);
	assert_int_equal(prog->ops[0].off, 0);
	assert_int_equal(prog->ops[0].size, 16);
	assert_int_equal(prog->ops[0].type, type_table__find(opts.types, &t_pair));
	assert_int_equal(prog->ops[0].scan, 0); /* a Pair leads nowhere */
	/* pair itself has nothing to follow */
	assert_int_equal(p->args[1].type_id, 0);
	func_plan__free(p);
}

/* How deep pointers are followed is the plan's, for the BPF side. */
static void test_max_depth(void **state)
{
	struct go_param ps[] = {{"pp", &t_ppair, false}};
	struct func_plan *p;

	opts.max_depth = 3;
	p = plan_of(ps, 1);
	assert_int_equal(p->bpf.max_depth, 3);
	func_plan__free(p);
}

/* Go before 1.17 and assembly: everything on the stack, each value aligned,
 * each a STACK op. */
static void test_stack_abi(void **state)
{
	struct go_param ps[] = {
	    {"b", &t_int8, false},
	    {"x", &t_int, false},
	    {"s", &t_string, false},
	};
	struct func_plan *p;
	int i;

	opts.stack_abi = true;
	p = plan_of(ps, 3);
	assert_int_equal(p->args[0].stack_offset, 8);
	assert_int_equal(p->args[1].stack_offset, 16);
	assert_int_equal(p->args[2].stack_offset, 24);
	for (i = 0; i < 3; i++) {
		assert_true(p->args[i].on_stack);
		assert_int_equal(root(p, i, GT_OP_STACK)->offset, p->args[i].stack_offset);
		assert_int_equal(root(p, i, GT_OP_STACK)->size, ps[i].type->size);
	}
	assert_int_equal(root(p, 2, GT_OP_STACK)->type, p->args[2].type_id);
	assert_int_not_equal(p->args[2].type_id, 0);
	func_plan__free(p);
}

/* A function marked ABI0 (assembly) is planned on the stack in a register
 * ABI binary too. */
static void test_abi0_function(void **state)
{
	struct go_param ps[] = {{"x", &t_int, false}};
	static struct go_func f;
	struct func_plan *p;
	char err[128];

	memset(&f, 0, sizeof(f));
	f.name = "runtime.memhash";
	f.params = ps;
	f.n_params = 1;
	f.abi = GO_ABI0;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(root(p, 0, GT_OP_STACK)->offset, 8);
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
	/* only the results have ops */
	assert_int_equal(p->bpf.n_ops, 2);
	assert_int_equal(root(p, 0, GT_OP_STACK)->offset, 32);
	assert_int_equal(root(p, 1, GT_OP_STACK)->offset, 40);
	func_plan__free(p);
	p = plan_of(small, 2);
	assert_int_equal(p->args[0].stack_offset, 16);
	assert_int_equal(root(p, 0, GT_OP_STACK)->offset, 16);
	func_plan__free(p);
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
	const struct gt_op *op;

	p = plan_of(ps, 5);
	assert_int_equal(p->n_args, 3);
	assert_int_equal(piece(p, 0, 0)->reg, GT_REG_RAX);
	assert_true(p->args[1].on_stack);
	assert_int_equal(p->args[1].stack_offset, 8);
	assert_int_equal(piece(p, 2, 0)->reg, GT_REG_RBX);
	assert_int_equal(p->bpf.n_ops, 3);
	func_plan__free(p);

	opts.results = true;
	p = plan_of(ps, 5);
	assert_int_equal(p->n_args, 2);
	assert_string_equal(p->args[0].param->name, "r1");
	assert_true(p->args[0].on_stack);
	assert_int_equal(p->args[0].stack_offset, 8 + 16);
	op = root(p, 0, GT_OP_STACK);
	assert_int_equal(op->offset, 8 + 16);
	assert_int_equal(op->size, 24);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	assert_int_equal(piece(p, 1, 1)->reg, GT_REG_RBX);
	op = root(p, 1, GT_OP_REGS);
	/* the results' pieces start the plan's piece list */
	assert_int_equal(op->piece, 0);
	assert_int_equal(op->n_pieces, 2);
	assert_int_equal(bpf_piece(p, 1, 0)->reg, GT_REG_RAX);
	assert_int_equal(bpf_piece(p, 1, 1)->reg, GT_REG_RBX);
	assert_int_equal(op->type, type_table__find(opts.types, &t_string));
	assert_int_equal(p->bpf.n_ops, 2);
	func_plan__free(p);
}

/* main.Sum[go.shape.int](xs []int, k int): the dictionary takes RAX. */
static void test_generic_dictionary(void **state)
{
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
	/* the dictionary has no op and no piece in the plan */
	assert_int_equal(p->bpf.n_ops, 2);
	assert_int_equal(bpf_piece(p, 0, 0)->reg, GT_REG_RBX);
	assert_int_equal(root(p, 1, GT_OP_REGS)->piece, 3);
	func_plan__free(p);
}

/* Under the stack ABI, or with no register left, the dictionary is a stack
 * word in its turn among the inputs. */
static void test_generic_dictionary_on_stack(void **state)
{
	struct go_param ps[] = {{"xs", &t_slice, false}, {"k", &t_int, false}};
	struct func_plan *p;
	static struct go_func f;
	char err[128];

	f.name = "main.Sum[go.shape.int]";
	f.params = ps;
	f.n_params = 2;
	f.has_dict = true;
	f.dict_index = 0;
	opts.stack_abi = true;
	assert_int_equal(plan_func(&f, &opts, &p, err, sizeof(err)), 0);
	assert_int_equal(p->dict_reg, -1);
	assert_int_equal(p->dict_stack_offset, 8);
	assert_int_equal(p->args[0].stack_offset, 16);
	assert_int_equal(p->args[1].stack_offset, 40);
	assert_int_equal(root(p, 0, GT_OP_STACK)->offset, 16);
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
	    {"g", &t_ppair, false}, {"k", &t_int, false}, {"~r0", &t_int, true}};
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
	assert_int_equal(bpf_piece(p, 1, 0)->reg, GT_REG_RCX);
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

/* A parameter DWARF gives no type for is unavailable, with no op, and the
 * next one still gets its register. */
static void test_untyped_param(void **state)
{
	struct go_param ps[] = {{"x", NULL, false}, {"y", &t_int, false}};
	struct func_plan *p = plan_of(ps, 2);

	assert_false(p->args[0].available);
	assert_string_equal(p->args[0].unavailable, "DWARF gives no type");
	assert_int_equal(p->args[0].op, PLAN_NO_OP);
	assert_int_equal(piece(p, 1, 0)->reg, GT_REG_RAX);
	func_plan__free(p);
}

/* GT_MAX_OPS root ops at most: 9 in registers and 55 on the stack; the
 * arguments past them are unavailable, and the plan says the ops ran out. */
static void test_op_limit(void **state)
{
	struct go_param ps[GT_MAX_OPS + 6];
	struct func_plan *p;
	int i, n = GT_MAX_OPS + 6;

	for (i = 0; i < n; i++)
		ps[i] = (struct go_param){"a", &t_int, false};
	p = plan_of(ps, n);
	assert_int_equal(p->n_args, n);
	assert_int_equal(p->bpf.n_ops, GT_MAX_OPS);
	assert_true(p->ops_exhausted);
	assert_int_equal(root(p, 8, GT_OP_REGS)->piece, 8);
	assert_int_equal(root(p, GT_MAX_OPS - 1, GT_OP_STACK)->offset,
			 8 + 8 * (GT_MAX_OPS - 1 - 9));
	for (i = GT_MAX_OPS; i < n; i++) {
		assert_false(p->args[i].available);
		assert_int_equal(p->args[i].op, PLAN_NO_OP);
		assert_string_equal(p->args[i].unavailable, "the plan has no ops left");
		/* still placed, as the ABI would: the next stack slot */
		assert_int_equal(p->args[i].stack_offset, 8 + 8 * (i - 9));
	}
	func_plan__free(p);
}

/* -v: the plan in words, each argument's registers and type program. */
static void test_describe(void **state)
{
	struct go_param ps[] = {{"n", &t_named, false}, {"f", &t_f64, false}};
	struct func_plan *p = plan_of(ps, 2);
	char *buf = NULL, want[64];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	plan_describe(p, out);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(buf, "plan for main.f (ABIInternal, 2 root ops"));
	assert_non_null(strstr(buf, "arg n main.Named: RAX[0:1] RBX[8:16] RCX[16:24]"));
	snprintf(want, sizeof(want), "type#%u", p->args[0].type_id);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "arg f float64: X0[0:8](X register)"));
	assert_non_null(strstr(buf, "op0: 3 registers into 24 bytes, then type#"));
	assert_non_null(strstr(buf, "op1: reg X0"));
	free(buf);
	func_plan__free(p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_ints_and_string),
	    T(test_tenth_int_on_stack),
	    T(test_all_or_nothing),
	    T(test_sixteenth_float_on_stack),
	    T(test_complex),
	    T(test_arrays_and_zero_size),
	    T(test_large_stack_arg),
	    T(test_struct_split_and_pointer),
	    T(test_max_depth),
	    T(test_stack_abi),
	    T(test_abi0_function),
	    T(test_stack_abi_results),
	    T(test_results),
	    T(test_generic_dictionary),
	    T(test_generic_dictionary_on_stack),
	    T(test_generic_method_dictionary),
	    T(test_no_dictionary),
	    T(test_untyped_param),
	    T(test_op_limit),
	    T(test_describe),
	};
#undef T

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
