// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -l, plain and JSON: each function's parameters and results as DWARF
 * gives them, or as tracing would take them without it (untyped.c), said
 * so; or why they are unknown, and what to give instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/list.h"
#include "cmd/untyped.h"
#include "output/json_writer.h"

/* Where a listed function's parameters come from when not its own DWARF. */
struct listed {
	const struct go_func *func; /* with its parameters */
	const char *from;	    /* JSON's "from", or NULL: the binary's DWARF */
	const char *mark;	    /* the text's */
	bool results_unknown;	    /* Go 1.17's DWARF gave them */
};

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
static void list_function_plain(FILE *out, const struct gobin *bin, const struct listed *l)
{
	const struct go_func *f = l->func;
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
	if (l->results_unknown)
		fputs(" [results unknown: this Go's DWARF lists none]", out);
	if (l->mark)
		fprintf(out, " [%s]", l->mark);
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
			       const struct listed *l)
{
	const struct go_func *f = l->func;
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
	if (why || l->results_unknown)
		jw_null(jw);
	else
		json_params(jw, f, true);
	if (why)
		jw_string_field(jw, "unknown", why);
	else if (l->results_unknown)
		jw_string_field(jw, "unknown", "results: this Go's DWARF lists none");
	if (l->from)
		jw_string_field(jw, "from", l->from);
	jw_end_object(jw);
}

/* F's parameters as tracing would take them, and from where. */
static int listed_from(const struct gobin *bin, const struct gobin *debug_bin,
		       const struct go_func *f, struct go_func *typed, struct go_signature **sig,
		       struct listed *l)
{
	enum types_source source;
	int err;

	memset(l, 0, sizeof(*l));
	l->func = f;
	l->results_unknown = !gobin__dwarf_lists_results(bin);
	if (f->has_dwarf)
		return 0;
	err = typed_without_dwarf(bin, f, debug_bin, false, typed, sig, NULL, &source);
	if (err)
		return err < 0 ? err : 0;
	l->func = typed;
	l->results_unknown = false;
	switch (source) {
	case TYPES_FUNCS_FILE:
		l->from = "functions-file";
		l->mark = "from the functions file";
		break;
	case TYPES_DEBUG_FILE:
		l->from = "debug-file";
		l->mark = "from --debug-file";
		l->results_unknown = !gobin__dwarf_lists_results(debug_bin);
		break;
	case TYPES_TYPE_DESCRIPTOR:
		l->from = "type-descriptor";
		l->mark = "from the method's runtime type descriptor";
		break;
	case TYPES_RAW:
		break;
	}
	return 0;
}

int list_functions(FILE *out, const struct gobin *bin, const struct gobin *debug_bin,
		   const int *matches, int n_matches, bool json)
{
	struct json_writer *jw = NULL;
	int i, err = 0;

	if (json) {
		jw = jw__new(out);
		if (!jw)
			return -ENOMEM;
	}
	for (i = 0; i < n_matches && !err; i++) {
		struct go_signature *sig = NULL;
		struct go_func typed;
		struct listed l;

		err = listed_from(bin, debug_bin, gobin__func(bin, matches[i]), &typed, &sig, &l);
		if (!err && json)
			list_function_json(jw, bin, &l);
		else if (!err)
			list_function_plain(out, bin, &l);
		go_signature__free(sig);
	}
	jw__free(jw);
	return err;
}
