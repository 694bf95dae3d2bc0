/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The program traced: BINARY, the running process's file (-p) or the
 * command's (-c), opened for analysis, with --debug-file beside it.
 */
#ifndef GOTRACE_TARGET_H
#define GOTRACE_TARGET_H

#include <stdbool.h>
#include "cmd/child.h"
#include "symbols/symbols.h"

struct target {
	const char *path; /* for the probes: BINARY, /proc/PID/exe or the command's */
	char proc_exe[64];
	struct gobin *bin;
	struct gobin *debug_bin; /* --debug-file, or NULL */
	struct child child;	 /* -c */
	int go_major, go_minor;
};

/* Opens the binary that the options name; with START, -c's command is
 * started (held until the probes are in), else only its program is
 * analysed. Returns 0 or a negative errno, reported. */
int target__open(struct target *t, bool start);
void target__close(struct target *t);

#endif /* GOTRACE_TARGET_H */
