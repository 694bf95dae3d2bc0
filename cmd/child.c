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
#include "output/output.h"

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

int child__resolve(struct child *c, const char *command)
{
	char errbuf[512] = "";
	int err;

	err = command__parse(command, &c->command, errbuf, sizeof(errbuf));
	if (err) {
		report("-c '%s': %s", command, errbuf);
		return err;
	}
	c->path = find_in_path(c->command.program);
	if (!c->path) {
		report("-c: %s: no such program", c->command.program);
		command__free(&c->command);
		return -ENOENT;
	}
	return 0;
}

int child__start(struct child *c, const char *command)
{
	int fds[2], err;
	char b;

	err = child__resolve(c, command);
	if (err)
		return err;
	if (env->verbose && c->command.shell)
		fprintf(stderr, "gotrace: running /bin/sh -c '%s': the shell becomes %s\n",
			c->command.argv[2], c->path);
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
		execv(c->command.shell ? "/bin/sh" : c->path, c->command.argv);
		fprintf(stderr, "gotrace: %s: %s\n", c->command.shell ? "/bin/sh" : c->path,
			strerror(errno));
		_exit(127);
	}
	c->started_pid = c->pid;
	close(fds[0]);
	c->go_fd = fds[1];
	return 0;

cleanup:
	free(c->path);
	c->path = NULL;
	command__free(&c->command);
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
	if (c->pid <= 0 || waitpid(c->pid, &c->status, WNOHANG) != c->pid)
		return false;
	c->pid = -1;
	return true;
}

/* Whether the child exits within MS milliseconds; then it is reaped. */
static bool exits_within(struct child *c, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (child__exited(c))
			return true;
		usleep(10000);
	}
	return child__exited(c);
}

void child__end(struct child *c, int grace_ms)
{
	pid_t pid = c->pid;
	char how[64];

	if (pid <= 0)
		return;
	/* a Ctrl-C reaches the command too, as it shares the terminal */
	if (exits_within(c, 50)) {
		describe_wait_status(c->status, how, sizeof(how));
		report("the command (pid %d) %s", pid, how);
		return;
	}
	kill(pid, SIGTERM);
	if (exits_within(c, grace_ms)) {
		describe_wait_status(c->status, how, sizeof(how));
		report("ended the command (pid %d) with SIGTERM: it %s (--keep leaves it running)",
		       pid, how);
		return;
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &c->status, 0) == pid)
		c->pid = -1;
	report("the command (pid %d) still ran %d ms after SIGTERM: killed it with SIGKILL", pid,
	       grace_ms);
}

void child__clear(struct child *c)
{
	if (c->go_fd >= 0) {
		/* never released: it reads EOF and exits without running */
		close(c->go_fd);
		c->go_fd = -1;
	}
	if (c->pid > 0) {
		/* left running (--keep, or gotrace failed): untraced */
		waitpid(c->pid, NULL, WNOHANG);
	}
	free(c->path);
	c->path = NULL;
	command__free(&c->command);
}
