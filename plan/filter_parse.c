// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The filter expression's syntax, a subset of Go's (go.dev/ref/spec,
 * "Expressions"), with Go's precedence:
 *
 *   expr    = and { "||" and }
 *   and     = cmp { "&&" cmp }
 *   cmp     = unary [ ("==" | "!=" | "<" | "<=" | ">" | ">=") unary ]
 *   unary   = "!" unary | "-" unary | "*" unary | primary
 *   primary = operand { "." ident | "." "(" type ")" | "(" args ")" | "[" expr "]" }
 *   list    = expr { "," expr }           (--print)
 *   operand = ident | int | string | "(" expr ")" | "[" "]" "byte" "(" expr ")"
 *
 * Calls are len(x), string(b), strings.HasPrefix, HasSuffix and Contains
 * of (s, literal), and bytes' of (b, []byte(literal)) with bytes.Equal;
 * true, false and nil are literals. Integers: decimal, 0x, 0o, 0b, with '_'; strings:
 * "interpreted" (Go's escapes) or `raw`.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/filter.h"
#include "plan/filter_lex.h"

static struct filter_node *node(struct parser *ps, enum filter_node_kind kind, int col)
{
	struct filter_node *n = calloc(1, sizeof(*n));

	if (!n) {
		filter_lex_fail(ps, col, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->col = col;
	return n;
}

void filter_node__free(struct filter_node *n)
{
	if (!n)
		return;
	filter_node__free(n->a);
	filter_node__free(n->b);
	free(n->name);
	free(n->str);
	free(n);
}


static struct filter_node *parse_expr(struct parser *ps);
static struct filter_node *parse_bytes_of(struct parser *ps);

static bool expect(struct parser *ps, enum tok t, const char *what)
{
	if (ps->tok != t) {
		filter_lex_fail(ps, ps->col, "expected %s, found %s", what, filter_lex_describe(ps));
		return false;
	}
	filter_lex_next(ps);
	return true;
}

static struct filter_node *parse_operand(struct parser *ps)
{
	struct filter_node *n = NULL;
	int col = ps->col;

	switch (ps->tok) {
	case T_IDENT:
		if (!strcmp(ps->ident, "true") || !strcmp(ps->ident, "false")) {
			n = node(ps, FN_BOOL, col);
			if (n)
				n->u = ps->ident[0] == 't';
		} else if (!strcmp(ps->ident, "nil")) {
			n = node(ps, FN_NIL, col);
		} else {
			n = node(ps, FN_IDENT, col);
			if (n) {
				n->name = ps->ident;
				ps->ident = NULL;
			}
		}
		filter_lex_next(ps);
		return n;
	case T_INT:
		n = node(ps, FN_INT, col);
		if (n)
			n->u = ps->num;
		filter_lex_next(ps);
		return n;
	case T_STRING:
		n = node(ps, FN_STRING, col);
		if (n) {
			n->str = ps->str;
			n->len = ps->len;
			ps->str = NULL;
		}
		filter_lex_next(ps);
		return n;
	case T_LBRACK:
		return parse_bytes_of(ps);
	case T_LPAREN:
		filter_lex_next(ps);
		n = parse_expr(ps);
		if (!expect(ps, T_RPAREN, "')'")) {
			filter_node__free(n);
			return NULL;
		}
		return n;
	default:
		filter_lex_fail(ps, col, "expected an operand, found %s", filter_lex_describe(ps));
		return NULL;
	}
}

/* The functions of two arguments: a string (or []byte) and a literal. */
static const struct {
	const char *name;
	enum gt_cmp cmp;
} matches[] = {
    {"strings.HasPrefix", GT_CMP_PREFIX},
    {"strings.HasSuffix", GT_CMP_SUFFIX},
    {"strings.Contains", GT_CMP_CONTAINS},
    {"bytes.HasPrefix", GT_CMP_PREFIX},
    {"bytes.HasSuffix", GT_CMP_SUFFIX},
    {"bytes.Contains", GT_CMP_CONTAINS},
    {"bytes.Equal", GT_CMP_EQ},
};

/* The index in matches[] of the function FN names, or -1. */
static int match_of(const struct filter_node *fn)
{
	size_t i, n;

	if (fn->kind != FN_SELECTOR || fn->a->kind != FN_IDENT)
		return -1;
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		n = strlen(fn->a->name);
		if (!strncmp(matches[i].name, fn->a->name, n) && matches[i].name[n] == '.' &&
		    !strcmp(matches[i].name + n + 1, fn->name))
			return (int)i;
	}
	return -1;
}

/* F(args): len(x), string(b) or strings.HasPrefix(s, p) and its kin. */
static struct filter_node *parse_call(struct parser *ps, struct filter_node *fn)
{
	bool is_string = fn->kind == FN_IDENT && !strcmp(fn->name, "string");
	bool is_len = is_string || (fn->kind == FN_IDENT && !strcmp(fn->name, "len"));
	int match = match_of(fn);
	struct filter_node *call;

	if (!is_len && match < 0) {
		filter_lex_fail(ps, fn->col,
		     "unknown function (expressions call len, string, "
		     "strings.HasPrefix, HasSuffix, Contains, bytes.HasPrefix, "
		     "HasSuffix, Contains and Equal)");
		filter_node__free(fn);
		return NULL;
	}
	call = node(ps, is_string ? FN_STRING_OF : is_len ? FN_LEN : FN_MATCH, fn->col);
	filter_node__free(fn);
	if (!call)
		return NULL;
	if (match >= 0) {
		call->name = strdup(matches[match].name);
		call->u = matches[match].cmp;
		if (!call->name) {
			filter_lex_fail(ps, call->col, "out of memory");
			filter_node__free(call);
			return NULL;
		}
	}
	filter_lex_next(ps); /* '(' */
	call->a = parse_expr(ps);
	if (match >= 0 && !ps->failed && expect(ps, T_COMMA, "','"))
		call->b = parse_expr(ps);
	if (ps->tok == T_COMMA && !ps->failed)
		filter_lex_fail(ps, ps->col, "too many arguments to %s",
		     is_string ? "string"
		     : is_len  ? "len"
			       : call->name);
	if (ps->failed || !expect(ps, T_RPAREN, "')'")) {
		filter_node__free(call);
		return NULL;
	}
	return call;
}

/* []byte(x), at its '[': a conversion, the only composite type written. */
static struct filter_node *parse_bytes_of(struct parser *ps)
{
	struct filter_node *n;
	int col = ps->col;

	filter_lex_next(ps);
	if (!expect(ps, T_RBRACK, "']' (of []byte)"))
		return NULL;
	if (ps->tok != T_IDENT || strcmp(ps->ident, "byte")) {
		filter_lex_fail(ps, ps->col, "expected byte (of []byte), found %s", filter_lex_describe(ps));
		return NULL;
	}
	filter_lex_next(ps);
	if (ps->tok != T_LPAREN) {
		filter_lex_fail(ps, ps->col, "expected '(' ([]byte converts a string), found %s",
		     filter_lex_describe(ps));
		return NULL;
	}
	filter_lex_next(ps);
	n = node(ps, FN_BYTES_OF, col);
	if (!n)
		return NULL;
	n->a = parse_expr(ps);
	if (!n->a || !expect(ps, T_RPAREN, "')'")) {
		filter_node__free(n);
		return NULL;
	}
	return n;
}

/* X.(T): T as written, up to its closing parenthesis; the lexer goes on
 * after it. */
static struct filter_node *parse_assert(struct parser *ps, struct filter_node *x)
{
	const char *start = ps->p, *p;
	struct filter_node *n;
	int depth = 1, col = ps->col;

	for (p = start; *p && depth; p++)
		depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
	if (depth) {
		filter_lex_fail(ps, col, "a type assertion without its ')'");
		filter_node__free(x);
		return NULL;
	}
	n = node(ps, FN_ASSERT, col + 1);
	if (!n) {
		filter_node__free(x);
		return NULL;
	}
	n->a = x;
	while (start < p - 1 && (*start == ' ' || *start == '\t'))
		start++;
	n->str = strndup(start, p - 1 - start);
	n->len = n->str ? strlen(n->str) : 0;
	while (n->len && (n->str[n->len - 1] == ' ' || n->str[n->len - 1] == '\t'))
		n->str[--n->len] = '\0';
	if (!n->str || !n->len) {
		filter_lex_fail(ps, col + 1, n->str ? "a type assertion names no type" : "out of memory");
		filter_node__free(n);
		return NULL;
	}
	ps->p = p;
	filter_lex_next(ps);
	return n;
}

static struct filter_node *parse_primary(struct parser *ps)
{
	struct filter_node *n = parse_operand(ps), *sel;

	while (n && !ps->failed) {
		if (ps->tok == T_DOT) {
			filter_lex_next(ps);
			if (ps->tok == T_LPAREN) {
				n = parse_assert(ps, n);
				continue;
			}
			if (ps->tok != T_IDENT) {
				filter_lex_fail(ps, ps->col, "expected a field name after '.', found %s",
				     filter_lex_describe(ps));
				break;
			}
			/* at the field's name: where "undefined" points */
			sel = node(ps, FN_SELECTOR, ps->col);
			if (!sel)
				break;
			sel->a = n;
			sel->name = ps->ident;
			ps->ident = NULL;
			n = sel;
			filter_lex_next(ps);
		} else if (ps->tok == T_LPAREN) {
			n = parse_call(ps, n);
		} else if (ps->tok == T_LBRACK) {
			/* at the '[': where "out of range" points */
			sel = node(ps, FN_INDEX, ps->col);
			if (!sel)
				break;
			sel->a = n;
			n = sel;
			filter_lex_next(ps);
			sel->b = parse_expr(ps);
			if (!sel->b || !expect(ps, T_RBRACK, "']'"))
				break;
		} else {
			return n;
		}
	}
	if (ps->failed) {
		filter_node__free(n);
		return NULL;
	}
	return n;
}

static struct filter_node *parse_unary(struct parser *ps)
{
	struct filter_node *n, *x;
	int col = ps->col;

	if (++ps->depth > FILTER_MAX_NESTING) {
		filter_lex_fail(ps, col, "expression nested too deeply");
		return NULL;
	}
	if (ps->tok == T_NOT) {
		filter_lex_next(ps);
		x = parse_unary(ps);
		if (!x)
			return NULL;
		n = node(ps, FN_NOT, col);
		if (!n) {
			filter_node__free(x);
			return NULL;
		}
		n->a = x;
		ps->depth--;
		return n;
	}
	if (ps->tok == T_STAR) {
		filter_lex_next(ps);
		x = parse_unary(ps);
		if (!x)
			return NULL;
		n = node(ps, FN_DEREF, col);
		if (!n) {
			filter_node__free(x);
			return NULL;
		}
		n->a = x;
		ps->depth--;
		return n;
	}
	if (ps->tok == T_MINUS) {
		/* only of a number: filters have no arithmetic */
		filter_lex_next(ps);
		x = parse_unary(ps);
		if (x && x->kind != FN_INT) {
			filter_lex_fail(ps, col, "'-' applies to numbers only (filters have no arithmetic)");
			filter_node__free(x);
			return NULL;
		}
		if (x) {
			x->negative = !x->negative;
			x->col = col;
		}
		ps->depth--;
		return x;
	}
	n = parse_primary(ps);
	ps->depth--;
	return n;
}

static bool comparison(enum tok t, enum filter_op *op)
{
	switch (t) {
	case T_EQ:
		*op = FOP_EQ;
		return true;
	case T_NE:
		*op = FOP_NE;
		return true;
	case T_LT:
		*op = FOP_LT;
		return true;
	case T_LE:
		*op = FOP_LE;
		return true;
	case T_GT:
		*op = FOP_GT;
		return true;
	case T_GE:
		*op = FOP_GE;
		return true;
	default:
		return false;
	}
}

static struct filter_node *binary(struct parser *ps, enum filter_op op, int col,
				  struct filter_node *a, struct filter_node *b)
{
	struct filter_node *n;

	if (!a || !b) {
		filter_node__free(a);
		filter_node__free(b);
		return NULL;
	}
	n = node(ps, FN_BINARY, col);
	if (!n) {
		filter_node__free(a);
		filter_node__free(b);
		return NULL;
	}
	n->op = op;
	n->a = a;
	n->b = b;
	return n;
}

static struct filter_node *parse_cmp(struct parser *ps)
{
	struct filter_node *n = parse_unary(ps);
	enum filter_op op;
	int col;

	while (n && comparison(ps->tok, &op)) {
		col = ps->col;
		filter_lex_next(ps);
		n = binary(ps, op, col, n, parse_unary(ps));
	}
	return n;
}

static struct filter_node *parse_and(struct parser *ps)
{
	struct filter_node *n = parse_cmp(ps);
	int col;

	while (n && ps->tok == T_AND) {
		col = ps->col;
		filter_lex_next(ps);
		n = binary(ps, FOP_AND, col, n, parse_cmp(ps));
	}
	return n;
}

static struct filter_node *parse_expr(struct parser *ps)
{
	struct filter_node *n;
	int col;

	if (++ps->depth > FILTER_MAX_NESTING) {
		filter_lex_fail(ps, ps->col, "expression nested too deeply");
		return NULL;
	}
	n = parse_and(ps);
	while (n && ps->tok == T_OR) {
		col = ps->col;
		filter_lex_next(ps);
		n = binary(ps, FOP_OR, col, n, parse_and(ps));
	}
	ps->depth--;
	return n;
}

/* The checks of a whole expression's text, before it is lexed. */
static bool check_text(struct parser *ps, const char *text)
{
	if (strlen(text) > FILTER_MAX_TEXT) {
		filter_lex_fail(ps, 1, "expression longer than %d bytes", FILTER_MAX_TEXT);
		return false;
	}
	if (strchr(text, '\n')) {
		filter_lex_fail(ps, (int)(strchr(text, '\n') - text) + 1, "expression spans lines");
		return false;
	}
	return true;
}

int filter_parse_list(const char *text, struct filter_list *out, struct filter_error *err)
{
	struct parser ps = {.text = text, .p = text, .err = err};
	struct filter_node *n;
	int start, end;

	memset(err, 0, sizeof(*err));
	memset(out, 0, sizeof(*out));
	if (!check_text(&ps, text))
		return -EINVAL;
	filter_lex_next(&ps);
	while (!ps.failed) {
		if (ps.tok == T_END) {
			filter_lex_fail(&ps, ps.col,
			     out->n ? "expected an expression after ','" : "empty expression list");
			break;
		}
		if (out->n >= FILTER_MAX_LIST) {
			filter_lex_fail(&ps, ps.col, "more than %d expressions", FILTER_MAX_LIST);
			break;
		}
		start = ps.col;
		n = parse_expr(&ps);
		if (!n)
			break;
		/* the expression as written, for its name */
		end = (int)(ps.p - text) + 1;
		if (ps.tok != T_END)
			end = ps.col;
		while (end > start && (text[end - 2] == ' ' || text[end - 2] == '\t'))
			end--;
		out->nodes[out->n] = n;
		out->texts[out->n] = strndup(text + start - 1, end - start);
		if (!out->texts[out->n++]) {
			filter_lex_fail(&ps, start, "out of memory");
			break;
		}
		if (ps.tok == T_END)
			break;
		if (ps.tok != T_COMMA) {
			filter_lex_fail(&ps, ps.col, "expected ',' or the end, found %s", filter_lex_describe(&ps));
			break;
		}
		filter_lex_next(&ps);
	}
	free(ps.ident);
	free(ps.str);
	if (ps.failed) {
		filter_list__clear(out);
		return -EINVAL;
	}
	return 0;
}

void filter_list__clear(struct filter_list *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		filter_node__free(l->nodes[i]);
		free(l->texts[i]);
	}
	memset(l, 0, sizeof(*l));
}

struct filter_node *filter_parse(const char *text, struct filter_error *err)
{
	struct parser ps = {.text = text, .p = text, .err = err};
	struct filter_node *n = NULL;

	memset(err, 0, sizeof(*err));
	if (!check_text(&ps, text))
		return NULL;
	filter_lex_next(&ps);
	if (ps.tok == T_END && !ps.failed)
		filter_lex_fail(&ps, ps.col, "empty expression");
	if (!ps.failed)
		n = parse_expr(&ps);
	if (n && ps.tok != T_END)
		filter_lex_fail(&ps, ps.col, "unexpected %s after the expression", filter_lex_describe(&ps));
	free(ps.ident);
	free(ps.str);
	if (ps.failed) {
		filter_node__free(n);
		return NULL;
	}
	return n;
}
