// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Userspace half of the BPF side: load, configure, attach, poll.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "cmd/probe.h"
#include "gotrace.skel.h"

struct probe {
	struct gotrace_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link **links;
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

struct probe *probe__new(const struct probe_opts *opts, int *err)
{
	struct probe *p;

	libbpf_verbosity = opts->verbose;
	libbpf_set_print(print_libbpf);
	p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->noop = opts->noop;
	p->ncpus = libbpf_num_possible_cpus();
	p->skel = gotrace_bpf__open();
	if (!p->skel) {
		*err = -errno;
		goto fail;
	}
	p->skel->rodata->target_tgid = opts->pid;
	p->skel->rodata->goid_offset = opts->goid_offset;
	p->skel->rodata->stack_hi_offset = opts->stack_hi_offset;
	p->skel->rodata->tif_need_fpu_load = opts->tif_need_fpu_load;
	p->skel->rodata->use_signals = opts->use_signals && !opts->noop;
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

static int attach_program(struct probe *p, struct bpf_program *prog, const char *path,
			  uint64_t offset, __u64 cookie)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts, .bpf_cookie = cookie, .retprobe = false);
	struct bpf_link *link;
	int err;

	if (p->n_links == p->cap_links) {
		int cap = p->cap_links ? p->cap_links * 2 : 16;
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

int probe__attach(struct probe *p, const char *path, uint64_t offset, __u32 func_id,
		  uint64_t vaddr)
{
	return attach_program(p,
			      p->noop ? p->skel->progs.gotrace_noop : p->skel->progs.gotrace_entry,
			      path, offset, GT_COOKIE(func_id, vaddr));
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

int probe__attach_sigframe(struct probe *p, const char *path, uint64_t offset)
{
	return attach_program(p, p->skel->progs.gotrace_sigframe, path, offset, 0);
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
	return p->n_links;
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

void probe__free(struct probe *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < p->n_links; i++)
		bpf_link__destroy(p->links[i]);
	free(p->links);
	bpf_link__destroy(p->sigreturn_link);
	ring_buffer__free(p->rb);
	gotrace_bpf__destroy(p->skel);
	free(p);
}
