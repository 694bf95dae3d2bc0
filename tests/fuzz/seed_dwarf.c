// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A few functions' DWARF, cut out of a Go binary for the DWARF harness's
 * seeds: a real binary's .debug_info is a megabyte, and libFuzzer mutates
 * a few KB well. The DIEs are read through libdw and written again, each
 * attribute in one form per class, references as DW_FORM_ref_addr (what Go
 * writes), so that a reference past the cut can be dropped and the rest
 * renumbered. Subprograms keep only their parameters; types keep all their
 * children.
 */
#include <dwarf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/seeds.h"

#define MAX_ATTRS 64
#define CU_ABBREV 1 /* the CU DIE's: name, language, stmt_list */

void buf_put(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

void buf_u8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void buf_u16(struct buf *b, uint16_t v)
{
	buf_put(b, &v, 2);
}

void buf_u32(struct buf *b, uint32_t v)
{
	buf_put(b, &v, 4);
}

void buf_u64(struct buf *b, uint64_t v)
{
	buf_put(b, &v, 8);
}

void buf_uleb(struct buf *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		buf_u8(b, byte | (v ? 0x80 : 0));
	} while (v);
}

void buf_sleb(struct buf *b, int64_t v)
{
	for (;;) {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
			buf_u8(b, byte);
			return;
		}
		buf_u8(b, byte | 0x80);
	}
}

void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* The top-level DIEs of every CU, in section order. */
struct top {
	Dwarf_Off off, cu_end;
	bool included, is_type;
};

struct abbrev {
	unsigned tag;
	bool children;
	int n;
	unsigned attrs[MAX_ATTRS], forms[MAX_ATTRS];
};

/* old DIE offset -> new, for the DIEs written */
struct remap {
	Dwarf_Off old, new;
};

struct subset {
	Dwarf *dw;
	struct top *tops;
	size_t n_tops;
	int *queue, n_queue, max_dies;
	struct remap *map;
	size_t n_map, cap_map;
	int pass;
	struct abbrev *abbrevs;
	int n_abbrevs;
	char **files;
	int n_files;
};

