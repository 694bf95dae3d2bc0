/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which functions to trace: FUNC patterns from the command line or a
 * functions file, matched against the binary's symbols.
 */
#ifndef GOTRACE_FUNCS_H
#define GOTRACE_FUNCS_H

#include <stdbool.h>
#include <stddef.h>
#include "symbols/symbols.h"

struct func_spec {
	char *pattern;	 /* exact name or glob */
	char *signature; /* the parameters, "v int, string", or NULL */
	char *results;	 /* the results after them, "int, error", or NULL */
	/* both, parsed; NULL without parameters */
	struct go_signature *sig;
	const char *file; /* functions file it came from, or NULL */
	int line;
	/* "main.f(id int) if id > 5": the filter after "if", or NULL, and the
	 * column where it starts in its line */
	char *filter;
	int filter_col;
	/* "... print r.Method, len(xs)": the expressions after "print", or
	 * NULL, and the column where they start in its line */
	char *print;
	int print_col;
};

struct func_specs {
	struct func_spec *specs;
	int n;
};

int func_specs__add(struct func_specs *fs, const char *pattern, const char *signature,
		    const char *file, int line);
/* Reads a functions file: one FUNC or FUNC(params) results per line, '#'
 * comments. On a malformed line writes "FILE:LINE: why" to errbuf and
 * returns -EINVAL. */
int func_specs__read_file(struct func_specs *fs, const char *path, char *errbuf, size_t errlen);
/* One line of a functions file, LINENO of PATH (TEXT is cut up): a blank
 * or comment line adds nothing; a malformed one is -EINVAL, said in errbuf
 * as "PATH:LINENO: why". */
int func_specs__add_line(struct func_specs *fs, char *text, const char *path, int lineno,
			 char *errbuf, size_t errlen);
void func_specs__free(struct func_specs *fs);

/*
 * Resolves every spec to functions of BIN, without duplicates, into
 * *out (array of indexes for gobin__func), and reads their DWARF (BIN may
 * be opened lazily). An exact name that is not there, or a glob that
 * matches nothing, is an error whose message names the pattern and
 * suggests near names.
 */
int func_specs__resolve(const struct func_specs *fs, struct gobin *bin, int **out, int *n_out,
			char *errbuf, size_t errlen);

/* The first spec that FUNC matches (the one whose filter applies), or NULL. */
const struct func_spec *func_specs__spec_of(const struct func_specs *fs, const struct gobin *bin,
					    const struct go_func *func);

/* Whether some spec names FUNC exactly, not through a glob. */
bool func_specs__names_exactly(const struct func_specs *fs, const struct gobin *bin,
			       const struct go_func *func);

/* How the spec's signature agrees with FUNC's parameters, which SOURCE
 * gave ("DWARF", "its runtime type descriptor": names are compared with
 * DWARF's only); unless they are the same, a one-line message naming the
 * spec's file and line into BUF: a warning when names alone differ, an
 * error when a value's kind or size does. Results are compared when the
 * spec gives them and RESULTS, the source lists them. Types by name in BIN. */
enum go_signature_match func_spec__check_signature(const struct func_spec *spec,
						   const struct go_func *func, const char *source,
						   bool results, const struct gobin *bin, char *buf,
						   size_t len);

#endif /* GOTRACE_FUNCS_H */
