// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * symbols/ on the oracle as every Go version of the matrix builds it (make
 * testdata): the runtime layouts used without DWARF or symbols, wrappers'
 * receivers, results, Go 1.15's kinds, and generics.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "symbols/internal.h"
#include "tests/unit/testdata.h"

/* The oracle as each Go version of the matrix builds it (make testdata). */
static const char *const oracle_versions[] = {"1.15", "1.19", "1.21", "1.22", "1.27"};

/* A value method called through an interface holding a *Sig runs the
 * compiler's (*Sig).Match wrapper, whose receiver is a *Sig: Go 1.15 to
 * 1.21 leave it out of the wrapper's DWARF. A method value's wrapper
 * (-fm) takes no receiver. */
static void test_pointer_wrapper_receiver(void **state)
{
	const struct go_func *f;
	size_t i;

	for (i = 0; i < sizeof(oracle_versions) / sizeof(oracle_versions[0]); i++) {
		struct gobin *bin = open_oracle(oracle_versions[i]);

		f = must_find_in(bin, "main.(*Sig).Match");
		assert_true(f->is_wrapper);
		assert_int_equal(f->n_params, 4);
		check_param(&f->params[0], "s", GO_POINTER, "*main.Sig", 8, false);
		assert_string_equal(f->params[0].type->elem->name, "main.Sig");
		check_param(&f->params[1], "data", GO_SLICE, "[]uint8", 24, false);
		check_param(&f->params[2], "n", GO_INT, "int", 8, false);
		check_param(&f->params[3], "~r0", GO_STRING, "string", 16, true);
		assert_false(must_find_in(bin, "main.Sig.Match")->is_wrapper);

		f = must_find_in(bin, "flag.(*FlagSet).defaultUsage-fm");
		assert_true(f->is_wrapper);
		assert_int_equal(f->n_params, 0);
		gobin__free(bin);
	}
}

/* Each result once, whatever DWARF repeats (Get2 has a defer), and unnamed
 * ones named by their position among the results on every version (Go 1.15
 * calls Pair's "~r2", "~r3"). */
static void test_results_once_by_position(void **state)
{
	const struct go_func *f;
	size_t i;

	for (i = 0; i < sizeof(oracle_versions) / sizeof(oracle_versions[0]); i++) {
		struct gobin *bin = open_oracle(oracle_versions[i]);

		f = must_find_in(bin, "main.Get2");
		assert_int_equal(f->n_params, 3);
		check_param(&f->params[0], "k", GO_STRING, "string", 16, false);
		check_param(&f->params[1], "~r0", GO_STRING, "string", 16, true);
		check_param(&f->params[2], "~r1", GO_INTERFACE, "error", 16, true);

		f = must_find_in(bin, "main.Pair");
		assert_int_equal(f->n_params, 4);
		check_param(&f->params[2], "~r0", GO_INT8, "int8", 1, true);
		check_param(&f->params[3], "~r1", GO_STRING, "string", 16, true);

		f = must_find_in(bin, "main.Div");
		assert_int_equal(f->n_params, 4);
		check_param(&f->params[2], "q", GO_INT, "int", 8, true);
		check_param(&f->params[3], "r", GO_INT, "int", 8, true);
		gobin__free(bin);
	}
}

/* Go 1.15's linker gives the pointer types it makes itself kind 0. */
static void test_go115_pointer_kind(void **state)
{
	struct gobin *bin = open_oracle("1.15");
	const struct go_type *t = gobin__find_type(bin, "*int");

	assert_non_null(t);
	assert_int_equal(t->kind, GO_POINTER);
	assert_int_equal(t->size, 8);
	assert_non_null(t->elem);
	assert_int_equal(t->elem->kind, GO_INT);
	gobin__free(bin);
}

/* The oracle's generics as each front end passes the dictionary, and Go
 * 1.27's DWARF, which lists it as ".dict": never a parameter shown. */
