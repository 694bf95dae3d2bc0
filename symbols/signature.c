// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signatures from a functions file, "main.f(v int, []byte) (int, error)":
 * the one parser of their parameter and result lists, and their comparison
 * with what DWARF says. Without DWARF they give the argument types, or,
 * failing that, the raw argument registers and stack words do. Parsed
 * alone, only what a name determines has a layout: integers, bool, floats,
 * string, slices of those, and pointers (to what has a layout, or else
 * shown as addresses); other types are kept by name, for the comparison,
 * until go_signature__resolve finds every type in a binary (typeexpr.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

#define MAX_SIG_PARAMS 64
#define RAW_STACK_WORDS 4
#define NO_LAYOUT                                                                                  \
	"only integers, bool, floats, string, error, any, slices of those and pointers can be "    \
	"typed without DWARF"

struct go_signature {
	struct go_param params[MAX_SIG_PARAMS];
	bool named[MAX_SIG_PARAMS]; /* the signature gives the name, "v int", not just "int" */
	int n_params;
	struct go_type *types[2 * MAX_SIG_PARAMS]; /* owned */
	int n_types;
	struct go_param *merged; /* go_signature__apply_results: DWARF's inputs, our results */
	bool raw; /* every argument register: a dictionary among them */
};
static const struct {
	const char *name;
	enum go_kind kind;
	uint64_t size;
} scalars[] = {
    {"int", GO_INT, 8},
    {"int8", GO_INT8, 1},
    {"int16", GO_INT16, 2},
    {"int32", GO_INT32, 4},
    {"rune", GO_INT32, 4},
    {"int64", GO_INT64, 8},
    {"uint", GO_UINT, 8},
    {"uint8", GO_UINT8, 1},
    {"byte", GO_UINT8, 1},
    {"uint16", GO_UINT16, 2},
    {"uint32", GO_UINT32, 4},
    {"uint64", GO_UINT64, 8},
    {"uintptr", GO_UINTPTR, 8},
    {"bool", GO_BOOL, 1},
    {"float32", GO_FLOAT32, 4},
    {"float64", GO_FLOAT64, 8},
    {"string", GO_STRING, GO_STRING_SIZE},
    {"unsafe.Pointer", GO_UNSAFE_POINTER, 8},
};

static struct go_type *new_type(struct go_signature *sig, enum go_kind kind, const char *name,
				uint64_t size)
{
	struct go_type *t;

	if (sig->n_types >= 2 * MAX_SIG_PARAMS)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->name = strdup(name);
	if (!t->name) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	t->size = size;
	t->align = size >= 8 ? 8 : size ? size : 1;
	sig->types[sig->n_types++] = t;
	return t;
}

/* Go's predeclared type names: a lone word that is none of them, before a
 * named parameter, is a name sharing that parameter's type, "(a, b int)". */
static bool is_predeclared_type(const char *name)
{
	static const char *const others[] = {"error", "any", "complex64", "complex128"};
	size_t i;

	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		if (!strcmp(name, scalars[i].name))
			return true;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(name, others[i]))
			return true;
	return false;
}

/* A type whose layout a name alone does not give (main.T, map[K]V) has
 * kind GO_INVALID: compared by name, refused by go_signature__apply. */
static struct go_type *parse_type(struct go_signature *sig, const char *name)
{
	struct go_type *t, *elem;
	size_t i;

	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		if (!strcmp(name, scalars[i].name))
			return new_type(sig, scalars[i].kind, name, scalars[i].size);
	/* interfaces: the dynamic type comes from its runtime descriptor */
	if (!strcmp(name, "error") || !strcmp(name, "any") || !strcmp(name, "interface{}") ||
	    !strcmp(name, "interface {}")) {
		t = new_type(sig, GO_INTERFACE, name, GO_IFACE_SIZE);
		if (t)
			t->is_empty_interface = strcmp(name, "error") != 0;
		return t;
	}
	if (name[0] == '*' && name[1]) {
		/* a pointer to a type a name lays out is followed; to others,
		 * until go_signature__resolve finds them, it shows as its address */
		elem = parse_type(sig, name + 1);
		if (!elem)
			return NULL;
		t = new_type(sig, GO_POINTER, name, GO_PTR_SIZE);
		if (t && elem->kind != GO_INVALID && elem->kind != GO_POINTER)
			t->elem = elem;
		return t;
	}
	if (!strncmp(name, "[]", 2) || !strncmp(name, "...", 3)) {
		char slice[512];

		/* a variadic ...T is a []T */
		snprintf(slice, sizeof(slice), "[]%s", name + (name[0] == '.' ? 3 : 2));
		elem = parse_type(sig, slice + 2);
		if (!elem || elem->kind == GO_INVALID)
			return elem ? new_type(sig, GO_INVALID, slice, 0) : NULL;
		if (elem->kind == GO_POINTER && !elem->elem)
			elem->kind = GO_UINTPTR; /* an address per element */
		t = new_type(sig, GO_SLICE, slice, GO_SLICE_SIZE);
		if (t)
			t->elem = elem;
		return t;
	}
	return new_type(sig, GO_INVALID, name, 0);
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* A lone word, "a" or "int", not "main.T" or "[]int". */
static bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_word_char(*s))
			return false;
	return true;
}

