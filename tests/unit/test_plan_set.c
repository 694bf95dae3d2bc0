// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The plan set, offline: what cmd/ once computed in its own files, now
 * decided in plan/ before anything is loaded: the pairing of entry and
 * return plans, the returns a filter implies, the split of a filter between
 * call and return, the --stats cut, the event budget, and the probe sites.
 * On testdata/returns, built by Debian's Go (the register ABI).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan/plan_set.h"
#include "plan/types.h"
#include "symbols/symbols.h"
#include "tests/unit/testdata.h"

static char reported[8][512];
static int n_reported;

static void record_report(const char *fmt, ...)
{
	va_list ap;

	if (n_reported >= 8)
		return;
	va_start(ap, fmt);
	vsnprintf(reported[n_reported++], sizeof(reported[0]), fmt, ap);
	va_end(ap);
}

static bool was_reported(const char *needle)
{
	int i;

	for (i = 0; i < n_reported; i++)
		if (strstr(reported[i], needle))
			return true;
	return false;
}

struct fixture {
	struct gobin *bin;
	struct func_specs specs;
	int matches[4];
	struct plan_set_opts opts;
	struct plan_set *ps;
};

/* NAMES traced, with FILTER for each; the options as the CLI's defaults. */
static struct fixture *fixture(const char *filter, int n, ...)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	va_list ap;
	int i, k;

	assert_non_null(fx);
	fx->bin = open_testdata("returns");
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const struct go_func *f = find_or_fail(fx->bin, va_arg(ap, const char *));

		for (k = 0; k < gobin__func_count(fx->bin); k++)
			if (gobin__func(fx->bin, k) == f)
				fx->matches[i] = k;
	}
	va_end(ap);
	fx->opts = (struct plan_set_opts){
	    .bin = fx->bin,
	    .path = "returns",
	    .matches = fx->matches,
	    .n_matches = n,
	    .specs = &fx->specs,
	    .filter = filter,
	    .signals = true,
	    .max_depth = 6,
	    .max_string = 64,
	    .max_elems = 64,
	    .report = record_report,
	};
	n_reported = 0;
	return fx;
}

static void build(struct fixture *fx, int want_err)
{
	assert_int_equal(plan_set__new(&fx->opts, &fx->ps), want_err);
}

static void fixture_free(struct fixture *fx)
{
	plan_set__free(fx->ps);
	func_specs__free(&fx->specs);
	gobin__free(fx->bin);
	free(fx);
}

/* With returns, function i has plans 2i and 2i+1, each naming the other;
 * the return plan carries its entry's id for the BPF side's pairing. */
static void test_pairing(void **state)
{
	struct fixture *fx = fixture(NULL, 2, "main.Work", "main.Fib");
	int fi;

	fx->opts.returns = true;
	build(fx, 0);
	assert_true(fx->ps->returns);
	assert_int_equal(fx->ps->n_funcs, 2);
	assert_int_equal(fx->ps->n_plans, 4);
	for (fi = 0; fi < 2; fi++) {
		const struct traced *entry = &fx->ps->plans[plan_set__entry_id(fx->ps, fi)];
		const struct traced *ret = &fx->ps->plans[plan_set__return_id(fx->ps, fi)];

		assert_int_equal(plan_set__entry_id(fx->ps, fi), 2 * fi);
		assert_int_equal(plan_set__return_id(fx->ps, fi), 2 * fi + 1);
		assert_int_equal(entry->kind, PLAN_ENTRY);
		assert_int_equal(ret->kind, PLAN_RETURN);
		assert_int_equal(entry->pair, 2 * fi + 1);
		assert_int_equal(ret->pair, 2 * fi);
		assert_int_equal(ret->plan->bpf.pair_id, 2 * fi);
		assert_true(entry->plan->bpf.flags & GT_PLAN_PAIR);
		assert_true(ret->plan->bpf.flags & GT_PLAN_RETURN);
		assert_ptr_equal(entry->func->low_pc, ret->func->low_pc);
		/* one entry site, and at least one RET */
		assert_int_equal(entry->n_probes, 1);
		assert_true(ret->n_probes >= 1);
		assert_true(entry->probes[0] >= entry->func->low_pc);
		assert_true(entry->probes[0] < entry->func->high_pc);
		assert_true(ret->probes[0] > entry->probes[0]);
		assert_true(ret->probes[0] < entry->func->high_pc);
	}
	assert_string_equal(fx->ps->plans[0].func->name, "main.Work");
	fixture_free(fx);
}

/* Without returns, one plan per function, paired with none. */
static void test_entries_only(void **state)
{
	struct fixture *fx = fixture(NULL, 2, "main.Work", "main.Fib");

	build(fx, 0);
	assert_false(fx->ps->returns);
	assert_int_equal(fx->ps->n_plans, 2);
	assert_int_equal(plan_set__return_id(fx->ps, 1), -1);
	assert_int_equal(plan_set__entry_id(fx->ps, 1), 1);
	assert_int_equal(fx->ps->plans[1].pair, -1);
	assert_false(fx->ps->plans[1].plan->bpf.flags & (GT_PLAN_PAIR | GT_PLAN_RETURN));
	assert_string_equal(fx->ps->plans[1].func->name, "main.Fib");
	fixture_free(fx);
}

/* A filter that names a result implies returns, and is split: the call
 * half on the entry plan, the result half on the return plan, which holds
 * the call until then. */
