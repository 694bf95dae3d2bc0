// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Type programs (plan/types.c) against hand-built Go types: what each op of
 * a type's program reads, at which offset, for which type id, as the BPF
 * side will run it (bpf/gotrace.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan/plan.h"
#include "plan/types.h"

#define MAX_STRING 64
#define MAX_ELEMS 16

#include "tests/unit/gotypes.h"
static struct go_type t_ints = {
    .kind = GO_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int};
static struct go_field inner_fields[] = {
    {.name = "I", .offset = 0, .type = &t_int},
    {.name = "T", .offset = 8, .type = &t_string},
};
static struct go_type t_inner = {.kind = GO_STRUCT,
				 .name = "main.Inner",
				 .size = 24,
				 .align = 8,
				 .fields = inner_fields,
				 .n_fields = 2};
/* type S struct { A int; Name string; P *Pair; Xs []int; E error; In Inner;
 * Any any } */
static struct go_field s_fields[] = {
    {.name = "A", .offset = 0, .type = &t_int},	   {.name = "Name", .offset = 8, .type = &t_string},
    {.name = "P", .offset = 24, .type = &t_ppair}, {.name = "Xs", .offset = 32, .type = &t_ints},
    {.name = "E", .offset = 56, .type = &t_error}, {.name = "In", .offset = 72, .type = &t_inner},
    {.name = "Any", .offset = 96, .type = &t_any},
};
static struct go_type t_s = {.kind = GO_STRUCT,
			     .name = "main.S",
			     .size = 112,
			     .align = 8,
			     .fields = s_fields,
			     .n_fields = 7};
static struct go_type t_ps = {
    .kind = GO_POINTER, .name = "*main.S", .size = 8, .align = 8, .elem = &t_s};
/* type Node struct { Next *Node; Name string } */
static struct go_type t_node;
static struct go_type t_pnode = {
    .kind = GO_POINTER, .name = "*main.Node", .size = 8, .align = 8, .elem = &t_node};
static struct go_field node_fields[] = {
    {.name = "Next", .offset = 0, .type = &t_pnode},
    {.name = "Name", .offset = 8, .type = &t_string},
};
static struct go_type t_node = {.kind = GO_STRUCT,
				.name = "main.Node",
				.size = 24,
				.align = 8,
				.fields = node_fields,
				.n_fields = 2};
static struct go_type t_strings6 = {
    .kind = GO_ARRAY, .name = "[6]string", .size = 96, .align = 8, .elem = &t_string, .len = 6};
static struct go_type t_strings3 = {
    .kind = GO_ARRAY, .name = "[3]string", .size = 48, .align = 8, .elem = &t_string, .len = 3};
static struct go_type t_ints6 = {
    .kind = GO_ARRAY, .name = "[6]int", .size = 48, .align = 8, .elem = &t_int, .len = 6};
static struct go_type t_strings20 = {
    .kind = GO_ARRAY, .name = "[20]string", .size = 320, .align = 8, .elem = &t_string, .len = 20};
static struct go_type t_map_ss = {.kind = GO_MAP,
				  .name = "map[string]string",
				  .size = 8,
				  .align = 8,
				  .key = &t_string,
				  .elem = &t_string};
/* values of 320 bytes are stored in the buckets as pointers */
static struct go_type t_map_big = {.kind = GO_MAP,
				   .name = "map[int][20]string",
				   .size = 8,
				   .align = 8,
				   .key = &t_int,
				   .elem = &t_strings20};
static struct go_type t_chan = {
    .kind = GO_CHAN, .name = "chan int", .size = 8, .align = 8, .elem = &t_int};
static struct go_type t_func = {.kind = GO_FUNC, .name = "func()", .size = 8, .align = 8};

static struct type_table *tt;

static int setup_with(bool swiss)
{
	struct type_opts o = {
	    .max_string = MAX_STRING, .max_elems = MAX_ELEMS, .swiss_maps = swiss};

	tt = type_table__new(&o);
	return tt ? 0 : -1;
}

static int setup(void **state)
{
	return setup_with(false);
}

static int setup_swiss(void **state)
{
	return setup_with(true);
}

static int teardown(void **state)
{
	type_table__free(tt);
	tt = NULL;
	return 0;
}

static const struct gt_type *prog_of(uint32_t id)
{
	const struct gt_type *p;

	assert_true(id >= GT_TYPE_FIRST);
	assert_true(id < type_table__count(tt));
	p = type_table__program(tt, id);
	assert_non_null(p);
	assert_true(p->n_ops <= GT_TYPE_OPS);
	return p;
}

static const struct gt_type *registered(const struct go_type *t)
{
	uint32_t id = type_table__id(tt, t);

	assert_int_not_equal(id, 0);
	assert_int_equal(type_table__find(tt, t), id);
	return prog_of(id);
}

/*
 * The ops a value of type ID runs, its continuations followed as the BPF
 * side does (a last GT_T_INLINE at 0, once, into the next program), into
 * OUT; returns how many, and how many programs they took in *N_PROGS.
 */
static int run_ops(uint32_t id, struct gt_top *out, int max, int *n_progs)
{
	int n = 0, k;

	*n_progs = 0;
	for (;;) {
		const struct gt_type *p = prog_of(id);

		(*n_progs)++;
		for (k = 0; k < p->n_ops; k++) {
			const struct gt_top *op = &p->ops[k];

			if (k == GT_TYPE_OPS - 1 && op->kind == GT_T_INLINE && op->off == 0 &&
			    op->count == 1 && !op->cond) {
				assert_int_equal(prog_of(op->type)->size, p->size);
				id = op->type;
				break;
			}
			assert_true(n < max);
			out[n++] = *op;
		}
		if (k == p->n_ops)
			return n;
	}
}

/* A struct's program: strings, pointers, slices, interfaces, and a nested
 * struct's string at its offset in the outer one; nothing for the ints. */
static void test_struct_program(void **state)
{
	const struct gt_type *p;

	assert_false(type_table__reaches_interfaces(tt));
	p = registered(&t_s);
	assert_int_equal(p->size, 112);
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->n_ops, 6);

	assert_int_equal(p->ops[0].kind, GT_T_STRING);
	assert_int_equal(p->ops[0].off, 8);
	assert_int_equal(p->ops[0].max_count, MAX_STRING);
	assert_int_equal(p->ops[0].cond, GT_COND_ALWAYS);

	assert_int_equal(p->ops[1].kind, GT_T_PTR);
	assert_int_equal(p->ops[1].off, 24);
	assert_int_equal(p->ops[1].type, type_table__find(tt, &t_pair));
	assert_int_equal(p->ops[1].size, 16);
	assert_int_equal(p->ops[1].scan, 0); /* a Pair leads nowhere */
	assert_int_equal(prog_of(p->ops[1].type)->n_ops, 0);
	assert_int_equal(prog_of(p->ops[1].type)->size, 16);

	assert_int_equal(p->ops[2].kind, GT_T_SLICE);
	assert_int_equal(p->ops[2].off, 32);
	assert_int_equal(p->ops[2].type, type_table__find(tt, &t_int));
	assert_int_equal(p->ops[2].size, 8);
	assert_int_equal(p->ops[2].max_count, MAX_ELEMS);
	assert_int_equal(p->ops[2].scan, 0);

	assert_int_equal(p->ops[3].kind, GT_T_IFACE);
	assert_int_equal(p->ops[3].off, 56);

	/* In.T, flattened: 72 + 8 */
	assert_int_equal(p->ops[4].kind, GT_T_STRING);
	assert_int_equal(p->ops[4].off, 80);

	assert_int_equal(p->ops[5].kind, GT_T_EFACE);
	assert_int_equal(p->ops[5].off, 96);

	assert_true(type_table__reaches_interfaces(tt));
	assert_int_equal(type_table__max_elems(tt), MAX_ELEMS);

	/* a pointer to S: one hop, whose pointee is scanned */
	p = registered(&t_ps);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].type, type_table__find(tt, &t_s));
	assert_int_equal(p->ops[0].size, 112);
	assert_int_equal(p->ops[0].scan, 1);
}

