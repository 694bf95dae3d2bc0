// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * symbols/ on testdata/symtest (built with Go 1.19 by `make testdata`):
 * function lookup, parameters and their Go types as DWARF gives them, the
 * runtime.g offsets; gobin__open's errors; the build info parser on
 * hand-built blobs in both encodings; and on the oracle of every Go version
 * of the matrix, the runtime layouts used without DWARF or symbols,
 * wrappers' receivers and results, and generics.
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

static struct gobin *symtest;

static int open_symtest(void **state)
{
	const char *dir = getenv("GOTRACE_TESTDATA");
	char path[4096], errbuf[256] = "";
	int err = 0;

	snprintf(path, sizeof(path), "%s/symtest", dir ? dir : "build/testdata");
	symtest = gobin__open(path, errbuf, sizeof(errbuf), &err);
	if (!symtest) {
		fprintf(stderr, "%s: %s (run `make testdata`)\n", path, errbuf);
		return -1;
	}
	return 0;
}

static int close_symtest(void **state)
{
	gobin__free(symtest);
	return 0;
}

static const struct go_func *must_find(const char *name)
{
	const struct go_func *f = gobin__find_func(symtest, name);

	if (!f)
		fail_msg("function %s not found", name);
	assert_string_equal(f->name, name);
	assert_true(f->high_pc > f->low_pc);
	assert_true(f->has_dwarf);
	return f;
}

