// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * PCs to Go source positions through the pclntab, as the runtime's own
 * tracebacks do (runtime/symtab.go, runtime/symtabinl.go, debug/gosym), so
 * that stripped binaries have them too: the function containing a PC, its
 * file and line from the pcfile and pcln tables, and the calls inlined at
 * that PC from the inline tree (FUNCDATA_InlTree, PCDATA_InlTreeIndex),
 * each its own frame, innermost first.
 *
 * Tables from Go 1.16 on (pclntab magics 0xFFFFFFFA, F0, F1); Go 1.2-1.15
 * binaries get function names only.
 *
 *   _func        1.16-1.17: entry uintptr, nameoff, args, deferreturn,
 *                pcsp, pcfile, pcln, npcdata, cuOffset int32, funcID,
 *                2 bytes, nfuncdata uint8 (44 bytes); pcdata [npcdata]uint32;
 *                then, 8-aligned, funcdata [nfuncdata] addresses
 *                1.18-1.19: entryoff uint32, then as above (40 bytes);
 *                1.20 on: startLine int32 before funcID (44 bytes);
 *                funcdata [nfuncdata]uint32, offsets from moduledata.gofunc
 *                (^0: none)
 *   pcvalue      pairs of varints from (value -1, pc entry): a zig-zag
 *                value delta, then a pc delta; the value holds up to pc
 *   file         cutab[cuOffset + pcfile value] is an offset in filetab
 *   inlinedCall  1.16-1.19: parent int16, funcID, _, file, line, func_,
 *                parentPc int32 (20 bytes); 1.20 on: funcID, 3 bytes,
 *                nameOff, parentPc, startLine int32 (16 bytes)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

#define PCDATA_INL_TREE_INDEX 2
#define FUNCDATA_INL_TREE 3
#define MAX_INLINE 64 /* inlined calls expanded at one PC */
#define MAX_NAME 4096

struct go_lines {
	const struct gobin *bin;
	const uint8_t *data;
	size_t len;
	uint32_t magic;
	int ptr_size;
	uint64_t nfunc, text_start, gofunc;
	uint64_t funcnames, cutab, filetab, pctab, functab;
	int field; /* functab's words: 4 (1.18 on) or the pointer size */
};

static bool read_at(const struct go_lines *l, uint64_t off, int size, uint64_t *v)
{
	if (off > l->len || (uint64_t)size > l->len - off)
		return false;
	*v = go_read_uint(l->data + off, size, false);
	return true;
}

static const char *string_at(const struct go_lines *l, uint64_t off)
{
	size_t max;

	if (off >= l->len)
		return NULL;
	max = l->len - off < MAX_NAME ? l->len - off : MAX_NAME;
	if (!memchr(l->data + off, 0, max) || !l->data[off])
		return NULL;
	return (const char *)l->data + off;
}

/* The pclntab's bytes: its section, or where gobin.c found it in a
 * segment (stripped of section headers). */
static const uint8_t *find_pclntab(const struct gobin *bin, size_t *len, uint64_t *vaddr)
{
	const uint8_t *data = gobin_section_bytes(bin, ".gopclntab", len);
	const GElf_Phdr *ph;
	size_t p = 0, size;

	if (!data) /* a PIE build's: it needs relocations */
		data = gobin_section_bytes(bin, ".data.rel.ro.gopclntab", len);
	if (data) {
		*vaddr = gobin_bytes_vaddr(bin, data);
		return data;
	}
	while (bin->pclntab_vaddr &&
	       (ph = gobin_next_segment(bin, &p, 0, PF_W | PF_X, &data, &size))) {
		if (bin->pclntab_vaddr >= ph->p_vaddr && bin->pclntab_vaddr - ph->p_vaddr < size) {
			*vaddr = bin->pclntab_vaddr;
			*len = size - (bin->pclntab_vaddr - ph->p_vaddr);
			return data + (bin->pclntab_vaddr - ph->p_vaddr);
		}
	}
	return NULL;
}

struct go_lines *go_lines__new(const struct gobin *bin, int *err)
{
	struct go_lines *l;
	uint64_t vaddr = 0;
	int major = 0, minor = 0;

