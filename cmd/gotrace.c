// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gotrace: trace calls of Go functions in live processes, with their
 * arguments decoded as Go values.
 *
 * The only place that knows both symbols/ and the BPF side: binary ->
 * symbols -> plans -> probes -> events -> decode -> output.
 *
 *   env.c        options and usage
 *   command.c    the command of -c, as words or for /bin/sh
 *   child.c      the command's process, held until the probes are in
 *   funcs.c      which functions: FUNC patterns, functions files
 *   filters.c    --filter and the files' filters, compiled per function
 *   list.c       -l: their signatures, as text or JSON
 *   untyped.c    types for functions without DWARF
 *   session.c    load, attach, poll, sweep, count
 *   summary.c    why gotrace stopped, and what it saw
 *   stats.c      --stats: the counters' plans and tables
 *   probe.c      the BPF side, for the session
 *   uprobe_multi.c  uprobe_multi links through bpf(2), and the kernel's support
 *   symbolize.c  func values and type descriptors, PIE or not
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "cmd/child.h"
#include "cmd/env.h"
#include "cmd/filters.h"
#include "cmd/funcs.h"
#include "cmd/list.h"
#include "cmd/session.h"
#include "cmd/stats.h"
#include "cmd/untyped.h"
#include "decode/decode.h"
#include "plan/plan.h"
#include "plan/types.h"
#include "symbols/symbols.h"

#define CHILD_GRACE_MS 5000 /* after SIGTERM, before SIGKILL */

/* The program traced: its binary, and where its types come from. */
struct target {
	const char *path; /* for the probes: BINARY, /proc/PID/exe or the command's */
	char proc_exe[64];
	struct gobin *bin;
	struct gobin *debug_bin; /* --debug-file, or NULL */
	struct child child;	 /* -c */
	int go_major, go_minor;
	struct type_table *types; /* the plans' type programs */
	/* interfaces' dynamic types: descriptor addresses in bin, their ids */
	uint64_t *rtype_addrs;
	uint32_t *rtype_ids;
	int n_rtypes;
};

/* Which binary: the named file, the running process's, or the command's. */
static int open_target(struct target *t)
{
	char errbuf[1024] = "";
	int err;

	if (env.pid) {
		if (kill(env.pid, 0) && errno == ESRCH) {
			report("-p %d: no such process", env.pid);
			return -ESRCH;
		}
		snprintf(t->proc_exe, sizeof(t->proc_exe), "/proc/%d/exe", env.pid);
		if (access(t->proc_exe, R_OK)) {
			err = -errno;
			report("-p %d: cannot read %s: %s", env.pid, t->proc_exe, strerror(-err));
			return err;
		}
		t->path = t->proc_exe;
	} else if (env.command) {
		err = child__start(&t->child, env.command);
		if (err)
			return err;
		t->path = t->child.path;
	} else {
		t->path = env.binary;
	}

	/* only the DWARF of the functions traced is read (match_functions) */
	t->bin = gobin__open_lazy(t->path, errbuf, sizeof(errbuf), &err);
	if (!t->bin) {
		if (env.pid)
			report("-p %d: %s", env.pid, errbuf);
		else
			report("%s: %s", t->path, errbuf);
		return err ? err : -EINVAL;
	}
	if (!gobin__go_version_number(t->bin, &t->go_major, &t->go_minor)) {
		report("%s: cannot read the Go version from the build info", t->path);
		return -EINVAL;
	}
	if (env.debug_file)
		return open_debug_file(env.debug_file, t->bin, t->path, &t->debug_bin);
	return 0;
}

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

	if (env.funcs_file) {
		err = func_specs__read_file(&env.specs, env.funcs_file, errbuf, sizeof(errbuf));
		if (err) {
			report("%s", errbuf);
			return err;
		}
	}
	if (env.list && !env.specs.n)
		func_specs__add(&env.specs, "*", NULL, NULL, 0);
	err = func_specs__resolve(&env.specs, t->bin, matches, n_matches, errbuf, sizeof(errbuf));
	if (err)
		report("%s", errbuf);
	return err;
}

