// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Type programs: ids for Go types, and for each the flat list of what a
 * value of it leads to, with nested structs and short arrays inlined at
 * their offsets. See bpf/gotrace.h for the encoding.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plan/types.h"

#define FLAT_ARRAY_MAX 4 /* arrays up to this long are inlined element by element */

enum role {
	ROLE_VALUE,
	ROLE_MAP_HEADER,
	ROLE_MAP_BUCKET,
	ROLE_MAP_TABLE,
	ROLE_MAP_DIR,
};

struct slot {
	const struct go_type *type;
	uint32_t role;
	uint32_t id;
};

struct type_table {
	struct type_opts opts;
	struct slot *slots; /* open addressing by (type, role) */
	uint32_t cap, n;
	struct gt_type *progs; /* by id */
	const struct go_type **types; /* by id: the type, or NULL (helpers, continuations) */
	uint8_t *roles;
	uint32_t n_ids, ids_cap;
	uint32_t *pending; /* ids whose programs are to be built */
	uint32_t n_pending, pending_cap;
	bool interfaces;
	bool failed;
};

/* A growing list of ops, before it is cut into programs. */
struct ops {
	struct gt_top *v;
	uint32_t n, cap;
};

struct type_table *type_table__new(const struct type_opts *opts)
{
	struct type_table *tt = calloc(1, sizeof(*tt));

	if (!tt)
		return NULL;
	tt->opts = *opts;
	tt->n_ids = GT_TYPE_FIRST; /* ids below are the fixed pseudo types */
	return tt;
}

void type_table__free(struct type_table *tt)
{
	if (!tt)
		return;
	free(tt->slots);
	free(tt->progs);
	free(tt->types);
	free(tt->roles);
	free(tt->pending);
	free(tt);
}

static uint32_t hash_slot(const struct go_type *t, uint32_t role, uint32_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL + role;

	return (uint32_t)(h >> 32) & (cap - 1);
}

static struct slot *find_slot(const struct type_table *tt, const struct go_type *t, uint32_t role)
{
	uint32_t i;

	if (!tt->cap)
		return NULL;
	for (i = hash_slot(t, role, tt->cap);; i = (i + 1) & (tt->cap - 1)) {
		struct slot *s = &tt->slots[i];

		if (!s->type)
			return NULL;
		if (s->type == t && s->role == role)
			return s;
	}
}

static int grow_slots(struct type_table *tt)
{
	uint32_t cap = tt->cap ? tt->cap * 2 : 1024, i, j;
	struct slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < tt->cap; i++) {
		if (!tt->slots[i].type)
			continue;
		for (j = hash_slot(tt->slots[i].type, tt->slots[i].role, cap); slots[j].type;
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = tt->slots[i];
	}
	free(tt->slots);
	tt->slots = slots;
	tt->cap = cap;
	return 0;
}