/* Arrays up to 4 elements are flattened; longer ones are one GT_T_INLINE
 * of at most max_elems values; arrays of plain values have no ops. */
static void test_arrays(void **state)
{
	static struct go_field f[] = {
	    {.name = "N", .offset = 0, .type = &t_int},
	    {.name = "L", .offset = 8, .type = &t_strings6},
	};
	static struct go_type t_holder = {.kind = GO_STRUCT,
					  .name = "main.H",
					  .size = 104,
					  .align = 8,
					  .fields = f,
					  .n_fields = 2};
	const struct gt_type *p;
	int i;

	p = registered(&t_strings3);
	assert_int_equal(p->n_ops, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(p->ops[i].kind, GT_T_STRING);
		assert_int_equal(p->ops[i].off, 16 * i);
	}

	p = registered(&t_holder);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_INLINE);
	assert_int_equal(p->ops[0].off, 8);
	assert_int_equal(p->ops[0].type, type_table__find(tt, &t_string));
	assert_int_equal(p->ops[0].size, 16);
	assert_int_equal(p->ops[0].count, 6);
	/* each element runs string's program */
	assert_int_equal(prog_of(p->ops[0].type)->ops[0].kind, GT_T_STRING);
	assert_int_equal(prog_of(p->ops[0].type)->ops[0].off, 0);

	/* 20 elements, max_elems of them */
	p = registered(&t_strings20);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_INLINE);
	assert_int_equal(p->ops[0].count, MAX_ELEMS);

	p = registered(&t_ints6);
	assert_int_equal(p->n_ops, 0);
}