/* TYPE, whose descriptor is at its runtime_type in TYPES, as a dynamic type:
 * its program's id, by the descriptor's address in the traced binary. */
static int add_rtype(struct target *t, const struct gobin *types, const struct go_type *type)
{
	uint64_t addr = gobin__twin_type_addr(types, t->bin, type->runtime_type);
	uint32_t id;

	/* a named type and its typedef may share a descriptor, in a row */
	if (type->kind == GO_INVALID || type->kind == GO_INTERFACE ||
	    (t->n_rtypes && t->rtype_addrs[t->n_rtypes - 1] == addr))
		return 0;
	id = type_table__id(t->types, type);
	if (!id) {
		report("%s: too many types for the capture's type table (%d)", t->path,
		       GT_MAX_TYPES);
		return -E2BIG;
	}
	t->rtype_addrs[t->n_rtypes] = addr;
	t->rtype_ids[t->n_rtypes++] = id;
	return 0;
}

/*
 * When a traced value holds an interface, any type with a runtime type
 * descriptor may be its dynamic type: each gets a type program, and the BPF
 * side finds it by the descriptor's address in the traced binary. The types
 * are DWARF's (the binary's or --debug-file's), then those of the
 * descriptors the binary lists (symbols/typelinks.c) that DWARF does not
 * describe; without DWARF, the descriptors' alone. An interface type is
 * never a dynamic type.
 */
