/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command of -c: forked at once, held before exec until the probes are
 * in, so that its first call is traced.
 */
#ifndef GOTRACE_CHILD_H
#define GOTRACE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "cmd/command.h"

/* Zeroed, but go_fd = -1, until child__start. */
struct child {
	pid_t pid;	   /* 0: not started; -1: reaped */
	pid_t started_pid; /* the pid it had, once started */
	int go_fd;	   /* write end: closing it lets the child exec */
	char *path;	   /* the program's path, for the probes */
	struct command command;
	int status; /* waitpid's, once reaped */
};

/* Parses COMMAND (cmd/command.h) and finds the program in $PATH, without
 * starting it (--dry-run). Returns 0 or a negative errno, reported. */
int child__resolve(struct child *c, const char *command);
/* child__resolve, then forks; the child waits. Returns 0 or a negative
 * errno, reported. */
int child__start(struct child *c, const char *command);
/* The probes are in: let the child exec. */
void child__release(struct child *c);
/* Whether the child has exited; then it is reaped, its status kept. */
bool child__exited(struct child *c);
/* gotrace stops while the child runs: SIGTERM, then wait, as timeout(1)
 * does; SIGKILL if it still runs GRACE_MS later. Says what happened. */
void child__end(struct child *c, int grace_ms);
/* A child never released exits unstarted; a running one keeps running,
 * untraced. */
void child__clear(struct child *c);

#endif /* GOTRACE_CHILD_H */
