// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Userspace half of the BPF side: load, configure, attach, poll.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "cmd/probe.h"
#include "cmd/uprobe_multi.h"
#include "gotrace.skel.h"

/* The uprobes of one group, queued for probe__attach_uprobes. */
struct uprobe_group {
	uint64_t *offsets;
	uint64_t *cookies;
	int n, cap;
	int link_fd; /* uprobe_multi: the group's link, or -1 */
};

struct probe {
	struct gotrace_bpf *skel;
	struct ring_buffer *rb;
	struct uprobe_group groups[PROBE_GROUPS];
	enum uprobe_multi_support multi; /* UPROBE_MULTI_NONE: perf-event uprobes */
	pid_t pid;
	int attached;		 /* uprobes */
	struct bpf_link **links; /* perf-event uprobes */
	int n_links, cap_links;
	bool noop;
	struct bpf_link *sigreturn_link; /* probe__attach_sigreturn */
	int ncpus;
	/* the callback of the poll under way */
	probe_event_fn fn;
	void *fn_ctx;
	int stop;
	uint64_t evicted; /* by probe__sweep_calls */
};

static int libbpf_verbosity;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && libbpf_verbosity < 3)
		return 0;
	if (libbpf_verbosity < 2)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int handle_ring(void *ctx, void *data, size_t size)
{
	struct probe *p = ctx;
	const struct gt_event *ev = data;
	int ret;

	if (p->stop)
		return 0; /* drain without handing out: the caller asked to stop */
	if (size < sizeof(*ev) || ev->data_len > size - sizeof(*ev))
		return 0;
	ret = p->fn(p->fn_ctx, ev, ev + 1);
	if (ret) {
		p->stop = ret;
		return ret; /* ring_buffer__poll stops consuming */
	}
	return 0;
}

/*
 * Only the programs this session runs are loaded (the verifier's time is
 * most of the start-up), with the expected attach type of the links they
 * will be in.
 */
static int choose_programs(struct probe *p, const struct probe_opts *opts)
{
	struct bpf_program *uprobe_progs[] = {
	    p->skel->progs.gotrace_entry,
	    p->skel->progs.gotrace_noop,
	    p->skel->progs.gotrace_sigframe,
	};
	bool signals = opts->use_signals && !opts->noop;
	size_t i;
	int err;

	bpf_program__set_autoload(p->skel->progs.gotrace_entry, !opts->noop);
	bpf_program__set_autoload(p->skel->progs.gotrace_noop, opts->noop);
	bpf_program__set_autoload(p->skel->progs.gotrace_sigframe, signals);
	bpf_program__set_autoload(p->skel->progs.gotrace_sigreturn, signals);
	if (p->multi == UPROBE_MULTI_NONE)
		return 0;
	for (i = 0; i < sizeof(uprobe_progs) / sizeof(uprobe_progs[0]); i++) {
		err = bpf_program__set_expected_attach_type(uprobe_progs[i],
							    GT_BPF_TRACE_UPROBE_MULTI);
		if (err)
			return err;
	}
	return 0;
}

struct probe *probe__new(const struct probe_opts *opts, int *err)
{
	struct probe *p;
	int i;

