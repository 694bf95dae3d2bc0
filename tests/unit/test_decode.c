// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The decoder on hand-built events: root records and capture records laid
 * out as the BPF program writes them (bpf/gotrace.h), decoded with a real
 * plan and type table (decode_events.h). Values, pointer chains, limits
 * and their reasons, cycles, interfaces, X registers, and malformed records
 * that must be rejected, never read past. Maps: test_decode_maps.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "decode/decode.h"
#include "plan/types.h"
#include "decode_events.h"

static struct go_type t_int16 = {.kind = GO_INT16, .name = "int16", .size = 2, .align = 2};
/* type Pt struct { X int16; Name string } */
static struct go_field pt_fields[] = {
    {.name = "X", .offset = 0, .type = &t_int16},
    {.name = "Name", .offset = 8, .type = &t_string},
};
static struct go_type t_pt = {.kind = GO_STRUCT,
			      .name = "main.Pt",
			      .size = 24,
			      .align = 8,
			      .fields = pt_fields,
			      .n_fields = 2};
static struct go_type t_ppt = {
    .kind = GO_POINTER, .name = "*main.Pt", .size = 8, .align = 8, .elem = &t_pt};
/* type Node struct { V int; Next *Node } */
static struct go_type t_node;
static struct go_type t_pnode = {
    .kind = GO_POINTER, .name = "*main.Node", .size = 8, .align = 8, .elem = &t_node};
static struct go_field node_fields[] = {
    {.name = "V", .offset = 0, .type = &t_int},
    {.name = "Next", .offset = 8, .type = &t_pnode},
};
static struct go_type t_node = {.kind = GO_STRUCT,
				.name = "main.Node",
				.size = 16,
				.align = 8,
				.fields = node_fields,
				.n_fields = 2};
/* type MyErr struct { Code int; Msg string } */
static struct go_field myerr_fields[] = {
    {.name = "Code", .offset = 0, .type = &t_int},
    {.name = "Msg", .offset = 8, .type = &t_string},
};
static struct go_type t_myerr = {.kind = GO_STRUCT,
				 .name = "main.MyErr",
				 .size = 24,
				 .align = 8,
				 .fields = myerr_fields,
				 .n_fields = 2};
/* type Pair struct { A int; F float64 } */
/* type Two struct { A, B int }: never registered, reached through RAW */
static struct go_field two_fields[] = {
    {.name = "A", .offset = 0, .type = &t_int},
    {.name = "B", .offset = 8, .type = &t_int},
};
static struct go_type t_two = {.kind = GO_STRUCT,
			       .name = "main.Two",
			       .size = 16,
			       .align = 8,
			       .fields = two_fields,
			       .n_fields = 2};
static struct go_type t_strings = {
    .kind = GO_SLICE, .name = "[]string", .size = 24, .align = 8, .elem = &t_string};
static struct go_type t_chan = {
    .kind = GO_CHAN, .name = "chan int", .size = 8, .align = 8, .elem = &t_int};
static struct go_type t_func = {.kind = GO_FUNC, .name = "func()", .size = 8, .align = 8};

/* Dynamic types by their descriptors' run-time addresses. */
static const struct {
	uint64_t addr;
	const struct go_type *type;
} rtypes[] = {
    {0xabc000, &t_ppt},
    {0xdef000, &t_myerr},
    {0xccc000, &t_two},
};

static const struct go_type *type_at(void *ctx, uint32_t pid, uint64_t addr)
{
	size_t i;

	assert_int_equal(pid, 42);
	for (i = 0; i < sizeof(rtypes) / sizeof(rtypes[0]); i++)
		if (rtypes[i].addr == addr)
			return rtypes[i].type;
	return NULL;
}

static const char *symbolize(void *ctx, uint32_t pid, uint64_t pc)
{
	return pc == 0x401000 ? "main.g" : NULL;
}