static void expect_generics(const char *binary, const char *shape, int method_dict)
{
	struct gobin *bin = open_testdata(binary);
	bool suffixed = strstr(shape, "_0") != NULL; /* shapes numbered: Go 1.19 */
	const struct go_func *f;
	char name[128];

	snprintf(name, sizeof(name), "main.Sum[go.shape.%s]", shape);
	f = find_or_fail(bin, name);
	assert_true(f->has_dwarf);
	assert_true(f->has_dict);
	assert_int_equal(f->dict_index, 0);
	assert_int_equal(f->n_params, 3);
	assert_string_equal(f->params[0].name, "xs");
	assert_string_equal(f->params[0].type->name, "[]int");
	assert_string_equal(f->params[1].name, "k");

	snprintf(name, sizeof(name), "main.(*Gen[go.shape.%s]).Get", shape);
	f = find_or_fail(bin, name);
	assert_true(f->has_dict);
	assert_int_equal(f->dict_index, method_dict);
	assert_int_equal(f->n_params, 3);
	assert_string_equal(f->params[0].name, "g");
	assert_string_equal(f->params[0].type->name, "*main.Gen[int]");
	assert_string_equal(f->params[1].name, "k");
	assert_true(f->params[2].is_result);

	/* a map, a slice of generic structs, a chan: the shapes' key and elem
	 * are the types they stand for, named as the source names them (the
	 * "_1" of go.shape.[]string_1 ends past its brackets) */
	snprintf(name, sizeof(name), "main.MapValues[go.shape.%s,go.shape.[]string%s]", shape,
		 suffixed ? "_1" : "");
	f = find_or_fail(bin, name);
	assert_int_equal(f->params[0].type->kind, GO_MAP);
	assert_string_equal(f->params[0].type->name, "map[int][]string");
	assert_non_null(f->params[0].type->key);
	assert_non_null(f->params[0].type->elem);
	assert_string_equal(f->params[1].type->name, "[]main.Entry[int,[]string]");
	snprintf(name, sizeof(name), "main.MapValues[go.shape.string%s,go.shape.interface {}%s]",
		 suffixed ? "_0" : "", suffixed ? "_1" : "");
	f = find_or_fail(bin, name);
	assert_string_equal(f->params[0].type->name, "map[string]interface {}");
	snprintf(name, sizeof(name), "main.Drain[go.shape.string%s]", suffixed ? "_0" : "");
	f = find_or_fail(bin, name);
	assert_int_equal(f->params[0].type->kind, GO_CHAN);
	assert_string_equal(f->params[0].type->name, "chan string");
	assert_non_null(f->params[0].type->elem);
	/* a pointer shape: its pointee is the dictionary's, not uint8 */
	snprintf(name, sizeof(name), "main.Keep[go.shape.*uint8%s]", suffixed ? "_0" : "");
	f = find_or_fail(bin, name);
	assert_int_equal(f->params[0].type->kind, GO_POINTER);
	assert_null(f->params[0].type->elem);

	assert_false(find_or_fail(bin, "main.callGenerics")->has_dict);
	gobin__free(bin);
}

static void test_generics_by_version(void **state)
{
	expect_generics("go1.19/oracle", "int_0", 0);
	expect_generics("go1.21/oracle", "int", 1);
	expect_generics("go1.24/oracle", "int", 1);
	expect_generics("go1.27/oracle", "int", 1);
}

/* Go 1.19's pclntab calls both instantiations of Sum "main.Sum[...]": a
 * stripped build keeps both, and takes their names from the unstripped. */
static void test_stripped_generic_names(void **state)
{
	struct gobin *stripped = open_testdata("oracle-stripped");
	struct gobin *debug = open_testdata("oracle");
	const struct go_func *f;
	int i, elided = 0, n;

	n = gobin__func_count(stripped);
	for (i = 0; i < n; i++)
		elided += !strcmp(gobin__func(stripped, i)->name, "main.Sum[...]");
	assert_int_equal(elided, 2);
	assert_int_equal(gobin__names_from(stripped, debug), 0);
	assert_null(gobin__find_func(stripped, "main.Sum[...]"));
	assert_null(gobin__find_func(stripped, "main.(*Gen[...]).Get"));
	for (i = 1; i < gobin__func_count(stripped); i++)
		assert_true(strcmp(gobin__func(stripped, i - 1)->name,
				   gobin__func(stripped, i)->name) <= 0);
	f = find_or_fail(stripped, "main.Sum[go.shape.int_0]");
	assert_int_equal(f->low_pc, find_or_fail(debug, "main.Sum[go.shape.int_0]")->low_pc);
	assert_true(f->has_dict);
	f = find_or_fail(stripped, "main.(*Gen[go.shape.string_0]).Get");
	assert_int_equal(f->low_pc,
			 find_or_fail(debug, "main.(*Gen[go.shape.string_0]).Get")->low_pc);
	assert_true(f->has_dict);
	assert_int_equal(f->dict_index, 0);
	assert_int_equal(gobin__func_count(stripped), n);
	gobin__free(debug);
	gobin__free(stripped);
}

static uint64_t section_addr(const struct gobin *bin, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t shstrndx;

	if (elf_getshdrstrndx(bin->elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(bin->elf, scn)))
		if (gelf_getshdr(scn, &shdr) &&
		    !strcmp(elf_strptr(bin->elf, shstrndx, shdr.sh_name), name))
			return shdr.sh_addr;
	return 0;
}

/*
 * The layouts used without DWARF or symbols (goruntime.c, moduledata.c)
 * against the binaries built by each Go version at hand (the Makefile's
 * matrix, and any other go1.X/oracle put beside it): runtime.g's offsets
 * against DWARF, and the module data's text and types against the .text
 * section (these builds are linked internally) and the runtime.types symbol.
 */