static const struct go_field *must_field(const struct go_type *t, const char *name)
{
	int i;

	for (i = 0; i < t->n_fields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	fail_msg("%s has no field %s", t->name, name);
	return NULL;
}

static void check_param(const struct go_param *p, const char *name, enum go_kind kind,
			const char *type_name, uint64_t size, bool is_result)
{
	assert_string_equal(p->name, name);
	assert_non_null(p->type);
	assert_int_equal(p->type->kind, kind);
	assert_string_equal(p->type->name, type_name);
	assert_int_equal(p->type->size, size);
	assert_int_equal(p->is_result, is_result);
}

static void test_version(void **state)
{
	const char *v = gobin__go_version(symtest);
	int major = 0, minor = 0;

	assert_non_null(v);
	assert_memory_equal(v, "go1.", 4);
	assert_true(gobin__go_version_number(symtest, &major, &minor));
	assert_int_equal(major, 1);
	assert_true(minor >= 16);
	assert_true(gobin__has_dwarf(symtest));
	assert_false(gobin__is_pie(symtest));
}

static void test_funcs_sorted(void **state)
{
	int i, n = gobin__func_count(symtest);

	assert_true(n > 100);
	for (i = 1; i < n; i++) {
		const char *prev = gobin__func(symtest, i - 1)->name;

		assert_true(strcmp(prev, gobin__func(symtest, i)->name) < 0);
	}
	assert_null(gobin__func(symtest, n));
	assert_null(gobin__func(symtest, -1));
	assert_null(gobin__find_func(symtest, "main.NoSuchFunction"));
	assert_null(gobin__find_func(symtest, ""));
}

static void test_ints(void **state)
{
	const struct go_func *f = must_find("main.Ints");

	assert_false(f->is_wrapper);
	assert_int_equal(f->abi, GO_ABI_INTERNAL);
	assert_int_equal(f->n_params, 6);
	check_param(&f->params[0], "a", GO_INT, "int", 8, false);
	check_param(&f->params[1], "b", GO_INT8, "int8", 1, false);
	check_param(&f->params[2], "c", GO_INT16, "int16", 2, false);
	check_param(&f->params[3], "d", GO_INT32, "int32", 4, false);
	check_param(&f->params[4], "e", GO_INT64, "int64", 8, false);
	/* an unnamed result */
	check_param(&f->params[5], "~r0", GO_INT64, "int64", 8, true);
	assert_int_equal(f->params[1].type->align, 1);
	assert_int_equal(f->params[2].type->align, 2);
	assert_int_equal(f->params[3].type->align, 4);
	assert_int_equal(f->params[4].type->align, 8);
	/* types are shared */
	assert_ptr_equal(f->params[4].type, f->params[5].type);
}

static void test_uints(void **state)
{
	const struct go_func *f = must_find("main.Uints");

	assert_int_equal(f->n_params, 7);
	check_param(&f->params[0], "a", GO_UINT, "uint", 8, false);
	check_param(&f->params[1], "b", GO_UINT8, "uint8", 1, false);
	check_param(&f->params[2], "c", GO_UINT16, "uint16", 2, false);
	check_param(&f->params[3], "d", GO_UINT32, "uint32", 4, false);
	check_param(&f->params[4], "e", GO_UINT64, "uint64", 8, false);
	check_param(&f->params[5], "f", GO_UINTPTR, "uintptr", 8, false);
	check_param(&f->params[6], "~r0", GO_UINT64, "uint64", 8, true);
}

static void test_bool_string_named_results(void **state)
{
	const struct go_func *f = must_find("main.Flags");
	const struct go_type *s;

	assert_int_equal(f->n_params, 4);
	check_param(&f->params[0], "on", GO_BOOL, "bool", 1, false);
	check_param(&f->params[1], "s", GO_STRING, "string", 16, false);
	check_param(&f->params[2], "n", GO_INT, "int", 8, true);
	check_param(&f->params[3], "ok", GO_BOOL, "bool", 1, true);
	s = f->params[1].type;
	assert_int_equal(s->align, 8);
	assert_int_equal(must_field(s, "str")->offset, 0);
	assert_int_equal(must_field(s, "len")->offset, 8);
}

static void test_named_scalars(void **state)
{
	const struct go_func *f = must_find("main.Convert");

	assert_int_equal(f->n_params, 3);
	/* named types keep their name, with the underlying kind and layout */
	check_param(&f->params[0], "c", GO_FLOAT64, "main.Celsius", 8, false);
	check_param(&f->params[1], "id", GO_UINT32, "main.ID", 4, false);
	check_param(&f->params[2], "~r0", GO_FLOAT64, "float64", 8, true);
	assert_int_equal(f->params[0].type->align, 8);
	assert_int_equal(f->params[1].type->align, 4);
}

static void test_structs(void **state)
{
	const struct go_func *f = must_find("main.Describe");
	const struct go_type *pitem, *item, *point;
	const struct go_field *fld;

	assert_int_equal(f->n_params, 3);
	check_param(&f->params[0], "it", GO_POINTER, "*main.Item", 8, false);
	check_param(&f->params[1], "p", GO_STRUCT, "main.Point", 8, false);
	check_param(&f->params[2], "~r0", GO_STRING, "string", 16, true);

	point = f->params[1].type;
	assert_int_equal(point->align, 4);
	assert_int_equal(point->n_fields, 2);
	assert_string_equal(point->fields[0].name, "X");
	assert_int_equal(point->fields[0].offset, 0);
	assert_string_equal(point->fields[1].name, "Y");
	assert_int_equal(point->fields[1].offset, 4);
	assert_int_equal(point->fields[1].type->kind, GO_INT32);

	pitem = f->params[0].type;
	assert_int_equal(pitem->align, 8);
	item = pitem->elem;
	assert_non_null(item);
	assert_int_equal(item->kind, GO_STRUCT);
	assert_string_equal(item->name, "main.Item");
	assert_int_equal(item->size, 64);
	assert_int_equal(item->align, 8);
	assert_int_equal(item->n_fields, 5);

	fld = must_field(item, "ID");
	assert_true(fld->embedded);
	assert_int_equal(fld->offset, 0);
	assert_string_equal(fld->type->name, "main.ID");
	assert_int_equal(fld->type->kind, GO_UINT32);

	fld = must_field(item, "Name");
	assert_false(fld->embedded);
	assert_int_equal(fld->offset, 8);
	assert_int_equal(fld->type->kind, GO_STRING);

	fld = must_field(item, "Where");
	assert_int_equal(fld->offset, 24);
	assert_int_equal(fld->type->kind, GO_STRUCT);
	assert_string_equal(fld->type->name, "main.Point");
	assert_int_equal(fld->type->size, 8);
	assert_int_equal(fld->type->n_fields, 2);

	fld = must_field(item, "Meta");
	assert_int_equal(fld->offset, 32);
	assert_string_equal(fld->type->name, "main.Meta");
	assert_int_equal(fld->type->size, 24);
	assert_int_equal(must_field(fld->type, "Count")->offset, 16);
	assert_int_equal(must_field(fld->type, "Count")->type->kind, GO_UINT16);

	fld = must_field(item, "Next");
	assert_int_equal(fld->offset, 56);
	assert_int_equal(fld->type->kind, GO_POINTER);
	assert_string_equal(fld->type->name, "*main.Item");
	/* the recursion closes on the same type */
	assert_non_null(fld->type->elem);
	assert_string_equal(fld->type->elem->name, "main.Item");
	assert_int_equal(fld->type->elem->n_fields, 5);
	assert_int_equal(fld->type->elem->align, 8);
}

static void test_recursive_type(void **state)
{
	const struct go_func *f = must_find("main.Length");
	const struct go_type *node, *next;

	assert_int_equal(f->n_params, 2);
	check_param(&f->params[0], "n", GO_POINTER, "*main.Node", 8, false);
	node = f->params[0].type->elem;
	assert_non_null(node);
	assert_string_equal(node->name, "main.Node");
	assert_int_equal(node->size, 16);
	assert_int_equal(node->n_fields, 2);
	next = must_field(node, "Next")->type;
	assert_int_equal(must_field(node, "Next")->offset, 8);
	assert_int_equal(next->kind, GO_POINTER);
	assert_string_equal(next->elem->name, "main.Node");
	assert_int_equal(next->elem->n_fields, 2);
	assert_string_equal(next->elem->fields[1].name, "Next");
}

static void test_recursive_before_fields(void **state)
{
	const struct go_func *f = must_find("main.Depth");
	const struct go_type *tree, *inner;
	int i;

	check_param(&f->params[0], "t", GO_POINTER, "*main.Tree", 8, false);
	tree = f->params[0].type->elem;
	assert_non_null(tree);
	assert_int_equal(tree->size, 32);
	assert_int_equal(tree->align, 8);
	assert_int_equal(tree->n_fields, 11);
	/* the type reached through Left is complete, whatever DIE it came from */
	inner = must_field(tree, "Left")->type->elem;
	assert_non_null(inner);
	assert_string_equal(inner->name, "main.Tree");
	assert_int_equal(inner->n_fields, 11);
	assert_int_equal(inner->align, 8);
	for (i = 0; i < inner->n_fields; i++) {
		assert_non_null(inner->fields[i].name);
		assert_non_null(inner->fields[i].type);
	}
	assert_string_equal(inner->fields[10].name, "I");
	assert_int_equal(inner->fields[10].offset, 24);
}

static void test_inlined_out_of_line(void **state)
{
	const struct go_func *f = must_find("main.Twice");

	/* the concrete copy's parameters, named and typed through their
	 * abstract origin, and its result */
	assert_int_equal(f->n_params, 2);
	check_param(&f->params[0], "x", GO_INT, "int", 8, false);
	check_param(&f->params[1], "~r0", GO_INT, "int", 8, true);
}

static void test_methods(void **state)
{
	const struct go_func *f = must_find("main.(*Server).Handle");
	const struct go_func *v = must_find("main.Server.Name2");
	const struct go_type *err;

	assert_int_equal(f->n_params, 4);
	check_param(&f->params[0], "s", GO_POINTER, "*main.Server", 8, false);
	check_param(&f->params[1], "path", GO_STRING, "string", 16, false);
	check_param(&f->params[2], "code", GO_INT, "int", 8, false);
	check_param(&f->params[3], "~r0", GO_INTERFACE, "error", 16, true);
	err = f->params[3].type;
	assert_false(err->is_empty_interface);
	assert_int_equal(err->align, 8);
	assert_string_equal(f->params[0].type->elem->name, "main.Server");
	assert_int_equal(must_field(f->params[0].type->elem, "Calls")->offset, 16);

	/* value receiver: the struct itself */
	assert_int_equal(v->n_params, 2);
	check_param(&v->params[0], "s", GO_STRUCT, "main.Server", 24, false);
	check_param(&v->params[1], "~r0", GO_STRING, "string", 16, true);
}

static void test_composites(void **state)
{
	const struct go_func *f = must_find("main.Collect");
	const struct go_type *t;

	assert_int_equal(f->n_params, 5);
	check_param(&f->params[0], "xs", GO_SLICE, "[]uint8", 24, false);
	t = f->params[0].type;
	assert_non_null(t->elem);
	assert_int_equal(t->elem->kind, GO_UINT8);
	assert_int_equal(t->align, 8);

	check_param(&f->params[1], "m", GO_MAP, "map[string]int", 8, false);
	t = f->params[1].type;
	assert_int_equal(t->align, 8);
	assert_non_null(t->key);
	assert_non_null(t->elem);
	assert_int_equal(t->key->kind, GO_STRING);
	assert_int_equal(t->elem->kind, GO_INT);

	check_param(&f->params[2], "arr", GO_ARRAY, "[3]int16", 6, false);
	t = f->params[2].type;
	assert_int_equal(t->len, 3);
	assert_int_equal(t->align, 2);
	assert_int_equal(t->elem->kind, GO_INT16);

	check_param(&f->params[3], "v", GO_INTERFACE, "interface {}", 16, false);
	assert_true(f->params[3].type->is_empty_interface);
	check_param(&f->params[4], "~r0", GO_INT, "int", 8, true);
}

static void test_find_type(void **state)
{
	const struct go_type *t = gobin__find_type(symtest, "main.Celsius");

	assert_non_null(t);
	assert_int_equal(t->kind, GO_FLOAT64);
	assert_int_equal(t->size, 8);
	t = gobin__find_type(symtest, "main.Point");
	assert_non_null(t);
	assert_int_equal(t->kind, GO_STRUCT);
	assert_int_equal(t->n_fields, 2);
	assert_null(gobin__find_type(symtest, "main.NoSuchType"));
}

static void test_find_type_struct_first(void **state)
{
	const struct go_type *ring = gobin__find_type(symtest, "main.Ring"), *inner;

	assert_non_null(ring);
	assert_int_equal(ring->kind, GO_STRUCT);
	assert_int_equal(ring->n_fields, 12);
	inner = must_field(ring, "Next")->type->elem;
	assert_non_null(inner);
	assert_string_equal(inner->name, "main.Ring");
	assert_int_equal(inner->size, 56);
	assert_int_equal(inner->align, 8);
	assert_int_equal(inner->n_fields, 12);
	assert_string_equal(inner->fields[11].name, "Tags");
	assert_int_equal(inner->fields[11].type->kind, GO_SLICE);
	assert_string_equal(inner->fields[10].name, "I");
	assert_int_equal(inner->fields[10].offset, 24);
}

static void test_runtime_type(void **state)
{
	const struct go_type *t = gobin__find_type(symtest, "main.ID");

	/* main.ID goes into an interface (fmt.Sprintf), so it has a descriptor */
	assert_non_null(t);
	assert_true(t->runtime_type != 0);
	assert_ptr_equal(gobin__type_by_runtime_addr(symtest, t->runtime_type), t);
	assert_null(gobin__type_by_runtime_addr(symtest, 1));
}

static void test_g_offsets(void **state)
{
	/* Go 1.19's runtime.g: stack (lo, hi) first, goid further on */
	assert_int_equal(gobin__g_stack_hi_offset(symtest), 8);
	assert_true(gobin__g_goid_offset(symtest) > 16);
	assert_true(gobin__g_goid_offset(symtest) < 1024);
}

static void test_addresses(void **state)
{
	const struct go_func *f = must_find("main.Describe");
	uint64_t off = 0;
	uint8_t code[16], file[16];
	const char *dir = getenv("GOTRACE_TESTDATA");
	char path[4096];
	FILE *fp;

	assert_int_equal(gobin__vaddr_to_offset(symtest, f->low_pc, &off), 0);
	/* non-PIE amd64 Go: text at 0x401000, file offset 0x1000 */
	assert_int_equal(f->low_pc - off, 0x400000);
	assert_int_equal(gobin__vaddr_to_offset(symtest, 0x10, &off), -ENOENT);
	assert_int_equal(gobin__read_code(symtest, f->low_pc, code, sizeof(code)), 0);
	/* a Go function with a frame starts with the stack check:
	 * cmp rsp|r12, [r14+0x10] */
	assert_non_null(memmem(code, sizeof(code), "\x3b\x66\x10", 3));
	/* and those are the file's bytes at the offset a uprobe would use */
	snprintf(path, sizeof(path), "%s/symtest", dir ? dir : "build/testdata");
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)off, SEEK_SET), 0);
	assert_int_equal(fread(file, 1, sizeof(file), fp), sizeof(file));
	fclose(fp);
	assert_memory_equal(code, file, sizeof(code));
	assert_int_not_equal(gobin__read_code(symtest, 0x10, code, sizeof(code)), 0);
	/* a read running off the end of the text segment */
	assert_int_not_equal(gobin__read_code(symtest, f->low_pc, code, (size_t)1 << 40), 0);
}

