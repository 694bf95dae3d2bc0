// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The decoder on hand-built map captures, as the type programs of
 * plan/types.c have the BPF side take them: an hmap's header, bucket
 * arrays, overflow buckets and old buckets while it grows (Go up to 1.23),
 * and a Swiss map's header, directory, tables and groups (Go 1.24 on).
 * Every entry must show exactly once, and no slot that holds none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "decode_events.h"

static struct go_type t_map = {.kind = GO_MAP,
			       .name = "map[string]int",
			       .size = 8,
			       .align = 8,
			       .key = &t_string,
			       .elem = &t_int};

/* A map's entries, key string and int value, in order. */
static void check_entries(const struct value *m, const char *const *keys, const int *vals, int n)
{
	int i;

	assert_int_equal(m->kind, VAL_MAP);
	assert_true(m->has_entries);
	assert_int_equal(m->n_children, 2 * n);
	for (i = 0; i < n; i++) {
		check_string(child(m, 2 * i), keys[i], false);
		check_int(child(m, 2 * i + 1), vals[i]);
	}
}

/* map[string]int: a bucket (hmap) or a group (Swiss) of BUCKET bytes. */
struct map_fixture {
	struct type_map_ids ids;
	uint64_t next_string; /* where the next key's bytes are */
};

static void map_setup(struct map_fixture *mf, bool swiss)
{
	static struct go_param ps[] = {{"m", &t_map, false}};

	make_plan(ps, 1, &(struct plan_cfg){.swiss = swiss});
	assert_true(type_map_ids(tt, &t_map, &mf->ids));
	assert_int_equal(mf->ids.layout.swiss, swiss);
	mf->next_string = 0x900000;
}

/* Slot I of the bucket at BUCKET: STATE (tophash or control byte), key K
 * (its bytes captured unless K is NULL: a stale slot), value V. */
static void put_slot(struct map_fixture *mf, struct event_builder *b, uint8_t *bucket, int i,
		     uint8_t state, const char *k, int64_t v)
{
	const struct go_map_layout *ml = &mf->ids.layout;

	bucket[i] = state;
	put_string(bucket, ml->keys_off + i * ml->key_stride, mf->next_string, k ? strlen(k) : 3);
	put64(bucket, ml->elems_off + i * ml->elem_stride, v);
	if (k)
		capture_string(b, mf->next_string, k);
	mf->next_string += 0x100;
}

static void hmap_header(struct map_fixture *mf, struct event_builder *b, uint64_t addr,
			uint64_t count, uint8_t flags, uint8_t B, uint64_t buckets, uint64_t old)
{
	uint8_t h[GO_HMAP_SIZE] = {0};

	put64(h, GO_MAP_COUNT, count);
	h[GO_HMAP_FLAGS] = flags;
	h[GO_HMAP_B] = B;
	put64(h, GO_HMAP_BUCKETS, buckets);
	put64(h, GO_HMAP_OLDBUCKETS, old);
	capture(b, mf->ids.header, addr, h, sizeof(h), GO_HMAP_SIZE);
}

/* 2 buckets (B = 1); bucket 0 has an overflow bucket; entries in all. */
static void test_hmap(void **state)
{
	static const char *const keys[] = {"a", "b", "c"};
	static const int vals[] = {1, 2, 3};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size;
	uint8_t *buckets, *ovf;

	map_setup(&mf, false);
	size = mf.ids.layout.bucket_size;
	assert_int_equal(size, 208);
	buckets = calloc(2, size);
	ovf = calloc(1, size);
	start(&b);
	root(&b, 0, &m, 8);
	hmap_header(&mf, &b, 0x10000, 3, 0, 1, 0x20000, 0);
	put_slot(&mf, &b, buckets, 0, 0x9a, "a", 1);
	put64(buckets, mf.ids.layout.overflow_off, 0x30000);
	put_slot(&mf, &b, buckets + size, 3, 0x55, "c", 3);
	put_slot(&mf, &b, ovf, 0, GO_MIN_TOPHASH, "b", 2);
	capture(&b, mf.ids.bucket, 0x20000, buckets, 2 * size, 2 * size);
	capture(&b, mf.ids.bucket, 0x30000, ovf, size, size);
	decode_with(&b, &de, NULL);
	assert_int_equal(de.args[0].value.u, 3);
	check_entries(&de.args[0].value, keys, vals, 3);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(buckets);
	free(ovf);
}

