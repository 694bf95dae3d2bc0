// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The default line's budget (docs/json.md, "Text"): when the arguments'
 * text is longer than the line leaves them, struct fields are left out,
 * the least telling first, until it fits:
 *
 *   1. fields whose value is folded ({…}, &{…}): a name, nothing to read;
 *   2. unexported fields of other packages' structs: their internals;
 *   3. any other field, from the argument whose text is the longest.
 *
 * Within a tier the last field printed goes first, so what stays is each
 * struct's first fields. A field left out takes its own fields with it;
 * text counts them where they were, "…+3 fields". Then the fields of
 * tier 3 left out that fit in the room left come back, in print order: a
 * long field left out need not take the short ones after it along (the
 * first two tiers' stay out: they are what a reader skims over).
 *
 * Nothing is left out when that cannot make the line fit: when what is
 * outside of any field (a long string, slice or map argument) is over the
 * budget alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/internal.h"

/* The tiers above, least telling first. */
enum tier {
	TIER_FOLDED = 1,
	TIER_INTERNAL,
	TIER_OTHER,
};

/* A field as text shows it, in print order. */
struct unit {
	const struct value *value;
	int parent; /* the unit this one is inside of, or -1 */
	int arg;
	enum tier tier;
	size_t width; /* "Name:value" and its separator, in characters */
	bool out;     /* left out */
};

struct units {
	struct unit *u;
	int n, cap;
	int err;
};

static bool is_exported(const char *name)
{
	return name && *name >= 'A' && *name <= 'Z';
}

/* The value a field shows, past its pointers and interfaces. */
static const struct value *shown_value(const struct value *v)
{
	while ((v->kind == VAL_POINTER || v->kind == VAL_INTERFACE) && v->n_children)
		v = v->children;
	return v;
}

static void collect(struct units *us, const struct text_style *st, const struct value *v, int level,
		    int arg, int parent);

static void collect_field(struct units *us, const struct text_style *st, const struct value *s,
			  int i, int level, int arg, int parent)
{
	const struct value *f = &s->children[i];
	const char *name = s->type->fields[i].name;
	int field_level = text_field_level(s, i, level);
	enum tier tier = TIER_OTHER;
	struct unit *u;

	if (us->n == us->cap) {
		int cap = us->cap ? 2 * us->cap : 64;
		struct unit *grown = realloc(us->u, cap * sizeof(*grown));

		if (!grown) {
			us->err = -ENOMEM;
			return;
		}
		us->u = grown;
		us->cap = cap;
	}
	if (text_is_folded(st, shown_value(f), field_level) && !text_is_string(st, f))
		tier = TIER_FOLDED;
	else if (!is_exported(name) && !text_in_home(st, s->type->name))
		tier = TIER_INTERNAL;
	u = &us->u[us->n++];
	*u = (struct unit){.value = f, .parent = parent, .arg = arg, .tier = tier};
	u->width = strlen(name ? name : "") + 2 + text_width(st, f, field_level);
	collect(us, st, f, field_level, arg, us->n - 1);
}

/* The fields inside V that text shows, at LEVEL, into US. */
static void collect(struct units *us, const struct text_style *st, const struct value *v, int level,
		    int arg, int parent)
{
	int i, n;

	if (us->err || text_is_string(st, v))
		return;
	switch (v->kind) {
	case VAL_POINTER:
	case VAL_INTERFACE:
		if (v->n_children)
			collect(us, st, v->children, level, arg, parent);
		break;
	case VAL_ARRAY:
	case VAL_MAP:
		for (i = 0; i < v->n_children; i++)
			collect(us, st, &v->children[i], level, arg, parent);
		break;
	case VAL_STRUCT:
		if (text_is_folded(st, v, level))
			break;
		n = text_fields_shown(v);
		for (i = 0; i < n; i++)
			if (!text_zero_omitted(st, v, i))
				collect_field(us, st, v, i, level, arg, parent);
		break;
	default:
		break;
	}
}

static bool is_out(const struct units *us, int i)
{
	for (; i >= 0; i = us->u[i].parent)
		if (us->u[i].out)
			return true;
	return false;
}

static int compare_pointers(const void *a, const void *b)
{
	const struct value *x = *(const struct value *const *)a;
	const struct value *y = *(const struct value *const *)b;

	return x < y ? -1 : x > y;
}

/* The units left out, as STYLE's sorted elided set. */
static int set_elided(struct text_style *st, const struct units *us)
{
	const struct value **set;
	int i, n = 0;

	free((void *)st->elided);
	st->elided = NULL;
	st->n_elided = 0;
	set = malloc((us->n ? us->n : 1) * sizeof(*set));
	if (!set)
		return -ENOMEM;
	for (i = 0; i < us->n; i++)
		if (us->u[i].out)
			set[n++] = us->u[i].value;
	qsort(set, n, sizeof(*set), compare_pointers);
	st->elided = set;
	st->n_elided = n;
	return 0;
}

/* Each argument's text as it stands, "name=value" and its separator. */
static size_t measure(const struct text_style *st, const struct decoded_arg *args, int n_args,
		      size_t *widths)
{
	size_t total = 0;
	int i;

	for (i = 0; i < n_args; i++) {
		widths[i] = strlen(args[i].name ? args[i].name : "_") + 3 +
			    text_width(st, &args[i].value, 0);
		total += widths[i];
	}
	return total;
}

/* Leaves units out until EXCESS characters would be gone, by the tiers;
 * false when none is left to leave out. WIDTHS: the arguments', estimated. */
static bool leave_out(struct units *us, size_t excess, size_t *widths, int n_args)
{
	size_t gone = 0;
	enum tier tier;
	int i, a, longest;
	bool any = false;

	for (tier = TIER_FOLDED; tier < TIER_OTHER && gone < excess; tier++)
		for (i = us->n - 1; i >= 0 && gone < excess; i--)
			if (us->u[i].tier == tier && !is_out(us, i)) {
				us->u[i].out = any = true;
				gone += us->u[i].width;
				widths[us->u[i].arg] -= us->u[i].width;
			}
	while (gone < excess) {
		longest = -1;
		for (a = 0; a < n_args; a++)
			if (longest < 0 || widths[a] > widths[longest])
				longest = a;
		for (i = us->n - 1; i >= 0; i--)
			if (us->u[i].arg == longest && !is_out(us, i))
				break;
		if (i < 0) {
			/* nothing more to leave out of the longest: of the others */
			for (i = us->n - 1; i >= 0 && is_out(us, i); i--)
				;
			if (i < 0)
				return any;
		}
		us->u[i].out = any = true;
		gone += us->u[i].width;
		widths[us->u[i].arg] -=
		    us->u[i].width < widths[us->u[i].arg] ? us->u[i].width : widths[us->u[i].arg];
	}
	return any;
}

int text_fit(struct text_style *st, const struct decoded_arg *args, int n_args, size_t budget)
{
	struct units us = {0};
	size_t *widths, total, floor;
	int i, err = 0;

	st->elided = NULL;
	st->n_elided = 0;
	if (!n_args)
		return 0;
	widths = calloc(n_args, sizeof(*widths));
	if (!widths)
		return -ENOMEM;
	total = measure(st, args, n_args, widths);
	if (total <= budget)
		goto cleanup;
	for (i = 0; i < n_args && !us.err; i++)
		collect(&us, st, &args[i].value, 0, i, -1);
	err = us.err;
	floor = total;
	for (i = 0; i < us.n; i++)
		if (us.u[i].parent < 0)
			floor -= us.u[i].width;
	if (floor > budget)
		goto cleanup;
	/* the estimate leaves the marks out: measure again until it fits */
	while (!err && total > budget && leave_out(&us, total - budget, widths, n_args)) {
		err = set_elided(st, &us);
		if (!err)
			total = measure(st, args, n_args, widths);
	}
	/* what fits again comes back */
	for (i = 0; i < us.n && !err && total < budget; i++) {
		size_t before = total;

		if (!us.u[i].out || us.u[i].tier != TIER_OTHER || is_out(&us, us.u[i].parent) ||
		    us.u[i].width > budget - total)
			continue;
		us.u[i].out = false;
		err = set_elided(st, &us);
		if (!err)
			total = measure(st, args, n_args, widths);
		if (!err && total > budget) {
			us.u[i].out = true;
			err = set_elided(st, &us);
			total = before;
		}
	}
cleanup:
	free(us.u);
	free(widths);
	return err;
}
