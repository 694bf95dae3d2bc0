/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decoder's unit tests' way to make a plan and to write events as the
 * BPF program writes them (bpf/gotrace.h): root records, in op order, then
 * capture records, each 8-byte aligned. One plan and type table per test.
 */
#ifndef GOTRACE_TESTS_DECODE_EVENTS_H
#define GOTRACE_TESTS_DECODE_EVENTS_H

#include "decode/decode.h"
#include "plan/types.h"

#include "tests/unit/gotypes.h"

/* ---- the plan of each test ---- */

static struct type_table *tt;
static struct func_plan *plan;
static struct go_func func;

static inline int teardown(void **state)
{
	func_plan__free(plan);
	type_table__free(tt);
	plan = NULL;
	tt = NULL;
	return 0;
}

struct plan_cfg {
	int max_depth; /* 0: 4 */
	bool stack_abi;
	bool swiss;
	uint32_t max_elems; /* 0: 16 */
};

static inline void make_plan(struct go_param *ps, int n, const struct plan_cfg *cfg)
{
	struct type_opts to = {.max_string = 64,
			       .max_elems = cfg->max_elems ? cfg->max_elems : 16,
			       .swiss_maps = cfg->swiss};
	struct plan_opts po = {.max_depth = cfg->max_depth ? cfg->max_depth : 4,
			       .stack_abi = cfg->stack_abi};
	char err[256] = "";

	tt = type_table__new(&to);
	assert_non_null(tt);
	po.types = tt;
	func = (struct go_func){.name = "main.f", .params = ps, .n_params = n, .has_dwarf = true};
	if (plan_func(&func, &po, &plan, err, sizeof(err)))
		fail_msg("plan_func: %s", err);
}

/* The id of T, registered as cmd/ registers every runtime type when some
 * argument reaches an interface. */
static inline uint32_t dyn_id(const struct go_type *t)
{
	uint32_t id = type_table__id(tt, t);

	assert_int_not_equal(id, 0);
	return id;
}

/* ---- events as the BPF side writes them ---- */

struct event_builder {
	struct gt_event ev;
	uint64_t data[4096]; /* records, 8-byte aligned */
	size_t len;
};

static inline void add(struct event_builder *b, uint8_t op, uint8_t status, uint32_t type,
		       uint64_t addr, const void *data, size_t len, uint64_t want)
{
	uint8_t *at = (uint8_t *)b->data + b->len;
	struct gt_rec *rec = (struct gt_rec *)at;

	assert_true(b->len + sizeof(*rec) + len + 8 <= sizeof(b->data));
	memset(rec, 0, sizeof(*rec));
	rec->op = op;
	rec->status = status;
	rec->len = len;
	rec->type = type;
	rec->want = want;
	rec->addr = addr;
	if (len)
		memcpy(rec + 1, data, len);
	b->len += sizeof(*rec) + ((len + 7) & ~(size_t)7);
	b->ev.n_recs++;
	b->ev.data_len = b->len;
}

static inline void start(struct event_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->ev.kind = GT_EV_CALL;
	b->ev.pid = 42;
}

/* Root op OP's record: the argument's image. */
static inline void root(struct event_builder *b, int op, const void *data, size_t len)
{
	assert_true(op < (int)plan->bpf.n_ops);
	assert_int_equal(plan->bpf.ops[op].size, len);
	add(b, op, GT_REC_OK, 0, 0, data, len, len);
}

static inline void capture(struct event_builder *b, uint32_t type, uint64_t addr, const void *data,
			   size_t len, uint64_t want)
{
	add(b, GT_REC_CAPTURE, GT_REC_OK, type, addr, data, len, want);
}

static inline void capture_string(struct event_builder *b, uint64_t addr, const char *s)
{
	capture(b, GT_TYPE_BYTES, addr, s, strlen(s), strlen(s));
}

static inline void put64(void *buf, size_t off, uint64_t v)
{
	memcpy((uint8_t *)buf + off, &v, 8);
}

static inline void put_string(void *buf, size_t off, uint64_t addr, uint64_t len)
{
	put64(buf, off, addr);
	put64(buf, off + 8, len);
}

static inline void decode_with(struct event_builder *b, struct decoded_event *de,
			       const struct decode_opts *opts)
{
	assert_int_equal(decode_event(plan, &b->ev, b->data, opts, de), 0);
	assert_int_equal(de->n_args, plan->n_args);
}

/* ---- checks ---- */

static inline const struct value *child(const struct value *v, int i)
{
	assert_true(i < v->n_children);
	return &v->children[i];
}

static inline void check_int(const struct value *v, int64_t want)
{
	assert_int_equal(v->kind, VAL_INT);
	assert_int_equal(v->i, want);
}

static inline void check_string(const struct value *v, const char *want, bool truncated)
{
	assert_int_equal(v->kind, VAL_STRING);
	assert_int_equal(v->len, strlen(want));
	assert_memory_equal(v->bytes, want, strlen(want));
	assert_int_equal(v->truncated, truncated);
}

/* The decoder says why as an enum: the words are output/'s. */
static inline void check_reason(const struct value *v, enum value_reason want)
{
	assert_int_equal(v->reason, want);
}

#endif /* GOTRACE_TESTS_DECODE_EVENTS_H */
