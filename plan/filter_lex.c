// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The expressions' tokens, as Go writes them: identifiers (and "~r0"),
 * integers (decimal, 0x, 0o, 0b, with '_'), strings ("interpreted" with
 * Go's escapes, or `raw`) and the operators the grammar uses
 * (filter_parse.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/filter_lex.h"

void filter_lex_fail(struct parser *ps, int col, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	ps->err->col = col;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int lex_int(struct parser *ps)
{
	const char *p = ps->p;
	int base = 10, d, digits = 0;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	else if (p[0] == '0' && isdigit((unsigned char)p[1]))
		base = 8, p++;
	for (;; p++) {
		if (*p == '_')
			continue;
		d = hexval(*p);
		if (d < 0 || d >= base) {
			if (isalnum((unsigned char)*p) || *p == '.') {
				filter_lex_fail(ps, ps->col, "invalid character '%c' in a number", *p);
				return -1;
			}
			break;
		}
		if (v > (UINT64_MAX - d) / base) {
			filter_lex_fail(ps, ps->col, "integer constant too large");
			return -1;
		}
		v = v * base + d;
		digits++;
	}
	if (!digits && base != 8) {
		filter_lex_fail(ps, ps->col, "malformed number");
		return -1;
	}
	ps->num = v;
	ps->p = p;
	return 0;
}

static int add_byte(struct parser *ps, size_t *cap, int c)
{
	if (ps->len + 1 >= *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		char *s = realloc(ps->str, n);

		if (!s) {
			filter_lex_fail(ps, ps->col, "out of memory");
			return -1;
		}
		ps->str = s;
		*cap = n;
	}
	ps->str[ps->len++] = c;
	ps->str[ps->len] = 0;
	return 0;
}

/* One escape after '\' in an interpreted string: its byte(s). */
static int lex_escape(struct parser *ps, const char **pp, size_t *cap)
{
	const char *p = *pp;
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
	const char *e;
	int v, i;

	if (*p && (e = strchr(from, *p))) {
		*pp = p + 1;
		return add_byte(ps, cap, to[e - from]);
	}
	if (*p == 'x') {
		if (hexval(p[1]) < 0 || hexval(p[2]) < 0)
			goto bad;
		*pp = p + 3;
		return add_byte(ps, cap, hexval(p[1]) * 16 + hexval(p[2]));
	}
	if (*p >= '0' && *p <= '7') {
		for (v = 0, i = 0; i < 3; i++) {
			if (p[i] < '0' || p[i] > '7')
				goto bad;
			v = v * 8 + (p[i] - '0');
		}
		if (v > 255)
			goto bad;
		*pp = p + 3;
		return add_byte(ps, cap, v);
	}
bad:
	filter_lex_fail(ps, ps->col + (int)(p - ps->p), "unknown escape sequence in a string");
	return -1;
}

static int lex_string(struct parser *ps)
{
	char quote = *ps->p;
	const char *p = ps->p + 1;
	size_t cap = 0;

	free(ps->str);
	ps->str = NULL;
	ps->len = 0;
	if (add_byte(ps, &cap, 0))
		return -1;
	ps->len = 0;
	for (;;) {
		if (!*p || (quote == '"' && *p == '\n')) {
			filter_lex_fail(ps, ps->col, "string literal not terminated");
			return -1;
		}
		if (*p == quote)
			break;
		if (quote == '"' && *p == '\\') {
			p++;
			if (lex_escape(ps, &p, &cap))
				return -1;
			continue;
		}
		if (add_byte(ps, &cap, *p++))
			return -1;
	}
	ps->p = p + 1;
	return 0;
}

void filter_lex_next(struct parser *ps)
{
	static const struct {
		const char *s;
		enum tok t;
	} ops[] = {
	    {"&&", T_AND},   {"||", T_OR},    {"==", T_EQ}, {"!=", T_NE},   {"<=", T_LE},
	    {">=", T_GE},    {"<", T_LT},     {">", T_GT},  {"!", T_NOT},   {"-", T_MINUS},
	    {"(", T_LPAREN}, {")", T_RPAREN}, {".", T_DOT}, {",", T_COMMA}, {"[", T_LBRACK},
	    {"]", T_RBRACK}, {"*", T_STAR},
	};
	const char *start;
	size_t i;

	if (ps->failed) {
		ps->tok = T_END;
		return;
	}
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
	ps->col = (int)(ps->p - ps->text) + 1;
	if (!*ps->p) {
		ps->tok = T_END;
		return;
	}
	if (isalpha((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '~') {
		/* "~r0": an unnamed result, as gotrace names it */
		start = ps->p++;
		while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
			ps->p++;
		free(ps->ident);
		ps->ident = strndup(start, ps->p - start);
		if (!ps->ident)
			filter_lex_fail(ps, ps->col, "out of memory");
		ps->tok = T_IDENT;
		return;
	}
	if (isdigit((unsigned char)*ps->p)) {
		ps->tok = lex_int(ps) ? T_END : T_INT;
		return;
	}
	if (*ps->p == '"' || *ps->p == '`') {
		ps->tok = lex_string(ps) ? T_END : T_STRING;
		return;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);

		if (!strncmp(ps->p, ops[i].s, n)) {
			ps->p += n;
			ps->tok = ops[i].t;
			return;
		}
	}
	if (isprint((unsigned char)*ps->p))
		filter_lex_fail(ps, ps->col, "unexpected character '%c'", *ps->p);
	else
		filter_lex_fail(ps, ps->col, "unexpected byte 0x%02x", (unsigned char)*ps->p);
	ps->tok = T_END;
}


const char *filter_lex_describe(const struct parser *ps)
{
	switch (ps->tok) {
	case T_END:
		return "end of expression";
	case T_IDENT:
		return "name";
	case T_INT:
		return "number";
	case T_STRING:
		return "string";
	case T_RPAREN:
		return "')'";
	case T_LPAREN:
		return "'('";
	case T_COMMA:
		return "','";
	case T_DOT:
		return "'.'";
	default:
		return "operator";
	}
}
