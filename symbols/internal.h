/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between the files of symbols/, and exposed to its unit tests.
 *
 * The files call each other in layers, never back up (docs/design.md,
 * "Layers"):
 *   gobin.c       gobin__open and the function table: runs everything below
 *   moduledata.c  the module data, read through elf.c
 *   typeexpr.c    types as signatures write them, through callbacks
 *   pclntab.c, buildinfo.c, typelinks.c -> typedesc.c -> typenames.c,
 *   dwarf_funcs.c -> dwarf_types.c
 *                 parsers: bytes, a read callback or a libdw handle in,
 *                 results out; no struct gobin
 *   elf.c         the file: sections, segments, symbols; calls none of these
 *   goruntime.h, goruntime.c, goname.c
 *                 Go's rules and layouts, on no binary at all
 */
#ifndef GOTRACE_SYMBOLS_INTERNAL_H
#define GOTRACE_SYMBOLS_INTERNAL_H

#include <gelf.h>
#include <elfutils/libdw.h>
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

struct go_dwarf;
struct descriptor_types;

struct gobin {
	/* elf.c's: the file */
	int fd;
	Elf *elf;
	const uint8_t *image; /* the file, mapped */
	size_t image_size;
	GElf_Ehdr ehdr;
	GElf_Phdr *phdrs;
	size_t n_phdrs;
	/* the DWARF sections alone, for libdw (gobin_dwarf_elf) */
	Elf *dwarf_elf;
	uint8_t *dwarf_image;
	/* gobin.c's, in the order gobin__open finds them */
	char *version;
	struct go_func *funcs; /* sorted by name */
	int n_funcs, cap_funcs;
	uint64_t pclntab_vaddr; /* where the pclntab was found, without .symtab */
	uint64_t types_base;	/* runtime.types: the start of the type descriptors */
	/* Owned apart, so that lookups through a const gobin may fill them */
	struct descriptor_types *descriptor_types; /* types made from descriptors */
	struct made_types *made_types;		   /* typeexpr.c's types, for signatures */
	struct go_dwarf *dwarf;			   /* NULL without DWARF */
	int64_t goid_offset, stack_hi_offset;	   /* from DWARF, or -1 */
};

/* elf.c: the only reader of the ELF file. */

/* Opens, maps and checks PATH, and reads its program headers; on error
 * returns a negative errno and says why in errbuf. gobin_elf_close frees
 * what it set up, also after an error. */
int gobin_elf_open(struct gobin *bin, const char *path, char *errbuf, size_t errlen);
void gobin_elf_close(struct gobin *bin);

/* The file as libdw should see it: only the DWARF sections gotrace reads
 * (symbols/dwarf_*.c). Owned by BIN; NULL when out of memory. */
Elf *gobin_dwarf_elf(struct gobin *bin);
/* Drops the pages of those sections' compressed bytes from memory once
 * libdw holds them decompressed. */
void gobin_dwarf_elf_release_raw(struct gobin *bin);

/* The file bytes of the section named NAME, or NULL. */
const uint8_t *gobin_section_bytes(const struct gobin *bin, const char *name, size_t *len);
bool gobin_has_section(const struct gobin *bin, const char *name);

/* Reads SIZE bytes at virtual address ADDR of the file image; 0 or -EFAULT. */
int gobin_read_vaddr(const struct gobin *bin, uint64_t addr, void *dst, size_t size);
/* The virtual address BYTES (inside the file image) are loaded at, or 0. */
uint64_t gobin_bytes_vaddr(const struct gobin *bin, const uint8_t *bytes);

/* The next PT_LOAD segment from program header *I on (start at 0) whose
 * flags have all of WANT and none of AVOID (PF_*), or NULL: its header,
 * and in DATA and LEN the bytes the file holds of it (a hostile p_filesz is
 * no bound). */
const GElf_Phdr *gobin_next_segment(const struct gobin *bin, size_t *i, uint32_t want,
				    uint32_t avoid, const uint8_t **data, size_t *len);

/* Gets a function's name, entry and end (exclusive); non-zero stops. */
typedef int (*func_range_fn)(void *ctx, const char *name, uint64_t entry, uint64_t end);
/* FN gets every function of .symtab that has code; returns FN's non-zero
 * return, or 0. */
