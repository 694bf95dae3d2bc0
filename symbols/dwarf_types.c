// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's DWARF (cmd/link/internal/ld/dwarf.go) -> Go types.
 *
 * Go extends DWARF with attributes that carry what C's DWARF cannot say:
 * the reflect kind of every type, the key and element types of maps, chans
 * and slices, embedded fields, and the address of each type's runtime
 * descriptor. Named types are typedefs of their underlying type; maps and
 * chans are typedefs of pointers to runtime structures; interfaces are
 * typedefs of runtime.iface or runtime.eface.
 *
 * Types are made on demand, once per DIE, and kept in struct go_dwarf,
 * which the gobin owns apart from itself: lookups through a const gobin
 * (gobin__find_type) fill it without casting const away. Functions and
 * their parameters are dwarf_funcs.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include "symbols/dwarf.h"

/* Types by DIE offset: an open-addressing table. */
struct type_entry {
	Dwarf_Off die;
	struct go_type *type;
	bool owns_fields;
	/* a named type's copy of this layout, refreshed by settle_named_types */
	struct go_type *under;
};

struct type_table {
	struct type_entry *slots;
	size_t cap, n;
	/* by runtime descriptor address, built on first use */
	struct go_type **by_rtype;
	size_t n_rtype;
	bool all_loaded;
};

static struct type_table *table_of(struct go_dwarf *dw)
{
	return dw->types;
}

static size_t hash_off(Dwarf_Off off, size_t cap)
{
	return (off * 0x9e3779b97f4a7c15ull) >> 20 & (cap - 1);
}

static struct type_entry *table_find(struct type_table *t, Dwarf_Off die)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = hash_off(die, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].type)
			return NULL;
		if (t->slots[i].die == die)
			return &t->slots[i];
	}
}

static struct type_entry *table_insert(struct type_table *t, Dwarf_Off die, struct go_type *type)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024, j;
		struct type_entry *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return NULL;
		for (j = 0; j < t->cap; j++) {
			if (!t->slots[j].type)
				continue;
			for (i = hash_off(t->slots[j].die, cap); slots[i].type;
			     i = (i + 1) & (cap - 1))
				;
			slots[i] = t->slots[j];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	for (i = hash_off(die, t->cap); t->slots[i].type; i = (i + 1) & (t->cap - 1))
		;
	t->slots[i].die = die;
	t->slots[i].type = type;
	t->n++;
	return &t->slots[i];
}

bool go_dwarf_attr_udata(Dwarf_Die *die, unsigned name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;
	Dwarf_Addr addr;

	if (!dwarf_attr(die, name, &attr))
		return false;
	if (dwarf_whatform(&attr) == DW_FORM_addr) {
		if (dwarf_formaddr(&attr, &addr))
			return false;
		*val = addr;
		return true;
	}
	return dwarf_formudata(&attr, val) == 0;
}

/* DW_FORM_flag (Go's results and embedded fields) or a constant. Through
 * DW_AT_abstract_origin: the out-of-line copy of a function inlined
 * elsewhere gives its parameters only as references to the abstract ones. */
bool go_dwarf_attr_flag(Dwarf_Die *die, unsigned name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;
	bool flag;

	if (!dwarf_attr_integrate(die, name, &attr))
		return false;
	if (dwarf_formflag(&attr, &flag) == 0) {
		*val = flag;
		return true;
	}
	return dwarf_formudata(&attr, val) == 0;
}

static bool attr_die(Dwarf_Die *die, unsigned name, Dwarf_Die *out)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, name, &attr) && dwarf_formref_die(&attr, out);
}

static uint32_t scalar_align(uint64_t size)
{
	return size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
}

static enum go_kind base_kind(Dwarf_Die *die, uint64_t size)
{
	Dwarf_Word enc = 0;

