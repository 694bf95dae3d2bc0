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
#include "plan/plan_set.h"
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
	const struct plan_set *set;
	const struct traced *funcs; /* the set's plans, by plan id */
	int n_funcs;
	struct probe *probe;
	struct symbolizer *sym;
	int n_attached_funcs;
	FILE *out;
	struct output_opts out_opts;
	struct decode_opts decode_opts;
	int pidfd; /* -p: readable once the process exits; or -1 */
	int64_t deadline;
	long events;
	uint64_t data_bytes, data_max; /* records captured per event: summed, the most */
	long *calls; /* call events printed, by plan id */
	uint64_t lost_reported;
	bool output_closed;
	int write_err; /* why the output failed: a negative errno */
	struct stop stop;
	/* BINARY as it was when the probes went in: its inode, size and
	 * mtime; watched (BINARY and -c modes) for a deploy that replaces it */
	struct stat binary;
	bool watch_binary, binary_replaced;
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

/* A raw word may be an address, a length or an integer: hex reads as
 * registers do in a debugger. An unfollowed pointer prints "0x..." and
 * nothing else when it has no reason. */
static void untyped_words_in_hex(struct decoded_event *de)
{
	int i;

	for (i = 0; i < de->n_args; i++) {
		struct value *v = &de->args[i].value;

		if (v->kind != VAL_UINT)
			continue;
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->reason = REASON_NONE;
	}
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
					 env->stack_depth, &stack)
			: 0;
	if (err > 0)
		de.stack = &stack;
	else if (err < 0)
		report("%s: its stack: %s", s->funcs[ev->func_id].func->name, strerror(-err));
	s->data_bytes += ev->data_len;
	if (ev->data_len > s->data_max)
		s->data_max = ev->data_len;
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
	if (env->max_events && s->events >= env->max_events)
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
	if (stat(s->set->path, &now) || now.st_dev != s->binary.st_dev ||
	    now.st_ino != s->binary.st_ino) {
		report("%s was replaced on disk: the processes already running it are still "
		       "traced; new ones run the new file, untraced (start gotrace again for them)",
		       s->set->path);
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

/* The BPF program's settings, from the plan set and the options. */
static int probe_options(struct session *s, struct probe_opts *popts)
{
	const struct plan_set *ps = s->set;
	const struct gobin *types = ps->debug_bin ? ps->debug_bin : ps->bin;
	int err;

	popts->pid = s->opts.pid;
	popts->goid_offset = gobin__g_goid_offset(types);
	if (popts->goid_offset < 0)
		report("%s: %s: the layout of runtime.g is unknown without DWARF: events carry no "
		       "goroutine id (give --debug-file)",
		       ps->path, gobin__go_version(ps->bin));
	popts->stack_hi_offset = gobin__g_stack_hi_offset(types);
	if (ps->stats && (popts->goid_offset < 0 || popts->stack_hi_offset < 0)) {
		/* counted only when paired, by goroutine and depth: none would be */
		report("%s: %s: --stats pairs returns with calls by goroutine, and the layout of "
		       "runtime.g is unknown without DWARF (give --debug-file)",
		       ps->path, gobin__go_version(ps->bin));
		return -EINVAL;
	}
	popts->noop = env->noop;
	popts->perf_uprobes = env->perf_uprobes;
	popts->tif_need_fpu_load = xregs_tif_need_fpu_load_bit();
	popts->use_signals = ps->use_signals;
	popts->stats_plans = ps->stats ? ps->n_plans : 0;
	if (env->stack) {
		popts->stack_depth = ps->stack_pcs;
		s->stacks = stacks__new(ps->bin, &err);
		if (!s->stacks) {
			report("%s: --stack: no pclntab with files and lines: %s", ps->path,
			       strerror(-err));
			return err;
		}
	}
	popts->ringbuf_size = env->buffer_size;
	popts->n_plans = ps->n_plans;
	popts->pairs_calls = ps->returns;
	popts->event_budget = ps->event_budget;
	popts->verbose = env->verbose;
	popts->n_types = type_table__count(ps->types);
	popts->n_rtypes = ps->n_rtypes;
	return 0;
}

/* The plan set into the BPF maps: plans, filters, type programs and the
 * dynamic types of interfaces, as they are. */
static int store_plan_set(struct session *s)
{
	const struct plan_set *ps = s->set;
	uint32_t i, n_types = type_table__count(ps->types);
	int id, err;

	for (id = 0; id < ps->n_plans; id++) {
		const struct traced *t = &ps->plans[id];

		err = probe__set_plan(s->probe, id, &t->plan->bpf);
		if (!err && t->filter)
			err = probe__set_filter(s->probe, id, t->filter);
		if (err) {
			report("%s: storing the plan: %s", t->func->name, strerror(-err));
			return err;
		}
	}
	for (i = GT_TYPE_FIRST; i < n_types; i++) {
		err = probe__set_type(s->probe, i, type_table__program(ps->types, i));
		if (err) {
			report("storing type programs: %s", strerror(-err));
			return err;
		}
	}
	for (id = 0; id < ps->n_rtypes; id++) {
		err = probe__set_rtype(s->probe, ps->rtype_addrs[id], ps->rtype_ids[id]);
		if (err) {
			report("storing runtime types: %s", strerror(-err));
			return err;
		}
	}
	return 0;
}

struct session *session__new(const struct session_opts *opts, int *errp)
{
	const struct plan_set *ps = opts->set;
	struct probe_opts popts = {.goid_offset = -1};
	struct session *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s) {
		report("out of memory");
		*errp = -ENOMEM;
		return NULL;
	}
	s->opts = *opts;
	s->set = ps;
	s->funcs = ps->plans;
	s->n_funcs = ps->n_plans;
	s->pidfd = -1;
	s->calls = calloc(s->n_funcs ? s->n_funcs : 1, sizeof(*s->calls));
	s->sym = symbolizer__new(ps->bin, ps->debug_bin ? ps->debug_bin : ps->bin);
	if (!s->calls || !s->sym) {
		report("out of memory");
		err = -ENOMEM;
		goto fail;
	}
	err = probe_options(s, &popts);
	if (err)
		goto fail;
	s->probe = probe__new(&popts, &err);
	if (!s->probe) {
		report("loading the BPF program: %s", privilege_hint(err));
		goto fail;
	}
	err = store_plan_set(s);
	if (err)
		goto fail;
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
	const struct plan_set *ps = s->set;
	int i, err;

	if (!ps->use_signals)
		return 0;
	if (probe__attach_sigreturn(s->probe) == 0) {
		if (env->verbose)
			fprintf(stderr, "signal frames read at rt_sigreturn (raw tracepoint "
					"sys_enter)\n");
		return 0;
	}
	for (i = 0; i < ps->n_sigtramps; i++) {
		const struct go_func *f = ps->sigtramps[i];

		err = probe__add_uprobe(s->probe, PROBE_SIGFRAME, ps->sigtramp_offsets[i], 0,
					f->low_pc);
		if (err) {
			report("%s: attaching a uprobe: %s", f->name, privilege_hint(err));
			return err;
		}
		if (env->verbose)
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
		return s->set->n_sigtramps ? s->set->sigtramps[0]->name : "runtime.sigtramp";
	return cookie != ~0ULL && id < (uint32_t)s->n_funcs ? s->funcs[id].func->name : NULL;
}

/* Every plan's probe sites, queued in their groups, then attached at once. */
int session__attach(struct session *s)
{
	static const char *const group_names[] = {
	    [PROBE_SIGFRAME] = "signal handler",
	    [PROBE_ENTRY] = "entry",
	    [PROBE_RETURN] = "return",
	};
	const struct plan_set *ps = s->set;
	enum probe_group group;
	uint64_t cookie;
	const char *name;
	int id, i, err;

	for (id = 0; id < ps->n_plans; id++) {
		const struct traced *t = &ps->plans[id];

		for (i = 0; i < t->n_probes; i++) {
			err = probe__add_uprobe(s->probe,
						t->kind == PLAN_RETURN ? PROBE_RETURN : PROBE_ENTRY,
						t->offsets[i], id, t->probes[i]);
			if (err) {
				report("out of memory");
				return err;
			}
		}
	}
	err = plan_signal_frames(s);
	if (err)
		return err;
	if (env->verbose)
		fprintf(stderr, "uprobes: %s\n", probe__mechanism(s->probe));
	err = probe__attach_uprobes(s->probe, s->set->path, &group, &cookie);
	if (err) {
		name = cookie_func_name(s, group, cookie);
		if (name)
			report("%s: attaching its %s uprobe to %s: %s", name, group_names[group],
			       s->set->path, privilege_hint(err));
		else
			report("%s: attaching the %s uprobes: %s", s->set->path,
			       group_names[group], privilege_hint(err));
		return err;
	}
	s->n_attached_funcs = ps->n_probed_funcs;
	return 0;
}

int session__start(struct session *s)
{
	int err;

	if (env->output) {
		s->out = fopen(env->output, "w");
		if (!s->out) {
			err = -errno;
			report("%s: %s", env->output, strerror(-err));
			return err;
		}
	} else {
		s->out = stdout;
	}
	s->out_opts.json = env->json;
	s->out_opts.pretty = env->pretty;
	s->out_opts.fold = env->fold;
	symbolizer__decode_opts(s->sym, &s->decode_opts);
	s->decode_opts.max_string = env->max_string;
	s->out_opts.realtime_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);

	signal(SIGINT, sig_handler);
	signal(SIGTERM, sig_handler);
	signal(SIGPIPE, SIG_IGN);
	/* -p traces through /proc/PID/exe, which always names the process's file */
	s->watch_binary = !env->pid && stat(s->set->path, &s->binary) == 0;
	if (env->pid)
		s->pidfd = syscall(SYS_pidfd_open, env->pid, 0);
	if (env->duration > 0)
		s->deadline = clock_ns(CLOCK_MONOTONIC) + (int64_t)(env->duration * 1e9);
	s->stats_since = clock_ns(CLOCK_MONOTONIC);

	fprintf(stderr, "gotrace: attached %d probe%s to %d function%s in %s (%s); Ctrl-C to stop\n",
		probe__attached(s->probe), probe__attached(s->probe) == 1 ? "" : "s",
		s->n_attached_funcs, s->n_attached_funcs == 1 ? "" : "s",
		s->set->path,
		gobin__go_version(s->set->bin));
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
	if (stats_print(s->probe, s->funcs, s->n_funcs, s->out, env->json, final,
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
		if (s->set->use_signals && !s->output_closed)
			probe__sweep_parked(s->probe, GT_PARKED_MAX_NS, handle_event, s);
		if (clock_ns(CLOCK_MONOTONIC) >= next_sweep) {
			if (s->set->returns)
				probe__sweep_calls(s->probe, call_is_stale, s);
			next_sweep = clock_ns(CLOCK_MONOTONIC) + SWEEP_NS;
			if (binary_rewritten(s)) {
				s->stop.reason = STOP_BINARY_REWRITTEN;
				s->stop.path = s->set->path;
				break;
			}
		}
		if (s->set->stats && env->interval &&
		    clock_ns(CLOCK_MONOTONIC) - s->stats_since >= (int64_t)(env->interval * 1e9))
			print_stats(s, false);
		if (!s->output_closed && fflush(s->out)) {
			s->write_err = -errno;
			s->output_closed = true;
		}
		if (s->output_closed) {
			stop_on_output(s);
			break;
		}
		if (err > 0 && env->max_events && s->events >= env->max_events) {
			s->stop.reason = STOP_MAX_EVENTS;
			break;
		}
		if (s->deadline && clock_ns(CLOCK_MONOTONIC) >= s->deadline) {
			s->stop.reason = STOP_DURATION;
			break;
		}
		if ((env->pid || child->pid > 0) && process_gone(env->pid, s->pidfd, child)) {
			s->stop.reason = env->pid ? STOP_PROCESS_EXITED : STOP_COMMAND_EXITED;
			s->stop.pid = env->pid ? env->pid : child->started_pid;
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
	if (!s->output_closed && !(env->max_events && s->events >= env->max_events)) {
		probe__poll(s->probe, 0, handle_event, s);
		if (s->set->use_signals)
			probe__sweep_parked(s->probe, 0, handle_event, s);
		report_lost(s, s->probe);
		if (fflush(s->out) && !s->output_closed) {
			s->write_err = -errno;
			s->output_closed = true;
		}
	}
	if (s->set->stats)
		print_stats(s, true);
	/* -n reached while the buffer drained: -n cut the trace */
	if (env->max_events && s->events >= env->max_events && s->stop.reason != STOP_READ_ERROR &&
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

	if (s->set->returns) {
		long in_flight = 0;

		probe__sweep_calls(probe, call_is_stale, s);
		probe__sweep_calls(probe, count_call, &in_flight);
		if (in_flight)
			report("%ld calls had not returned when tracing stopped", in_flight);
	}
	if (env->verbose && s->events)
		report("%llu bytes captured per event on average, %llu at most (records and their "
		       "headers, as the ring buffer carries them)",
		       (unsigned long long)(s->data_bytes / s->events),
		       (unsigned long long)s->data_max);
	if (s->set->reads_x && env->verbose)
		report(
		    "%llu signals sent for X registers; %llu events completed from signal frames, "
		    "%llu frames refused (not at the probe's next instruction)",
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGNALS),
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGFRAMES),
		    (unsigned long long)probe__counter(probe, GT_CNT_SIGNALS_LATE));
	if (s->set->returns && probe__counter(probe, GT_CNT_CALLS_FULL))
		report("%llu calls were not paired with their returns: %d calls in flight at most",
		       (unsigned long long)probe__counter(probe, GT_CNT_CALLS_FULL), GT_MAX_CALLS);
	filtered = calloc(s->n_funcs ? s->n_funcs : 1, sizeof(*filtered));
	for (i = 0; filtered && i < s->n_funcs; i++) {
		if (!s->funcs[i].filter)
			continue;
		probe__filter_count(probe, i, &filtered[i]);
		if (env->verbose && (filtered[i].passed || filtered[i].dropped || filtered[i].unheld))
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
		if (env->verbose)
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
