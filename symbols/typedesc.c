// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime type descriptors -> Go types, for binaries without DWARF. Every
 * type a Go program converts to an interface, reflects on or keeps in a map
 * has a descriptor (internal/abi.Type, before Go 1.21 runtime._type): its
 * kind, size and name, a struct's fields, the element types, a named
 * type's package and methods. Each is made once, on demand, with
 * everything it reaches; the module's lists of them are typelinks.c's,
 * their Go names typenames.c's.
 *
 * A parser of hostile input: every descriptor, name and field it reads
 * must lie between runtime.types and runtime.etypes, as the runtime's own
 * resolveNameOff insists; counts are bounded by what that region can hold.
 * Addresses in, a read callback out: it knows no ELF.
 *
 * The layouts, from each version's runtime/type.go and internal/abi:
 *
 *	Type (1.15-1.27): size 0, ptrdata 8, hash 16, tflag 20, align 21,
 *	    fieldAlign 22, kind 23 (low 5 bits), equal 24, gcdata 32, str 40
 *	    (a name offset from runtime.types), ptrToThis 44; 48 bytes
 *	then by kind, from 48:
 *	    array     elem, slice, len                      72 bytes in all
 *	    chan      elem, dir                             64
 *	    func      inCount, outCount (uint16; outCount's top bit: the last
 *	              input is ...T)                        56, then the
 *	              uncommon type if any, then in+out *Type
 *	    interface pkgPath (*byte), methods []{name, typ int32 offsets} 80
 *	    map       key, elem, bucket/group, hasher, then
 *	              hmap (to 1.23): keysize, elemsize (uint8), bucketsize
 *	                (uint16), flags (uint32: 1 indirect key, 2 indirect
 *	                elem)                               88
 *	              Swiss (1.24-1.26): groupSize, slotSize, elemOff,
 *	                flags (4 indirect key, 8 indirect elem) 112
 *	              Swiss (1.27): groupSize, keysOff, keyStride, elemsOff,
 *	                elemStride, elemOff, flags          136
 *	    pointer, slice   elem                           56
 *	    struct    pkgPath (*byte), fields []{name *byte, typ *Type,
 *	              offset}: before 1.19 offsetAnon, offset << 1 | embedded;
 *	              from 1.19 the offset, and embedded a name flag (8)  80
 *	    others                                          48
 *	the uncommon type (tflag 1) right after those: pkgPath (name offset),
 *	    mcount, xcount (uint16), moff (uint32) to mcount methods of 16
 *	    bytes {name, mtyp (type offset, -1 when the linker dropped it),
 *	    ifn, tfn (text offsets from moduledata.text)}
 *	a name: a flags byte (1 exported, 2 tag follows, 4 pkgPath follows,
 *	    8 embedded from 1.19), the length as a varint (1.17+) or 2 bytes
 *	    big-endian (before), the bytes, then the tag alike
 *	tflag: 1 uncommon, 2 extra star (str has a '*' to drop), 4 named
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/typedesc.h"

#define TYPE_SIZE 0
#define TYPE_ALIGN 21
#define TYPE_STR 40
#define TYPE_PTR_TO_THIS 44
#define TFLAG_EXTRA_STAR 2
#define NAME_EMBEDDED 8
#define NAME_TAG 2
#define MAX_NAME 4096	    /* bytes of one name */
#define MAX_PARAMS 1024	    /* inputs and outputs of one func type */
#define MAX_TYPES (1 << 18) /* descriptors made from one binary */
#define MAX_NESTING 64	    /* values within values, by value */
#define HMAP_INDIRECT_KEY 1
#define HMAP_INDIRECT_ELEM 2
#define SWISS_INDIRECT_KEY 4
#define SWISS_INDIRECT_ELEM 8

/* Reads SIZE bytes at ADDR, which must lie in the descriptors' region. */
int typedesc_read(const struct descriptor_types *dt, uint64_t addr, void *dst, size_t size)
{
	const struct module_types *m = &dt->src.mod;

	if (addr < m->types || addr >= m->etypes || size > m->etypes - addr)
		return -EFAULT;
	return dt->src.read(dt->src.ctx, addr, dst, size) ? -EFAULT : 0;
}

