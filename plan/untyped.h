/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types for the functions of a binary without DWARF: from a functions
 * file's signatures (SPECS), from --debug-file, from the runtime type
 * descriptors of methods, or none (raw words). Warnings go to REPORT.
 */
#ifndef GOTRACE_PLAN_UNTYPED_H
#define GOTRACE_PLAN_UNTYPED_H

#include <stdbool.h>
#include <stddef.h>
#include "plan/funcs.h"
#include "plan/report.h"
#include "symbols/symbols.h"

/* The functions a warning concerns: how many, and the first few names. */
struct func_names {
	int count;
	char names[256];
	const char *last; /* a function's entry and return plans come in a row */
};

void func_names__add(struct func_names *fn, const char *name);
/* "main.a, main.b, main.c and 4 more" into buf. */
void func_names__format(const struct func_names *fn, char *buf, size_t len);

/* Where the parameters of a function without DWARF come from. */
enum types_source {
	TYPES_FUNCS_FILE,      /* a functions-file signature (-f) */
	TYPES_DEBUG_FILE,      /* --debug-file's DWARF */
	TYPES_TYPE_DESCRIPTOR, /* a runtime type descriptor that lists it as a method */
	TYPES_RAW,	       /* none: raw registers and stack words */
};

/* F of BIN, without DWARF, with parameters from elsewhere: into *TYPED,
 * whose parameters *SIG then owns (NULL if they are --debug-file's or a
 * descriptor's); *SOURCE says where from. Returns 0, 1 when they are raw
 * registers and stack words (F is then added to RAW, for one warning;
 * with RAW NULL, *TYPED keeps no parameters), or a negative errno,
 * reported. */
int typed_without_dwarf(const struct gobin *bin, const struct go_func *f,
			const struct gobin *debug_bin, const struct func_specs *specs, bool stack_abi,
			struct go_func *typed, struct go_signature **sig, struct func_names *raw,
			enum types_source *source, plan_report_fn report);
/* The one warning for the functions of RAW, in BIN. */
void report_raw_functions(const struct gobin *bin, const struct func_names *raw,
			  plan_report_fn report);

/* Go 1.17: F's results from a functions-file signature, their types in
 * BIN, into *TYPED (whose results *SIG then owns). Returns 1 when one was
 * given, 0 when not (F is then counted in *MISSING), or a negative errno,
 * reported. */
int typed_results(const struct gobin *bin, const struct go_func *f,
		  const struct func_specs *specs, struct go_func *typed, struct go_signature **sig,
		  struct func_names *missing, plan_report_fn report);

#endif /* GOTRACE_PLAN_UNTYPED_H */
