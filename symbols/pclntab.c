// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's pclntab: the function table the runtime itself uses for tracebacks,
 * kept by stripped binaries (-ldflags='-s -w') that have lost .symtab and
 * DWARF. gotrace reads function names and entry addresses from it; a
 * function ends where the next one starts.
 *
 * Beyond names and ranges, each _func tells what the runtime's tracebacks
 * use to elide the compiler's wrappers: funcID, the flag byte after it, and
 * the pcfile table's file at the entry (struct pclntab_facts). The funcID
 * follows the entry word and nameoff, args, deferreturn, pcsp, pcfile,
 * pcln, npcdata (int32s), then cuOffset (1.16+), then startLine (1.20+);
 * after funcID come flag (1.16+; unused before), a byte and nfuncdata, then
 * pcdata [npcdata]uint32, offsets in pctab (runtime/runtime2.go, _func).
 *
 * Four header formats (runtime/symtab.go, debug/gosym):
 *   0xFFFFFFFB  Go 1.2-1.15  nfunc, then functab {entry, funcoff uintptr}
 *                            pairs; _func{entry uintptr, nameoff int32},
 *                            names relative to the table's start
 *   0xFFFFFFFA  Go 1.16-1.17 header words: nfunc, nfiles, funcnameOffset,
 *                            cuOffset, filetabOffset, pctabOffset,
 *                            pclnOffset; functab {entry, funcoff uintptr};
 *                            _func{entry uintptr, nameoff int32}
 *   0xFFFFFFF0  Go 1.18-1.19 header words: nfunc, nfiles, textStart,
 *   0xFFFFFFF1  Go 1.20+     funcnameOffset, cuOffset, filetabOffset,
 *                            pctabOffset, pclnOffset; functab {entryoff,
 *                            funcoff uint32} from the text start;
 *                            _func{entryoff uint32, nameoff int32}
 * The text start is moduledata.text, which the runtime adds to entry
 * offsets. Go 1.18-1.25 copy it into the header's textStart; from 1.26 that
 * word is unused and 0, with the same magic: the caller finds the module data.
 * Every offset is checked against the table's size: the input may be hostile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

/* short names for the magics of goruntime.h */
#define MAGIC_12 GO_PCLNTAB_MAGIC_12
#define MAGIC_116 GO_PCLNTAB_MAGIC_116
#define MAGIC_118 GO_PCLNTAB_MAGIC_118
#define MAGIC_120 GO_PCLNTAB_MAGIC_120
#define MAX_NAME 4096

struct pcln {
	const uint8_t *data;
	size_t len;
	int ptr_size;
	bool ok;
};

static uint64_t word_at(struct pcln *t, uint64_t off, int size)
{
	if (off > t->len || (uint64_t)size > t->len - off) {
		t->ok = false;
		return 0;
	}
	return go_read_uint(t->data + off, size, false);
}

/* A NUL-terminated name at OFF, or NULL. */
static const char *name_at(struct pcln *t, uint64_t off)
{
	const uint8_t *end;
	size_t max;

	if (off >= t->len)
		return NULL;
	max = t->len - off < MAX_NAME ? t->len - off : MAX_NAME;
	end = memchr(t->data + off, 0, max);
	if (!end || end == t->data + off)
		return NULL;
	return (const char *)t->data + off;
}

/* The value the pcvalue table at OFF in pctab holds at the function's
 * entry: its first pair's zig-zag delta from -1 (runtime/symtab.go, step),
 * or -1 for no table (OFF 0). */
static int64_t value_at_entry(struct pcln *t, uint64_t pctab, uint64_t off)
{
	uint64_t v = 0;
	int shift;

	if (!off)
		return -1;
	off += pctab;
	for (shift = 0; shift < 35; shift += 7) {
		uint64_t b = word_at(t, off++, 1);

		if (!t->ok)
			return -1;
		v |= (b & 0x7f) << shift;
		if (!(b & 0x80))
			return -1 + (int64_t)((v >> 1) ^ -(v & 1));
	}
	t->ok = false;
	return -1;
}

/* Where a table's parts are and how its _func reads (the header comment). */
struct layout {
	uint32_t magic;
	uint64_t funcnames, cutab, filetab, pctab;
	int entry_size; /* _func.entry: a pointer, or entryoff (1.18+) */
	int funcid;	/* _func.funcID after the entry word */
	int size;	/* the _func header, before pcdata */
};

#define PCDATA_INL_TREE_INDEX 2

/* The file of FUNC's first instruction, or NULL: the pcfile value at the
 * entry indexes the function's compilation unit in cutab, which gives an
 * offset in filetab (Go 1.16+). An entry that is inlined code (the inline
 * tree's index there is not -1) tells the file of the inlined function. */
static const char *entry_file(struct pcln *t, const struct layout *l, uint64_t func)
{
	uint64_t at = func + l->entry_size, npcdata, cu, fileoff;
	int64_t file, inl = -1;

	if (l->magic == MAGIC_12)
		return NULL;
	npcdata = word_at(t, at + 24, 4);
	if (npcdata > PCDATA_INL_TREE_INDEX)
		inl = value_at_entry(t, l->pctab,
				     word_at(t, func + l->size + 4 * PCDATA_INL_TREE_INDEX, 4));
	file = value_at_entry(t, l->pctab, word_at(t, at + 16, 4));
	cu = word_at(t, at + 28, 4);
	if (!t->ok || inl != -1 || file < 0 || file > UINT32_MAX)
		return NULL;
	fileoff = word_at(t, l->cutab + 4 * (cu + file), 4);
	if (!t->ok || fileoff == UINT32_MAX)
		return NULL;
	return name_at(t, l->filetab + fileoff);
}

