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

#define NAMES_SHOWN 3

void func_names__add(struct func_names *fn, const char *name)
{
	size_t used = strlen(fn->names);

	if (fn->last && !strcmp(fn->last, name))
		return;
	fn->last = name;
	if (fn->count++ < NAMES_SHOWN)
		snprintf(fn->names + used, sizeof(fn->names) - used, "%s%s", used ? ", " : "",
			 name);
}

void func_names__format(const struct func_names *fn, char *buf, size_t len)
{
	if (fn->count > NAMES_SHOWN)
		snprintf(buf, len, "%s and %d more", fn->names, fn->count - NAMES_SHOWN);
	else
		snprintf(buf, len, "%s", fn->names);
}

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
 * a functions-file signature (its types found in --debug-file's DWARF, or
 * in the binary's DWARF or runtime type descriptors), the same function in
 * --debug-file, the descriptor that lists it as a method with its func
 * type, or the raw argument registers and stack words, said so in the plan.
 */
int typed_without_dwarf(const struct gobin *bin, const struct go_func *f,
			const struct gobin *debug_bin, bool stack_abi, struct go_func *typed,
			struct go_signature **sig, struct func_names *raw,
			enum types_source *source)
{
	static uint64_t warned; /* the last function warned of */
	const struct go_func *debug_f;
	char errbuf[512];
	int i, err;

	*typed = *f;
	*sig = NULL;
	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];

		if (!spec->signature || !matches_spec(spec->pattern, f->name))
			continue;
		*sig = go_signature__parse(spec->signature, spec->results, errbuf, sizeof(errbuf));
		err = *sig ? go_signature__resolve(*sig, debug_bin ? debug_bin : bin, errbuf,
						   sizeof(errbuf))
			   : -EINVAL;
		/* once per function: its entry and return plans come in a row */
		if (err > 0 && warned != f->low_pc)
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
		if (err > 0)
			warned = f->low_pc;
		if (err < 0 || go_signature__apply(*sig, typed, errbuf, sizeof(errbuf))) {
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
			return -EINVAL;
		}
		typed->has_dwarf = true;
		*source = TYPES_FUNCS_FILE;
		return 0;
	}
	if (debug_bin && (debug_f = gobin__find_func(debug_bin, f->name)) && debug_f->has_dwarf) {
		typed->params = debug_f->params;
		typed->n_params = debug_f->n_params;
		typed->has_dict = debug_f->has_dict;
		typed->dict_index = debug_f->dict_index;
		typed->has_dwarf = true;
		*source = TYPES_DEBUG_FILE;
		return 0;
	}
	if (gobin__method_signature(bin, f, typed)) {
		typed->has_dwarf = true;
		*source = TYPES_TYPE_DESCRIPTOR;
		return 0;
	}
	*source = TYPES_RAW;
	if (!raw)
		return 1;
	*sig = go_signature__raw(stack_abi);
	if (!*sig) {
		report("out of memory");
		return -ENOMEM;
	}
	go_signature__apply(*sig, typed, errbuf, sizeof(errbuf));
	func_names__add(raw, f->name);
	return 1;
}

void report_raw_functions(const struct gobin *bin, const struct func_names *raw)
{
	char names[300];

	if (!raw->count)
		return;
	func_names__format(raw, names, sizeof(names));
	/* an unstripped binary's functions without DWARF are assembly's */
	if (gobin__has_dwarf(bin) && raw->count == 1)
		report("%s is assembly, without DWARF: it takes its arguments on the stack "
		       "(ABI0); give its signature in a functions file (-f), as in "
		       "'main.f(a int64, s string) int64'; until then its arguments show as raw "
		       "stack words",
		       names);
	else if (gobin__has_dwarf(bin))
		report("%d functions are assembly, without DWARF (%s): they take their arguments "
		       "on the stack (ABI0); give their signatures in a functions file (-f), as in "
		       "'main.f(a int64, s string) int64'; until then their arguments show as raw "
		       "stack words",
		       raw->count, names);
	else if (raw->count == 1)
		report("%s has no DWARF: without a signature in a functions file (-f) or "
		       "--debug-file, its arguments show as raw registers and stack words",
		       names);
	else
		report("%d functions have no DWARF (%s): without signatures in a functions file "
		       "(-f) or --debug-file, their arguments show as raw registers and stack "
		       "words",
		       raw->count, names);
}

/* A raw word may be an address, a length or an integer: hex reads as
 * registers do in a debugger. An unfollowed pointer prints "0x..." and
 * nothing else when it has no reason. */
void untyped_words_in_hex(struct decoded_event *de)
{
	int i;

	for (i = 0; i < de->n_args; i++) {
		struct value *v = &de->args[i].value;

		if (v->kind != VAL_UINT)
			continue;
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->reason = REASON_NONE;
	}
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
int typed_results(const struct gobin *bin, const struct go_func *f, struct go_func *typed,
		  struct go_signature **sig, struct func_names *missing)
{
	char errbuf[256];
	int i, err;

	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];

		if (!spec->results || !matches_spec(spec->pattern, f->name))
			continue;
		*sig = go_signature__parse("", spec->results, errbuf, sizeof(errbuf));
		if (f != typed)
			*typed = *f;
		err = *sig ? go_signature__resolve(*sig, bin, errbuf, sizeof(errbuf)) : -EINVAL;
		if (err > 0)
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
		if (err >= 0)
			err = go_signature__apply_results(*sig, typed, errbuf, sizeof(errbuf));
		if (err) {
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
			return err;
		}
		return 1;
	}
	if (!has_results(f))
		func_names__add(missing, f->name);
	return 0;
}