static bool swiss(const struct descriptor_types *dt)
{
	return dt->src.major > 1 || dt->src.minor >= 24;
}

/* The bytes of a descriptor of KIND before its uncommon type. */
size_t typedesc_kind_size(const struct descriptor_types *dt, int kind)
{
	switch (kind) {
	case GO_ARRAY:
		return 72;
	case GO_CHAN:
		return 64;
	case GO_FUNC:
	case GO_POINTER:
	case GO_SLICE:
		return 56;
	case GO_INTERFACE:
	case GO_STRUCT:
		return 80;
	case GO_MAP:
		if (!swiss(dt))
			return 88;
		return dt->src.minor >= 27 ? 136 : 112;
	default:
		return TYPE_HEADER;
	}
}

/* A length: a varint from Go 1.17, two bytes big-endian before. Returns
 * the bytes it took, or 0. */
static int name_length(const struct descriptor_types *dt, uint64_t addr, uint64_t *len)
{
	uint8_t b[4];
	int i;

	*len = 0;
	if (dt->src.minor < 17) {
		if (typedesc_read(dt, addr, b, 2))
			return 0;
		*len = go_read_uint(b, 2, true);
		return 2;
	}
	for (i = 0; i < 4; i++) {
		if (typedesc_read(dt, addr + i, &b[i], 1))
			return 0;
		*len |= (uint64_t)(b[i] & 0x7f) << (7 * i);
		if (!(b[i] & 0x80))
			return i + 1;
	}
	return 0;
}

static char *read_string(const struct descriptor_types *dt, uint64_t addr, uint64_t len)
{
	char *s;

	if (len > MAX_NAME)
		return NULL;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	if (typedesc_read(dt, addr, s, len)) {
		free(s);
		return NULL;
	}
	s[len] = 0;
	/* a NUL inside would cut the name short: not a Go name */
	if (strlen(s) != len) {
		free(s);
		return NULL;
	}
	return s;
}

char *typedesc_name_at(const struct descriptor_types *dt, uint64_t addr, uint8_t *flags, char **tag)
{
	uint64_t len, tag_len;
	uint8_t f;
	int n;
	char *s;

	if (tag)
		*tag = NULL;
	if (typedesc_read(dt, addr, &f, 1))
		return NULL;
	if (flags)
		*flags = f;
	n = name_length(dt, addr + 1, &len);
	if (!n)
		return NULL;
	s = read_string(dt, addr + 1 + n, len);
	if (s && tag && (f & NAME_TAG)) {
		uint64_t at = addr + 1 + n + len;

		n = name_length(dt, at, &tag_len);
		*tag = n ? read_string(dt, at + n, tag_len) : NULL;
	}
	return s;
}

char *typedesc_name_off(const struct descriptor_types *dt, int32_t off)
{
	return off > 0 ? typedesc_name_at(dt, dt->src.mod.types + off, NULL, NULL) : NULL;
}

/* ---- the table of descriptors made, by address ---- */

static size_t hash_addr(uint64_t addr, size_t cap)
{
	return (addr * 0x9e3779b97f4a7c15ull) >> 24 & (cap - 1);
}

static struct desc *lookup(const struct descriptor_types *dt, uint64_t addr)
{
	size_t i;

	if (!dt->cap)
		return NULL;
	for (i = hash_addr(addr, dt->cap);; i = (i + 1) & (dt->cap - 1)) {
		if (!dt->slots[i])
			return NULL;
		if (dt->slots[i]->t.runtime_type == addr)
			return dt->slots[i];
	}
}

static int grow_slots(struct descriptor_types *dt)
{
	size_t cap = dt->cap ? dt->cap * 2 : 1024, i, j;
	struct desc **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < dt->cap; i++) {
		if (!dt->slots[i])
			continue;
		for (j = hash_addr(dt->slots[i]->t.runtime_type, cap); slots[j];
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = dt->slots[i];
	}
	free(dt->slots);
	dt->slots = slots;
	dt->cap = cap;
	return 0;
}