static void test_wrappers_and_abi(void **state)
{
	int i, n = gobin__func_count(symtest), abi0 = 0;
	const struct go_func *f;

	for (i = 0; i < n; i++) {
		f = gobin__func(symtest, i);
		size_t len = strlen(f->name);

		if (len > 5 && !strcmp(f->name + len - 5, ".abi0")) {
			/* assembly, in the stack ABI */
			assert_int_equal(f->abi, GO_ABI0);
			abi0++;
		}
		if (strstr(f->name, "-fm") || strstr(f->name, ".autogenerated"))
			assert_true(f->is_wrapper);
	}
	assert_true(abi0 > 10);
	/* runtime.gogo is assembly: Go 1.19's linker names its ABI0 body
	 * runtime.gogo.abi0 */
	assert_non_null(gobin__find_func(symtest, "runtime.gogo.abi0"));
	assert_int_equal(gobin__find_func(symtest, "runtime.gogo.abi0")->abi, GO_ABI0);
	assert_int_equal(gobin__find_func(symtest, "runtime.main")->abi, GO_ABI_INTERNAL);
	/* assembly: DWARF does not know its arguments, so it claims none */
	assert_false(gobin__find_func(symtest, "runtime.gogo.abi0")->has_dwarf);
	assert_false(gobin__find_func(symtest, "runtime.gogo.abi0")->is_wrapper);

	/* runtime.asmcgocall.abi0 is the assembly body; the plain name is the
	 * compiler's register-ABI wrapper around it, with the Go prototype */
	f = gobin__find_func(symtest, "runtime.asmcgocall.abi0");
	assert_non_null(f);
	assert_false(f->is_wrapper);
	assert_int_equal(f->abi, GO_ABI0);
	f = gobin__find_func(symtest, "runtime.asmcgocall");
	assert_non_null(f);
	assert_true(f->is_wrapper);
	assert_int_equal(f->abi, GO_ABI_INTERNAL);
	assert_true(f->has_dwarf);
	assert_int_equal(f->n_params, 3);
	assert_string_equal(f->params[0].name, "fn");

	/* register-ABI assembly of the runtime keeps its default */
	assert_int_equal(gobin__find_func(symtest, "runtime.memmove")->abi, GO_ABI_INTERNAL);
	assert_int_equal(gobin__find_func(symtest, "time.now")->abi, GO_ABI_INTERNAL);

	/* the promoted method (*Server).Name2 is generated from Server.Name2 */
	f = gobin__find_func(symtest, "main.(*Server).Name2");
	if (f)
		assert_true(f->is_wrapper);
	assert_false(must_find("main.Server.Name2")->is_wrapper);
}

