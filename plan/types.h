/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The type programs of a session (bpf/gotrace.h): every Go type that a
 * traced value can reach gets an id and a program that says what a value
 * of it leads to. One table serves every traced function, so that a type
 * reached from a thousand functions has one program. The decoder reads the
 * captures by the same ids.
 *
 * Maps take helper ids of their own: the map header (hmap, or a Swiss
 * table's Map), its buckets (or groups), and for Swiss tables the table and
 * the directory's entries (see type_map_ids).
 */
#ifndef GOTRACE_TYPES_H
#define GOTRACE_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

struct type_opts {
	uint32_t max_string; /* bytes of a string captured */
	uint32_t max_elems;  /* elements of a slice, array or map captured */
	bool swiss_maps;     /* Go 1.24+: maps are Swiss tables */
};

struct type_map_ids {
	uint32_t header; /* hmap, or the Swiss Map */
	uint32_t bucket; /* an hmap bucket, or a Swiss group */
	uint32_t table;	 /* Swiss: a table */
	uint32_t dir;	 /* Swiss: a directory entry, a pointer to a table */
	struct go_map_layout layout;
};

struct type_table;

struct type_table *type_table__new(const struct type_opts *opts);
void type_table__free(struct type_table *tt);

/* T's id, registering T and everything it reaches; 0 when out of memory or
 * past GT_MAX_TYPES. */
uint32_t type_table__id(struct type_table *tt, const struct go_type *t);
/* T's id if it is registered, else 0. */
uint32_t type_table__find(const struct type_table *tt, const struct go_type *t);
/* The helper ids of map type T, registered; false when T is not. */
bool type_map_ids(const struct type_table *tt, const struct go_type *t, struct type_map_ids *out);
/* Where map T's entries sit in its buckets or groups. */
void type_map_layout(const struct type_table *tt, const struct go_type *t,
		     struct go_map_layout *ml);
/* Whether a registered type holds an interface somewhere: then every type
 * with a runtime descriptor may be a dynamic type. */
bool type_table__reaches_interfaces(const struct type_table *tt);
/* --max-elems, as the programs were built with it. */
uint32_t type_table__max_elems(const struct type_table *tt);

/* Ids in use are 1 .. type_table__count() - 1; their programs. */
uint32_t type_table__count(const struct type_table *tt);
const struct gt_type *type_table__program(const struct type_table *tt, uint32_t id);

/* Whether a value of T is stored in an interface's data word itself
 * (pointer-shaped: Go's isdirectiface). */
bool type_is_direct(const struct go_type *t);

#endif /* GOTRACE_TYPES_H */