/* Growing from 2 to 4 buckets: old bucket 0 is evacuated (tophash 2, 3
 * and 4: its stale keys must not show), old bucket 1 is not yet (full
 * slots >= 5). Every entry is in exactly one full slot. */
static void test_hmap_growing(void **state)
{
	static const char *const keys[] = {"a", "b", "c", "d"};
	static const int vals[] = {1, 2, 3, 4};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size;
	uint8_t *nb, *ob;

	map_setup(&mf, false);
	size = mf.ids.layout.bucket_size;
	nb = calloc(4, size);
	ob = calloc(2, size);
	start(&b);
	root(&b, 0, &m, 8);
	hmap_header(&mf, &b, 0x10000, 4, 0, 2, 0x20000, 0x50000);
	put_slot(&mf, &b, nb, 0, 0x10, "a", 1);
	put_slot(&mf, &b, nb + 2 * size, 5, 0x20, "b", 2);
	put_slot(&mf, &b, ob, 0, 2, "x", 9);  /* evacuatedX */
	put_slot(&mf, &b, ob, 1, 3, "y", 9);  /* evacuatedY */
	put_slot(&mf, &b, ob, 2, 4, NULL, 9); /* evacuatedEmpty */
	put_slot(&mf, &b, ob + size, 0, 5, "c", 3);
	put_slot(&mf, &b, ob + size, 1, 1, NULL, 9); /* emptyOne */
	put_slot(&mf, &b, ob + size, 2, 0xff, "d", 4);
	capture(&b, mf.ids.bucket, 0x20000, nb, 4 * size, 4 * size);
	capture(&b, mf.ids.bucket, 0x50000, ob, 2 * size, 2 * size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 4);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);

	/* a same-size grow (flags 8): as many old buckets as new, here 1 */
	start(&b);
	memset(nb, 0, size);
	memset(ob, 0, size);
	root(&b, 0, &m, 8);
	hmap_header(&mf, &b, 0x10000, 2, GO_HMAP_SAME_SIZE_GROW, 0, 0x20000, 0x50000);
	put_slot(&mf, &b, nb, 0, 0x10, "c", 3);
	put_slot(&mf, &b, ob, 0, 2, "x", 9);
	put_slot(&mf, &b, ob, 1, 6, "d", 4);
	capture(&b, mf.ids.bucket, 0x20000, nb, size, size);
	capture(&b, mf.ids.bucket, 0x50000, ob, size, size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys + 2, vals + 2, 2);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(nb);
	free(ob);
}

/* 32 buckets (B = 5) of 208 bytes: past one read's GT_READ_MAX bytes, they
 * come in two records, 19 buckets then the 13 left, each a capture of the
 * rest of the array from where the one before ended. Without the second
 * record, the map is cut. */
static void test_hmap_chunks(void **state)
{
	static const char *const keys[] = {"a", "b", "c"};
	static const int vals[] = {1, 2, 3};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size, per;
	uint8_t *nb;

	map_setup(&mf, false);
	size = mf.ids.layout.bucket_size;
	per = GT_READ_MAX / size;
	assert_int_equal(per, 19);
	nb = calloc(32, size);
	start(&b);
	root(&b, 0, &m, 8);
	hmap_header(&mf, &b, 0x10000, 3, 0, 5, 0x20000, 0);
	put_slot(&mf, &b, nb, 0, 0x10, "a", 1);
	put_slot(&mf, &b, nb + 18 * size, 7, 0x20, "b", 2);
	put_slot(&mf, &b, nb + 31 * size, 2, 0x30, "c", 3);
	capture(&b, mf.ids.bucket, 0x20000, nb, per * size, 32 * size);
	capture(&b, mf.ids.bucket, 0x20000 + per * size, nb + per * size, (32 - per) * size,
		(32 - per) * size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 3);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);

	/* the first record alone */
	start(&b);
	mf.next_string = 0x900000;
	root(&b, 0, &m, 8);
	hmap_header(&mf, &b, 0x10000, 3, 0, 5, 0x20000, 0);
	put_slot(&mf, &b, nb, 0, 0x10, "a", 1);
	put_slot(&mf, &b, nb + 18 * size, 7, 0x20, "b", 2);
	put_slot(&mf, &b, nb + 31 * size, 2, 0x30, "c", 3);
	capture(&b, mf.ids.bucket, 0x20000, nb, per * size, 32 * size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 2);
	assert_true(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(nb);
}

