/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The expressions' lexer (filter_lex.c), for their parser (filter_parse.c):
 * tokens, the parser's state, and the one way both say what is wrong.
 */
#ifndef GOTRACE_FILTER_LEX_H
#define GOTRACE_FILTER_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "plan/filter.h"

enum tok {
	T_END,
	T_IDENT,
	T_INT,
	T_STRING,
	T_LPAREN,
	T_RPAREN,
	T_DOT,
	T_COMMA,
	T_NOT,
	T_MINUS,
	T_AND,
	T_OR,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_LBRACK,
	T_RBRACK,
	T_STAR,
};

struct parser {
	const char *text;
	const char *p; /* the next character */
	enum tok tok;  /* the current token */
	int col;       /* its column */
	char *ident;   /* T_IDENT */
	uint64_t num;  /* T_INT */
	char *str;     /* T_STRING */
	size_t len;
	int depth;
	struct filter_error *err;
	bool failed;
};

/* ERR gets "why" at column COL, once: the first error is the one said. */
void filter_lex_fail(struct parser *ps, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The next token into ps->tok (T_END past the text or after an error). */
void filter_lex_next(struct parser *ps);
/* The current token as an error names it: "end of expression", "')'". */
const char *filter_lex_describe(const struct parser *ps);

#endif /* GOTRACE_FILTER_LEX_H */