static int push(struct desc ***v, size_t *n, size_t *cap, struct desc *d)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct desc **p = realloc(*v, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = d;
	return 0;
}

/* The descriptor at ADDR: made, with its header read, and queued for the
 * rest; NULL when ADDR holds none (or out of memory). */
struct desc *typedesc_get(struct descriptor_types *dt, uint64_t addr)
{
	uint8_t hdr[TYPE_HEADER];
	struct desc *d = lookup(dt, addr);
	size_t i;

	if (d || !addr || dt->failed || dt->n_all >= MAX_TYPES)
		return d;
	/* descriptors are pointer aligned */
	if (addr % GO_PTR_SIZE || typedesc_read(dt, addr, hdr, sizeof(hdr)) ||
	    !valid_kind(hdr[TYPE_KIND] & KIND_MASK))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		goto oom;
	d->t.runtime_type = addr;
	d->t.kind = hdr[TYPE_KIND] & KIND_MASK;
	d->t.size = word(hdr + TYPE_SIZE);
	d->t.align = hdr[TYPE_ALIGN] ? hdr[TYPE_ALIGN] : 1;
	d->tflag = hdr[TYPE_TFLAG];
	d->str = typedesc_name_off(dt, int32_at(hdr + TYPE_STR));
	if (d->str && (d->tflag & TFLAG_EXTRA_STAR) && d->str[0] == '*')
		memmove(d->str, d->str + 1, strlen(d->str));
	if (d->tflag & TFLAG_UNCOMMON)
		d->uncommon = addr + typedesc_kind_size(dt, d->t.kind);
	if ((dt->n + 1) * 2 > dt->cap && grow_slots(dt))
		goto oom;
	if (push(&dt->all, &dt->n_all, &dt->cap_all, d))
		goto oom;
	if (push(&dt->pending, &dt->n_pending, &dt->cap_pending, d)) {
		dt->n_all--;
		goto oom;
	}
	for (i = hash_addr(addr, dt->cap); dt->slots[i]; i = (i + 1) & (dt->cap - 1))
		;
	dt->slots[i] = d;
	dt->n++;
	return d;
oom:
	if (d)
		free(d->str);
	free(d);
	dt->failed = true;
	return NULL;
}

static struct go_type *type_of(struct desc *d)
{
	return d ? &d->t : NULL;
}

struct desc *typedesc_get_word(struct descriptor_types *dt, const uint8_t *p)
{
	return typedesc_get(dt, word(p));
}

/* A type offset from runtime.types: 0 and -1 say none. */
struct desc *typedesc_get_off(struct descriptor_types *dt, int32_t off)
{
	return off > 0 ? typedesc_get(dt, dt->src.mod.types + off) : NULL;
}

/* Reads a slice header at ADDR: its elements' address and count, bounded
 * by what the region can hold at ELEM_SIZE bytes each. */
bool typedesc_read_slice(const struct descriptor_types *dt, uint64_t addr, size_t elem_size,
			 uint64_t *data, uint64_t *n)
{
	const struct module_types *m = &dt->src.mod;
	uint8_t hdr[16];

	if (typedesc_read(dt, addr, hdr, sizeof(hdr)))
		return false;
	*data = word(hdr);
	*n = word(hdr + 8);
	if (!*n)
		return true;
	return *data >= m->types && *data < m->etypes && *n <= (m->etypes - *data) / elem_size;
}

