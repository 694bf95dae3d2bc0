// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values as text: on one line, close to Go's %+v, or with --pretty one
 * field, element or entry per line, as Go's %#v writes composite literals.
 *
 * These rules keep a line readable (docs/json.md, "Text"): structs deeper
 * than --fold levels below an argument fold into {…}, unless their type is
 * of the traced function's own package; a value a limit cut says which
 * limit, …<depth>, never a bare "..."; and the default line (the compact
 * style) leaves out other packages' zero fields, and the fields text_fit
 * chose, with a mark that counts them, and shows a *url.URL as its String.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "output/internal.h"

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

size_t go_package_len(const char *name)
{
	size_t end, start = 0, dot;

	if (!name)
		return 0;
	/* the package ends at the first dot after its path's last slash, before
	 * any bracket, paren, brace, space or star (Go escapes the dots of a
	 * path's last element in symbols: gopkg.in/yaml%2ev2.Marshal) */
	for (end = 0; name[end] && !strchr("[({ *", name[end]); end++)
		if (name[end] == '/')
			start = end + 1;
	for (dot = start; dot < end && name[dot] != '.'; dot++)
		;
	return dot < end ? dot : 0;
}

/* A type of the traced function's package: "main.T", "main.Pair[int]" for
 * main, but not "main/sub.T". */
static bool in_home(const struct text_style *st, const char *type_name)
{
	const char *rest;

	if (!st->home_len || !type_name || strncmp(type_name, st->home, st->home_len) ||
	    type_name[st->home_len] != '.')
		return false;
	for (rest = type_name + st->home_len + 1; *rest && *rest != '['; rest++)
		if (*rest == '/')
			return false;
	return true;
}

static bool is_folded(const struct text_style *st, const struct value *v, int level)
{
	return v->kind == VAL_STRUCT && v->n_children > 0 && st->fold >= 0 && level > st->fold &&
	       !in_home(st, v->type ? v->type->name : NULL);
}

bool text_in_home(const struct text_style *st, const char *type_name)
{
	return in_home(st, type_name);
}

bool text_is_folded(const struct text_style *st, const struct value *v, int level)
{
	return is_folded(st, v, level);
}

/* Go's zero value: nil, false, 0, "", and arrays and structs of zeros. */
static bool is_zero(const struct value *v)
{
	int i;

	switch (v->kind) {
	case VAL_NIL:
		return true;
	case VAL_BOOL:
		return !v->b;
	case VAL_INT:
	case VAL_UINT:
		return !v->u;
	case VAL_FLOAT:
		return v->f[0] == 0 && !signbit(v->f[0]);
	case VAL_COMPLEX:
		return v->f[0] == 0 && v->f[1] == 0 && !signbit(v->f[0]) && !signbit(v->f[1]);
	case VAL_STRING:
		return !v->len && !v->count && v->cut == LIMIT_NONE;
	case VAL_ARRAY:
		if (!v->type || v->type->kind != GO_ARRAY || v->cut != LIMIT_NONE)
			return false;
		/* fall through */
	case VAL_STRUCT:
		for (i = 0; i < v->n_children; i++)
			if (!is_zero(&v->children[i]))
				return false;
		return true;
	default:
		return false;
	}
}

bool text_zero_omitted(const struct text_style *st, const struct value *v, int i)
{
	return st->compact && !in_home(st, v->type ? v->type->name : NULL) &&
	       is_zero(&v->children[i]);
}

static int compare_pointers(const void *a, const void *b)
{
	const struct value *x = *(const struct value *const *)a;
	const struct value *y = *(const struct value *const *)b;

	return x < y ? -1 : x > y;
}

static bool is_elided(const struct text_style *st, const struct value *v)
{
	return st->n_elided &&
	       bsearch(&v, st->elided, st->n_elided, sizeof(*st->elided), compare_pointers);
}

/* Go's %q, close enough: control characters and invalid bytes as \xXX. The
 * JSON twin is jw_string. */