int gobin_symtab_funcs(const struct gobin *bin, func_range_fn fn, void *ctx);
/* The value of .symtab's data symbol NAME, or 0. */
uint64_t gobin_symtab_value(const struct gobin *bin, const char *name);

/* The parsers: bytes in, and for what those point to, a read callback. */

/* Reads SIZE bytes at virtual address ADDR of the binary; 0 on success. */
typedef int (*vaddr_read_fn)(void *ctx, uint64_t addr, void *dst, size_t size);

/*
 * Parses a build info blob (from the "\xff Go buildinf:" magic on). Go 1.18+
 * inlines varint-prefixed strings (flags & 2); older binaries hold pointers
 * to string headers, read through READ. Returns a malloc'd version string
 * ("go1.19.8") or NULL.
 */
char *buildinfo_parse_version(const uint8_t *blob, size_t len, vaddr_read_fn read, void *ctx);

/* Looks for the build info at the start of a segment's bytes, as
 * debug/buildinfo does with the data segment: when its magic is there,
 * returns true and the version, or NULL, in *version. */
bool buildinfo_find(const uint8_t *data, size_t len, vaddr_read_fn read, void *ctx, char **version);

/* What a function's _func record says beyond its name and range
 * (runtime/symtab.go): the facts the runtime's tracebacks use to elide
 * the compiler's wrappers. */
struct pclntab_facts {
	/* funcID is FuncID_wrapper, whose number changes between versions:
	 * it is the one every linker gives runtime.deferreturn */
	bool funcid_wrapper;
	uint8_t flag; /* abi.FuncFlag (TOPFRAME, SPWRITE, ASM); 0 before Go 1.16 */
	/* the source file of the first instruction, from the pcfile table
	 * (Go 1.16+), when that instruction is the function's own and not
	 * inlined code; NULL otherwise */
	const char *entry_file;
};

/* Walks a pclntab (all four header formats): FN gets every function's
 * name, entry, end and facts. TEXT_START is moduledata.text, which Go
 * 1.18+ entry offsets are from; 0 takes the header's copy (Go 1.18-1.25
 * only). Returns 0, FN's non-zero return, or -EINVAL for a table it cannot
 * read. */
typedef int (*pclntab_fn)(void *ctx, const char *name, uint64_t entry, uint64_t end,
			  const struct pclntab_facts *facts);
int pclntab_parse(const uint8_t *data, size_t len, uint64_t text_start, pclntab_fn fn, void *ctx);

/* What the module data says of the type descriptors (moduledata.c). */
struct module_types {
	uint64_t text;				    /* methods' text offsets are from it */
	uint64_t types, etypes;			    /* the descriptors and the names they use */
	uint64_t typelinks, n_typelinks;	    /* []int32, offsets from types (to Go 1.26) */
	uint64_t itablinks, n_itablinks;	    /* []*itab (to Go 1.26) */
	uint64_t typedesclen, itaboffset, itabsize; /* Go 1.27: from types, in a row */
};

/* Types from runtime descriptors, for binaries without DWARF (typedesc.c,
 * typenames.c): read through READ by the layouts of Go MAJOR.MINOR (1.15
 * to 1.27; for others nothing is found). */
struct typedesc_source {
	vaddr_read_fn read;
	void *ctx;
	int major, minor;
	struct module_types mod;
};

/* A method whose descriptor keeps its func type: a function's signature. */
struct go_method {
	const struct go_type *recv;
	char *name;
	uint64_t entry;		 /* its code (the method's tfn) */
	struct go_param *params; /* receiver ~p0, inputs ~p1..., results ~r0... */
	int n_params;
};

struct descriptor_types *typedesc__new(const struct typedesc_source *src);
/* The type whose descriptor is at ADDR, with everything it leads to. */
const struct go_type *typedesc__find(struct descriptor_types *dt, uint64_t addr);
/* Every type the module lists (typelinks and itabs, or Go 1.27's row of
 * descriptors), and every type those lead to, sorted by address. */