static int read_fields(struct descriptor_types *dt, struct desc *d, uint64_t at)
{
	uint64_t data, n, i;
	uint8_t f[FIELD_SIZE], flags;

	if (!typedesc_read_slice(dt, at + 8, FIELD_SIZE, &data, &n) || !n)
		return 0;
	if (!typedesc_read(dt, at, f, 8) && word(f))
		d->fields_pkgpath = typedesc_name_at(dt, word(f), NULL, NULL);
	d->t.fields = calloc(n, sizeof(*d->t.fields));
	if (!d->t.fields)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct go_field *fld = &d->t.fields[i];
		uint64_t offset;

		if (typedesc_read(dt, data + i * FIELD_SIZE, f, sizeof(f)))
			break;
		flags = 0;
		fld->name = typedesc_name_at(dt, word(f), &flags, NULL);
		if (!fld->name)
			fld->name = strdup("?");
		if (!fld->name)
			return -ENOMEM;
		fld->type = type_of(typedesc_get_word(dt, f + 8));
		offset = word(f + 16);
		if (dt->src.minor < 19) {
			fld->embedded = offset & 1;
			offset >>= 1;
		} else {
			fld->embedded = flags & NAME_EMBEDDED;
		}
		/* a field must lie in its struct: one that does not has no type */
		if (fld->type &&
		    (fld->type->size > d->t.size || offset > d->t.size - fld->type->size))
			fld->type = NULL;
		fld->offset = offset;
		d->t.n_fields++;
	}
	return 0;
}

static int read_func(struct descriptor_types *dt, struct desc *d, const uint8_t *ext)
{
	uint64_t at =
	    d->t.runtime_type + typedesc_kind_size(dt, GO_FUNC) + (d->uncommon ? UNCOMMON_SIZE : 0);
	int in = go_read_uint(ext, 2, false), out = go_read_uint(ext + 2, 2, false), i;
	uint8_t p[8];

	d->variadic = out & 0x8000;
	out &= 0x7fff;
	if (in + out > MAX_PARAMS)
		return 0;
	d->params = calloc(in + out + 1, sizeof(*d->params));
	if (!d->params)
		return -ENOMEM;
	for (i = 0; i < in + out; i++) {
		if (typedesc_read(dt, at + i * 8, p, 8))
			break;
		d->params[i] = typedesc_get_word(dt, p);
		if (!d->params[i])
			break;
	}
	if (i < in + out) {
		/* a signature with an unknown type says nothing */
		free(d->params);
		d->params = NULL;
		return 0;
	}
	d->n_in = in;
	d->n_out = out;
	d->variadic &= in > 0;
	return 0;
}

static int read_interface(struct descriptor_types *dt, struct desc *d, uint64_t at)
{
	uint64_t data, n, i;
	uint8_t m[IMETHOD_SIZE];

	if (!typedesc_read_slice(dt, at + 8, IMETHOD_SIZE, &data, &n))
		return 0;
	d->t.is_empty_interface = n == 0;
	if (!n)
		return 0;
	d->imethods = calloc(n, sizeof(*d->imethods));
	if (!d->imethods)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct imethod *im = &d->imethods[i];

		if (typedesc_read(dt, data + i * IMETHOD_SIZE, m, sizeof(m)))
			break;
		im->name = typedesc_name_off(dt, int32_at(m));
		if (!im->name)
			break;
		im->type = typedesc_get_off(dt, int32_at(m + 4));
		d->n_imethods++;
	}
	return 0;
}

/* Whether slots of KEY_STRIDE and ELEM_STRIDE bytes, 8 of each, fit the
 * bucket or group from KEYS_OFF and ELEMS_OFF on, past its 8 state bytes. */
static bool layout_fits(const struct go_map_layout *ml)
{
	uint64_t size = ml->bucket_size;

	return size > GO_BUCKET_SLOTS && size < (1u << 24) && ml->keys_off >= GO_BUCKET_SLOTS &&
	       ml->elems_off >= GO_BUCKET_SLOTS && ml->key_stride < size &&
	       ml->elem_stride < size && ml->keys_off + GO_BUCKET_SLOTS * ml->key_stride <= size &&
	       ml->elems_off + (GO_BUCKET_SLOTS - 1) * ml->elem_stride < size;
}

/* A map's buckets (hmap) or groups (Swiss) as its descriptor lays them
 * out: the key and elem slots, where each is, and whether it holds a
 * pointer to the value. */
