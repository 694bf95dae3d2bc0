// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command of -c. It is forked before the probes are attached, to know
 * its pid, and execs only after: a pipe holds it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd/child.h"
#include "cmd/env.h"

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return realpath(name, NULL);
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *colon = strchrnul(path, ':');

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(colon - path), path, name);
		if (access(buf, X_OK) == 0)
			return realpath(buf, NULL);
		path = *colon ? colon + 1 : colon;
	}
	return NULL;
}

int child__start(struct child *c, const char *command)
{
	int fds[2], err;
	char b;

	err = wordexp(command, &c->words, WRDE_NOCMD);
	if (err || c->words.we_wordc == 0) {
		if (!err)
			wordfree(&c->words);
		report("-c '%s': cannot split the command into words", command);
		return -EINVAL;
	}
	c->path = find_in_path(c->words.we_wordv[0]);
	if (!c->path) {
		report("%s: no such program", c->words.we_wordv[0]);
		err = -ENOENT;
		goto cleanup;
	}
	if (pipe2(fds, O_CLOEXEC)) {
		err = -errno;
		report("pipe: %s", strerror(-err));
		goto cleanup;
	}
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		report("fork: %s", strerror(-err));
		close(fds[0]);
		close(fds[1]);
		c->pid = 0;
		goto cleanup;
	}
	if (c->pid == 0) {
		close(fds[1]);
		/* wait for the parent's byte: the probes are in. EOF: it gave up. */
		if (read(fds[0], &b, 1) != 1)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		execv(c->path, c->words.we_wordv);
		fprintf(stderr, "gotrace: %s: %s\n", c->path, strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	c->go_fd = fds[1];
	return 0;

cleanup:
	free(c->path);
	c->path = NULL;
	wordfree(&c->words);
	return err;
}

void child__release(struct child *c)
{
	char go = 1;

	if (c->go_fd >= 0) {
		if (write(c->go_fd, &go, 1) < 0)
			report("cannot start the command: %s", strerror(errno));
		close(c->go_fd);
		c->go_fd = -1;
	}
}

bool child__exited(struct child *c)
{
	int status;

	if (c->pid <= 0 || waitpid(c->pid, &status, WNOHANG) != c->pid)
		return false;
	c->pid = -1;
	return true;
}

void child__clear(struct child *c)
{
	if (c->go_fd >= 0) {
		/* never released: it reads EOF and exits without running */
		close(c->go_fd);
		c->go_fd = -1;
	}
	if (c->pid > 0) {
		/* gotrace stopped first: leave the command running, untraced */
		waitpid(c->pid, NULL, WNOHANG);
	}
	if (c->path) {
		free(c->path);
		wordfree(&c->words);
		c->path = NULL;
	}
}