int typedesc__all(struct descriptor_types *dt, const struct go_type *const **out);
/* A type by its full Go name, "go.example.com/svc/pb.Req", "[]*main.T". */
const struct go_type *typedesc__by_name(struct descriptor_types *dt, const char *name);
/* The NTH of the *COUNT import paths QUALIFIER (a package's name, or its
 * path's last element) may stand for, or NULL when NTH >= *COUNT. */
const char *typedesc__package(struct descriptor_types *dt, const char *qualifier, int nth,
			      int *count);
/* The method whose code starts at ENTRY, or NULL. */
const struct go_method *typedesc__method_at(struct descriptor_types *dt, uint64_t entry);
void typedesc__free(struct descriptor_types *dt);

/* Types as a signature writes them (typeexpr.c): FIND gives a type by its
 * full Go name, PACKAGE the import path a short qualifier stands for (as
 * typedesc__package). Types it makes are kept in *MADE. Returns NULL with
 * the reason in WHY. */
struct type_resolver {
	const struct go_type *(*find)(void *ctx, const char *name);
	const char *(*package)(void *ctx, const char *qualifier, int nth, int *count);
	void *ctx;
};
struct made_types;
struct made_types *made_types__new(void);
const struct go_type *typeexpr_resolve(const struct type_resolver *r, struct made_types *made,
				       const char *expr, char *why, size_t why_len);
void made_types__free(struct made_types *m);

/* DWARF (dwarf_types.c, dwarf_funcs.c): NULL, with *err 0, when ELF has
 * none. Descriptor addresses in DWARF are relative to TYPES_BASE. */
struct go_dwarf *go_dwarf__new(Elf *elf, uint64_t types_base, int *err);
/* Gives the functions DWARF describes their parameters, ABI and wrapper
 * flag; FIND looks a function up by its exact name in the table. */
typedef struct go_func *(*dwarf_find_func_fn)(void *ctx, const char *name);
int go_dwarf__load_funcs(struct go_dwarf *dw, dwarf_find_func_fn find, void *ctx);
/* The same for the compilation units of package PKG (LEN bytes) alone;
 * units already read are not read again. */
int go_dwarf__load_package_funcs(struct go_dwarf *dw, const char *pkg, size_t len,
				 dwarf_find_func_fn find, void *ctx);
/* runtime.g's goid and stack.hi offsets; left as they are when unknown. */
void go_dwarf__g_offsets(struct go_dwarf *dw, int64_t *goid, int64_t *stack_hi);
const struct go_type *go_dwarf__find_type(struct go_dwarf *dw, const char *name);
const struct go_type *go_dwarf__type_by_runtime_addr(struct go_dwarf *dw, uint64_t addr);
int go_dwarf__runtime_types(struct go_dwarf *dw, const struct go_type *const **out);
void go_dwarf__free(struct go_dwarf *dw);

/* Whether the assembly function NAME, declared in DECL_FILE (DWARF's path of
 * a .s file), is surely in the stack ABI: outside the runtime packages,
 * whose assembly alone may be written for the register ABI. */
bool asm_func_is_stack_abi(const char *name, const char *decl_file);

/* moduledata.c: moduledata.text of the module whose pclntab is at
 * PCLNTAB_VADDR, or 0; its lists of types by the layout of Go MAJOR.MINOR,
 * from the module data at MD_VADDR (runtime.firstmoduledata), or when 0 the
 * one found through PCLNTAB_VADDR (0 or -ENOENT); and its .types, or 0. */
uint64_t moduledata_text(const struct gobin *bin, uint64_t pclntab_vaddr);
int moduledata_read_types(const struct gobin *bin, uint64_t md_vaddr, uint64_t pclntab_vaddr,
			  int major, int minor, struct module_types *out);
uint64_t moduledata_types(const struct gobin *bin, uint64_t pclntab_vaddr, int major, int minor);
/* moduledata.gofunc, the base of Go 1.18+ funcdata offsets, or 0. */
uint64_t moduledata_gofunc(const struct gobin *bin, uint64_t pclntab_vaddr, int major, int minor);

#endif /* GOTRACE_SYMBOLS_INTERNAL_H */
