// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Types from runtime type descriptors (symbols/typedesc.c, typelinks.c,
 * typenames.c, typeexpr.c, moduledata.c), against DWARF: an unstripped
 * build has both, so every type DWARF describes must come out of its
 * descriptor the same, on every Go version of the matrix. Then the stripped
 * builds (oldest and newest of the matrix, and Debian's 1.19): the types
 * they list, types by name as signatures write them, methods' signatures.
 * And hostile descriptors, made by hand.
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
#include "plan/types.h"
#include "symbols/internal.h"
#include "tests/unit/testdata.h"

static const char *const matrix[] = {"1.15", "1.19", "1.21", "1.22",
				     "1.23", "1.24", "1.26", "1.27"};

/* Types only the compiler and linker make, which DWARF names its own way
 * ("noalg.map.bucket[...]", a function's local "T·1"): not the program's. */
static bool linker_made(const char *name)
{
	return strstr(name, "noalg.") || strstr(name, "\xc2\xb7") || strstr(name, "map.hdr[") ||
	       strstr(name, "map.bucket[") || strstr(name, "map.group[");
}

static const char *name_of(const struct go_type *t)
{
	return t ? t->name : "(none)";
}

/* What differs between DWARF's type and the descriptor's, or NULL. DWARF
 * lays out strings, slices and interfaces as the structs behind them: their
 * fields are not compared. */
static const char *differs(struct type_table *tt, const struct go_type *d, const struct go_type *t,
			   char *buf, size_t len)
{
	int i;

	if (strcmp(d->name, t->name))
		return "name";
	/* Go 1.15's linker gives the pointers it makes kind 0 in DWARF */
	if (d->kind && d->kind != t->kind)
		return "kind";
	if (d->size != t->size)
		return "size";
	/* a zero-size atomic.align64 aligns its container, not itself */
	if (d->align != t->align && !strstr(d->name, "align64"))
		return "align";
	if (d->len != t->len || d->is_empty_interface != t->is_empty_interface)
		return "length or interface";
	if (strcmp(name_of(d->elem), name_of(t->elem)) || strcmp(name_of(d->key), name_of(t->key)))
		return "element or key";
	if (d->kind == GO_STRUCT && d->n_fields != t->n_fields)
		return "field count";
	for (i = 0; d->kind == GO_STRUCT && i < d->n_fields; i++) {
		const struct go_field *x = &d->fields[i], *y = &t->fields[i];

		if (strcmp(x->name, y->name) || x->offset != y->offset ||
		    x->embedded != y->embedded || strcmp(name_of(x->type), name_of(y->type))) {
			snprintf(buf, len, "field %d: %s at %llu, %s", i, y->name,
				 (unsigned long long)y->offset, name_of(y->type));
			return buf;
		}
	}
	if (d->kind == GO_MAP && d->key && d->elem && t->key && t->elem) {
		struct go_map_layout a, b;

		if (!t->map_layout)
			return "no map layout";
		type_map_layout(tt, d, &a);
		type_map_layout(tt, t, &b);
		if (a.bucket_size != b.bucket_size || a.keys_off != b.keys_off ||
		    a.key_stride != b.key_stride || a.elems_off != b.elems_off ||
		    a.elem_stride != b.elem_stride || a.key_indirect != b.key_indirect ||
		    a.elem_indirect != b.elem_indirect)
			return "map layout";
	}
	return NULL;
}

/* Every type DWARF describes, as its descriptor describes it. */
static void expect_descriptors_match_dwarf(const char *build, bool swiss)
{
	struct type_opts opts = {.swiss_maps = swiss, .max_string = 64, .max_elems = 64};
	struct type_table *tt = type_table__new(&opts);
	struct gobin *bin = open_testdata(build);
	const struct go_type *const *all;
	int n = gobin__runtime_types(bin, &all), i, compared = 0, maps = 0;
	char buf[256];

	assert_true(gobin__has_dwarf(bin));
	for (i = 0; i < n; i++) {
		const struct go_type *d = all[i], *t;
		const char *why;

		if (linker_made(d->name))
			continue;
		t = typedesc__find(bin->descriptor_types, d->runtime_type);
		if (!t)
			fail_msg("%s: %s: no type from its descriptor", build, d->name);
		why = differs(tt, d, t, buf, sizeof(buf));
		if (why)
			fail_msg("%s: %s (%s from its descriptor): %s differs", build, d->name,
				 t->name, why);
		compared++;
		maps += d->kind == GO_MAP;
	}
	/* the oracle's types, the runtime's and the packages' it imports */
	if (compared < 600 || maps < 8)
		fail_msg("%s: only %d types (%d maps) compared", build, compared, maps);
	type_table__free(tt);
	gobin__free(bin);
}

static void test_descriptors_match_dwarf(void **state)
{
	char build[64];
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		snprintf(build, sizeof(build), "go%s/oracle", matrix[i]);
		expect_descriptors_match_dwarf(build, strcmp(matrix[i], "1.24") >= 0);
	}
	/* Go 1.27's groups with keys and elems apart: the layout from the
	 * descriptor's offsets, not from the version */
	expect_descriptors_match_dwarf("go1.27/oracle-splitgroup", true);
}

