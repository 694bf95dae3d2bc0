// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -l: for each function, where its parameters come from (its DWARF, or
 * what tracing would take without it: plan/untyped.c), and why they are
 * unknown when nothing gives them; output/ prints it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/list.h"
#include "cmd/env.h"
#include "plan/untyped.h"
#include "output/output.h"

/* What a function without DWARF needs: an unstripped binary's such
 * functions are assembly, which always use the stack ABI (ABI0). */
static enum list_unknown why_unknown(const struct gobin *bin, const struct go_func *f)
{
	if (f->has_dwarf)
		return LIST_KNOWN;
	if (gobin__has_dwarf(bin))
		return LIST_UNKNOWN_ASSEMBLY;
	return LIST_UNKNOWN_NO_DWARF;
}

static bool uses_stack_abi(const struct gobin *bin, const struct go_func *f)
{
	int major, minor;

	if (f->abi == GO_ABI0)
		return true;
	return gobin__go_version_number(bin, &major, &minor) && major == 1 && minor < 17;
}

/* F's parameters as tracing would take them, and from where. */
static int listed_from(const struct gobin *bin, const struct gobin *debug_bin,
		       const struct go_func *f, struct go_func *typed, struct go_signature **sig,
		       struct listed_func *l)
{
	enum types_source source;
	int err;

	memset(l, 0, sizeof(*l));
	l->func = f;
	l->results_unknown = !gobin__dwarf_lists_results(bin);
	if (f->has_dwarf)
		return 0;
	err = typed_without_dwarf(bin, f, debug_bin, &env->specs, false, typed, sig, NULL, &source,
				  report);
	if (err)
		return err < 0 ? err : 0;
	l->func = typed;
	l->results_unknown = false;
	switch (source) {
	case TYPES_FUNCS_FILE:
		l->from = LIST_FROM_FUNCS_FILE;
		break;
	case TYPES_DEBUG_FILE:
		l->from = LIST_FROM_DEBUG_FILE;
		l->results_unknown = !gobin__dwarf_lists_results(debug_bin);
		break;
	case TYPES_TYPE_DESCRIPTOR:
		l->from = LIST_FROM_TYPE_DESCRIPTOR;
		break;
	case TYPES_RAW:
		l->from = LIST_FROM_RAW;
		break;
	}
	return 0;
}

int list_functions(FILE *out, const struct gobin *bin, const struct gobin *debug_bin,
		   const int *matches, int n_matches, bool json)
{
	int i, err = 0;

	for (i = 0; i < n_matches && !err; i++) {
		struct go_signature *sig = NULL;
		struct go_func typed;
		struct listed_func l;

		err = listed_from(bin, debug_bin, gobin__func(bin, matches[i]), &typed, &sig, &l);
		if (!err) {
			l.unknown = why_unknown(bin, l.func);
			l.stack_abi = uses_stack_abi(bin, l.func);
			err = output_listed(out, json, &l);
		}
		go_signature__free(sig);
	}
	return err;
}