static int dynamic_types(struct target *t)
{
	const struct gobin *types = t->debug_bin ? t->debug_bin : t->bin;
	const struct go_type *const *all, *const *listed;
	int n, n_listed, i, err = 0;

	if (!type_table__reaches_interfaces(t->types))
		return 0;
	n = gobin__runtime_types(types, &all);
	n_listed = gobin__has_dwarf(types) ? gobin__descriptor_types(types, &listed) : 0;
	t->rtype_addrs = calloc(n + n_listed + 1, sizeof(*t->rtype_addrs));
	t->rtype_ids = calloc(n + n_listed + 1, sizeof(*t->rtype_ids));
	if (!t->rtype_addrs || !t->rtype_ids) {
		report("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n && !err; i++)
		err = add_rtype(t, types, all[i]);
	for (i = 0; i < n_listed && !err; i++)
		if (gobin__type_by_runtime_addr(types, listed[i]->runtime_type) == listed[i])
			err = add_rtype(t, types, listed[i]);
	return err;
}

/* A plan for each match, two with -r: where each argument (and result)
 * lives under the Go ABI, and what to dereference. */
static int build_plans(struct target *t, const int *matches, int n_matches,
		       struct traced **funcs, int *n_funcs)
{
	bool stack_abi = t->go_major == 1 && t->go_minor < 17;
	struct type_opts type_opts = {
	    .swiss_maps = t->go_major > 1 || t->go_minor >= 24,
	    .max_string = env.max_string,
	    .max_elems = env.max_elems,
	};
	struct plan_opts plan_opts = {
	    .stack_abi = stack_abi,
	    .max_depth = env.max_depth,
	};
	struct func_names missing = {0}, raw = {0};
	char errbuf[1024] = "", names[300];
	int i, j, err, plans_per_func;
	struct traced *plans;

	/* the first signature of a function is the one used: one warning each */
	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];
		const struct go_func *f = gobin__find_func(t->bin, spec->pattern);

		for (j = 0; f && spec->sig && j < i; j++)
			if (env.specs.specs[j].sig &&
			    !strcmp(env.specs.specs[j].pattern, spec->pattern))
				f = NULL;
		if (f && func_spec__signature_mismatch(spec, f, gobin__dwarf_lists_results(t->bin),
						       errbuf, sizeof(errbuf)))
			report("%s", errbuf);
	}

	t->types = type_table__new(&type_opts);
	if (!t->types) {
		report("out of memory");
		return -ENOMEM;
	}
	plan_opts.types = t->types;

	/* plan ids: a function's entry plan, then with -r its return plan */
	plans_per_func = env.returns ? 2 : 1;
	if (n_matches * plans_per_func > GT_MAX_FUNCS) {
		report("%d functions match; gotrace traces at most %d at once", n_matches,
		       GT_MAX_FUNCS / plans_per_func);
		return -E2BIG;
	}
	plans = calloc(n_matches * plans_per_func, sizeof(*plans));
	if (!plans) {
		report("out of memory");
		return -ENOMEM;
	}
	*funcs = plans;
	*n_funcs = n_matches * plans_per_func;
	for (i = 0; i < n_matches * plans_per_func; i++) {
		const struct go_func *f = gobin__func(t->bin, matches[i / plans_per_func]);

		plan_opts.results = i % plans_per_func == 1;
		if (!f->has_dwarf) {
			/* an assembly function's arguments are all on the stack */
			enum types_source source;

			err = typed_without_dwarf(t->bin, f, t->debug_bin,
						  plan_opts.stack_abi || f->abi == GO_ABI0,
						  &plans[i].typed, &plans[i].sig, &raw, &source);
			if (err < 0)
				return err;
			plans[i].raw_words = err == 1;
			f = &plans[i].typed;
		}
		if (plan_opts.results && f->has_dwarf && !plans[i].sig &&
		    !gobin__dwarf_lists_results(t->bin)) {
			err = typed_results(t->bin, f, &plans[i].typed, &plans[i].sig, &missing);
			if (err < 0)
				return err;
			if (err)
				f = &plans[i].typed;
		}
		plans[i].func = f;
		err = plan_func(f, &plan_opts, &plans[i].plan, errbuf, sizeof(errbuf));
		if (err) {
			report("%s", errbuf);
			return err;
		}
		if (env.returns)
			plans[i].plan->bpf.flags |=
			    plan_opts.results ? GT_PLAN_RETURN : GT_PLAN_PAIR;
		if (plan_opts.results)
			plans[i].plan->bpf.pair_id = i - 1;
		if (plan_opts.stack_abi || f->abi == GO_ABI0)
			plans[i].plan->bpf.flags |= GT_PLAN_G_TLS;
		if (env.verbose)
			plan_describe(plans[i].plan, stderr);
	}
	err = compile_filters(plans, n_matches * plans_per_func, plans_per_func, t->bin);
	if (err)
		return err;
	report_raw_functions(t->bin, &raw);
	func_names__format(&missing, names, sizeof(names));
	if (missing.count)
		report("%s: %s's DWARF lists no results: the returns of %d function%s show none "
		       "(%s); give their result types in a functions file (-f), as in "
		       "'main.f(int) (string, error)'",
		       t->path, gobin__go_version(t->bin), missing.count,
		       missing.count == 1 ? "" : "s", names);
	return dynamic_types(t);
}

/* The bytes of records the BPF program writes before any pointer is
 * followed: each argument's registers and stack words (the root ops run
 * before the scan). A budget below that would cut arguments, not only their
 * pointees. */
static uint32_t fixed_part(const struct func_plan *plan)
{
	uint32_t i, need = 0, size;

	for (i = 0; i < plan->bpf.n_ops; i++) {
		const struct gt_op *op = &plan->bpf.ops[i];

		size = op->kind == GT_OP_XMM ? 8 : op->size;
		need += sizeof(struct gt_rec) + ((size + 7) & ~7u);
	}
	return need;
}

/* --max-event below some function's fixed part is raised to it, and said. */
static void check_event_budget(const struct traced *funcs, int n_funcs)
{
	const struct traced *widest = NULL;
	uint32_t need = 0;
	int i;

	if (!env.event_budget)
		return;
	for (i = 0; i < n_funcs; i++) {
		if (fixed_part(funcs[i].plan) > need) {
			need = fixed_part(funcs[i].plan);
			widest = &funcs[i];
		}
	}
	if (need <= env.event_budget)
		return;
	if (need > GT_DATA_MAX)
		need = GT_DATA_MAX;
	report("--max-event %ld raised to %u: the %s of %s take %u bytes before any pointer is "
	       "followed",
	       env.event_budget, need,
	       widest->plan->bpf.flags & GT_PLAN_RETURN ? "results" : "arguments",
	       widest->func->name, need);
	env.event_budget = need;
}