/* A struct of N strings. */
static struct go_type *strings_struct(int n)
{
	struct go_field *f = calloc(n, sizeof(*f));
	struct go_type *t = calloc(1, sizeof(*t));
	int i;

	assert_non_null(f);
	assert_non_null(t);
	for (i = 0; i < n; i++)
		f[i] = (struct go_field){.name = "S", .offset = 16 * i, .type = &t_string};
	*t = (struct go_type){.kind = GO_STRUCT,
			      .name = "main.Many",
			      .size = 16 * n,
			      .align = 8,
			      .fields = f,
			      .n_fields = n};
	return t;
}

static void free_struct(struct go_type *t)
{
	free(t->fields);
	free(t);
}

/* More than GT_TYPE_OPS ops: the program continues in another, run over
 * the same value; exactly GT_TYPE_OPS fit in one. */
static void test_continuation(void **state)
{
	struct go_type *t20 = strings_struct(20), *t16 = strings_struct(16),
		       *t40 = strings_struct(40);
	struct gt_top ops[64];
	const struct gt_type *p;
	uint32_t id;
	int n, progs, i;

	id = type_table__id(tt, t20);
	p = prog_of(id);
	assert_int_equal(p->n_ops, GT_TYPE_OPS);
	assert_int_equal(p->ops[GT_TYPE_OPS - 1].kind, GT_T_INLINE);
	assert_int_equal(p->ops[GT_TYPE_OPS - 1].off, 0);
	assert_int_equal(p->ops[GT_TYPE_OPS - 1].count, 1);
	assert_int_not_equal(p->ops[GT_TYPE_OPS - 1].type, id);
	assert_int_equal(prog_of(p->ops[GT_TYPE_OPS - 1].type)->n_ops, 20 - (GT_TYPE_OPS - 1));
	n = run_ops(id, ops, 64, &progs);
	assert_int_equal(progs, 2);
	assert_int_equal(n, 20);
	for (i = 0; i < n; i++) {
		assert_int_equal(ops[i].kind, GT_T_STRING);
		assert_int_equal(ops[i].off, 16 * i);
	}

	p = prog_of(type_table__id(tt, t16));
	assert_int_equal(p->n_ops, GT_TYPE_OPS);
	for (i = 0; i < GT_TYPE_OPS; i++)
		assert_int_equal(p->ops[i].kind, GT_T_STRING);

	/* 40 ops: 15, 15, 10 */
	n = run_ops(type_table__id(tt, t40), ops, 64, &progs);
	assert_int_equal(progs, 3);
	assert_int_equal(n, 40);
	for (i = 0; i < n; i++)
		assert_int_equal(ops[i].off, 16 * i);
	free_struct(t20);
	free_struct(t16);
	free_struct(t40);
}

