// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gobin__open_lazy: a function's DWARF is read only when gobin__load_dwarf
 * asks for it, its package's compilation units alone, and then it is what
 * gobin__open reads for it, on every Go version of the matrix (generic
 * instantiations, whose DIEs are in other packages' units, included), on
 * assembly and on cgo.
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
#include "symbols/internal.h"
#include "tests/unit/testdata.h"

static struct gobin *open_lazy(const char *name)
{
	const char *dir = getenv("GOTRACE_TESTDATA");
	char path[4096], errbuf[256] = "";
	struct gobin *bin;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/testdata", name);
	bin = gobin__open_lazy(path, errbuf, sizeof(errbuf), &err);
	if (!bin)
		fail_msg("%s: %s (run `make testdata`)", path, errbuf);
	return bin;
}

static void same_type(const char *where, const struct go_type *a, const struct go_type *b)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: a type on one side only", where);
		return;
	}
	if (strcmp(a->name, b->name) || a->kind != b->kind || a->size != b->size ||
	    a->align != b->align || a->n_fields != b->n_fields)
		fail_msg("%s: %s (%d, %llu bytes) is %s (%d, %llu bytes) when eager", where,
			 a->name, a->kind, (unsigned long long)a->size, b->name, b->kind,
			 (unsigned long long)b->size);
}

/* LAZY's function F, once read, against EAGER's of the same name. */
static void same_func(const struct go_func *f, const struct go_func *e)
{
	int i;

	if (f->has_dwarf != e->has_dwarf || f->is_wrapper != e->is_wrapper || f->abi != e->abi ||
	    f->n_params != e->n_params || f->has_dict != e->has_dict ||
	    (f->has_dict && f->dict_index != e->dict_index))
		fail_msg("%s: dwarf %d/%d wrapper %d/%d abi %d/%d params %d/%d dict %d/%d", f->name,
			 f->has_dwarf, e->has_dwarf, f->is_wrapper, e->is_wrapper, f->abi, e->abi,
			 f->n_params, e->n_params, f->has_dict, e->has_dict);
	for (i = 0; i < f->n_params; i++) {
		if (strcmp(f->params[i].name, e->params[i].name) ||
		    f->params[i].is_result != e->params[i].is_result)
			fail_msg("%s: parameter %d is %s, %s when eager", f->name, i,
				 f->params[i].name, e->params[i].name);
		same_type(f->name, f->params[i].type, e->params[i].type);
	}
}

/* The functions of the package PKG (LEN bytes), into FUNCS. */
static int package_funcs(const struct gobin *bin, const char *pkg, size_t len, int *funcs)
{
	int n = 0, i;

	for (i = 0; i < gobin__func_count(bin); i++) {
		const char *name = gobin__func(bin, i)->name;

		if (go_name_package_len(name) == len && !strncmp(name, pkg, len))
			funcs[n++] = i;
	}
	return n;
}

/*
 * Package by package, main first, then every other function with its
 * package (or alone): after main's, no runtime function has been read (no
 * walk over every unit was needed), and every function read is as
 * gobin__open has it.
 */
static void check_binary(const char *name)
{
	struct gobin *eager = open_testdata(name), *lazy = open_lazy(name);
	int n = gobin__func_count(lazy), i, j, k;
	int *funcs = calloc(n, sizeof(*funcs));

	assert_non_null(funcs);
	assert_int_equal(n, gobin__func_count(eager));
	for (i = 0; i < n; i++) {
		const struct go_func *f = gobin__func(lazy, i);

		assert_false(f->dwarf_read);
		assert_false(f->has_dwarf);
		assert_int_equal(f->n_params, 0);
	}
	k = package_funcs(lazy, "main", 4, funcs);
	assert_true(k > 0);
	assert_int_equal(gobin__load_dwarf(lazy, funcs, k), 0);
	for (j = 0; j < k; j++)
		same_func(gobin__func(lazy, funcs[j]), gobin__func(eager, funcs[j]));
	/* main's units hold main's functions and the type..eq ones of its
	 * types, never the runtime's: no walk over every unit happened */
	for (i = 0; i < n; i++) {
		const struct go_func *f = gobin__func(lazy, i);

		if (!strncmp(f->name, "runtime.", 8) && f->dwarf_read)
			fail_msg("%s: reading main's DWARF read %s's too", name, f->name);
	}
	for (i = 0; i < n; i++) {
		const char *fname = gobin__func(lazy, i)->name;
		size_t len = go_name_package_len(fname);

		k = len ? package_funcs(lazy, fname, len, funcs) : 0;
		if (!k)
			funcs[k++] = i;
		assert_int_equal(gobin__load_dwarf(lazy, funcs, k), 0);
		for (j = 0; j < k; j++)
			same_func(gobin__func(lazy, funcs[j]), gobin__func(eager, funcs[j]));
	}
	free(funcs);
	gobin__free(lazy);
	gobin__free(eager);
}

static void test_one_package_only(void **state)
{
	struct gobin *bin = open_lazy("symtest");
	const struct go_func *f = find_or_fail(bin, "main.(*Server).Handle");
	const struct go_func *other = find_or_fail(bin, "fmt.Fprintln");
	int i = f - gobin__func(bin, 0);

	assert_int_equal(gobin__load_dwarf(bin, &i, 1), 0);
	assert_true(f->dwarf_read && f->has_dwarf);
	assert_int_equal(f->n_params, 4); /* s, path, code, ~r0 */
	check_param(&f->params[1], "path", GO_STRING, "string", 16, false);
	/* main's units were read, not fmt's */
	assert_false(other->dwarf_read);
	assert_int_equal(other->n_params, 0);
	/* runtime.g is known without reading the runtime's functions */
	assert_true(gobin__g_goid_offset(bin) > 0);
	assert_false(find_or_fail(bin, "runtime.newproc")->dwarf_read);
	gobin__free(bin);
}

static void test_package_names(void **state)
{
	assert_int_equal(go_name_package_len("main.F0001"), 4);
	assert_int_equal(go_name_package_len("net/http.(*conn).serve"), 8);
	assert_int_equal(go_name_package_len("net/http.(*conn).serve.func1"), 8);
	assert_int_equal(
	    go_name_package_len("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write"),
	    strlen("vendor/golang.org/x/net/http2/hpack"));
	assert_int_equal(go_name_package_len("gopkg.in/yaml%2ev3.Unmarshal"),
			 strlen("gopkg.in/yaml%2ev3"));
	/* type arguments may hold paths and dots of their own */
	assert_int_equal(go_name_package_len("main.Map[net/http.Header]"), 4);
	assert_int_equal(go_name_package_len("main.(*Box[go.shape.*uint8]).Put"), 4);
	assert_int_equal(go_name_package_len("noDot"), 0);
}

static void test_symtest(void **state)
{
	check_binary("symtest");
}

static void test_asm(void **state)
{
	check_binary("asm");
}

static void test_cgo(void **state)
{
	check_binary("cgo");
}

static void test_go115(void **state)
{
	check_binary("go1.15/oracle");
}

static void test_go121(void **state)
{
	check_binary("go1.21/oracle");
}

static void test_go127(void **state)
{
	check_binary("go1.27/oracle");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_package_only),
	    cmocka_unit_test(test_package_names),
	    cmocka_unit_test(test_symtest),
	    cmocka_unit_test(test_asm),
	    cmocka_unit_test(test_cgo),
	    cmocka_unit_test(test_go115),
	    cmocka_unit_test(test_go121),
	    cmocka_unit_test(test_go127),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