static void free_plans(struct traced *funcs, int n_funcs)
{
	int i;

	for (i = 0; i < n_funcs; i++) {
		func_plan__free(funcs[i].plan);
		go_signature__free(funcs[i].sig);
		free(funcs[i].probes);
		free(funcs[i].filter);
	}
	free(funcs);
}

int main(int argc, char **argv)
{
	struct target target = {.child.go_fd = -1};
	struct session_opts session_opts = {0};
	struct session *session = NULL;
	struct traced *funcs = NULL;
	struct startup startup = {0};
	int *matches = NULL, n_matches = 0, n_funcs = 0, err;

	/* the examples are wider than argp's default 79 columns */
	setenv("ARGP_HELP_FMT", "rmargin=100", 0);
	parse_options(argc, argv);

	startup_mark(&startup, NULL);
	err = open_target(&target);
	if (err)
		goto cleanup;
	startup_mark(&startup, "binary");
	err = match_functions(&target, &matches, &n_matches);
	if (err)
		goto cleanup;
	startup_mark(&startup, "functions");
	if (env.list) {
		err = list_functions(stdout, target.bin, target.debug_bin, matches, n_matches,
				     env.json);
		if (!err && (fflush(stdout) || ferror(stdout)))
			err = -errno;
		/* a signature's error was said where it was found */
		if (err && err != -EINVAL)
			report("listing functions: %s", strerror(-err));
		goto cleanup;
	}
	if (!env.returns && filters_need_returns(target.bin, matches, n_matches)) {
		if (env.verbose)
			fprintf(stderr, "the filter names results: tracing returns (-r)\n");
		env.returns = true;
	}
	err = build_plans(&target, matches, n_matches, &funcs, &n_funcs);
	if (err)
		goto cleanup;
	check_event_budget(funcs, n_funcs);
	if (env.stats)
		stats_prepare_plans(funcs, n_funcs);
	startup_mark(&startup, "plans");

	session_opts.bin = target.bin;
	session_opts.debug_bin = target.debug_bin;
	session_opts.target = target.path;
	session_opts.pid = env.pid ? env.pid : target.child.pid;
	session_opts.funcs = funcs;
	session_opts.n_funcs = n_funcs;
	session_opts.types = target.types;
	session_opts.rtype_addrs = target.rtype_addrs;
	session_opts.rtype_ids = target.rtype_ids;
	session_opts.n_rtypes = target.n_rtypes;
	session = session__new(&session_opts, &err);
	if (!session)
		goto cleanup;
	startup_mark(&startup, "BPF load");
	err = session__attach(session, matches, n_matches);
	if (err)
		goto cleanup;
	startup_mark(&startup, "attach");
	if (env.verbose)
		startup_report(&startup);
	err = session__start(session);
	if (err)
		goto cleanup;
	child__release(&target.child);

	err = session__poll(session, &target.child);
	/* gotrace stopped first: end the command it started, unless --keep */
	if (target.child.pid > 0 && env.keep)
		report("left the command (pid %d) running, untraced (--keep)", target.child.pid);
	else if (target.child.pid > 0)
		child__end(&target.child, CHILD_GRACE_MS);
	session__report(session);

cleanup:
	session__free(session);
	child__clear(&target.child);
	free_plans(funcs, n_funcs);
	type_table__free(target.types);
	free(target.rtype_addrs);
	free(target.rtype_ids);
	gobin__free(target.debug_bin);
	free(matches);
	func_specs__free(&env.specs);
	gobin__free(target.bin);
	return err ? EXIT_ERROR : 0;
}
