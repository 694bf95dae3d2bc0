// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The decoder on hand-built events: values, nil, faults, truncation, and
 * malformed records that must be rejected, never read past.
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

static struct go_type t_int16 = {.kind = GO_INT16, .name = "int16", .size = 2, .align = 2};
static struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
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
static struct go_param params[] = {
    {"x", &t_int16, false},
    {"s", &t_string, false},
    {"p", &t_ppt, false},
};
static struct go_func func = {.name = "main.f", .params = params, .n_params = 3};

struct event_builder {
	union {
		struct gt_event ev;
		uint8_t raw[4096];
	};
	uint8_t *data;
	size_t len;
};

static void add_rec(struct event_builder *b, int op, int status, const void *data, size_t len,
		    uint64_t want)
{
	struct gt_rec *rec = (struct gt_rec *)(b->data + b->len);

	memset(rec, 0, sizeof(*rec));
	rec->op = op;
	rec->status = status;
	rec->len = len;
	rec->want = want;
	memcpy(rec + 1, data, len);
	b->len += sizeof(*rec) + ((len + 7) & ~7u);
	b->ev.n_recs++;
	b->ev.data_len = b->len;
}

static struct func_plan *make_plan(void)
{
	struct plan_opts opts = {.max_string = 8, .max_depth = 4, .max_elems = 16};
	struct func_plan *plan;
	char err[128];

	assert_int_equal(plan_func(&func, &opts, &plan, err, sizeof(err)), 0);
	/* x:RAX, s:RBX+RCX, p:RDI; then s bytes, *p, p.Name bytes */
	assert_int_equal(plan->bpf.n_ops, 7);
	return plan;
}

static void build(struct event_builder *b, int pointee_status, uint64_t name_len)
{
	uint64_t x = (uint64_t)-2 & 0xffffffffffff0000ull, ptr = 0x1000, len = 11, p = 0x2000;
	uint8_t pt[24] = {0};

	memset(b, 0, sizeof(*b));
	b->data = (uint8_t *)(&b->ev + 1);
	x |= 0xfffe; /* int16 -2 in the low bytes, junk above */
	pt[0] = 7;
	memcpy(pt + 8, &ptr, 8);
	memcpy(pt + 16, &name_len, 8);
	add_rec(b, 0, GT_REC_OK, &x, 8, 8);
	add_rec(b, 1, GT_REC_OK, &ptr, 8, 8);
	add_rec(b, 2, GT_REC_OK, &len, 8, 8);
	add_rec(b, 3, GT_REC_OK, &p, 8, 8);
	add_rec(b, 4, GT_REC_OK, "hello wo", 8, 11);
	add_rec(b, 5, pointee_status, pt, pointee_status == GT_REC_OK ? 24 : 0, 24);
	add_rec(b, 6, pointee_status == GT_REC_OK ? GT_REC_OK : GT_REC_SKIPPED, "bob", 3, 3);
}

static void test_values(void **state)
{
	struct func_plan *plan = make_plan();
	struct event_builder b;
	struct decoded_event de;
	const struct value *pt;

	build(&b, GT_REC_OK, 3);
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), 0);
	assert_int_equal(de.n_args, 3);
	assert_int_equal(de.args[0].value.kind, VAL_INT);
	assert_int_equal(de.args[0].value.i, -2);
	assert_int_equal(de.args[1].value.kind, VAL_STRING);
	assert_memory_equal(de.args[1].value.bytes, "hello wo", 8);
	assert_true(de.args[1].value.truncated);
	assert_int_equal(de.args[2].value.kind, VAL_POINTER);
	pt = &de.args[2].value.children[0];
	assert_int_equal(pt->kind, VAL_STRUCT);
	assert_int_equal(pt->children[0].i, 7);
	assert_string_equal(pt->children[1].bytes, "bob");
	assert_false(de.args[2].value.truncated);
	decoded_event__clear(&de);
	func_plan__free(plan);
}

static void test_fault(void **state)
{
	struct func_plan *plan = make_plan();
	struct event_builder b;
	struct decoded_event de;

	build(&b, GT_REC_FAULT, 3);
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), 0);
	assert_int_equal(de.args[2].value.kind, VAL_POINTER);
	assert_int_equal(de.args[2].value.children[0].kind, VAL_STRUCT);
	assert_int_equal(de.args[2].value.children[0].children[0].kind, VAL_UNAVAILABLE);
	decoded_event__clear(&de);
	func_plan__free(plan);
}

static void test_malformed(void **state)
{
	struct func_plan *plan = make_plan();
	struct event_builder b;
	struct decoded_event de;
	struct gt_rec *first;

	build(&b, GT_REC_OK, 3);
	b.ev.data_len = 20; /* shorter than one record */
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), -EINVAL);

	build(&b, GT_REC_OK, 3);
	first = (struct gt_rec *)b.data;
	first->len = 4000; /* past the end */
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), -EINVAL);

	build(&b, GT_REC_OK, 3);
	first->op = 40; /* no such op in this plan */
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), -EINVAL);
	func_plan__free(plan);
}

/* Records missing altogether (a short event) give unavailable values. */
static void test_missing_records(void **state)
{
	struct func_plan *plan = make_plan();
	struct event_builder b;
	struct decoded_event de;

	build(&b, GT_REC_OK, 3);
	b.ev.n_recs = 1;
	assert_int_equal(decode_event(plan, &b.ev, b.data, NULL, &de), 0);
	assert_int_equal(de.args[0].value.kind, VAL_INT);
	assert_int_equal(de.args[1].value.kind, VAL_UNAVAILABLE);
	assert_int_equal(de.args[2].value.kind, VAL_UNAVAILABLE);
	decoded_event__clear(&de);
	func_plan__free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_fault),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_missing_records),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
