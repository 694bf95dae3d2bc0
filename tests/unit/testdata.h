/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The unit tests' way to open the Go programs `make testdata` builds. */
#ifndef GOTRACE_TESTS_TESTDATA_H
#define GOTRACE_TESTS_TESTDATA_H

static inline struct gobin *open_testdata(const char *name)
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

static inline const struct go_func *find_or_fail(const struct gobin *bin, const char *name)
{
	const struct go_func *f = gobin__find_func(bin, name);

	if (!f)
		fail_msg("function %s not found", name);
	return f;
}

static inline struct gobin *open_oracle(const char *version)
{
	char name[64];

	snprintf(name, sizeof(name), "go%s/oracle", version);
	return open_testdata(name);
}

static inline const struct go_func *must_find_in(const struct gobin *bin, const char *name)
{
	const struct go_func *f = find_or_fail(bin, name);

	assert_true(f->has_dwarf);
	return f;
}

static inline void check_param(const struct go_param *p, const char *name, enum go_kind kind,
			       const char *type_name, uint64_t size, bool is_result)
{
	assert_string_equal(p->name, name);
	assert_non_null(p->type);
	assert_int_equal(p->type->kind, kind);
	assert_string_equal(p->type->name, type_name);
	assert_int_equal(p->type->size, size);
	assert_int_equal(p->is_result, is_result);
}

#endif /* GOTRACE_TESTS_TESTDATA_H */
