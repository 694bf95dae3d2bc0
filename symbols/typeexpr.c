// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Types as a user writes them in a signature, "*go.example.com/svc/pb.Req",
 * "[]*pb.Req", "map[string][]string", "context.Context", "...int", found
 * in the binary (its DWARF or its runtime type descriptors) by name. A
 * package may be named by its import path, or by its name or its path's
 * last element when no other package has it. A composite type the binary
 * has no descriptor for (a pointer to a type, a slice of it) is made from
 * its elements, as Go lays it out; the made types are kept for the gobin's
 * life.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/internal.h"

#define MAX_EXPR_DEPTH 16

struct made_types {
	struct go_type **v;
	size_t n, cap;
};

struct parser {
	const struct type_resolver *r;
	struct made_types *made;
	const char *s; /* the rest of the expression */
	char *why;
	size_t why_len;
	int depth;
};

static const struct {
	const char *name;
	enum go_kind kind;
	uint64_t size;
} predeclared[] = {
    {"bool", GO_BOOL, 1},	    {"int", GO_INT, 8},
    {"int8", GO_INT8, 1},	    {"int16", GO_INT16, 2},
    {"int32", GO_INT32, 4},	    {"int64", GO_INT64, 8},
    {"uint", GO_UINT, 8},	    {"uint8", GO_UINT8, 1},
    {"uint16", GO_UINT16, 2},	    {"uint32", GO_UINT32, 4},
    {"uint64", GO_UINT64, 8},	    {"uintptr", GO_UINTPTR, 8},
    {"float32", GO_FLOAT32, 4},	    {"float64", GO_FLOAT64, 8},
    {"complex64", GO_COMPLEX64, 8}, {"complex128", GO_COMPLEX128, 16},
    {"string", GO_STRING, 16},	    {"unsafe.Pointer", GO_UNSAFE_POINTER, 8},
};

static const struct go_type *fail(struct parser *p, const char *fmt, const char *arg)
{
	if (!p->why[0])
		snprintf(p->why, p->why_len, fmt, arg);
	return NULL;
}

/* A type made here, or the one made before under the same name. */
static struct go_type *make(struct parser *p, enum go_kind kind, const char *name, uint64_t size,
			    uint32_t align)
{
	struct made_types *m = p->made;
	struct go_type *t;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->v[i]->name, name))
			return m->v[i];
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct go_type **v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->name = strdup(name))) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	t->size = size;
	t->align = align ? align : 1;
	m->v[m->n++] = t;
	return t;
}

static void skip_spaces(struct parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

static bool eat(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(p->s, word, n))
		return false;
	p->s += n;
	return true;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '/' || c == '-' ||
	       c == '~' || (unsigned char)c >= 0x80;
}

static const struct go_type *parse(struct parser *p);

/* The binary's type named NAME, or else one made of KIND around ELEM. */
static const struct go_type *wrap(struct parser *p, const char *prefix, const struct go_type *key,
				  const char *middle, const struct go_type *elem, enum go_kind kind,
				  uint64_t len)
{
	char name[1024];
	const struct go_type *found;
	struct go_type *t;

	if (!elem || (key && !key->name))
		return NULL;
	snprintf(name, sizeof(name), "%s%s%s%s", prefix, key ? key->name : "", middle, elem->name);
	found = p->r->find(p->r->ctx, name);
	if (found)
		return found;
	switch (kind) {
	case GO_SLICE:
		t = make(p, kind, name, GO_SLICE_SIZE, GO_PTR_SIZE);
		break;
	case GO_ARRAY:
		if (elem->size && len > UINT64_MAX / elem->size)
			return fail(p, "%s", "an array too large");
		t = make(p, kind, name, len * elem->size, elem->align);
		if (t)
			t->len = len;
		break;
	default:
		t = make(p, kind, name, GO_PTR_SIZE, GO_PTR_SIZE);
	}
	if (!t)
		return fail(p, "%s", "out of memory");
	t->elem = (struct go_type *)elem;
	t->key = (struct go_type *)key;
	return t;
}

static const struct go_type *parse_array(struct parser *p)
{
	char *end, prefix[32];
	unsigned long long len = strtoull(p->s, &end, 10);
	const struct go_type *elem;

	if (end == p->s || *end != ']')
		return fail(p, "cannot read an array length in '%s'", p->s);
	p->s = end + 1;
	elem = parse(p);
	snprintf(prefix, sizeof(prefix), "[%llu]", len);
	return elem ? wrap(p, prefix, NULL, "", elem, GO_ARRAY, len) : NULL;
}