static uint64_t section(const struct gobin *bin, const char *name, uint64_t *size)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t shstrndx;

	*size = 0;
	if (elf_getshdrstrndx(bin->elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(bin->elf, scn))) {
		if (gelf_getshdr(scn, &shdr) &&
		    !strcmp(elf_strptr(bin->elf, shstrndx, shdr.sh_name), name)) {
			*size = shdr.sh_size;
			return shdr.sh_addr;
		}
	}
	return 0;
}

/* The module data by each version's layout, found through the pclntab as a
 * stripped binary's is, against the symbols and sections of the build. */
static void test_module_data_by_version(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		struct gobin *bin = open_oracle(matrix[i]);
		uint64_t pclntab, size, link;
		struct module_types mt, by_symbol;
		int major, minor;

		assert_true(gobin__go_version_number(bin, &major, &minor));
		pclntab = section(bin, ".gopclntab", &size);
		assert_int_equal(moduledata_read_types(bin, 0, pclntab, major, minor, &mt), 0);
		assert_int_equal(
		    moduledata_read_types(bin, gobin_symtab_value(bin, "runtime.firstmoduledata"),
					  0, major, minor, &by_symbol),
		    0);
		assert_memory_equal(&mt, &by_symbol, sizeof(mt));
		assert_int_equal(mt.types, gobin_symtab_value(bin, "runtime.types"));
		assert_int_equal(mt.etypes, gobin_symtab_value(bin, "runtime.etypes"));
		assert_int_equal(mt.text, section(bin, ".text", &size));
		if (minor < 27) {
			link = section(bin, ".typelink", &size);
			assert_int_equal(mt.typelinks, link);
			assert_int_equal(mt.n_typelinks, size / 4);
			link = section(bin, ".itablink", &size);
			assert_int_equal(mt.itablinks, link);
			assert_int_equal(mt.n_itablinks, size / 8);
		} else {
			assert_true(mt.typedesclen > 0 && mt.typedesclen < mt.itaboffset);
			assert_true(mt.itabsize > 0);
			assert_true(mt.itaboffset + mt.itabsize <= mt.etypes - mt.types);
		}
		/* and by no other version's layout */
		assert_int_equal(
		    moduledata_read_types(bin, 0, pclntab, 1, minor < 20 ? 27 : 15, &by_symbol),
		    -ENOENT);
		gobin__free(bin);
	}
}

static const char *const stripped[] = {"go1.15/oracle-stripped", "oracle-stripped",
				       "go1.27/oracle-stripped"};

/* A stripped build lists the program's types: every main type DWARF has
 * in the unstripped build, at the same offset from runtime.types. */
