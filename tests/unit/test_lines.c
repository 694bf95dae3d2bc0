// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * symbols/lines.c: PCs to files, lines and inlined calls through the
 * pclntab, against the sources of the testdata programs; and --stats'
 * percentiles and histogram slots (output/stats.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "output/output.h"
#include "symbols/symbols.h"
#include "testdata.h"

/* Line LINE of FILE, or "" */
static const char *source_line(const char *file, int line)
{
	static char buf[512];
	FILE *f = fopen(file, "r");
	int n = 0;

	buf[0] = 0;
	while (f && fgets(buf, sizeof(buf), f))
		if (++n == line)
			break;
	if (f)
		fclose(f);
	return n == line ? buf : "";
}

/* main.outer's call of leaf was inlined from main.inlined: at that CALL,
 * two frames, the inlined one first, each at its own line. */
static void test_inlined_frames(void **state)
{
	struct gobin *bin = open_testdata("stacks");
	const struct go_func *outer = find_or_fail(bin, "main.outer");
	struct go_lines *lines;
	struct go_frame frames[8];
	uint64_t pc;
	int err, n, found = 0;

	lines = go_lines__new(bin, &err);
	assert_non_null(lines);
	for (pc = outer->low_pc; pc < outer->high_pc; pc++) {
		n = go_lines__frames(lines, pc, frames, 8);
		assert_true(n >= 1);
		assert_string_equal(frames[n - 1].func, "main.outer");
		assert_int_equal(frames[n - 1].entry, outer->low_pc);
		if (n != 2)
			continue;
		found++;
		assert_string_equal(frames[0].func, "main.inlined");
		assert_true(frames[0].inlined && !frames[1].inlined);
		assert_non_null(
		    strstr(source_line(frames[0].file, frames[0].line), "return leaf(x + 1)"));
		assert_non_null(
		    strstr(source_line(frames[1].file, frames[1].line), "return inlined(x) + 2"));
	}
	assert_true(found > 0);
	/* the entry: the function's own line, no inlined frame */
	n = go_lines__frames(lines, outer->low_pc, frames, 8);
	assert_int_equal(n, 1);
	assert_non_null(strstr(source_line(frames[0].file, frames[0].line), "func outer("));
	/* no Go function there */
	assert_int_equal(go_lines__frames(lines, 1, frames, 8), 0);
	go_lines__free(lines);
	gobin__free(bin);
}

/* Each pclntab layout: main.Bools' entry is the line of "func Bools(". */
static void test_versions(void **state)
{
	static const char *const versions[] = {"1.19", "1.21", "1.24", "1.26", "1.27"};
	struct go_frame frame;
	size_t i;
	int err;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		struct gobin *bin = open_oracle(versions[i]);
		const struct go_func *f = find_or_fail(bin, "main.Bools");
		struct go_lines *lines = go_lines__new(bin, &err);

		assert_non_null(lines);
		assert_int_equal(go_lines__frames(lines, f->low_pc, &frame, 1), 1);
		assert_string_equal(frame.func, "main.Bools");
		assert_non_null(frame.file);
		if (!strstr(source_line(frame.file, frame.line), "func Bools("))
			fail_msg("go%s: %s:%d", versions[i], frame.file, frame.line);
		go_lines__free(lines);
		gobin__free(bin);
	}
}

static void test_percentiles(void **state)
{
	struct gt_stats st = {0};
	uint64_t lo, hi;

	stats_slot_range(0, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
	stats_slot_range(10, &lo, &hi);
	assert_true(lo == 1024 && hi == 2047);
	assert_int_equal(stats_percentile(&st, 0.5), 0);
	/* 90 calls in [1024, 2047], 10 in [8192, 16383] */
	st.count = 100;
	st.hist[10] = 90;
	st.hist[13] = 10;
	st.min_ns = 1100;
	st.max_ns = 9000;
	lo = stats_percentile(&st, 0.5);
	assert_true(lo >= 1100 && lo <= 2047);
	assert_true(stats_percentile(&st, 0.9) <= 2047);
	lo = stats_percentile(&st, 0.99);
	assert_true(lo >= 8192 && lo <= 9000); /* within [slot, max] */
	assert_int_equal(stats_percentile(&st, 1.0), 9000);
}

static void test_merge(void **state)
{
	struct gt_stats a = {0}, b = {0}, none = {0};

	a.count = 2, a.errors = 1, a.min_ns = 50, a.max_ns = 70, a.hist[5] = 1, a.hist[6] = 1;
	b.count = 1, b.min_ns = 20, b.max_ns = 20, b.hist[4] = 1;
	stats_merge(&a, &none);
	stats_merge(&a, &b);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.errors, 1);
	assert_int_equal(a.min_ns, 20);
	assert_int_equal(a.max_ns, 70);
	assert_int_equal(a.hist[4] + a.hist[5] + a.hist[6], 3);
	stats_merge(&none, &b);
	assert_int_equal(none.min_ns, 20); /* an empty one takes the other's min */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inlined_frames),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_percentiles),
	    cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
