// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -l, plain and JSON: each function's parameters and results as DWARF
 * gives them, or as tracing would take them without it, said so; or why
 * they are unknown, and what to give instead. cmd/ finds out which.
 */
#include <errno.h>
#include <stdio.h>
#include "output/internal.h"
#include "symbols/symbols.h"

/* What a function without DWARF needs. */
static const char *unknown_words(enum list_unknown unknown)
{
	switch (unknown) {
	case LIST_KNOWN:
		return NULL;
	case LIST_UNKNOWN_ASSEMBLY:
		return "assembly, stack ABI (ABI0), no DWARF: give its signature in a functions "
		       "file (-f)";
	case LIST_UNKNOWN_NO_DWARF:
		return "no DWARF: give its signature in a functions file (-f), or --debug-file";
	}
	return NULL;
}

/* JSON's "from", or NULL: the binary's DWARF, or raw words. */
static const char *source_name(enum list_source from)
{
	switch (from) {
	case LIST_FROM_DWARF:
	case LIST_FROM_RAW:
		return NULL;
	case LIST_FROM_FUNCS_FILE:
		return "functions-file";
	case LIST_FROM_DEBUG_FILE:
		return "debug-file";
	case LIST_FROM_TYPE_DESCRIPTOR:
		return "type-descriptor";
	}
	return NULL;
}

/* The text's mark for the same. */
static const char *source_mark(enum list_source from)
{
	switch (from) {
	case LIST_FROM_DWARF:
	case LIST_FROM_RAW:
		return NULL;
	case LIST_FROM_FUNCS_FILE:
		return "from the functions file";
	case LIST_FROM_DEBUG_FILE:
		return "from --debug-file";
	case LIST_FROM_TYPE_DESCRIPTOR:
		return "from the method's runtime type descriptor";
	}
	return NULL;
}

static const char *type_name(const struct go_param *p)
{
	return p->type && p->type->name ? p->type->name : "?";
}

/* "main.f(a int, s string) (int, error)", as Go writes a signature */
static void list_function_plain(FILE *out, const struct listed_func *l)
{
	const struct go_func *f = l->func;
	const char *why = unknown_words(l->unknown), *mark = source_mark(l->from);
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
	if (mark)
		fprintf(out, " [%s]", mark);
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
static void list_function_json(struct json_writer *jw, const struct listed_func *l)
{
	const struct go_func *f = l->func;
	const char *why = unknown_words(l->unknown), *from = source_name(l->from);

	jw_start_object(jw);
	jw_string_field(jw, "func", f->name);
	jw_string_field(jw, "abi", l->stack_abi ? "stack" : "register");
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
	if (from)
		jw_string_field(jw, "from", from);
	jw_end_object(jw);
}

int output_listed(FILE *out, bool json, const struct listed_func *l)
{
	struct json_writer *jw;

	if (!json) {
		list_function_plain(out, l);
		return 0;
	}
	jw = jw__new(out);
	if (!jw)
		return -ENOMEM;
	list_function_json(jw, l);
	jw__free(jw);
	return 0;
}
