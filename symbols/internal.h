/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared between the files of symbols/, and exposed to its unit tests. */
#ifndef GOTRACE_SYMBOLS_INTERNAL_H
#define GOTRACE_SYMBOLS_INTERNAL_H

#include <gelf.h>
#include <elfutils/libdw.h>
#include "symbols/symbols.h"

struct gobin {
	int fd;
	Elf *elf;
	const uint8_t *image; /* the file, mapped */
	size_t image_size;
	GElf_Ehdr ehdr;
	GElf_Phdr *phdrs;
	size_t n_phdrs;
	struct go_func *funcs; /* sorted by name */
	int n_funcs, cap_funcs;
	char *version;
	Dwarf *dwarf;
	void *types;	     /* dwarf.c's table of every go_type made, by DIE offset */
	char **result_names; /* "~r0", "~r1"...: unnamed results' names, shared */
	int n_result_names;
	int64_t goid_offset, stack_hi_offset;
	uint64_t types_base;	/* runtime.types: the start of the type descriptors */
	uint64_t pclntab_vaddr; /* where the pclntab was found, without .symtab */
	void *descriptor_types; /* typedesc.c: types made from descriptors, without DWARF */
};

/* The file bytes of the section named NAME, or NULL. */
const uint8_t *gobin_section_bytes(const struct gobin *bin, const char *name, size_t *len);

/* Reads SIZE bytes at virtual address ADDR of the file image; 0 or -EFAULT. */
int gobin_read_vaddr(const struct gobin *bin, uint64_t addr, void *dst, size_t size);

/*
 * Parses a build info blob (from the "\xff Go buildinf:" magic on). Go 1.18+
 * inlines varint-prefixed strings (flags & 2); older binaries hold pointers
 * to string headers, read through READ. Returns a malloc'd version string
 * ("go1.19.8") or NULL.
 */
typedef int (*buildinfo_read_fn)(void *ctx, uint64_t addr, void *dst, size_t size);
char *buildinfo_parse_version(const uint8_t *blob, size_t len, buildinfo_read_fn read, void *ctx);

/* Finds the build info in BIN and returns its version, or NULL. */
char *buildinfo_version(const struct gobin *bin);

/* Walks a pclntab (all four header formats): FN gets every function's
 * name, entry and end. TEXT_START is moduledata.text, which Go 1.18+ entry
 * offsets are from; 0 takes the header's copy (Go 1.18-1.25 only). Returns
 * 0, FN's non-zero return, or -EINVAL for a table it cannot read. */
typedef int (*pclntab_fn)(void *ctx, const char *name, uint64_t entry, uint64_t end);
int pclntab_parse(const uint8_t *data, size_t len, uint64_t text_start, pclntab_fn fn, void *ctx);

/* runtime.g's goid and stack.hi offsets by Go version, without DWARF
 * (goruntime.c); false for a version whose layout is not known. */
bool go_runtime_g_layout(int major, int minor, int64_t *goid, int64_t *stack_hi);
/* moduledata.text and .types of the module whose pclntab is at
 * PCLNTAB_VADDR (goruntime.c), or 0. */
uint64_t moduledata_text(const struct gobin *bin, uint64_t pclntab_vaddr);
uint64_t moduledata_types(const struct gobin *bin, uint64_t pclntab_vaddr);

/* The DWARF type whose runtime descriptor is at ADDR (dwarf.c), or NULL. */
const struct go_type *dwarf_type_by_runtime_addr(const struct gobin *bin, uint64_t addr);
/* Without .symtab: runtime.types from the module data (typedesc.c). */
void typedesc_find_types_base(struct gobin *bin);
void typedesc_free(struct gobin *bin);

/* Whether the function NAME is a shaped instantiation of a generic
 * function, which takes a hidden dictionary; *index: before which input
 * (elf.c, where the rules are). */
bool generic_takes_dictionary(const char *name, bool before_receiver, int *index);

/* Fills params and types of BIN's functions from DWARF; absent DWARF is not
 * an error. */
int dwarf_load(struct gobin *bin);

/* Whether the assembly function NAME, declared in DECL_FILE (DWARF's path of
 * a .s file), is surely in the stack ABI: outside the runtime packages,
 * whose assembly alone may be written for the register ABI. */
bool asm_func_is_stack_abi(const char *name, const char *decl_file);
void dwarf_free(struct gobin *bin);

#endif /* GOTRACE_SYMBOLS_INTERNAL_H */