	libbpf_verbosity = opts->verbose;
	libbpf_set_print(print_libbpf);
	p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->noop = opts->noop;
	p->pid = opts->pid;
	for (i = 0; i < PROBE_GROUPS; i++)
		p->groups[i].link_fd = -1;
	p->ncpus = libbpf_num_possible_cpus();
	p->skel = gotrace_bpf__open();
	if (!p->skel) {
		*err = -errno;
		goto fail;
	}
	/* Decided before load: a program loaded for uprobe_multi links
	 * attaches through nothing else. */
	p->multi = opts->perf_uprobes ? UPROBE_MULTI_NONE : uprobe_multi_probe();
	*err = choose_programs(p, opts);
	if (*err)
		goto fail;
	p->skel->rodata->target_tgid = opts->pid;
	p->skel->rodata->goid_offset = opts->goid_offset;
	p->skel->rodata->stack_hi_offset = opts->stack_hi_offset;
	p->skel->rodata->tif_need_fpu_load = opts->tif_need_fpu_load;
	p->skel->rodata->use_signals = opts->use_signals && !opts->noop;
	p->skel->rodata->stats_mode = opts->stats_plans > 0;
	p->skel->rodata->stack_depth = opts->stack_depth;
	if (opts->event_budget)
		p->skel->rodata->event_budget = opts->event_budget;
	if (opts->ringbuf_size) {
		*err = bpf_map__set_max_entries(p->skel->maps.events, opts->ringbuf_size);
		if (*err)
			goto fail;
	}
	*err = bpf_map__set_max_entries(p->skel->maps.scratch_map, p->ncpus);
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.types,
						opts->n_types ? opts->n_types : 1);
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.rtypes,
						opts->n_rtypes ? opts->n_rtypes : 1);
	/* kernel memory for what this session uses: a plan per plan id (about
	 * 1 KB each), and the calls in flight only
	 * when returns are paired with them (a preallocated hash map) */
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.plans,
						opts->n_plans ? opts->n_plans : 1);
	if (!*err && !opts->pairs_calls)
		*err = bpf_map__set_max_entries(p->skel->maps.calls, 1);
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.stats,
						opts->stats_plans ? opts->stats_plans : 1);
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.filters,
						opts->n_plans ? opts->n_plans : 1);
	if (!*err)
		*err = bpf_map__set_max_entries(p->skel->maps.filter_counts,
						opts->n_plans ? opts->n_plans : 1);
	if (*err)
		goto fail;
	*err = gotrace_bpf__load(p->skel);
	if (*err)
		goto fail;
	p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.events), handle_ring, p, NULL);
	if (!p->rb) {
		*err = -errno;
		goto fail;
	}
	return p;
fail:
	if (*err == 0)
		*err = -EINVAL;
	probe__free(p);
	return NULL;
}

int probe__set_plan(struct probe *p, __u32 func_id, const struct gt_plan *plan)
{
	int err = bpf_map__update_elem(p->skel->maps.plans, &func_id, sizeof(func_id), plan,
				       sizeof(*plan), BPF_ANY);

	return err ? -errno : 0;
}

int probe__set_type(struct probe *p, __u32 id, const struct gt_type *prog)
{
	int err = bpf_map__update_elem(p->skel->maps.types, &id, sizeof(id), prog, sizeof(*prog),
				       BPF_ANY);

	return err ? -errno : 0;
}

int probe__set_rtype(struct probe *p, __u64 addr, __u32 id)
{
	int err = bpf_map__update_elem(p->skel->maps.rtypes, &addr, sizeof(addr), &id, sizeof(id),
				       BPF_ANY);

	return err ? -errno : 0;
}

int probe__set_filter(struct probe *p, __u32 func_id, const struct gt_filter *filter)
{
	int err = bpf_map__update_elem(p->skel->maps.filters, &func_id, sizeof(func_id), filter,
				       sizeof(*filter), BPF_ANY);

	return err ? -errno : 0;
}

