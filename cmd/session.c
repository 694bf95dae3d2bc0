// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracing session: the BPF program loaded with the plans, a uprobe on
 * each function's entry (and with -r on each RET), events polled off the
 * ring buffer, decoded and printed; calls of unwound frames swept; at the
 * end, the counters of what was missed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "cmd/env.h"
#include "cmd/probe.h"
#include "cmd/session.h"
#include "cmd/stack.h"
#include "cmd/stats.h"
#include "cmd/summary.h"
#include "cmd/symbolize.h"
#include "cmd/xregs.h"
#include "cmd/untyped.h"
#include "decode/decode.h"
#include "output/output.h"
#include "plan/types.h"

#define POLL_MS 100
#define SWEEP_NS 1000000000LL /* how often stale calls are evicted, the binary checked */
#define PERF_DETACH_NOTICE 20 /* perf-event uprobes whose detaching is announced */

/* The last return seen on each goroutine: a call remembered deeper on the
 * same goroutine, from before that return, belongs to a frame a panic
 * unwound; it will never return. */
struct goroutine_return {
	uint64_t goid;
	uint64_t depth;
	uint64_t time_ns;
};

#define GOROUTINE_SLOTS 4096 /* a cache: a goroutine pushed out only delays a sweep */

struct session {
	struct goroutine_return returns[GOROUTINE_SLOTS];
	struct session_opts opts;
	struct probe *probe;
	struct symbolizer *sym;
	struct traced *funcs;
	int n_funcs;
	int n_attached_funcs;
	FILE *out;
	struct output_opts out_opts;
	struct decode_opts decode_opts;
	int pidfd; /* -p: readable once the process exits; or -1 */
	int64_t deadline;
	long events;
	long *calls; /* call events printed, by plan id */
	uint64_t lost_reported;
	bool output_closed;
	int write_err; /* why the output failed: a negative errno */
	struct stop stop;
	/* BINARY as it was when the probes went in: its inode, size and
	 * mtime; watched (BINARY and -c modes) for a deploy that replaces it */
	struct stat binary;
	bool watch_binary, binary_replaced;
	bool reads_x;			    /* some plan reads X registers */
	bool use_signals;		    /* X registers from SIGURG signal frames */
	const struct go_func *sigtramps[2]; /* the runtime's signal handlers, probed */
	int64_t stats_since; /* --stats: CLOCK_MONOTONIC of the last table */
	struct stacks *stacks; /* --stack: PCs to files and lines */
};

static volatile sig_atomic_t exiting; /* the signal that stops gotrace */

static void sig_handler(int sig)
{
	exiting = sig;
}

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int handle_event(void *ctx, const struct gt_event *ev, const void *records)
{
	struct session *s = ctx;
	struct decoded_event de;
	struct call_stack stack;
	int err;

	if (ev->func_id >= (uint32_t)s->n_funcs)
		return 0;
	symbolizer__learn_bias(s->sym, s->funcs[ev->func_id].probes, s->funcs[ev->func_id].n_probes,
			       ev);
	err = decode_event(s->funcs[ev->func_id].plan, ev, records, &s->decode_opts, &de);
	if (err) {
		report("%s: malformed event: %s", s->funcs[ev->func_id].func->name, strerror(-err));
		return 0;
	}
	if (ev->kind == GT_EV_RETURN && ev->goid) {
		struct goroutine_return *gr = &s->returns[ev->goid % GOROUTINE_SLOTS];

		gr->goid = ev->goid;
		gr->depth = ev->depth;
		gr->time_ns = ev->time_ns;
	}
	if (s->funcs[ev->func_id].raw_words && !s->out_opts.json)
		untyped_words_in_hex(&de);
	err = s->stacks ? stack_of_event(s->stacks, symbolizer__bias(s->sym, ev->pid), ev, records,
					 env.stack_depth, &stack)
			: 0;
	if (err > 0)
		de.stack = &stack;
	else if (err < 0)
		report("%s: its stack: %s", s->funcs[ev->func_id].func->name, strerror(-err));
	output_event(s->out, &s->out_opts, &de);
	if (de.stack)
		call_stack__clear(&stack);
	decoded_event__clear(&de);
	s->events++;
	if (ev->kind == GT_EV_CALL)
		s->calls[ev->func_id]++;
	if (ferror(s->out)) {
		s->write_err = -errno;
		s->output_closed = true;
		return 1;
	}
	if (env.max_events && s->events >= env.max_events)
		return 1;
	return 0;
}

