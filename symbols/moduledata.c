// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The module data (runtime.moduledata), for binaries without .symtab: the
 * text start that Go 1.18+ pclntab entries are offsets from, and
 * runtime.types. Found and read through elf.c; its layout by version is
 * here, and only here.
 */
#include "symbols/internal.h"

/*
 * runtime.moduledata (runtime/symtab.go) from Go 1.16 on, in 8-byte words:
 *
 *	pcHeader            0   the pclntab's header
 *	funcnametab, cutab, filetab, pctab, pclntable, ftab: slices, 3 words each
 *	findfunctab, minpc, maxpc
 *	text, etext         176, 184
 *	noptrdata, enoptrdata, data, edata, bss, ebss, noptrbss, enoptrbss
 *	covctrs, ecovctrs       from 1.20 (the coverage redesign)
 *	end, gcdata, gcbss
 *	types               280 through 1.19, 296 from 1.20
 *
 * Checked against the runtime.text and runtime.types symbols of builds by
 * Go 1.19, 1.21, 1.22, 1.23, 1.24, 1.26 and 1.27 (tests/unit); 1.16-1.18
 * and 1.20 are from their neighbours, as for runtime.g. Go 1.15 and older
 * lay it out otherwise, and their pclntab needs no text start.
 *
 * The runtime turns a function's entry offset into an address with
 * moduledata.text (textAddr) in every version that stores offsets (1.18 on).
 */
#define MODULEDATA_TEXT 176
#define MODULEDATA_TYPES_116 280
#define MODULEDATA_TYPES_120 296
/* gofunc (go:func.*, the base of funcdata offsets) after types, etypes,
 * rodata: 1.18-1.19, 1.20-1.26, and 1.27 on, which adds typedesclen,
 * itaboffset and itabsize (read from each version's runtime/symtab.go) */
#define MODULEDATA_GOFUNC_118 304
#define MODULEDATA_GOFUNC_120 320
#define MODULEDATA_GOFUNC_127 344

static bool in_code(const struct gobin *bin, uint64_t vaddr)
{
	uint64_t offset;

	return gobin__vaddr_to_offset(bin, vaddr, &offset) == 0;
}

/* The module data is the one word in a writable segment that points at the
 * pclntab, with a text..etext pair after it that lies in the code. */
static uint64_t moduledata_find(const struct gobin *bin, uint64_t pclntab_vaddr)
{
	const GElf_Phdr *ph;
	const uint8_t *data;
	size_t p = 0, size;

	/* only the bytes the file holds: a hostile p_filesz is not a loop bound */
	while (pclntab_vaddr && (ph = gobin_next_segment(bin, &p, PF_W, 0, &data, &size))) {
		uint64_t word, v, text[2];

		for (word = 0; word * 8 + 8 <= size; word++) {
			uint64_t at = ph->p_vaddr + word * 8;

			if (gobin_read_vaddr(bin, at, &v, 8) || v != pclntab_vaddr)
				continue;
			if (gobin_read_vaddr(bin, at + MODULEDATA_TEXT, text, sizeof(text)))
				continue;
			if (text[0] && text[0] < text[1] && in_code(bin, text[0]) &&
			    in_code(bin, text[1] - 1))
				return at;
		}
	}
	return 0;
}

uint64_t moduledata_text(const struct gobin *bin, uint64_t pclntab_vaddr)
{
	uint64_t md = moduledata_find(bin, pclntab_vaddr), text;

	if (!md || gobin_read_vaddr(bin, md + MODULEDATA_TEXT, &text, 8))
		return 0;
	return text;
}

uint64_t moduledata_types(const struct gobin *bin, uint64_t pclntab_vaddr, int major, int minor)
{
	uint64_t md, types, offset;

	if (major != 1 || minor < 16 || minor > 27)
		return 0;
	offset = minor >= 20 ? MODULEDATA_TYPES_120 : MODULEDATA_TYPES_116;
	md = moduledata_find(bin, pclntab_vaddr);
	if (!md || gobin_read_vaddr(bin, md + offset, &types, 8) ||
	    gobin_read_vaddr(bin, types, &offset, 1))
		return 0;
	return types;
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
	md = moduledata_find(bin, pclntab_vaddr);
	if (!md || gobin_read_vaddr(bin, md + at, &gofunc, 8) ||
	    gobin_read_vaddr(bin, gofunc, &word, 8))
		return 0;
	return gofunc;
}