static void test_stripped_lists_types(void **state)
{
	static const char *const twins[] = {"go1.15/oracle", "oracle", "go1.27/oracle"};
	size_t i;

	for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++) {
		struct gobin *bin = open_testdata(stripped[i]), *full = open_testdata(twins[i]);
		const struct go_type *const *listed, *const *all;
		int n_listed = gobin__runtime_types(bin, &listed), n = 0, j, found = 0;

		assert_false(gobin__has_dwarf(bin));
		assert_true(n_listed > 500);
		for (j = 1; j < n_listed; j++)
			assert_true(listed[j - 1]->runtime_type < listed[j]->runtime_type);
		n = gobin__runtime_types(full, &all);
		for (j = 0; j < n; j++) {
			uint64_t addr = gobin__twin_type_addr(full, bin, all[j]->runtime_type);
			const struct go_type *t;

			if (strncmp(all[j]->name, "main.", 5) && strncmp(all[j]->name, "*main.", 6))
				continue;
			t = gobin__type_by_runtime_addr(bin, addr);
			if (!t || strcmp(t->name, all[j]->name))
				fail_msg("%s: %s: %s", stripped[i], all[j]->name, name_of(t));
			assert_ptr_equal(gobin__find_type(bin, all[j]->name), t);
			found++;
		}
		assert_true(found >= 20);
		gobin__free(full);
		gobin__free(bin);
	}
}

static const struct go_type *resolve(const struct gobin *bin, const char *expr)
{
	char why[256] = "";
	const struct go_type *t = gobin__resolve_type(bin, expr, why, sizeof(why));

	if (!t)
		fail_msg("'%s': %s", expr, why);
	return t;
}

static void expect_unresolved(const struct gobin *bin, const char *expr, const char *why_part)
{
	char why[256] = "";

	assert_null(gobin__resolve_type(bin, expr, why, sizeof(why)));
	if (!strstr(why, why_part))
		fail_msg("'%s': %s, not '%s'", expr, why, why_part);
}

/* Types as signatures write them, on stripped builds: from descriptors,
 * packages named short, composites made from their elements. */
