/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small x86-64 ELF file written in memory, around a few sections: the
 * DWARF harness wraps mutated .debug_* bytes in one, and the seed tool
 * writes small Go binaries with it (tests/fuzz/seeds.c).
 */
#ifndef GOTRACE_FUZZ_MINI_ELF_H
#define GOTRACE_FUZZ_MINI_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mini_section {
	const char *name;
	uint32_t type; /* SHT_PROGBITS, SHT_SYMTAB, ... */
	uint64_t flags;
	uint64_t addr;
	const void *data;
	size_t size;
	uint32_t link; /* a section index: 1 + its position in the array */
	uint32_t info;
	uint64_t entsize;
};

/* A PT_LOAD segment over sections first..last (array positions): its file
 * bytes are theirs, its address the first one's. */
struct mini_segment {
	uint32_t flags; /* PF_R, PF_W, PF_X */
	int first, last;
};

/* Returns a malloc'd file of *len bytes, or NULL. Without SECTION_HEADERS
 * the file has only its program headers, as a stripped-section binary. */
uint8_t *mini_elf_build(const struct mini_section *sections, int n_sections,
			const struct mini_segment *segments, int n_segments, bool section_headers,
			size_t *len);

#endif /* GOTRACE_FUZZ_MINI_ELF_H */
