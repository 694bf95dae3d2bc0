// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any text as a functions file (plan/funcs.c's line parser and
 * symbols/signature.c's signatures), each spec then resolved against a
 * small function table (globs, exact names, generic instantiations, ABI0
 * names), its signature applied to a function and compared with DWARF's.
 * Seeds: lines written from the testdata builds' DWARF signatures, and the
 * shapes the docs and tests use (tests/fuzz/seeds.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/funcs.h"
#include "symbols/internal.h"

/* A small function table, as gobin.c would build from a binary: names of
 * every shape the matching rules know (generic instantiations, wrappers,
 * ABI0 halves), some with DWARF parameters to compare signatures with. */
#define T(n, k, s)                                                                                 \
	{                                                                                          \
		.kind = k, .name = (char *)n, .size = s, .align = s > 8 ? 8 : s ? s : 1            \
	}
static struct go_type types[] = {
    T("int", GO_INT, 8),
    T("int8", GO_INT8, 1),
    T("string", GO_STRING, 16),
    T("[]uint8", GO_SLICE, 24),
    T("error", GO_INTERFACE, 16),
    T("interface {}", GO_INTERFACE, 16),
    T("*main.Counter", GO_POINTER, 8),
    T("map[string]int", GO_MAP, 8),
    T("main.Celsius", GO_FLOAT64, 8),
    T("func(int) error", GO_FUNC, 8),
};

#define P(n, t, r)                                                                                 \
	{                                                                                          \
		.name = (char *)n, .type = &types[t], .is_result = r                               \
	}
static struct go_param ints_params[] = {P("a", 1, false), P("b", 0, false), P("~r0", 0, true)};
static struct go_param f_params[] = {P("s", 2, false), P("b", 3, false), P("n", 0, true),
				     P("err", 4, true)};
static struct go_param add_params[] = {P("c", 6, false), P("delta", 0, false)};
static struct go_param any_params[] = {P("v", 5, false), P("m", 7, false), P("t", 8, false),
				       P("fn", 9, false), P("~r0", 4, true)};

#define F(n, p)                                                                                    \
	{                                                                                          \
		.name = (char *)n, .low_pc = 0x401000, .high_pc = 0x401100, .params = p,           \
		.n_params = sizeof(p) / sizeof(p[0]), .has_dwarf = true                            \
	}
#define G(n)                                                                                       \
	{                                                                                          \
		.name = (char *)n, .low_pc = 0x402000, .high_pc = 0x402100                         \
	}
#define W(n)                                                                                       \
	{                                                                                          \
		.name = (char *)n, .low_pc = 0x403000, .high_pc = 0x403100, .is_wrapper = true     \
	}
static struct go_func funcs[] = {
    F("main.Ints", ints_params),
    F("main.f", f_params),
    F("main.(*Counter).Add", add_params),
    F("main.Any", any_params),
    G("main.Sum[go.shape.int]"),
    G("main.Sum[go.shape.string_0]"),
    G("main.Sum[...]"),
    G("main.(*Gen[go.shape.int]).Get"),
    G("main.Gen[go.shape.*uint8].Put"),
    G("main.Pair[go.shape.int,go.shape.string]"),
    G("main.f.func1"),
    W("main.(*T).M-fm"),
    G("main.asmAdd.abi0"),
    G("net/http.(*conn).serve"),
    G("net/http.HandlerFunc.ServeHTTP"),
    G("runtime.sigtramp.abi0"),
    W("type:.eq.main.T"),
    W("go.shape.int"),
    G("main.init"),
    G("main.main"),
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct go_func *)a)->name, ((const struct go_func *)b)->name);
}

static struct gobin bin = {.funcs = funcs, .n_funcs = sizeof(funcs) / sizeof(funcs[0])};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	qsort(funcs, bin.n_funcs, sizeof(funcs[0]), by_name); /* as gobin.c keeps them */
	return 0;
}

static void one_line(const char *msg)
{
	if (strchr(msg, '\n'))
		abort();
}

static void try_signature(const struct func_spec *spec, const struct go_func *f)
{
	struct go_func copy = *f;
	char buf[1024], err[256] = "";
	int i;

	if (func_spec__check_signature(spec, f, "DWARF", true, NULL, buf, sizeof(buf)) !=
	    GO_SIGNATURE_SAME)
		one_line(buf);
	func_spec__check_signature(spec, f, "DWARF", false, NULL, buf, sizeof(buf));
	if (!spec->sig)
		return;
	go_signature__format(spec->sig, true, buf, sizeof(buf));
	if (go_signature__apply(spec->sig, &copy, err, sizeof(err)) == 0) {
		for (i = 0; i < copy.n_params; i++)
			if (!copy.params[i].type || !copy.params[i].name)
				abort();
		go_func__format_signature(&copy, true, buf, sizeof(buf));
	}
	one_line(err);
	copy = *f;
	if (go_signature__apply_results((struct go_signature *)spec->sig, &copy, err,
					sizeof(err)) == 0)
		go_func__format_signature(&copy, true, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct func_specs fs = {0};
	char *text = malloc(size + 1), *line, *next, err[1024];
	int lineno = 0, *matches = NULL, n_matches = 0, i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		err[0] = 0;
		/* a malformed line: the next ones are read anyway, to go further */
		func_specs__add_line(&fs, line, "fuzz", ++lineno, err, sizeof(err));
		one_line(err);
	}
	err[0] = 0;
	if (func_specs__resolve(&fs, &bin, &matches, &n_matches, err, sizeof(err)) == 0)
		for (i = 0; i < n_matches; i++)
			if (matches[i] < 0 || matches[i] >= bin.n_funcs)
				abort();
	one_line(err);
	free(matches);
	for (i = 0; i < fs.n; i++) {
		const struct go_func *f = gobin__find_func(&bin, fs.specs[i].pattern);

		try_signature(&fs.specs[i], f ? f : &funcs[i % bin.n_funcs]);
	}
	func_specs__free(&fs);
	free(text);
	return 0;
}