/*
 * "v int", "v func(int) error": a name, then its type; "int", "chan int",
 * "func(int)", "main.T": a type alone. Cuts ITEM after the name and returns
 * the type, or returns ITEM itself when it has no name.
 */
static char *split_name(char *item)
{
	static const char *const keywords[] = {"chan", "func", "interface", "map", "struct"};
	char *p = item, *type;
	size_t i;

	while (is_word_char(*p))
		p++;
	if (p == item || !isspace((unsigned char)*p))
		return item;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if ((size_t)(p - item) == strlen(keywords[i]) &&
		    !strncmp(item, keywords[i], p - item))
			return item;
	for (type = p; isspace((unsigned char)*type); type++)
		;
	*p = 0;
	return type;
}

static int parse_list(struct go_signature *sig, const char *text, bool results, char *errbuf,
		      size_t errlen);

struct go_signature *go_signature__parse(const char *params, const char *results, char *errbuf,
					 size_t errlen)
{
	struct go_signature *sig = calloc(1, sizeof(*sig));

	if (!sig)
		return NULL;
	if (parse_list(sig, params, false, errbuf, errlen) ||
	    (results && parse_list(sig, results, true, errbuf, errlen))) {
		go_signature__free(sig);
		return NULL;
	}
	return sig;
}

/*
 * Go's "(a, b int)": a lone word that is not a predeclared type, followed
 * by named parameters, is a name with the next named parameter's type.
 * Otherwise names are optional item by item: "(n int, error)".
 */
static int group_names(struct go_signature *sig, int first)
{
	struct go_type *next_type = NULL;
	int i;

	for (i = sig->n_params - 1; i >= first; i--) {
		struct go_param *prm = &sig->params[i];

		if (sig->named[i]) {
			next_type = prm->type;
			continue;
		}
		if (!next_type || !is_word(prm->type->name) || is_predeclared_type(prm->type->name))
			continue;
		free(prm->name);
		prm->name = strdup(prm->type->name);
		if (!prm->name)
			return -ENOMEM;
		prm->type = next_type;
		sig->named[i] = true;
	}
	return 0;
}

static int parse_list(struct go_signature *sig, const char *text, bool results, char *errbuf,
		      size_t errlen)
{
	char *copy = NULL, *item, *next, *end, *type;
	const char *why = NULL;
	int first = sig->n_params, depth;

	copy = strdup(text);
	if (!copy)
		goto fail;
	for (item = copy; item; item = next) {
		struct go_param *prm;

		/* the next comma outside brackets: "map[K]V", "func(a, b int)" */
		for (next = item, depth = 0; *next && (depth || *next != ','); next++) {
			if (*next == '(' || *next == '[' || *next == '{')
				depth++;
			else if (*next == ')' || *next == ']' || *next == '}')
				depth--;
		}
		if (depth) {
			why = "unbalanced brackets in a parameter's type";
			goto fail;
		}
		if (*next)
			*next++ = 0;
		else
			next = NULL;
		while (isspace((unsigned char)*item))
			item++;
		end = item + strlen(item);
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*item)
			continue;
		if (sig->n_params >= MAX_SIG_PARAMS) {
			why = "too many parameters";
			goto fail;
		}
		prm = &sig->params[sig->n_params];
		type = split_name(item);
		prm->type = parse_type(sig, type);
		if (!prm->type)
			goto fail;
		if (type != item) {
			prm->name = strdup(item);
			sig->named[sig->n_params] = true;
		} else {
			char buf[16];

			/* Go's own names for unnamed results: ~r0, ~r1 */
			snprintf(buf, sizeof(buf), results ? "~r%d" : "arg%d",
				 sig->n_params - first);
			prm->name = strdup(buf);
		}
		if (!prm->name)
			goto fail;
		prm->is_result = results;
		sig->n_params++;
	}
	if (group_names(sig, first))
		goto fail;
	free(copy);
	return 0;
