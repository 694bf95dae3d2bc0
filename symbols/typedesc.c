// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime type descriptors -> Go types, for binaries without DWARF. Every
 * type a Go program converts to an interface, reflects on or keeps in a map
 * has a descriptor (internal/abi.Type, before Go 1.21 runtime._type): its
 * kind, size and name, a struct's fields, the element types, a named
 * type's package and methods. The module data lists them (moduledata.c);
 * each is made once, on demand, with everything it reaches.
 *
 * A parser of hostile input: every descriptor, name and field it reads
 * must lie between runtime.types and runtime.etypes, as the runtime's own
 * resolveNameOff insists; counts are bounded by what that region can hold.
 * Addresses in, a read callback out: it knows no ELF. Names are
 * typenames.c's.
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
#define TYPE_TFLAG 20
#define TYPE_ALIGN 21
#define TYPE_KIND 23
#define TYPE_STR 40
#define TYPE_PTR_TO_THIS 44
#define TYPE_HEADER 48
#define KIND_MASK 31
#define TFLAG_UNCOMMON 1
#define TFLAG_EXTRA_STAR 2
#define UNCOMMON_SIZE 16
#define METHOD_SIZE 16
#define IMETHOD_SIZE 8
#define FIELD_SIZE 24
#define NAME_EMBEDDED 8
#define NAME_TAG 2
#define MAX_NAME 4096	   /* bytes of one name */
#define MAX_PARAMS 1024	   /* inputs and outputs of one func type */
#define MAX_TYPES (1 << 20) /* descriptors made from one binary */
#define HMAP_INDIRECT_KEY 1
#define HMAP_INDIRECT_ELEM 2
#define SWISS_INDIRECT_KEY 4
#define SWISS_INDIRECT_ELEM 8

/* Reads SIZE bytes at ADDR, which must lie in the descriptors' region. */
static int read_in(const struct descriptor_types *dt, uint64_t addr, void *dst, size_t size)
{
	const struct module_types *m = &dt->src.mod;

	if (addr < m->types || addr >= m->etypes || size > m->etypes - addr)
		return -EFAULT;
	return dt->src.read(dt->src.ctx, addr, dst, size) ? -EFAULT : 0;
}

static uint64_t word(const uint8_t *p)
{
	return go_read_uint(p, 8, false);
}

static int32_t int32_at(const uint8_t *p)
{
	return (int32_t)go_read_uint(p, 4, false);
}

static bool swiss(const struct descriptor_types *dt)
{
	return dt->src.major > 1 || dt->src.minor >= 24;
}

