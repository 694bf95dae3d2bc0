/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types for the functions of a binary without DWARF: from a functions
 * file's signatures, from --debug-file, or none (raw words).
 */
#ifndef GOTRACE_UNTYPED_H
#define GOTRACE_UNTYPED_H

#include <stdbool.h>
#include "symbols/symbols.h"

/* --debug-file PATH for BIN (at TARGET): a build of the same source that
 * has DWARF. Returns 0 or a negative errno, reported. */
int open_debug_file(const char *path, struct gobin *bin, const char *target,
		    struct gobin **out);

/* F, without DWARF, with parameters from elsewhere: into *TYPED, whose
 * parameters *SIG then owns (NULL if they are --debug-file's). Returns 0 or
 * a negative errno, reported. */
int typed_without_dwarf(const struct go_func *f, const struct gobin *debug_bin, bool stack_abi,
			struct go_func *typed, struct go_signature **sig);

/* Functions whose returns show no results, for one warning. */
struct missing_results {
	int count;
	char names[200];
};

/* Go 1.17: F's results from a functions-file signature, into *TYPED (whose
 * results *SIG then owns). Returns 1 when one was given, 0 when not (F is
 * then counted in *MISSING), or a negative errno, reported. */
int typed_results(const struct go_func *f, struct go_func *typed, struct go_signature **sig,
		  struct missing_results *missing);

#endif /* GOTRACE_UNTYPED_H */
