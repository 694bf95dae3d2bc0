// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON writer (json_writer.h). Commas need no stack of states: a value
 * that closes always leaves its parent non-empty, so one flag, "the next
 * value needs a comma", is enough at every depth.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "output/json_writer.h"

struct json_writer {
	FILE *out;
	int depth;
	bool need_comma;
};

struct json_writer *jw__new(FILE *out)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));

	if (jw)
		jw->out = out;
	return jw;
}

void jw__free(struct json_writer *jw)
{
	free(jw);
}

static void value_begin(struct json_writer *jw)
{
	if (jw->need_comma)
		fputc(',', jw->out);
	jw->need_comma = false;
}

/* A complete top-level value is a line of its own. */
static void value_end(struct json_writer *jw)
{
	if (jw->depth > 0) {
		jw->need_comma = true;
		return;
	}
	fputc('\n', jw->out);
	jw->need_comma = false;
}

static void start(struct json_writer *jw, char open)
{
	value_begin(jw);
	fputc(open, jw->out);
	jw->depth++;
}

static void end(struct json_writer *jw, char close)
{
	fputc(close, jw->out);
	jw->depth--;
	value_end(jw);
}

void jw_start_object(struct json_writer *jw)
{
	start(jw, '{');
}

void jw_end_object(struct json_writer *jw)
{
	end(jw, '}');
}

void jw_start_array(struct json_writer *jw)
{
	start(jw, '[');
}

void jw_end_array(struct json_writer *jw)
{
	end(jw, ']');
}

int utf8_valid_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	int len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The escape for the sequence of LEN bytes at P, or NULL to copy it as is. */
static const char *escape(const unsigned char *p, int len, char *buf, size_t size)
{
	if (len == 0)
		return "\xef\xbf\xbd"; /* U+FFFD for one bad byte, as Go does */
	if (len == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return p[2] == 0xa8 ? "\\u2028" : "\\u2029";
	if (len > 1 || (p[0] >= 0x20 && p[0] != '"' && p[0] != '\\'))
		return NULL;
	switch (p[0]) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	snprintf(buf, size, "\\u%04x", p[0]);
	return buf;
}

static void write_quoted(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, plain = 0; /* p[plain..i) is still to copy */
	const char *esc;
	char buf[8];
	int len;

	fputc('"', out);
	while (i < n) {
		len = utf8_valid_len(p + i, n - i);
		esc = escape(p + i, len, buf, sizeof(buf));
		if (!esc) {
			i += len;
			continue;
		}
		fwrite(p + plain, 1, i - plain, out);
		fputs(esc, out);
		i += len ? len : 1;
		plain = i;
	}
	fwrite(p + plain, 1, n - plain, out);
	fputc('"', out);
}

void jw_name(struct json_writer *jw, const char *name)
{
	value_begin(jw);
	write_quoted(jw->out, name, strlen(name));
	fputc(':', jw->out);
}

void jw_string(struct json_writer *jw, const char *s, size_t n)
{
	value_begin(jw);
	write_quoted(jw->out, s, n);
	value_end(jw);
}

void jw_cstring(struct json_writer *jw, const char *s)
{
	jw_string(jw, s, strlen(s));
}

void jw_int(struct json_writer *jw, int64_t i)
{
	value_begin(jw);
	fprintf(jw->out, "%" PRId64, i);
	value_end(jw);
}

void jw_uint(struct json_writer *jw, uint64_t u)
{
	value_begin(jw);
	fprintf(jw->out, "%" PRIu64, u);
	value_end(jw);
}

void jw_bool(struct json_writer *jw, bool b)
{
	value_begin(jw);
	fputs(b ? "true" : "false", jw->out);
	value_end(jw);
}

void jw_null(struct json_writer *jw)
{
	value_begin(jw);
	fputs("null", jw->out);
	value_end(jw);
}

void format_float_shortest(char *buf, size_t len, double f, bool is32)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, f);
		if (is32 ? (float)strtod(buf, NULL) == (float)f : strtod(buf, NULL) == f)
			return;
	}
}

void jw_float(struct json_writer *jw, double f, bool is32)
{
	char buf[40];

	if (isnan(f)) {
		jw_cstring(jw, "NaN");
	} else if (isinf(f)) {
		jw_cstring(jw, f > 0 ? "+Inf" : "-Inf");
	} else {
		format_float_shortest(buf, sizeof(buf), f, is32);
		value_begin(jw);
		fputs(buf, jw->out);
		value_end(jw);
	}
}

void jw_string_field(struct json_writer *jw, const char *name, const char *s)
{
	jw_name(jw, name);
	jw_cstring(jw, s);
}

void jw_uint_field(struct json_writer *jw, const char *name, uint64_t u)
{
	jw_name(jw, name);
	jw_uint(jw, u);
}
