// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON writer: escaping (checked against what Go 1.19's encoding/json
 * writes for the same bytes), commas at every depth, and numbers.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "output/json_writer.h"

#define FFFD "\xef\xbf\xbd"

struct capture {
	char *buf;
	size_t len;
	FILE *out;
	struct json_writer *jw;
};

static void capture_start(struct capture *c)
{
	c->out = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out);
	c->jw = jw__new(c->out);
	assert_non_null(c->jw);
}

/* Ends the capture and checks it is exactly WANT. */
static void capture_check(struct capture *c, const char *want)
{
	jw__free(c->jw);
	assert_int_equal(fclose(c->out), 0);
	assert_string_equal(c->buf, want);
	assert_int_equal(c->len, strlen(want));
	free(c->buf);
}

/* N bytes of S as one top-level JSON string must print as WANT (plus the
 * newline that ends every top-level value). */
static void check_string(const char *s, size_t n, const char *want)
{
	struct capture c;
	char *line;

	capture_start(&c);
	jw_string(c.jw, s, n);
	assert_true(asprintf(&line, "%s\n", want) > 0);
	capture_check(&c, line);
	free(line);
}

#define CHECK(lit, want) check_string(lit, sizeof(lit) - 1, want)

static void test_control_characters(void **state)
{
	char s[1], want[16];
	int c;

	for (c = 0; c < 0x20; c++) {
		s[0] = (char)c;
		if (c == '\n' || c == '\r' || c == '\t')
			continue;
		snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		check_string(s, 1, want);
	}
	CHECK("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	/* a NUL is a byte like any other: the length says where the string ends */
	CHECK("a\0b", "\"a\\u0000b\"");
	/* DEL is not a control character to JSON */
	CHECK("\x7f", "\"\x7f\"");
	CHECK("", "\"\"");
}

static void test_quotes_and_backslash(void **state)
{
	CHECK("say \"hi\" \\ bye /", "\"say \\\"hi\\\" \\\\ bye /\"");
	CHECK("\"", "\"\\\"\"");
	CHECK("\\", "\"\\\\\"");
	/* no HTML escapes: these are logs, not web pages */
	CHECK("<a&b>", "\"<a&b>\"");
}

/* One U+FFFD per bad byte, as Go's utf8.DecodeRune steps (Go spells it
 * \ufffd; a reader gets the same string). */
static void test_invalid_utf8(void **state)
{
	/* lone continuation bytes */
	CHECK("\x80", "\"" FFFD "\"");
	CHECK("a\xbf"
	      "b",
	      "\"a" FFFD "b\"");
	/* overlong forms */
	CHECK("\xc0\xaf", "\"" FFFD FFFD "\"");
	CHECK("\xc1\xbf", "\"" FFFD FFFD "\"");
	CHECK("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");
	CHECK("\xf0\x80\x80\xaf", "\"" FFFD FFFD FFFD FFFD "\"");
	/* UTF-16 surrogates */
	CHECK("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");
	CHECK("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\"");
	/* truncated sequences, at the end and before ASCII */
	CHECK("\xe2\x82", "\"" FFFD FFFD "\"");
	CHECK("\xf0\x9f\x98", "\"" FFFD FFFD FFFD "\"");
	CHECK("\xe2\x82x", "\"" FFFD FFFD "x\"");
	/* past U+10FFFF, and bytes that never start a sequence */
	CHECK("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	CHECK("\xf5", "\"" FFFD "\"");
	CHECK("\xfe\xff", "\"" FFFD FFFD "\"");
	/* a string cut mid-character by --max-string keeps what is whole */
	check_string("h\xc3\xa9llo\xe2\x82\xac", 8, "\"h\xc3\xa9llo" FFFD FFFD "\"");
}

static void test_valid_utf8(void **state)
{
	/* é, €, U+10FFFF, an emoji, and U+FFFD itself go through as they are */
	CHECK("\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80" FFFD,
	      "\"\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80" FFFD "\"");
}

/* JavaScript ends a line at U+2028 and U+2029: a JSON line holding them raw
 * breaks line-oriented readers and pre-ES2019 parsers. */
static void test_line_separators(void **state)
{
	CHECK("\xe2\x80\xa8", "\"\\u2028\"");
	CHECK("\xe2\x80\xa9", "\"\\u2029\"");
	CHECK("a\xe2\x80\xa8"
	      "b\xe2\x80\xa9"
	      "c",
	      "\"a\\u2028b\\u2029c\"");
	/* their neighbours are ordinary characters */
	CHECK("\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\"");
	/* and their first two bytes alone are invalid */
	CHECK("\xe2\x80", "\"" FFFD FFFD "\"");
}

static void test_names_escaped(void **state)
{
	struct capture c;

	capture_start(&c);
	jw_start_object(c.jw);
	jw_name(c.jw, "a\"b\n\xe2\x80\xa8\xff");
	jw_int(c.jw, 1);
	jw_end_object(c.jw);
	capture_check(&c, "{\"a\\\"b\\n\\u2028" FFFD "\":1}\n");
}

static void test_commas_nested(void **state)
{
	struct capture c;

	capture_start(&c);
	jw_start_object(c.jw);
	jw_uint_field(c.jw, "a", 1);
	jw_name(c.jw, "b");
	jw_start_array(c.jw);
	jw_int(c.jw, 1);
	jw_start_array(c.jw);
	jw_end_array(c.jw);
	jw_start_object(c.jw);
	jw_end_object(c.jw);
	jw_start_array(c.jw);
	jw_int(c.jw, 2);
	jw_start_array(c.jw);
	jw_null(c.jw);
	jw_end_array(c.jw);
	jw_int(c.jw, 3);
	jw_end_array(c.jw);
	jw_end_array(c.jw);
	jw_name(c.jw, "c");
	jw_start_object(c.jw);
	jw_name(c.jw, "d");
	jw_null(c.jw);
	jw_name(c.jw, "e");
	jw_start_object(c.jw);
	jw_name(c.jw, "f");
	jw_bool(c.jw, true);
	jw_end_object(c.jw);
	jw_end_object(c.jw);
	jw_string_field(c.jw, "g", "x");
	jw_end_object(c.jw);
	capture_check(&c,
		      "{\"a\":1,\"b\":[1,[],{},[2,[null],3]],\"c\":{\"d\":null,\"e\":{\"f\":true}},"
		      "\"g\":\"x\"}\n");
}

/* Each top-level value is a line, and the next line starts without a comma. */
static void test_lines(void **state)
{
	struct capture c;

	capture_start(&c);
	jw_start_object(c.jw);
	jw_end_object(c.jw);
	jw_start_array(c.jw);
	jw_bool(c.jw, false);
	jw_end_array(c.jw);
	jw_start_object(c.jw);
	jw_string_field(c.jw, "event", "lost");
	jw_uint_field(c.jw, "count", 12);
	jw_end_object(c.jw);
	jw_int(c.jw, -1);
	capture_check(&c, "{}\n[false]\n{\"event\":\"lost\",\"count\":12}\n-1\n");
}

static void test_integers(void **state)
{
	struct capture c;

	capture_start(&c);
	jw_start_array(c.jw);
	jw_int(c.jw, INT64_MIN);
	jw_int(c.jw, INT64_MAX);
	jw_uint(c.jw, UINT64_MAX);
	jw_uint(c.jw, 0);
	jw_bool(c.jw, true);
	jw_bool(c.jw, false);
	jw_null(c.jw);
	jw_end_array(c.jw);
	capture_check(&c, "[-9223372036854775808,9223372036854775807,18446744073709551615,0,"
			  "true,false,null]\n");
}

static void test_floats(void **state)
{
	struct capture c;

	capture_start(&c);
	jw_start_array(c.jw);
	jw_float(c.jw, 0.1, false);
	jw_float(c.jw, 100, false);
	jw_float(c.jw, -2.5, false);
	jw_float(c.jw, -0.0, false);
	jw_float(c.jw, 1.0 / 3, false);
	jw_float(c.jw, 1e21, false);
	jw_float(c.jw, 5e-324, false);
	jw_float(c.jw, DBL_MAX, false);
	jw_end_array(c.jw);
	/* shortest means 1e+02 for 100, where Go would write 100: both read back */
	capture_check(&c, "[0.1,1e+02,-2.5,-0,0.3333333333333333,1e+21,5e-324,"
			  "1.7976931348623157e+308]\n");

	/* a float32 needs fewer digits to read back as itself */
	capture_start(&c);
	jw_start_array(c.jw);
	jw_float(c.jw, 0.1f, true);
	jw_float(c.jw, 1.0f / 3, true);
	jw_float(c.jw, FLT_MAX, true);
	jw_float(c.jw, 1e-45f, true);
	jw_float(c.jw, 0.1f, false); /* the same bits, read as a float64 */
	jw_end_array(c.jw);
	capture_check(&c, "[0.1,0.33333334,3.4028235e+38,1e-45,0.10000000149011612]\n");

	/* JSON has no NaN or infinities: strings, and the commas still right */
	capture_start(&c);
	jw_start_object(c.jw);
	jw_name(c.jw, "nan");
	jw_float(c.jw, NAN, false);
	jw_name(c.jw, "inf");
	jw_float(c.jw, INFINITY, true);
	jw_name(c.jw, "-inf");
	jw_float(c.jw, -INFINITY, false);
	jw_end_object(c.jw);
	capture_check(&c, "{\"nan\":\"NaN\",\"inf\":\"+Inf\",\"-inf\":\"-Inf\"}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_control_characters), cmocka_unit_test(test_quotes_and_backslash),
	    cmocka_unit_test(test_invalid_utf8),       cmocka_unit_test(test_valid_utf8),
	    cmocka_unit_test(test_line_separators),    cmocka_unit_test(test_names_escaped),
	    cmocka_unit_test(test_commas_nested),      cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_integers),	       cmocka_unit_test(test_floats),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
