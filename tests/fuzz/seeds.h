/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The seed tool's parts (seeds.c, seed_dwarf.c): a growable byte buffer,
 * and the DWARF cut out of a real binary.
 */
#ifndef GOTRACE_FUZZ_SEEDS_H
#define GOTRACE_FUZZ_SEEDS_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdw.h>

struct buf {
	uint8_t *p;
	size_t len, cap;
};

void buf_put(struct buf *b, const void *data, size_t n);
void buf_u8(struct buf *b, uint8_t v);
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
void buf_uleb(struct buf *b, uint64_t v);
void buf_sleb(struct buf *b, int64_t v);
void buf_free(struct buf *b);

/*
 * The DWARF of DW's top-level DIEs named NAMES (functions, or types such as
 * "runtime.g") and of the DIEs they refer to, breadth first, at most
 * MAX_DIES top-level DIEs in all; references past that are dropped. Written
 * anew as Go writes it (DWARF 4, DW_FORM_ref_addr, inline strings): one CU
 * for the functions, one for the types, and a line table that holds only
 * the file names DW_AT_decl_file needs. Returns the number of top-level
 * DIEs written.
 */
int dwarf_subset(Dwarf *dw, const char *const *names, int n_names, int max_dies, struct buf *abbrev,
		 struct buf *info, struct buf *line);

#endif /* GOTRACE_FUZZ_SEEDS_H */