static bool call_is_stale(void *ctx, const struct gt_call_key *key, const struct gt_call *call)
{
	struct session *s = ctx;
	const struct goroutine_return *gr = &s->returns[key->goid % GOROUTINE_SLOTS];

	return gr->goid == key->goid && gr->depth < key->depth && gr->time_ns > call->start_ns;
}

static bool count_call(void *ctx, const struct gt_call_key *key, const struct gt_call *call)
{
	(*(long *)ctx)++;
	return false;
}

static void report_lost(struct session *s, struct probe *p)
{
	uint64_t lost = probe__counter(p, GT_CNT_LOST);

	if (lost > s->lost_reported) {
		output_lost(s->out, &s->out_opts, lost - s->lost_reported,
			    clock_ns(CLOCK_REALTIME));
		s->lost_reported = lost;
	}
}

static bool process_gone(pid_t pid, int pidfd, struct child *child)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};

	if (child && child->pid > 0)
		return child__exited(child);
	if (pidfd >= 0)
		return poll(&pfd, 1, 0) > 0;
	return kill(pid, 0) && errno == ESRCH;
}

/*
 * The uprobes sit on BINARY's inode. A deploy that renames a new file over
 * it leaves the running processes on the old inode, still traced; new ones
 * run the new file, untraced: say so once, and go on. A file modified in
 * place keeps the inode, and with it probes at offsets that may now fall
 * mid-instruction in new processes: stop. Returns true to stop.
 */
static bool binary_rewritten(struct session *s)
{
	struct stat now;

	if (!s->watch_binary || s->binary_replaced)
		return false;
	if (stat(s->opts.target, &now) || now.st_dev != s->binary.st_dev ||
	    now.st_ino != s->binary.st_ino) {
		report("%s was replaced on disk: the processes already running it are still "
		       "traced; new ones run the new file, untraced (start gotrace again for them)",
		       s->opts.target);
		s->binary_replaced = true;
		return false;
	}
	return now.st_size != s->binary.st_size || now.st_mtim.tv_sec != s->binary.st_mtim.tv_sec ||
	       now.st_mtim.tv_nsec != s->binary.st_mtim.tv_nsec;
}

static const char *privilege_hint(int err)
{
	if (err == -EPERM || (err == -EACCES && geteuid() != 0))
		return "permission denied: gotrace needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN "
		       "(run it as root)";
	if (err == -EACCES)
		return "the kernel's verifier rejected the program (-vv shows its log)";
	return strerror(-err);
}

static int remember_probe(struct traced *t, uint64_t addr)
{
	uint64_t *p = realloc(t->probes, (t->n_probes + 1) * sizeof(*p));

	if (!p) {
		report("out of memory");
		return -ENOMEM;
	}
	t->probes = p;
	t->probes[t->n_probes++] = addr;
	return 0;
}

/* The signal frame must show the ip after the probed instruction (its
 * length), and the X registers it overwrites cannot be trusted. */
static int plan_signal_frame(struct session *s, struct traced *t, const struct go_func_code *code)
{
	struct gt_plan *bpf = &t->plan->bpf;
	bool ret = bpf->flags & GT_PLAN_RETURN;

	if (!s->use_signals || !xregs_plan_reads(t->plan))
		return 0;
	if (!ret) {
		bpf->xmm_step = code->entry_size;
		bpf->xmm_clobbered = code->entry_writes_x;
		bpf->sp_step = code->entry_sp_delta;
		if (code->entry_sp_known)
			bpf->flags |= GT_PLAN_SP_STEP;
	}
	if (env.verbose) {
		fprintf(stderr,
			"%s: %s in X registers, from the signal frame (SIGURG) unless the "
			"saved FPU state is current:",
			t->func->name, ret ? "results" : "arguments");
		if (!ret && !code->entry_size)
			fprintf(stderr, " none (the probed instruction branches)");
		else
			xregs_describe(t, stderr);
		fputc('\n', stderr);
	}
	return probe__set_plan(s->probe, t - s->funcs, bpf);
}