static const struct decode_opts dopts = {.type_at = type_at, .symbolize = symbolize};

static void decode(struct event_builder *b, struct decoded_event *de)
{
	decode_with(b, de, &dopts);
}

/* ---- tests ---- */

/* f(p Pt): a struct in RAX (X, 2 bytes), RBX and RCX (Name), assembled by
 * the BPF side into its 24-byte image; the name's bytes are a capture. */
static void test_register_struct(void **state)
{
	struct go_param ps[] = {{"p", &t_pt, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t img[24] = {0};
	const struct value *v;

	make_plan(ps, 1, &(struct plan_cfg){0});
	assert_int_equal(plan->bpf.n_ops, 1);
	assert_int_equal(plan->bpf.ops[0].kind, GT_OP_REGS);
	assert_int_equal(plan->bpf.ops[0].n_pieces, 3);
	start(&b);
	img[0] = 0xfd;
	img[1] = 0xff; /* -3 */
	put_string(img, 8, 0x1000, 5);
	root(&b, 0, img, sizeof(img));
	capture_string(&b, 0x1000, "alice");
	decode(&b, &de);
	v = &de.args[0].value;
	assert_int_equal(v->kind, VAL_STRUCT);
	assert_int_equal(v->n_children, 2);
	check_int(child(v, 0), -3);
	check_string(child(v, 1), "alice", false);
	assert_false(v->truncated);
	decoded_event__clear(&de);
}

/* Stack ABI: f(a int, s string, p *Pt), three stack slots; the string's
 * bytes and the pointee are captures. */
static void test_stack_args(void **state)
{
	struct go_param ps[] = {
	    {"a", &t_int, false}, {"s", &t_string, false}, {"p", &t_ppt, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t s[16], pt[24] = {0};
	uint64_t a = 42, p = 0x3000;
	const struct value *v;

	make_plan(ps, 3, &(struct plan_cfg){.stack_abi = true});
	assert_int_equal(plan->bpf.ops[2].kind, GT_OP_STACK);
	assert_int_equal(plan->bpf.ops[2].offset, 32);
	start(&b);
	put_string(s, 0, 0x2000, 3);
	root(&b, 0, &a, 8);
	root(&b, 1, s, 16);
	root(&b, 2, &p, 8);
	capture_string(&b, 0x2000, "bob");
	pt[0] = 9;
	put_string(pt, 8, 0x4000, 2);
	capture(&b, type_table__find(tt, &t_pt), 0x3000, pt, 24, 24);
	capture_string(&b, 0x4000, "hi");
	decode(&b, &de);
	check_int(&de.args[0].value, 42);
	check_string(&de.args[1].value, "bob", false);
	v = &de.args[2].value;
	assert_int_equal(v->kind, VAL_POINTER);
	assert_int_equal(v->u, 0x3000);
	check_int(child(child(v, 0), 0), 9);
	check_string(child(child(v, 0), 1), "hi", false);
	assert_false(v->truncated);
	decoded_event__clear(&de);
}

/* A linked list 0x1000 -> 0x2000 -> 0x3000: one capture per pointee.
 * TYPE: captures at ADDRS[i] of Nodes with V = i + 1, each pointing to the
 * next (the last to NEXT_OF_LAST). */
static void add_nodes(struct event_builder *b, const uint64_t *addrs, int n, uint64_t next_of_last)
{
	uint32_t id = type_table__find(tt, &t_node);
	uint8_t node[16];
	int i;

	assert_int_not_equal(id, 0);
	for (i = 0; i < n; i++) {
		put64(node, 0, i + 1);
		put64(node, 8, i + 1 < n ? addrs[i + 1] : next_of_last);
		capture(b, id, addrs[i], node, 16, 16);
	}
}

/* Follows N pointers from V, checking each pointee's V; returns the last
 * Next. */
static const struct value *walk(const struct value *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(v->kind, VAL_POINTER);
		assert_int_equal(child(v, 0)->kind, VAL_STRUCT);
		check_int(child(child(v, 0), 0), i + 1);
		v = child(child(v, 0), 1);
	}
	return v;
}

static void test_pointer_chain(void **state)
{
	struct go_param ps[] = {{"n", &t_pnode, false}};
	const uint64_t addrs[] = {0x1000, 0x2000, 0x3000};
	struct event_builder b;
	struct decoded_event de;
	uint64_t n = 0x1000;
	const struct value *last;

	make_plan(ps, 1, &(struct plan_cfg){0});
	start(&b);
	root(&b, 0, &n, 8);
	/* another type's capture at the same address: not a Node */
	capture(&b, GT_TYPE_BYTES, 0x2000, "xxxxxxxxxxxxxxxx", 16, 16);
	add_nodes(&b, addrs, 3, 0);
	decode(&b, &de);
	last = walk(&de.args[0].value, 3);
	assert_int_equal(last->kind, VAL_NIL);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
}

/* --max-depth 2: the third pointer is not followed, and says why. */
static void test_max_depth(void **state)
{
	struct go_param ps[] = {{"n", &t_pnode, false}};
	const uint64_t addrs[] = {0x1000, 0x2000};
	struct event_builder b;
	struct decoded_event de;
	uint64_t n = 0x1000;
	const struct value *last;

	make_plan(ps, 1, &(struct plan_cfg){.max_depth = 2});
	start(&b);
	root(&b, 0, &n, 8);
	add_nodes(&b, addrs, 2, 0x3000);
	decode(&b, &de);
	last = walk(&de.args[0].value, 2);
	assert_int_equal(last->kind, VAL_POINTER_UNFOLLOWED);
	assert_int_equal(last->u, 0x3000);
	check_reason(last, REASON_DEPTH);
	assert_true(last->truncated);
	assert_true(de.args[0].value.truncated);
	decoded_event__clear(&de);
}

/* The budget ran out (GT_EVF_BUDGET): a pointee missing for it, and a
 * string whose capture record says so, both name the budget. */
static void test_budget(void **state)
{
	struct go_param ps[] = {{"n", &t_pnode, false}, {"s", &t_string, false}};
	const uint64_t addrs[] = {0x1000};
	struct event_builder b;
	struct decoded_event de;
	uint64_t n = 0x1000;
	uint8_t s[16];
	const struct value *last;

	make_plan(ps, 2, &(struct plan_cfg){0});
	start(&b);
	b.ev.flags = GT_EVF_BUDGET;
	put_string(s, 0, 0x5000, 10);
	root(&b, 0, &n, 8);
	root(&b, 1, s, 16);
	add_nodes(&b, addrs, 1, 0x2000);
	add(&b, GT_REC_CAPTURE, GT_REC_BUDGET, GT_TYPE_BYTES, 0x5000, NULL, 0, 10);
	decode(&b, &de);
	last = walk(&de.args[0].value, 1);
	assert_int_equal(last->kind, VAL_POINTER_UNFOLLOWED);
	check_reason(last, REASON_BUDGET_GONE);
	assert_true(last->truncated);
	assert_int_equal(de.args[1].value.kind, VAL_UNAVAILABLE);
	check_reason(&de.args[1].value, REASON_BUDGET);
	assert_true(de.args[1].value.truncated);
	decoded_event__clear(&de);
}

/* Strings cut: by the budget (5 of 11 bytes) and by --max-string. */
static void test_string_cut(void **state)
{
	struct go_param ps[] = {{"a", &t_string, false}, {"b", &t_string, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t s[16];
	char long_bytes[64];

	make_plan(ps, 2, &(struct plan_cfg){0});
	start(&b);
	b.ev.flags = GT_EVF_BUDGET;
	put_string(s, 0, 0x1000, 11);
	root(&b, 0, s, 16);
	put_string(s, 0, 0x2000, 100);
	root(&b, 1, s, 16);
	capture(&b, GT_TYPE_BYTES, 0x1000, "hello", 5, 11);
	memset(long_bytes, 'z', sizeof(long_bytes));
	capture(&b, GT_TYPE_BYTES, 0x2000, long_bytes, 64, 100);
	decode(&b, &de);
	check_string(&de.args[0].value, "hello", true);
	assert_int_equal(de.args[1].value.kind, VAL_STRING);
	assert_int_equal(de.args[1].value.len, 64);
	assert_true(de.args[1].value.truncated);
	decoded_event__clear(&de);
}

/* a -> 0x1000 -> 0x2000 -> back to 0x1000: a cycle, shown once. b points
 * into the same list at 0x2000: shared, not a cycle, until it loops. */
static void test_cycle(void **state)
{
	struct go_param ps[] = {{"a", &t_pnode, false}, {"b", &t_pnode, false}};
	const uint64_t addrs[] = {0x1000, 0x2000};
	struct event_builder b;
	struct decoded_event de;
	uint64_t a = 0x1000, bp = 0x2000;
	const struct value *last, *v;

	make_plan(ps, 2, &(struct plan_cfg){0});
	start(&b);
	root(&b, 0, &a, 8);
	root(&b, 1, &bp, 8);
	add_nodes(&b, addrs, 2, 0x1000);
	decode(&b, &de);
	last = walk(&de.args[0].value, 2);
	assert_int_equal(last->kind, VAL_POINTER_UNFOLLOWED);
	check_reason(last, REASON_CYCLE);
	assert_int_equal(last->u, 0x1000);
	/* b: 0x2000 (V 2) -> 0x1000 (V 1) -> 0x2000, the cycle */
	v = &de.args[1].value;
	assert_int_equal(v->kind, VAL_POINTER);
	check_int(child(child(v, 0), 0), 2);
	v = child(child(v, 0), 1);
	assert_int_equal(v->kind, VAL_POINTER);
	check_int(child(child(v, 0), 0), 1);
	v = child(child(v, 0), 1);
	assert_int_equal(v->kind, VAL_POINTER_UNFOLLOWED);
	check_reason(v, REASON_CYCLE);
	assert_int_equal(v->u, 0x2000);
	decoded_event__clear(&de);
}

/* A chain deeper than the decoder's path of ancestors (64): decoded whole,
 * and the path is left as it was found, so that the next argument's cycle
 * is still seen. */
static void test_deep_chain(void **state)
{
	struct go_param ps[] = {{"a", &t_pnode, false}, {"b", &t_pnode, false}};
	const uint64_t cyc[] = {0x1000, 0x2000, 0x3000};
	uint64_t deep[70], a = 0x100000, bp = 0x1000;
	struct event_builder b;
	struct decoded_event de;
	const struct value *last;
	int i;

	for (i = 0; i < 70; i++)
		deep[i] = 0x100000 + 0x100 * i;
	make_plan(ps, 2, &(struct plan_cfg){.max_depth = 100});
	start(&b);
	root(&b, 0, &a, 8);
	root(&b, 1, &bp, 8);
	add_nodes(&b, deep, 70, 0);
	add_nodes(&b, cyc, 3, 0x1000);
	decode(&b, &de);
	last = walk(&de.args[0].value, 70);
	assert_int_equal(last->kind, VAL_NIL);
	last = walk(&de.args[1].value, 3);
	assert_int_equal(last->kind, VAL_POINTER_UNFOLLOWED);
	check_reason(last, REASON_CYCLE);
	assert_int_equal(last->u, 0x1000);
	decoded_event__clear(&de);
}

/* ---- interfaces ---- */

/*
 * e any = &Pt{...}: a pointer-shaped dynamic type, decoded from the data
 * word itself. err error = MyErr{...}: through the itab's capture to its
 * type, then the value behind the data word. r any = Two{...}, whose type
 * has no program: the raw bytes behind the data word. u any of a type that
 * DWARF does not know.
 */
static void test_interfaces(void **state)
{
	struct go_param ps[] = {{"e", &t_any, false},
				{"err", &t_error, false},
				{"r", &t_any, false},
				{"u", &t_any, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t pt[24] = {0}, me[24] = {0}, raw[GT_RAW_BYTES] = {0}, w[16];
	uint64_t itab[2] = {0x1111, 0xdef000};
	const struct value *v;

	make_plan(ps, 4, &(struct plan_cfg){0});
	assert_true(type_table__reaches_interfaces(tt));
	dyn_id(&t_ppt);
	dyn_id(&t_myerr);
	start(&b);
	put64(w, 0, 0xabc000);
	put64(w, 8, 0x1000);
	root(&b, 0, w, 16);
	put64(w, 0, 0x9000);
	put64(w, 8, 0xa000);
	root(&b, 1, w, 16);
	put64(w, 0, 0xccc000);
	put64(w, 8, 0xd000);
	root(&b, 2, w, 16);
	put64(w, 0, 0xeee000);
	put64(w, 8, 0xe000);
	root(&b, 3, w, 16);

	pt[0] = 5;
	put_string(pt, 8, 0x2000, 3);
	capture(&b, type_table__find(tt, &t_pt), 0x1000, pt, 24, 24);
	capture_string(&b, 0x2000, "dot");
	capture(&b, GT_TYPE_ITAB, 0x9000, itab, 16, 16);
	put64(me, 0, 7);
	put_string(me, 8, 0xb000, 4);
	capture(&b, type_table__find(tt, &t_myerr), 0xa000, me, 24, 24);
	capture_string(&b, 0xb000, "boom");
	put64(raw, 0, 11);
	put64(raw, 8, 22);
	capture(&b, GT_TYPE_RAW, 0xd000, raw, sizeof(raw), GT_RAW_BYTES);
	decode(&b, &de);

	v = &de.args[0].value;
	assert_int_equal(v->kind, VAL_INTERFACE);
	assert_int_equal(v->u, 0xabc000);
	assert_ptr_equal(v->dynamic, &t_ppt);
	v = child(v, 0);
	assert_int_equal(v->kind, VAL_POINTER);
	assert_int_equal(v->u, 0x1000);
	check_int(child(child(v, 0), 0), 5);
	check_string(child(child(v, 0), 1), "dot", false);

	v = &de.args[1].value;
	assert_int_equal(v->kind, VAL_INTERFACE);
	assert_int_equal(v->u, 0xdef000);
	assert_ptr_equal(v->dynamic, &t_myerr);
	v = child(v, 0);
	assert_int_equal(v->kind, VAL_STRUCT);
	check_int(child(v, 0), 7);
	check_string(child(v, 1), "boom", false);
	assert_false(de.args[1].value.truncated);

	v = &de.args[2].value;
	assert_int_equal(v->kind, VAL_INTERFACE);
	assert_ptr_equal(v->dynamic, &t_two);
	v = child(v, 0);
	assert_int_equal(v->kind, VAL_STRUCT);
	check_int(child(v, 0), 11);
	check_int(child(v, 1), 22);

	v = &de.args[3].value;
	assert_int_equal(v->kind, VAL_INTERFACE);
	assert_int_equal(v->u, 0xeee000);
	assert_null(v->dynamic);
	assert_int_equal(child(v, 0)->kind, VAL_UNAVAILABLE);
	check_reason(child(v, 0), REASON_NO_DYNAMIC);
	decoded_event__clear(&de);
}

/* A non-empty interface whose itab was not captured (past --max-depth
 * here, as the BPF side does not read it there): unavailable, saying so. */
static void test_interface_max_depth(void **state)
{
	static struct go_field f[] = {{.name = "Err", .offset = 0, .type = &t_error}};
	static struct go_type t_holder = {.kind = GO_STRUCT,
					  .name = "main.H",
					  .size = 16,
					  .align = 8,
					  .fields = f,
					  .n_fields = 1};
	static struct go_type t_pholder = {
	    .kind = GO_POINTER, .name = "*main.H", .size = 8, .align = 8, .elem = &t_holder};
	struct go_param ps[] = {{"h", &t_pholder, false}};
	struct event_builder b;
	struct decoded_event de;
	uint64_t h = 0x1000, iface[2] = {0x9000, 0xa000};
	const struct value *v;

	make_plan(ps, 1, &(struct plan_cfg){.max_depth = 1});
	start(&b);
	root(&b, 0, &h, 8);
	capture(&b, type_table__find(tt, &t_holder), 0x1000, iface, 16, 16);
	decode(&b, &de);
	v = child(child(&de.args[0].value, 0), 0);
	assert_int_equal(v->kind, VAL_UNAVAILABLE);
	check_reason(v, REASON_DEPTH);
	assert_true(v->truncated);
	decoded_event__clear(&de);
}

/* ---- slices, channels, funcs ---- */

static void test_slice_chan_func(void **state)
{
	struct go_param ps[] = {
	    {"xs", &t_strings, false}, {"c", &t_chan, false}, {"fn", &t_func, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t sl[24], elems[48];
	uint64_t c = 0x6000, fn = 0x7000, hchan[2] = {3, 10}, pc = 0x401000;
	const struct value *v;

	make_plan(ps, 3, &(struct plan_cfg){.max_elems = 2});
	start(&b);
	put64(sl, 0, 0x5000);
	put64(sl, 8, 3);
	put64(sl, 16, 4);
	root(&b, 0, sl, 24);
	root(&b, 1, &c, 8);
	root(&b, 2, &fn, 8);
	/* max_elems 2 of 3 elements */
	put_string(elems, 0, 0x5100, 2);
	put_string(elems, 16, 0x5200, 3);
	capture(&b, type_table__find(tt, &t_string), 0x5000, elems, 32, 48);
	capture_string(&b, 0x5100, "go");
	capture_string(&b, 0x5200, "bpf");
	capture(&b, GT_TYPE_HCHAN, 0x6000, hchan, 16, 16);
	capture(&b, GT_TYPE_FUNCVAL, 0x7000, &pc, 8, 8);
	decode(&b, &de);
	v = &de.args[0].value;
	assert_int_equal(v->kind, VAL_ARRAY);
	assert_int_equal(v->n_children, 2);
	check_string(child(v, 0), "go", false);
	check_string(child(v, 1), "bpf", false);
	assert_true(v->truncated);
	v = &de.args[1].value;
	assert_int_equal(v->kind, VAL_CHAN);
	assert_int_equal(v->u, 3);
	assert_int_equal(v->len, 10);
	v = &de.args[2].value;
	assert_int_equal(v->kind, VAL_FUNC);
	assert_int_equal(v->u, 0x401000);
	assert_string_equal(v->bytes, "main.g");
	decoded_event__clear(&de);
}

/* ---- X registers ---- */

/* f(p Pair, x float64): p.F's X register never came (a hole in p's image,
 * with the float reason), x's did. Then with no X record at all. */
static void test_float_hole(void **state)
{
	struct go_param ps[] = {{"p", &t_pair, false}, {"x", &t_f64, false}};
	struct event_builder b;
	struct decoded_event de;
	uint8_t img[16] = {0}, zero[8] = {0};
	double x = 2.5;
	const struct value *v;

	make_plan(ps, 2, &(struct plan_cfg){0});
	/* p's REGS, X0 for p.F, X1 for x */
	assert_int_equal(plan->bpf.n_ops, 3);
	assert_int_equal(plan->bpf.ops[1].kind, GT_OP_XMM);
	assert_int_equal(plan->bpf.ops[2].kind, GT_OP_XMM);
	start(&b);
	put64(img, 0, 7);
	root(&b, 0, img, 16);
	add(&b, 1, GT_REC_PENDING, 0, 0, zero, 8, 8);
	add(&b, 2, GT_REC_OK, 0, 0, &x, 8, 8);
	decode(&b, &de);
	v = &de.args[0].value;
	assert_int_equal(v->kind, VAL_STRUCT);
	check_int(child(v, 0), 7);
	assert_int_equal(child(v, 1)->kind, VAL_UNAVAILABLE);
	check_reason(child(v, 1), REASON_XMM_PENDING);
	assert_int_equal(de.args[1].value.kind, VAL_FLOAT);
	assert_true(de.args[1].value.f[0] == 2.5);
	decoded_event__clear(&de);

	start(&b);
	root(&b, 0, img, 16);
	decode(&b, &de);
	check_int(child(&de.args[0].value, 0), 7);
	assert_int_equal(child(&de.args[0].value, 1)->kind, VAL_UNAVAILABLE);
	check_reason(child(&de.args[0].value, 1), REASON_XMM_UNSAVED);
	assert_int_equal(de.args[1].value.kind, VAL_UNAVAILABLE);
	check_reason(&de.args[1].value, REASON_XMM_UNSAVED);
	decoded_event__clear(&de);
}

/* ---- malformed and short events ---- */

static void build_small(struct event_builder *b)
{
	uint8_t s[16];
	uint64_t x = 0xfffe;

	start(b);
	put_string(s, 0, 0x1000, 3);
	root(b, 0, &x, 2);
	root(b, 1, s, 16);
	capture_string(b, 0x1000, "abc");
}

static void test_malformed(void **state)
{
	struct go_param ps[] = {{"x", &t_int16, false}, {"s", &t_string, false}};
	struct event_builder b;
	struct decoded_event de;
	struct gt_rec *first = (struct gt_rec *)b.data;

	make_plan(ps, 2, &(struct plan_cfg){0});
	build_small(&b);
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), 0);
	check_int(&de.args[0].value, -2);
	check_string(&de.args[1].value, "abc", false);
	decoded_event__clear(&de);

	b.ev.data_len = 20; /* shorter than one record */
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), -EINVAL);

	build_small(&b);
	first->len = 4000; /* past the end */
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), -EINVAL);

	build_small(&b);
	first->op = 40; /* no such op in this plan */
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), -EINVAL);
}

/* Records missing altogether (a short event) give unavailable values. */
static void test_missing_records(void **state)
{
	struct go_param ps[] = {{"x", &t_int16, false}, {"s", &t_string, false}};
	struct event_builder b;
	struct decoded_event de;

	make_plan(ps, 2, &(struct plan_cfg){0});
	build_small(&b);
	b.ev.n_recs = 1;
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), 0);
	check_int(&de.args[0].value, -2);
	assert_int_equal(de.args[1].value.kind, VAL_UNAVAILABLE);
	decoded_event__clear(&de);

	/* the string's header, but not its bytes */
	build_small(&b);
	b.ev.n_recs = 2;
	assert_int_equal(decode_event(plan, &b.ev, b.data, &dopts, &de), 0);
	assert_int_equal(de.args[1].value.kind, VAL_UNAVAILABLE);
	check_reason(&de.args[1].value, REASON_NOT_CAPTURED);
	decoded_event__clear(&de);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_register_struct), T(test_stack_args),
	    T(test_pointer_chain),   T(test_max_depth),
	    T(test_budget),	     T(test_string_cut),
	    T(test_cycle),	     T(test_deep_chain),
	    T(test_interfaces),	     T(test_interface_max_depth),
	    T(test_slice_chan_func), T(test_float_hole),
	    T(test_malformed),	     T(test_missing_records),
	};
#undef T

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