static void test_resolve_types(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++) {
		struct gobin *bin = open_testdata(stripped[i]);
		const struct go_type *t;

		t = resolve(bin, "*main.Outer");
		assert_int_equal(t->kind, GO_POINTER);
		assert_true(t->runtime_type != 0);
		t = t->elem;
		assert_string_equal(t->name, "main.Outer");
		assert_int_equal(t->kind, GO_STRUCT);
		assert_int_equal(t->n_fields, 5);
		assert_string_equal(t->fields[0].name, "Base");
		assert_true(t->fields[0].embedded);
		assert_string_equal(t->fields[2].name, "inner");
		assert_string_equal(t->fields[2].type->name, "main.Inner");
		assert_int_equal(t->fields[2].offset, 8);
		assert_ptr_equal(resolve(bin, "main.Outer"), t);

		t = resolve(bin, "map[string][]string");
		assert_int_equal(t->kind, GO_MAP);
		assert_non_null(t->map_layout);
		assert_string_equal(t->elem->name, "[]string");
		t = resolve(bin, "main.Describer");
		assert_int_equal(t->kind, GO_INTERFACE);
		assert_false(t->is_empty_interface);
		assert_true(resolve(bin, "any")->is_empty_interface);
		assert_true(resolve(bin, "interface{}")->is_empty_interface);
		assert_int_equal(resolve(bin, "error")->kind, GO_INTERFACE);

		/* Go's aliases */
		assert_string_equal(resolve(bin, "[]byte")->name, "[]uint8");
		assert_string_equal(resolve(bin, "rune")->name, "int32");
		/* a pointer to a scalar: followed */
		t = resolve(bin, "*int");
		assert_int_equal(t->kind, GO_POINTER);
		assert_int_equal(t->elem->kind, GO_INT);
		/* variadic: a slice */
		t = resolve(bin, "...int");
		assert_string_equal(t->name, "[]int");
		assert_int_equal(t->size, 24);
		/* composites the binary may not have: made */
		t = resolve(bin, "*[]main.Outer");
		assert_int_equal(t->kind, GO_POINTER);
		assert_int_equal(t->elem->kind, GO_SLICE);
		assert_string_equal(t->elem->elem->name, "main.Outer");
		t = resolve(bin, "[4]main.Inner");
		assert_int_equal(t->kind, GO_ARRAY);
		assert_int_equal(t->len, 4);
		assert_int_equal(t->size, 4 * 24);
		assert_ptr_equal(resolve(bin, "[4]main.Inner"), t);
		t = resolve(bin, "map[main.ID]*main.Inner");
		assert_int_equal(t->kind, GO_MAP);
		assert_string_equal(t->key->name, "main.ID");
		assert_int_equal(resolve(bin, "chan main.Name")->kind, GO_CHAN);
		assert_int_equal(resolve(bin, "func() int")->kind, GO_FUNC);
		assert_int_equal(resolve(bin, "chan struct{}")->elem->size, 0);
		assert_string_equal(resolve(bin, "interface { Error() string }")->name,
				    "interface { Error() string }");
		/* the standard library's, by path or by package name */
		assert_string_equal(resolve(bin, "*errors.errorString")->elem->name,
				    "errors.errorString");

		expect_unresolved(bin, "main.Nope", "no type 'main.Nope'");
		expect_unresolved(bin, "struct { nope int }", "no type 'struct { nope int }'");
		expect_unresolved(bin, "Outer", "no type 'Outer'");
		expect_unresolved(bin, "map[string", "]");
		expect_unresolved(bin, "int int", "unexpected 'int'");
		gobin__free(bin);
	}
}

/* A package by its import path's last element or its name, when no other
 * package has it; else the path must be written. */
static void test_short_package_names(void **state)
{
	struct gobin *bin = open_testdata("go1.27/oracle-stripped");
	const struct go_type *t = resolve(bin, "*abi.Type");

	assert_string_equal(t->name, "*internal/abi.Type");
	assert_ptr_equal(resolve(bin, "*internal/abi.Type"), t);
	assert_string_equal(resolve(bin, "[]*abi.Type")->name, "[]*internal/abi.Type");
	/* "sync": sync and internal/sync */
	assert_non_null(resolve(bin, "sync.Mutex"));
	expect_unresolved(bin, "sync.NoSuchType",
			  "no type 'sync.NoSuchType' in the packages named 'sync'");
	gobin__free(bin);
}

/* Two packages named pb (testdata/wrappers): "pb.T" is the one that has T;
 * a T both have is a warning wherever it stands, inputs and results alike,
 * the value an address when the name lays it out (a pointer, a slice of
 * them), else an error. */