/* An entry probe past the stack-growth check (symbols/code.c), and with -r
 * one probe on each RET: never a uretprobe, which crashes Go programs when
 * the runtime moves a goroutine's stack. */
static int attach_function(struct session *s, const struct go_func *f, int entry_id)
{
	struct probe *probe = s->probe;
	const struct gobin *bin = s->opts.bin;
	const char *target = s->opts.target;
	struct traced *plans = s->funcs;
	struct go_func_code code;
	uint64_t offset;
	int err, i;

	err = gobin__func_code(bin, f, &code);
	if (err) {
		report("%s: cannot disassemble its code: %s", f->name, strerror(-err));
		return err;
	}
	if (env.verbose && code.entry_adjusted)
		fprintf(stderr, "%s: entry probe at +0x%llx, after the stack-growth check\n",
			f->name, (unsigned long long)(code.entry - f->low_pc));
	err = plan_signal_frame(s, &plans[entry_id], &code);
	if (!err && env.returns)
		err = plan_signal_frame(s, &plans[entry_id + 1], &code);
	if (err) {
		report("%s: storing the plan: %s", f->name, strerror(-err));
		goto cleanup;
	}
	if (env.returns && code.n_rets == 0) {
		report("%s: no RET instruction in its code (it never returns, or ends in a tail "
		       "call): drop -r for it",
		       f->name);
		err = -EINVAL;
		goto cleanup;
	}
	for (i = -1; i < (env.returns ? code.n_rets : 0); i++) {
		uint64_t addr = i < 0 ? code.entry : code.rets[i];

		if (env.verbose && i >= 0)
			fprintf(stderr, "%s: return probe at +0x%llx\n", f->name,
				(unsigned long long)(addr - f->low_pc));
		err = gobin__vaddr_to_offset(bin, addr, &offset);
		if (err) {
			report("%s: address 0x%llx is in no loadable segment of %s", f->name,
			       (unsigned long long)addr, target);
			goto cleanup;
		}
		err = probe__add_uprobe(probe, i < 0 ? PROBE_ENTRY : PROBE_RETURN, offset,
					i < 0 ? entry_id : entry_id + 1, addr);
		if (err) {
			report("out of memory");
			goto cleanup;
		}
		err = remember_probe(&plans[i < 0 ? entry_id : entry_id + 1], addr);
		if (err)
			goto cleanup;
	}
cleanup:
	go_func_code__clear(&code);
	return err;
}

/*
 * Signal frames for X registers: unless --no-signals, when some plan reads
 * an X register and the runtime's signal handler can be probed. Its
 * symbol is "runtime.sigtramp.abi0" (assembly, Go 1.17 on) in the symbol
 * table, "runtime.sigtramp" in the pclntab; cgo binaries install
 * runtime.cgoSigtramp, which jumps to it.
 */
static bool wants_signal_frames(struct session *s)
{
	static const char *const names[][2] = {
	    {"runtime.sigtramp.abi0", "runtime.sigtramp"},
	    {"runtime.cgoSigtramp.abi0", "runtime.cgoSigtramp"},
	};
	bool reads_x = false;
	int i, n = 0;

	for (i = 0; i < s->n_funcs; i++)
		reads_x |= xregs_plan_reads(s->funcs[i].plan);
	s->reads_x = reads_x;
	if (!reads_x || env.no_signals || env.noop)
		return false;
	for (i = 0; i < 2; i++) {
		const struct go_func *f = gobin__find_func(s->opts.bin, names[i][0]);

		if (!f)
			f = gobin__find_func(s->opts.bin, names[i][1]);
		if (f)
			s->sigtramps[n++] = f;
	}
	if (!n)
		report("%s: no runtime.sigtramp: floats in X registers only when the kernel holds "
		       "them saved",
		       s->opts.target);
	return n > 0;
}

struct session *session__new(const struct session_opts *opts, int *errp)
{
	const struct gobin *types = opts->debug_bin ? opts->debug_bin : opts->bin;
	struct probe_opts popts = {.goid_offset = -1};
	struct session *s;
	int i, err;