static void test_runtime_layouts_by_version(void **state)
{
	static const int matrix[] = {15, 19, 21, 22, 23, 24, 26, 27};
	int minor, i, checked = 0;

	for (minor = 15; minor <= 27; minor++) {
		int64_t goid, stack_hi;
		int got_major, got_minor;
		struct gobin *bin;
		char name[64];
		bool in_matrix = false;

		snprintf(name, sizeof(name), "go1.%d/oracle", minor);
		for (i = 0; i < (int)(sizeof(matrix) / sizeof(matrix[0])); i++)
			in_matrix |= matrix[i] == minor;
		if (!in_matrix)
			continue;
		bin = open_testdata(name);
		assert_true(gobin__go_version_number(bin, &got_major, &got_minor));
		assert_int_equal(got_minor, minor);
		assert_true(gobin__has_dwarf(bin));
		assert_true(go_runtime_g_layout(1, minor, &goid, &stack_hi));
		if (gobin__g_goid_offset(bin) != goid || gobin__g_stack_hi_offset(bin) != stack_hi)
			fail_msg("go1.%d: runtime.g from DWARF has goid at %lld, stack.hi at %lld; "
				 "the table says %lld, %lld",
				 minor, (long long)gobin__g_goid_offset(bin),
				 (long long)gobin__g_stack_hi_offset(bin), (long long)goid,
				 (long long)stack_hi);
		if (minor >= 16) {
			uint64_t pclntab = section_addr(bin, ".gopclntab");

			assert_int_equal(moduledata_text(bin, pclntab), section_addr(bin, ".text"));
			assert_true(bin->types_base != 0);
			assert_int_equal(moduledata_types(bin, pclntab, 1, minor), bin->types_base);
		}
		gobin__free(bin);
		checked++;
	}
	assert_true(checked >= (int)(sizeof(matrix) / sizeof(matrix[0])));
	/* before and after the table: unknown, never a guess */
	{
		int64_t goid, stack_hi;

		assert_false(go_runtime_g_layout(1, 14, &goid, &stack_hi));
		assert_false(go_runtime_g_layout(1, 28, &goid, &stack_hi));
		assert_false(go_runtime_g_layout(2, 0, &goid, &stack_hi));
	}
}

/*
 * A stripped Go 1.27 build: functions from the pclntab, whose entries are
 * offsets from moduledata.text (1.26 stopped copying it into the header),
 * land where the unstripped build of the same source has them; runtime.g's
 * offsets come from the table; type descriptors map to the unstripped
 * build's (--debug-file).
 */
static void test_stripped_newest(void **state)
{
	struct gobin *stripped = open_testdata("go1.27/oracle-stripped");
	struct gobin *full = open_testdata("go1.27/oracle");
	const struct go_func *f, *want;
	struct go_func_code code;

	if (!stripped || !full)
		fail_msg("go1.27/oracle-stripped or go1.27/oracle: missing (run `make testdata`)");
	assert_false(gobin__has_dwarf(stripped));
	f = gobin__find_func(stripped, "main.Div");
	want = gobin__find_func(full, "main.Div");
	assert_non_null(f);
	assert_non_null(want);
	assert_int_equal(f->low_pc, want->low_pc);
	assert_true(f->high_pc >= want->high_pc);
	assert_int_equal(gobin__func_code(stripped, f, &code), 0);
	assert_true(code.n_rets > 0);
	go_func_code__clear(&code);
	assert_int_equal(gobin__g_goid_offset(stripped), 152);
	assert_int_equal(gobin__g_stack_hi_offset(stripped), 8);
	/* its type descriptors sit elsewhere than the unstripped build's (the
	 * build settings in the read-only data before them differ), at the
	 * same offsets from runtime.types */
	{
		const struct go_type *t = gobin__find_type(full, "main.Base");
		uint8_t want[24], got[24];
		uint64_t addr;

		assert_non_null(t);
		assert_true(stripped->types_base != 0);
		assert_true(stripped->types_base != full->types_base);
		addr = gobin__twin_type_addr(full, stripped, t->runtime_type);
		assert_int_equal(gobin__twin_type_addr(stripped, full, addr), t->runtime_type);
		/* size, ptrdata, hash, tflag, align, fieldAlign, kind */
		assert_int_equal(gobin_read_vaddr(full, t->runtime_type, want, sizeof(want)), 0);
		assert_int_equal(gobin_read_vaddr(stripped, addr, got, sizeof(got)), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
	gobin__free(stripped);
	gobin__free(full);
}

int main(void)
{
	const struct CMUnitTest versions[] = {
	    cmocka_unit_test(test_pointer_wrapper_receiver),
	    cmocka_unit_test(test_results_once_by_position),
	    cmocka_unit_test(test_go115_pointer_kind),
	};
	const struct CMUnitTest matrix[] = {
	    cmocka_unit_test(test_runtime_layouts_by_version),
	    cmocka_unit_test(test_stripped_newest),
	    cmocka_unit_test(test_generics_by_version),
	    cmocka_unit_test(test_stripped_generic_names),
	};
	int failed;

	failed = cmocka_run_group_tests_name("symbols, the Go matrix", matrix, NULL, NULL);
	failed += cmocka_run_group_tests_name("symbols, the oracle of each Go version", versions,
					      NULL, NULL);
	return failed ? 1 : 0;
}