static const struct go_type *parse_map(struct parser *p)
{
	const struct go_type *key = parse(p), *elem;

	if (!key)
		return NULL;
	skip_spaces(p);
	if (!eat(p, "]"))
		return fail(p, "a map's key type ends with ']': '%s'", p->s);
	elem = parse(p);
	return elem ? wrap(p, "map[", key, "]", elem, GO_MAP, 0) : NULL;
}

/* A func, interface or struct type, found by its text with Go's spacing; a
 * func or an interface the binary has no descriptor for is made, as a func
 * value is a pointer and an interface two words. */
static const struct go_type *parse_literal(struct parser *p, const char *start, bool is_func)
{
	bool from_expr = start == p->s;
	char text[1024], *o = text;
	const char *s;
	int depth = 0;
	const struct go_type *t;

	for (s = start; *s; s++) {
		if (*s == '(' || *s == '{' || *s == '[')
			depth++;
		else if ((*s == ')' || *s == '}' || *s == ']') && --depth <= 0 && !is_func)
			break;
		else if (depth == 0 && (*s == ',' || *s == ']'))
			break;
		if (o - text >= (long)sizeof(text) - 2)
			return fail(p, "%s", "a type too long");
		/* one space between words, none inside brackets' edges */
		if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)s[1]))
				s++;
			if (o > text && o[-1] != '(' && o[-1] != '[' && s[1] != ')' &&
			    s[1] != ',' && s[1] != ']')
				*o++ = ' ';
			continue;
		}
		*o++ = *s;
	}
	if (!is_func && *s == '}')
		*o++ = *s++;
	while (o > text && o[-1] == ' ')
		o--;
	*o = 0;
	if (from_expr)
		p->s = s;
	if (!strcmp(text, "interface{}") || !strcmp(text, "interface {}")) {
		t = p->r->find(p->r->ctx, "interface {}");
		if (!t && (t = make(p, GO_INTERFACE, "interface {}", GO_IFACE_SIZE, GO_PTR_SIZE)))
			((struct go_type *)t)->is_empty_interface = true;
		return t ? t : fail(p, "%s", "out of memory");
	}
	if (!strcmp(text, "struct{}"))
		strcpy(text, "struct {}");
	t = p->r->find(p->r->ctx, text);
	if (t)
		return t;
	/* an interface with methods is an itab and a data word, whatever
	 * they are; a struct's layout is its fields' */
	if (is_func)
		t = make(p, GO_FUNC, text, GO_PTR_SIZE, GO_PTR_SIZE);
	else if (!strncmp(text, "interface", 9))
		t = make(p, GO_INTERFACE, text, GO_IFACE_SIZE, GO_PTR_SIZE);
	else
		return fail(p, "no type '%s' in the binary", text);
	return t ? t : fail(p, "%s", "out of memory");
}

/* A type in a package named short, "pb.Req" for "go.example.com/svc/pb.Req":
 * the qualifier ends at the last '.' before any type arguments. Of the
 * packages it may name, the one that has the type; several that have it
 * (or none) leave the type unknown. */
static const struct go_type *find_qualified(struct parser *p, const char *name)
{
	char qualifier[1024], full[2048], paths[512] = "", why[1800], *dot;
	const char *args = strchr(name, '['), *path;
	const struct go_type *t, *found = NULL;
	int count = 0, nth, having = 0;
	size_t used;

	snprintf(qualifier, sizeof(qualifier), "%.*s",
		 (int)(args ? (size_t)(args - name) : strlen(name)), name);
	dot = strrchr(qualifier, '.');
	if (!dot || strchr(dot, '/'))
		return fail(p, "no type '%s' in the binary", name);
	*dot = 0;
	for (nth = 0; (path = p->r->package(p->r->ctx, qualifier, nth, &count)); nth++) {
		snprintf(full, sizeof(full), "%s%s", path, name + (dot - qualifier));
		t = p->r->find(p->r->ctx, full);
		if (!t)
			continue;
		if (having++ == 0)
			found = t;
		used = strlen(paths);
		snprintf(paths + used, sizeof(paths) - used, "%s%s", used ? ", " : "", path);
	}
	if (having == 1)
		return found;
	if (having > 1) {
		snprintf(why, sizeof(why),
			 "'%s' names several packages with that type (%s): write "
			 "its import path",
			 qualifier, paths);
		return fail(p, "%s", why);
	}
	if (count > 1) {
		snprintf(why, sizeof(why), "no type '%s' in the packages named '%s'", name,
			 qualifier);
		return fail(p, "%s", why);
	}
	return fail(p, "no type '%s' in the binary", name);
}

