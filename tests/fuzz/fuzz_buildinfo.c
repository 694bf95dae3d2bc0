// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any bytes as Go's build info (symbols/buildinfo.c). The input
 * is also the memory that the pointers of the pre-1.18 format point into:
 * it is loaded at BASE, as the seeds are laid out (tests/fuzz/seeds.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

#define BASE 0x10000

struct image {
	const uint8_t *data;
	size_t size;
};

static int read_image(void *ctx, uint64_t addr, void *dst, size_t size)
{
	const struct image *im = ctx;

	if (addr < BASE || addr - BASE > im->size || size > im->size - (addr - BASE))
		return -1;
	memcpy(dst, im->data + (addr - BASE), size);
	return 0;
}

static void check_version(char *v)
{
	size_t i;

	/* short printable ASCII, as buildinfo.c promises */
	for (i = 0; v && v[i]; i++)
		if (v[i] < 0x20 || v[i] > 0x7e || i >= 128)
			abort();
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im = {data, size};
	char *version = NULL;

	check_version(buildinfo_parse_version(data, size, read_image, &im));
	check_version(buildinfo_parse_version(data, size, NULL, NULL));
	if (buildinfo_find(data, size, read_image, &im, &version))
		check_version(version);
	return 0;
}