	s = calloc(1, sizeof(*s));
	if (!s) {
		report("out of memory");
		*errp = -ENOMEM;
		return NULL;
	}
	s->opts = *opts;
	s->funcs = opts->funcs;
	s->n_funcs = opts->n_funcs;
	s->pidfd = -1;
	s->calls = calloc(s->n_funcs ? s->n_funcs : 1, sizeof(*s->calls));
	if (!s->calls) {
		report("out of memory");
		err = -ENOMEM;
		goto fail;
	}
	s->sym = symbolizer__new(opts->bin, types);
	if (!s->sym) {
		report("out of memory");
		err = -ENOMEM;
		goto fail;
	}

	popts.pid = opts->pid;
	popts.goid_offset = gobin__g_goid_offset(types);
	if (popts.goid_offset < 0)
		report("%s: %s: the layout of runtime.g is unknown without DWARF: events carry no "
		       "goroutine id (give --debug-file)",
		       opts->target, gobin__go_version(opts->bin));
	popts.stack_hi_offset = gobin__g_stack_hi_offset(types);
	if (env.stats && (popts.goid_offset < 0 || popts.stack_hi_offset < 0)) {
		/* counted only when paired, by goroutine and depth: none would be */
		report("%s: %s: --stats pairs returns with calls by goroutine, and the layout of "
		       "runtime.g is unknown without DWARF (give --debug-file)",
		       opts->target, gobin__go_version(opts->bin));
		err = -EINVAL;
		goto fail;
	}
	popts.noop = env.noop;
	popts.perf_uprobes = env.perf_uprobes;
	popts.tif_need_fpu_load = xregs_tif_need_fpu_load_bit();
	popts.use_signals = s->use_signals = wants_signal_frames(s);
	popts.stats_plans = env.stats ? s->n_funcs : 0;
	if (env.stack) {
		/* a frame can be inlined calls and their caller: walk no more PCs than
		 * frames shown, and one more to know whether the stack was cut */
		popts.stack_depth = env.stack_depth < GT_STACK_MAX ? env.stack_depth + 1
								     : GT_STACK_MAX;
		s->stacks = stacks__new(opts->bin, &err);
		if (!s->stacks) {
			report("%s: --stack: no pclntab with files and lines: %s", opts->target,
			       strerror(-err));
			goto fail;
		}
	}
	popts.ringbuf_size = env.buffer_size;
	popts.n_plans = s->n_funcs;
	popts.pairs_calls = env.returns;
	popts.event_budget = env.event_budget;
	popts.verbose = env.verbose;
	popts.n_types = type_table__count(opts->types);
	popts.n_rtypes = opts->n_rtypes;
	popts.n_plans = s->n_funcs;
	s->probe = probe__new(&popts, &err);
	if (!s->probe) {
		report("loading the BPF program: %s", privilege_hint(err));
		goto fail;
	}
	for (i = 0; i < s->n_funcs; i++) {
		err = probe__set_plan(s->probe, i, &s->funcs[i].plan->bpf);
		if (err) {
			report("%s: storing the plan: %s", s->funcs[i].func->name, strerror(-err));
			goto fail;
		}
	}
	for (i = 0; i < s->n_funcs; i++) {
		if (!s->funcs[i].filter)
			continue;
		err = probe__set_filter(s->probe, i, s->funcs[i].filter);
		if (err) {
			report("%s: storing the filter: %s", s->funcs[i].func->name,
			       strerror(-err));
			goto fail;
		}
	}
	for (i = GT_TYPE_FIRST; i < (int)popts.n_types; i++) {
		err = probe__set_type(s->probe, i, type_table__program(opts->types, i));
		if (err) {
			report("storing type programs: %s", strerror(-err));
			goto fail;
		}
	}
	for (i = 0; i < opts->n_rtypes; i++) {
		err = probe__set_rtype(s->probe, opts->rtype_addrs[i], opts->rtype_ids[i]);
		if (err) {
			report("storing runtime types: %s", strerror(-err));
			goto fail;
		}
	}
	if (env.verbose)
		fprintf(stderr, "%u type programs, %d runtime types for interfaces\n",
			popts.n_types - GT_TYPE_FIRST, opts->n_rtypes);
	return s;

fail:
	session__free(s);
	*errp = err;
	return NULL;
}

