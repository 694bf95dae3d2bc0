// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Go version, from the build info blob the linker writes at the start of
 * the data segment (debug/buildinfo): 14 bytes of magic, pointer size,
 * flags, then either two pointers to Go strings (before Go 1.18) or, with
 * flag 2, the strings themselves, varint-prefixed, after a 32-byte header.
 * Bytes in, a read callback for the pointers: gobin.c finds the blob.
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

char *buildinfo_parse_version(const uint8_t *blob, size_t len, vaddr_read_fn read, void *ctx)
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

		hdr_addr = go_read_uint(blob + 16, ptr_size, big);
		if (!read || read(ctx, hdr_addr, hdr, 2 * ptr_size))
			return NULL;
		str_addr = go_read_uint(hdr, ptr_size, big);
		str_len = go_read_uint(hdr + ptr_size, ptr_size, big);
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

bool buildinfo_find(const uint8_t *data, size_t len, vaddr_read_fn read, void *ctx, char **version)
{
	size_t i;

	if (len > BUILDINFO_SEARCH)
		len = BUILDINFO_SEARCH;
	for (i = 0; i + BUILDINFO_HEADER <= len; i += BUILDINFO_ALIGN) {
		if (!memcmp(data + i, BUILDINFO_MAGIC, BUILDINFO_MAGIC_LEN)) {
			*version = buildinfo_parse_version(data + i, len - i, read, ctx);
			return true;
		}
	}
	return false;
}