	l = calloc(1, sizeof(*l));
	if (!l) {
		*err = -ENOMEM;
		return NULL;
	}
	l->bin = bin;
	l->data = find_pclntab(bin, &l->len, &vaddr);
	*err = -ENOENT;
	if (!l->data || l->len < 16 || (l->data[7] != 4 && l->data[7] != 8))
		goto fail;
	l->magic = go_read_uint(l->data, 4, false);
	l->ptr_size = l->data[7];
	gobin__go_version_number(bin, &major, &minor);
#define HEADER_WORD(n, v) read_at(l, 8 + (n)*l->ptr_size, l->ptr_size, v)
	switch (l->magic) {
	case GO_PCLNTAB_MAGIC_118:
	case GO_PCLNTAB_MAGIC_120:
		if (!HEADER_WORD(0, &l->nfunc) || !HEADER_WORD(2, &l->text_start) ||
		    !HEADER_WORD(3, &l->funcnames) || !HEADER_WORD(4, &l->cutab) ||
		    !HEADER_WORD(5, &l->filetab) || !HEADER_WORD(6, &l->pctab) ||
		    !HEADER_WORD(7, &l->functab))
			goto fail;
		/* from 1.26 the header's text start is 0: the module data has it */
		if (moduledata_text(bin, vaddr))
			l->text_start = moduledata_text(bin, vaddr);
		l->gofunc = moduledata_gofunc(bin, vaddr, major, minor);
		l->field = 4;
		break;
	case GO_PCLNTAB_MAGIC_116:
		if (!HEADER_WORD(0, &l->nfunc) || !HEADER_WORD(2, &l->funcnames) ||
		    !HEADER_WORD(3, &l->cutab) || !HEADER_WORD(4, &l->filetab) ||
		    !HEADER_WORD(5, &l->pctab) || !HEADER_WORD(6, &l->functab))
			goto fail;
		l->field = l->ptr_size;
		break;
	case GO_PCLNTAB_MAGIC_12:
		if (!HEADER_WORD(0, &l->nfunc))
			goto fail;
		l->functab = 8 + l->ptr_size;
		l->field = l->ptr_size;
		break;
	default:
		goto fail;
	}
#undef HEADER_WORD
	if (l->functab > l->len || l->nfunc > (l->len - l->functab) / (2 * l->field))
		goto fail;
	*err = 0;
	return l;
fail:
	free(l);
	return NULL;
}

void go_lines__free(struct go_lines *l)
{
	free(l);
}

static uint64_t entry_of(const struct go_lines *l, uint64_t i)
{
	uint64_t v = 0;

	read_at(l, l->functab + 2 * i * l->field, l->field, &v);
	/* from 1.18, offsets from the text start */
	return l->magic == GO_PCLNTAB_MAGIC_118 || l->magic == GO_PCLNTAB_MAGIC_120
		   ? v + l->text_start
		   : v;
}

/* The _func of the function containing PC, and its entry; 0 when none. */
static uint64_t func_at(const struct go_lines *l, uint64_t pc, uint64_t *entry)
{
	uint64_t lo = 0, hi = l->nfunc, mid, funcoff;

	if (!l->nfunc || pc < entry_of(l, 0) || pc >= entry_of(l, l->nfunc))
		return 0;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (entry_of(l, mid) <= pc)
			lo = mid;
		else
			hi = mid;
	}
	if (!read_at(l, l->functab + (2 * lo + 1) * l->field, l->field, &funcoff))
		return 0;
	*entry = entry_of(l, lo);
	return (l->magic == GO_PCLNTAB_MAGIC_12 ? 0 : l->functab) + funcoff;
}

static bool read_varint(const struct go_lines *l, uint64_t *off, uint32_t *v)
{
	uint32_t result = 0;
	int shift;

	for (shift = 0; shift < 35; shift += 7) {
		if (*off >= l->len)
			return false;
		result |= (uint32_t)(l->data[*off] & 0x7f) << shift;
		if (!(l->data[(*off)++] & 0x80)) {
			*v = result;
			return true;
		}
	}
	return false;
}

/* The value of the pcvalue table at pctab + OFF at PC, or -1 (also for a
 * table it cannot read: the runtime's own "unknown"). */
static int32_t pcvalue(const struct go_lines *l, uint32_t off, uint64_t entry, uint64_t pc)
{
	uint64_t p = l->pctab + off, at = entry;
	uint32_t uv, dpc;
	int32_t val = -1;
	bool first = true;

	if (!off)
		return -1;
	for (;;) {
		if (!read_varint(l, &p, &uv) || (uv == 0 && !first))
			return -1;
		first = false;
		val += (uv & 1) ? ~(int32_t)(uv >> 1) : (int32_t)(uv >> 1);
		if (!read_varint(l, &p, &dpc))
			return -1;
		at += dpc; /* pcquantum 1 on amd64 */
		if (pc < at)
			return val;
	}
}

/* The fields of a _func that lines need. */
struct func_info {
	uint64_t func, entry;
	uint32_t nameoff, pcfile, pcln, npcdata, cu;
	uint32_t header; /* bytes before pcdata */
	uint8_t nfuncdata;
};

