// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's pclntab: the function table the runtime itself uses for tracebacks,
 * kept by stripped binaries (-ldflags='-s -w') that have lost .symtab and
 * DWARF. gotrace reads function names and entry addresses from it; a
 * function ends where the next one starts.
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

int pclntab_parse(const uint8_t *data, size_t len, uint64_t text_start, pclntab_fn fn, void *ctx)
{
	struct pcln t = {.data = data, .len = len, .ok = true};
	uint64_t nfunc, functab, funcnames = 0, i;
	uint32_t magic;
	int field, err;

	if (len < 16 || data[4] || data[5] || (data[6] != 1 && data[6] != 2 && data[6] != 4) ||
	    (data[7] != 4 && data[7] != 8))
		return -EINVAL;
	magic = word_at(&t, 0, 4);
	t.ptr_size = data[7];
#define HEADER_WORD(n) word_at(&t, 8 + (n)*t.ptr_size, t.ptr_size)
	switch (magic) {
	case MAGIC_118:
	case MAGIC_120:
		nfunc = HEADER_WORD(0);
		if (!text_start)
			text_start = HEADER_WORD(2);
		funcnames = HEADER_WORD(3);
		functab = HEADER_WORD(7);
		field = 4;
		break;
	case MAGIC_116:
		nfunc = HEADER_WORD(0);
		funcnames = HEADER_WORD(2);
		functab = HEADER_WORD(6);
		field = t.ptr_size;
		break;
	case MAGIC_12:
		nfunc = HEADER_WORD(0);
		functab = 8 + t.ptr_size;
		field = t.ptr_size;
		break;
	default:
		return -EINVAL;
	}
#undef HEADER_WORD
	if (!t.ok || functab > len || nfunc > (len - functab) / (2 * field))
		return -EINVAL;
	/* offsets from an unknown text start would be addresses of nothing */
	if ((magic == MAGIC_118 || magic == MAGIC_120) && !text_start)
		return -EINVAL;
	for (i = 0; i < nfunc; i++) {
		uint64_t entry = word_at(&t, functab + 2 * i * field, field);
		uint64_t funcoff = word_at(&t, functab + (2 * i + 1) * field, field);
		uint64_t end = word_at(&t, functab + 2 * (i + 1) * field, field);
		uint64_t func, nameoff;
		const char *name;

		/* _func lives at funcoff from the functab (1.16+) or the table */
		func = (magic == MAGIC_12 ? 0 : functab) + funcoff;
		nameoff =
		    word_at(&t, func + (magic == MAGIC_118 || magic == MAGIC_120 ? 4 : field), 4);
		if (!t.ok)
			return -EINVAL;
		if (magic == MAGIC_118 || magic == MAGIC_120) {
			entry += text_start;
			end += text_start;
		}
		name = name_at(&t, funcnames + nameoff);
		if (!name || end <= entry)
			continue;
		err = fn(ctx, name, entry, end);
		if (err)
			return err;
	}
	return 0;
}