fail:
	snprintf(errbuf, errlen, "%s", why ? why : "out of memory");
	free(copy);
	return -EINVAL;
}

/*
 * Without types: what Go's register ABI would pass in its integer registers
 * (RAX..R11) and the first stack words, each as a uintptr named after where
 * it came from.
 */
struct go_signature *go_signature__raw(bool stack_abi)
{
	struct go_signature *sig = calloc(1, sizeof(*sig));
	int i, regs = stack_abi ? 0 : GO_ABI_INT_REGS;
	struct go_type *word;

	if (!sig)
		return NULL;
	sig->raw = true;
	word = new_type(sig, GO_UINTPTR, "uintptr", GO_PTR_SIZE);
	if (!word)
		goto fail;
	for (i = 0; i < regs + RAW_STACK_WORDS; i++) {
		char buf[16];

		if (i < regs)
			snprintf(buf, sizeof(buf), "%s", go_abi_reg_name(i, false));
		else
			snprintf(buf, sizeof(buf), "SP+%d", GO_PTR_SIZE * (i - regs + 1));
		sig->params[i].name = strdup(buf);
		sig->params[i].type = word;
		if (!sig->params[i].name)
			goto fail;
		sig->n_params++;
	}
	return sig;
fail:
	go_signature__free(sig);
	return NULL;
}

/* Every type of the inputs and results (or the results only) has a layout. */
static int check_layouts(const struct go_signature *sig, bool results_only, char *errbuf,
			 size_t errlen)
{
	int i;

	for (i = 0; i < sig->n_params; i++) {
		const struct go_type *t = sig->params[i].type;

		if ((sig->params[i].is_result || !results_only) && t->kind == GO_INVALID) {
			snprintf(errbuf, errlen, "type '%s': %s", t->name, NO_LAYOUT);
			return -EINVAL;
		}
	}
	return 0;
}

int go_signature__resolve(struct go_signature *sig, const struct gobin *bin, char *errbuf,
			  size_t errlen)
{
	const struct go_type *t;
	char why[256];
	int i, addresses = 0;

	for (i = 0; i < sig->n_params && !sig->raw; i++) {
		const char *name = sig->params[i].type->name;

		t = gobin__resolve_type(bin, name, why, sizeof(why));
		if (t) {
			sig->params[i].type = (struct go_type *)t;
			continue;
		}
		/* a pointer to a type the binary has no descriptor of (never
		 * on the heap nor in an interface), or one whose short package
		 * name names several packages, is still a word in its place:
		 * its address; so is each element of a slice of them. The
		 * same for inputs and results: what the name alone lays out */
		if (sig->params[i].type->kind != GO_INVALID) {
			size_t used = addresses ? strlen(errbuf) : 0;

			if (!addresses++)
				snprintf(errbuf, errlen, "%s", why);
			else if (used < errlen)
				snprintf(errbuf + used, errlen - used, "; %s", why);
			continue;
		}
		snprintf(errbuf, errlen, "type '%s': %s", name, why);
		return -EINVAL;
	}
	if (addresses) {
		size_t used = strlen(errbuf);

		snprintf(errbuf + used, errlen - used, ": %s as %s",
			 addresses > 1 ? "pointers to them shown" : "a pointer to it shown",
			 addresses > 1 ? "addresses" : "an address");
	}
	return addresses > 0;
}

int go_signature__apply(const struct go_signature *sig, struct go_func *func, char *errbuf,
			size_t errlen)
{
	int err = check_layouts(sig, false, errbuf, errlen);

	if (err)
		return err;
	func->params = (struct go_param *)sig->params;
	func->n_params = sig->n_params;
	if (sig->raw)
		func->has_dict = false; /* every argument register is shown */
	return 0;
}