static bool func_info(const struct go_lines *l, uint64_t pc, struct func_info *fi)
{
	uint64_t f = func_at(l, pc, &fi->entry), v[6], n = 0;
	int base;

	if (!f)
		return false;
	fi->func = f;
	switch (l->magic) {
	case GO_PCLNTAB_MAGIC_116:
		base = 8;
		fi->header = 44;
		break;
	case GO_PCLNTAB_MAGIC_118:
		base = 4;
		fi->header = 40;
		break;
	case GO_PCLNTAB_MAGIC_120:
		base = 4;
		fi->header = 44;
		break;
	default:
		if (!read_at(l, f + l->ptr_size, 4, &v[0]))
			return false;
		fi->nameoff = v[0];
		fi->pcfile = fi->pcln = fi->npcdata = fi->nfuncdata = 0;
		return true;
	}
	/* nameoff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset */
	if (!read_at(l, f + base, 4, &v[0]) || !read_at(l, f + base + 16, 4, &v[1]) ||
	    !read_at(l, f + base + 20, 4, &v[2]) || !read_at(l, f + base + 24, 4, &v[3]) ||
	    !read_at(l, f + base + 28, 4, &v[4]) || !read_at(l, f + fi->header - 1, 1, &n))
		return false;
	fi->nameoff = v[0];
	fi->pcfile = v[1];
	fi->pcln = v[2];
	fi->npcdata = v[3];
	fi->cu = v[4];
	fi->nfuncdata = n;
	return true;
}

static const char *func_name(const struct go_lines *l, uint32_t nameoff)
{
	return string_at(l, l->funcnames + nameoff);
}

static const char *file_name(const struct go_lines *l, const struct func_info *fi, int32_t fileno)
{
	uint64_t off;

	if (fileno < 0 || !read_at(l, l->cutab + 4 * ((uint64_t)fi->cu + fileno), 4, &off) ||
	    off == 0xffffffffu)
		return NULL;
	return string_at(l, l->filetab + off);
}

static int32_t pcdata(const struct go_lines *l, const struct func_info *fi, uint32_t table,
		      uint64_t pc)
{
	uint64_t off;

	if (table >= fi->npcdata || !read_at(l, fi->func + fi->header + 4 * table, 4, &off))
		return -1;
	return pcvalue(l, off, fi->entry, pc);
}

/* The address of the function's inline tree, or 0. */
static uint64_t inline_tree(const struct go_lines *l, const struct func_info *fi)
{
	uint64_t at = fi->func + fi->header + 4ull * fi->npcdata, v, addr;

	if (fi->nfuncdata <= FUNCDATA_INL_TREE)
		return 0;
	if (l->magic == GO_PCLNTAB_MAGIC_116) {
		at = (at + 7) & ~7ull;
		return read_at(l, at + 8 * FUNCDATA_INL_TREE, 8, &addr) ? addr : 0;
	}
	if (!l->gofunc || !read_at(l, at + 4 * FUNCDATA_INL_TREE, 4, &v) || v == 0xffffffffu)
		return 0;
	return l->gofunc + v;
}

int go_lines__frames(const struct go_lines *l, uint64_t pc, struct go_frame *out, int max)
{
	struct func_info fi;
	uint64_t tree;
	int n = 0, depth;
	int32_t ix;

	if (max <= 0 || !func_info(l, pc, &fi))
		return 0;
	tree = inline_tree(l, &fi);
	/* each inlined call at PC is a frame, its position PC's own in that
	 * body; its call site is at parentPc in its parent, the next frame */
	for (depth = 0; tree && depth < MAX_INLINE && n < max; depth++) {
		uint8_t call[20];
		int32_t nameoff, parent_pc;

		ix = pcdata(l, &fi, PCDATA_INL_TREE_INDEX, pc);
		if (ix < 0)
			break;
		if (l->magic == GO_PCLNTAB_MAGIC_120) {
			if (gobin_read_vaddr(l->bin, tree + 16ull * ix, call, 16))
				break;
			nameoff = go_read_uint(call + 4, 4, false);
			parent_pc = go_read_uint(call + 8, 4, false);
		} else {
			if (gobin_read_vaddr(l->bin, tree + 20ull * ix, call, 20))
				break;
			nameoff = go_read_uint(call + 12, 4, false);
			parent_pc = go_read_uint(call + 16, 4, false);
		}
		out[n].func = func_name(l, nameoff);
		out[n].file = file_name(l, &fi, pcvalue(l, fi.pcfile, fi.entry, pc));
		out[n].line = pcvalue(l, fi.pcln, fi.entry, pc);
		out[n].inlined = true;
		out[n].entry = fi.entry;
		n++;
		pc = fi.entry + (uint32_t)parent_pc;
	}
	if (n >= max)
		return n;
	out[n].func = func_name(l, fi.nameoff);
	out[n].file = file_name(l, &fi, pcvalue(l, fi.pcfile, fi.entry, pc));
	out[n].line = pcvalue(l, fi.pcln, fi.entry, pc);
	out[n].inlined = false;
	out[n].entry = fi.entry;
	return n + 1;
}
