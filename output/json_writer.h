/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A JSON writer over a FILE*: it owns the commas between members and
 * elements, and the escaping of strings, so that no printer does either by
 * hand. Each top-level value ends with a newline: one value per line, as
 * gotrace's JSON lines are (docs/json.md).
 *
 * Strings read back as Go's encoding/json would write them, less its HTML
 * escapes: control characters as \u00XX (\n, \r, \t by name), invalid UTF-8
 * as U+FFFD, one per bad byte, and U+2028/U+2029 as \u2028/\u2029 because
 * JavaScript reads them as line ends. DEL and U+FFFD go out as they are.
 *
 * Write errors are left in the stream: check ferror(out).
 */
#ifndef GOTRACE_JSON_WRITER_H
#define GOTRACE_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer;

/* NULL when out of memory. */
struct json_writer *jw__new(FILE *out);
void jw__free(struct json_writer *jw);

void jw_start_object(struct json_writer *jw);
void jw_end_object(struct json_writer *jw);
void jw_start_array(struct json_writer *jw);
void jw_end_array(struct json_writer *jw);
/* The key of the next member of the current object. */
void jw_name(struct json_writer *jw, const char *name);

/* N bytes of S, any bytes at all. */
void jw_string(struct json_writer *jw, const char *s, size_t n);
void jw_cstring(struct json_writer *jw, const char *s);
void jw_int(struct json_writer *jw, int64_t i);
void jw_uint(struct json_writer *jw, uint64_t u);
void jw_bool(struct json_writer *jw, bool b);
void jw_null(struct json_writer *jw);
/* The shortest number that reads back as F (as a float32 when IS32); JSON
 * has no NaN or infinities, so those are the strings "NaN", "+Inf", "-Inf". */
void jw_float(struct json_writer *jw, double f, bool is32);

/* A member at once: jw_name, then its value. */
void jw_string_field(struct json_writer *jw, const char *name, const char *s);
void jw_uint_field(struct json_writer *jw, const char *name, uint64_t u);

/*
 * Go's own rules, shared with the text printer.
 */
/* Go's strconv.FormatFloat(f, 'g', -1, 32 or 64) into BUF. */
void format_float_shortest(char *buf, size_t len, double f, bool is32);
/* Length of the valid UTF-8 sequence at S (at most N bytes), or 0 if it is
 * invalid: overlong, a surrogate, past U+10FFFF or cut short, as in Go. */
int utf8_valid_len(const unsigned char *s, size_t n);

#endif /* GOTRACE_JSON_WRITER_H */