/* Signal frames for X registers: at rt_sigreturn's tracepoint, or failing
 * that, uprobes on the runtime's signal handlers, queued with the rest. */
static int plan_signal_frames(struct session *s)
{
	int i, err;

	if (!s->use_signals)
		return 0;
	if (probe__attach_sigreturn(s->probe) == 0) {
		if (env.verbose)
			fprintf(stderr, "signal frames read at rt_sigreturn (raw tracepoint "
					"sys_enter)\n");
		return 0;
	}
	for (i = 0; i < 2 && s->sigtramps[i]; i++) {
		const struct go_func *f = s->sigtramps[i];
		uint64_t offset;

		err = gobin__vaddr_to_offset(s->opts.bin, f->low_pc, &offset);
		if (!err)
			err = probe__add_uprobe(s->probe, PROBE_SIGFRAME, offset, 0, f->low_pc);
		if (err) {
			report("%s: attaching a uprobe: %s", f->name, privilege_hint(err));
			return err;
		}
		if (env.verbose)
			fprintf(stderr, "%s: probed for the signal frames that carry X registers\n",
				f->name);
	}
	return 0;
}

/* The function a uprobe's cookie names, for messages. */
static const char *cookie_func_name(const struct session *s, enum probe_group group,
				    uint64_t cookie)
{
	uint32_t id = GT_COOKIE_FUNC(cookie);

	if (group == PROBE_SIGFRAME)
		return s->sigtramps[0] ? s->sigtramps[0]->name : "runtime.sigtramp";
	return cookie != ~0ULL && id < (uint32_t)s->n_funcs ? s->funcs[id].func->name : NULL;
}

int session__attach(struct session *s, const int *matches, int n_matches)
{
	static const char *const group_names[] = {
	    [PROBE_SIGFRAME] = "signal handler",
	    [PROBE_ENTRY] = "entry",
	    [PROBE_RETURN] = "return",
	};
	int plans_per_func = env.returns ? 2 : 1;
	enum probe_group group;
	uint64_t cookie;
	const char *name;
	int i, err;

	for (i = 0; i < n_matches; i++) {
		err = attach_function(s, gobin__func(s->opts.bin, matches[i]), i * plans_per_func);
		if (err)
			return err;
	}
	err = plan_signal_frames(s);
	if (err)
		return err;
	if (env.verbose)
		fprintf(stderr, "uprobes: %s\n", probe__mechanism(s->probe));
	err = probe__attach_uprobes(s->probe, s->opts.target, &group, &cookie);
	if (err) {
		name = cookie_func_name(s, group, cookie);
		if (name)
			report("%s: attaching its %s uprobe to %s: %s", name, group_names[group],
			       s->opts.target, privilege_hint(err));
		else
			report("%s: attaching the %s uprobes: %s", s->opts.target,
			       group_names[group], privilege_hint(err));
		return err;
	}
	s->n_attached_funcs = n_matches;
	return 0;
}

int session__start(struct session *s)
{
	int err;

	if (env.output) {
		s->out = fopen(env.output, "w");
		if (!s->out) {
			err = -errno;
			report("%s: %s", env.output, strerror(-err));
			return err;
		}
	} else {
		s->out = stdout;
	}
	s->out_opts.json = env.json;
	s->out_opts.pretty = env.pretty;
	s->out_opts.fold = env.fold;
	symbolizer__decode_opts(s->sym, &s->decode_opts);
	s->decode_opts.max_string = env.max_string;
	s->out_opts.realtime_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);

	signal(SIGINT, sig_handler);
	signal(SIGTERM, sig_handler);
	signal(SIGPIPE, SIG_IGN);
	/* -p traces through /proc/PID/exe, which always names the process's file */
	s->watch_binary = !env.pid && stat(s->opts.target, &s->binary) == 0;
	if (env.pid)
		s->pidfd = syscall(SYS_pidfd_open, env.pid, 0);
	if (env.duration > 0)
		s->deadline = clock_ns(CLOCK_MONOTONIC) + (int64_t)(env.duration * 1e9);
	s->stats_since = clock_ns(CLOCK_MONOTONIC);

	fprintf(stderr, "gotrace: attached %d probes to %d functions in %s (%s); Ctrl-C to stop\n",
		probe__attached(s->probe), s->n_attached_funcs, s->opts.target,
		gobin__go_version(s->opts.bin));
	return 0;
}

