// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime type descriptors, read from the binary when DWARF does not know a
 * type (stripped builds): its name, kind and size, enough to show scalars,
 * strings and pointers held in interfaces.
 *
 * Layouts by Go version, from the Go sources; only those known are used:
 *   runtime._type (1.16-1.19): size 0, ptrdata 8, hash 16, tflag 20,
 *     align 21, fieldAlign 22, kind 23, equal 24, gcdata 32, str 40
 *   a name (runtime/type.go): a flags byte, then the length as a varint
 *     (Go 1.17+) or 2 bytes big-endian (1.16), then the bytes; tflag
 *     ExtraStar (2) means the name has a '*' to drop
 *   runtime.types, where descriptors start, from .symtab or the module
 *     data (gobin.c)
 * Addresses in, a read callback for the file's bytes: it knows no ELF.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

#define TYPE_TFLAG 20
#define TYPE_KIND 23
#define TYPE_STR 40
#define TYPE_SIZE 48
#define TFLAG_EXTRA_STAR 2
#define KIND_MASK 31
#define MAX_NAME 512

/* Owned by the gobin apart from it: lookups through a const gobin fill it. */
struct descriptor_types {
	struct go_type **types;
	int n;
	vaddr_read_fn read;
	void *ctx;
	uint64_t types_base;
	int minor; /* Go 1.minor, when its layout is known; else 0 */
};

static bool layout_known(int major, int minor)
{
	return major == 1 && minor >= 16 && minor <= 19;
}

struct descriptor_types *typedesc__new(vaddr_read_fn read, void *ctx, uint64_t types_base,
				       int major, int minor)
{
	struct descriptor_types *dt = calloc(1, sizeof(*dt));

	if (!dt)
		return NULL;
	dt->read = read;
	dt->ctx = ctx;
	dt->types_base = types_base;
	dt->minor = layout_known(major, minor) ? minor : 0;
	return dt;
}

static char *descriptor_name(const struct descriptor_types *dt, uint64_t addr, int minor,
			     uint8_t tflag)
{
	int32_t str;
	uint8_t hdr[3], *buf;
	uint64_t n = 0, at;
	int shift = 0, i;
	char *name;

	if (dt->read(dt->ctx, addr + TYPE_STR, &str, 4))
		return NULL;
	at = dt->types_base + (int64_t)str;
	if (dt->read(dt->ctx, at, hdr, sizeof(hdr)))
		return NULL;
	if (minor >= 17) {
		for (i = 1; i < 3; i++, shift += 7) {
			n |= (uint64_t)(hdr[i] & 0x7f) << shift;
			if (!(hdr[i] & 0x80))
				break;
		}
		at += i + 1;
	} else {
		n = go_read_uint(hdr + 1, 2, true);
		at += 3;
	}
	if (n == 0 || n > MAX_NAME)
		return NULL;
	buf = malloc(n + 1);
	if (!buf)
		return NULL;
	if (dt->read(dt->ctx, at, buf, n)) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	name = (char *)buf;
	if ((tflag & TFLAG_EXTRA_STAR) && name[0] == '*')
		memmove(name, name + 1, n);
	return name;
}

const struct go_type *typedesc__find(struct descriptor_types *dt, uint64_t addr)
{
	uint8_t desc[TYPE_SIZE];
	struct go_type *made, **grown;
	int minor = dt->minor, i;

	if (!dt->types_base || !minor)
		return NULL;
	for (i = 0; i < dt->n; i++)
		if (dt->types[i]->runtime_type == addr)
			return dt->types[i];
	if (dt->read(dt->ctx, addr, desc, sizeof(desc)))
		return NULL;
	made = calloc(1, sizeof(*made));
	grown = realloc(dt->types, (dt->n + 1) * sizeof(*grown));
	if (!made || !grown) {
		free(made);
		if (grown)
			dt->types = grown;
		return NULL;
	}
	dt->types = grown;
	made->name = descriptor_name(dt, addr, minor, desc[TYPE_TFLAG]);
	if (!made->name) {
		free(made);
		return NULL;
	}
	made->kind = desc[TYPE_KIND] & KIND_MASK;
	memcpy(&made->size, desc, 8);
	made->align = desc[TYPE_TFLAG + 1] ? desc[TYPE_TFLAG + 1] : 1;
	made->runtime_type = addr;
	/* the layout of a composite type is not in its name: shown by name */
	if (made->kind == GO_STRUCT || made->kind == GO_ARRAY || made->kind == GO_SLICE ||
	    made->kind == GO_MAP || made->kind == GO_CHAN || made->kind == GO_INTERFACE ||
	    made->kind == GO_POINTER)
		made->kind = made->kind == GO_POINTER ? GO_UNSAFE_POINTER : GO_INVALID;
	dt->types[dt->n++] = made;
	return made;
}

void typedesc__free(struct descriptor_types *dt)
{
	int i;

	if (!dt)
		return;
	for (i = 0; i < dt->n; i++) {
		free(dt->types[i]->name);
		free(dt->types[i]);
	}
	free(dt->types);
	free(dt);
}