	go_dwarf_attr_udata(die, DW_AT_encoding, &enc);
	switch (enc) {
	case DW_ATE_boolean:
		return GO_BOOL;
	case DW_ATE_float:
		return size == 4 ? GO_FLOAT32 : GO_FLOAT64;
	case DW_ATE_complex_float:
		return size == 8 ? GO_COMPLEX64 : GO_COMPLEX128;
	case DW_ATE_signed:
		return size == 1 ? GO_INT8 : size == 2 ? GO_INT16 : size == 4 ? GO_INT32 : GO_INT64;
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
		return size == 1   ? GO_UINT8
		       : size == 2 ? GO_UINT16
		       : size == 4 ? GO_UINT32
				   : GO_UINT64;
	default:
		return GO_INVALID;
	}
}

struct go_type *go_dwarf_ref_type(struct go_dwarf *dw, Dwarf_Die *die, unsigned attr, int depth)
{
	Dwarf_Die target;

	if (!attr_die(die, attr, &target))
		return NULL;
	return go_dwarf_make_type(dw, &target, depth + 1);
}

static int load_fields(struct go_dwarf *dw, Dwarf_Die *die, struct go_type *t, int depth)
{
	Dwarf_Die child;
	int cap = 0;

	if (dwarf_child(die, &child) != 0)
		return 0;
	do {
		struct go_field *f;
		Dwarf_Word off = 0, embedded = 0;
		const char *name;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (t->n_fields == cap) {
			cap = cap ? cap * 2 : 8;
			f = realloc(t->fields, cap * sizeof(*f));
			if (!f)
				return -ENOMEM;
			t->fields = f;
		}
		f = &t->fields[t->n_fields++];
		memset(f, 0, sizeof(*f));
		name = dwarf_diename(&child);
		f->name = strdup(name ? name : "_");
		go_dwarf_attr_udata(&child, DW_AT_data_member_location, &off);
		go_dwarf_attr_flag(&child, DW_AT_go_embedded_field, &embedded);
		f->offset = off;
		f->embedded = embedded != 0;
		f->type = go_dwarf_ref_type(dw, &child, DW_AT_type, depth);
		if (f->type && f->type->align > t->align)
			t->align = f->type->align;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static uint64_t array_len(Dwarf_Die *die)
{
	Dwarf_Die child;
	Dwarf_Word n = 0;

	if (dwarf_child(die, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		if (go_dwarf_attr_udata(&child, DW_AT_count, &n))
			return n;
		if (go_dwarf_attr_udata(&child, DW_AT_upper_bound, &n))
			return n + 1;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

/*
 * A generic function's types are its shapes, "[]go.shape.int_0": shown as
 * the type they stand for, "[]int" (all pointer types share one shape,
 * "go.shape.*uint8_0", shown as "*uint8").
 */
static char *type_name(const char *name)
{
	static const char shape[] = "go.shape.";
	char *out = strdup(name), *p, *end;
	int depth;

	if (!out)
		return NULL;
	while ((p = strstr(out, shape))) {
		memmove(p, p + sizeof(shape) - 1, strlen(p + sizeof(shape) - 1) + 1);
		/* drop the "_N" suffix of the shape's name, which may hold
		 * brackets and spaces of its own: "go.shape.[]string_1",
		 * "go.shape.interface {}_1" */
		for (end = p, depth = 0; *end && depth >= 0 && (depth || !strchr(",;", *end));
		     end++) {
			size_t digits = end[0] == '_' ? strspn(end + 1, "0123456789") : 0;

			if (!depth && digits &&
			    (!end[1 + digits] || strchr(",;]}) ", end[1 + digits]))) {
				memmove(end, end + 1 + digits, strlen(end + 1 + digits) + 1);
				break;
			}
			depth += !!strchr("([{", *end) - !!strchr(")]}", *end);
		}
	}
	return out;
}

/* A named type (a typedef): the underlying type's layout, its own name.
 * Maps and chans are typedefs of pointers to runtime structures, and
 * interfaces of runtime.iface or runtime.eface. */
static void make_named_type(struct go_dwarf *dw, Dwarf_Die *die, struct go_type *t, bool has_kind,
			    Dwarf_Word rtype, int depth)
{
	struct type_entry *e;
	struct go_type *under;

	under = go_dwarf_ref_type(dw, die, DW_AT_type, depth);
	if (!under)
		return;
	t->size = under->size;
	t->align = under->align;
	t->elem = under->elem;
	t->key = under->key;
	t->len = under->len;
	t->fields = under->fields;
	t->n_fields = under->n_fields;
	t->is_empty_interface = under->is_empty_interface;
	e = table_find(table_of(dw), dwarf_dieoffset(die));
	if (e) {
		e->owns_fields = false;
		e->under = under;
	}
	/* a generic function's ".param0" stands for its shape type */
	if (t->name[0] == '.' && under->name) {
		free(t->name);
		t->name = strdup(under->name);
	}
	if (!has_kind)
		t->kind = under->kind;
	if (!rtype)
		t->runtime_type = under->runtime_type;
	switch (t->kind) {
	case GO_MAP:
	case GO_CHAN: {
		/* a generic function's ".param0" names no key or elem of its
		 * own: its map's or chan's, copied above, stand */
		struct go_type *key = go_dwarf_ref_type(dw, die, DW_AT_go_key, depth);
		struct go_type *elem = go_dwarf_ref_type(dw, die, DW_AT_go_elem, depth);

		t->size = GO_PTR_SIZE;
		t->align = GO_PTR_SIZE;
		if (key || under->kind != t->kind)
			t->key = key;
		if (elem || under->kind != t->kind)
			t->elem = elem;
		if (t->kind == GO_MAP)
			t->map_impl = under;
		t->fields = NULL;
		t->n_fields = 0;
		break;
	}
	case GO_INTERFACE:
		if (under->kind == GO_STRUCT || under->kind == GO_INTERFACE)
			t->is_empty_interface =
			    under->is_empty_interface || !strcmp(under->name, "runtime.eface");
		t->size = GO_IFACE_SIZE;
		t->align = GO_PTR_SIZE;
		break;
	default:
		break;
	}
}

struct go_type *go_dwarf_make_type(struct go_dwarf *dw, Dwarf_Die *die, int depth)
{
	struct type_table *table = table_of(dw);
	Dwarf_Off off = dwarf_dieoffset(die);
	struct type_entry *e = table_find(table, off);
	struct go_type *t;
	Dwarf_Word kind = 0, size = 0, rtype = 0;
	const char *name;
	bool has_kind;

	if (e)
		return e->type;
	if (depth > MAX_TYPE_DEPTH)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	/* registered before recursing, so that recursive types terminate */
	e = table_insert(table, off, t);
	if (!e) {
		free(t);
		return NULL;
	}
	e->owns_fields = true;
	name = dwarf_diename(die);
	t->name = type_name(name ? name : "?");
	/* Go 1.15's linker writes kind 0 on the types it makes itself (the
	 * pointer types of defptrto, "*int"; hchan<int>): the tag decides */
	has_kind = go_dwarf_attr_udata(die, DW_AT_go_kind, &kind) && kind != GO_INVALID;
	go_dwarf_attr_udata(die, DW_AT_byte_size, &size);
	go_dwarf_attr_udata(die, DW_AT_go_runtime_type, &rtype);
	t->kind = kind;
	t->size = size;
	/* the linker writes most descriptors' addresses relative to
	 * runtime.types, and some absolute */
	if (rtype && rtype < dw->types_base)
		rtype += dw->types_base;
	t->runtime_type = rtype;

	switch (dwarf_tag(die)) {
	case DW_TAG_base_type:
		if (!has_kind)
			t->kind = base_kind(die, size);
		t->align = scalar_align(t->kind == GO_COMPLEX128  ? 8
					: t->kind == GO_COMPLEX64 ? 4
								  : size);
		break;
	case DW_TAG_pointer_type:
		if (!has_kind)
			t->kind =
			    !strcmp(t->name, "unsafe.Pointer") ? GO_UNSAFE_POINTER : GO_POINTER;
		t->size = GO_PTR_SIZE;
		t->align = GO_PTR_SIZE;
		if (t->kind == GO_POINTER)
			t->elem = go_dwarf_ref_type(dw, die, DW_AT_type, depth);
		break;
	case DW_TAG_subroutine_type:
		t->kind = GO_FUNC;
		t->size = GO_PTR_SIZE;
		t->align = GO_PTR_SIZE;
		break;
	case DW_TAG_array_type:
		t->kind = GO_ARRAY;
		t->elem = go_dwarf_ref_type(dw, die, DW_AT_type, depth);
		t->len = array_len(die);
		t->align = t->elem ? t->elem->align : 1;
		if (!size && t->elem)
			t->size = t->elem->size * t->len;
		break;
	case DW_TAG_structure_type:
		if (!has_kind)
			t->kind = GO_STRUCT;
		t->align = 1;
		if (load_fields(dw, die, t, depth))
			return NULL;
		if (t->kind == GO_SLICE)
			t->elem = go_dwarf_ref_type(dw, die, DW_AT_go_elem, depth);
		break;
	case DW_TAG_typedef:
		make_named_type(dw, die, t, has_kind, rtype, depth);
		break;
	default:
		break;
	}
	/* every pointer type argument of a generic shares one shape,
	 * "go.shape.*uint8" (a pointer type and a typedef of it): what it
	 * points to is the dictionary's to say, not uint8, so it is not
	 * followed */
	if (name && !strncmp(name, "go.shape.*", 10))
		t->elem = NULL;
	if (!t->align)
		t->align = 1;
	return t;
}

/*
 * A named type copies its underlying type's layout when it is made. When
 * the underlying struct is still being made (`type Ring struct{ next
 * *Ring; ... }` reached struct first: Ring, next, *Ring, the typedef Ring,
 * Ring again), the copy holds the fields made so far, through a pointer
 * that growing the array may free. Once every type reachable is made, copy
 * again; chains of named types settle in as many rounds as they are long.
 */
void go_dwarf_settle_types(struct go_dwarf *dw)
{
	struct type_table *table = table_of(dw);
	size_t i;
	int round;
	bool changed = true;

	if (!table)
		return;
	for (round = 0; changed && round < MAX_TYPE_DEPTH; round++) {
		changed = false;
		for (i = 0; i < table->cap; i++) {
			struct type_entry *e = &table->slots[i];
			struct go_type *t = e->type;
			const struct go_type *u = e->under;

			if (!t || !u || t->kind == GO_MAP || t->kind == GO_CHAN)
				continue;
			if (t->fields != u->fields || t->n_fields != u->n_fields)
				changed = true;
			t->fields = u->fields;
			t->n_fields = u->n_fields;
			if (t->kind == GO_INTERFACE)
				continue; /* size and alignment are fixed */
			if (t->size != u->size || t->align != u->align || t->elem != u->elem)
				changed = true;
			t->size = u->size;
			t->align = u->align;
			t->elem = u->elem;
			t->key = u->key;
			t->len = u->len;
		}
	}
}

/* Visits every top-level DIE of one CU: 0, FN's negative return, or 1
 * when FN asked to stop. */
static int for_each_unit_die(struct go_dwarf *dw, Dwarf_Off cu_die,
			     int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx)
{
	Dwarf_Die cu, die;
	int err;

	if (!dwarf_offdie(dw->dwarf, cu_die, &cu) || dwarf_child(&cu, &die) != 0)
		return 0;
	do {
		err = fn(dw, &die, ctx);
		if (err)
			return err > 0 ? 1 : err;
	} while (dwarf_siblingof(&die, &die) == 0);
	return 0;
}

int go_dwarf_for_each_unit_die(struct go_dwarf *dw, Dwarf_Off cu_die,
			       int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx)
{
	int err = for_each_unit_die(dw, cu_die, fn, ctx);

	return err > 0 ? 0 : err;
}

/* Visits every top-level DIE of every CU. */
int go_dwarf_for_each_top_die(struct go_dwarf *dw,
			      int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int err;

	while (dwarf_nextcu(dw->dwarf, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		err = for_each_unit_die(dw, off + hsize, fn, ctx);
		if (err)
			return err > 0 ? 0 : err;
		off = next;
	}
	return 0;
}

static int by_unit_name(const void *a, const void *b)
{
	const struct dwarf_unit *ua = a, *ub = b;
	int c = strcmp(ua->name, ub->name);

	return c ? c : ua->die < ub->die ? -1 : ua->die > ub->die;
}

/* A few hundred DIEs: the units' own. */
int go_dwarf_index_units(struct go_dwarf *dw)
{
	Dwarf_Off off = 0, next;
	struct dwarf_unit *u;
	const char *name;
	size_t hsize;
	Dwarf_Die cu;
	int cap = 0;

	if (dw->units)
		return 0;
	while (dwarf_nextcu(dw->dwarf, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dw->n_units == cap) {
			cap = cap ? cap * 2 : 256;
			u = realloc(dw->units, cap * sizeof(*u));
			if (!u)
				return -ENOMEM;
			dw->units = u;
		}
		name = dwarf_offdie(dw->dwarf, off + hsize, &cu) ? dwarf_diename(&cu) : NULL;
		dw->units[dw->n_units++] =
		    (struct dwarf_unit){name ? name : "", off + hsize, false};
		off = next;
	}
	if (!dw->units)
		dw->units = calloc(1, sizeof(*dw->units));
	if (!dw->units)
		return -ENOMEM;
	qsort(dw->units, dw->n_units, sizeof(*dw->units), by_unit_name);
	return 0;
}

/* A unit's name against NAME, LEN bytes long, as strcmp compares. */
static int unit_cmp(const struct dwarf_unit *u, const char *name, size_t len)
{
	int c = strncmp(u->name, name, len);

	/* equal over LEN bytes: the unit's name is at least that long */
	return c ? c : u->name[len] != 0;
}

struct dwarf_unit *go_dwarf_first_unit(struct go_dwarf *dw, const char *name, size_t len)
{
	int lo = 0, hi = dw->n_units, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (unit_cmp(&dw->units[mid], name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &dw->units[lo];
}

bool go_dwarf_unit_is(const struct dwarf_unit *u, const char *name, size_t len)
{
	return unit_cmp(u, name, len) == 0;
}

int go_dwarf_for_each_types_die(struct go_dwarf *dw,
				int (*fn)(struct go_dwarf *, Dwarf_Die *, void *), void *ctx)
{
	struct dwarf_unit *u, *end;
	int err = go_dwarf_index_units(dw);

	end = dw->units + dw->n_units;
	for (u = go_dwarf_first_unit(dw, "runtime", 7);
	     !err && u < end && go_dwarf_unit_is(u, "runtime", 7); u++)
		err = for_each_unit_die(dw, u->die, fn, ctx);
	return err;
}

static int visit_named_type(struct go_dwarf *dw, Dwarf_Die *die, void *ctx)
{
	const char **want = ctx;
	const char *name;

	switch (dwarf_tag(die)) {
	case DW_TAG_typedef:
	case DW_TAG_structure_type:
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
		break;
	default:
		return 0;
	}
	name = dwarf_diename(die);
	if (!name || strcmp(name, want[0]))
		return 0;
	want[1] = (const char *)go_dwarf_make_type(dw, die, 0);
	return 1; /* stop */
}

const struct go_type *go_dwarf__find_type(struct go_dwarf *dw, const char *name)
{
	const char *want[2] = {name, NULL};

	/* the runtime's units hold the types; the others, when they do not */
	if (go_dwarf_for_each_types_die(dw, visit_named_type, want) != 1)
		go_dwarf_for_each_top_die(dw, visit_named_type, want);
	go_dwarf_settle_types(dw);
	return (const struct go_type *)want[1];
}

static int visit_runtime_type(struct go_dwarf *dw, Dwarf_Die *die, void *ctx)
{
	Dwarf_Word rtype;

	if (go_dwarf_attr_udata(die, DW_AT_go_runtime_type, &rtype) && rtype)
		go_dwarf_make_type(dw, die, 0);
	return 0;
}

static int by_rtype(const void *a, const void *b)
{
	const struct go_type *ta = *(struct go_type *const *)a, *tb = *(struct go_type *const *)b;

	return ta->runtime_type < tb->runtime_type ? -1 : ta->runtime_type > tb->runtime_type;
}

/* Loads every type that has a runtime type descriptor, once. */
static int load_runtime_types(struct go_dwarf *dw)
{
	struct type_table *t = table_of(dw);
	size_t i;

	if (!t->all_loaded) {
		t->all_loaded = true;
		go_dwarf_for_each_top_die(dw, visit_runtime_type, NULL);
		go_dwarf_settle_types(dw);
		t->by_rtype = calloc(t->n ? t->n : 1, sizeof(*t->by_rtype));
		if (!t->by_rtype)
			return -ENOMEM;
		for (i = 0; i < t->cap; i++)
			if (t->slots[i].type && t->slots[i].type->runtime_type)
				t->by_rtype[t->n_rtype++] = t->slots[i].type;
		qsort(t->by_rtype, t->n_rtype, sizeof(*t->by_rtype), by_rtype);
	}
	return t->by_rtype ? 0 : -ENOMEM;
}

int go_dwarf__runtime_types(struct go_dwarf *dw, const struct go_type *const **out)
{
	struct type_table *t = table_of(dw);

	*out = NULL;
	if (load_runtime_types(dw))
		return 0;
	*out = (const struct go_type *const *)t->by_rtype;
	return t->n_rtype;
}

const struct go_type *go_dwarf__type_by_runtime_addr(struct go_dwarf *dw, uint64_t addr)
{
	struct type_table *t = table_of(dw);
	size_t i, lo, hi;

	if (load_runtime_types(dw))
		return NULL;
	lo = 0;
	hi = t->n_rtype;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->by_rtype[mid]->runtime_type < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a named type and its plain typedef share a descriptor: prefer the
	 * one whose kind is known */
	for (i = lo; i < t->n_rtype && t->by_rtype[i]->runtime_type == addr; i++)
		if (t->by_rtype[i]->kind != GO_INVALID)
			return t->by_rtype[i];
	return NULL;
}

struct go_dwarf *go_dwarf__new(Elf *elf, uint64_t types_base, int *err)
{
	struct go_dwarf *dw;
	Dwarf *dwarf;

	*err = 0;
	dwarf = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dwarf)
		return NULL; /* stripped: not an error here */
	dw = calloc(1, sizeof(*dw));
	if (dw)
		dw->types = calloc(1, sizeof(struct type_table));
	if (!dw || !dw->types) {
		free(dw);
		dwarf_end(dwarf);
		*err = -ENOMEM;
		return NULL;
	}
	dw->dwarf = dwarf;
	dw->types_base = types_base;
	return dw;
}

void go_dwarf__free(struct go_dwarf *dw)
{
	struct type_table *t;
	size_t i;
	int j;

	if (!dw)
		return;
	t = table_of(dw);
	for (i = 0; i < t->cap; i++) {
		struct go_type *type = t->slots[i].type;

		if (!type)
			continue;
		if (t->slots[i].owns_fields) {
			for (j = 0; j < type->n_fields; j++)
				free(type->fields[j].name);
			free(type->fields);
		}
		free(type->name);
		free(type);
	}
	free(t->slots);
	free(t->by_rtype);
	free(t);
	for (j = 0; j < dw->n_result_names; j++)
		free(dw->result_names[j]);
	free(dw->result_names);
	free(dw->units);
	dwarf_end(dw->dwarf);
	free(dw);
}
