// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The module data (runtime.moduledata), for binaries without .symtab: the
 * text start that Go 1.18+ pclntab entries are offsets from, runtime.types,
 * and the lists of type descriptors and itabs the runtime keeps. Found and
 * read through elf.c; its layout by version is here, and only here.
 */
#include <errno.h>
#include <string.h>
#include "symbols/internal.h"

/*
 * runtime.moduledata (runtime/symtab.go), byte offsets on amd64:
 *
 *	Go 1.15     pclntable, ftab, filetab (slices), findfunctab, minpc,
 *	            maxpc; text 96, etext 104; noptrdata ... gcbss; types 200,
 *	            etypes 208; textsectmap; typelinks 240; itablinks 264
 *	Go 1.16     pcHeader 0; funcnametab, cutab, filetab, pctab, pclntable,
 *	            ftab (slices); findfunctab, minpc, maxpc; text 176, etext
 *	            184; noptrdata ... gcbss; types 280, etypes 288;
 *	            textsectmap; typelinks 320; itablinks 344
 *	Go 1.18     rodata and gofunc after etypes: typelinks 336, itablinks 360
 *	Go 1.20     covctrs, ecovctrs before end: types 296, etypes 304,
 *	            typelinks 352, itablinks 376
 *	Go 1.26     epclntab after gofunc: typelinks 360, itablinks 384
 *	Go 1.27     no typelinks nor itablinks: types 296, typedesclen 304,
 *	            etypes 312, itaboffset 320, itabsize 328; the descriptors
 *	            the runtime lists (typedesclen bytes from types + 8), then
 *	            the others, then the itabs (from types + itaboffset), in a row
 *
 * Checked against the .text, .typelink and .itablink sections and the
 * runtime.types and runtime.etypes symbols of builds by Go 1.15, 1.19,
 * 1.21, 1.22, 1.23, 1.24, 1.26 and 1.27 (tests/unit/test_typedesc.c). No
 * source of 1.16-1.18, 1.20 or 1.25 is at hand: every row that may apply is
 * tried, and the first whose typelinks and itablinks read as slices (len ==
 * cap, the bytes in the file) is taken.
 *
 * The runtime turns a function's entry offset into an address with
 * moduledata.text (textAddr) in every version that stores offsets (1.18 on),
 * and a method's text offset the same way.
 */
/* gofunc (go:func.*, the base of funcdata offsets) after types, etypes,
 * rodata: 1.18-1.19, 1.20-1.26, and 1.27 on, which adds typedesclen,
 * itaboffset and itabsize (read from each version's runtime/symtab.go) */
#define MODULEDATA_GOFUNC_118 304
#define MODULEDATA_GOFUNC_120 320
#define MODULEDATA_GOFUNC_127 344

static const struct moduledata_layout {
	int first, last; /* Go 1.first to 1.last */
	uint16_t text, types, etypes;
	uint16_t typelinks, itablinks;		    /* slices; 0: none */
	uint16_t typedesclen, itaboffset, itabsize; /* Go 1.27; 0: none */
} layouts[] = {
    /* one row per layout */
    /* clang-format off */
    {15, 15,  96, 200, 208, 240, 264,   0,   0,   0},
    {16, 19, 176, 280, 288, 320, 344,   0,   0,   0},
    {16, 19, 176, 280, 288, 336, 360,   0,   0,   0},
    {20, 25, 176, 296, 304, 352, 376,   0,   0,   0},
    {25, 26, 176, 296, 304, 360, 384,   0,   0,   0},
    {27, 27, 176, 296, 312,   0,   0, 304, 320, 328},
    /* clang-format on */
};

#define MAX_LINKS (1u << 24) /* entries of a typelinks or itablinks slice */

static bool in_code(const struct gobin *bin, uint64_t vaddr)
{
	uint64_t offset;

	return gobin__vaddr_to_offset(bin, vaddr, &offset) == 0;
}

/* The module data is the one word in a writable segment that points at the
 * pclntab, with a text..etext pair at TEXT after it that lies in the code. */