static void swiss_header(struct map_fixture *mf, struct event_builder *b, uint64_t addr,
			 uint64_t used, uint64_t dir, uint64_t dir_len)
{
	uint8_t h[GO_SWISS_MAP_SIZE] = {0};

	put64(h, GO_MAP_COUNT, used);
	put64(h, GO_SWISS_DIR_PTR, dir);
	put64(h, GO_SWISS_DIR_LEN, dir_len);
	capture(b, mf->ids.header, addr, h, sizeof(h), GO_SWISS_MAP_SIZE);
}

/* A group whose control bytes say empty (0x80) or deleted (0xfe). */
static uint8_t *empty_groups(int n, uint64_t size)
{
	uint8_t *g = calloc(n, size);
	int i;

	assert_non_null(g);
	for (i = 0; i < n; i++)
		memset(g + i * size, GO_SWISS_CTRL_EMPTY, GO_BUCKET_SLOTS);
	return g;
}

/* A small Swiss map (dirLen 0): dirPtr is its one group. */
static void test_swiss_small(void **state)
{
	static const char *const keys[] = {"a", "c"};
	static const int vals[] = {1, 3};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size;
	uint8_t *g;

	map_setup(&mf, true);
	size = mf.ids.layout.bucket_size;
	assert_int_equal(size, 8 + 8 * 24);
	g = empty_groups(1, size);
	start(&b);
	root(&b, 0, &m, 8);
	swiss_header(&mf, &b, 0x10000, 2, 0x20000, 0);
	put_slot(&mf, &b, g, 0, 0x12, "a", 1);
	put_slot(&mf, &b, g, 1, 0xfe, NULL, 9); /* deleted */
	put_slot(&mf, &b, g, 2, 0x7f, "c", 3);
	capture(&b, mf.ids.bucket, 0x20000, g, size, size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 2);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(g);
}

static void swiss_table(struct map_fixture *mf, struct event_builder *b, uint64_t addr,
			uint64_t groups, uint64_t mask, uint16_t used)
{
	uint8_t t[GO_SWISS_TABLE_SIZE] = {0};

	memcpy(t + GO_SWISS_TABLE_USED, &used, sizeof(used));
	put64(t, GO_SWISS_TABLE_GROUPS, groups);
	put64(t, GO_SWISS_TABLE_MASK, mask);
	capture(b, mf->ids.table, addr, t, sizeof(t), GO_SWISS_TABLE_SIZE);
}

/* A directory of 2 entries, both the same table of 2 groups (a table whose
 * local depth is below the global one): its entries show once. Then a
 * directory of 2 tables. */