static int push_pending(struct type_table *tt, uint32_t id)
{
	if (tt->n_pending == tt->pending_cap) {
		uint32_t cap = tt->pending_cap ? tt->pending_cap * 2 : 64;
		uint32_t *p = realloc(tt->pending, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		tt->pending = p;
		tt->pending_cap = cap;
	}
	tt->pending[tt->n_pending++] = id;
	return 0;
}

/* A fresh id for T in ROLE (T NULL: a continuation), its program empty. */
static uint32_t new_id(struct type_table *tt, const struct go_type *t, uint32_t role)
{
	uint32_t id;

	if (tt->n_ids >= GT_MAX_TYPES) {
		tt->failed = true;
		return 0;
	}
	if (tt->n_ids >= tt->ids_cap) {
		uint32_t cap = tt->ids_cap ? tt->ids_cap * 2 : 256;
		struct gt_type *p = realloc(tt->progs, cap * sizeof(*p));
		const struct go_type **ty;
		uint8_t *ro;

		if (!p)
			goto oom;
		tt->progs = p;
		ty = realloc(tt->types, cap * sizeof(*ty));
		if (!ty)
			goto oom;
		tt->types = ty;
		ro = realloc(tt->roles, cap);
		if (!ro)
			goto oom;
		tt->roles = ro;
		memset(tt->progs + tt->ids_cap, 0, (cap - tt->ids_cap) * sizeof(*p));
		memset(tt->types + tt->ids_cap, 0, (cap - tt->ids_cap) * sizeof(*ty));
		memset(tt->roles + tt->ids_cap, 0, cap - tt->ids_cap);
		tt->ids_cap = cap;
	}
	id = tt->n_ids++;
	tt->types[id] = t;
	tt->roles[id] = role;
	return id;
oom:
	tt->failed = true;
	return 0;
}

/* The id of (T, ROLE), registered with its program queued for building. */
static uint32_t intern(struct type_table *tt, const struct go_type *t, uint32_t role)
{
	struct slot *s = find_slot(tt, t, role);
	uint32_t i, id;

	if (s)
		return s->id;
	if ((tt->n + 1) * 2 > tt->cap && grow_slots(tt)) {
		tt->failed = true;
		return 0;
	}
	id = new_id(tt, t, role);
	if (!id)
		return 0;
	for (i = hash_slot(t, role, tt->cap); tt->slots[i].type; i = (i + 1) & (tt->cap - 1))
		;
	tt->slots[i] = (struct slot){t, role, id};
	tt->n++;
	if (push_pending(tt, id)) {
		tt->failed = true;
		return 0;
	}
	return id;
}

bool type_is_direct(const struct go_type *t)
{
	switch (t->kind) {
	case GO_POINTER:
	case GO_CHAN:
	case GO_MAP:
	case GO_FUNC:
	case GO_UNSAFE_POINTER:
		return true;
	case GO_STRUCT:
		return t->n_fields == 1 && t->fields[0].type && type_is_direct(t->fields[0].type);
	case GO_ARRAY:
		return t->len == 1 && t->elem && type_is_direct(t->elem);
	default:
		return false;
	}
}

/* Whether a value of T leads anywhere: it holds a pointer of some kind. */
static bool has_refs(const struct go_type *t)
{
	int i;

	switch (t->kind) {
	case GO_STRING:
	case GO_SLICE:
	case GO_INTERFACE:
	case GO_MAP:
	case GO_CHAN:
	case GO_FUNC:
		return true;
	case GO_POINTER:
		return t->elem && t->elem->size > 0;
	case GO_STRUCT:
		for (i = 0; i < t->n_fields; i++)
			if (t->fields[i].type && has_refs(t->fields[i].type))
				return true;
		return false;
	case GO_ARRAY:
		return t->len > 0 && t->elem && has_refs(t->elem);
	default:
		return false;
	}
}

static int add_top(struct ops *o, const struct gt_top *op)
{
	if (o->n == o->cap) {
		uint32_t cap = o->cap ? o->cap * 2 : 16;
		struct gt_top *v = realloc(o->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = *op;
	return 0;
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : v;
}

/* A pointer at OFF to a value of T (a pointee, an indirect map slot). */
static int add_ptr(struct type_table *tt, struct ops *o, const struct go_type *t, uint64_t off,
		   const struct gt_top *cond)
{
	struct gt_top op = *cond;

	if (!t || t->size == 0)
		return 0;
	op.kind = GT_T_PTR;
	op.off = off;
	op.type = intern(tt, t, ROLE_VALUE);
	op.size = clamp32(t->size);
	op.scan = has_refs(t);
	return op.type ? add_top(o, &op) : -ENOMEM;
}

static int flatten(struct type_table *tt, struct ops *o, const struct go_type *t, uint64_t off,
		   const struct gt_top *cond);

/* The ops of a map value (a pointer to its header) at OFF. */
static int add_map(struct type_table *tt, struct ops *o, const struct go_type *t, uint64_t off,
		   const struct gt_top *cond)
{
	struct gt_top op = *cond;

	if (!t->key || !t->elem)
		return 0;
	op.kind = GT_T_PTR;
	op.off = off;
	op.type = intern(tt, t, ROLE_MAP_HEADER);
	op.size = tt->opts.swiss_maps ? GO_SWISS_MAP_SIZE : GO_HMAP_SIZE;
	op.scan = 1;
	return op.type ? add_top(o, &op) : -ENOMEM;
}

/* What a value of T at OFF leads to, appended to O; every op carries COND. */
static int flatten(struct type_table *tt, struct ops *o, const struct go_type *t, uint64_t off,
		   const struct gt_top *cond)
{
	struct gt_top op = *cond;
	uint64_t i;
	int err;

	op.off = clamp32(off);
	switch (t->kind) {
	case GO_STRING:
		op.kind = GT_T_STRING;
		op.max_count = tt->opts.max_string;
		return add_top(o, &op);
	case GO_POINTER:
		return add_ptr(tt, o, t->elem, off, cond);
	case GO_SLICE:
		if (!t->elem || t->elem->size == 0)
			return 0;
		op.kind = GT_T_SLICE;
		op.type = intern(tt, t->elem, ROLE_VALUE);
		op.size = clamp32(t->elem->size);
		op.max_count = tt->opts.max_elems;
		op.scan = has_refs(t->elem);
		return op.type ? add_top(o, &op) : -ENOMEM;
	case GO_INTERFACE:
		tt->interfaces = true;
		op.kind = t->is_empty_interface ? GT_T_EFACE : GT_T_IFACE;
		return add_top(o, &op);
	case GO_MAP:
		return add_map(tt, o, t, off, cond);
	case GO_CHAN:
		/* hchan starts with qcount, dataqsiz */
		op.kind = GT_T_PTR;
		op.type = GT_TYPE_HCHAN;
		op.size = GO_HCHAN_COUNTS;
		return add_top(o, &op);
	case GO_FUNC:
		/* a funcval, whose first word is the PC */
		op.kind = GT_T_PTR;
		op.type = GT_TYPE_FUNCVAL;
		op.size = GO_PTR_SIZE;
		return add_top(o, &op);
	case GO_STRUCT:
		for (i = 0; i < (uint64_t)t->n_fields; i++) {
			if (!t->fields[i].type || !has_refs(t->fields[i].type))
				continue;
			err = flatten(tt, o, t->fields[i].type, off + t->fields[i].offset, cond);
			if (err)
				return err;
		}
		return 0;
	case GO_ARRAY:
		if (!t->elem || !t->len || !has_refs(t->elem))
			return 0;
		if (t->len <= FLAT_ARRAY_MAX) {
			for (i = 0; i < t->len; i++) {
				err = flatten(tt, o, t->elem, off + i * t->elem->size, cond);
				if (err)
					return err;
			}
			return 0;
		}
		op.kind = GT_T_INLINE;
		op.type = intern(tt, t->elem, ROLE_VALUE);
		op.size = clamp32(t->elem->size);
		op.count = t->len < tt->opts.max_elems ? t->len : tt->opts.max_elems;
		return op.type ? add_top(o, &op) : -ENOMEM;
	default:
		return 0;
	}
}

/* A map slot's key or elem of T at OFF, full slots only. */
static int add_slot_value(struct type_table *tt, struct ops *o, const struct go_type *t,
			  uint64_t off, bool indirect, const struct gt_top *cond)
{
	if (indirect)
		return add_ptr(tt, o, t, off, cond);
	return has_refs(t) ? flatten(tt, o, t, off, cond) : 0;
}

static const struct go_type *field_type(const struct go_type *t, const char *name,
				       uint64_t *offset)
{
	int i;

	for (i = 0; t && t->kind == GO_STRUCT && i < t->n_fields; i++) {
		if (t->fields[i].name && !strcmp(t->fields[i].name, name)) {
			if (offset)
				*offset = t->fields[i].offset;
			return t->fields[i].type;
		}
	}
	return NULL;
}

static const struct go_type *deref(const struct go_type *t)
{
	return t && t->kind == GO_POINTER ? t->elem : NULL;
}

/*
 * A Swiss map's group as the linker describes it in DWARF: map<K,V>'s
 * dirPtr is **table<K,V>, whose groups.data points to the group, either
 * {ctrl, slots [8]struct{key; elem}} or, with GOEXPERIMENT=mapsplitgroup
 * (Go 1.27), {ctrl, keys [8]K, elems [8]V}. False when DWARF does not say.
 */
static bool swiss_layout_from_dwarf(const struct go_type *map, struct go_map_layout *ml)
{
	const struct go_type *impl = map->map_impl, *group, *slots, *keys, *elems, *k, *e;
	uint64_t slots_off = 0, keys_off = 0, elems_off = 0, k_off = 0, e_off = 0;
	int hops;

	for (hops = 0; impl && impl->kind == GO_MAP && hops < 8; hops++)
		impl = impl->map_impl;
	impl = deref(impl);
	group = field_type(deref(deref(field_type(impl, "dirPtr", NULL))), "groups", NULL);
	group = deref(field_type(group, "data", NULL));
	if (!group || group->kind != GO_STRUCT || !group->size)
		return false;
	slots = field_type(group, "slots", &slots_off);
	keys = field_type(group, "keys", &keys_off);
	elems = field_type(group, "elems", &elems_off);
	if (slots && slots->kind == GO_ARRAY && slots->elem) {
		k = field_type(slots->elem, "key", &k_off);
		e = field_type(slots->elem, "elem", &e_off);
		if (!k || !e)
			return false;
		ml->keys_off = slots_off + k_off;
		ml->elems_off = slots_off + e_off;
		ml->key_stride = ml->elem_stride = slots->elem->size;
	} else if (keys && elems && keys->kind == GO_ARRAY && elems->kind == GO_ARRAY &&
		   keys->elem && elems->elem) {
		ml->keys_off = keys_off;
		ml->elems_off = elems_off;
		ml->key_stride = keys->elem->size;
		ml->elem_stride = elems->elem->size;
	} else {
		return false;
	}
	ml->bucket_size = group->size;
	return true;
}

/* Where map T's entries sit in its buckets or groups: as its runtime type
 * descriptor says (symbols/typedesc.c), or from DWARF's group type when it
 * has one, else as the version lays them out. */
void type_map_layout(const struct type_table *tt, const struct go_type *t,
		     struct go_map_layout *ml)
{
	if (t->map_layout && t->map_layout->swiss == tt->opts.swiss_maps) {
		*ml = *t->map_layout;
		return;
	}
	go_map_layout(tt->opts.swiss_maps, t->key->size, t->key->align, t->elem->size,
		      t->elem->align, ml);
	if (tt->opts.swiss_maps)
		swiss_layout_from_dwarf(t, ml);
}

/* The ops of one of map T's helper types. */
static int map_helper_ops(struct type_table *tt, struct ops *o, const struct go_type *t,
			  uint32_t role, uint32_t *size)
{
	struct go_map_layout ml;
	struct gt_top op = {0};
	uint32_t bucket, i;
	int err;

	type_map_layout(tt, t, &ml);
	bucket = intern(tt, t, ROLE_MAP_BUCKET);
	if (!bucket)
		return -ENOMEM;
	switch (role) {
	case ROLE_MAP_HEADER:
		op.kind = GT_T_ARRAY;
		op.scan = 1;
		if (tt->opts.swiss_maps) {
			*size = GO_SWISS_MAP_SIZE;
			op.off = GO_SWISS_DIR_PTR;
			op.count_kind = GT_COUNT_SWISS_DIR;
			op.count_off = GO_SWISS_DIR_LEN;
			op.type = intern(tt, t, ROLE_MAP_DIR);
			op.size = GO_PTR_SIZE;
			op.max_count = tt->opts.max_elems;
			op.used_off = GO_MAP_COUNT;
			op.used_size = GO_PTR_SIZE;
			op.type2 = bucket;
			op.size2 = clamp32(ml.bucket_size);
			return op.type ? add_top(o, &op) : -ENOMEM;
		}
		*size = GO_HMAP_SIZE;
		op.type = bucket;
		op.size = clamp32(ml.bucket_size);
		op.max_count = tt->opts.max_elems;
		op.used_off = GO_MAP_COUNT;
		op.used_size = GO_PTR_SIZE;
		op.off = GO_HMAP_BUCKETS;
		op.count_kind = GT_COUNT_POW2;
		op.count_off = GO_HMAP_B;
		err = add_top(o, &op);
		if (err)
			return err;
		op.off = GO_HMAP_OLDBUCKETS;
		op.count_kind = GT_COUNT_OLD_POW2;
		return add_top(o, &op);
	case ROLE_MAP_DIR:
		*size = GO_PTR_SIZE;
		op.kind = GT_T_ARRAY;
		op.scan = 1;
		op.count_kind = GT_COUNT_ONE;
		op.type = intern(tt, t, ROLE_MAP_TABLE);
		op.size = GO_SWISS_TABLE_SIZE;
		op.max_count = 1;
		return op.type ? add_top(o, &op) : -ENOMEM;
	case ROLE_MAP_TABLE:
		*size = GO_SWISS_TABLE_SIZE;
		op.kind = GT_T_ARRAY;
		op.scan = 1;
		op.off = GO_SWISS_TABLE_GROUPS;
		op.count_kind = GT_COUNT_WORD_PLUS1;
		op.count_off = GO_SWISS_TABLE_MASK;
		op.type = bucket;
		op.size = clamp32(ml.bucket_size);
		op.max_count = tt->opts.max_elems;
		op.used_off = GO_SWISS_TABLE_USED;
		op.used_size = GO_SWISS_TABLE_USED_SIZE;
		return add_top(o, &op);
	case ROLE_MAP_BUCKET:
		*size = clamp32(ml.bucket_size);
		for (i = 0; i < GO_BUCKET_SLOTS; i++) {
			struct gt_top cond = {.cond = ml.swiss ? GT_COND_CTRL : GT_COND_TOPHASH,
					      .cond_off = i};

			err = add_slot_value(tt, o, t->key, ml.keys_off + i * ml.key_stride,
					     ml.key_indirect, &cond);
			if (!err)
				err = add_slot_value(tt, o, t->elem,
						     ml.elems_off + i * ml.elem_stride,
						     ml.elem_indirect, &cond);
			if (err)
				return err;
		}
		if (ml.swiss)
			return 0;
		op.kind = GT_T_ARRAY;
		op.scan = 1;
		op.off = ml.overflow_off;
		op.count_kind = GT_COUNT_ONE;
		op.type = bucket;
		op.size = clamp32(ml.bucket_size);
		op.max_count = 1;
		return add_top(o, &op);
	}
	return 0;
}

/* Cuts O into ID's program and as many continuations as it takes, each
 * run over the same value by the one before it. */
static int store_program(struct type_table *tt, uint32_t id, struct ops *o)
{
	uint32_t done = 0, size = tt->progs[id].size;

	for (;;) {
		uint32_t left = o->n - done, take = left > GT_TYPE_OPS ? GT_TYPE_OPS - 1 : left;
		uint32_t next = 0;
		struct gt_type *p;

		if (take < left) {
			next = new_id(tt, NULL, ROLE_VALUE); /* may move progs */
			if (!next)
				return -ENOMEM;
			tt->progs[next].size = size;
		}
		p = &tt->progs[id];
		if (take) /* an empty list has no array: memcpy from NULL is undefined */
			memcpy(p->ops, o->v + done, take * sizeof(*o->v));
		p->n_ops = take;
		done += take;
		if (!next)
			return 0;
		p->ops[p->n_ops++] = (struct gt_top){.kind = GT_T_INLINE, .type = next, .count = 1};
		id = next;
	}
}

static int build(struct type_table *tt, uint32_t id)
{
	const struct go_type *t = tt->types[id];
	uint32_t role = tt->roles[id], size = 0;
	struct gt_top none = {0};
	struct ops o = {0};
	int err;

	if (role == ROLE_VALUE) {
		size = clamp32(t->size);
		err = flatten(tt, &o, t, 0, &none);
	} else {
		err = map_helper_ops(tt, &o, t, role, &size);
	}
	if (!err) {
		tt->progs[id].size = size;
		if (role == ROLE_VALUE && type_is_direct(t))
			tt->progs[id].flags |= GT_TF_DIRECT;
		err = store_program(tt, id, &o);
	}
	free(o.v);
	return err;
}

uint32_t type_table__id(struct type_table *tt, const struct go_type *t)
{
	uint32_t id;

	if (!t || tt->failed)
		return 0;
	id = intern(tt, t, ROLE_VALUE);
	while (id && tt->n_pending) {
		if (build(tt, tt->pending[--tt->n_pending])) {
			tt->failed = true;
			return 0;
		}
	}
	return tt->failed ? 0 : id;
}

uint32_t type_table__find(const struct type_table *tt, const struct go_type *t)
{
	const struct slot *s = find_slot(tt, t, ROLE_VALUE);

	return s ? s->id : 0;
}

bool type_map_ids(const struct type_table *tt, const struct go_type *t, struct type_map_ids *out)
{
	const struct slot *s;

	memset(out, 0, sizeof(*out));
	if (t->kind != GO_MAP || !t->key || !t->elem)
		return false;
	s = find_slot(tt, t, ROLE_MAP_HEADER);
	if (!s)
		return false;
	out->header = s->id;
	s = find_slot(tt, t, ROLE_MAP_BUCKET);
	out->bucket = s ? s->id : 0;
	s = find_slot(tt, t, ROLE_MAP_TABLE);
	out->table = s ? s->id : 0;
	s = find_slot(tt, t, ROLE_MAP_DIR);
	out->dir = s ? s->id : 0;
	type_map_layout(tt, t, &out->layout);
	return true;
}

bool type_table__reaches_interfaces(const struct type_table *tt)
{
	return tt->interfaces;
}

uint32_t type_table__count(const struct type_table *tt)
{
	return tt->n_ids;
}

const struct gt_type *type_table__program(const struct type_table *tt, uint32_t id)
{
	return id < tt->n_ids ? &tt->progs[id] : NULL;
}

uint32_t type_table__max_elems(const struct type_table *tt)
{
	return tt->opts.max_elems;
}