/* type Node struct { Next *Node; Name string }: one id, whose pointer op
 * names itself; asking again registers nothing. */
static void test_recursive(void **state)
{
	const struct gt_type *p;
	uint32_t node, pnode, count;

	pnode = type_table__id(tt, &t_pnode);
	node = type_table__find(tt, &t_node);
	assert_int_not_equal(node, 0);
	assert_int_not_equal(node, pnode);
	p = prog_of(pnode);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].type, node);
	assert_int_equal(p->ops[0].scan, 1);
	p = prog_of(node);
	assert_int_equal(p->size, 24);
	assert_int_equal(p->n_ops, 2);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].off, 0);
	assert_int_equal(p->ops[0].type, node);
	assert_int_equal(p->ops[0].size, 24);
	assert_int_equal(p->ops[0].scan, 1);
	assert_int_equal(p->ops[1].kind, GT_T_STRING);
	assert_int_equal(p->ops[1].off, 8);
	count = type_table__count(tt);
	assert_int_equal(type_table__id(tt, &t_node), node);
	assert_int_equal(type_table__id(tt, &t_pnode), pnode);
	assert_int_equal(type_table__count(tt), count);
}

/* map[string]string as an hmap: the map value leads to its header, the
 * header to its buckets and old buckets, each bucket to its full slots'
 * strings (tophash >= 5) and to its overflow bucket. A bucket's 17 ops
 * take a continuation, whose ops keep their slot's condition. */
static void test_hmap(void **state)
{
	struct type_map_ids ids;
	struct gt_top ops[64];
	const struct gt_type *p;
	int n, progs, i;

	p = registered(&t_map_ss);
	assert_int_equal(p->flags, GT_TF_DIRECT);
	assert_true(type_map_ids(tt, &t_map_ss, &ids));
	assert_int_not_equal(ids.header, 0);
	assert_int_not_equal(ids.bucket, 0);
	assert_int_equal(ids.table, 0);
	assert_int_equal(ids.dir, 0);
	assert_false(ids.layout.swiss);
	assert_int_equal(ids.layout.bucket_size, 8 + 8 * 16 + 8 * 16 + 8);
	assert_int_equal(ids.layout.overflow_off, 264);

	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].off, 0);
	assert_int_equal(p->ops[0].type, ids.header);
	assert_int_equal(p->ops[0].size, GO_HMAP_SIZE);
	assert_int_equal(p->ops[0].scan, 1);

	p = prog_of(ids.header);
	assert_int_equal(p->size, GO_HMAP_SIZE);
	assert_int_equal(p->n_ops, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(p->ops[i].kind, GT_T_ARRAY);
		assert_int_equal(p->ops[i].type, ids.bucket);
		assert_int_equal(p->ops[i].size, 272);
		assert_int_equal(p->ops[i].count_off, GO_HMAP_B);
		/* entries, not buckets: the map's count says how many buckets */
		assert_int_equal(p->ops[i].max_count, MAX_ELEMS);
		assert_int_equal(p->ops[i].used_off, GO_MAP_COUNT);
		assert_int_equal(p->ops[i].used_size, 8);
		assert_int_equal(p->ops[i].scan, 1);
	}
	assert_int_equal(p->ops[0].off, GO_HMAP_BUCKETS);
	assert_int_equal(p->ops[0].count_kind, GT_COUNT_POW2);
	assert_int_equal(p->ops[1].off, GO_HMAP_OLDBUCKETS);
	assert_int_equal(p->ops[1].count_kind, GT_COUNT_OLD_POW2);

	assert_int_equal(prog_of(ids.bucket)->size, 272);
	n = run_ops(ids.bucket, ops, 64, &progs);
	assert_int_equal(progs, 2);
	assert_int_equal(n, 17);
	for (i = 0; i < 8; i++) {
		const struct gt_top *k = &ops[2 * i], *e = &ops[2 * i + 1];

		assert_int_equal(k->kind, GT_T_STRING);
		assert_int_equal(k->off, 8 + 16 * i);
		assert_int_equal(k->cond, GT_COND_TOPHASH);
		assert_int_equal(k->cond_off, i);
		assert_int_equal(e->kind, GT_T_STRING);
		assert_int_equal(e->off, 136 + 16 * i);
		assert_int_equal(e->cond, GT_COND_TOPHASH);
		assert_int_equal(e->cond_off, i);
	}
	/* the overflow bucket: one more bucket, whatever the slots hold */
	assert_int_equal(ops[16].kind, GT_T_ARRAY);
	assert_int_equal(ops[16].cond, GT_COND_ALWAYS);
	assert_int_equal(ops[16].off, 264);
	assert_int_equal(ops[16].count_kind, GT_COUNT_ONE);
	assert_int_equal(ops[16].type, ids.bucket);
	assert_int_equal(ops[16].size, 272);
	assert_int_equal(ops[16].max_count, 1);
	assert_int_equal(ops[16].scan, 1);
	/* the map's own id is not its header's: a pointer to it differs */
	assert_int_not_equal(type_table__find(tt, &t_map_ss), ids.header);
}