static uint64_t moduledata_find(const struct gobin *bin, uint64_t pclntab_vaddr, uint16_t text)
{
	const GElf_Phdr *ph;
	const uint8_t *data;
	size_t p = 0, size;

	/* only the bytes the file holds: a hostile p_filesz is not a loop bound */
	while (pclntab_vaddr && (ph = gobin_next_segment(bin, &p, PF_W, 0, &data, &size))) {
		uint64_t word, v, range[2];

		for (word = 0; word * 8 + 8 <= size; word++) {
			uint64_t at = ph->p_vaddr + word * 8;

			if (gobin_read_vaddr(bin, at, &v, 8) || v != pclntab_vaddr)
				continue;
			if (gobin_read_vaddr(bin, at + text, range, sizeof(range)))
				continue;
			if (range[0] && range[0] < range[1] && in_code(bin, range[0]) &&
			    in_code(bin, range[1] - 1))
				return at;
		}
	}
	return 0;
}

uint64_t moduledata_text(const struct gobin *bin, uint64_t pclntab_vaddr)
{
	uint64_t md = moduledata_find(bin, pclntab_vaddr, layouts[1].text), text;

	if (!md || gobin_read_vaddr(bin, md + layouts[1].text, &text, 8))
		return 0;
	return text;
}

/* A slice header at AT whose len is its cap, and whose N elements of SIZE
 * bytes the file holds. */
static bool read_links(const struct gobin *bin, uint64_t at, size_t size, uint64_t *ptr,
		       uint64_t *n)
{
	uint64_t hdr[3], last;

	if (gobin_read_vaddr(bin, at, hdr, sizeof(hdr)) || hdr[1] != hdr[2] || hdr[1] > MAX_LINKS)
		return false;
	if (hdr[1] && gobin_read_vaddr(bin, hdr[0] + (hdr[1] - 1) * size, &last, size))
		return false;
	*ptr = hdr[0];
	*n = hdr[1];
	return true;
}

static bool read_layout(const struct gobin *bin, uint64_t md, const struct moduledata_layout *l,
			struct module_types *out)
{
	uint64_t first;

	memset(out, 0, sizeof(*out));
	if (gobin_read_vaddr(bin, md + l->text, &out->text, 8) ||
	    gobin_read_vaddr(bin, md + l->types, &out->types, 8) ||
	    gobin_read_vaddr(bin, md + l->etypes, &out->etypes, 8) || !out->types ||
	    out->etypes <= out->types || gobin_read_vaddr(bin, out->types, &first, 1))
		return false;
	if (l->typelinks)
		return read_links(bin, md + l->typelinks, 4, &out->typelinks, &out->n_typelinks) &&
		       read_links(bin, md + l->itablinks, 8, &out->itablinks, &out->n_itablinks);
	return !gobin_read_vaddr(bin, md + l->typedesclen, &out->typedesclen, 8) &&
	       !gobin_read_vaddr(bin, md + l->itaboffset, &out->itaboffset, 8) &&
	       !gobin_read_vaddr(bin, md + l->itabsize, &out->itabsize, 8) &&
	       out->typedesclen <= out->etypes - out->types &&
	       out->itaboffset <= out->etypes - out->types &&
	       out->itabsize <= out->etypes - out->types - out->itaboffset;
}

int moduledata_read_types(const struct gobin *bin, uint64_t md_vaddr, uint64_t pclntab_vaddr,
			  int major, int minor, struct module_types *out)
{
	size_t i;

	for (i = 0; major == 1 && i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct moduledata_layout *l = &layouts[i];
		uint64_t md = md_vaddr;

		if (minor < l->first || minor > l->last)
			continue;
		if (!md)
			md = moduledata_find(bin, pclntab_vaddr, l->text);
		if (md && read_layout(bin, md, l, out))
			return 0;
	}
	memset(out, 0, sizeof(*out));
	return -ENOENT;
}

uint64_t moduledata_types(const struct gobin *bin, uint64_t pclntab_vaddr, int major, int minor)
{
	struct module_types mt;

	return moduledata_read_types(bin, 0, pclntab_vaddr, major, minor, &mt) ? 0 : mt.types;
}

uint64_t moduledata_gofunc(const struct gobin *bin, uint64_t pclntab_vaddr, int major, int minor)
{
	uint64_t md, gofunc = 0, word;
	int at;

	if (major != 1 || minor < 18)
		return 0;
	at = minor >= 27 ? MODULEDATA_GOFUNC_127
	     : minor >= 20 ? MODULEDATA_GOFUNC_120
			   : MODULEDATA_GOFUNC_118;
	md = moduledata_find(bin, pclntab_vaddr, layouts[1].text); /* 176 from 1.16 on */
	if (!md || gobin_read_vaddr(bin, md + at, &gofunc, 8) ||
	    gobin_read_vaddr(bin, gofunc, &word, 8))
		return 0;
	return gofunc;
}
