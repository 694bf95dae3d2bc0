// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Layouts of the Go runtime's own structures, by version, for binaries
 * without DWARF (amd64): runtime.g's goid and stack.hi, and the module data's
 * text start and runtime.types. DWARF and .symtab, when present, are read
 * instead (dwarf.c, elf.c).
 */
#include "symbols/internal.h"

/*
 * runtime.g, from each version's runtime/runtime2.go, in 8-byte words:
 *
 *	stack{lo, hi}       0   (stack.hi at 8, in every version)
 *	stackguard0         16
 *	stackguard1         24
 *	_panic, _defer, m   32, 40, 48
 *	sched               56  a gobuf: sp pc g ctxt ret lr bp, 7 words;
 *	                        1.25 dropped ret: 6 words
 *	syscallsp, syscallpc
 *	syscallbp               from 1.23
 *	stktopsp, param
 *	atomicstatus        4 bytes (uint32 in 1.19, atomic.Uint32 by 1.21)
 *	stackLock           4 bytes
 *	goid                8 bytes (int64 in 1.19, uint64 by 1.21)
 *
 * so goid is at 56 + 56 + 4 * 8 + 8 = 152 up to 1.22, 160 in 1.23 and 1.24
 * (syscallbp), and 56 + 48 + 5 * 8 + 8 = 152 again from 1.25.
 *
 * Checked against runtime.g in the DWARF of builds by each of Go 1.15,
 * 1.19, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26 and 1.27 (tests/unit/test_symbols.c
 * does so for the Makefile's matrix; 1.25, Debian's trixie-backports, by
 * hand). No toolchain or source of 1.16, 1.17,
 * 1.18 or 1.20 is at hand: those rows are derived from their neighbours,
 * whose fields up to goid are the same (1.15 and 1.19; 1.19 and 1.21).
 * Newer versions are unknown until checked: gotrace then says the goroutine
 * id is missing, rather than reading a wrong word.
 */
static const struct g_layout {
	int minor;
	int64_t goid, stack_hi;
} g_layouts[] = {
    {15, 152, 8}, {16, 152, 8}, {17, 152, 8}, {18, 152, 8}, {19, 152, 8},
    {20, 152, 8}, {21, 152, 8}, {22, 152, 8}, {23, 160, 8}, {24, 160, 8},
    {25, 152, 8}, {26, 152, 8}, {27, 152, 8},
};

bool go_runtime_g_layout(int major, int minor, int64_t *goid, int64_t *stack_hi)
{
	size_t i;

	for (i = 0; major == 1 && i < sizeof(g_layouts) / sizeof(g_layouts[0]); i++) {
		if (g_layouts[i].minor != minor)
			continue;
		*goid = g_layouts[i].goid;
		*stack_hi = g_layouts[i].stack_hi;
		return true;
	}
	return false;
}

static bool g_layout_of(const struct gobin *bin, int64_t *goid, int64_t *stack_hi)
{
	int major, minor;

	return gobin__go_version_number(bin, &major, &minor) &&
	       go_runtime_g_layout(major, minor, goid, stack_hi);
}

int64_t gobin__g_goid_offset(const struct gobin *bin)
{
	int64_t goid, stack_hi;

	if (bin->goid_offset < 0 && !bin->dwarf && g_layout_of(bin, &goid, &stack_hi))
		return goid;
	return bin->goid_offset;
}

int64_t gobin__g_stack_hi_offset(const struct gobin *bin)
{
	int64_t goid, stack_hi;

	if (bin->stack_hi_offset < 0 && !bin->dwarf && g_layout_of(bin, &goid, &stack_hi))
		return stack_hi;
	return bin->stack_hi_offset;
}

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

static bool in_code(const struct gobin *bin, uint64_t vaddr)
{
	uint64_t offset;

	return gobin__vaddr_to_offset(bin, vaddr, &offset) == 0;
}

/* The module data is the one word in a writable segment that points at the
 * pclntab, with a text..etext pair after it that lies in the code. */
static uint64_t moduledata_find(const struct gobin *bin, uint64_t pclntab_vaddr)
{
	size_t p;

	for (p = 0; pclntab_vaddr && p < bin->n_phdrs; p++) {
		const GElf_Phdr *ph = &bin->phdrs[p];
		uint64_t word, v, text[2], size;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) ||
		    ph->p_offset > bin->image_size)
			continue;
		/* only the bytes the file holds: a hostile p_filesz is not a loop bound */
		size = ph->p_filesz < bin->image_size - ph->p_offset
			   ? ph->p_filesz
			   : bin->image_size - ph->p_offset;
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

uint64_t moduledata_types(const struct gobin *bin, uint64_t pclntab_vaddr)
{
	int major, minor;
	uint64_t md, types, offset;

	if (!gobin__go_version_number(bin, &major, &minor) || major != 1 || minor < 16 ||
	    minor > 27)
		return 0;
	offset = minor >= 20 ? MODULEDATA_TYPES_120 : MODULEDATA_TYPES_116;
	md = moduledata_find(bin, pclntab_vaddr);
	if (!md || gobin_read_vaddr(bin, md + offset, &types, 8) ||
	    gobin_read_vaddr(bin, types, &offset, 1))
		return 0;
	return types;
}
