// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pclntab parsing, each header format from hand-built bytes laid out as
 * runtime/symtab.go and debug/gosym describe them, plus a real one and
 * hostile ones.
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
#include "symbols/internal.h"
#include "tests/unit/testdata.h"

struct found {
	char names[4][32];
	uint64_t entry[4], end[4];
	int n;
};

static int collect(void *ctx, const char *name, uint64_t entry, uint64_t end,
		   const struct pclntab_facts *facts)
{
	struct found *f = ctx;

	if (f->n < 4) {
		snprintf(f->names[f->n], sizeof(f->names[0]), "%s", name);
		f->entry[f->n] = entry;
		f->end[f->n] = end;
	}
	f->n++;
	return 0;
}

static void put(uint8_t *b, size_t off, uint64_t v, int size)
{
	for (int i = 0; i < size; i++)
		b[off + i] = v >> (8 * i);
}

/*
 * Two functions, main.a at 0x401000 and main.b at 0x401040, ending at
 * 0x401080. Layout: header | functab | _funcs | names.
 */
static size_t build(uint8_t *b, uint32_t magic)
{
	const int ptr = 8;
	bool v118 = magic == 0xfffffff0u || magic == 0xfffffff1u;
	bool v12 = magic == 0xfffffffbu;
	int field = v118 ? 4 : ptr;
	size_t header = v12 ? 8 + ptr : 8 + 8 * ptr;
	size_t functab = header, funcs = functab + 5 * field, names = funcs + 2 * 16;
	uint64_t entries[3] = {0x401000, 0x401040, 0x401080};
	uint64_t base = v118 ? 0x401000 : 0;
	int i;

	memset(b, 0, 512);
	put(b, 0, magic, 4);
	b[6] = 1;
	b[7] = ptr;
	put(b, 8, 2, ptr); /* nfunc */
	if (v118) {
		put(b, 8 + 2 * ptr, 0x401000, ptr); /* textStart */
		put(b, 8 + 3 * ptr, names, ptr);    /* funcnameOffset */
		put(b, 8 + 7 * ptr, functab, ptr);  /* pclnOffset */
	} else if (!v12) {
		put(b, 8 + 2 * ptr, names, ptr);
		put(b, 8 + 6 * ptr, functab, ptr);
	}
	for (i = 0; i < 3; i++)
		put(b, functab + 2 * i * field, entries[i] - base, field);
	for (i = 0; i < 2; i++) {
		size_t f = funcs + i * 16;
		/* funcoff is from the functab (1.16+) or from the table (1.2) */
		put(b, functab + (2 * i + 1) * field, v12 ? f : f - functab, field);
		put(b, f, entries[i] - base, v118 ? 4 : ptr);
		/* nameoff: into funcnametab, or from the table's start (1.2) */
		put(b, f + (v118 ? 4 : ptr), (v12 ? names : 0) + i * 8, 4);
	}
	memcpy(b + names, "main.a\0\0main.b\0", 15);
	return names + 16;
}

static void check_format(uint32_t magic)
{
	uint8_t b[512];
	struct found f = {0};
	size_t len = build(b, magic);

	assert_int_equal(pclntab_parse(b, len, 0, collect, &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.names[0], "main.a");
	assert_string_equal(f.names[1], "main.b");
	assert_int_equal(f.entry[0], 0x401000);
	assert_int_equal(f.end[0], 0x401040);
	assert_int_equal(f.entry[1], 0x401040);
	assert_int_equal(f.end[1], 0x401080);
}

static void test_go12(void **state)
{
	check_format(0xfffffffbu);
}

static void test_go116(void **state)
{
	check_format(0xfffffffau);
}

static void test_go118(void **state)
{
	check_format(0xfffffff0u);
}

static void test_go120(void **state)
{
	check_format(0xfffffff1u);
}

/* Go 1.26 keeps the 1.20 magic but no longer stores textStart (0): the
 * entries are offsets from the module data's text, which the caller gives. */
static void test_go126(void **state)
{
	uint8_t b[512];
	struct found f = {0};
	size_t len = build(b, 0xfffffff1u);

	put(b, 8 + 2 * 8, 0, 8);
	assert_int_equal(pclntab_parse(b, len, 0, collect, &f), -EINVAL);
	assert_int_equal(f.n, 0);
	assert_int_equal(pclntab_parse(b, len, 0x401000, collect, &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.entry[0], 0x401000);
	assert_int_equal(f.end[0], 0x401040);
	assert_int_equal(f.entry[1], 0x401040);
	assert_int_equal(f.end[1], 0x401080);
	/* the module data's text wins over the header's copy (1.18-1.25) */
	build(b, 0xfffffff1u);
	memset(&f, 0, sizeof(f));
	assert_int_equal(pclntab_parse(b, len, 0x501000, collect, &f), 0);
	assert_int_equal(f.entry[1], 0x501040);
}

static void test_hostile(void **state)
{
	uint8_t b[512];
	struct found f = {0};
	size_t len = build(b, 0xfffffff0u), cut;

	/* every truncation fails cleanly or yields fewer functions */
	for (cut = 0; cut < len; cut++) {
		memset(&f, 0, sizeof(f));
		pclntab_parse(b, cut, 0, collect, &f);
		assert_true(f.n <= 2);
	}
	/* a huge function count */
	put(b, 8, UINT64_MAX / 2, 8);
	assert_int_equal(pclntab_parse(b, len, 0, collect, &f), -EINVAL);
	/* unknown magic */
	build(b, 0xfffffff0u);
	put(b, 0, 0x12345678, 4);
	assert_int_equal(pclntab_parse(b, len, 0, collect, &f), -EINVAL);
}

/* Stripped builds (no DWARF) of testdata/wrappers know their wrappers from
 * the pclntab: funcID, and from Go 1.24 the tail-call wrappers' file. */
static void test_wrappers_without_dwarf(void **state)
{
	static const char *const builds[] = {"go1.15/wrappers-stripped", "wrappers-stripped",
					     "go1.24/wrappers-stripped",
					     "go1.27/wrappers-stripped"};
	static const char *const wrappers[] = {"main.(*Named).String", "main.(*Named2).String",
					       "main.Named2.String",   "main.(*Outer).Bump",
					       "main.Outer.Bump",      "main.(*Named).Bump-fm"};
	static const char *const others[] = {"main.Named.String", "main.(*Named).Bump",
					     "main.main",	  "main.Deferred",
					     "os.init",		  "runtime.deferreturn"};
	size_t i, j;

	for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		struct gobin *bin = open_testdata(builds[i]);

		assert_false(gobin__has_dwarf(bin));
		for (j = 0; j < sizeof(wrappers) / sizeof(wrappers[0]); j++)
			if (!find_or_fail(bin, wrappers[j])->is_wrapper)
				fail_msg("%s: %s is a wrapper", builds[i], wrappers[j]);
		for (j = 0; j < sizeof(others) / sizeof(others[0]); j++)
			if (find_or_fail(bin, others[j])->is_wrapper)
				fail_msg("%s: %s is no wrapper", builds[i], others[j]);
		gobin__free(bin);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_go12),
	    cmocka_unit_test(test_go116),
	    cmocka_unit_test(test_go118),
	    cmocka_unit_test(test_go120),
	    cmocka_unit_test(test_go126),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_wrappers_without_dwarf),
	};

	return cmocka_run_group_tests_name("pclntab", tests, NULL, NULL);
}
