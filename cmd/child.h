/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command of -c: forked at once, held before exec until the probes are
 * in, so that its first call is traced.
 */
#ifndef GOTRACE_CHILD_H
#define GOTRACE_CHILD_H

#include <stdbool.h>
#include <sys/types.h>
#include <wordexp.h>

/* Zeroed, but go_fd = -1, until child__start. */
struct child {
	pid_t pid;  /* 0: not started; -1: reaped */
	int go_fd;  /* write end: closing it lets the child exec */
	char *path; /* the program's path, for the probes */
	wordexp_t words;
};

/* Splits COMMAND into words, finds the program in $PATH and forks; the
 * child waits. Returns 0 or a negative errno, reported. */
int child__start(struct child *c, const char *command);
/* The probes are in: let the child exec. */
void child__release(struct child *c);
/* Whether the child has exited; then it is reaped. */
bool child__exited(struct child *c);
/* A child never released exits unstarted; a running one keeps running,
 * untraced. */
void child__clear(struct child *c);

#endif /* GOTRACE_CHILD_H */
