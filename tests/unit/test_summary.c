// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * output/list.c and output/summary.c: -l's lines, and the stop and summary
 * lines, from the finished structs cmd/ hands over; no binary, no BPF.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "output/output.h"
#include "symbols/symbols.h"

/* What PRINT wrote, compared with WANT. */
#define check_printed(want, print)                                                                \
	do {                                                                                       \
		char *buf_ = NULL;                                                                 \
		size_t len_ = 0;                                                                   \
		FILE *out_ = open_memstream(&buf_, &len_);                                         \
		assert_non_null(out_);                                                             \
		print;                                                                             \
		fclose(out_);                                                                      \
		assert_string_equal(buf_, want);                                                   \
		free(buf_);                                                                        \
	} while (0)

static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8};
static struct go_type t_err = {.kind = GO_INTERFACE, .name = "error", .size = 16};

static void test_listed(void **state)
{
	struct go_param ps[] = {{"a", &t_int, false}, {"s", NULL, false}, {"~r0", &t_int, true},
				{"~r1", &t_err, true}};
	struct go_func f = {.name = "main.f", .params = ps, .n_params = 4, .has_dwarf = true};
	struct listed_func l = {.func = &f};

	check_printed("main.f(a int, s ?) (int, error)\n", output_listed(out_, false, &l));
	check_printed("{\"func\":\"main.f\",\"abi\":\"register\",\"params\":[{\"name\":\"a\","
		      "\"type\":\"int\"},{\"name\":\"s\",\"type\":\"?\"}],\"results\":[{\"name\":"
		      "\"~r0\",\"type\":\"int\"},{\"name\":\"~r1\",\"type\":\"error\"}]}\n",
		      output_listed(out_, true, &l));
	l.from = LIST_FROM_DEBUG_FILE;
	l.results_unknown = true;
	f.n_params = 1;
	check_printed("main.f(a int) [results unknown: this Go's DWARF lists none] "
		      "[from --debug-file]\n",
		      output_listed(out_, false, &l));
	check_printed("{\"func\":\"main.f\",\"abi\":\"register\",\"params\":[{\"name\":\"a\","
		      "\"type\":\"int\"}],\"results\":null,\"unknown\":\"results: this Go's "
		      "DWARF lists none\",\"from\":\"debug-file\"}\n",
		      output_listed(out_, true, &l));
	l = (struct listed_func){.func = &f, .unknown = LIST_UNKNOWN_ASSEMBLY, .stack_abi = true};
	check_printed("main.f(?) [assembly, stack ABI (ABI0), no DWARF: give its signature in a "
		      "functions file (-f)]\n",
		      output_listed(out_, false, &l));
	check_printed("{\"func\":\"main.f\",\"abi\":\"stack\",\"params\":null,\"results\":null,"
		      "\"unknown\":\"assembly, stack ABI (ABI0), no DWARF: give its signature in "
		      "a functions file (-f)\"}\n",
		      output_listed(out_, true, &l));
}

static void test_stop(void **state)
{
	struct stop stop = {.reason = STOP_MAX_EVENTS, .events = 1};

	check_printed("stopped: 1 event printed (-n)", output_stop(out_, &stop, 0, NULL));
	stop = (struct stop){.reason = STOP_DURATION};
	check_printed("stopped: 2.5 seconds passed (-d)", output_stop(out_, &stop, 2.5, NULL));
	stop = (struct stop){.reason = STOP_WRITE_ERROR, .err = -ENOSPC};
	check_printed("stopped: writing events to out.json: No space left on device",
		      output_stop(out_, &stop, 0, "out.json"));
	stop = (struct stop){.reason = STOP_COMMAND_EXITED, .pid = 42, .status = 3 << 8};
	check_printed("stopped: the command (pid 42) exited with status 3",
		      output_stop(out_, &stop, 0, NULL));
	stop = (struct stop){.reason = STOP_NONE};
	check_printed("", output_stop(out_, &stop, 0, NULL));
}

static void test_summary(void **state)
{
	struct summary_func funcs[10] = {{"main.b", 2}, {"main.a", 5}, {"main.c", 2}};
	struct summary_filtered filtered[] = {{"main.a", 5, 7000}, {"main.b", 0, 3}};
	struct summary_line sum = {.funcs = funcs, .n_funcs = 3};
	int i;

	check_printed("9 calls: main.a 5, main.b 2, main.c 2; 0 events lost; 0 frames evicted",
		      assert_int_equal(output_summary(out_, &sum), 0));
	/* the caller's order is left as given */
	assert_string_equal(funcs[0].name, "main.b");
	sum.lost = 3;
	sum.evicted = 1;
	sum.filtered = filtered;
	sum.n_filtered = 2;
	sum.n_funcs = 1;
	check_printed("2 calls: main.b 2; 3 events lost (the ring buffer was full: --buffer-size)"
		      "; 1 frames evicted (calls that never returned: unwound by a panic)"
		      "; filters passed 5 of 7003 calls (main.a 5 of 7000, main.b 0 of 3)",
		      output_summary(out_, &sum));
	for (i = 0; i < 10; i++)
		funcs[i] = (struct summary_func){"main.f", 1};
	sum = (struct summary_line){.funcs = funcs, .n_funcs = 10};
	check_printed("10 calls: main.f 1, main.f 1, main.f 1, main.f 1, main.f 1, main.f 1, "
		      "main.f 1, main.f 1, and 2 more functions 2; 0 events lost; 0 frames "
		      "evicted",
		      output_summary(out_, &sum));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listed),
	    cmocka_unit_test(test_stop),
	    cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
