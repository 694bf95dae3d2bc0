// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -l, plain and JSON: each function's parameters and results as DWARF
 * gives them, or why it does not, and what to give instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/list.h"
#include "decode/json_writer.h"

/* What a function without DWARF needs: an unstripped binary's such
 * functions are assembly, which always use the stack ABI (ABI0). */
static const char *why_unknown(const struct gobin *bin, const struct go_func *f)
{
	if (f->has_dwarf)
		return NULL;
	if (gobin__has_dwarf(bin))
		return "assembly, stack ABI (ABI0), no DWARF: give its signature in a functions "
		       "file (-f)";
	return "no DWARF: give its signature in a functions file (-f), or --debug-file";
}

static bool uses_stack_abi(const struct gobin *bin, const struct go_func *f)
{
	int major, minor;

	if (f->abi == GO_ABI0)
		return true;
	return gobin__go_version_number(bin, &major, &minor) && major == 1 && minor < 17;
}

static const char *type_name(const struct go_param *p)
{
	return p->type && p->type->name ? p->type->name : "?";
}

/* "main.f(a int, s string) (int, error)", as Go writes a signature */
static void list_function_plain(FILE *out, const struct gobin *bin, const struct go_func *f)
{
	const char *why = why_unknown(bin, f);
	bool named_results = false;
	int i, n_in = 0, n_out = 0;

	if (why) {
		fprintf(out, "%s(?) [%s]\n", f->name, why);
		return;
	}
	fprintf(out, "%s(", f->name);
	for (i = 0; i < f->n_params; i++) {
		const struct go_param *p = &f->params[i];

		if (p->is_result) {
			n_out++;
			if (p->name && p->name[0] != '~')
				named_results = true;
			continue;
		}
		fprintf(out, "%s%s %s", n_in++ ? ", " : "", p->name ? p->name : "_", type_name(p));
	}
	fputc(')', out);
	if (n_out)
		fputs(n_out > 1 || named_results ? " (" : " ", out);
	for (i = 0, n_out = 0; i < f->n_params; i++) {
		const struct go_param *p = &f->params[i];

		if (!p->is_result)
			continue;
		if (n_out++)
			fputs(", ", out);
		if (named_results)
			fprintf(out, "%s ", p->name);
		fputs(type_name(p), out);
	}
	if (n_out > 1 || (n_out && named_results))
		fputc(')', out);
	if (!gobin__dwarf_lists_results(bin))
		fputs(" [results unknown: this Go's DWARF lists none]", out);
	fputc('\n', out);
}

static void json_params(struct json_writer *jw, const struct go_func *f, bool results)
{
	int i;

	jw_start_array(jw);
	for (i = 0; i < f->n_params; i++) {
		const struct go_param *p = &f->params[i];

		if (p->is_result != results)
			continue;
		jw_start_object(jw);
		jw_string_field(jw, "name", p->name ? p->name : "_");
		jw_string_field(jw, "type", type_name(p));
		jw_end_object(jw);
	}
	jw_end_array(jw);
}

/* {"func":…,"abi":…,"params":[{"name":…,"type":…}],"results":[…]} */
static void list_function_json(struct json_writer *jw, const struct gobin *bin,
			       const struct go_func *f)
{
	const char *why = why_unknown(bin, f);

	jw_start_object(jw);
	jw_string_field(jw, "func", f->name);
	jw_string_field(jw, "abi", uses_stack_abi(bin, f) ? "stack" : "register");
	jw_name(jw, "params");
	if (why)
		jw_null(jw);
	else
		json_params(jw, f, false);
	jw_name(jw, "results");
	if (why || !gobin__dwarf_lists_results(bin))
		jw_null(jw);
	else
		json_params(jw, f, true);
	if (why)
		jw_string_field(jw, "unknown", why);
	else if (!gobin__dwarf_lists_results(bin))
		jw_string_field(jw, "unknown", "results: this Go's DWARF lists none");
	jw_end_object(jw);
}

int list_functions(FILE *out, const struct gobin *bin, const int *matches, int n_matches, bool json)
{
	struct json_writer *jw = NULL;
	int i;

	if (json) {
		jw = jw__new(out);
		if (!jw)
			return -ENOMEM;
	}
	for (i = 0; i < n_matches; i++) {
		const struct go_func *f = gobin__func(bin, matches[i]);

		if (json)
			list_function_json(jw, bin, f);
		else
			list_function_plain(out, bin, f);
	}
	jw__free(jw);
	return 0;
}