/* The output failed: the reader went away (EPIPE), or an error. */
static void stop_on_output(struct session *s)
{
	if (!s->write_err)
		s->write_err = -EIO;
	s->stop.reason = s->write_err == -EPIPE ? STOP_OUTPUT_CLOSED : STOP_WRITE_ERROR;
	s->stop.err = s->write_err;
}

/* POLL_MS, or less when -d ends sooner. */
static int poll_timeout_ms(const struct session *s)
{
	int64_t left;

	if (!s->deadline)
		return POLL_MS;
	left = (s->deadline - clock_ns(CLOCK_MONOTONIC) + 999999) / 1000000;
	return left < 0 ? 0 : left < POLL_MS ? (int)left : POLL_MS;
}

/* --stats: the table of the interval that ends now, or with FINAL of
 * everything not printed yet. */
static void print_stats(struct session *s, bool final)
{
	int64_t now = clock_ns(CLOCK_MONOTONIC);

	if (s->output_closed)
		return;
	if (stats_print(s->probe, s->funcs, s->n_funcs, s->out, env.json, final,
			now + s->out_opts.realtime_offset_ns, now - s->stats_since, s->calls) ||
	    fflush(s->out)) {
		s->write_err = ferror(s->out) ? -errno : -ENOMEM;
		s->output_closed = true;
	}
	s->stats_since = now;
}

int session__poll(struct session *s, struct child *child)
{
	int64_t next_sweep = 0;
	int err;

	while (!exiting) {
		err = probe__poll(s->probe, poll_timeout_ms(s), handle_event, s);
		if (err < 0 && err != -EINTR) {
			s->stop.reason = STOP_READ_ERROR;
			s->stop.err = err;
			break;
		}
		report_lost(s, s->probe);
		if (s->use_signals && !s->output_closed)
			probe__sweep_parked(s->probe, GT_PARKED_MAX_NS, handle_event, s);
		if (clock_ns(CLOCK_MONOTONIC) >= next_sweep) {
			if (env.returns)
				probe__sweep_calls(s->probe, call_is_stale, s);
			next_sweep = clock_ns(CLOCK_MONOTONIC) + SWEEP_NS;
			if (binary_rewritten(s)) {
				s->stop.reason = STOP_BINARY_REWRITTEN;
				s->stop.path = s->opts.target;
				break;
			}
		}
		if (env.stats && env.interval &&
		    clock_ns(CLOCK_MONOTONIC) - s->stats_since >= (int64_t)(env.interval * 1e9))
			print_stats(s, false);
		if (!s->output_closed && fflush(s->out)) {
			s->write_err = -errno;
			s->output_closed = true;
		}
		if (s->output_closed) {
			stop_on_output(s);
			break;
		}
		if (err > 0 && env.max_events && s->events >= env.max_events) {
			s->stop.reason = STOP_MAX_EVENTS;
			break;
		}
		if (s->deadline && clock_ns(CLOCK_MONOTONIC) >= s->deadline) {
			s->stop.reason = STOP_DURATION;
			break;
		}
		if ((env.pid || child->pid > 0) && process_gone(env.pid, s->pidfd, child)) {
			s->stop.reason = env.pid ? STOP_PROCESS_EXITED : STOP_COMMAND_EXITED;
			s->stop.pid = env.pid ? env.pid : child->started_pid;
			s->stop.status = child->status;
			break;
		}
	}
	if (exiting && s->stop.reason == STOP_NONE) {
		s->stop.reason = STOP_SIGNAL;
		s->stop.signal = exiting;
	}
	/* Whatever stopped us, events already in the buffer happened before:
	 * print them, unless the reader is gone or the limit is reached. */
	if (!s->output_closed && !(env.max_events && s->events >= env.max_events)) {
		probe__poll(s->probe, 0, handle_event, s);
		if (s->use_signals)
			probe__sweep_parked(s->probe, 0, handle_event, s);
		report_lost(s, s->probe);
		if (fflush(s->out) && !s->output_closed) {
			s->write_err = -errno;
			s->output_closed = true;
		}
	}
	if (env.stats)
		print_stats(s, true);
	/* -n reached while the buffer drained: -n cut the trace */
	if (env.max_events && s->events >= env.max_events && s->stop.reason != STOP_READ_ERROR &&
	    s->stop.reason != STOP_WRITE_ERROR && s->stop.reason != STOP_OUTPUT_CLOSED)
		s->stop.reason = STOP_MAX_EVENTS;
	if (s->output_closed && s->stop.reason != STOP_OUTPUT_CLOSED &&
	    s->stop.reason != STOP_WRITE_ERROR)
		stop_on_output(s);
	s->stop.events = s->events;
	report_stop(&s->stop);
	if (s->stop.reason == STOP_READ_ERROR || s->stop.reason == STOP_WRITE_ERROR)
		return s->stop.err;
	if (s->stop.reason == STOP_BINARY_REWRITTEN)
		return -ESTALE;
	return 0;
}