static void text_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int len;

	fputc('"', out);
	while (i < n) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20 || c == 0x7f || !(len = utf8_valid_len(p + i, n - i))) {
			fprintf(out, "\\x%02x", c);
		} else {
			fwrite(p + i, 1, len, out);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', out);
}

/*
 * As Go's %v prints a float (strconv's 'g' with the shortest digits):
 * plain decimals unless the exponent is below -4 or at least 6, where Go's
 * shortest %g switches to 1.5e+06. The JSON twin is jw_float.
 */
static void text_float(FILE *out, double f, const struct go_type *t)
{
	bool is32 = t && (t->kind == GO_FLOAT32 || t->kind == GO_COMPLEX64);
	char buf[40];
	int digits, exp;

	if (isnan(f)) {
		fputs("NaN", out);
		return;
	}
	if (isinf(f)) {
		fputs(f > 0 ? "+Inf" : "-Inf", out);
		return;
	}
	for (digits = 1; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*e", digits - 1, f);
		if (is32 ? (float)strtod(buf, NULL) == (float)f : strtod(buf, NULL) == f)
			break;
	}
	exp = atoi(strchr(buf, 'e') + 1);
	if (exp < -4 || exp >= 6)
		fputs(buf, out);
	else
		fprintf(out, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, f);
}

/* "…+N<limit>": N more bytes, elements or entries that a limit left out
 * (N when it is known), and which limit. */
static void text_cut(FILE *out, enum value_limit limit, uint64_t shown, uint64_t has)
{
	fputs(ELLIPSIS, out);
	if (has > shown)
		fprintf(out, "+%" PRIu64, has - shown);
	fprintf(out, "<%s>", limit_name(limit));
}

/* []byte and [N]byte read best as a quoted string */
static bool is_bytes(const struct value *v)
{
	const struct go_type *t = v->type;
	int i;

	if (!t || !t->elem || t->elem->kind != GO_UINT8 || t->elem->size != 1 ||
	    (t->kind != GO_SLICE && t->kind != GO_ARRAY))
		return false;
	for (i = 0; i < v->n_children; i++)
		if (v->children[i].kind != VAL_UINT)
			return false;
	return true;
}

static void text_bytes(FILE *out, const struct value *v)
{
	char *buf = malloc(v->n_children + 1);
	int i;

	if (!buf)
		return;
	for (i = 0; i < v->n_children; i++)
		buf[i] = (char)v->children[i].u;
	text_string(out, buf, v->n_children);
	if (v->cut != LIMIT_NONE)
		text_cut(out, v->cut, v->n_children, v->count);
	free(buf);
}

/* A value wholly past the end of a record that one read's cap cut short:
 * the fields after it are too. */
static bool is_cut(const struct value *v)
{
	int i;

	if (v->kind == VAL_UNAVAILABLE)
		return v->reason == REASON_READ;
	if (v->kind != VAL_STRUCT && v->kind != VAL_ARRAY)
		return false;
	for (i = 0; i < v->n_children; i++)
		if (!is_cut(&v->children[i]))
			return false;
	return v->n_children > 0;
}

int text_fields_shown(const struct value *v)
{
	int i;

	for (i = 0; i < v->n_children; i++)
		if (is_cut(&v->children[i]))
			break;
	return i;
}

/* The first string in a value: the message of errors.errorString. */
static const struct value *first_string(const struct value *v)
{
	const struct value *s;
	int i;

	if (v->kind == VAL_STRING)
		return v;
	for (i = 0; i < v->n_children; i++)
		if ((s = first_string(&v->children[i])))
			return s;
	return NULL;
}

/* The message of an error interface that is its message alone; a wrapping
 * error shows its fields, down the chain. */
static const struct value *error_message(const struct value *v)
{
	static const char *const errors_with_message[] = {
	    "*errors.errorString",
	};
	const char *name = v->dynamic ? v->dynamic->name : NULL;
	unsigned i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(errors_with_message) / sizeof(errors_with_message[0]); i++)
		if (!strcmp(name, errors_with_message[i]))
			return first_string(v->children);
	return NULL;
}

