// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The build info parser on hand-built blobs, in both encodings. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "symbols/internal.h"

/* Build info blobs, as the linker writes them. */
static void put_header(uint8_t *blob, uint8_t ptr_size, uint8_t flags)
{
	memcpy(blob, "\xff Go buildinf:", 14);
	blob[14] = ptr_size;
	blob[15] = flags;
}

static void test_buildinfo_inline(void **state)
{
	uint8_t blob[64] = {0};
	char *v;

	/* Go 1.18+: flags & 2, then varint-prefixed strings after 32 bytes */
	put_header(blob, 8, 2);
	blob[32] = 8;
	memcpy(blob + 33, "go1.19.8", 8);
	blob[41] = 0; /* empty module info */
	v = buildinfo_parse_version(blob, sizeof(blob), NULL, NULL);
	assert_non_null(v);
	assert_string_equal(v, "go1.19.8");
	free(v);

	/* a length running past the blob */
	blob[32] = 0x7f;
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
	/* a varint that never ends */
	memset(blob + 32, 0xff, 32);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
	/* truncated, and wrong magic */
	assert_null(buildinfo_parse_version(blob, 20, NULL, NULL));
	blob[0] = 0;
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
}

/* A fake address space for the pointer encoding: one mapped region. */
struct fake_memory {
	uint64_t base;
	uint8_t bytes[64];
};

static int read_fake(void *ctx, uint64_t addr, void *dst, size_t size)
{
	struct fake_memory *m = ctx;

	if (addr < m->base || addr - m->base > sizeof(m->bytes) ||
	    size > sizeof(m->bytes) - (addr - m->base))
		return -EFAULT;
	memcpy(dst, m->bytes + (addr - m->base), size);
	return 0;
}

static void put_u64(uint8_t *p, uint64_t v, bool big_endian)
{
	int i;

	for (i = 0; i < 8; i++)
		p[big_endian ? 7 - i : i] = v >> (8 * i);
}

static void test_buildinfo_pointers(void **state)
{
	struct fake_memory mem = {.base = 0x500000};
	uint8_t blob[32] = {0};
	bool big;
	char *v;

	for (big = false;; big = true) {
		/* Go < 1.18: at 16, a pointer to the version's string header
		 * {ptr, len}; byte 15 says the byte order */
		memset(mem.bytes, 0, sizeof(mem.bytes));
		put_header(blob, 8, big);
		put_u64(blob + 16, 0x500000, big);
		put_u64(mem.bytes, 0x500010, big);
		put_u64(mem.bytes + 8, 9, big);
		memcpy(mem.bytes + 16, "go1.16.15", 9);
		v = buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem);
		assert_non_null(v);
		assert_string_equal(v, "go1.16.15");
		free(v);
		if (big)
			break;
	}

	/* a string header pointing outside the address space */
	put_header(blob, 8, 0);
	put_u64(mem.bytes, 0x900000, false);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* an absurd length */
	put_u64(mem.bytes, 0x500010, false);
	put_u64(mem.bytes + 8, 1ull << 40, false);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* a pointer size that is neither 4 nor 8 */
	put_u64(mem.bytes + 8, 9, false);
	put_header(blob, 3, 0);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* 4-byte pointers */
	put_header(blob, 4, 0);
	memset(blob + 16, 0, 16);
	blob[16] = 0x20;
	blob[17] = 0x00;
	blob[18] = 0x50; /* 0x500020 */
	memset(mem.bytes + 32, 0, 32);
	mem.bytes[32] = 0x28;
	mem.bytes[33] = 0x00;
	mem.bytes[34] = 0x50; /* ptr 0x500028 */
	mem.bytes[36] = 8;    /* len 8 */
	memcpy(mem.bytes + 40, "go1.17.1", 8);
	v = buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem);
	assert_non_null(v);
	assert_string_equal(v, "go1.17.1");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buildinfo_inline),
	    cmocka_unit_test(test_buildinfo_pointers),
	};

	return cmocka_run_group_tests_name("build info", tests, NULL, NULL);
}
