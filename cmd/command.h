/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command of -c as users type it: words, or shell syntax (redirections,
 * leading VAR=value assignments, $(...)) run through /bin/sh -c 'exec ...',
 * so that the process traced is still the program itself. One program: no
 * pipelines, lists or subshells, whose programs would be other processes.
 */
#ifndef GOTRACE_COMMAND_H
#define GOTRACE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

struct command {
	char *program; /* the program's name, expanded: "./app", "ls" */
	char **argv;   /* for execv: the words, or "sh", "-c", "... exec ./app ..." */
	int argc;
	bool shell; /* argv runs /bin/sh */
};

/* Splits LINE. Returns 0, or -EINVAL with "why" in errbuf (-ENOMEM: out
 * of memory). */
int command__parse(const char *line, struct command *cmd, char *errbuf, size_t errlen);
/* A zeroed command is a no-op. */
void command__free(struct command *cmd);

#endif /* GOTRACE_COMMAND_H */