/* The bytes of a descriptor of KIND before its uncommon type. */
static size_t kind_size(const struct descriptor_types *dt, int kind)
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
		if (read_in(dt, addr, b, 2))
			return 0;
		*len = go_read_uint(b, 2, true);
		return 2;
	}
	for (i = 0; i < 4; i++) {
		if (read_in(dt, addr + i, &b[i], 1))
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
	if (read_in(dt, addr, s, len)) {
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

char *typedesc_name_at(const struct descriptor_types *dt, uint64_t addr, uint8_t *flags,
		       char **tag)
{
	uint64_t len, tag_len;
	uint8_t f;
	int n;
	char *s;

	if (tag)
		*tag = NULL;
	if (read_in(dt, addr, &f, 1))
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

static char *name_off(const struct descriptor_types *dt, int32_t off)
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

static bool valid_kind(int kind)
{
	return kind >= GO_BOOL && kind <= GO_UNSAFE_POINTER;
}

/* The descriptor at ADDR: made, with its header read, and queued for the
 * rest; NULL when ADDR holds none (or out of memory). */
static struct desc *get(struct descriptor_types *dt, uint64_t addr)
{
	uint8_t hdr[TYPE_HEADER];
	struct desc *d = lookup(dt, addr), *key;
	size_t i;

	if (d || !addr || dt->failed || dt->n_all >= MAX_TYPES)
		return d;
	/* descriptors are pointer aligned */
	if (addr % GO_PTR_SIZE || read_in(dt, addr, hdr, sizeof(hdr)) ||
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
	d->str = name_off(dt, int32_at(hdr + TYPE_STR));
	if (d->str && (d->tflag & TFLAG_EXTRA_STAR) && d->str[0] == '*')
		memmove(d->str, d->str + 1, strlen(d->str));
	if (d->tflag & TFLAG_UNCOMMON)
		d->uncommon = addr + kind_size(dt, d->t.kind);
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
	key = d;
	dt->slots[i] = key;
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

static struct desc *get_word(struct descriptor_types *dt, const uint8_t *p)
{
	return get(dt, word(p));
}

/* A type offset from runtime.types: 0 and -1 say none. */
static struct desc *get_off(struct descriptor_types *dt, int32_t off)
{
	return off > 0 ? get(dt, dt->src.mod.types + off) : NULL;
}

/* Reads a slice header at ADDR: its elements' address and count, bounded
 * by what the region can hold at ELEM_SIZE bytes each. */
static bool read_slice(const struct descriptor_types *dt, uint64_t addr, size_t elem_size,
		       uint64_t *data, uint64_t *n)
{
	const struct module_types *m = &dt->src.mod;
	uint8_t hdr[16];

	if (read_in(dt, addr, hdr, sizeof(hdr)))
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

	if (!read_slice(dt, at + 8, FIELD_SIZE, &data, &n) || !n)
		return 0;
	if (!read_in(dt, at, f, 8) && word(f))
		d->fields_pkgpath = typedesc_name_at(dt, word(f), NULL, NULL);
	d->t.fields = calloc(n, sizeof(*d->t.fields));
	if (!d->t.fields)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct go_field *fld = &d->t.fields[i];
		uint64_t offset;

		if (read_in(dt, data + i * FIELD_SIZE, f, sizeof(f)))
			break;
		fld->name = typedesc_name_at(dt, word(f), &flags, NULL);
		if (!fld->name)
			fld->name = strdup("?");
		if (!fld->name)
			return -ENOMEM;
		fld->type = type_of(get_word(dt, f + 8));
		if (!fld->type || dt->failed) {
			/* a field without a type has no layout: keep it out */
			free(fld->name);
			fld->name = NULL;
			fld->type = NULL;
		}
		offset = word(f + 16);
		if (dt->src.minor < 19) {
			fld->embedded = offset & 1;
			offset >>= 1;
		} else {
			fld->embedded = flags & NAME_EMBEDDED;
		}
		fld->offset = offset;
		d->t.n_fields++;
	}
	return 0;
}

static int read_func(struct descriptor_types *dt, struct desc *d, const uint8_t *ext)
{
	uint64_t at = d->t.runtime_type + kind_size(dt, GO_FUNC) + (d->uncommon ? UNCOMMON_SIZE : 0);
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
		if (read_in(dt, at + i * 8, p, 8))
			break;
		d->params[i] = get_word(dt, p);
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

	if (!read_slice(dt, at + 8, IMETHOD_SIZE, &data, &n))
		return 0;
	d->t.is_empty_interface = n == 0;
	if (!n)
		return 0;
	d->imethods = calloc(n, sizeof(*d->imethods));
	if (!d->imethods)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct imethod *im = &d->imethods[i];

		if (read_in(dt, data + i * IMETHOD_SIZE, m, sizeof(m)))
			break;
		im->name = name_off(dt, int32_at(m));
		if (!im->name)
			break;
		im->type = get_off(dt, int32_at(m + 4));
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

	d->t.key = type_of(get_word(dt, ext));
	d->t.elem = type_of(get_word(dt, ext + 8));
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
	uint64_t at = d->t.runtime_type, ext_size = kind_size(dt, d->t.kind) - TYPE_HEADER;

	if (d->uncommon && !read_in(dt, d->uncommon, u, sizeof(u)))
		d->pkgpath = name_off(dt, int32_at(u));
	/* *T: found by name as well */
	if (!read_in(dt, at, hdr, sizeof(hdr)))
		get_off(dt, int32_at(hdr + TYPE_PTR_TO_THIS));
	if (ext_size && read_in(dt, at + TYPE_HEADER, ext, ext_size))
		return 0;
	switch (d->t.kind) {
	case GO_ARRAY:
		d->t.elem = type_of(get_word(dt, ext));
		d->t.len = word(ext + 16);
		return 0;
	case GO_CHAN:
		d->t.elem = type_of(get_word(dt, ext));
		d->chan_dir = ext[8];
		return 0;
	case GO_POINTER:
	case GO_SLICE:
		d->t.elem = type_of(get_word(dt, ext));
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

/* Reads every descriptor queued, and what they lead to, then names them. */
static int settle(struct descriptor_types *dt)
{
	while (dt->n_pending && !dt->failed) {
		if (fill(dt, dt->pending[--dt->n_pending]))
			dt->failed = true;
	}
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

static bool layout_known(const struct descriptor_types *dt)
{
	return dt->src.major == 1 && dt->src.minor >= 15 && dt->src.minor <= 27 &&
	       dt->src.mod.types;
}

const struct go_type *typedesc__find(struct descriptor_types *dt, uint64_t addr)
{
	struct desc *d;

	if (!dt || !layout_known(dt))
		return NULL;
	d = get(dt, addr);
	if (!d || settle(dt))
		return NULL;
	return &d->t;
}

/* The bytes a descriptor takes in Go 1.27's row of them (abi's
 * DescriptorSize); 0 when it cannot be read. */
static uint64_t descriptor_size(struct descriptor_types *dt, uint64_t at, int kind, uint8_t tflag)
{
	uint64_t size = kind_size(dt, kind), data, n = 0;
	uint8_t b[4], u[UNCOMMON_SIZE];

	if (tflag & TFLAG_UNCOMMON) {
		if (read_in(dt, at + size, u, sizeof(u)))
			return 0;
		size += UNCOMMON_SIZE + METHOD_SIZE * go_read_uint(u + 4, 2, false);
	}
	switch (kind) {
	case GO_FUNC:
		if (read_in(dt, at + TYPE_HEADER, b, sizeof(b)))
			return 0;
		return size + 8 * (go_read_uint(b, 2, false) + (go_read_uint(b + 2, 2, false) & 0x7fff));
	case GO_INTERFACE:
		return read_slice(dt, at + TYPE_HEADER + 8, IMETHOD_SIZE, &data, &n)
			   ? size + IMETHOD_SIZE * n
			   : 0;
	case GO_STRUCT:
		return read_slice(dt, at + TYPE_HEADER + 8, FIELD_SIZE, &data, &n)
			   ? size + FIELD_SIZE * n
			   : 0;
	default:
		return size;
	}
}

/* Go 1.27 keeps no typelinks: its descriptors lie in a row from
 * runtime.types + 8 to the itabs, each pointer aligned (the linker's
 * padding reads as kind 0), then the itabs. */
static void read_row(struct descriptor_types *dt)
{
	const struct module_types *m = &dt->src.mod;
	uint64_t at = m->types + GO_PTR_SIZE, end = m->types + m->itaboffset, size;
	uint8_t hdr[TYPE_HEADER], itab[32];

	while (at + TYPE_HEADER <= end && !dt->failed) {
		if (read_in(dt, at, hdr, sizeof(hdr)))
			break;
		size = 0;
		if (valid_kind(hdr[TYPE_KIND] & KIND_MASK) && get(dt, at))
			size = descriptor_size(dt, at, hdr[TYPE_KIND] & KIND_MASK, hdr[TYPE_TFLAG]);
		at += size ? (size + GO_PTR_SIZE - 1) / GO_PTR_SIZE * GO_PTR_SIZE : GO_PTR_SIZE;
	}
	/* itabs: {inter, type, hash, fun[n]}, n the interface's methods */
	at = end;
	end = at + m->itabsize;
	while (at + sizeof(itab) <= end && !dt->failed) {
		struct desc *inter;

		if (read_in(dt, at, itab, sizeof(itab)))
			break;
		inter = get_word(dt, itab);
		get_word(dt, itab + 8);
		size = sizeof(itab);
		if (word(itab + 24) && inter && inter->t.kind == GO_INTERFACE) {
			uint64_t data, n;

			if (!read_slice(dt, inter->t.runtime_type + TYPE_HEADER + 8, IMETHOD_SIZE,
					&data, &n) ||
			    !n)
				break;
			size = 24 + 8 * n;
		}
		at += size;
	}
}

/* Up to Go 1.26: typelinks, offsets from runtime.types, and itablinks,
 * pointers to itabs {inter, type, ...}; both outside the region. */
static void read_links(struct descriptor_types *dt)
{
	const struct module_types *m = &dt->src.mod;
	uint64_t i;
	uint8_t b[16];

	for (i = 0; i < m->n_typelinks && !dt->failed; i++)
		if (!dt->src.read(dt->src.ctx, m->typelinks + 4 * i, b, 4))
			get_off(dt, int32_at(b));
	for (i = 0; i < m->n_itablinks && !dt->failed; i++) {
		if (dt->src.read(dt->src.ctx, m->itablinks + 8 * i, b, 8) ||
		    read_in(dt, word(b), b, 16))
			continue;
		get_word(dt, b);
		get_word(dt, b + 8);
	}
}

static int by_addr(const void *a, const void *b)
{
	uint64_t x = (*(const struct go_type *const *)a)->runtime_type;
	uint64_t y = (*(const struct go_type *const *)b)->runtime_type;

	return x < y ? -1 : x > y;
}

/* Every type the module lists, and every type they lead to. */
static int load(struct descriptor_types *dt)
{
	if (dt->loaded)
		return dt->failed ? -ENOMEM : 0;
	dt->loaded = true;
	if (!layout_known(dt))
		return 0;
	if (dt->src.mod.typelinks || dt->src.mod.itablinks)
		read_links(dt);
	else
		read_row(dt);
	return settle(dt);
}

int typedesc__all(struct descriptor_types *dt, const struct go_type *const **out)
{
	const struct go_type **sorted;
	size_t i;

	*out = NULL;
	if (!dt || load(dt))
		return 0;
	if (dt->n_sorted != dt->n_all) {
		sorted = realloc(dt->sorted, (dt->n_all + 1) * sizeof(*sorted));
		if (!sorted)
			return 0;
		for (i = 0; i < dt->n_all; i++)
			sorted[i] = &dt->all[i]->t;
		qsort(sorted, dt->n_all, sizeof(*sorted), by_addr);
		dt->sorted = sorted;
		dt->n_sorted = dt->n_all;
	}
	*out = dt->sorted;
	return dt->n_sorted;
}

const struct go_type *typedesc__by_name(struct descriptor_types *dt, const char *name)
{
	return dt && !load(dt) ? typenames_find(dt, name) : NULL;
}

const char *typedesc__package(struct descriptor_types *dt, const char *qualifier, int *count)
{
	*count = 0;
	return dt && !load(dt) ? typenames_package(dt, qualifier, count) : NULL;
}

/* ---- methods whose func type the descriptor keeps ---- */

static int by_entry(const void *a, const void *b)
{
	const struct go_method *x = a, *y = b;

	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int param(struct go_param *p, const char *prefix, int i, const struct go_type *t,
		 bool result)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%s%d", prefix, i);
	p->name = strdup(buf);
	p->type = (struct go_type *)t;
	p->is_result = result;
	return p->name ? 0 : -ENOMEM;
}

/* A method as a function: the receiver, then its func type's inputs and
 * outputs, named as Go names unnamed ones (~p0 the receiver, ~r0...). */
static int add_method(struct descriptor_types *dt, struct desc *recv, struct desc *ft,
		      const char *name, uint64_t entry, size_t *cap)
{
	struct go_method *m;
	int i, err = 0;

	if (dt->n_methods == *cap) {
		size_t c = *cap ? *cap * 2 : 64;

		m = realloc(dt->methods, c * sizeof(*m));
		if (!m)
			return -ENOMEM;
		dt->methods = m;
		*cap = c;
	}
	m = &dt->methods[dt->n_methods];
	memset(m, 0, sizeof(*m));
	m->recv = &recv->t;
	m->entry = entry;
	m->name = strdup(name);
	m->params = calloc(1 + ft->n_in + ft->n_out, sizeof(*m->params));
	if (!m->name || !m->params)
		err = -ENOMEM;
	for (i = 0; !err && i <= ft->n_in; i++)
		err = param(&m->params[i], "~p", i, i ? &ft->params[i - 1]->t : &recv->t, false);
	for (i = 0; !err && i < ft->n_out; i++)
		err = param(&m->params[1 + ft->n_in + i], "~r", i, &ft->params[ft->n_in + i]->t,
			    true);
	m->n_params = 1 + ft->n_in + ft->n_out;
	dt->n_methods++;
	return err;
}

static int read_methods(struct descriptor_types *dt)
{
	size_t i, j, cap = 0, n_types;
	uint8_t u[UNCOMMON_SIZE], m[METHOD_SIZE];
	int err;

	dt->methods_read = true;
	err = load(dt);
	/* the methods' func types are made as they are met: count first */
	for (i = 0, n_types = dt->n_all; !err && i < n_types; i++) {
		struct desc *d = dt->all[i];
		uint64_t count, moff;

		if (!d->uncommon || read_in(dt, d->uncommon, u, sizeof(u)))
			continue;
		count = go_read_uint(u + 4, 2, false);
		moff = go_read_uint(u + 8, 4, false);
		for (j = 0; j < count && !err; j++) {
			struct desc *ft;
			int32_t tfn;
			char *name;

			if (read_in(dt, d->uncommon + moff + j * METHOD_SIZE, m, sizeof(m)))
				break;
			tfn = int32_at(m + 12);
			ft = get_off(dt, int32_at(m + 4));
			if (tfn == -1 || !ft || ft->t.kind != GO_FUNC || settle(dt) || !ft->params)
				continue;
			name = name_off(dt, int32_at(m));
			if (name)
				err = add_method(dt, d, ft, name,
						 dt->src.mod.text + (uint32_t)tfn, &cap);
			free(name);
		}
	}
	if (err)
		return err;
	qsort(dt->methods, dt->n_methods, sizeof(*dt->methods), by_entry);
	return 0;
}

const struct go_method *typedesc__method_at(struct descriptor_types *dt, uint64_t entry)
{
	struct go_method key = {.entry = entry};

	if (!dt || (!dt->methods_read && read_methods(dt)) || !dt->n_methods)
		return NULL;
	return bsearch(&key, dt->methods, dt->n_methods, sizeof(key), by_entry);
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
	for (i = 0; i < dt->n_methods; i++) {
		for (j = 0; j < dt->methods[i].n_params; j++)
			free(dt->methods[i].params[j].name);
		free(dt->methods[i].params);
		free(dt->methods[i].name);
	}
	typenames_free(dt);
	free(dt->methods);
	free(dt->slots);
	free(dt->all);
	free(dt->pending);
	free(dt->sorted);
	free(dt);
}
