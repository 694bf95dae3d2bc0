// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A stripped binary's functions have no parameters: they get them from a
 * functions file, from an unstripped build (--debug-file), from a runtime
 * type descriptor or, failing all, as raw registers and stack words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "plan/untyped.h"
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

/* FUNC names F, or the assembly function F.abi0 */
static bool matches_spec(const char *pattern, const char *name)
{
	return !strcmp(pattern, name) || go_name_is_abi0_of(name, pattern);
}

/*
 * A function of a binary without DWARF gets its parameters from, in order:
 * a functions-file signature (its types found in --debug-file's DWARF, or
 * in the binary's DWARF or runtime type descriptors), the same function in
 * --debug-file, the descriptor that lists it as a method with its func
 * type, or the raw argument registers and stack words, said so in the plan.
 */
int typed_without_dwarf(const struct gobin *bin, const struct go_func *f,
			const struct gobin *debug_bin, const struct func_specs *specs, bool stack_abi,
			struct go_func *typed, struct go_signature **sig, struct func_names *raw,
			enum types_source *source, plan_report_fn report)
{
	const struct go_func *debug_f;
	char errbuf[512];
	int i, err;

	*typed = *f;
	*sig = NULL;
	for (i = 0; i < specs->n; i++) {
		const struct func_spec *spec = &specs->specs[i];

		if (!spec->signature || !matches_spec(spec->pattern, f->name))
			continue;
		*sig = go_signature__parse(spec->signature, spec->results, errbuf, sizeof(errbuf));
		err = *sig ? go_signature__resolve(*sig, debug_bin ? debug_bin : bin, errbuf,
						   sizeof(errbuf))
			   : -EINVAL;
		if (err > 0)
			report("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			       errbuf);
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

void report_raw_functions(const struct gobin *bin, const struct func_names *raw,
			  plan_report_fn report)
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
int typed_results(const struct gobin *bin, const struct go_func *f,
		  const struct func_specs *specs, struct go_func *typed, struct go_signature **sig,
		  struct func_names *missing, plan_report_fn report)
{
	char errbuf[256];
	int i, err;

	for (i = 0; i < specs->n; i++) {
		const struct func_spec *spec = &specs->specs[i];

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
