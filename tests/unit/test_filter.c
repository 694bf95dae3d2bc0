// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Filters offline: the parser's errors (column and message), the compiler's
 * type rules, and the stack programs it emits for hand-built functions,
 * op by op (bpf/gotrace.h, gt_filter).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan/filter.h"
#include "plan/plan.h"
#include "plan/types.h"
#include "symbols/symbols.h"
#include "testdata.h"

static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
static struct go_type t_int8 = {.kind = GO_INT8, .name = "int8", .size = 1, .align = 1};
static struct go_type t_u64 = {.kind = GO_UINT64, .name = "uint64", .size = 8, .align = 8};
static struct go_type t_bool = {.kind = GO_BOOL, .name = "bool", .size = 1, .align = 1};
static struct go_type t_f64 = {.kind = GO_FLOAT64, .name = "float64", .size = 8, .align = 8};
static struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
static struct go_type t_error = {.kind = GO_INTERFACE, .name = "error", .size = 16, .align = 8};
static struct go_field pair_fields[] = {
    {.name = "A", .offset = 0, .type = &t_int},
    {.name = "Name", .offset = 8, .type = &t_string},
};
static struct go_type t_pair = {.kind = GO_STRUCT,
				.name = "main.Pair",
				.size = 24,
				.align = 8,
				.fields = pair_fields,
				.n_fields = 2};
static struct go_type t_ppair = {
    .kind = GO_POINTER, .name = "*main.Pair", .size = 8, .align = 8, .elem = &t_pair};
static struct go_type t_slice = {
    .kind = GO_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int};

/* main.f(id int, name string, p *main.Pair, ok bool, n int8, u uint64,
 *        xs []int, x float64) (err error) */
static struct go_param params[] = {
    {.name = "id", .type = &t_int},
    {.name = "name", .type = &t_string},
    {.name = "p", .type = &t_ppair},
    {.name = "ok", .type = &t_bool},
    {.name = "n", .type = &t_int8},
    {.name = "u", .type = &t_u64},
    {.name = "xs", .type = &t_slice},
    {.name = "x", .type = &t_f64},
    {.name = "err", .type = &t_error, .is_result = true},
};
static struct go_func func = {.name = "main.f", .params = params, .n_params = 9};

struct fixture {
	struct type_table *types;
	struct func_plan *entry, *ret;
	struct gt_filter call, at_ret;
	struct filter_error err;
};

