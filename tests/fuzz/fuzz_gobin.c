// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any bytes as a whole file for gobin__open, the glue over the
 * parsers: the ELF file (elf.c), the function table from .symtab or a
 * pclntab found by its section or by its magic in a segment, the build
 * info, the module data, runtime type descriptors, DWARF, and the code
 * (capstone). It must give a clean error, or a gobin whose every function,
 * parameter and type can be walked. Seeds: small Go binaries, a few KB,
 * written by the seed tool from the testdata builds (seeds.c): a few
 * functions' code, symbols, pclntab and DWARF; also stripped, and without
 * section headers. The parsers have harnesses of their own on their bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "symbols/internal.h"

static void walk_type(const struct go_type *t, int depth)
{
	int i;

	if (!t || depth > 8)
		return;
	(void)strlen(t->name);
	for (i = 0; i < t->n_fields; i++)
		walk_type(t->fields[i].type, depth + 1);
	walk_type(t->elem, depth + 1);
	walk_type(t->key, depth + 1);
}

/* --stack's line tables: every function's first bytes, and a PC in none */
static void exercise_lines(struct gobin *bin)
{
	struct go_frame frames[8];
	struct go_lines *lines;
	int i, j, e;

	lines = go_lines__new(bin, &e);
	for (i = 0; lines && i < gobin__func_count(bin) && i < 64; i++) {
		const struct go_func *f = gobin__func(bin, i);

		for (j = 0; j < 4; j++)
			go_lines__frames(lines, f->low_pc + j, frames, 8);
	}
	if (lines)
		go_lines__frames(lines, 0, frames, 8);
	go_lines__free(lines);
}

static void exercise(struct gobin *bin)
{
	struct go_func_code code;
	uint64_t offset;
	uint8_t buf[64];
	char id[128];
	int i, j;

	for (i = 0; i < gobin__func_count(bin) && i < 64; i++) {
		const struct go_func *f = gobin__func(bin, i);

		for (j = 0; j < f->n_params; j++)
			walk_type(f->params[j].type, 0);
		if (gobin__func_code(bin, f, &code) == 0) {
			if (code.n_rets && !code.rets)
				abort();
			go_func_code__clear(&code);
		}
		gobin__vaddr_to_offset(bin, f->low_pc, &offset);
		gobin__read_code(bin, f->low_pc, buf, sizeof(buf));
		if (gobin__find_func(bin, f->name) == NULL)
			abort();
		gobin__find_abi0_func(bin, f->name);
	}
	gobin__build_id(bin, id, sizeof(id));
	gobin__is_pie(bin);
	gobin__g_goid_offset(bin);
	gobin__g_stack_hi_offset(bin);
	gobin__dwarf_lists_results(bin);
	walk_type(gobin__type_by_runtime_addr(bin, bin->types_base + 0x40), 0);
	walk_type(gobin__find_type(bin, "runtime.g"), 0);
	gobin__twin_type_addr(bin, bin, bin->types_base + 0x40);
	gobin__names_from(bin, bin);
	exercise_lines(bin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	struct gobin *bin;
	int fd, e;

	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		bin = gobin__open(path, err, sizeof(err), &e);
		if (bin) {
			exercise(bin);
			gobin__free(bin);
		} else if (strchr(err, '\n') || e >= 0) {
			abort(); /* one line, and a negative errno */
		}
	}
	close(fd);
	return 0;
}