void session__report(struct session *s)
{
	struct probe *probe = s->probe;
	struct gt_filter_count *filtered;
	struct summary sum = {0};
	int i;

	if (env.returns) {
		long in_flight = 0;

		probe__sweep_calls(probe, call_is_stale, s);
		probe__sweep_calls(probe, count_call, &in_flight);
		if (in_flight)
			report("%ld calls had not returned when tracing stopped", in_flight);
	}
	if (s->reads_x && env.verbose)
		report(
		    "%llu signals sent for X registers; %llu events completed from signal frames, "
		    "%llu frames refused (not at the probe's next instruction)",
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGNALS),
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGFRAMES),
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGNALS_LATE));
	if (env.returns && probe__counter(probe, GT_CNT_CALLS_FULL))
		report("%llu calls were not paired with their returns: %d calls in flight at most",
		       (unsigned long long)probe__counter(probe, GT_CNT_CALLS_FULL), GT_MAX_CALLS);
	filtered = calloc(s->n_funcs ? s->n_funcs : 1, sizeof(*filtered));
	for (i = 0; filtered && i < s->n_funcs; i++) {
		if (!s->funcs[i].filter)
			continue;
		probe__filter_count(probe, i, &filtered[i]);
		if (env.verbose && (filtered[i].passed || filtered[i].dropped || filtered[i].unheld))
			report("%s: at the %s, the filter passed %llu calls and dropped %llu%s",
			       s->funcs[i].func->name,
			       s->funcs[i].plan->bpf.flags & GT_PLAN_RETURN ? "return" : "call",
			       (unsigned long long)filtered[i].passed,
			       (unsigned long long)filtered[i].dropped,
			       filtered[i].unheld ? " (and some it could not hold)" : "");
	}
	sum.filtered = filtered;
	sum.funcs = s->funcs;
	sum.n_funcs = s->n_funcs;
	sum.calls = s->calls;
	sum.lost = probe__counter(probe, GT_CNT_LOST);
	sum.evicted = probe__counter(probe, GT_CNT_EVICTED);
	report_summary(&sum);
	free(filtered);
}

void session__free(struct session *s)
{
	int64_t start = clock_ns(CLOCK_MONOTONIC);
	int attached;

	if (!s)
		return;
	if (s->probe && (attached = probe__attached(s->probe))) {
		/* seconds, not milliseconds: say why the wait */
		if (probe__perf_uprobes(s->probe) && attached >= PERF_DETACH_NOTICE)
			report("detaching %d perf-event uprobes: the kernel removes them one at a "
			       "time, about 0.1 s each (uprobe_multi links, Linux 6.6, remove them "
			       "at once)",
			       attached);
		probe__detach(s->probe);
		if (env.verbose)
			fprintf(stderr, "detached %d uprobes in %.0f ms\n", attached,
				(clock_ns(CLOCK_MONOTONIC) - start) / 1e6);
	}
	probe__free(s->probe);
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->out && s->out != stdout)
		fclose(s->out);
	symbolizer__free(s->sym);
	stacks__free(s->stacks);
	free(s->calls);
	free(s);
}
