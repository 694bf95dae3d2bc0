// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gotrace: trace calls of Go functions in live processes, with their
 * arguments decoded as Go values.
 *
 * The only place that knows both symbols/ and the BPF side. main() is the
 * pipeline: options -> binary -> functions -> plan set (plan/plan_set.h) ->
 * session (load, attach, poll) -> summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include "cmd/env.h"
#include "cmd/list.h"
#include "cmd/session.h"
#include "cmd/target.h"
#include "plan/plan_set.h"

#define CHILD_GRACE_MS 5000 /* after SIGTERM, before SIGKILL */

/* -v: where the time to the first probe goes, phase by phase. */
struct startup {
	struct timespec start, last;
	char phases[256];
};

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

static void startup_mark(struct startup *st, const char *phase)
{
	struct timespec now;
	size_t used = strlen(st->phases);

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!st->start.tv_sec && !st->start.tv_nsec) {
		st->start = st->last = now;
		return;
	}
	snprintf(st->phases + used, sizeof(st->phases) - used, "%s%s %.0f ms", used ? ", " : "",
		 phase, ms_between(&st->last, &now));
	st->last = now;
}

static void startup_report(const struct startup *st)
{
	fprintf(stderr, "start-up: %.0f ms to the first probe: %s\n",
		ms_between(&st->start, &st->last), st->phases);
}

/* The functions FUNC... or -f name: indexes for gobin__func. */
static int match_functions(const struct target *t, int **matches, int *n_matches)
{
	char errbuf[1024] = "";
	int err;

	err = func_specs__resolve(&env->specs, t->bin, matches, n_matches, errbuf, sizeof(errbuf));
	if (err)
		report("%s", errbuf);
	return err;
}

/* The plan set of the matched functions, from the options. */
static int build_plan_set(const struct target *t, const int *matches, int n_matches,
			  struct plan_set **ps)
{
	struct plan_set_opts opts = {
	    .bin = t->bin,
	    .debug_bin = t->debug_bin,
	    .path = t->path,
	    .matches = matches,
	    .n_matches = n_matches,
	    .specs = &env->specs,
	    .filter = env->filter,
	    .print = env->print,
	    .min_duration_ns = env->min_duration_ns,
	    .returns = env->returns,
	    .stats = env->stats,
	    .signals = !env->no_signals && !env->noop,
	    .event_budget = env->event_budget,
	    .stack_depth = env->stack ? env->stack_depth : 0,
	    .max_depth = env->max_depth,
	    .max_string = env->max_string,
	    .max_elems = env->max_elems,
	    .report = report,
	};
	int err;

	err = plan_set__new(&opts, ps);
	if (!err && env->verbose && !env->dry_run)
		plan_set__describe(*ps, stderr);
	return err;
}

static int list(const struct target *t, const int *matches, int n_matches)
{
	int err;

	err = list_functions(stdout, t->bin, t->debug_bin, matches, n_matches, env->json);
	if (!err && (fflush(stdout) || ferror(stdout)))
		err = -errno;
	/* a signature's error was said where it was found */
	if (err && err != -EINVAL)
		report("listing functions: %s", strerror(-err));
	return err;
}

/* --dry-run: the plan set as -v narrates it, on stdout; nothing loaded. */
static int dry_run(const struct plan_set *ps)
{
	printf("%s: %s, %d function%s, %d plan%s\n", ps->path, gobin__go_version(ps->bin),
	       ps->n_funcs, ps->n_funcs == 1 ? "" : "s", ps->n_plans, ps->n_plans == 1 ? "" : "s");
	plan_set__describe(ps, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		report("writing the plan: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

/* Loads the plan set, attaches its probes, lets -c's command run, and
 * prints events until told to stop. */
static int trace(struct target *t, const struct plan_set *ps, struct startup *startup)
{
	struct session_opts session_opts = {
	    .set = ps,
	    .pid = env->pid ? env->pid : t->child.pid,
	};
	struct session *session;
	int err;

	session = session__new(&session_opts, &err);
	if (!session)
		return err;
	startup_mark(startup, "BPF load");
	err = session__attach(session);
	if (err)
		goto cleanup;
	startup_mark(startup, "attach");
	if (env->verbose)
		startup_report(startup);
	err = session__start(session);
	if (err)
		goto cleanup;
	child__release(&t->child);

	err = session__poll(session, &t->child);
	/* gotrace stopped first: end the command it started, unless --keep */
	if (t->child.pid > 0 && env->keep)
		report("left the command (pid %d) running, untraced (--keep)", t->child.pid);
	else if (t->child.pid > 0)
		child__end(&t->child, CHILD_GRACE_MS);
	session__report(session);
cleanup:
	session__free(session);
	return err;
}

int main(int argc, char **argv)
{
	struct target target = {.child.go_fd = -1};
	struct plan_set *ps = NULL;
	struct startup startup = {0};
	int *matches = NULL, n_matches = 0, err;

	/* the examples are wider than argp's default 79 columns */
	setenv("ARGP_HELP_FMT", "rmargin=100", 0);
	err = parse_options(argc, argv);
	if (err)
		goto cleanup;

	startup_mark(&startup, NULL);
	err = target__open(&target, !env->list && !env->dry_run);
	if (err)
		goto cleanup;
	startup_mark(&startup, "binary");
	err = match_functions(&target, &matches, &n_matches);
	if (err)
		goto cleanup;
	startup_mark(&startup, "functions");
	if (env->list) {
		err = list(&target, matches, n_matches);
		goto cleanup;
	}
	err = build_plan_set(&target, matches, n_matches, &ps);
	if (err)
		goto cleanup;
	startup_mark(&startup, "plans");
	err = env->dry_run ? dry_run(ps) : trace(&target, ps, &startup);

cleanup:
	plan_set__free(ps);
	target__close(&target);
	free(matches);
	free_options();
	/* an expression of the user's that does not check is a usage error */
	return err == -EDOM ? EX_USAGE : err ? EXIT_ERROR : 0;
}
