/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * output/'s own: what the printers share, the value printers (text and
 * JSON) that event lines are made of, the words for limits, and the Go
 * types both show as Go prints them. Not for other folders.
 */
#ifndef GOTRACE_OUTPUT_INTERNAL_H
#define GOTRACE_OUTPUT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "decode/decode.h"
#include "output/json_writer.h"
#include "output/output.h"

/* How text shows values (docs/json.md, "Text"). */
struct text_style {
	bool pretty; /* one field, element or entry per line, indented */
	/* Structs more than this many levels below an argument show as {…},
	 * unless their type is of HOME's package; -1: none does. */
	int fold;
	const char *home; /* the traced function's package, "main", "net/http" */
	size_t home_len;
	bool one_line; /* --pretty's form on one line, to measure it */
	/* The default line (docs/json.md, "Text"): zero fields of other
	 * packages' structs left out, *url.URL as its String, and the fields
	 * in ELIDED (sorted by address; text_fit's) left out to fit a line. */
	bool compact;
	const struct value *const *elided;
	int n_elided;
};

/* The package of a Go symbol or type name, as a length from the start:
 * "net/http" of "net/http.(*conn).serve", "main" of "main.Pair[int]";
 * 0 for a name without one ("int", "struct { X int }"). */
size_t go_package_len(const char *name);

/* V as text, at nesting LEVEL (the argument: 0) and INDENT (pretty). */
void text_value(FILE *out, const struct text_style *style, const struct value *v, int level,
		int indent);
/* The characters (not bytes) of V's text. */
size_t text_width(const struct text_style *style, const struct value *v, int level);

/* What text_fit needs to walk a value's fields as text shows them. */
/* V shows as one string: a well-known type, a *url.URL (compact), bytes,
 * an error that is its message. No fields of it show. */
bool text_is_string(const struct text_style *style, const struct value *v);
/* TYPE_NAME is of the traced function's package. */
bool text_in_home(const struct text_style *style, const char *type_name);
/* V is a struct shown as {…} at LEVEL. */
bool text_is_folded(const struct text_style *style, const struct value *v, int level);
/* The fields of struct V that show, before a read's cut: the first N. */
int text_fields_shown(const struct value *v);
/* The compact style leaves V's field I out as zero. */
bool text_zero_omitted(const struct text_style *style, const struct value *v, int i);
/* The level of struct V's field I, a struct at LEVEL. */
int text_field_level(const struct value *v, int i, int level);
/*
 * The default line's budget: the fields left out so that the arguments'
 * text fits in BUDGET characters, least telling first (docs/json.md,
 * "Text"). Sets STYLE's elided set, which is the caller's to free().
 */
#define TEXT_LINE_WIDTH 500	/* characters, the whole line */
#define TEXT_ARGS_WIDTH_MIN 200 /* what a long function name leaves at least */
int text_fit(struct text_style *style, const struct decoded_arg *args, int n_args, size_t budget);

/* The limit that cut V, or cut a value inside it; LIMIT_NONE when none
 * did. The first in print order. */
enum value_limit value_first_cut(const struct value *v);
/* Every limit that cut something in V, as a bit mask (1 << limit). */
unsigned value_cuts(const struct value *v);

void json_value(struct json_writer *jw, const struct value *v);

/* The word docs/json.md gives a limit: "string", "elems", "depth"... */
const char *limit_name(enum value_limit limit);
/* Why V (unavailable, or a pointer not followed) is not shown, in words;
 * NULL when it has no reason. */
const char *reason_words(const struct value *v);
/* An unavailable value's reason in words, "unknown" when it has none. */
const char *unavailable_words(const struct value *v);
/* The word for the limit that kept V from being read or followed
 * ("depth", "budget", "ops", "read"), "cycle" for a pointer back to a
 * pointee being shown, or NULL when no limit is to blame. */
const char *reason_limit(const struct value *v);

/*
 * Well-known types, shown as Go's own String methods print them.
 */
#define WELLKNOWN_MAX 48
/* time.Duration's String() of NS into BUF (WELLKNOWN_MAX bytes). */
void go_duration_string(int64_t ns, char *buf);
/* If V is a time.Duration or a time.Time that could be read, its text
 * (Duration.String(), or an RFC 3339 instant) into BUF and true. */
bool wellknown_string(const struct value *v, char *buf);
/* If V is a *url.URL whose fields could be read, (*url.URL).String() of
 * it on OUT (when not NULL) and true. */
bool wellknown_url(FILE *out, const struct value *v);
/* If V is a net.IP of 4 or 16 bytes, its String() into BUF
 * (WELLKNOWN_MAX bytes) and true. */
bool wellknown_ip(const struct value *v, char *buf);

/*
 * --stack's frames.
 */
/* "depth", "cgo", ... as JSON's "stack_end"; NULL for STACK_END_GOEXIT. */
const char *stack_end_name(enum stack_end end);
/* The frames, each "\tfunc()" then "\t\tfile:line +0xoff", and a note
 * when the stack does not reach the goroutine's first frame. */
void text_stack(FILE *out, const struct call_stack *cs);
/* "stack":[{"func":…,"file":…,"line":N},…] and, when it ends early,
 * "stack_end":"why" (and "stack_truncated":true when cut): members of the
 * object being written. */
void json_stack(struct json_writer *jw, const struct call_stack *cs);

#endif /* GOTRACE_OUTPUT_INTERNAL_H */