/* Values over 128 bytes sit in the buckets as pointers: a PTR per full slot. */
static void test_hmap_indirect_values(void **state)
{
	struct type_map_ids ids;
	const struct gt_type *p;
	int i;

	registered(&t_map_big);
	assert_true(type_map_ids(tt, &t_map_big, &ids));
	assert_true(ids.layout.elem_indirect);
	p = prog_of(ids.bucket);
	assert_int_equal(p->size, 8 + 64 + 64 + 8);
	assert_int_equal(p->n_ops, 9);
	for (i = 0; i < 8; i++) {
		assert_int_equal(p->ops[i].kind, GT_T_PTR);
		assert_int_equal(p->ops[i].off, 72 + 8 * i);
		assert_int_equal(p->ops[i].type, type_table__find(tt, &t_strings20));
		assert_int_equal(p->ops[i].size, 320);
		assert_int_equal(p->ops[i].scan, 1);
		assert_int_equal(p->ops[i].cond, GT_COND_TOPHASH);
		assert_int_equal(p->ops[i].cond_off, i);
	}
	assert_int_equal(p->ops[8].kind, GT_T_ARRAY);
	assert_int_equal(p->ops[8].off, 136);
}

/* map[string]string as a Swiss table (Go 1.24+): the header leads to the
 * directory (or to the map's one group when dirLen is 0), a directory entry
 * to its table, a table to its groups, a group to its full slots' strings
 * (control byte < 0x80). 16 ops: one program. */
