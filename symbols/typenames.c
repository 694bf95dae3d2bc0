// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Go names of types made from runtime descriptors, as DWARF writes them
 * (so that a stripped build shows what its unstripped twin shows): a named
 * type by its package's import path, "go.example.com/svc/pb.Req", and the
 * others from their elements, "[]*go.example.com/svc/pb.Req", "map[string]
 * int", "func(int, ...string) (bool, error)", "struct { A int; b string }",
 * "interface { Error() string }". A descriptor's own string names packages
 * by their name ("[]*pb.Req"): it is what a name falls back to when its
 * elements cannot be read.
 *
 * Then types by name: exactly, and the packages a qualifier (a package's
 * name or its import path's last element, "pb") may stand for.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/typedesc.h"

#define TFLAG_NAMED 4
#define MAX_DEPTH 32	   /* elements within elements, in one name */
#define MAX_TYPE_NAME 8192 /* bytes of one name */

struct package {
	char *path; /* "go.example.com/svc/pb" */
	char *name; /* "pb", from a type's string */
};

struct strbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->failed)
		return;
	if (b->len + n + 1 > MAX_TYPE_NAME) {
		b->failed = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* S less every "go.shape." and, before Go 1.20, a shape's "_0" suffix:
 * DWARF names the shapes of generic code by the types they stand for. */
static char *without_shapes(const char *s)
{
	static const char shape[] = "go.shape.";
	char *out = strdup(s), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (!strncmp(s, shape, sizeof(shape) - 1)) {
			const char *end, *digits;

			s += sizeof(shape) - 1;
			for (end = s; *end && *end != ',' && *end != ']'; end++)
				;
			for (digits = end; digits > s && isdigit((unsigned char)digits[-1]);
			     digits--)
				;
			if (digits < end && digits - 1 > s && digits[-1] == '_')
				end = digits - 1;
			memcpy(o, s, end - s);
			o += end - s;
			for (s = end; *s && *s != ',' && *s != ']'; s++)
				;
			continue;
		}
		*o++ = *s++;
	}
	*o = 0;
	return out;
}

/* "main.Outer" from "main" and "main.Outer"; "error" stays. The package's
 * name ends at the first '.' of the string, before any type arguments. */
static char *named_name(const struct desc *d)
{
	const char *dot, *bracket;
	char *s, *plain;

	if (!d->str)
		return NULL;
	if (d->pkgpath && !strcmp(d->pkgpath, "go.shape"))
		return without_shapes(d->str);
	dot = strchr(d->str, '.');
	bracket = strchr(d->str, '[');
	if (!d->pkgpath || !*d->pkgpath || !dot || (bracket && bracket < dot))
		return strdup(d->str);
	if (asprintf(&s, "%s%s", d->pkgpath, dot) < 0)
		return NULL;
	if (!strstr(s, "go.shape."))
		return s;
	plain = without_shapes(s);
	free(s);
	return plain;
}

static void add_type(struct strbuf *b, struct desc *d, int depth);

/* "(int, ...string) (bool, error)": a func type less its "func" */
static void add_signature(struct strbuf *b, struct desc *f, int depth)
{
	int i;

	if (!f || f->t.kind != GO_FUNC || (!f->params && f->n_in + f->n_out)) {
		b->failed = true;
		return;
	}
	add(b, "(");
	for (i = 0; i < f->n_in; i++) {
		struct desc *p = f->params[i];

		if (i)
			add(b, ", ");
		if (f->variadic && i == f->n_in - 1 && p->t.kind == GO_SLICE && p->t.elem) {
			add(b, "...");
			add_type(b, (struct desc *)p->t.elem, depth + 1);
		} else {
			add_type(b, p, depth + 1);
		}
	}
	add(b, ")");
	if (f->n_out)
		add(b, f->n_out > 1 ? " (" : " ");
	for (i = 0; i < f->n_out; i++) {
		if (i)
			add(b, ", ");
		add_type(b, f->params[f->n_in + i], depth + 1);
	}
	if (f->n_out > 1)
		add(b, ")");
}