/* The oracle as each Go version of the matrix builds it (make testdata). */
static const char *const oracle_versions[] = {"1.15", "1.19", "1.21", "1.22", "1.27"};

static struct gobin *open_testdata(const char *name)
{
	const char *dir = getenv("GOTRACE_TESTDATA");
	char path[4096], errbuf[256] = "";
	struct gobin *bin;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/testdata", name);
	bin = gobin__open(path, errbuf, sizeof(errbuf), &err);
	if (!bin)
		fail_msg("%s: %s (run `make testdata`)", path, errbuf);
	return bin;
}

static const struct go_func *find_or_fail(const struct gobin *bin, const char *name)
{
	const struct go_func *f = gobin__find_func(bin, name);

	if (!f)
		fail_msg("function %s not found", name);
	return f;
}

static struct gobin *open_oracle(const char *version)
{
	char name[64];

	snprintf(name, sizeof(name), "go%s/oracle", version);
	return open_testdata(name);
}

static const struct go_func *must_find_in(const struct gobin *bin, const char *name)
{
	const struct go_func *f = find_or_fail(bin, name);

	assert_true(f->has_dwarf);
	return f;
}

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

static void expect_open_error(const char *path, int want_err, const char *want_msg)
{
	char errbuf[256] = "";
	int err = 0;

	assert_null(gobin__open(path, errbuf, sizeof(errbuf), &err));
	assert_int_equal(err, want_err);
	assert_string_equal(errbuf, want_msg);
}