static void test_swiss_directory(void **state)
{
	static const char *const keys[] = {"a", "b", "c", "d"};
	static const int vals[] = {1, 2, 3, 4};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size, dir[2] = {0x30000, 0x30000};
	uint8_t *g, *g2;

	map_setup(&mf, true);
	size = mf.ids.layout.bucket_size;
	g = empty_groups(2, size);
	start(&b);
	root(&b, 0, &m, 8);
	swiss_header(&mf, &b, 0x10000, 3, 0x20000, 2);
	capture(&b, mf.ids.dir, 0x20000, dir, sizeof(dir), sizeof(dir));
	/* the BPF side takes a capture once per event: one table record */
	swiss_table(&mf, &b, 0x30000, 0x40000, 1, 3);
	put_slot(&mf, &b, g, 0, 0x01, "a", 1);
	put_slot(&mf, &b, g, 5, 0x02, "b", 2);
	put_slot(&mf, &b, g + size, 7, 0x03, "c", 3);
	capture(&b, mf.ids.bucket, 0x40000, g, 2 * size, 2 * size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 3);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);

	/* two tables of one group each */
	start(&b);
	g2 = empty_groups(1, size);
	memset(g, GO_SWISS_CTRL_EMPTY, GO_BUCKET_SLOTS);
	dir[1] = 0x31000;
	root(&b, 0, &m, 8);
	swiss_header(&mf, &b, 0x10000, 4, 0x20000, 2);
	capture(&b, mf.ids.dir, 0x20000, dir, sizeof(dir), sizeof(dir));
	swiss_table(&mf, &b, 0x30000, 0x40000, 0, 2);
	swiss_table(&mf, &b, 0x31000, 0x41000, 0, 2);
	put_slot(&mf, &b, g, 0, 0x01, "a", 1);
	put_slot(&mf, &b, g, 1, 0x01, "b", 2);
	put_slot(&mf, &b, g2, 3, 0x01, "c", 3);
	put_slot(&mf, &b, g2, 4, 0x01, "d", 4);
	capture(&b, mf.ids.bucket, 0x40000, g, size, size);
	capture(&b, mf.ids.bucket, 0x41000, g2, size, size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 4);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);

	/* a table emptied by deletes: used 0, none of its groups read, the
	 * map whole */
	start(&b);
	mf.next_string = 0x900000;
	root(&b, 0, &m, 8);
	swiss_header(&mf, &b, 0x10000, 2, 0x20000, 2);
	capture(&b, mf.ids.dir, 0x20000, dir, sizeof(dir), sizeof(dir));
	swiss_table(&mf, &b, 0x30000, 0x40000, 0, 2);
	swiss_table(&mf, &b, 0x31000, 0x41000, 7, 0);
	put_slot(&mf, &b, g, 0, 0x01, "a", 1);
	put_slot(&mf, &b, g, 1, 0x01, "b", 2);
	capture(&b, mf.ids.bucket, 0x40000, g, size, size);
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 2);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(g);
	free(g2);
}

/* A table of 32 groups of 200 bytes: two records, 20 groups then 12, each
 * a capture of the rest of the groups from where the one before ended. */
static void test_swiss_group_chunks(void **state)
{
	static const char *const keys[] = {"a", "b", "c"};
	static const int vals[] = {1, 2, 3};
	struct map_fixture mf;
	struct event_builder b;
	struct decoded_event de;
	uint64_t m = 0x10000, size, dir[1] = {0x30000}, per, at;
	uint8_t *g;

	map_setup(&mf, true);
	size = mf.ids.layout.bucket_size;
	per = GT_READ_MAX / size;
	assert_int_equal(per, 20);
	g = empty_groups(32, size);
	start(&b);
	root(&b, 0, &m, 8);
	swiss_header(&mf, &b, 0x10000, 3, 0x20000, 1);
	capture(&b, mf.ids.dir, 0x20000, dir, sizeof(dir), sizeof(dir));
	swiss_table(&mf, &b, 0x30000, 0x40000, 31, 3);
	put_slot(&mf, &b, g, 0, 0x01, "a", 1);
	put_slot(&mf, &b, g + 19 * size, 3, 0x02, "b", 2);
	put_slot(&mf, &b, g + 31 * size, 7, 0x03, "c", 3);
	for (at = 0; at < 32; at += per) {
		uint64_t n = 32 - at < per ? 32 - at : per;

		capture(&b, mf.ids.bucket, 0x40000 + at * size, g + at * size, n * size,
			(32 - at) * size);
	}
	decode_with(&b, &de, NULL);
	check_entries(&de.args[0].value, keys, vals, 3);
	assert_false(de.args[0].value.truncated);
	decoded_event__clear(&de);
	free(g);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_hmap),
	    T(test_hmap_growing),
	    T(test_hmap_chunks),
	    T(test_swiss_small),
	    T(test_swiss_directory),
	    T(test_swiss_group_chunks),
	};
#undef T

	return cmocka_run_group_tests_name("decode_maps", tests, NULL, NULL);
}
