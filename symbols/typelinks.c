// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The module's lists of type descriptors, for typedesc__all and the lookups
 * by name: up to Go 1.26 typelinks (offsets from runtime.types) and
 * itablinks (pointers to itabs); from Go 1.27 the descriptors themselves,
 * in a row from runtime.types, then the itabs. And the methods whose
 * descriptors keep their func types, which give functions their
 * signatures. Every read goes through typedesc.c's bounds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/typedesc.h"

/* The bytes a descriptor takes in Go 1.27's row of them (abi's
 * DescriptorSize); 0 when it cannot be read. */
static uint64_t descriptor_size(struct descriptor_types *dt, uint64_t at, int kind, uint8_t tflag)
{
	uint64_t size = typedesc_kind_size(dt, kind), data, n = 0;
	uint8_t b[4], u[UNCOMMON_SIZE];

	if (tflag & TFLAG_UNCOMMON) {
		if (typedesc_read(dt, at + size, u, sizeof(u)))
			return 0;
		size += UNCOMMON_SIZE + METHOD_SIZE * go_read_uint(u + 4, 2, false);
	}
	switch (kind) {
	case GO_FUNC:
		if (typedesc_read(dt, at + TYPE_HEADER, b, sizeof(b)))
			return 0;
		return size +
		       8 * (go_read_uint(b, 2, false) + (go_read_uint(b + 2, 2, false) & 0x7fff));
	case GO_INTERFACE:
		return typedesc_read_slice(dt, at + TYPE_HEADER + 8, IMETHOD_SIZE, &data, &n)
			   ? size + IMETHOD_SIZE * n
			   : 0;
	case GO_STRUCT:
		return typedesc_read_slice(dt, at + TYPE_HEADER + 8, FIELD_SIZE, &data, &n)
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
		if (typedesc_read(dt, at, hdr, sizeof(hdr)))
			break;
		size = 0;
		if (valid_kind(hdr[TYPE_KIND] & KIND_MASK) && typedesc_get(dt, at))
			size = descriptor_size(dt, at, hdr[TYPE_KIND] & KIND_MASK, hdr[TYPE_TFLAG]);
		at += size ? (size + GO_PTR_SIZE - 1) / GO_PTR_SIZE * GO_PTR_SIZE : GO_PTR_SIZE;
	}
	/* itabs: {inter, type, hash, fun[n]}, n the interface's methods */
	at = end;
	end = at + m->itabsize;
	while (at + sizeof(itab) <= end && !dt->failed) {
		struct desc *inter;

		if (typedesc_read(dt, at, itab, sizeof(itab)))
			break;
		inter = typedesc_get_word(dt, itab);
		typedesc_get_word(dt, itab + 8);
		size = sizeof(itab);
		if (word(itab + 24) && inter && inter->t.kind == GO_INTERFACE) {
			uint64_t data, n;

			if (!typedesc_read_slice(dt, inter->t.runtime_type + TYPE_HEADER + 8,
						 IMETHOD_SIZE, &data, &n) ||
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
			typedesc_get_off(dt, int32_at(b));
	for (i = 0; i < m->n_itablinks && !dt->failed; i++) {
		if (dt->src.read(dt->src.ctx, m->itablinks + 8 * i, b, 8) ||
		    typedesc_read(dt, word(b), b, 16))
			continue;
		typedesc_get_word(dt, b);
		typedesc_get_word(dt, b + 8);
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
	if (!typedesc_layout_known(dt))
		return 0;
	if (dt->src.mod.typelinks || dt->src.mod.itablinks)
		read_links(dt);
	else
		read_row(dt);
	return typedesc_settle(dt);
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

const char *typedesc__package(struct descriptor_types *dt, const char *qualifier, int nth,
			      int *count)
{
	*count = 0;
	return dt && !load(dt) ? typenames_package(dt, qualifier, nth, count) : NULL;
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

		if (!d->uncommon || typedesc_read(dt, d->uncommon, u, sizeof(u)))
			continue;
		count = go_read_uint(u + 4, 2, false);
		moff = go_read_uint(u + 8, 4, false);
		for (j = 0; j < count && !err; j++) {
			struct desc *ft;
			int32_t tfn;
			char *name;

			if (typedesc_read(dt, d->uncommon + moff + j * METHOD_SIZE, m, sizeof(m)))
				break;
			tfn = int32_at(m + 12);
			ft = typedesc_get_off(dt, int32_at(m + 4));
			if (tfn == -1 || !ft || ft->t.kind != GO_FUNC || typedesc_settle(dt) ||
			    !ft->params)
				continue;
			name = typedesc_name_off(dt, int32_at(m));
			if (name)
				err = add_method(dt, d, ft, name, dt->src.mod.text + (uint32_t)tfn,
						 &cap);
			free(name);
		}
	}
	if (!err && dt->n_methods)
		qsort(dt->methods, dt->n_methods, sizeof(*dt->methods), by_entry);
	return err;
}

const struct go_method *typedesc__method_at(struct descriptor_types *dt, uint64_t entry)
{
	struct go_method key = {.entry = entry};

	if (!dt || (!dt->methods_read && read_methods(dt)) || !dt->n_methods)
		return NULL;
	return bsearch(&key, dt->methods, dt->n_methods, sizeof(key), by_entry);
}

void typelinks_free(struct descriptor_types *dt)
{
	size_t i;
	int j;

	for (i = 0; i < dt->n_methods; i++) {
		for (j = 0; j < dt->methods[i].n_params; j++)
			free(dt->methods[i].params[j].name);
		free(dt->methods[i].params);
		free(dt->methods[i].name);
	}
	free(dt->methods);
}