static void test_open_errors(void **state)
{
	char path[] = "/tmp/gotrace-test-XXXXXX";
	int fd;

	expect_open_error("/nonexistent/gotrace/binary", -ENOENT, "no such file");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\necho not an elf file\n", 31), 31);
	close(fd);
	expect_open_error(path, -ENOEXEC, "not an ELF file");
	unlink(path);

	if (access("/bin/true", R_OK) == 0)
		expect_open_error("/bin/true", -ENOEXEC,
				  "not a Go binary (no Go build info or .gopclntab)");
}

static void expect_version_number(const char *version, bool ok, int want_major, int want_minor)
{
	struct gobin bin = {.version = (char *)version};
	int major = -1, minor = -1;

	assert_int_equal(gobin__go_version_number(&bin, &major, &minor), ok);
	if (ok) {
		assert_int_equal(major, want_major);
		assert_int_equal(minor, want_minor);
	}
}

static void expect_dwarf_lists_results(const char *version, bool want)
{
	struct gobin bin = {.version = (char *)version};

	assert_int_equal(gobin__dwarf_lists_results(&bin), want);
}

/* Go 1.17's DWARF has no entries for results. */
static void test_dwarf_lists_results(void **state)
{
	expect_dwarf_lists_results("go1.17.13", false);
	expect_dwarf_lists_results("go1.17", false);
	expect_dwarf_lists_results("devel go1.17-abcdef", false);
	expect_dwarf_lists_results("go1.16.15", true);
	expect_dwarf_lists_results("go1.18", true);
	expect_dwarf_lists_results("go1.19.8", true);
	expect_dwarf_lists_results(NULL, true);
}