/* Short enough to share a line with its siblings under --pretty. */
static bool is_simple(const struct value *v)
{
	char buf[WELLKNOWN_MAX];

	switch (v->kind) {
	case VAL_STRUCT:
		return v->n_children == 0 || wellknown_string(v, buf);
	case VAL_ARRAY:
		return v->n_children == 0 || is_bytes(v);
	case VAL_MAP:
		return v->n_children == 0;
	case VAL_POINTER:
	case VAL_INTERFACE:
		return is_simple(v->children);
	default:
		return true;
	}
}

/*
 * The items of a struct, array or map: on one line separated by spaces
 * (%+v), or under --pretty one per line when any is not simple, each
 * ending in a comma, else on one line separated by ", " (%#v).
 */
struct items {
	FILE *out;
	const struct text_style *st;
	bool lines;
	int indent; /* of the line that opens them */
	int n;
};

static void newline(FILE *out, int indent)
{
	fputc('\n', out);
	while (indent-- > 0)
		fputs("    ", out);
}

/* --pretty keeps a value on one line when its items are simple and the
 * line short: at most this many bytes. */
#define PRETTY_ONE_LINE 64

/* The bytes of V in --pretty's one-line form, up to past the limit. */
static size_t one_line_width(const struct text_style *st, const struct value *v, int level)
{
	struct text_style one = *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return SIZE_MAX;
	one.one_line = true;
	text_value(out, &one, v, level, 0);
	fclose(out);
	free(buf);
	return len;
}

static void items_start(struct items *it, FILE *out, const struct text_style *st,
			const struct value *v, int level, int indent)
{
	int i;

	*it = (struct items){.out = out, .st = st, .indent = indent};
	if (!st->pretty || st->one_line)
		return;
	for (i = 0; i < v->n_children && !it->lines; i++)
		it->lines = !is_simple(&v->children[i]);
	if (!it->lines && v->n_children)
		it->lines = one_line_width(st, v, level) > PRETTY_ONE_LINE;
}

static void item(struct items *it)
{
	if (it->lines)
		newline(it->out, it->indent + 1);
	else if (it->n)
		fputs(it->st->pretty ? ", " : " ", it->out);
	it->n++;
}

static void item_end(struct items *it)
{
	if (it->lines)
		fputc(',', it->out);
}

static void items_end(struct items *it)
{
	if (it->lines && it->n)
		newline(it->out, it->indent);
}

/* A key's separator: "Name:value" on one line, "Name: value" pretty. */
static void key_end(const struct items *it)
{
	fputs(it->st->pretty ? ": " : ":", it->out);
}

/* --pretty opens composite literals with their type, as %#v does. */
static void literal_type(FILE *out, const struct text_style *st, const struct value *v)
{
	if (st->pretty && v->type && v->type->name && strncmp(v->type->name, "struct", 6))
		fputs(v->type->name, out);
}

/* The next link of an error chain (a field of type error) stays at its
 * struct's level: a chain shows whole. */
static bool is_error(const struct go_type *t)
{
	return t && t->kind == GO_INTERFACE && t->name && !strcmp(t->name, "error");
}

int text_field_level(const struct value *v, int i, int level)
{
	return is_error(v->type->fields[i].type) ? level : level + 1;
}