static void test_package_name_of_two(void **state)
{
	struct gobin *bin = open_testdata("wrappers-stripped");
	struct go_signature *sig;
	char why[512] = "";

	assert_string_equal(resolve(bin, "*pb.Request")->name,
			    "*gotrace/testdata/wrappers/pb.Request");
	assert_string_equal(resolve(bin, "pb.PutRequest")->name,
			    "gotrace/testdata/service/pb.PutRequest");
	expect_unresolved(bin, "pb.Owner", "'pb' names several packages with that type (");
	expect_unresolved(bin, "*pb.Nope", "no type 'pb.Nope' in the packages named 'pb'");
	/* one rule for inputs and results: a warning, addresses */
	sig = go_signature__parse("r *pb.Request, owners []*pb.Owner, n int", "*pb.Owner, int", why,
				  sizeof(why));
	assert_non_null(sig);
	assert_int_equal(go_signature__resolve(sig, bin, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "'pb' names several packages with that type"));
	assert_non_null(strstr(why, "pointers to them shown as addresses"));
	go_signature__free(sig);
	sig = go_signature__parse("o *pb.Owner", NULL, why, sizeof(why));
	assert_int_equal(go_signature__resolve(sig, bin, why, sizeof(why)), 1);
	go_signature__free(sig);
	sig = go_signature__parse("", "*pb.Owner", why, sizeof(why));
	assert_int_equal(go_signature__resolve(sig, bin, why, sizeof(why)), 1);
	go_signature__free(sig);
	/* a value whose layout no name gives: an error, as input or result */
	sig = go_signature__parse("o pb.Owner", NULL, why, sizeof(why));
	assert_int_equal(go_signature__resolve(sig, bin, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "type 'pb.Owner': 'pb' names several packages"));
	go_signature__free(sig);
	sig = go_signature__parse("", "pb.Owner", why, sizeof(why));
	assert_int_equal(go_signature__resolve(sig, bin, why, sizeof(why)), -EINVAL);
	go_signature__free(sig);
	gobin__free(bin);
}

static void expect_method(const struct gobin *bin, const char *func, int n_params,
			  const char *const *types)
{
	const struct go_func *f = find_or_fail(bin, func);
	struct go_func typed;
	int i;

	assert_false(f->has_dwarf);
	if (!gobin__method_signature(bin, f, &typed))
		fail_msg("%s: no signature from its descriptor", func);
	assert_int_equal(typed.low_pc, f->low_pc);
	assert_int_equal(typed.n_params, n_params);
	for (i = 0; i < n_params; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%s%d", typed.params[i].is_result ? "~r" : "~p",
			 typed.params[i].is_result ? i - (n_params - 1) : i);
		assert_string_equal(typed.params[i].type->name, types[i]);
		assert_string_equal(typed.params[i].name, name);
	}
}

/* A method that an interface may call keeps its func type in its
 * receiver's descriptor: the receiver first, then its inputs, results. */
static void test_method_signatures(void **state)
{
	static const char *const error_m[] = {"*main.MyErr", "string"};
	static const char *const match[] = {"main.Sig", "[]uint8", "int", "string"};
	static const char *const match_ptr[] = {"*main.Sig", "[]uint8", "int", "string"};
	size_t i;

	for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++) {
		struct gobin *bin = open_testdata(stripped[i]);
		struct go_func typed;

		expect_method(bin, "main.(*MyErr).Error", 2, error_m);
		expect_method(bin, "main.Sig.Match", 4, match);
		expect_method(bin, "main.(*Sig).Match", 4, match_ptr);
		assert_false(gobin__method_signature(bin, find_or_fail(bin, "main.Ints"), &typed));
		gobin__free(bin);
	}
}

/* ---- hostile descriptors, made by hand ---- */

#define BASE 0x10000
struct image {
	uint8_t bytes[4096];
};

static int read_image(void *ctx, uint64_t addr, void *dst, size_t size)
{
	struct image *im = ctx;

	if (addr < BASE || addr - BASE > sizeof(im->bytes) ||
	    size > sizeof(im->bytes) - (addr - BASE))
		return -EFAULT;
	memcpy(dst, im->bytes + (addr - BASE), size);
	return 0;
}

static void put(struct image *im, uint64_t at, uint64_t v, int size)
{
	memcpy(im->bytes + at, &v, size);
}

/* A Go 1.21 descriptor at AT: kind, size, and the name at NAME. */
static void descriptor(struct image *im, uint64_t at, int kind, uint64_t size, uint32_t name)
{
	put(im, at, size, 8);
	im->bytes[at + 21] = 8;
	im->bytes[at + 23] = kind;
	put(im, at + 40, name, 4);
}