static void read_map(struct descriptor_types *dt, struct desc *d, const uint8_t *ext)
{
	struct go_map_layout *ml = &d->layout;
	uint32_t flags;

	d->t.key = type_of(typedesc_get_word(dt, ext));
	d->t.elem = type_of(typedesc_get_word(dt, ext + 8));
	if (!d->t.key || !d->t.elem) {
		d->t.key = d->t.elem = NULL;
		return;
	}
	ml->swiss = swiss(dt);
	if (!ml->swiss) {
		uint64_t key_size = ext[32], elem_size = ext[33];

		flags = go_read_uint(ext + 36, 4, false);
		ml->bucket_size = go_read_uint(ext + 34, 2, false);
		ml->keys_off = GO_BUCKET_SLOTS;
		ml->key_stride = key_size;
		ml->elems_off = GO_BUCKET_SLOTS * (1 + key_size);
		ml->elem_stride = elem_size;
		ml->overflow_off = ml->bucket_size - GO_PTR_SIZE;
		ml->key_indirect = flags & HMAP_INDIRECT_KEY;
		ml->elem_indirect = flags & HMAP_INDIRECT_ELEM;
		if (ml->elems_off + GO_BUCKET_SLOTS * elem_size > ml->overflow_off)
			ml->bucket_size = 0;
	} else if (dt->src.minor < 27) {
		ml->bucket_size = word(ext + 32);
		ml->keys_off = GO_BUCKET_SLOTS;
		ml->key_stride = ml->elem_stride = word(ext + 40);
		ml->elems_off = GO_BUCKET_SLOTS + word(ext + 48);
		flags = go_read_uint(ext + 56, 4, false);
	} else {
		ml->bucket_size = word(ext + 32);
		ml->keys_off = word(ext + 40);
		ml->key_stride = word(ext + 48);
		ml->elems_off = word(ext + 56);
		ml->elem_stride = word(ext + 64);
		flags = go_read_uint(ext + 80, 4, false);
	}
	if (ml->swiss) {
		ml->key_indirect = flags & SWISS_INDIRECT_KEY;
		ml->elem_indirect = flags & SWISS_INDIRECT_ELEM;
	}
	/* a layout that does not fit its bucket is not used: plan/ then
	 * lays the map out by the version's rules */
	if (layout_fits(ml))
		d->t.map_layout = ml;
}

/* Reads the rest of a descriptor: what it holds and leads to. */
static int fill(struct descriptor_types *dt, struct desc *d)
{
	uint8_t ext[96], u[UNCOMMON_SIZE], hdr[TYPE_HEADER];
	uint64_t at = d->t.runtime_type, ext_size = typedesc_kind_size(dt, d->t.kind) - TYPE_HEADER;

	if (d->uncommon && !typedesc_read(dt, d->uncommon, u, sizeof(u)))
		d->pkgpath = typedesc_name_off(dt, int32_at(u));
	/* *T: found by name as well */
	if (!typedesc_read(dt, at, hdr, sizeof(hdr)))
		typedesc_get_off(dt, int32_at(hdr + TYPE_PTR_TO_THIS));
	if (ext_size && typedesc_read(dt, at + TYPE_HEADER, ext, ext_size))
		return 0;
	switch (d->t.kind) {
	case GO_ARRAY:
		d->t.elem = type_of(typedesc_get_word(dt, ext));
		d->t.len = word(ext + 16);
		/* its elements must make its size */
		if (d->t.elem && (d->t.elem->size ? d->t.len > d->t.size / d->t.elem->size ||
							d->t.len * d->t.elem->size != d->t.size
						  : d->t.size != 0))
			d->t.elem = NULL;
		return 0;
	case GO_CHAN:
		d->t.elem = type_of(typedesc_get_word(dt, ext));
		d->chan_dir = ext[8];
		return 0;
	case GO_POINTER:
	case GO_SLICE:
		d->t.elem = type_of(typedesc_get_word(dt, ext));
		return 0;
	case GO_FUNC:
		return read_func(dt, d, ext);
	case GO_INTERFACE:
		return read_interface(dt, d, at + TYPE_HEADER);
	case GO_STRUCT:
		return read_fields(dt, d, at + TYPE_HEADER);
	case GO_MAP:
		read_map(dt, d, ext);
		return 0;
	default:
		return 0;
	}
}

