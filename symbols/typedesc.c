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
 *   runtime.types, where descriptors start, from the module data
 *     (goruntime.c)
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

struct descriptor_types {
	struct go_type **types;
	int n;
};

static bool layout_known(const struct gobin *bin, int *minor)
{
	int major;

	return gobin__go_version_number(bin, &major, minor) && major == 1 && *minor >= 16 &&
	       *minor <= 19;
}

/* Without .symtab, runtime.types is found through the module data. */
void typedesc_find_types_base(struct gobin *bin)
{
	if (!bin->types_base)
		bin->types_base = moduledata_types(bin, bin->pclntab_vaddr);
}

static char *descriptor_name(const struct gobin *bin, uint64_t addr, int minor, uint8_t tflag)
{
	int32_t str;
	uint8_t hdr[3], *buf;
	uint64_t n = 0, at;
	int shift = 0, i;
	char *name;

	if (gobin_read_vaddr(bin, addr + TYPE_STR, &str, 4))
		return NULL;
	at = bin->types_base + (int64_t)str;
	if (gobin_read_vaddr(bin, at, hdr, sizeof(hdr)))
		return NULL;
	if (minor >= 17) {
		for (i = 1; i < 3; i++, shift += 7) {
			n |= (uint64_t)(hdr[i] & 0x7f) << shift;
			if (!(hdr[i] & 0x80))
				break;
		}
		at += i + 1;
	} else {
		n = (uint64_t)hdr[1] << 8 | hdr[2];
		at += 3;
	}
	if (n == 0 || n > MAX_NAME)
		return NULL;
	buf = malloc(n + 1);
	if (!buf)
		return NULL;
	if (gobin_read_vaddr(bin, at, buf, n)) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	name = (char *)buf;
	if ((tflag & TFLAG_EXTRA_STAR) && name[0] == '*')
		memmove(name, name + 1, n);
	return name;
}

const struct go_type *gobin__type_by_runtime_addr(const struct gobin *bin, uint64_t addr)
{
	const struct go_type *t = dwarf_type_by_runtime_addr(bin, addr);
	struct descriptor_types *dt;
	uint8_t desc[TYPE_SIZE];
	struct go_type *made, **grown;
	int minor, i;

	if (t || !bin->types_base || !layout_known(bin, &minor))
		return t;
	if (!bin->descriptor_types)
		((struct gobin *)bin)->descriptor_types =
		    calloc(1, sizeof(struct descriptor_types));
	dt = bin->descriptor_types;
	if (!dt)
		return NULL;
	for (i = 0; i < dt->n; i++)
		if (dt->types[i]->runtime_type == addr)
			return dt->types[i];
	if (gobin_read_vaddr(bin, addr, desc, sizeof(desc)))
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
	made->name = descriptor_name(bin, addr, minor, desc[TYPE_TFLAG]);
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

/*
 * Descriptors are at the same offsets from runtime.types in a stripped build
 * and in the unstripped build of the same source, but not always at the same
 * addresses: from Go 1.27 they follow the read-only data, whose build
 * settings (-ldflags) differ between the two.
 */
uint64_t gobin__twin_type_addr(const struct gobin *from, const struct gobin *to, uint64_t addr)
{
	if (from == to || !from->types_base || !to->types_base || addr < from->types_base)
		return addr;
	return addr - from->types_base + to->types_base;
}

void typedesc_free(struct gobin *bin)
{
	struct descriptor_types *dt = bin->descriptor_types;
	int i;

	if (!dt)
		return;
	for (i = 0; i < dt->n; i++) {
		free(dt->types[i]->name);
		free(dt->types[i]);
	}
	free(dt->types);
	free(dt);
	bin->descriptor_types = NULL;
}