static int setup(void **state)
{
	struct type_opts topts = {.max_string = 64, .max_elems = 16};
	struct plan_opts opts = {.max_depth = 4};
	struct fixture *fx = calloc(1, sizeof(*fx));
	char errbuf[256];

	assert_non_null(fx);
	fx->types = type_table__new(&topts);
	opts.types = fx->types;
	assert_int_equal(plan_func(&func, &opts, &fx->entry, errbuf, sizeof(errbuf)), 0);
	opts.results = true;
	assert_int_equal(plan_func(&func, &opts, &fx->ret, errbuf, sizeof(errbuf)), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	func_plan__free(fx->entry);
	func_plan__free(fx->ret);
	type_table__free(fx->types);
	free(fx);
	return 0;
}

/* Compiles TEXT, split between the call and the return; 0 or -EINVAL. */
static int compile(struct fixture *fx, const char *text)
{
	struct filter_node *n = filter_parse(text, &fx->err);
	int err;

	if (!n)
		return -1;
	err = filter_compile_split(n, fx->entry, fx->ret, NULL, &fx->call, &fx->at_ret, &fx->err);
	filter_node__free(n);
	return err;
}

static void parse_error(const char *text, int col, const char *msg)
{
	struct filter_error err;
	struct filter_node *n = filter_parse(text, &err);

	if (n)
		fail_msg("'%s' parsed", text);
	assert_string_equal(err.msg, msg);
	assert_int_equal(err.col, col);
}

static void compile_error(void **state, const char *text, int col, const char *msg)
{
	struct fixture *fx = *state;

	if (!compile(fx, text))
		fail_msg("'%s' compiled", text);
	if (strcmp(fx->err.msg, msg) || fx->err.col != col)
		fail_msg("'%s': %d: %s", text, fx->err.col, fx->err.msg);
}

static void test_syntax_errors(void **state)
{
	parse_error("", 1, "empty expression");
	parse_error("id >", 5, "expected an operand, found end of expression");
	parse_error("(id > 5", 8, "expected ')', found end of expression");
	parse_error("id > 5)", 7, "unexpected ')' after the expression");
	parse_error("id @ 5", 4, "unexpected character '@'");
	parse_error("\"abc", 1, "string literal not terminated");
	parse_error("name == \"a\\q\"", 12, "unknown escape sequence in a string");
	parse_error("id > 18446744073709551616", 6, "integer constant too large");
	parse_error("id > 12ab", 6, "invalid character 'a' in a number");
	parse_error("p.", 3, "expected a field name after '.', found end of expression");
	parse_error("cap(xs) > 1", 1,
		    "unknown function (expressions call len, string, strings.HasPrefix, HasSuffix, "
		    "Contains, bytes.HasPrefix, HasSuffix, Contains and Equal)");
	parse_error("strings.HasSuffix(name)", 23, "expected ',', found ')'");
	parse_error("bytes.HasPrefix(b, []int(\"a\"))", 22,
		    "expected byte (of []byte), found name");
	parse_error("bytes.HasPrefix(b, []byte)", 26,
		    "expected '(' ([]byte converts a string), found ')'");
	parse_error("len(xs, 2) > 1", 7, "too many arguments to len");
	parse_error("-name == 1", 1, "'-' applies to numbers only (filters have no arithmetic)");
	parse_error("a\nb", 2, "expression spans lines");
}

static void test_nesting_limit(void **state)
{
	char text[400];
	int i;

	for (i = 0; i < 100; i++)
		text[i] = '(';
	strcpy(text + 100, "ok");
	for (i = 0; i < 100; i++)
		strcat(text, ")");
	/* each parenthesis is two levels of the grammar */
	parse_error(text, 33, "expression nested too deeply");
}

static void test_type_errors(void **state)
{
	compile_error(state, "usr > 1", 1,
		      "unknown parameter \"usr\" (main.f has id, name, p, ok, n, "
		      "u, xs, x)");
	compile_error(state, "name == 5", 6,
		      "invalid operation: mismatched types string and "
		      "untyped int");
	compile_error(state, "n > 127 || n < -129", 16,
		      "cannot use -129 (untyped int constant) as int8 value in comparison "
		      "(overflows)");
	compile_error(state, "u >= -1", 6,
		      "cannot use -1 (untyped int constant) as uint64 value in comparison "
		      "(overflows)");
	compile_error(state, "id == n", 4, "invalid operation: mismatched types int and int8");
	compile_error(state, "ok < true", 4, "invalid operation: operator < not defined on bool");
	compile_error(state, "id", 1, "non-boolean id (type int) used as a condition");
	compile_error(state, "p.B == 1", 3, "B undefined (type *main.Pair has no field B)");
	compile_error(state, "xs[-1] > 1", 4, "the index must be a constant integer >= 0");
	compile_error(state, "id[0] > 1", 3, "invalid operation: cannot index int");
	compile_error(state, "*id > 1", 1,
		      "invalid operation: cannot indirect a int (not a pointer)");
	compile_error(state, "string(id) == \"a\"", 1,
		      "cannot convert int to string (a []byte converts)");
	compile_error(state, "strings.Contains(xs, \"a\")", 18,
		      "cannot use []int as string value in argument to strings.Contains");
	compile_error(state, "bytes.HasPrefix(name, \"a\")", 17,
		      "cannot use string as []byte value in argument to bytes.HasPrefix");
	compile_error(state, "strings.HasSuffix(name, []byte(\"a\"))", 25,
		      "strings.HasSuffix takes a string literal as its second argument");
	compile_error(state, "err.(*main.E).Code == 1", 6, "*main.E: no types to look in");
	compile_error(state, "id.(int) == 1", 5, "invalid operation: int is not an interface");
	compile_error(state, "id.A == 1", 4, "A undefined (type int has no field A)");
	compile_error(state, "id == nil", 4,
		      "invalid operation: mismatched types int and untyped "
		      "nil");
	compile_error(state, "x > 1", 3,
		      "invalid operation: operator > not defined on float64 "
		      "(filters compare integers, bools and strings)");
	compile_error(state, "name == p.Name", 6,
		      "invalid operation: strings compare with a string "
		      "literal only, not with each other (in the "
		      "kernel)");
	compile_error(state, "err != nil || id > 1", 1,
		      "a condition cannot mix parameters (read at the call) and results (read at "
		      "the return): join them with && at the top");
	compile_error(state, "len(id) > 1", 5, "invalid argument for len (type int)");
	compile_error(state, "strings.HasPrefix(name, p.Name)", 27,
		      "strings.HasPrefix takes a string literal as its second argument");
}

static void assert_op(const struct gt_fop *op, int kind, int arg, int off, int size, int flags,
		      uint64_t imm)
{
	assert_int_equal(op->kind, kind);
	assert_int_equal(op->arg, arg);
	assert_int_equal(op->off, off);
	assert_int_equal(op->size, size);
	assert_int_equal(op->flags, flags);
	assert_int_equal(op->imm, imm);
}

/* id in RAX, name in RBX:RCX, p in RDI, ok in RSI, n in R8, u in R9 */
static void test_registers_and_constants(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(compile(fx, "n >= -128 && u > 9223372036854775808 && ok"), 0);
	assert_int_equal(fx->call.flags, GT_FILTER_ON);
	assert_int_equal(fx->at_ret.flags, 0);
	assert_int_equal(fx->call.n_ops, 9);
	assert_op(&fx->call.ops[0], GT_F_REG, GT_REG_R8, 0, 1, GT_FF_SIGNED, 0);
	assert_op(&fx->call.ops[1], GT_F_CONST, 0, 0, 0, 0, (uint64_t)-128);
	assert_op(&fx->call.ops[2], GT_F_CMP, GT_CMP_GE, 0, 0, GT_FF_SIGNED, 0);
	assert_op(&fx->call.ops[3], GT_F_JZ, 0, 9, 0, 0, 0);
	assert_op(&fx->call.ops[4], GT_F_REG, GT_REG_R9, 0, 8, 0, 0);
	assert_op(&fx->call.ops[5], GT_F_CONST, 0, 0, 0, 0, 1ULL << 63);
	assert_op(&fx->call.ops[6], GT_F_CMP, GT_CMP_GT, 0, 0, 0, 0);
	assert_op(&fx->call.ops[7], GT_F_JZ, 0, 9, 0, 0, 0);
	/* a bool used as a condition: its byte, compared with nothing */
	assert_op(&fx->call.ops[8], GT_F_REG, GT_REG_RSI, 0, 1, 0, 0);
}

static void test_pointer_and_string(void **state)
{
	struct fixture *fx = *state;

	/* a constant on the left: the value is loaded first, the order flipped */
	assert_int_equal(compile(fx, "10 < p.A || p.Name == \"bob\" || !strings.HasPrefix(name, "
				     "\"x\")"),
			 0);
	assert_op(&fx->call.ops[0], GT_F_REG, GT_REG_RDI, 0, 8, 0, 0);
	assert_op(&fx->call.ops[1], GT_F_LOAD, 0, 0, 8, GT_FF_SIGNED, 0);
	assert_op(&fx->call.ops[2], GT_F_CONST, 0, 0, 0, 0, 10);
	assert_op(&fx->call.ops[3], GT_F_CMP, GT_CMP_GT, 0, 0, GT_FF_SIGNED, 0);
	/* (a || b) || c: a true jumps to the second jump, which takes it to the end */
	assert_op(&fx->call.ops[4], GT_F_JNZ, 0, 8, 0, 0, 0);
	assert_op(&fx->call.ops[5], GT_F_REG, GT_REG_RDI, 0, 8, 0, 0);
	assert_op(&fx->call.ops[6], GT_F_LOAD, 0, 8, 8, GT_FF_TWO, 0);
	assert_op(&fx->call.ops[7], GT_F_STR, GT_CMP_EQ, 0, 3, 0, 0);
	assert_memory_equal(fx->call.pool, "bob", 3);
	assert_op(&fx->call.ops[8], GT_F_JNZ, 0, 13, 0, 0, 0);
	assert_op(&fx->call.ops[9], GT_F_REG, GT_REG_RBX, 0, 8, 0, 0);
	assert_op(&fx->call.ops[10], GT_F_REG, GT_REG_RCX, 0, 8, 0, 0);
	assert_op(&fx->call.ops[11], GT_F_STR, GT_CMP_PREFIX, 0, 1, 0, 3);
	assert_int_equal(fx->call.ops[12].kind, GT_F_NOT);
	assert_int_equal(fx->call.n_ops, 13);
}

static void test_len_and_nil(void **state)
{
	struct fixture *fx = *state;

	/* xs is on... registers R10, R11 and the stack? no: 3 words left after
	 * 6 (id, name x2, p, ok, n, u = 7): xs goes to the stack */
	assert_int_equal(compile(fx, "len(xs) > 2 && xs != nil && len(\"abc\") == 3"), 0);
	assert_true(fx->entry->args[6].on_stack);
	assert_op(&fx->call.ops[0], GT_F_STACK, 0, fx->entry->args[6].stack_offset + 8, 8,
		  GT_FF_SIGNED, 0);
	assert_op(&fx->call.ops[4], GT_F_STACK, 0, fx->entry->args[6].stack_offset, 8, 0, 0);
	assert_op(&fx->call.ops[5], GT_F_CONST, 0, 0, 0, 0, 0);
	assert_op(&fx->call.ops[6], GT_F_CMP, GT_CMP_NE, 0, 0, 0, 0);
	/* len("abc") == 3 is a constant: true */
	assert_op(&fx->call.ops[8], GT_F_CONST, 0, 0, 0, 0, 1);
	assert_int_equal(fx->call.n_ops, 9);
}

static void test_split_between_call_and_return(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(compile(fx, "id > 1 && err != nil && ok"), 0);
	assert_int_equal(fx->call.flags, GT_FILTER_ON);
	assert_int_equal(fx->at_ret.flags, GT_FILTER_ON);
	/* the call: id > 1, jump, ok */
	assert_int_equal(fx->call.n_ops, 5);
	/* the return: err's type word in RAX, != 0 */
	assert_int_equal(fx->at_ret.n_ops, 3);
	assert_op(&fx->at_ret.ops[0], GT_F_REG, GT_REG_RAX, 0, 8, 0, 0);
	assert_op(&fx->at_ret.ops[2], GT_F_CMP, GT_CMP_NE, 0, 0, 0, 0);
	assert_int_equal(compile(fx, "err == nil"), 0);
	assert_int_equal(fx->call.flags, 0);
	assert_int_equal(fx->at_ret.flags, GT_FILTER_ON);
}

static void test_too_long(void **state)
{
	struct fixture *fx = *state;
	char text[2048] = "id > 0";
	int i;

	for (i = 0; i < 30; i++)
		strcat(text, " && p.A > 1");
	assert_int_not_equal(compile(fx, text), 0);
	assert_string_equal(fx->err.msg, "filter too long for the kernel (64 ops at most)");
}

static void test_stack_depth(void **state)
{
	struct fixture *fx = *state;
	char text[1024] = "ok";
	int i;

	/* ok == (ok == (...)): every left side waits on the stack */
	for (i = 0; i < 14; i++) {
		memmove(text + 7, text, strlen(text) + 1);
		memcpy(text, "ok == (", 7);
		strcat(text, ")");
	}
	assert_int_equal(compile(fx, text), 0);
	assert_int_equal(filter_program_depth(&fx->call), 15);
	for (i = 0; i < 2; i++) {
		memmove(text + 7, text, strlen(text) + 1);
		memcpy(text, "ok == (", 7);
		strcat(text, ")");
	}
	assert_int_not_equal(compile(fx, text), 0);
	assert_string_equal(fx->err.msg,
			    "filter nested too deeply for the kernel (16 values at once at most)");
	/* and a string's header is two words */
	assert_int_equal(compile(fx, "ok == (name == \"a\")"), 0);
	assert_int_equal(filter_program_depth(&fx->call), 3);
}

/* --print's lists: each expression with its text as written, and the new
 * forms (*p, x[i], x.(T), string(b)) in the one grammar. */
static void test_print_lists(void **state)
{
	struct filter_list l;
	struct filter_error fe;

	assert_int_equal(
	    filter_parse_list(" r.URL.Path ,*p, xs[2],  err.(*main.E).Code, string(b) ", &l, &fe),
	    0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.texts[0], "r.URL.Path");
	assert_string_equal(l.texts[1], "*p");
	assert_string_equal(l.texts[2], "xs[2]");
	assert_string_equal(l.texts[3], "err.(*main.E).Code");
	assert_string_equal(l.texts[4], "string(b)");
	assert_int_equal(l.nodes[1]->kind, FN_DEREF);
	assert_int_equal(l.nodes[2]->kind, FN_INDEX);
	assert_int_equal(l.nodes[2]->b->u, 2);
	assert_int_equal(l.nodes[3]->kind, FN_SELECTOR);
	assert_int_equal(l.nodes[3]->a->kind, FN_ASSERT);
	assert_string_equal(l.nodes[3]->a->str, "*main.E");
	assert_int_equal(l.nodes[4]->kind, FN_STRING_OF);
	filter_list__clear(&l);

	assert_int_equal(filter_parse_list("a, ", &l, &fe), -EINVAL);
	assert_int_equal(fe.col, 4);
	assert_int_equal(filter_parse_list("a b", &l, &fe), -EINVAL);
	assert_int_equal(fe.col, 3);
	assert_int_equal(filter_parse_list("x.(int", &l, &fe), -EINVAL);
	assert_int_equal(filter_parse_list("xs[1", &l, &fe), -EINVAL);
	assert_int_equal(filter_parse_list("", &l, &fe), -EINVAL);
	assert_int_equal(l.n, 0);
}

static struct go_type t_byte = {.kind = GO_UINT8, .name = "uint8", .size = 1, .align = 1};
static struct go_type t_bytes = {
    .kind = GO_SLICE, .name = "[]uint8", .size = 24, .align = 8, .elem = &t_byte};
static struct go_type t_pint = {
    .kind = GO_POINTER, .name = "*int", .size = 8, .align = 8, .elem = &t_int};
static struct go_type t_strings = {
    .kind = GO_SLICE, .name = "[]string", .size = 24, .align = 8, .elem = &t_string};
static struct go_type t_arr = {
    .kind = GO_ARRAY, .name = "[3]int8", .size = 3, .align = 1, .elem = &t_int8, .len = 3};
static struct go_type t_parr = {
    .kind = GO_POINTER, .name = "*[3]int8", .size = 8, .align = 8, .elem = &t_arr};
static struct go_type t_map = {.kind = GO_MAP, .name = "map[string]int", .size = 8, .align = 8};
static struct go_type t_pairs = {
    .kind = GO_SLICE, .name = "[]main.Pair", .size = 24, .align = 8, .elem = &t_pair};

/* main.g(pi *int, key []byte, ss []string, m map[string]int, arr [3]int8,
 *        pairs []main.Pair, pa *[3]int8): pi in RAX, key in RBX:RCX:RDI, ss in RSI:R8:R9, m
 *        in R10, arr on the stack (an array of 3), pairs on the stack */
static struct go_param g_params[] = {
    {.name = "pi", .type = &t_pint},	{.name = "key", .type = &t_bytes},
    {.name = "ss", .type = &t_strings}, {.name = "m", .type = &t_map},
    {.name = "arr", .type = &t_arr},	{.name = "pairs", .type = &t_pairs},
    {.name = "pa", .type = &t_parr},
};
static struct go_func g_func = {.name = "main.g", .params = g_params, .n_params = 7};

static int setup_g(void **state)
{
	struct type_opts topts = {.max_string = 64, .max_elems = 16};
	struct plan_opts opts = {.max_depth = 4};
	struct fixture *fx = calloc(1, sizeof(*fx));
	char errbuf[256];

	assert_non_null(fx);
	fx->types = type_table__new(&topts);
	opts.types = fx->types;
	assert_int_equal(plan_func(&g_func, &opts, &fx->entry, errbuf, sizeof(errbuf)), 0);
	*state = fx;
	return 0;
}

/* *p, x[i], string(b), a []byte against a literal: the pointee's load, the
 * slice's header then GT_F_INDEX, the []byte's data and len as a string. */
static void test_pointee_index_and_bytes(void **state)
{
	struct fixture *fx = *state;
	const struct plan_arg *arr = &fx->entry->args[4], *pairs = &fx->entry->args[5];

	assert_int_equal(compile(fx, "*pi > 3"), 0);
	assert_int_equal(fx->call.n_ops, 4);
	assert_op(&fx->call.ops[0], GT_F_REG, GT_REG_RAX, 0, 8, 0, 0);
	assert_op(&fx->call.ops[1], GT_F_LOAD, 0, 0, 8, GT_FF_SIGNED, 0);
	assert_op(&fx->call.ops[3], GT_F_CMP, GT_CMP_GT, 0, 0, GT_FF_SIGNED, 0);

	/* data and len (not cap), compared as string(key) would be */
	assert_int_equal(compile(fx, "key == \"foo\" && string(key) != \"\""), 0);
	assert_op(&fx->call.ops[0], GT_F_REG, GT_REG_RBX, 0, 8, 0, 0);
	assert_op(&fx->call.ops[1], GT_F_REG, GT_REG_RCX, 0, 8, 0, 0);
	assert_op(&fx->call.ops[2], GT_F_STR, GT_CMP_EQ, 0, 3, 0, 0);
	assert_op(&fx->call.ops[6], GT_F_STR, GT_CMP_NE, 0, 0, 0, 3);

	/* ss[1]: data and len, checked; the element's header at 16 */
	assert_int_equal(compile(fx, "ss[1] == \"a\""), 0);
	assert_int_equal(fx->call.n_ops, 5);
	assert_op(&fx->call.ops[0], GT_F_REG, GT_REG_RSI, 0, 8, 0, 0);
	assert_op(&fx->call.ops[1], GT_F_REG, GT_REG_R8, 0, 8, 0, 0);
	assert_op(&fx->call.ops[2], GT_F_INDEX, 0, 0, 0, 0, 1);
	assert_op(&fx->call.ops[3], GT_F_LOAD, 0, 16, 8, GT_FF_TWO, 0);
	assert_op(&fx->call.ops[4], GT_F_STR, GT_CMP_EQ, 0, 1, 0, 0);

	/* an array's element is at its offset: no index op */
	assert_true(arr->on_stack);
	assert_int_equal(compile(fx, "arr[2] == -1"), 0);
	assert_int_equal(fx->call.n_ops, 3);
	assert_op(&fx->call.ops[0], GT_F_STACK, 0, arr->stack_offset + 2, 1, GT_FF_SIGNED, 0);

	/* a slice on the stack; a field of its element; a string's byte */
	assert_true(pairs->on_stack);
	assert_int_equal(compile(fx, "pairs[2].Name != \"\" && ss[0][1] == 98"), 0);
	assert_op(&fx->call.ops[0], GT_F_STACK, 0, pairs->stack_offset, 8, GT_FF_TWO, 0);
	assert_op(&fx->call.ops[1], GT_F_INDEX, 0, 0, 0, 0, 2);
	assert_op(&fx->call.ops[2], GT_F_LOAD, 0, 2 * 24 + 8, 8, GT_FF_TWO, 0);
	assert_op(&fx->call.ops[7], GT_F_INDEX, 0, 0, 0, 0, 0);
	assert_op(&fx->call.ops[8], GT_F_LOAD, 0, 0, 8, GT_FF_TWO, 0);
	assert_op(&fx->call.ops[9], GT_F_INDEX, 0, 0, 0, 0, 1);
	assert_op(&fx->call.ops[10], GT_F_LOAD, 0, 1, 1, 0, 0);

	/* len of an array is a constant: the pointer to it is not read */
	assert_int_equal(compile(fx, "len(*pa) == 3 && len(arr) == 3"), 0);
	assert_int_equal(fx->call.n_ops, 3);
	assert_op(&fx->call.ops[0], GT_F_CONST, 0, 0, 0, 0, 1);
	compile_error(state, "arr[3] == 1", 5,
		      "invalid index 3 (out of bounds for 3-element array)");
	compile_error(state, "m[\"x\"] > 1", 2, "map index: not yet in filters");
	compile_error(state, "key == []byte(\"foo\")", 5,
		      "invalid operation: a []byte compares with nil only (write the literal "
		      "itself: b == \"...\" compares as string(b) does)");
	compile_error(state, "key < ss", 5,
		      "invalid operation: operator < not defined on []string (filters compare "
		      "integers, bools and strings)");
}

/* strings.HasSuffix, Contains and bytes': GT_F_STR with their comparisons. */
static void test_string_functions(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(
	    compile(fx, "strings.HasSuffix(ss[0], \".go\") || "
			"strings.Contains(string(key), \"ab\") || "
			"bytes.HasPrefix(key, []byte(\"x\")) || bytes.Contains(key, \"y\") || "
			"bytes.Equal(key, []byte(\"z\"))"),
	    0);
	assert_op(&fx->call.ops[4], GT_F_STR, GT_CMP_SUFFIX, 0, 3, 0, 0);
	assert_op(&fx->call.ops[8], GT_F_STR, GT_CMP_CONTAINS, 0, 2, 0, 3);
	assert_op(&fx->call.ops[12], GT_F_STR, GT_CMP_PREFIX, 0, 1, 0, 5);
	assert_op(&fx->call.ops[16], GT_F_STR, GT_CMP_CONTAINS, 0, 1, 0, 6);
	assert_op(&fx->call.ops[20], GT_F_STR, GT_CMP_EQ, 0, 1, 0, 7);
	assert_memory_equal(fx->call.pool, ".goabxyz", 8);
	assert_int_equal(fx->call.n_ops, 21);
}

/* A hand-made GT_F_ASSERT: its jump must reach the end of its condition
 * with the words it keeps and the 0 it pushes. */
static void test_assert_program_check(void **state)
{
	struct gt_filter f = {0};

	(void)state;
	f.n_ops = 6;
	f.ops[0] = (struct gt_fop){.kind = GT_F_CONST}; /* the type word */
	f.ops[1] = (struct gt_fop){.kind = GT_F_CONST}; /* the data word */
	f.ops[2] = (struct gt_fop){.kind = GT_F_ASSERT, .off = 6, .size = 0};
	f.ops[3] = (struct gt_fop){.kind = GT_F_LOAD, .size = 8};
	f.ops[4] = (struct gt_fop){.kind = GT_F_CONST, .imm = 7};
	f.ops[5] = (struct gt_fop){.kind = GT_F_CMP};
	assert_int_equal(filter_program_depth(&f), 2);
	/* keeping a word the condition did not find there */
	f.ops[2].size = 1;
	assert_int_equal(filter_program_depth(&f), -1);
	/* a jump into the middle of the condition, where the depth differs */
	f.ops[2].size = 0;
	f.ops[2].off = 5;
	assert_int_equal(filter_program_depth(&f), -1);
	f.ops[2].off = 2;
	assert_int_equal(filter_program_depth(&f), -1);
}

/*
 * Type assertions against the oracle's types (its DWARF and descriptors):
 * each in the condition it is in, which it makes false when it fails.
 */
static void test_type_assertions(void **state)
{
	struct type_opts topts = {.max_string = 64, .max_elems = 16};
	struct gobin *bin = open_testdata("oracle");
	struct plan_opts opts = {.max_depth = 4, .bin = bin, .types_bin = bin};
	const struct go_type *myerr, *base;
	struct fixture fx = {0};
	char why[200], errbuf[256];

	(void)state;
	fx.types = type_table__new(&topts);
	opts.types = fx.types;
	assert_int_equal(
	    plan_func(find_or_fail(bin, "main.Ifaces"), &opts, &fx.entry, errbuf, sizeof(errbuf)),
	    0);
	myerr = gobin__resolve_type(bin, "*main.MyErr", why, sizeof(why));
	base = gobin__resolve_type(bin, "main.Base", why, sizeof(why));
	assert_non_null(myerr);
	assert_non_null(base);
	/* main.Ifaces(err error, nilerr error, any interface{}, num interface{}):
	 * err in RAX:RBX, any in RSI:R8 */
	fx.entry->func = find_or_fail(bin, "main.Ifaces");
	{
		struct filter_node *n = filter_parse(
		    "err.(*main.MyErr).Code == 7 || any.(main.Base).Kind == 3 && ok2", &fx.err);

		assert_non_null(n);
		assert_int_equal(
		    filter_compile_split(n, fx.entry, NULL, &opts, &fx.call, &fx.at_ret, &fx.err),
		    -EINVAL);
		assert_string_equal(
		    fx.err.msg,
		    "unknown parameter \"ok2\" (main.Ifaces has err, nilerr, any, num)");
		filter_node__free(n);
		n = filter_parse("err.(*main.MyErr).Code == 7 || any.(main.Base).Kind == 3",
				 &fx.err);
		assert_int_equal(
		    filter_compile_split(n, fx.entry, NULL, &opts, &fx.call, &fx.at_ret, &fx.err),
		    0);
		filter_node__free(n);
	}
	/* err: itab and data; a pointer: the data word is the value */
	assert_op(&fx.call.ops[0], GT_F_REG, GT_REG_RAX, 0, 8, 0, 0);
	assert_op(&fx.call.ops[1], GT_F_REG, GT_REG_RBX, 0, 8, 0, 0);
	assert_op(&fx.call.ops[2], GT_F_ASSERT, 0, 6, 0, GT_FF_ITAB, myerr->runtime_type);
	assert_op(&fx.call.ops[3], GT_F_LOAD, 0, 0, 8, GT_FF_SIGNED, 0);
	assert_op(&fx.call.ops[6], GT_F_JNZ, 0, 13, 0, 0, 0);
	/* any: an eface; main.Base is behind the data word */
	assert_op(&fx.call.ops[9], GT_F_ASSERT, 0, 13, 0, 0, base->runtime_type);
	assert_op(&fx.call.ops[10], GT_F_LOAD, 0, 0, 1, 0, 0);
	assert_int_equal(fx.call.n_ops, 13);
	assert_int_equal(filter_program_depth(&fx.call), 2);

	/* in a comparison's right side: the left side's word is kept */
	{
		struct filter_node *n =
		    filter_parse("(num.(int) == 42) == (err.(*main.MyErr) != nil)", &fx.err);

		assert_int_equal(
		    filter_compile_split(n, fx.entry, NULL, &opts, &fx.call, &fx.at_ret, &fx.err),
		    0);
		filter_node__free(n);
	}
	assert_int_equal(fx.call.ops[2].kind, GT_F_ASSERT);
	assert_int_equal(fx.call.ops[2].size, 0);
	assert_int_equal(fx.call.ops[2].off, 6);
	assert_int_equal(fx.call.ops[8].kind, GT_F_ASSERT);
	assert_int_equal(fx.call.ops[8].size, 1);
	assert_int_equal(fx.call.ops[8].off, 11);
	assert_int_equal(fx.call.ops[11].kind, GT_F_CMP);
	assert_true(filter_program_depth(&fx.call) > 0);

	{
		struct filter_node *n = filter_parse("err.(error) != nil", &fx.err);

		assert_int_equal(
		    filter_compile_split(n, fx.entry, NULL, &opts, &fx.call, &fx.at_ret, &fx.err),
		    -EINVAL);
		assert_string_equal(fx.err.msg,
				    "error is an interface: filters assert concrete types only");
		filter_node__free(n);
		n = filter_parse("err.(*main.Nope) != nil", &fx.err);
		assert_int_equal(
		    filter_compile_split(n, fx.entry, NULL, &opts, &fx.call, &fx.at_ret, &fx.err),
		    -EINVAL);
		assert_int_equal(fx.err.col, 6);
		filter_node__free(n);
	}
	func_plan__free(fx.entry);
	type_table__free(fx.types);
	gobin__free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_nesting_limit),
	    cmocka_unit_test(test_print_lists),
	    cmocka_unit_test_setup_teardown(test_type_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registers_and_constants, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pointer_and_string, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_len_and_nil, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_split_between_call_and_return, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stack_depth, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pointee_index_and_bytes, setup_g, teardown),
	    cmocka_unit_test_setup_teardown(test_string_functions, setup_g, teardown),
	    cmocka_unit_test(test_assert_program_check),
	    cmocka_unit_test(test_type_assertions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