static void add_struct(struct strbuf *b, struct desc *d, int depth)
{
	int i;

	if (!d->t.n_fields) {
		add(b, "struct {}");
		return;
	}
	add(b, "struct { ");
	for (i = 0; i < d->t.n_fields; i++) {
		const struct go_field *f = &d->t.fields[i];

		if (!f->type) {
			b->failed = true;
			return;
		}
		if (i)
			add(b, "; ");
		if (!f->embedded) {
			/* as Go's link names write an unexported field */
			if (!isupper((unsigned char)f->name[0]) && d->fields_pkgpath &&
			    *d->fields_pkgpath) {
				add(b, d->fields_pkgpath);
				add(b, ".");
			}
			add(b, f->name);
			add(b, " ");
		}
		add_type(b, (struct desc *)f->type, depth + 1);
	}
	add(b, " }");
}

static void add_interface(struct strbuf *b, struct desc *d, int depth)
{
	int i;

	if (!d->n_imethods) {
		add(b, "interface {}");
		return;
	}
	add(b, "interface { ");
	for (i = 0; i < d->n_imethods; i++) {
		if (i)
			add(b, "; ");
		add(b, d->imethods[i].name);
		add_signature(b, d->imethods[i].type, depth + 1);
	}
	add(b, " }");
}

static void add_chan(struct strbuf *b, struct desc *d, int depth)
{
	const struct desc *e = (const struct desc *)d->t.elem;

	switch (d->chan_dir) {
	case 1:
		add(b, "<-chan ");
		break;
	case 2:
		add(b, "chan<- ");
		break;
	default:
		add(b, "chan ");
		/* "chan (<-chan int)": without the parentheses, a receive */
		if (e && e->t.kind == GO_CHAN && e->chan_dir == 1 && !(e->tflag & TFLAG_NAMED)) {
			add(b, "(");
			add_type(b, (struct desc *)d->t.elem, depth + 1);
			add(b, ")");
			return;
		}
	}
	add_type(b, (struct desc *)d->t.elem, depth + 1);
}

/* D's name: its own when it has one, else made from its elements. */
static void add_type(struct strbuf *b, struct desc *d, int depth)
{
	char n[32];

	if (b->failed)
		return;
	if (!d || depth > MAX_DEPTH || d->naming) {
		b->failed = true;
		return;
	}
	if (d->t.name) {
		add(b, d->t.name);
		return;
	}
	d->naming = true;
	switch (d->t.kind) {
	case GO_POINTER:
		add(b, "*");
		add_type(b, (struct desc *)d->t.elem, depth + 1);
		break;
	case GO_SLICE:
		add(b, "[]");
		add_type(b, (struct desc *)d->t.elem, depth + 1);
		break;
	case GO_ARRAY:
		snprintf(n, sizeof(n), "[%llu]", (unsigned long long)d->t.len);
		add(b, n);
		add_type(b, (struct desc *)d->t.elem, depth + 1);
		break;
	case GO_CHAN:
		add_chan(b, d, depth);
		break;
	case GO_MAP:
		add(b, "map[");
		add_type(b, (struct desc *)d->t.key, depth + 1);
		add(b, "]");
		add_type(b, (struct desc *)d->t.elem, depth + 1);
		break;
	case GO_FUNC:
		add(b, "func");
		add_signature(b, d, depth);
		break;
	case GO_STRUCT:
		add_struct(b, d, depth);
		break;
	case GO_INTERFACE:
		add_interface(b, d, depth);
		break;
	default:
		if (d->str)
			add(b, d->str);
		else
			b->failed = true;
	}
	d->naming = false;
}

/* Named types first (their names are their own), then the others from
 * their elements; what cannot be named so keeps its descriptor's string. */
