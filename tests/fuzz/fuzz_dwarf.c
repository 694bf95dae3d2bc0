// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: mutated DWARF sections, wrapped in a small ELF file in memory
 * (mini_elf.c), read through libdw by symbols/dwarf_*.c: every function's
 * parameters and types, runtime.g's offsets, types by name and by runtime
 * descriptor address. Seeds: the DWARF of a few functions of each testdata
 * build, with the types they reach, cut out and rewritten by the seed tool
 * (seed_dwarf.c) into a few KB. The function table that .symtab would give
 * is read from the DWARF's own subprograms, so that they all match.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <dwarf.h>
#include "symbols/dwarf.h"
#include "tests/fuzz/fuzz_dwarf.h"
#include "tests/fuzz/mini_elf.h"

#define MAX_FUNCS 256

struct table {
	struct go_func funcs[MAX_FUNCS];
	int n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct go_func *)a)->name, ((const struct go_func *)b)->name);
}

static struct go_func *find(void *ctx, const char *name)
{
	struct table *t = ctx;
	struct go_func key = {.name = (char *)name};

	return t->n ? bsearch(&key, t->funcs, t->n, sizeof(key), by_name) : NULL;
}

/* What .symtab would say: each named subprogram with code, once. */
static int add_subprogram(struct go_dwarf *dw, Dwarf_Die *die, void *ctx)
{
	struct table *t = ctx;
	const char *name;
	Dwarf_Addr low;

	if (dwarf_tag(die) != DW_TAG_subprogram || !(name = dwarf_diename(die)) ||
	    dwarf_lowpc(die, &low) || t->n == MAX_FUNCS)
		return 0;
	t->funcs[t->n].name = (char *)name;
	t->funcs[t->n].low_pc = low;
	t->funcs[t->n].high_pc = low + 1;
	t->n++;
	return 0;
}

/* Types visited per input at most: types are shared, so a walk of a few
 * levels over structs of many fields is exponential (a timeout of the
 * harness's own, not of the reader). */
#define WALK_BUDGET 100000
static long walk_budget;

static void walk_type(const struct go_type *t, int depth)
{
	int i;

	if (!t || depth > 6 || walk_budget-- <= 0)
		return;
	if (!t->name || (t->n_fields && !t->fields))
		abort();
	(void)strlen(t->name);
	for (i = 0; i < t->n_fields; i++) {
		(void)strlen(t->fields[i].name);
		walk_type(t->fields[i].type, depth + 1);
	}
	walk_type(t->elem, depth + 1);
	walk_type(t->key, depth + 1);
}

static void exercise(struct go_dwarf *dw, uint64_t types_base)
{
	static const char *const names[] = {"runtime.g", "main.Point", "*main.Point",
					    "string",	 "error",      "int"};
	struct table *t = calloc(1, sizeof(*t));
	int64_t goid = -1, stack_hi = -1;
	int i, j;

	walk_budget = WALK_BUDGET;
	if (!t)
		return;
	go_dwarf_for_each_top_die(dw, add_subprogram, t);
	qsort(t->funcs, t->n, sizeof(t->funcs[0]), by_name);
	for (i = 1, j = t->n ? 1 : 0; i < t->n; i++)
		if (strcmp(t->funcs[i].name, t->funcs[j - 1].name))
			t->funcs[j++] = t->funcs[i];
	t->n = j;
	go_dwarf__load_funcs(dw, find, t);
	for (i = 0; i < t->n; i++) {
		const struct go_func *f = &t->funcs[i];

		if (f->n_params && !f->params)
			abort();
		for (j = 0; j < f->n_params; j++) {
			(void)strlen(f->params[j].name);
			walk_type(f->params[j].type, 0);
		}
	}
	go_dwarf__g_offsets(dw, &goid, &stack_hi);
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		walk_type(go_dwarf__find_type(dw, names[i]), 0);
	walk_type(go_dwarf__type_by_runtime_addr(dw, types_base + 0x40), 0);
	for (i = 0; i < t->n; i++)
		free(t->funcs[i].params);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mini_section sections[FUZZ_DWARF_N_SECTIONS];
	int slot[FUZZ_DWARF_N_SECTIONS], n = 0, err = 0, kind;
	uint64_t types_base = 0x4a0000;
	struct go_dwarf *dw;
	size_t pos = 0, len, file_len;
	uint8_t *file;
	Elf *elf;

	memset(slot, -1, sizeof(slot));
	while (pos + 3 <= size) {
		kind = data[pos] % FUZZ_DWARF_KINDS;
		len = data[pos + 1] | data[pos + 2] << 8;
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		if (kind == FUZZ_DWARF_TYPES_BASE) {
			if (len >= 8)
				memcpy(&types_base, data + pos, 8);
		} else {
			if (slot[kind] < 0)
				slot[kind] = n++;
			sections[slot[kind]] = (struct mini_section){
			    .name = fuzz_dwarf_sections[kind],
			    .type = SHT_PROGBITS,
			    .data = data + pos,
			    .size = len,
			};
		}
		pos += len;
	}
	file = mini_elf_build(sections, n, NULL, 0, true, &file_len);
	if (!file)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)file, file_len);
	if (elf) {
		dw = go_dwarf__new(elf, types_base, &err);
		if (dw) {
			exercise(dw, types_base);
			go_dwarf__free(dw);
		}
		elf_end(elf);
	}
	free(file);
	return 0;
}
