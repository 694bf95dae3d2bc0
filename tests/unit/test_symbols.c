// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * symbols/ on testdata/symtest (built with Go 1.19 by `make testdata`):
 * function lookup, parameters and their Go types as DWARF gives them, the
 * runtime.g offsets; gobin__open's errors, version numbers, signatures
 * and name rules, offline. The oracle of each Go version is test_versions.c's.
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

/* Parsed alone: a variadic ...T is a []T; a pointer to what a name lays
 * out is followed, to another it is an address until resolved. */
static void test_signature_variadic_and_pointers(void **state)
{
	struct go_signature *sig =
	    parse_signature("prefix string, nums ...int, p *int, q *main.T", NULL);
	struct go_func f = {.name = "main.f"};
	char errbuf[256] = "";

	assert_int_equal(go_signature__apply(sig, &f, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(f.n_params, 4);
	assert_string_equal(f.params[1].name, "nums");
	assert_int_equal(f.params[1].type->kind, GO_SLICE);
	assert_string_equal(f.params[1].type->name, "[]int");
	assert_int_equal(f.params[1].type->elem->kind, GO_INT);
	assert_int_equal(f.params[2].type->kind, GO_POINTER);
	assert_non_null(f.params[2].type->elem);
	assert_int_equal(f.params[2].type->elem->kind, GO_INT);
	assert_int_equal(f.params[3].type->kind, GO_POINTER);
	assert_null(f.params[3].type->elem);
	go_signature__free(sig);
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
	const struct CMUnitTest offline[] = {
	    cmocka_unit_test(test_open_errors),	       cmocka_unit_test(test_asm_abi),
	    cmocka_unit_test(test_version_number),     cmocka_unit_test(test_dwarf_lists_results),
	    cmocka_unit_test(test_signature_results), cmocka_unit_test(test_generic_dictionary),
	    cmocka_unit_test(test_signature_matches), cmocka_unit_test(test_signature_layouts),
	    cmocka_unit_test(test_signature_variadic_and_pointers),
	};
	int failed;

	failed = cmocka_run_group_tests_name("symbols, offline", offline, NULL, NULL);
	failed += cmocka_run_group_tests_name("symbols, testdata/symtest", binary, open_symtest,
					      close_symtest);
	return failed ? 1 : 0;
}