static struct top *top_of(struct subset *s, Dwarf_Off off)
{
	size_t lo = 0, hi = s->n_tops;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (s->tops[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (!s->n_tops || s->tops[lo].off > off || off >= s->tops[lo].cu_end)
		return NULL;
	return &s->tops[lo];
}

static bool is_type_tag(int tag)
{
	return tag != DW_TAG_subprogram && tag != DW_TAG_variable && tag != DW_TAG_constant;
}

static void index_tops(struct subset *s)
{
	Dwarf_Off off = 0, next;
	size_t hsize, cap = 0;
	Dwarf_Die cu, die;

	while (dwarf_nextcu(s->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(s->dw, off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				if (s->n_tops == cap) {
					cap = cap ? cap * 2 : 4096;
					s->tops = realloc(s->tops, cap * sizeof(*s->tops));
					if (!s->tops)
						abort();
				}
				s->tops[s->n_tops++] = (struct top){
				    .off = dwarf_dieoffset(&die),
				    .cu_end = next,
				    .is_type = is_type_tag(dwarf_tag(&die)),
				};
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
}

static void include(struct subset *s, struct top *t)
{
	if (t->included || s->n_queue >= s->max_dies)
		return;
	t->included = true;
	s->queue[s->n_queue++] = t - s->tops;
}

/* Which children a DIE keeps: a subprogram its parameters, a type all. */
static bool keeps_child(Dwarf_Die *parent, Dwarf_Die *child)
{
	return dwarf_tag(parent) != DW_TAG_subprogram ||
	       dwarf_tag(child) == DW_TAG_formal_parameter;
}

static bool ref_target(Dwarf_Attribute *attr, Dwarf_Off *off)
{
	Dwarf_Die target;

	if (!dwarf_formref_die(attr, &target))
		return false;
	*off = dwarf_dieoffset(&target);
	return true;
}

static int reach_attr(Dwarf_Attribute *attr, void *arg)
{
	struct subset *s = arg;
	Dwarf_Off off;
	struct top *t;

	switch (dwarf_whatform(attr)) {
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
	case DW_FORM_ref_udata:
	case DW_FORM_ref_addr:
		if (ref_target(attr, &off) && (t = top_of(s, off)))
			include(s, t);
		break;
	}
	return DWARF_CB_OK;
}

static void reach(struct subset *s, Dwarf_Die *die)
{
	Dwarf_Die child;

	dwarf_getattrs(die, reach_attr, s, 0);
	if (dwarf_child(die, &child) == 0) {
		do {
			if (keeps_child(die, &child))
				reach(s, &child);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
}

static void map_add(struct subset *s, Dwarf_Off old, Dwarf_Off new)
{
	if (s->n_map == s->cap_map) {
		s->cap_map = s->cap_map ? s->cap_map * 2 : 1024;
		s->map = realloc(s->map, s->cap_map * sizeof(*s->map));
		if (!s->map)
			abort();
	}
	s->map[s->n_map++] = (struct remap){old, new};
}

static int by_old(const void *a, const void *b)
{
	const struct remap *x = a, *y = b;

	return x->old < y->old ? -1 : x->old > y->old;
}

/* The new offset of a DIE that is written: pass 0 lists them (offsets 0),
 * pass 1 lays them out, pass 2 writes the references. */
static struct remap *map_find(struct subset *s, Dwarf_Off old)
{
	struct remap key = {.old = old};

	return bsearch(&key, s->map, s->n_map, sizeof(key), by_old);
}

static unsigned file_index(struct subset *s, const char *name)
{
	int i;

	for (i = 0; i < s->n_files; i++)
		if (!strcmp(s->files[i], name))
			return i + 1;
	s->files = realloc(s->files, (s->n_files + 1) * sizeof(*s->files));
	if (!s->files)
		abort();
	s->files[s->n_files++] = strdup(name);
	return s->n_files;
}

/* One attribute as written: its form and value. */
struct value {
	unsigned attr, form;
	uint64_t u;
	int64_t sv;
	const char *str;
	Dwarf_Block block;
};

struct die_values {
	struct subset *s;
	Dwarf_Die *die;
	struct value v[MAX_ATTRS];
	int n;
};

static int collect_attr(Dwarf_Attribute *attr, void *arg)
{
	struct die_values *dv = arg;
	struct value *v = &dv->v[dv->n];
	unsigned form = dwarf_whatform(attr);
	Dwarf_Addr addr;
	const char *file;
	struct remap *r;
	bool flag;

	if (dv->n == MAX_ATTRS)
		return DWARF_CB_ABORT;
	memset(v, 0, sizeof(*v));
	v->attr = dwarf_whatattr(attr);
	if (v->attr == DW_AT_sibling)
		return DWARF_CB_OK;
	if (v->attr == DW_AT_decl_file) {
		file = dwarf_decl_file(dv->die);
		if (!file)
			return DWARF_CB_OK;
		v->form = DW_FORM_udata;
		v->u = file_index(dv->s, file);
		dv->n++;
		return DWARF_CB_OK;
	}
	switch (form) {
	case DW_FORM_string:
	case DW_FORM_strp:
		v->str = dwarf_formstring(attr);
		if (!v->str)
			return DWARF_CB_OK;
		v->form = DW_FORM_string;
		break;
	case DW_FORM_addr:
		if (dwarf_formaddr(attr, &addr))
			return DWARF_CB_OK;
		v->form = form;
		v->u = addr;
		break;
	case DW_FORM_data1:
	case DW_FORM_data2:
	case DW_FORM_data4:
	case DW_FORM_data8:
	case DW_FORM_udata:
		if (dwarf_formudata(attr, &v->u))
			return DWARF_CB_OK;
		v->form = form;
		break;
	case DW_FORM_sdata:
		if (dwarf_formsdata(attr, &v->sv))
			return DWARF_CB_OK;
		v->form = form;
		break;
	case DW_FORM_flag:
	case DW_FORM_flag_present:
		if (dwarf_formflag(attr, &flag))
			return DWARF_CB_OK;
		v->form = form;
		v->u = flag;
		break;
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
	case DW_FORM_ref_udata:
	case DW_FORM_ref_addr:
		if (!ref_target(attr, &v->u) || !(r = map_find(dv->s, v->u)))
			return DWARF_CB_OK; /* past the cut */
		v->u = r->new;
		v->form = DW_FORM_ref_addr;
		break;
	case DW_FORM_exprloc:
	case DW_FORM_block:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
		if (dwarf_formblock(attr, &v->block))
			return DWARF_CB_OK;
		v->form = form == DW_FORM_exprloc ? DW_FORM_exprloc : DW_FORM_block;
		break;
	default:
		return DWARF_CB_OK; /* section offsets: location lists, ranges */
	}
	dv->n++;
	return DWARF_CB_OK;
}

static unsigned abbrev_code(struct subset *s, unsigned tag, bool children,
			    const struct die_values *dv)
{
	struct abbrev *a;
	int i, j;

	for (i = 0; i < s->n_abbrevs; i++) {
		a = &s->abbrevs[i];
		if (a->tag != tag || a->children != children || a->n != dv->n)
			continue;
		for (j = 0; j < a->n; j++)
			if (a->attrs[j] != dv->v[j].attr || a->forms[j] != dv->v[j].form)
				break;
		if (j == a->n)
			return CU_ABBREV + 1 + i;
	}
	s->abbrevs = realloc(s->abbrevs, (s->n_abbrevs + 1) * sizeof(*s->abbrevs));
	if (!s->abbrevs)
		abort();
	a = &s->abbrevs[s->n_abbrevs++];
	a->tag = tag;
	a->children = children;
	a->n = dv->n;
	for (j = 0; j < dv->n; j++) {
		a->attrs[j] = dv->v[j].attr;
		a->forms[j] = dv->v[j].form;
	}
	return CU_ABBREV + s->n_abbrevs;
}

static void write_value(struct buf *info, const struct value *v)
{
	switch (v->form) {
	case DW_FORM_string:
		buf_put(info, v->str, strlen(v->str) + 1);
		break;
	case DW_FORM_addr:
	case DW_FORM_data8:
		buf_u64(info, v->u);
		break;
	case DW_FORM_data1:
	case DW_FORM_flag:
		buf_u8(info, v->u);
		break;
	case DW_FORM_data2:
		buf_u16(info, v->u);
		break;
	case DW_FORM_data4:
	case DW_FORM_ref_addr:
		buf_u32(info, v->u);
		break;
	case DW_FORM_udata:
		buf_uleb(info, v->u);
		break;
	case DW_FORM_sdata:
		buf_sleb(info, v->sv);
		break;
	case DW_FORM_exprloc:
	case DW_FORM_block:
		buf_uleb(info, v->block.length);
		buf_put(info, v->block.data, v->block.length);
		break;
	}
}

/* Pass 0: the DIEs that will be written. */
static void list_die(struct subset *s, Dwarf_Die *die)
{
	Dwarf_Die child;

	map_add(s, dwarf_dieoffset(die), 0);
	if (dwarf_child(die, &child) == 0) {
		do {
			if (keeps_child(die, &child))
				list_die(s, &child);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
}

static void write_die(struct subset *s, struct buf *info, Dwarf_Die *die)
{
	struct die_values dv = {.s = s, .die = die};
	bool children = false;
	Dwarf_Die child;
	int i;

	if (s->pass == 1)
		map_find(s, dwarf_dieoffset(die))->new = info->len;
	dwarf_getattrs(die, collect_attr, &dv, 0);
	if (dwarf_child(die, &child) == 0) {
		do
			children |= keeps_child(die, &child);
		while (!children && dwarf_siblingof(&child, &child) == 0);
	}
	buf_uleb(info, abbrev_code(s, dwarf_tag(die), children, &dv));
	for (i = 0; i < dv.n; i++)
		write_value(info, &dv.v[i]);
	if (!children)
		return;
	dwarf_child(die, &child);
	do {
		if (keeps_child(die, &child))
			write_die(s, info, &child);
	} while (dwarf_siblingof(&child, &child) == 0);
	buf_u8(info, 0);
}

static void write_cu(struct subset *s, struct buf *info, const char *name, bool types)
{
	size_t start = info->len, i;
	uint32_t len;
	Dwarf_Die die;
	bool any = false;

	for (i = 0; i < (size_t)s->n_queue; i++)
		any |= s->tops[s->queue[i]].is_type == types;
	if (!any)
		return;
	buf_u32(info, 0); /* unit_length, set below */
	buf_u16(info, 4);
	buf_u32(info, 0);
	buf_u8(info, 8);
	buf_uleb(info, CU_ABBREV);
	buf_put(info, name, strlen(name) + 1);
	buf_u8(info, 0x16); /* DW_LANG_Go */
	buf_u32(info, 0);   /* the one line table */
	for (i = 0; i < (size_t)s->n_queue; i++) {
		struct top *t = &s->tops[s->queue[i]];

		if (t->is_type == types && dwarf_offdie(s->dw, t->off, &die))
			write_die(s, info, &die);
	}
	buf_u8(info, 0);
	len = info->len - start - 4;
	memcpy(info->p + start, &len, 4);
}

static void write_abbrevs(struct subset *s, struct buf *out)
{
	int i, j;

	buf_uleb(out, CU_ABBREV);
	buf_uleb(out, DW_TAG_compile_unit);
	buf_u8(out, DW_CHILDREN_yes);
	buf_uleb(out, DW_AT_name);
	buf_uleb(out, DW_FORM_string);
	buf_uleb(out, DW_AT_language);
	buf_uleb(out, DW_FORM_data1);
	buf_uleb(out, DW_AT_stmt_list);
	buf_uleb(out, DW_FORM_sec_offset);
	buf_u16(out, 0);
	for (i = 0; i < s->n_abbrevs; i++) {
		struct abbrev *a = &s->abbrevs[i];

		buf_uleb(out, CU_ABBREV + 1 + i);
		buf_uleb(out, a->tag);
		buf_u8(out, a->children ? DW_CHILDREN_yes : DW_CHILDREN_no);
		for (j = 0; j < a->n; j++) {
			buf_uleb(out, a->attrs[j]);
			buf_uleb(out, a->forms[j]);
		}
		buf_u16(out, 0);
	}
	buf_u8(out, 0);
}

/* A version 2 line table, as Go writes, with the file names and no rows. */
static void write_line_table(struct subset *s, struct buf *out)
{
	static const uint8_t opcode_lengths[9] = {0, 1, 1, 1, 1, 0, 0, 0, 1};
	size_t start = out->len, header;
	uint32_t n;
	int i;

	buf_u32(out, 0);
	buf_u16(out, 2);
	buf_u32(out, 0);
	header = out->len;
	buf_u8(out, 1);	   /* minimum_instruction_length */
	buf_u8(out, 1);	   /* default_is_stmt */
	buf_u8(out, 0xfc); /* line_base -4 */
	buf_u8(out, 10);   /* line_range */
	buf_u8(out, 10);   /* opcode_base */
	buf_put(out, opcode_lengths, sizeof(opcode_lengths));
	buf_u8(out, 0); /* no include directories */
	for (i = 0; i < s->n_files; i++) {
		buf_put(out, s->files[i], strlen(s->files[i]) + 1);
		buf_u8(out, 0);
		buf_u8(out, 0);
		buf_u8(out, 0);
	}
	buf_u8(out, 0);
	n = out->len - header;
	memcpy(out->p + header - 4, &n, 4);
	/* DW_LNE_end_sequence */
	buf_u8(out, 0);
	buf_u8(out, 1);
	buf_u8(out, 1);
	n = out->len - start - 4;
	memcpy(out->p + start, &n, 4);
}

int dwarf_subset(Dwarf *dw, const char *const *names, int n_names, int max_dies, struct buf *abbrev,
		 struct buf *info, struct buf *line)
{
	struct subset s = {.dw = dw, .max_dies = max_dies};
	Dwarf_Die die;
	size_t i;
	int k;

	index_tops(&s);
	s.queue = calloc(max_dies, sizeof(*s.queue));
	if (!s.queue)
		abort();
	for (k = 0; k < n_names; k++)
		for (i = 0; i < s.n_tops; i++) {
			const char *name;

			if (dwarf_offdie(dw, s.tops[i].off, &die) && (name = dwarf_diename(&die)) &&
			    !strcmp(name, names[k]))
				include(&s, &s.tops[i]);
		}
	for (k = 0; k < s.n_queue; k++)
		if (dwarf_offdie(dw, s.tops[s.queue[k]].off, &die))
			reach(&s, &die);
	for (k = 0; k < s.n_queue; k++)
		if (dwarf_offdie(dw, s.tops[s.queue[k]].off, &die))
			list_die(&s, &die);
	qsort(s.map, s.n_map, sizeof(*s.map), by_old);
	for (s.pass = 1; s.pass <= 2; s.pass++) {
		info->len = 0;
		write_cu(&s, info, "main", false);
		write_cu(&s, info, "types", true);
	}
	write_abbrevs(&s, abbrev);
	write_line_table(&s, line);
	for (k = 0; k < s.n_files; k++)
		free(s.files[k]);
	free(s.files);
	free(s.abbrevs);
	free(s.map);
	free(s.queue);
	free(s.tops);
	return s.n_queue;
}
