/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF side, seen from userspace: load the generic uprobe program, fill
 * the plans map, attach uprobes with cookies, read events off the ring
 * buffer, count what was lost. Knows bpf/gotrace.h, never symbols/.
 */
#ifndef GOTRACE_PROBE_H
#define GOTRACE_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bpf/gotrace.h"

struct probe_opts {
	pid_t pid;		 /* trace only this process (tgid); 0 = every process */
	int64_t goid_offset;	 /* offset of goid in runtime.g, or -1 */
	int64_t stack_hi_offset; /* offset of stack.hi in runtime.g, or -1 */
	uint32_t event_budget;	 /* bytes of records per event, <= GT_DATA_MAX; 0: the most */
	int tif_need_fpu_load;	 /* TIF_NEED_FPU_LOAD's bit on this kernel, or -1 */
	bool use_signals;	 /* X registers from a SIGURG's signal frame (gt_parked) */
	uint32_t ringbuf_size;	 /* bytes, a power of 2 >= 4096; 0: GT_RINGBUF_SIZE */
	uint32_t n_plans;	 /* plan ids 0 to n_plans - 1 (the maps' sizes) */
	uint32_t n_types;	 /* type ids in use (the types map's size) */
	uint32_t n_rtypes;	 /* runtime type descriptors known (the rtypes map's size) */
	bool pairs_calls;	 /* some plan pairs calls with returns (-r) */
	bool noop;	   /* attach a program that does nothing (bench: the bare trap cost) */
	bool perf_uprobes; /* never uprobe_multi links, even where the kernel has them */
	uint32_t stats_plans; /* --stats: plan ids counted in the `stats` map; 0: events */
	uint32_t stack_depth; /* --stack: PCs walked per call event, <= GT_STACK_MAX; 0: none */
	int verbose;	   /* >= 2: libbpf's own messages on stderr */
};

struct probe;

/* Called once per event; data is valid only during the call. Return
 * non-zero to stop polling (probe__poll then returns that value). */
typedef int (*probe_event_fn)(void *ctx, const struct gt_event *ev, const void *records);

struct probe *probe__new(const struct probe_opts *opts, int *err);
/* Before attach: store the plan for func_id (the attach cookie). */
int probe__set_plan(struct probe *p, __u32 func_id, const struct gt_plan *plan);
/* Before attach: the type program of type id ID. */
int probe__set_type(struct probe *p, __u32 id, const struct gt_type *prog);
/* Before attach: the descriptor at ADDR (in the binary) is type id ID. */
int probe__set_rtype(struct probe *p, __u64 addr, __u32 id);
/* Before attach: the filter of plan FUNC_ID (bpf/gotrace.h, gt_filter). */
int probe__set_filter(struct probe *p, __u32 func_id, const struct gt_filter *filter);
/* What the kernel counted of plan FUNC_ID's filter, summed over CPUs. */
int probe__filter_count(struct probe *p, __u32 func_id, struct gt_filter_count *out);
/*
 * Uprobes, in groups that each run one program. They are queued, then
 * attached together by probe__attach_uprobes: with uprobe_multi, one link
 * per group (Linux 6.6+); otherwise one perf-event uprobe each, closed
 * concurrently on detach (each close waits for an RCU grace period).
 */
enum probe_group {
	PROBE_SIGFRAME, /* the Go runtime's signal handler: completes parked events */
	PROBE_ENTRY,	/* functions' entries, after the stack-growth check */
	PROBE_RETURN,	/* their RET instructions (-r): never uretprobes */
	PROBE_GROUPS,
};

/* Queues a uprobe at file offset OFFSET of the binary, its virtual address
 * VADDR, carrying the cookie GT_COOKIE(func_id, vaddr) (PROBE_SIGFRAME:
 * 0). Returns 0 or -ENOMEM. */
int probe__add_uprobe(struct probe *p, enum probe_group group, uint64_t offset, __u32 func_id,
		      uint64_t vaddr);
/* Attaches every queued uprobe to PATH (opts.pid: in that process only).
 * Returns 0 or a negative errno; then *failed_group and, for a
 * perf-event uprobe, *failed_cookie (else ~0) say which one failed. */
int probe__attach_uprobes(struct probe *p, const char *path, enum probe_group *failed_group,
			  uint64_t *failed_cookie);
/* How the uprobes are attached, for -v: a sentence without a period. */
const char *probe__mechanism(const struct probe *p);
/* Whether they are perf-event uprobes, which detach one grace period each. */
bool probe__perf_uprobes(const struct probe *p);
/* Signal frames read as the Go runtime's handler returns them (rt_sigreturn's
 * syscall tracepoint). Returns 0 or a negative errno; then queue
 * PROBE_SIGFRAME uprobes. */
int probe__attach_sigreturn(struct probe *p);
/* Parked events older than max_age_ns (0: all) whose signal frame never came:
 * taken out of the map and handed to fn, their X registers still pending. */
int probe__sweep_parked(struct probe *p, uint64_t max_age_ns, probe_event_fn fn, void *ctx);
/* Number of uprobes attached. */
int probe__attached(const struct probe *p);
/* Wait up to timeout_ms for events and hand each to fn. Returns the number
 * handled, fn's non-zero return, or a negative errno (-EINTR on a signal). */
int probe__poll(struct probe *p, int timeout_ms, probe_event_fn fn, void *ctx);
/* A counter of the BPF side (enum gt_counter), summed over CPUs: events
 * the ring buffer had no room for, calls evicted, ... */
uint64_t probe__counter(struct probe *p, enum gt_counter counter);
/* Calls in flight: FN sees each remembered call and returns true to evict
 * it. Returns how many were evicted; they count as GT_CNT_EVICTED. */
typedef bool (*probe_call_fn)(void *ctx, const struct gt_call_key *key, const struct gt_call *call);
int probe__sweep_calls(struct probe *p, probe_call_fn fn, void *ctx);

/* Detaches every uprobe, all at once. */
void probe__detach(struct probe *p);
/* --stats: flips the epoch, so that the program writes the other slot from
 * now on. Returns the slot it wrote until now (0 or 1). */
int probe__stats_flip(struct probe *p);
/* --stats: the counters of entry plan PLAN_ID in SLOT, summed over CPUs;
 * with CLEAR, zeroed after the read. Returns 0 or a negative errno. */
int probe__stats_read(struct probe *p, __u32 plan_id, int slot, bool clear,
		      struct gt_stats *out);

/* Detaches every uprobe and frees; NULL is a no-op. */
void probe__free(struct probe *p);

#endif /* GOTRACE_PROBE_H */