/* For Go 1.17: DWARF's inputs, a functions file's results. */
static void test_signature_results(void **state)
{
	static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
	struct go_param params[] = {{"k", &t_int, false}, {"stale", &t_int, true}};
	struct go_func f = {.name = "main.f", .params = params, .n_params = 2, .has_dwarf = true};
	char errbuf[128];
	struct go_signature *sig = go_signature__parse("", "n int, error", errbuf, sizeof(errbuf));

	assert_non_null(sig);
	assert_int_equal(go_signature__apply_results(sig, &f, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(f.n_params, 3);
	assert_string_equal(f.params[0].name, "k");
	assert_ptr_equal(f.params[0].type, &t_int);
	assert_false(f.params[0].is_result);
	assert_string_equal(f.params[1].name, "n");
	assert_int_equal(f.params[1].type->kind, GO_INT);
	assert_true(f.params[1].is_result);
	assert_string_equal(f.params[2].name, "~r1");
	assert_int_equal(f.params[2].type->kind, GO_INTERFACE);
	assert_true(f.params[2].is_result);
	go_signature__free(sig);
}

static struct go_signature *parse_signature(const char *params, const char *results)
{
	char errbuf[128] = "";
	struct go_signature *sig = go_signature__parse(params, results, errbuf, sizeof(errbuf));

	if (!sig)
		fail_msg("(%s) %s: %s", params, results ? results : "", errbuf);
	return sig;
}

/* A functions file's signature against DWARF's parameters: types by their
 * Go names, names where the signature gives them, results when asked. */
static void test_signature_matches(void **state)
{
	static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
	static struct go_type t_bytes = {.kind = GO_SLICE, .name = "[]uint8", .size = 24};
	static struct go_type t_map = {
	    .kind = GO_MAP, .name = "map[string]interface {}", .size = 8};
	static struct go_type t_error = {.kind = GO_INTERFACE, .name = "error", .size = 16};
	struct go_param params[] = {{"v", &t_int, false},
				    {"b", &t_bytes, false},
				    {"m", &t_map, false},
				    {"~r0", &t_error, true}};
	struct go_func f = {
	    .name = "main.Check", .params = params, .n_params = 4, .has_dwarf = true};
	static const struct {
		const char *params, *results;
		bool inputs_match, all_match;
	} cases[] = {
	    {"v int, b []byte, m map[string]any", "error", true, true},
	    {"int, []uint8, map[string]interface {}", "error", true, true},
	    {"v int, []byte, m  map[string] interface{}", NULL, true, true},
	    {"v, w int, m map[string]any", "error", false, false},
	    {"x int, b []byte, m map[string]any", "error", false, false},
	    {"v int, b []byte, m map[string]any", "string", true, false},
	    {"v int, b []byte, m map[string]any", "err error", true, false},
	    {"v string, b []byte, m map[string]any", "error", false, false},
	    {"v int, b []byte", "error", false, false},
	};
	struct go_signature *sig;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sig = parse_signature(cases[i].params, cases[i].results);

		if (go_signature__matches(sig, &f, false) != cases[i].inputs_match ||
		    go_signature__matches(sig, &f, cases[i].results != NULL) != cases[i].all_match)
			fail_msg("(%s) %s", cases[i].params, cases[i].results);
		go_signature__free(sig);
	}

	/* "(a, b int)": Go's grouped names */
	sig = parse_signature("a, b int, s string", "n int, error");
	go_signature__format(sig, true, buf, sizeof(buf));
	assert_string_equal(buf, "(a int, b int, s string) (n int, error)");
	go_signature__free(sig);
	go_func__format_signature(&f, true, buf, sizeof(buf));
	assert_string_equal(buf, "(v int, b []uint8, m map[string]interface {}) error");
	go_func__format_signature(&f, false, buf, sizeof(buf));
	assert_string_equal(buf, "(v int, b []uint8, m map[string]interface {})");
}

/* Without DWARF only types a name lays out can stand in for parameters. */
static void test_signature_layouts(void **state)
{
	struct go_signature *sig = parse_signature("id main.ID, n int", NULL);
	struct go_func f = {.name = "main.f"};
	char errbuf[256] = "";

	assert_int_equal(go_signature__apply(sig, &f, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "type 'main.ID': "));
	go_signature__free(sig);
	sig = parse_signature("id int, []byte, any", "main.T");
	assert_int_equal(go_signature__apply(sig, &f, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "type 'main.T': "));
	go_signature__free(sig);
	sig = parse_signature("main.T", "int");
	assert_int_equal(go_signature__apply_results(sig, &f, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(f.n_params, 1);
	assert_true(f.params[0].is_result);
	go_signature__free(sig);
	assert_null(
	    go_signature__parse("m map[string]int, f func(int", NULL, errbuf, sizeof(errbuf)));
}

static void test_version_number(void **state)
{
	expect_version_number("go1.19.8", true, 1, 19);
	expect_version_number("go1.16", true, 1, 16);
	expect_version_number("go1.21rc2", true, 1, 21);
	expect_version_number("devel go1.25-2b0b0e6 Thu Jan 9 2025", true, 1, 25);
	expect_version_number("devel +abcdef", false, 0, 0);
	expect_version_number("1.19", false, 0, 0);
	expect_version_number(NULL, false, 0, 0);
}

/* Assembly under its plain name is in the stack ABI unless a runtime
 * package (the only ones allowed <ABIInternal>) defines it. */
static void test_asm_abi(void **state)
{
	assert_true(asm_func_is_stack_abi("main.helper", "/src/app/helper_amd64.s"));
	assert_true(asm_func_is_stack_abi("example.com/m/crypto.block",
					  "example.com/m/crypto/block_amd64.s"));
	/* a user package merely named like a runtime one is not the runtime */
	assert_true(asm_func_is_stack_abi("example.com/myruntime.f", "/x/myruntime/f_amd64.s"));
	assert_false(asm_func_is_stack_abi("runtime.memmove", "/go/src/runtime/memmove_amd64.s"));
	assert_false(asm_func_is_stack_abi("internal/bytealg.IndexByte",
					   "internal/bytealg/indexbyte_amd64.s"));
	assert_false(asm_func_is_stack_abi("runtime/internal/syscall.Syscall6",
					   "/go/src/runtime/internal/syscall/asm_linux_amd64.s"));
	assert_false(asm_func_is_stack_abi("syscall.rawVforkSyscall", "syscall/asm_linux_amd64.s"));
	assert_false(asm_func_is_stack_abi("reflect.call", "reflect/asm_amd64.s"));
	/* the runtime's file defines time.now */
	assert_false(asm_func_is_stack_abi("time.now", "/go/src/runtime/time_linux_amd64.s"));
	/* static assembly symbols have no package to go by */
	assert_false(asm_func_is_stack_abi("gogo", "/go/src/runtime/asm_amd64.s"));
	/* Go code, and nonsense */
	assert_false(asm_func_is_stack_abi("main.main", "/src/app/main.go"));
	assert_false(asm_func_is_stack_abi("main.f", NULL));
	assert_false(asm_func_is_stack_abi(NULL, "a.s"));
	assert_false(asm_func_is_stack_abi("", ".s"));
}

/* Which instantiations take a dictionary, and where, by the front end:
 * first (Go 1.18, 1.19) or after a method's receiver (1.20 on). */
static void expect_dictionary(const char *name, bool takes, int before, int after)
{
	int index = -1;

	assert_int_equal(generic_takes_dictionary(name, true, &index), takes);
	if (takes)
		assert_int_equal(index, before);
	index = -1;
	assert_int_equal(generic_takes_dictionary(name, false, &index), takes);
	if (takes)
		assert_int_equal(index, after);
}

static void test_generic_dictionary(void **state)
{
	expect_dictionary("main.Sum[go.shape.int_0]", true, 0, 0);
	expect_dictionary("main.Sum[go.shape.int]", true, 0, 0);
	expect_dictionary("main.(*Gen[go.shape.int_0]).Get", true, 0, 1);
	expect_dictionary("main.(*Gen[go.shape.string]).Get", true, 0, 1);
	expect_dictionary("main.Gen[go.shape.int].Get", true, 0, 1);
	expect_dictionary("main.Pair[go.shape.int,go.shape.[]main.T[go.shape.int]]", true, 0, 0);
	expect_dictionary("example.com/a/b.(*Set[go.shape.*uint8]).Add", true, 0, 1);
	expect_dictionary("main.Sum[go.shape.*net/http.Request]", true, 0, 0);
	/* the pclntab's elided names before Go 1.21 */
	expect_dictionary("main.Sum[...]", true, 0, 0);
	expect_dictionary("main.(*Gen[...]).Get", true, 0, 1);
	/* closures take it in their context; method values are wrappers */
	expect_dictionary("main.Sum[go.shape.int].func1", false, 0, 0);
	expect_dictionary("main.(*Gen[go.shape.int]).Get.func2", false, 0, 0);
	expect_dictionary("main.Gen[go.shape.int].Get-fm", false, 0, 0);
	expect_dictionary("main.Sum[go.shape.int].gowrap1", false, 0, 0);
	/* fully instantiated: no dictionary; and no generics at all */
	expect_dictionary("main.Sum[int]", false, 0, 0);
	expect_dictionary("main.(*Gen[int]).Get", false, 0, 0);
	expect_dictionary("main.main", false, 0, 0);
	expect_dictionary("main.(*Counter).Add", false, 0, 0);
	expect_dictionary("type:.eq.main.Gen[go.shape.int]", false, 0, 0);
	expect_dictionary("main.Sum[go.shape.int", false, 0, 0);
}


/* The oracle's generics as each front end passes the dictionary, and Go
 * 1.27's DWARF, which lists it as ".dict": never a parameter shown. */
static void expect_generics(const char *binary, const char *shape, int method_dict)
{
	struct gobin *bin = open_testdata(binary);
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

/* Build info blobs, as the linker writes them. */
static void put_header(uint8_t *blob, uint8_t ptr_size, uint8_t flags)
{
	memcpy(blob, "\xff Go buildinf:", 14);
	blob[14] = ptr_size;
	blob[15] = flags;
}

static void test_buildinfo_inline(void **state)
{
	uint8_t blob[64] = {0};
	char *v;

	/* Go 1.18+: flags & 2, then varint-prefixed strings after 32 bytes */
	put_header(blob, 8, 2);
	blob[32] = 8;
	memcpy(blob + 33, "go1.19.8", 8);
	blob[41] = 0; /* empty module info */
	v = buildinfo_parse_version(blob, sizeof(blob), NULL, NULL);
	assert_non_null(v);
	assert_string_equal(v, "go1.19.8");
	free(v);

	/* a length running past the blob */
	blob[32] = 0x7f;
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
	/* a varint that never ends */
	memset(blob + 32, 0xff, 32);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
	/* truncated, and wrong magic */
	assert_null(buildinfo_parse_version(blob, 20, NULL, NULL));
	blob[0] = 0;
	assert_null(buildinfo_parse_version(blob, sizeof(blob), NULL, NULL));
}

/* A fake address space for the pointer encoding: one mapped region. */
struct fake_memory {
	uint64_t base;
	uint8_t bytes[64];
};

static int read_fake(void *ctx, uint64_t addr, void *dst, size_t size)
{
	struct fake_memory *m = ctx;

	if (addr < m->base || addr - m->base > sizeof(m->bytes) ||
	    size > sizeof(m->bytes) - (addr - m->base))
		return -EFAULT;
	memcpy(dst, m->bytes + (addr - m->base), size);
	return 0;
}

static void put_u64(uint8_t *p, uint64_t v, bool big_endian)
{
	int i;

	for (i = 0; i < 8; i++)
		p[big_endian ? 7 - i : i] = v >> (8 * i);
}

static void test_buildinfo_pointers(void **state)
{
	struct fake_memory mem = {.base = 0x500000};
	uint8_t blob[32] = {0};
	bool big;
	char *v;

	for (big = false;; big = true) {
		/* Go < 1.18: at 16, a pointer to the version's string header
		 * {ptr, len}; byte 15 says the byte order */
		memset(mem.bytes, 0, sizeof(mem.bytes));
		put_header(blob, 8, big);
		put_u64(blob + 16, 0x500000, big);
		put_u64(mem.bytes, 0x500010, big);
		put_u64(mem.bytes + 8, 9, big);
		memcpy(mem.bytes + 16, "go1.16.15", 9);
		v = buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem);
		assert_non_null(v);
		assert_string_equal(v, "go1.16.15");
		free(v);
		if (big)
			break;
	}

	/* a string header pointing outside the address space */
	put_header(blob, 8, 0);
	put_u64(mem.bytes, 0x900000, false);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* an absurd length */
	put_u64(mem.bytes, 0x500010, false);
	put_u64(mem.bytes + 8, 1ull << 40, false);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* a pointer size that is neither 4 nor 8 */
	put_u64(mem.bytes + 8, 9, false);
	put_header(blob, 3, 0);
	assert_null(buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem));
	/* 4-byte pointers */
	put_header(blob, 4, 0);
	memset(blob + 16, 0, 16);
	blob[16] = 0x20;
	blob[17] = 0x00;
	blob[18] = 0x50; /* 0x500020 */
	memset(mem.bytes + 32, 0, 32);
	mem.bytes[32] = 0x28;
	mem.bytes[33] = 0x00;
	mem.bytes[34] = 0x50; /* ptr 0x500028 */
	mem.bytes[36] = 8;    /* len 8 */
	memcpy(mem.bytes + 40, "go1.17.1", 8);
	v = buildinfo_parse_version(blob, sizeof(blob), read_fake, &mem);
	assert_non_null(v);
	assert_string_equal(v, "go1.17.1");
	free(v);
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
	const struct CMUnitTest binary[] = {
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_funcs_sorted),
	    cmocka_unit_test(test_ints),
	    cmocka_unit_test(test_uints),
	    cmocka_unit_test(test_bool_string_named_results),
	    cmocka_unit_test(test_named_scalars),
	    cmocka_unit_test(test_structs),
	    cmocka_unit_test(test_recursive_type),
	    cmocka_unit_test(test_recursive_before_fields),
	    cmocka_unit_test(test_inlined_out_of_line),
	    cmocka_unit_test(test_methods),
	    cmocka_unit_test(test_composites),
	    cmocka_unit_test(test_find_type),
	    cmocka_unit_test(test_find_type_struct_first),
	    cmocka_unit_test(test_runtime_type),
	    cmocka_unit_test(test_g_offsets),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_wrappers_and_abi),
	};
	const struct CMUnitTest versions[] = {
	    cmocka_unit_test(test_pointer_wrapper_receiver),
	    cmocka_unit_test(test_results_once_by_position),
	    cmocka_unit_test(test_go115_pointer_kind),
	};
	const struct CMUnitTest offline[] = {
	    cmocka_unit_test(test_open_errors),	       cmocka_unit_test(test_asm_abi),
	    cmocka_unit_test(test_version_number),     cmocka_unit_test(test_buildinfo_inline),
	    cmocka_unit_test(test_buildinfo_pointers), cmocka_unit_test(test_dwarf_lists_results),
	    cmocka_unit_test(test_signature_results), cmocka_unit_test(test_generic_dictionary),
	    cmocka_unit_test(test_signature_matches), cmocka_unit_test(test_signature_layouts),
	};
	const struct CMUnitTest matrix[] = {
	    cmocka_unit_test(test_runtime_layouts_by_version),
	    cmocka_unit_test(test_stripped_newest),
	    cmocka_unit_test(test_generics_by_version),
	    cmocka_unit_test(test_stripped_generic_names),
	};
	int failed;

	failed = cmocka_run_group_tests_name("symbols, offline", offline, NULL, NULL);
	failed += cmocka_run_group_tests_name("symbols, testdata/symtest", binary, open_symtest,
					      close_symtest);
	failed += cmocka_run_group_tests_name("symbols, the Go matrix", matrix, NULL, NULL);
	failed += cmocka_run_group_tests_name("symbols, the oracle of each Go version", versions,
					      NULL, NULL);
	return failed ? 1 : 0;
}