static void test_swiss(void **state)
{
	struct type_map_ids ids;
	const struct gt_type *p;
	int i;

	p = registered(&t_map_ss);
	assert_true(type_map_ids(tt, &t_map_ss, &ids));
	assert_true(ids.layout.swiss);
	/* slots {key string; elem string}: 32 bytes */
	assert_int_equal(ids.layout.bucket_size, 8 + 8 * 32);
	assert_int_not_equal(ids.header, 0);
	assert_int_not_equal(ids.bucket, 0);
	assert_int_not_equal(ids.table, 0);
	assert_int_not_equal(ids.dir, 0);
	assert_int_not_equal(ids.table, ids.dir);
	assert_int_not_equal(ids.bucket, ids.table);

	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].type, ids.header);
	assert_int_equal(p->ops[0].size, GO_SWISS_MAP_SIZE);

	p = prog_of(ids.header);
	assert_int_equal(p->size, GO_SWISS_MAP_SIZE);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_ARRAY);
	assert_int_equal(p->ops[0].off, GO_SWISS_DIR_PTR);
	assert_int_equal(p->ops[0].count_kind, GT_COUNT_SWISS_DIR);
	assert_int_equal(p->ops[0].count_off, GO_SWISS_DIR_LEN);
	assert_int_equal(p->ops[0].type, ids.dir);
	assert_int_equal(p->ops[0].size, GO_PTR_SIZE);
	assert_int_equal(p->ops[0].type2, ids.bucket);
	assert_int_equal(p->ops[0].size2, 264);
	assert_int_equal(p->ops[0].scan, 1);
	assert_int_equal(p->ops[0].max_count, MAX_ELEMS);
	assert_int_equal(p->ops[0].used_off, GO_MAP_COUNT);
	assert_int_equal(p->ops[0].used_size, 8);

	p = prog_of(ids.dir);
	assert_int_equal(p->size, GO_PTR_SIZE);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_ARRAY);
	assert_int_equal(p->ops[0].off, 0);
	assert_int_equal(p->ops[0].count_kind, GT_COUNT_ONE);
	assert_int_equal(p->ops[0].type, ids.table);
	assert_int_equal(p->ops[0].size, GO_SWISS_TABLE_SIZE);

	p = prog_of(ids.table);
	assert_int_equal(p->size, GO_SWISS_TABLE_SIZE);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_ARRAY);
	assert_int_equal(p->ops[0].off, GO_SWISS_TABLE_GROUPS);
	assert_int_equal(p->ops[0].count_kind, GT_COUNT_WORD_PLUS1);
	assert_int_equal(p->ops[0].count_off, GO_SWISS_TABLE_MASK);
	assert_int_equal(p->ops[0].type, ids.bucket);
	assert_int_equal(p->ops[0].size, 264);
	/* table.used, a uint16, decides how many groups */
	assert_int_equal(p->ops[0].max_count, MAX_ELEMS);
	assert_int_equal(p->ops[0].used_off, GO_SWISS_TABLE_USED);
	assert_int_equal(p->ops[0].used_size, 2);

	p = prog_of(ids.bucket);
	assert_int_equal(p->size, 264);
	assert_int_equal(p->n_ops, 16); /* no overflow in a Swiss group */
	for (i = 0; i < 8; i++) {
		const struct gt_top *k = &p->ops[2 * i], *e = &p->ops[2 * i + 1];

		assert_int_equal(k->kind, GT_T_STRING);
		assert_int_equal(k->off, 8 + 32 * i);
		assert_int_equal(k->cond, GT_COND_CTRL);
		assert_int_equal(k->cond_off, i);
		assert_int_equal(e->kind, GT_T_STRING);
		assert_int_equal(e->off, 8 + 16 + 32 * i);
		assert_int_equal(e->cond, GT_COND_CTRL);
		assert_int_equal(e->cond_off, i);
	}
}

static struct func_plan *plan2(const char *name, struct go_param *ps, int n)
{
	static struct go_func f[4];
	static int next;
	struct plan_opts o = {.max_depth = 4, .types = tt};
	struct go_func *fn = &f[next++ % 4];
	struct func_plan *plan = NULL;
	char err[256] = "";

	*fn =
	    (struct go_func){.name = (char *)name, .params = ps, .n_params = n, .has_dwarf = true};
	if (plan_func(fn, &o, &plan, err, sizeof(err)))
		fail_msg("plan_func: %s", err);
	return plan;
}

/* Two functions that reach the same types share their ids and programs. */
static void test_sharing(void **state)
{
	struct go_param fp[] = {{"s", &t_s, false}, {"n", &t_pnode, false}};
	struct go_param gp[] = {{"ps", &t_ps, false}, {"x", &t_int, false}};
	struct go_param hp[] = {{"n", &t_pnode, false}, {"s", &t_s, false}, {"ps", &t_ps, false}};
	struct func_plan *f, *g, *h;
	uint32_t count;

	f = plan2("main.f", fp, 2);
	g = plan2("main.g", gp, 2);
	assert_int_not_equal(f->args[0].type_id, 0);
	assert_int_equal(f->args[0].type_id, type_table__find(tt, &t_s));
	/* g's pointer leads to the very program f's S runs */
	assert_int_equal(prog_of(g->args[0].type_id)->ops[0].type, f->args[0].type_id);
	count = type_table__count(tt);
	h = plan2("main.h", hp, 3);
	assert_int_equal(type_table__count(tt), count);
	assert_int_equal(h->args[0].type_id, f->args[1].type_id);
	assert_int_equal(h->args[1].type_id, f->args[0].type_id);
	assert_int_equal(h->args[2].type_id, g->args[0].type_id);
	assert_int_equal(h->bpf.ops[h->args[1].op].type, f->bpf.ops[f->args[0].op].type);
	func_plan__free(f);
	func_plan__free(g);
	func_plan__free(h);
}