int probe__filter_count(struct probe *p, __u32 func_id, struct gt_filter_count *out)
{
	struct gt_filter_count *per_cpu;
	int i, err;

	memset(out, 0, sizeof(*out));
	per_cpu = calloc(p->ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	err = bpf_map__lookup_elem(p->skel->maps.filter_counts, &func_id, sizeof(func_id), per_cpu,
				   p->ncpus * sizeof(*per_cpu), 0);
	if (err) {
		err = -errno;
		free(per_cpu);
		return err;
	}
	for (i = 0; i < p->ncpus; i++) {
		out->passed += per_cpu[i].passed;
		out->dropped += per_cpu[i].dropped;
	}
	free(per_cpu);
	return 0;
}

int probe__add_uprobe(struct probe *p, enum probe_group group, uint64_t offset, __u32 func_id,
		      uint64_t vaddr)
{
	struct uprobe_group *g = &p->groups[group];

	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 64;
		uint64_t *offsets = realloc(g->offsets, cap * sizeof(*offsets));
		uint64_t *cookies;

		if (!offsets)
			return -ENOMEM;
		g->offsets = offsets;
		cookies = realloc(g->cookies, cap * sizeof(*cookies));
		if (!cookies)
			return -ENOMEM;
		g->cookies = cookies;
		g->cap = cap;
	}
	g->offsets[g->n] = offset;
	g->cookies[g->n] = group == PROBE_SIGFRAME ? 0 : GT_COOKIE(func_id, vaddr);
	g->n++;
	return 0;
}

static struct bpf_program *group_program(const struct probe *p, enum probe_group group)
{
	if (group == PROBE_SIGFRAME)
		return p->skel->progs.gotrace_sigframe;
	return p->noop ? p->skel->progs.gotrace_noop : p->skel->progs.gotrace_entry;
}

static int attach_perf_uprobe(struct probe *p, struct bpf_program *prog, const char *path,
			      uint64_t offset, uint64_t cookie)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts, .bpf_cookie = cookie, .retprobe = false);
	struct bpf_link *link;
	int err;

	if (p->n_links == p->cap_links) {
		int cap = p->cap_links ? p->cap_links * 2 : 64;
		struct bpf_link **l = realloc(p->links, cap * sizeof(*l));

		if (!l)
			return -ENOMEM;
		p->links = l;
		p->cap_links = cap;
	}
	/* pid filtering happens in the program (target_tgid): -1 here */
	link = bpf_program__attach_uprobe_opts(prog, -1, path, offset, &uopts);
	if (!link) {
		err = -errno;
		return err ? err : -EINVAL;
	}
	p->links[p->n_links++] = link;
	return 0;
}

int probe__attach_uprobes(struct probe *p, const char *path, enum probe_group *failed_group,
			  uint64_t *failed_cookie)
{
	int group, i, fd, err;

	*failed_cookie = ~0ULL;
	for (group = 0; group < PROBE_GROUPS; group++) {
		struct uprobe_group *g = &p->groups[group];
		struct bpf_program *prog = group_program(p, group);

		*failed_group = group;
		if (!g->n || g->link_fd >= 0)
			continue;
		if (p->multi != UPROBE_MULTI_NONE) {
			/* the kernel filters by process only where it does it right */
			fd = uprobe_multi_link_create(
			    bpf_program__fd(prog), path, g->offsets, g->cookies, g->n,
			    p->multi == UPROBE_MULTI_WITH_PID ? p->pid : 0);
			if (fd < 0)
				return fd;
			g->link_fd = fd;
			p->attached += g->n;
			continue;
		}
		for (i = 0; i < g->n; i++) {
			err = attach_perf_uprobe(p, prog, path, g->offsets[i], g->cookies[i]);
			if (err) {
				*failed_cookie = g->cookies[i];
				return err;
			}
			p->attached++;
		}
	}
	return 0;
}

const char *probe__mechanism(const struct probe *p)
{
	switch (p->multi) {
	case UPROBE_MULTI_WITH_PID:
		return p->pid ? "uprobe_multi links, one per group of probes, filtered by the "
				"kernel to the traced process"
			      : "uprobe_multi links, one per group of probes";
	case UPROBE_MULTI_NO_PID:
		return "uprobe_multi links, one per group of probes (before Linux 6.10 their "
		       "process filter is per thread: the program filters)";
	default:
		return "perf-event uprobes, one per probe (uprobe_multi links need Linux 6.6), "
		       "closed concurrently on exit";
	}
}

