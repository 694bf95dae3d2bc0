// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Go version, from the build info blob the linker writes at the start of
 * the data segment (debug/buildinfo): 14 bytes of magic, pointer size,
 * flags, then either two pointers to Go strings (before Go 1.18) or, with
 * flag 2, the strings themselves, varint-prefixed, after a 32-byte header.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

#define BUILDINFO_MAGIC "\xff Go buildinf:"
#define BUILDINFO_MAGIC_LEN 14
#define BUILDINFO_HEADER 32
#define BUILDINFO_ALIGN 16
#define BUILDINFO_SEARCH (64 * 1024)
#define MAX_VERSION 128

static char *version_string(const uint8_t *s, uint64_t n)
{
	char *v;

	/* a version is short printable ASCII starting with "go" or "devel" */
	if (n == 0 || n > MAX_VERSION)
		return NULL;
	for (uint64_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return NULL;
	v = malloc(n + 1);
	if (!v)
		return NULL;
	memcpy(v, s, n);
	v[n] = 0;
	return v;
}

static uint64_t read_uint(const uint8_t *p, int size, bool big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

char *buildinfo_parse_version(const uint8_t *blob, size_t len, buildinfo_read_fn read, void *ctx)
{
	int ptr_size, flags;
	uint64_t n = 0, hdr_addr;
	size_t i;
	int shift = 0;

	if (len < BUILDINFO_HEADER || memcmp(blob, BUILDINFO_MAGIC, BUILDINFO_MAGIC_LEN))
		return NULL;
	ptr_size = blob[14];
	flags = blob[15];
	if (flags & 2) {
		for (i = BUILDINFO_HEADER; i < len && shift < 64; i++, shift += 7) {
			n |= (uint64_t)(blob[i] & 0x7f) << shift;
			if (!(blob[i] & 0x80))
				break;
		}
		if (i >= len)
			return NULL;
		i++;
		if (n > len - i)
			return NULL;
		return version_string(blob + i, n);
	}
	if (ptr_size != 4 && ptr_size != 8)
		return NULL;
	{
		bool big = flags & 1;
		uint8_t hdr[16], *s;
		uint64_t str_addr, str_len;
		char *v;

		hdr_addr = read_uint(blob + 16, ptr_size, big);
		if (!read || read(ctx, hdr_addr, hdr, 2 * ptr_size))
			return NULL;
		str_addr = read_uint(hdr, ptr_size, big);
		str_len = read_uint(hdr + ptr_size, ptr_size, big);
		if (str_len == 0 || str_len > MAX_VERSION)
			return NULL;
		s = malloc(str_len);
		if (!s)
			return NULL;
		if (read(ctx, str_addr, s, str_len)) {
			free(s);
			return NULL;
		}
		v = version_string(s, str_len);
		free(s);
		return v;
	}
}

static int read_vaddr(void *ctx, uint64_t addr, void *dst, size_t size)
{
	return gobin_read_vaddr(ctx, addr, dst, size);
}

const uint8_t *gobin_section_bytes(const struct gobin *bin, const char *name, size_t *len)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	if (elf_getshdrstrndx(bin->elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(bin->elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
			continue;
		n = elf_strptr(bin->elf, shstrndx, shdr.sh_name);
		if (!n || strcmp(n, name))
			continue;
		if (shdr.sh_offset > bin->image_size ||
		    shdr.sh_size > bin->image_size - shdr.sh_offset)
			return NULL;
		*len = shdr.sh_size;
		return bin->image + shdr.sh_offset;
	}
	return NULL;
}

char *buildinfo_version(const struct gobin *bin)
{
	const uint8_t *data;
	size_t len = 0, i, p;

	data = gobin_section_bytes(bin, ".go.buildinfo", &len);
	if (data)
		return buildinfo_parse_version(data, len, read_vaddr, (void *)bin);
	/* No section headers to go by: search the start of each writable
	 * segment, as debug/buildinfo does with the data segment. */
	for (p = 0; p < bin->n_phdrs; p++) {
		const GElf_Phdr *ph = &bin->phdrs[p];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		if (ph->p_offset > bin->image_size)
			continue;
		len = ph->p_filesz < bin->image_size - ph->p_offset
			  ? ph->p_filesz
			  : bin->image_size - ph->p_offset;
		if (len > BUILDINFO_SEARCH)
			len = BUILDINFO_SEARCH;
		data = bin->image + ph->p_offset;
		for (i = 0; i + BUILDINFO_HEADER <= len; i += BUILDINFO_ALIGN)
			if (!memcmp(data + i, BUILDINFO_MAGIC, BUILDINFO_MAGIC_LEN))
				return buildinfo_parse_version(data + i, len - i, read_vaddr,
							       (void *)bin);
	}
	return NULL;
}