static void test_hostile_descriptors(void **state)
{
	struct image im = {0};
	struct typedesc_source src = {.read = read_image, .ctx = &im, .major = 1, .minor = 21};
	struct descriptor_types *dt;
	const struct go_type *t;

	src.mod.types = BASE;
	src.mod.etypes = BASE + 2048;
	/* names: "*p" */
	memcpy(im.bytes + 8, "\x00\x02*p", 4);
	/* an unnamed pointer whose elem is itself */
	descriptor(&im, 64, GO_POINTER, 8, 8);
	put(&im, 64 + 48, BASE + 64, 8);
	/* a struct whose fields slice claims more than the region holds */
	descriptor(&im, 128, GO_STRUCT, 16, 8);
	put(&im, 128 + 56, BASE + 256, 8);
	put(&im, 128 + 64, 1u << 30, 8);
	/* a slice whose elem lies past etypes */
	descriptor(&im, 256, GO_SLICE, 24, 8);
	put(&im, 256 + 48, BASE + 4000, 8);
	/* a map whose group layout does not fit its group */
	descriptor(&im, 320, GO_MAP, 8, 8);
	put(&im, 320 + 48, BASE + 64, 8);
	put(&im, 320 + 56, BASE + 64, 8);
	im.bytes[320 + 80] = 8;
	im.bytes[320 + 81] = 200;
	put(&im, 320 + 82, 16, 2);
	/* a struct that holds itself, by value, and a field past its end */
	descriptor(&im, 576, GO_STRUCT, 8, 8);
	put(&im, 576 + 56, BASE + 704, 8);
	put(&im, 576 + 64, 2, 8);
	put(&im, 704 + 8, BASE + 576, 8);      /* f S at 0 */
	put(&im, 704 + 24 + 8, BASE + 512, 8); /* g int */
	put(&im, 704 + 24 + 16, 4, 8);	       /* at 4: past the end */
	/* an array whose elements do not make its size */
	descriptor(&im, 768, GO_ARRAY, 24, 8);
	put(&im, 768 + 48, BASE + 512, 8);
	put(&im, 768 + 64, 4, 8);
	/* a name whose length runs past the region */
	memcpy(im.bytes + 2040, "\x00\xff\xff\xff\x7f", 5);
	descriptor(&im, 512, GO_INT, 8, 2040);

	dt = typedesc__new(&src);
	assert_non_null(dt);
	t = typedesc__find(dt, BASE + 64);
	assert_non_null(t);
	assert_ptr_equal(t->elem, t);
	assert_string_equal(t->name, "*p"); /* its string: no name to make */
	t = typedesc__find(dt, BASE + 128);
	assert_int_equal(t->n_fields, 0);
	t = typedesc__find(dt, BASE + 256);
	assert_null(t->elem);
	t = typedesc__find(dt, BASE + 320);
	assert_null(t->map_layout);
	t = typedesc__find(dt, BASE + 512);
	assert_string_equal(t->name, "?");
	t = typedesc__find(dt, BASE + 576);
	assert_int_equal(t->n_fields, 2);
	assert_null(t->fields[0].type);
	assert_null(t->fields[1].type);
	assert_string_equal(t->fields[1].name, "?");
	assert_null(typedesc__find(dt, BASE + 768)->elem);
	/* not a descriptor: unaligned, outside, or of no kind */
	assert_null(typedesc__find(dt, BASE + 65));
	assert_null(typedesc__find(dt, BASE + 4000));
	assert_null(typedesc__find(dt, BASE + 1024));
	typedesc__free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_descriptors_match_dwarf),
	    cmocka_unit_test(test_module_data_by_version),
	    cmocka_unit_test(test_stripped_lists_types),
	    cmocka_unit_test(test_package_name_of_two),
	    cmocka_unit_test(test_resolve_types),
	    cmocka_unit_test(test_short_package_names),
	    cmocka_unit_test(test_method_signatures),
	    cmocka_unit_test(test_hostile_descriptors),
	};

	return cmocka_run_group_tests_name("symbols, runtime type descriptors", tests, NULL, NULL);
}