bool probe__perf_uprobes(const struct probe *p)
{
	return p->multi == UPROBE_MULTI_NONE;
}

int probe__attach_sigreturn(struct probe *p)
{
	struct bpf_link *link;

	link = bpf_program__attach(p->skel->progs.gotrace_sigreturn);
	if (!link)
		return -errno ? -errno : -EINVAL;
	p->sigreturn_link = link;
	return 0;
}

/*
 * Every key of the hash map FD, KEY_SIZE bytes each, into *KEYS (to free).
 * Collected first, because deleting under get_next_key restarts the walk.
 * Returns how many, or -ENOMEM.
 */
static int map_keys(int fd, size_t key_size, void **keys)
{
	char key[64], *prev = NULL, *all = NULL, *grown;
	int n = 0, cap = 0;

	if (key_size > sizeof(key))
		return -EINVAL;
	while (bpf_map_get_next_key(fd, prev, key) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(all, cap * key_size);
			if (!grown) {
				free(all);
				return -ENOMEM;
			}
			all = grown;
		}
		memcpy(all + n++ * key_size, key, key_size);
		prev = all + (n - 1) * key_size;
	}
	*keys = all;
	return n;
}

int probe__sweep_parked(struct probe *p, uint64_t max_age_ns, probe_event_fn fn, void *ctx)
{
	int fd = bpf_map__fd(p->skel->maps.parked);
	struct gt_parked *pk;
	struct timespec now;
	__u32 *keys = NULL;
	int n, done = 0, i;

	pk = malloc(sizeof(*pk));
	if (!pk)
		return -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &now);
	n = map_keys(fd, sizeof(*keys), (void **)&keys);
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &keys[i], pk))
			continue;
		if (max_age_ns &&
		    pk->ev.time_ns + max_age_ns > (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec)
			continue;
		/* the program may take it at the same moment: the delete decides */
		if (bpf_map_lookup_and_delete_elem(fd, &keys[i], pk))
			continue;
		if (pk->ev.data_len <= GT_DATA_MAX && fn(ctx, &pk->ev, pk->data))
			break;
		done++;
	}
	free(keys);
	free(pk);
	return n < 0 ? n : done;
}

int probe__attached(const struct probe *p)
{
	return p->attached;
}

int probe__poll(struct probe *p, int timeout_ms, probe_event_fn fn, void *ctx)
{
	int n;

	p->fn = fn;
	p->fn_ctx = ctx;
	p->stop = 0;
	/* The program wakes us only when the buffer fills up, so a poll that
	 * times out still consumes whatever is there. */
	n = ring_buffer__poll(p->rb, timeout_ms);
	if (n >= 0 && !p->stop) {
		int more = ring_buffer__consume(p->rb);

		n = more < 0 ? more : n + more;
	}
	if (p->stop)
		return p->stop;
	return n;
}

uint64_t probe__counter(struct probe *p, enum gt_counter counter)
{
	__u64 *vals;
	__u32 key = counter;
	uint64_t sum = 0;
	int i;

	vals = calloc(p->ncpus, sizeof(*vals));
	if (!vals)
		return 0;
	if (!bpf_map__lookup_elem(p->skel->maps.counters, &key, sizeof(key), vals,
				  p->ncpus * sizeof(*vals), 0))
		for (i = 0; i < p->ncpus; i++)
			sum += vals[i];
	free(vals);
	if (counter == GT_CNT_EVICTED)
		sum += p->evicted;
	return sum;
}

int probe__sweep_calls(struct probe *p, probe_call_fn fn, void *ctx)
{
	int fd = bpf_map__fd(p->skel->maps.calls);
	struct gt_call_key *keys = NULL;
	struct gt_call call;
	int n, evicted = 0, i;

	n = map_keys(fd, sizeof(*keys), (void **)&keys);
	for (i = 0; i < n; i++)
		if (bpf_map_lookup_elem(fd, &keys[i], &call) == 0 && fn(ctx, &keys[i], &call))
			evicted += bpf_map_delete_elem(fd, &keys[i]) == 0;
	free(keys);
	p->evicted += evicted;
	return n < 0 ? n : evicted;
}