int typenames_settle(struct descriptor_types *dt)
{
	size_t i;

	for (i = dt->n_named; i < dt->n_all; i++) {
		struct desc *d = dt->all[i];

		if ((d->tflag & TFLAG_NAMED) || d->t.kind < GO_ARRAY || d->t.kind == GO_STRING ||
		    d->t.kind == GO_UNSAFE_POINTER) {
			d->t.name = (d->tflag & TFLAG_NAMED) ? named_name(d)
				    : d->str		     ? strdup(d->str)
							     : NULL;
			if (!d->t.name && !(d->t.name = strdup("?")))
				return -ENOMEM;
		}
	}
	for (i = dt->n_named; i < dt->n_all; i++) {
		struct desc *d = dt->all[i];
		struct strbuf b = {0};

		if (d->t.name)
			continue;
		add_type(&b, d, 0);
		if (b.failed || !b.s) {
			free(b.s);
			b.s = strdup(d->str ? d->str : "?");
			if (!b.s)
				return -ENOMEM;
		}
		d->t.name = b.s;
	}
	dt->n_named = dt->n_all;
	return 0;
}

/* ---- types by name ---- */

static int by_name(const void *a, const void *b)
{
	const struct desc *x = *(const struct desc *const *)a, *y = *(const struct desc *const *)b;
	int c = strcmp(x->t.name, y->t.name);

	/* of a name given twice (a hostile binary), the first address */
	return c ? c : x->t.runtime_type < y->t.runtime_type ? -1 : 1;
}

static const char *last_element(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int add_package(struct descriptor_types *dt, const struct desc *d, size_t *cap)
{
	const char *dot = d->str ? strchr(d->str, '.') : NULL;
	struct package *p;
	size_t i;

	if (!dot || !d->pkgpath || !*d->pkgpath)
		return 0;
	for (i = 0; i < dt->n_packages; i++)
		if (!strcmp(dt->packages[i].path, d->pkgpath))
			return 0;
	if (dt->n_packages == *cap) {
		size_t c = *cap ? *cap * 2 : 64;

		p = realloc(dt->packages, c * sizeof(*p));
		if (!p)
			return -ENOMEM;
		dt->packages = p;
		*cap = c;
	}
	p = &dt->packages[dt->n_packages];
	p->path = strdup(d->pkgpath);
	p->name = strndup(d->str, dot - d->str);
	if (!p->path || !p->name) {
		free(p->path);
		free(p->name);
		return -ENOMEM;
	}
	dt->n_packages++;
	return 0;
}

static int index_names(struct descriptor_types *dt)
{
	struct desc **v;
	size_t i, cap = dt->n_packages;

	if (dt->n_by_name == dt->n_all)
		return 0;
	v = realloc(dt->by_name, (dt->n_all + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	dt->by_name = v;
	for (i = 0; i < dt->n_all; i++) {
		v[i] = dt->all[i];
		if (i >= dt->n_by_name && (v[i]->tflag & TFLAG_NAMED) &&
		    add_package(dt, v[i], &cap))
			return -ENOMEM;
	}
	qsort(v, dt->n_all, sizeof(*v), by_name);
	dt->n_by_name = dt->n_all;
	return 0;
}

const struct go_type *typenames_find(struct descriptor_types *dt, const char *name)
{
	struct desc key = {.t.name = (char *)name}, *k = &key;
	size_t lo = 0, hi;

	if (index_names(dt) || !dt->n_by_name)
		return NULL;
	hi = dt->n_by_name;
	/* the first of its name: the comparison puts address 0 before all */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (by_name(&dt->by_name[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < dt->n_by_name && !strcmp(dt->by_name[lo]->t.name, name))
		return &dt->by_name[lo]->t;
	return NULL;
}

const char *typenames_package(struct descriptor_types *dt, const char *qualifier, int nth,
			      int *count)
{
	const char *found = NULL;
	size_t i;

	*count = 0;
	if (index_names(dt))
		return NULL;
	for (i = 0; i < dt->n_packages; i++) {
		const struct package *p = &dt->packages[i];

		if (strcmp(p->name, qualifier) && strcmp(last_element(p->path), qualifier))
			continue;
		if ((*count)++ == nth)
			found = p->path;
	}
	return found;
}

void typenames_free(struct descriptor_types *dt)
{
	size_t i;

	for (i = 0; i < dt->n_packages; i++) {
		free(dt->packages[i].path);
		free(dt->packages[i].name);
	}
	free(dt->packages);
	free(dt->by_name);
}
