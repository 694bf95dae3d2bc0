// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A stripped binary's functions have no parameters: they get them from a
 * functions file, from an unstripped build (--debug-file) or, failing
 * both, as raw registers and stack words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/env.h"
#include "cmd/untyped.h"
#include "symbols/goruntime.h"

static bool raw_warned;

/* The third part of a Go build ID, "a/b/c/d", into buf. */
static bool build_id_part3(const char *id, char *buf, size_t len)
{
	const char *p = id;
	int i;

	for (i = 0; i < 2 && p; i++) {
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return false;
	snprintf(buf, len, "%.*s", (int)strcspn(p, "/"), p);
	return true;
}

/* Whether two Go build IDs come from the same compiled main package. */
static bool same_compile(const char *a, const char *b)
{
	char pa[128], pb[128];

	if (!build_id_part3(a, pa, sizeof(pa)) || !build_id_part3(b, pb, sizeof(pb)))
		return !strcmp(a, b);
	return !strcmp(pa, pb);
}

/* FUNC names F, or the assembly function F.abi0 */
static bool matches_spec(const char *pattern, const char *name)
{
	return !strcmp(pattern, name) || go_name_is_abi0_of(name, pattern);
}

int open_debug_file(const char *path, struct gobin *bin, const char *target,
		    struct gobin **out)
{
	char errbuf[1024] = "", id[256], debug_id[256];
	struct gobin *debug_bin;
	int err;

	debug_bin = gobin__open(path, errbuf, sizeof(errbuf), &err);
	if (!debug_bin) {
		report("--debug-file %s: %s", path, errbuf);
		return err ? err : -EINVAL;
	}
	if (!gobin__has_dwarf(debug_bin)) {
		report("--debug-file %s: it has no DWARF either", path);
		err = -EINVAL;
		goto cleanup;
	}
	/* a Go executable's build ID has four parts; the third is the
	 * main package's compiled content, the same whatever -ldflags
	 * stripped (cmd/go/internal/work/buildid.go) */
	if (gobin__build_id(bin, id, sizeof(id)) &&
	    gobin__build_id(debug_bin, debug_id, sizeof(debug_id)) && !same_compile(id, debug_id)) {
		report("--debug-file %s: its Go build ID is not from the same source as %s's", path,
		       target);
		err = -EINVAL;
		goto cleanup;
	}
	/* a stripped pclntab elides generic names ("main.Sum[...]"): the
	 * --debug-file build names each instantiation by its entry */
	err = gobin__names_from(bin, debug_bin);
	if (err) {
		report("--debug-file %s: %s", path, strerror(-err));
		goto cleanup;
	}
	*out = debug_bin;
	return 0;

cleanup:
	gobin__free(debug_bin);
	return err;
}

/*
 * A function of a binary without DWARF gets its parameters from, in order:
 * a functions-file signature, the same function in --debug-file, or the raw
 * argument registers and stack words, said so in the plan.
 */
int typed_without_dwarf(const struct go_func *f, const struct gobin *debug_bin, bool stack_abi,
			struct go_func *typed, struct go_signature **sig)
{
	const struct go_func *debug_f;
	char errbuf[256];
	int i;

	*typed = *f;
	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];

		if (!spec->signature || !matches_spec(spec->pattern, f->name))
			continue;
		*sig = go_signature__parse(spec->signature, spec->results, errbuf, sizeof(errbuf));
		if (!*sig || go_signature__apply(*sig, typed, errbuf, sizeof(errbuf))) {
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
			return -EINVAL;
		}
		typed->has_dwarf = true;
		return 0;
	}
	if (debug_bin && (debug_f = gobin__find_func(debug_bin, f->name)) && debug_f->has_dwarf) {
		typed->params = debug_f->params;
		typed->n_params = debug_f->n_params;
		typed->has_dict = debug_f->has_dict;
		typed->dict_index = debug_f->dict_index;
		typed->has_dwarf = true;
		return 0;
	}
	*sig = go_signature__raw(stack_abi);
	if (!*sig) {
		report("out of memory");
		return -ENOMEM;
	}
	go_signature__apply(*sig, typed, errbuf, sizeof(errbuf));
	if (!raw_warned) {
		raw_warned = true;
		report("%s has no DWARF: without a signature in a functions file (-f) or "
		       "--debug-file, arguments show as raw registers and stack words",
		       f->name);
	}
	return 0;
}

static bool has_results(const struct go_func *f)
{
	int i;

	for (i = 0; i < f->n_params; i++)
		if (f->params[i].is_result)
			return true;
	return false;
}

/*
 * Go 1.17's DWARF lists no results: a functions-file signature's results
 * ("main.f(int) (string, error)") stand in for them, next to DWARF's
 * inputs. Functions without one are remembered, to be named in a warning.
 */
int typed_results(const struct go_func *f, struct go_func *typed, struct go_signature **sig,
		  struct missing_results *missing)
{
	char errbuf[256];
	size_t used;
	int i, err;

	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];

		if (!spec->results || !matches_spec(spec->pattern, f->name))
			continue;
		*sig = go_signature__parse("", spec->results, errbuf, sizeof(errbuf));
		if (f != typed)
			*typed = *f;
		err = *sig ? go_signature__apply_results(*sig, typed, errbuf, sizeof(errbuf))
			   : -EINVAL;
		if (err) {
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
			return err;
		}
		return 1;
	}
	if (!has_results(f) && missing->count++ < 3) {
		used = strlen(missing->names);
		snprintf(missing->names + used, sizeof(missing->names) - used, "%s%s",
			 used ? ", " : "", f->name);
	}
	return 0;
}