/* "int", "main.T", "go.example.com/svc/pb.Req", "pb.Req", "main.Pair[int,string]" */
static const struct go_type *parse_named(struct parser *p)
{
	char name[1024], *o = name;
	const struct go_type *t;
	int depth = 0;
	size_t i;

	for (; *p->s; p->s++) {
		char c = *p->s;

		if (c == '[' && (depth || o > name))
			depth++;
		else if (c == ']' && depth)
			depth--;
		else if (!depth && !name_char(c))
			break;
		if (o - name >= (long)sizeof(name) - 1)
			return fail(p, "%s", "a type name too long");
		/* type arguments as Go's names write them: "[int,string]" */
		if (isspace((unsigned char)c) && o > name && o[-1] == ',')
			continue;
		*o++ = c;
	}
	*o = 0;
	if (!*name)
		return fail(p, "cannot read a type at '%s'", p->s);
	/* Go's aliases, by the names types have */
	if (!strcmp(name, "any"))
		return parse_literal(p, "interface {}", false);
	if (!strcmp(name, "byte"))
		strcpy(name, "uint8");
	else if (!strcmp(name, "rune"))
		strcpy(name, "int32");
	t = p->r->find(p->r->ctx, name);
	if (t)
		return t;
	for (i = 0; i < sizeof(predeclared) / sizeof(predeclared[0]); i++) {
		if (strcmp(name, predeclared[i].name))
			continue;
		t = make(p, predeclared[i].kind, name, predeclared[i].size,
			 predeclared[i].size > 8 ? 8 : predeclared[i].size);
		return t ? t : fail(p, "%s", "out of memory");
	}
	if (!strcmp(name, "error")) {
		t = make(p, GO_INTERFACE, name, GO_IFACE_SIZE, GO_PTR_SIZE);
		return t ? t : fail(p, "%s", "out of memory");
	}
	return find_qualified(p, name);
}

static const struct go_type *parse(struct parser *p)
{
	const struct go_type *t;

	if (++p->depth > MAX_EXPR_DEPTH)
		return fail(p, "%s", "a type nested too deep");
	skip_spaces(p);
	if (eat(p, "*"))
		t = wrap(p, "*", NULL, "", parse(p), GO_POINTER, 0);
	else if (eat(p, "[]"))
		t = wrap(p, "[]", NULL, "", parse(p), GO_SLICE, 0);
	else if (eat(p, "["))
		t = parse_array(p);
	else if (eat(p, "map["))
		t = parse_map(p);
	else if (eat(p, "<-chan "))
		t = wrap(p, "<-chan ", NULL, "", parse(p), GO_CHAN, 0);
	else if (eat(p, "chan<- "))
		t = wrap(p, "chan<- ", NULL, "", parse(p), GO_CHAN, 0);
	else if (eat(p, "chan "))
		t = wrap(p, "chan ", NULL, "", parse(p), GO_CHAN, 0);
	else if (!strncmp(p->s, "func(", 5))
		t = parse_literal(p, p->s, true);
	else if ((!strncmp(p->s, "interface", 9) && !name_char(p->s[9])) ||
		 (!strncmp(p->s, "struct", 6) && !name_char(p->s[6])))
		t = parse_literal(p, p->s, false);
	else
		t = parse_named(p);
	p->depth--;
	return t;
}

struct made_types *made_types__new(void)
{
	return calloc(1, sizeof(struct made_types));
}

const struct go_type *typeexpr_resolve(const struct type_resolver *r, struct made_types *made,
				       const char *expr, char *why, size_t why_len)
{
	struct parser p = {.r = r, .made = made, .s = expr, .why = why, .why_len = why_len};
	const struct go_type *t;
	bool variadic;

	why[0] = 0;
	skip_spaces(&p);
	variadic = eat(&p, "...");
	t = parse(&p);
	if (t && variadic)
		t = wrap(&p, "[]", NULL, "", t, GO_SLICE, 0);
	skip_spaces(&p);
	if (t && *p.s) {
		snprintf(why, why_len, "unexpected '%s' after the type", p.s);
		return NULL;
	}
	if (!t && !why[0])
		snprintf(why, why_len, "out of memory");
	return t;
}

void made_types__free(struct made_types *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i]->name);
		free(m->v[i]);
	}
	free(m->v);
	free(m);
}