/*
 * Closing a perf-event uprobe waits for an RCU grace period, 65 ms here:
 * one at a time, 1,000 of them take a minute (bcc#1317, libbpf#870).
 * Closed from many threads, their grace periods overlap.
 */
#define DETACH_THREADS 64

struct detach_work {
	struct bpf_link **links;
	int n;
	int next; /* taken with __atomic_fetch_add */
};

static void *detach_links(void *arg)
{
	struct detach_work *w = arg;
	int i;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n)
		bpf_link__destroy(w->links[i]);
	return NULL;
}

static void destroy_links(struct bpf_link **links, int n)
{
	struct detach_work w = {.links = links, .n = n};
	pthread_t threads[DETACH_THREADS];
	pthread_attr_t attr;
	int i, started = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (i = 0; i < DETACH_THREADS && i < n - 1; i++)
		if (pthread_create(&threads[started], &attr, detach_links, &w) == 0)
			started++;
	pthread_attr_destroy(&attr);
	detach_links(&w); /* and this thread too: with no threads, all of them */
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
}

void probe__detach(struct probe *p)
{
	int i;

	/* one grace period per link */
	for (i = 0; i < PROBE_GROUPS; i++) {
		if (p->groups[i].link_fd >= 0)
			close(p->groups[i].link_fd);
		p->groups[i].link_fd = -1;
	}
	destroy_links(p->links, p->n_links);
	p->n_links = 0;
	p->attached = 0;
}

int probe__stats_flip(struct probe *p)
{
	int old = p->skel->bss->stats_epoch & 1;

	__atomic_store_n(&p->skel->bss->stats_epoch, old ^ 1, __ATOMIC_SEQ_CST);
	return old;
}

int probe__stats_read(struct probe *p, __u32 plan_id, int slot, bool clear,
		      struct gt_stats *out)
{
	__u32 key = plan_id + (slot & 1);
	struct gt_stats *vals;
	int i, err;

	memset(out, 0, sizeof(*out));
	vals = calloc(p->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = bpf_map__lookup_elem(p->skel->maps.stats, &key, sizeof(key), vals,
				   p->ncpus * sizeof(*vals), 0);
	if (err) {
		err = -errno;
		goto cleanup;
	}
	for (i = 0; i < p->ncpus; i++) {
		struct gt_stats *v = &vals[i];
		int k;

		if (!v->count)
			continue;
		v->min_ns = ~v->min_ns; /* stored inverted: see struct gt_stats */
		if (!out->count || v->min_ns < out->min_ns)
			out->min_ns = v->min_ns;
		if (v->max_ns > out->max_ns)
			out->max_ns = v->max_ns;
		out->count += v->count;
		out->errors += v->errors;
		out->sum_ns += v->sum_ns;
		for (k = 0; k < GT_HIST_SLOTS; k++)
			out->hist[k] += v->hist[k];
	}
	if (clear) {
		memset(vals, 0, p->ncpus * sizeof(*vals));
		if (bpf_map__update_elem(p->skel->maps.stats, &key, sizeof(key), vals,
					 p->ncpus * sizeof(*vals), BPF_ANY))
			err = -errno;
	}
cleanup:
	free(vals);
	return err;
}

void probe__free(struct probe *p)
{
	int i;

	if (!p)
		return;
	probe__detach(p);
	for (i = 0; i < PROBE_GROUPS; i++) {
		free(p->groups[i].offsets);
		free(p->groups[i].cookies);
	}
	free(p->links);
	bpf_link__destroy(p->sigreturn_link);
	ring_buffer__free(p->rb);
	gotrace_bpf__destroy(p->skel);
	free(p);
}