static void text_struct(FILE *out, const struct text_style *st, const struct value *v, int level,
			int indent)
{
	int i, shown = text_fields_shown(v), zero = 0, elided = 0;
	struct items it;

	literal_type(out, st, v);
	if (is_folded(st, v, level)) {
		fputs("{" ELLIPSIS "}", out);
		return;
	}
	fputc('{', out);
	items_start(&it, out, st, v, level, indent);
	for (i = 0; i < shown; i++) {
		if (text_zero_omitted(st, v, i)) {
			zero++;
			continue;
		}
		if (is_elided(st, &v->children[i])) {
			elided++;
			continue;
		}
		item(&it);
		fputs(v->type->fields[i].name ? v->type->fields[i].name : "", out);
		key_end(&it);
		text_value(out, st, &v->children[i], text_field_level(v, i, level), indent + 1);
		item_end(&it);
	}
	/* the fields left out: one mark that counts them, "…+2 fields +14 zero" */
	if (elided || zero) {
		item(&it);
		fputs(ELLIPSIS, out);
		if (elided)
			fprintf(out, "+%d field%s", elided, elided == 1 ? "" : "s");
		if (zero)
			fprintf(out, "%s+%d zero", elided ? " " : "", zero);
	}
	/* fields past what a limit let through: one mark for all */
	if (shown < v->n_children) {
		item(&it);
		fprintf(out, ELLIPSIS "<%s>", limit_name(value_first_cut(&v->children[shown])));
	}
	items_end(&it);
	fputc('}', out);
}

static void text_array(FILE *out, const struct text_style *st, const struct value *v, int level,
		       int indent)
{
	struct items it;
	int i;

	if (is_bytes(v)) {
		text_bytes(out, v);
		return;
	}
	literal_type(out, st, v);
	fputc(st->pretty ? '{' : '[', out);
	items_start(&it, out, st, v, level, indent);
	for (i = 0; i < v->n_children; i++) {
		item(&it);
		text_value(out, st, &v->children[i], level, indent + 1);
		item_end(&it);
	}
	if (v->cut != LIMIT_NONE) {
		item(&it);
		text_cut(out, v->cut, v->n_children, v->count);
	}
	items_end(&it);
	fputc(st->pretty ? '}' : ']', out);
}

static void text_map(FILE *out, const struct text_style *st, const struct value *v, int level,
		     int indent)
{
	struct items it;
	int i;

	if (!v->has_entries) {
		fprintf(out, "map[len=%" PRIu64 "]", v->u);
		return;
	}
	if (st->pretty) {
		literal_type(out, st, v);
		fputc('{', out);
	} else {
		fputs("map[", out);
	}
	items_start(&it, out, st, v, level, indent);
	for (i = 0; i + 1 < v->n_children; i += 2) {
		item(&it);
		text_value(out, st, &v->children[i], level, indent + 1);
		key_end(&it);
		text_value(out, st, &v->children[i + 1], level, indent + 1);
		item_end(&it);
	}
	if (v->cut != LIMIT_NONE) {
		item(&it);
		text_cut(out, v->cut, v->n_children / 2, v->u);
	}
	items_end(&it);
	fputc(st->pretty ? '}' : ']', out);
}

static void text_interface(FILE *out, const struct text_style *st, const struct value *v, int level,
			   int indent)
{
	const char *name = v->dynamic ? v->dynamic->name : NULL;
	const struct value *msg, *dyn = v->children;
	char buf[WELLKNOWN_MAX];

	if (!name) {
		fprintf(out, "type@0x%" PRIx64 "(", v->u);
		text_value(out, st, dyn, level, indent);
		fputc(')', out);
		return;
	}
	if ((msg = error_message(v))) {
		fprintf(out, "%s(", name);
		text_string(out, msg->bytes ? msg->bytes : "", msg->len);
		if (msg->cut != LIMIT_NONE)
			text_cut(out, msg->cut, msg->len, msg->count);
		fputc(')', out);
		return;
	}
	if (!strcmp(name, "syscall.Errno") && dyn->kind == VAL_UINT) {
		fprintf(out, "syscall.Errno(%" PRIu64 " \"%s\")", dyn->u, strerror((int)dyn->u));
		return;
	}
	/* --pretty: a struct literal names its type already */
	if (st->pretty && !wellknown_string(dyn, buf) &&
	    (dyn->kind == VAL_STRUCT ||
	     (dyn->kind == VAL_POINTER && dyn->children->kind == VAL_STRUCT &&
	      !wellknown_string(dyn->children, buf)))) {
		text_value(out, st, dyn, level, indent);
		return;
	}
	fprintf(out, "%s(", name);
	text_value(out, st, dyn, level, indent);
	fputc(')', out);
}