int go_signature__apply_results(struct go_signature *sig, struct go_func *func, char *errbuf,
				size_t errlen)
{
	struct go_param *merged;
	int i, n = 0, err;

	err = check_layouts(sig, true, errbuf, errlen);
	if (err)
		return err;
	merged = calloc(func->n_params + sig->n_params + 1, sizeof(*merged));
	if (!merged) {
		snprintf(errbuf, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < func->n_params; i++)
		if (!func->params[i].is_result)
			merged[n++] = func->params[i];
	for (i = 0; i < sig->n_params; i++)
		if (sig->params[i].is_result)
			merged[n++] = sig->params[i];
	free(sig->merged);
	sig->merged = merged;
	func->params = merged;
	func->n_params = n;
	return 0;
}

/*
 * A type name as Go's runtime writes it, which is DWARF's: byte and rune
 * are uint8 and int32, any is interface{}, a variadic ...T is []T; a space
 * only between two words ("chan int"). Both sides of a comparison alike:
 * "interface {}" and "interface{}" are one type.
 */
static char *canonical_type(const char *s)
{
	static const struct {
		const char *alias, *name;
	} aliases[] = {{"byte", "uint8"}, {"rune", "int32"}, {"any", "interface{}"}};
	/* each alias grows by at most 8 bytes over its 3 or 4 */
	char *out = malloc(4 * strlen(s) + 3), *o = out;
	size_t i, n;

	if (!out)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (!strncmp(s, "...", 3)) {
		o = stpcpy(o, "[]");
		s += 3;
	}
	while (*s) {
		if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)*s))
				s++;
			if (o > out && is_word_char(o[-1]) && is_word_char(*s))
				*o++ = ' ';
			continue;
		}
		/* a word not qualified by a package: "byte", not "main.byte" */
		if (is_word_char(*s) &&
		    (o == out || (!is_word_char(o[-1]) && o[-1] != '.' && o[-1] != '/'))) {
			for (n = 0; is_word_char(s[n]); n++)
				;
			for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
				if (n == strlen(aliases[i].alias) &&
				    !strncmp(s, aliases[i].alias, n))
					break;
			if (i < sizeof(aliases) / sizeof(aliases[0]))
				o = stpcpy(o, aliases[i].name);
			else
				o = stpncpy(o, s, n);
			s += n;
			continue;
		}
		*o++ = *s++;
	}
	*o = 0;
	return out;
}

static bool same_type(const struct go_type *a, const struct go_type *b)
{
	char *ca, *cb;
	bool same;

	if (!a || !b || !a->name || !b->name)
		return false;
	ca = canonical_type(a->name);
	cb = canonical_type(b->name);
	same = ca && cb ? !strcmp(ca, cb) : !strcmp(a->name, b->name);
	free(ca);
	free(cb);
	return same;
}

/* The inputs (or results) of SIG and of FUNC's DWARF, one by one. */
static bool same_list(const struct go_signature *sig, const struct go_func *func, bool results)
{
	int i = 0, j = 0;

	for (;; i++, j++) {
		while (i < sig->n_params && sig->params[i].is_result != results)
			i++;
		while (j < func->n_params && func->params[j].is_result != results)
			j++;
		if (i == sig->n_params || j == func->n_params)
			return i == sig->n_params && j == func->n_params;
		if (!same_type(sig->params[i].type, func->params[j].type))
			return false;
		if (sig->named[i] &&
		    (!func->params[j].name || strcmp(sig->params[i].name, func->params[j].name)))
			return false;
	}
}

bool go_signature__matches(const struct go_signature *sig, const struct go_func *func, bool results)
{
	return same_list(sig, func, false) && (!results || same_list(sig, func, true));
}

/* Whether two types lay a value out alike: the same kind and size, and
 * so what a pointer, slice, array, channel or map holds. Names may differ
 * ("time.Duration" and "int64"). */
static bool same_layout(const struct go_type *a, const struct go_type *b, int depth)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->size != b->size || depth > 8)
		return false;
	switch (a->kind) {
	case GO_POINTER:
	case GO_SLICE:
	case GO_ARRAY:
	case GO_CHAN:
		/* a pointer to a type no name lays out is only an address */
		return !a->elem || !b->elem || same_layout(a->elem, b->elem, depth + 1);
	case GO_MAP:
		return (!a->key || !b->key || same_layout(a->key, b->key, depth + 1)) &&
		       (!a->elem || !b->elem || same_layout(a->elem, b->elem, depth + 1));
	default:
		return true;
	}
}