static void test_filter_split_implies_returns(void **state)
{
	struct fixture *fx = fixture("id > 2 && ~r0 > 5", 1, "main.Work");

	build(fx, 0);
	assert_true(fx->ps->returns);
	assert_int_equal(fx->ps->n_plans, 2);
	assert_non_null(fx->ps->plans[0].filter);
	assert_non_null(fx->ps->plans[1].filter);
	assert_true(fx->ps->plans[0].filter->n_ops > 0);
	assert_true(fx->ps->plans[1].filter->n_ops > 0);
	assert_true(fx->ps->plans[0].filter->flags & GT_FILTER_HOLD);
	assert_true(fx->ps->plans[1].filter->flags & GT_FILTER_NEED_CALL);
	assert_true(fx->ps->any_held);
	/* a held call is copied whole into the `held` map */
	assert_int_equal(fx->ps->event_budget, GT_HELD_DATA);
	fixture_free(fx);
}

/* A filter on arguments alone stays at the call: nothing is held. */
static void test_filter_at_call_only(void **state)
{
	struct fixture *fx = fixture("id > 2", 1, "main.Work");

	build(fx, 0);
	assert_false(fx->ps->returns);
	assert_non_null(fx->ps->plans[0].filter);
	assert_false(fx->ps->plans[0].filter->flags & GT_FILTER_HOLD);
	assert_false(fx->ps->any_held);
	assert_int_equal(fx->ps->event_budget, 0);
	fixture_free(fx);
}

/* A filter naming a parameter the function lacks fails, with its column. */
static void test_filter_error(void **state)
{
	struct fixture *fx = fixture("nosuch > 2", 1, "main.Work");

	build(fx, -EINVAL);
	assert_null(fx->ps);
	assert_true(was_reported("--filter: 1:1:"));
	assert_true(was_reported("nosuch"));
	assert_true(was_reported("\n  nosuch > 2\n  ^"));
	fixture_free(fx);
}

/* --stats: the entry keeps no ops; the return keeps only the error
 * result's word, or nothing when there is none. */
static void test_stats_cut(void **state)
{
	struct fixture *fx = fixture(NULL, 2, "main.Recovered", "main.Fib");

	fx->opts.returns = fx->opts.stats = true;
	build(fx, 0);
	assert_int_equal(fx->ps->plans[0].plan->bpf.n_ops, 0);
	assert_int_equal(fx->ps->plans[1].plan->bpf.n_ops, 1);
	assert_true(fx->ps->plans[1].plan->bpf.flags & GT_PLAN_ERR_RESULT);
	assert_int_equal(fx->ps->plans[1].plan->bpf.ops[0].type, 0);
	assert_int_equal(fx->ps->plans[2].plan->bpf.n_ops, 0);
	assert_int_equal(fx->ps->plans[3].plan->bpf.n_ops, 0);
	assert_false(fx->ps->plans[3].plan->bpf.flags & GT_PLAN_ERR_RESULT);
	/* no plan reads an X register any more: no signal frames */
	assert_false(fx->ps->reads_x);
	assert_false(fx->ps->use_signals);
	fixture_free(fx);
}

/* --max-event below what the arguments take before any pointer is
 * followed is raised to it, and said. */
static void test_budget_raised(void **state)
{
	struct fixture *fx = fixture(NULL, 1, "main.Work");

	fx->opts.event_budget = 1;
	build(fx, 0);
	assert_true(fx->ps->event_budget > 1);
	assert_true(was_reported("--max-event 1 raised to"));
	assert_true(was_reported("the arguments of main.Work"));
	fixture_free(fx);
}

/* --min-duration holds every call; a budget above the held copy is
 * lowered to it, and said. */
static void test_budget_lowered_by_min_duration(void **state)
{
	struct fixture *fx = fixture(NULL, 1, "main.Work");

	fx->opts.returns = true;
	fx->opts.min_duration_ns = 1000;
	fx->opts.event_budget = GT_DATA_MAX;
	build(fx, 0);
	assert_true(fx->ps->plans[1].filter->flags & GT_FILTER_HOLD);
	assert_int_equal(fx->ps->plans[1].filter->min_duration_ns, 1000);
	assert_int_equal(fx->ps->event_budget, GT_HELD_DATA);
	assert_true(was_reported("lowered to"));
	fixture_free(fx);
}

/* Floats in X registers: signal frames, with the entry's step, unless
 * they are not allowed. */
static void test_signal_frames(void **state)
{
	struct fixture *fx = fixture(NULL, 1, "main.Blend");

	build(fx, 0);
	assert_true(fx->ps->reads_x);
	assert_true(fx->ps->use_signals);
	assert_true(fx->ps->n_sigtramps >= 1);
	assert_true(fx->ps->plans[0].plan->bpf.xmm_step > 0);
	plan_set__free(fx->ps);
	fx->ps = NULL;

	fx->opts.signals = false;
	build(fx, 0);
	assert_true(fx->ps->reads_x);
	assert_false(fx->ps->use_signals);
	assert_int_equal(fx->ps->n_sigtramps, 0);
	assert_int_equal(fx->ps->plans[0].plan->bpf.xmm_step, 0);
	fixture_free(fx);
}

/* The set knows the file it analysed. */
static void test_identity(void **state)
{
	struct fixture *fx = fixture(NULL, 1, "main.Work");
	char path[4096];
	const char *dir = getenv("GOTRACE_TESTDATA");

	snprintf(path, sizeof(path), "%s/returns", dir ? dir : "build/testdata");
	fx->opts.path = path;
	build(fx, 0);
	assert_true(fx->ps->ino != 0);
	assert_true(strlen(fx->ps->build_id) > 0);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pairing),
	    cmocka_unit_test(test_entries_only),
	    cmocka_unit_test(test_filter_split_implies_returns),
	    cmocka_unit_test(test_filter_at_call_only),
	    cmocka_unit_test(test_filter_error),
	    cmocka_unit_test(test_stats_cut),
	    cmocka_unit_test(test_budget_raised),
	    cmocka_unit_test(test_budget_lowered_by_min_duration),
	    cmocka_unit_test(test_signal_frames),
	    cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
