// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any bytes as a pclntab (symbols/pclntab.c), in all four header
 * formats. Seeds: small tables of real functions from the testdata builds,
 * one per magic (tests/fuzz/seeds.c). Every function handed out must have
 * a NUL-terminated name inside the input and a non-empty range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

struct walk {
	const uint8_t *data;
	size_t size;
	int n;
};

static int check_func(void *ctx, const char *name, uint64_t entry, uint64_t end,
		      const struct pclntab_facts *facts)
{
	struct walk *w = ctx;
	size_t n = strlen(name);

	if ((const uint8_t *)name < w->data || (const uint8_t *)name + n >= w->data + w->size ||
	    n == 0 || end <= entry)
		abort();
	/* a file name is the table's bytes, NUL-terminated within them */
	if (facts->entry_file &&
	    ((const uint8_t *)facts->entry_file < w->data ||
	     (const uint8_t *)facts->entry_file + strlen(facts->entry_file) >= w->data + w->size))
		abort();
	/* a stop from the callback stops the walk */
	return ++w->n >= 4096;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w = {.data = data, .size = size};

	/* the header's text start (Go 1.18-1.25), then a module data's (1.26 on) */
	pclntab_parse(data, size, 0, check_func, &w);
	w.n = 0;
	pclntab_parse(data, size, 0x401000, check_func, &w);
	return 0;
}
