// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the runtime type descriptor reader (symbols/
 * typedesc.c, typelinks.c, typenames.c), on small inputs: a descriptor
 * region and the module data's lists that point into it, not whole
 * binaries. Every type read must be walkable, nameable, findable by name,
 * resolvable in a signature (typeexpr.c) and plannable (plan/types.c, as
 * gotrace registers every descriptor type an interface may hold).
 *
 * An input is a header, the lists, then the region:
 *
 *	0   minor      Go 1.(15 + minor % 13): the layouts read by
 *	2   n_links    typelinks: n_links int32 offsets from runtime.types
 *	4   n_itabs    itablinks: n_itabs uint32 offsets of itabs from it
 *	8   typedesclen, itaboffset, itabsize (uint32, Go 1.27's row)
 *	20  start      where the region's bytes start, from runtime.types
 *	24  the typelinks, then the itab offsets, then the region: the bytes
 *	    of runtime.types + start .. etypes; those before start read as
 *	    missing, as a cut of a real binary's region leaves them
 *
 * tests/fuzz/seed_typedesc.py cuts seeds from real binaries: make
 * fuzz-typedesc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/types.h"
#include "symbols/internal.h"

#define TYPES 0x400000ull  /* where the region is */
#define LINKS 0x100000ull  /* the typelinks */
#define ITABS 0x200000ull  /* the itablinks, pointers made from the offsets */
#define TEXT 0x10000000ull /* moduledata.text */
#define HEADER 24
#define MAX_ITABS 4096
#define WALKED 256 /* types walked, named and planned per input */

struct input {
	const uint8_t *links;
	size_t n_links;
	uint64_t itabs[MAX_ITABS];
	size_t n_itabs;
	const uint8_t *region;
	size_t region_len;
	uint64_t start; /* the region's offset from TYPES */
};

static int read_input(void *ctx, uint64_t addr, void *dst, size_t size)
{
	const struct input *in = ctx;

	if (addr >= TYPES + in->start && addr - TYPES - in->start <= in->region_len &&
	    size <= in->region_len - (addr - TYPES - in->start)) {
		memcpy(dst, in->region + (addr - TYPES - in->start), size);
		return 0;
	}
	if (addr >= LINKS && addr - LINKS <= 4 * in->n_links &&
	    size <= 4 * in->n_links - (addr - LINKS)) {
		memcpy(dst, in->links + (addr - LINKS), size);
		return 0;
	}
	if (addr >= ITABS && addr - ITABS <= 8 * in->n_itabs &&
	    size <= 8 * in->n_itabs - (addr - ITABS)) {
		memcpy(dst, (const uint8_t *)in->itabs + (addr - ITABS), size);
		return 0;
	}
	return -1;
}

static size_t walk(const struct go_type *t, int depth)
{
	size_t n;
	int i;

	if (!t || depth > 8)
		return 0;
	n = strlen(t->name) + t->size + t->len + t->align;
	for (i = 0; i < t->n_fields; i++)
		n += strlen(t->fields[i].name) + t->fields[i].offset +
		     walk(t->fields[i].type, depth + 1);
	if (t->map_layout)
		n += t->map_layout->bucket_size + t->map_layout->keys_off;
	return n + walk(t->elem, depth + 1) + walk(t->key, depth + 1);
}

struct resolver_ctx {
	struct descriptor_types *dt;
};

static const struct go_type *find(void *ctx, const char *name)
{
	return typedesc__by_name(((struct resolver_ctx *)ctx)->dt, name);
}

static const char *package(void *ctx, const char *qualifier, int nth, int *count)
{
	return typedesc__package(((struct resolver_ctx *)ctx)->dt, qualifier, nth, count);
}

/* Signatures naming T as users write them, and a short qualifier. */
static void resolve_around(struct descriptor_types *dt, struct made_types *made,
			   const struct go_type *t)
{
	static const char *const forms[] = {"%s",    "*%s",   "[]%s",	"map[string]%s",
					    "[2]%s", "...%s", "chan %s"};
	struct resolver_ctx ctx = {dt};
	struct type_resolver r = {find, package, &ctx};
	char expr[512], why[256];
	const char *dot;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(expr, sizeof(expr), forms[i], t->name);
		walk(typeexpr_resolve(&r, made, expr, why, sizeof(why)), 0);
	}
	dot = strrchr(t->name, '/');
	if (dot)
		walk(typeexpr_resolve(&r, made, dot + 1, why, sizeof(why)), 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct typedesc_source src = {.read = read_input, .major = 1};
	struct type_opts opts = {.max_string = 64, .max_elems = 64};
	const struct go_type *const *all;
	struct descriptor_types *dt;
	struct made_types *made;
	struct type_table *tt;
	struct input in = {0};
	size_t i, at = HEADER;
	int n, count;

	if (size < HEADER)
		return 0;
	src.minor = 15 + data[0] % 13;
	in.n_links = go_read_uint(data + 2, 2, false);
	in.n_itabs = go_read_uint(data + 4, 2, false) % MAX_ITABS;
	if (in.n_links * 4 + in.n_itabs * 4 > size - HEADER)
		return 0;
	in.links = data + at;
	at += in.n_links * 4;
	for (i = 0; i < in.n_itabs; i++)
		in.itabs[i] = TYPES + go_read_uint(data + at + 4 * i, 4, false);
	at += in.n_itabs * 4;
	in.region = data + at;
	in.region_len = size - at;
	in.start = go_read_uint(data + 20, 4, false) % (1u << 20);

	src.ctx = &in;
	src.mod.text = TEXT;
	src.mod.types = TYPES;
	src.mod.etypes = TYPES + in.start + in.region_len;
	if (src.minor >= 27) {
		src.mod.typedesclen = go_read_uint(data + 8, 4, false);
		src.mod.itaboffset = go_read_uint(data + 12, 4, false);
		src.mod.itabsize = go_read_uint(data + 16, 4, false);
	} else {
		src.mod.typelinks = LINKS;
		src.mod.n_typelinks = in.n_links;
		src.mod.itablinks = ITABS;
		src.mod.n_itablinks = in.n_itabs;
	}
	src.mod.typedesclen %= src.mod.etypes - TYPES + 1;
	src.mod.itaboffset %= src.mod.etypes - TYPES + 1;
	src.mod.itabsize %= src.mod.etypes - TYPES - src.mod.itaboffset + 1;

	dt = typedesc__new(&src);
	made = made_types__new();
	opts.swiss_maps = src.minor >= 24;
	tt = type_table__new(&opts);
	if (!dt || !made || !tt)
		goto out;
	/* descriptors by address, as an interface's type word gives them */
	for (i = 0; i < 32; i++)
		walk(typedesc__find(dt, TYPES + in.start + 8 * i), 0);
	n = typedesc__all(dt, &all);
	for (i = 0; i < (size_t)n && i < WALKED; i++) {
		walk(all[i], 0);
		if (typedesc__by_name(dt, all[i]->name) == NULL)
			abort(); /* every type listed is found by its name */
		if (i < 8)
			resolve_around(dt, made, all[i]);
		type_table__id(tt, all[i]);
	}
	typedesc__package(dt, "main", 0, &count);
	for (i = 0; i < 16; i++) {
		const struct go_method *m = typedesc__method_at(dt, TEXT + 16 * i);
		int j;

		for (j = 0; m && j < m->n_params; j++)
			walk(m->params[j].type, 0);
	}
out:
	type_table__free(tt);
	made_types__free(made);
	typedesc__free(dt);
	return 0;
}