void text_value(FILE *out, const struct text_style *st, const struct value *v, int level,
		int indent)
{
	char buf[WELLKNOWN_MAX];
	const char *tag;

	if (wellknown_string(v, buf)) {
		fputs(buf, out);
		return;
	}
	/* Go's %v would call String() here too */
	if (st->compact && wellknown_url(out, v))
		return;
	if (st->compact && wellknown_ip(v, buf)) {
		fputs(buf, out);
		return;
	}
	switch (v->kind) {
	case VAL_UNAVAILABLE:
		/* a limit that bit says its name; anything else, its reason */
		if ((tag = reason_limit(v)))
			fprintf(out, "<%s>", tag);
		else
			fprintf(out, "<unavailable: %s>", unavailable_words(v));
		break;
	case VAL_NIL:
		fputs("<nil>", out);
		break;
	case VAL_BOOL:
		fputs(v->b ? "true" : "false", out);
		break;
	case VAL_INT:
		fprintf(out, "%" PRId64, v->i);
		break;
	case VAL_UINT:
		fprintf(out, "%" PRIu64, v->u);
		break;
	case VAL_FLOAT:
		text_float(out, v->f[0], v->type);
		break;
	case VAL_COMPLEX:
		fputc('(', out);
		text_float(out, v->f[0], v->type);
		if (!(v->f[1] < 0) && !isnan(v->f[1]) && !isinf(v->f[1]))
			fputc('+', out);
		text_float(out, v->f[1], v->type);
		fputs("i)", out);
		break;
	case VAL_STRING:
		text_string(out, v->bytes ? v->bytes : "", v->len);
		if (v->cut != LIMIT_NONE)
			text_cut(out, v->cut, v->len, v->count);
		break;
	case VAL_POINTER:
		fputc('&', out);
		text_value(out, st, &v->children[0], level, indent);
		break;
	case VAL_POINTER_UNFOLLOWED:
		fprintf(out, "0x%" PRIx64, v->u);
		if (reason_words(v))
			fprintf(out, "<%s>", (tag = reason_limit(v)) ? tag : reason_words(v));
		break;
	case VAL_STRUCT:
		text_struct(out, st, v, level, indent);
		break;
	case VAL_ARRAY:
		text_array(out, st, v, level, indent);
		break;
	case VAL_INTERFACE:
		text_interface(out, st, v, level, indent);
		break;
	case VAL_MAP:
		text_map(out, st, v, level, indent);
		break;
	case VAL_CHAN:
		fprintf(out, "chan[len=%" PRIu64 " cap=%" PRIu64 "]", v->u, (uint64_t)v->len);
		break;
	case VAL_FUNC:
		if (v->bytes)
			fputs(v->bytes, out);
		else
			fprintf(out, "func@0x%" PRIx64, v->u);
		break;
	}
}

bool text_is_string(const struct text_style *st, const struct value *v)
{
	char buf[WELLKNOWN_MAX];

	return wellknown_string(v, buf) ||
	       (st->compact && (wellknown_url(NULL, v) || wellknown_ip(v, buf))) ||
	       (v->kind == VAL_ARRAY && is_bytes(v)) ||
	       (v->kind == VAL_INTERFACE && error_message(v));
}

/* A stream that counts the characters written to it: UTF-8's lead bytes. */
static ssize_t count_write(void *cookie, const char *buf, size_t size)
{
	size_t *n = cookie, i;

	for (i = 0; i < size; i++)
		*n += ((unsigned char)buf[i] & 0xc0) != 0x80;
	return size;
}

size_t text_width(const struct text_style *st, const struct value *v, int level)
{
	cookie_io_functions_t io = {.write = count_write};
	size_t n = 0;
	FILE *out = fopencookie(&n, "w", io);

	if (!out)
		return SIZE_MAX;
	text_value(out, st, v, level, 0);
	fclose(out);
	return n;
}
