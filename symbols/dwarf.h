/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by dwarf_types.c and dwarf_funcs.c only: the rest of symbols/
 * sees struct go_dwarf as opaque (internal.h).
 */
#ifndef GOTRACE_SYMBOLS_DWARF_H
#define GOTRACE_SYMBOLS_DWARF_H

#include "symbols/internal.h"

/* Go's own attributes (cmd/internal/dwarf) */
#define DW_AT_go_kind 0x2900
#define DW_AT_go_key 0x2901
#define DW_AT_go_elem 0x2902
#define DW_AT_go_embedded_field 0x2903
#define DW_AT_go_runtime_type 0x2904
#define MAX_TYPE_DEPTH 64 /* typedef and pointer chains in a hostile file */

struct type_table;
struct dwarf_unit;

struct go_dwarf {
	Dwarf *dwarf;
	uint64_t types_base;	  /* runtime.types: descriptor addresses are relative to it */
	struct type_table *types; /* dwarf_types.c's: every go_type made, by DIE offset */
	char **result_names;	  /* dwarf_funcs.c's: "~r0", "~r1"...: unnamed results' names */
	int n_result_names;
	/* dwarf_funcs.c's: the compilation units by package, each read once */
	struct dwarf_unit *units;
	int n_units;
	bool all_units_read;
};

/*
 * The compilation units: Go's linker makes one per package, named by its
 * import path ("net/http", "main"), and more for a package's assembly, and
 * writes every type into the runtime's. A function's DIE is in its
 * package's unit, except an instantiation of a generic function, which is
 * in the unit of a package that uses it.
 */
struct dwarf_unit {
	const char *name; /* DWARF's string */
	Dwarf_Off die;	  /* the unit's DIE */
	bool read;	  /* dwarf_funcs.c visited its functions */
};

/* Reads the units' names into dw->units, sorted by name, once: 0 or
 * -ENOMEM. */
int go_dwarf_index_units(struct go_dwarf *dw);
/* The first unit named NAME (LEN bytes), or where it would be; and
 * whether U is named so. */
struct dwarf_unit *go_dwarf_first_unit(struct go_dwarf *dw, const char *name, size_t len);
bool go_dwarf_unit_is(const struct dwarf_unit *u, const char *name, size_t len);

/* FN gets every top-level DIE of the CU whose DIE is at offset CU_DIE. */
int go_dwarf_for_each_unit_die(struct go_dwarf *dw, Dwarf_Off cu_die,
			       int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx);
/* FN gets the top-level DIEs of the runtime's units, where the types are;
 * returns as go_dwarf_for_each_top_die, and 1 when FN stopped the walk. */
int go_dwarf_for_each_types_die(struct go_dwarf *dw,
				int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx);

/* DIE attributes; attr_flag also through DW_AT_abstract_origin. */
bool go_dwarf_attr_udata(Dwarf_Die *die, unsigned name, Dwarf_Word *val);
bool go_dwarf_attr_flag(Dwarf_Die *die, unsigned name, Dwarf_Word *val);

/* The Go type of a type DIE, or of the DIE its attribute ATTR refers to:
 * made once, shared. DEPTH bounds the chains a hostile file may hold. */
struct go_type *go_dwarf_make_type(struct go_dwarf *dw, Dwarf_Die *die, int depth);
struct go_type *go_dwarf_ref_type(struct go_dwarf *dw, Dwarf_Die *die, unsigned attr, int depth);
/* Copies underlying layouts into named types again, once all are made. */
void go_dwarf_settle_types(struct go_dwarf *dw);

/* FN gets every top-level DIE of every CU; a negative return stops the
 * walk and is returned, a positive one stops it with 0. */
int go_dwarf_for_each_top_die(struct go_dwarf *dw,
			      int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx);

#endif /* GOTRACE_SYMBOLS_DWARF_H */