/*
 * How deep D holds values of other types in itself (struct fields, array
 * elements): what plan/ and decode/ walk by recursion. In Go that nesting
 * is finite; a hostile binary's may loop (a struct that holds itself) or
 * go deeper than any program: the field or element that does so loses its
 * type. Returns D's depth.
 */
static int value_nesting(struct desc *d, int depth)
{
	int i, deepest = 0, sub;

	if (d->nesting > 0)
		return d->nesting - 1;
	d->nesting = -1; /* on the way */
	for (i = 0; d->t.kind == GO_STRUCT && i < d->t.n_fields; i++) {
		struct desc *f = (struct desc *)d->t.fields[i].type;

		if (!f)
			continue;
		sub = f->nesting < 0 || depth >= MAX_NESTING ? -1 : value_nesting(f, depth + 1);
		if (sub < 0 || sub + 1 >= MAX_NESTING)
			d->t.fields[i].type = NULL;
		else if (sub + 1 > deepest)
			deepest = sub + 1;
	}
	if (d->t.kind == GO_ARRAY && d->t.elem) {
		struct desc *e = (struct desc *)d->t.elem;

		sub = e->nesting < 0 || depth >= MAX_NESTING ? -1 : value_nesting(e, depth + 1);
		if (sub < 0 || sub + 1 >= MAX_NESTING)
			d->t.elem = NULL;
		else
			deepest = sub + 1;
	}
	d->nesting = deepest + 1;
	return deepest;
}

/* Reads every descriptor queued, and what they lead to, then names them. */
int typedesc_settle(struct descriptor_types *dt)
{
	size_t i, first = dt->n_named;

	while (dt->n_pending && !dt->failed) {
		if (fill(dt, dt->pending[--dt->n_pending]))
			dt->failed = true;
	}
	for (i = first; i < dt->n_all && !dt->failed; i++)
		value_nesting(dt->all[i], 0);
	if (!dt->failed && typenames_settle(dt))
		dt->failed = true;
	return dt->failed ? -ENOMEM : 0;
}

struct descriptor_types *typedesc__new(const struct typedesc_source *src)
{
	struct descriptor_types *dt = calloc(1, sizeof(*dt));

	if (!dt)
		return NULL;
	dt->src = *src;
	return dt;
}

bool typedesc_layout_known(const struct descriptor_types *dt)
{
	return dt->src.major == 1 && dt->src.minor >= 15 && dt->src.minor <= 27 &&
	       dt->src.mod.types;
}

const struct go_type *typedesc__find(struct descriptor_types *dt, uint64_t addr)
{
	struct desc *d;

	if (!dt || !typedesc_layout_known(dt))
		return NULL;
	d = typedesc_get(dt, addr);
	if (!d || typedesc_settle(dt))
		return NULL;
	return &d->t;
}

void typedesc__free(struct descriptor_types *dt)
{
	size_t i;
	int j;

	if (!dt)
		return;
	for (i = 0; i < dt->n_all; i++) {
		struct desc *d = dt->all[i];

		for (j = 0; j < d->t.n_fields; j++)
			free(d->t.fields[j].name);
		for (j = 0; j < d->n_imethods; j++)
			free(d->imethods[j].name);
		free(d->t.fields);
		free(d->t.name);
		free(d->imethods);
		free(d->params);
		free(d->str);
		free(d->pkgpath);
		free(d->fields_pkgpath);
		free(d);
	}
	typelinks_free(dt);
	typenames_free(dt);
	free(dt->slots);
	free(dt->all);
	free(dt->pending);
	free(dt->sorted);
	free(dt);
}