/* SIG's type of a parameter as the binary has it, or as its name alone
 * lays it out; NULL when neither does. */
static const struct go_type *layout_of(const struct go_type *t, const struct gobin *bin)
{
	const struct go_type *found;
	char why[256];

	found = bin && t->name ? gobin__resolve_type(bin, t->name, why, sizeof(why)) : NULL;
	if (found)
		return found;
	return t->kind != GO_INVALID ? t : NULL;
}

enum go_signature_match go_signature__compare(const struct go_signature *sig,
					      const struct go_func *func, bool results, bool names,
					      const struct gobin *bin)
{
	enum go_signature_match match = GO_SIGNATURE_SAME;
	int pass, i, j;

	for (pass = 0; pass < (results ? 2 : 1); pass++) {
		for (i = 0, j = 0;; i++, j++) {
			const struct go_type *mine;

			while (i < sig->n_params && sig->params[i].is_result != pass)
				i++;
			while (j < func->n_params && func->params[j].is_result != pass)
				j++;
			if (i == sig->n_params || j == func->n_params) {
				if (i != sig->n_params || j != func->n_params)
					return GO_SIGNATURE_LAYOUT; /* a value more or less */
				break;
			}
			if (names && sig->named[i] &&
			    (!func->params[j].name ||
			     strcmp(sig->params[i].name, func->params[j].name)))
				match = GO_SIGNATURE_NAMES;
			if (same_type(sig->params[i].type, func->params[j].type))
				continue;
			mine = layout_of(sig->params[i].type, bin);
			/* a type the binary lacks: only its name can be told */
			if (!mine) {
				match = GO_SIGNATURE_NAMES;
				continue;
			}
			if (!same_layout(mine, func->params[j].type, 0))
				return GO_SIGNATURE_LAYOUT;
			/* "*pb.Req" is "*go.example.com/svc/pb.Req" */
			if (mine != func->params[j].type && !same_type(mine, func->params[j].type))
				match = GO_SIGNATURE_NAMES;
		}
	}
	return match;
}

/* "(v int, []byte)" or, for results, "", " error", " (n int, err error)".
 * NAMED says which names to show; without it, those DWARF gives. */
static void format_list(const struct go_param *params, const bool *named, int n, bool results,
			char *buf, size_t len)
{
	size_t used = strlen(buf);
	int i, count = 0;
	bool parens = !results;

	for (i = 0; i < n; i++) {
		if (params[i].is_result != results)
			continue;
		count++;
		if (named ? named[i] : params[i].name && params[i].name[0] != '~')
			parens = true;
	}
	if (results && count == 0)
		return;
	parens |= count > 1;
	snprintf(buf + used, len - used, "%s%s", results ? " " : "", parens ? "(" : "");
	for (i = 0, count = 0; i < n; i++) {
		const struct go_param *p = &params[i];
		bool show_name = named ? named[i] : p->name && p->name[0] != '~';

		if (p->is_result != results)
			continue;
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s%s%s", count++ ? ", " : "",
			 show_name ? p->name : "", show_name ? " " : "",
			 p->type && p->type->name ? p->type->name : "?");
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, "%s", parens ? ")" : "");
}

void go_signature__format(const struct go_signature *sig, bool results, char *buf, size_t len)
{
	buf[0] = 0;
	format_list(sig->params, sig->named, sig->n_params, false, buf, len);
	if (results)
		format_list(sig->params, sig->named, sig->n_params, true, buf, len);
}

void go_func__format_signature(const struct go_func *func, bool results, char *buf, size_t len)
{
	buf[0] = 0;
	format_list(func->params, NULL, func->n_params, false, buf, len);
	if (results)
		format_list(func->params, NULL, func->n_params, true, buf, len);
}

void go_signature__free(struct go_signature *sig)
{
	int i;

	if (!sig)
		return;
	free(sig->merged);
	for (i = 0; i < sig->n_params; i++)
		free(sig->params[i].name);
	for (i = 0; i < sig->n_types; i++) {
		free(sig->types[i]->name);
		free(sig->types[i]);
	}
	free(sig);
}