/* Calls FN for each function; with WRAPPER_ID >= 0, the funcID that is
 * FuncID_wrapper, with its facts, else only to find runtime.deferreturn's
 * funcID into *DEFERRETURN_ID. */
static int walk(struct pcln *t, const struct layout *l, uint64_t nfunc, uint64_t functab, int field,
		uint64_t text_start, int wrapper_id, int *deferreturn_id, pclntab_fn fn, void *ctx)
{
	uint64_t i;
	int err;

	for (i = 0; i < nfunc; i++) {
		uint64_t entry = word_at(t, functab + 2 * i * field, field);
		uint64_t funcoff = word_at(t, functab + (2 * i + 1) * field, field);
		uint64_t end = word_at(t, functab + 2 * (i + 1) * field, field);
		struct pclntab_facts facts = {0};
		uint64_t func, nameoff;
		const char *name;
		int funcid;

		/* _func lives at funcoff from the functab (1.16+) or the table */
		func = (l->magic == MAGIC_12 ? 0 : functab) + funcoff;
		nameoff = word_at(t, func + l->entry_size, 4);
		if (!t->ok)
			return -EINVAL;
		/* facts it cannot read are none, not a broken table */
		funcid = word_at(t, func + l->entry_size + l->funcid, 1);
		if (l->magic != MAGIC_12)
			facts.flag = word_at(t, func + l->entry_size + l->funcid + 1, 1);
		if (!t->ok)
			funcid = -1;
		t->ok = true;
		if (l->magic == MAGIC_118 || l->magic == MAGIC_120) {
			entry += text_start;
			end += text_start;
		}
		name = name_at(t, l->funcnames + nameoff);
		if (!name || end <= entry)
			continue;
		if (wrapper_id < 0) {
			if (funcid >= 0 && !strcmp(name, "runtime.deferreturn"))
				*deferreturn_id = funcid;
			continue;
		}
		facts.funcid_wrapper = funcid == wrapper_id;
		facts.entry_file = entry_file(t, l, func);
		t->ok = true;
		err = fn(ctx, name, entry, end, &facts);
		if (err)
			return err;
	}
	return 0;
}

int pclntab_parse(const uint8_t *data, size_t len, uint64_t text_start, pclntab_fn fn, void *ctx)
{
	struct pcln t = {.data = data, .len = len, .ok = true};
	struct layout l = {0};
	uint64_t nfunc, functab;
	int field, err, deferreturn_id = -1;

	if (len < 16 || data[4] || data[5] || (data[6] != 1 && data[6] != 2 && data[6] != 4) ||
	    (data[7] != 4 && data[7] != 8))
		return -EINVAL;
	l.magic = word_at(&t, 0, 4);
	t.ptr_size = data[7];
#define HEADER_WORD(n) word_at(&t, 8 + (n)*t.ptr_size, t.ptr_size)
	switch (l.magic) {
	case MAGIC_118:
	case MAGIC_120:
		nfunc = HEADER_WORD(0);
		if (!text_start)
			text_start = HEADER_WORD(2);
		l.funcnames = HEADER_WORD(3);
		l.cutab = HEADER_WORD(4);
		l.filetab = HEADER_WORD(5);
		l.pctab = HEADER_WORD(6);
		functab = HEADER_WORD(7);
		field = 4;
		l.entry_size = 4;
		/* startLine before funcID from 1.20 */
		l.funcid = l.magic == MAGIC_120 ? 36 : 32;
		break;
	case MAGIC_116:
		nfunc = HEADER_WORD(0);
		l.funcnames = HEADER_WORD(2);
		l.cutab = HEADER_WORD(3);
		l.filetab = HEADER_WORD(4);
		l.pctab = HEADER_WORD(5);
		functab = HEADER_WORD(6);
		field = t.ptr_size;
		l.entry_size = t.ptr_size;
		l.funcid = 32;
		break;
	case MAGIC_12:
		nfunc = HEADER_WORD(0);
		functab = 8 + t.ptr_size;
		field = t.ptr_size;
		l.entry_size = t.ptr_size;
		l.funcid = 28;
		break;
	default:
		return -EINVAL;
	}
#undef HEADER_WORD
	/* funcID, flag, a byte, nfuncdata */
	l.size = l.entry_size + l.funcid + 4;
	if (!t.ok || functab > len || nfunc > (len - functab) / (2 * field))
		return -EINVAL;
	/* offsets from an unknown text start would be addresses of nothing */
	if ((l.magic == MAGIC_118 || l.magic == MAGIC_120) && !text_start)
		return -EINVAL;
	err = walk(&t, &l, nfunc, functab, field, text_start, -1, &deferreturn_id, fn, ctx);
	if (err)
		return err;
	/* no runtime.deferreturn: no funcID is taken for the wrappers' */
	return walk(&t, &l, nfunc, functab, field, text_start,
		    deferreturn_id >= 0 ? deferreturn_id : 256, NULL, fn, ctx);
}