/* Pointer-shaped types (Go's isdirectiface): an interface holds them in
 * its data word, and their programs say so. */
static void test_direct(void **state)
{
	static struct go_field one_ptr[] = {{.name = "P", .offset = 0, .type = &t_ppair}};
	static struct go_field two_ptrs[] = {
	    {.name = "P", .offset = 0, .type = &t_ppair},
	    {.name = "Q", .offset = 8, .type = &t_ppair},
	};
	static struct go_type t_wrap = {.kind = GO_STRUCT,
					.name = "main.Wrap",
					.size = 8,
					.align = 8,
					.fields = one_ptr,
					.n_fields = 1};
	static struct go_type t_two = {.kind = GO_STRUCT,
				       .name = "main.Two",
				       .size = 16,
				       .align = 8,
				       .fields = two_ptrs,
				       .n_fields = 2};
	static struct go_type t_arr1 = {.kind = GO_ARRAY,
					.name = "[1]*main.Pair",
					.size = 8,
					.align = 8,
					.elem = &t_ppair,
					.len = 1};
	static struct go_type t_arr2 = {.kind = GO_ARRAY,
					.name = "[2]*main.Pair",
					.size = 16,
					.align = 8,
					.elem = &t_ppair,
					.len = 2};
	const struct go_type *direct[] = {&t_ppair, &t_map_ss, &t_chan, &t_func, &t_wrap, &t_arr1};
	const struct go_type *indirect[] = {&t_int, &t_string, &t_pair, &t_two, &t_arr2, &t_any};
	const struct gt_type *p;
	size_t i;

	for (i = 0; i < sizeof(direct) / sizeof(direct[0]); i++) {
		assert_true(type_is_direct(direct[i]));
		assert_int_equal(registered(direct[i])->flags & GT_TF_DIRECT, GT_TF_DIRECT);
	}
	for (i = 0; i < sizeof(indirect) / sizeof(indirect[0]); i++) {
		assert_false(type_is_direct(indirect[i]));
		assert_int_equal(registered(indirect[i])->flags & GT_TF_DIRECT, 0);
	}
	/* a direct struct's program reads its one pointer at 0 */
	p = registered(&t_wrap);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].off, 0);
	assert_int_equal(p->ops[0].type, type_table__find(tt, &t_pair));
}

/* Channels and func values: their first words, as pseudo types. */
static void test_chan_and_func(void **state)
{
	const struct gt_type *p;

	p = registered(&t_chan);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].type, GT_TYPE_HCHAN);
	assert_int_equal(p->ops[0].size, GO_HCHAN_COUNTS);
	assert_int_equal(p->ops[0].scan, 0);
	p = registered(&t_func);
	assert_int_equal(p->n_ops, 1);
	assert_int_equal(p->ops[0].kind, GT_T_PTR);
	assert_int_equal(p->ops[0].type, GT_TYPE_FUNCVAL);
	assert_int_equal(p->ops[0].size, GO_PTR_SIZE);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_struct_program),
	    T(test_arrays),
	    T(test_continuation),
	    T(test_recursive),
	    T(test_hmap),
	    T(test_hmap_indirect_values),
	    cmocka_unit_test_setup_teardown(test_swiss, setup_swiss, teardown),
	    T(test_sharing),
	    T(test_direct),
	    T(test_chan_and_func),
	};
#undef T

	return cmocka_run_group_tests_name("types", tests, NULL, NULL);
}
