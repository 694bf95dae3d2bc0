/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stats in the kernel: a paired return adds its call to its function's
 * counters (bpf/gotrace.h, struct gt_stats), and no event is sent. Part of
 * bpf/gotrace.bpf.c, included once, after pair().
 */

const volatile __u32 stats_mode = 0;
/* flipped by userspace at each --interval: which slot is written */
volatile __u32 stats_epoch = 0;

/* Sized to the plans in use before load; see bpf/gotrace.h. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gt_stats);
} stats SEC(".maps");

/* floor(log2(v)) for v > 0, without a loop; 0 for 0 */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* *P = max(*P, V), atomically: a hit on the same CPU may preempt this one */
static __always_inline void atomic_max(__u64 *p, __u64 v)
{
	__u64 old;
	int i;

	for (i = 0; i < 8; i++) {
		old = *p;
		if (v <= old || __sync_val_compare_and_swap(p, old, v) == old)
			return;
	}
}

/*
 * A return paired with its call: count it, its latency and, when the plan
 * captured the last result, whether it is a non-nil error. The uprobe
 * program may be preempted on this CPU by another hit of it: counts and
 * extremes are atomic, so that `count` is exact, the histogram sums to it
 * and min and max are the calls' own.
 */
static __always_inline void stats_account(struct scratch *s, struct gt_plan *plan, __u32 func_id)
{
	struct gt_rec *rec = (struct gt_rec *)s->data;
	__u32 key = plan->pair_id + (stats_epoch & 1);
	__u64 d = s->ev.duration_ns;
	struct gt_stats *st;

	if (plan->flags & GT_PLAN_ENTRY_ONLY) {
		/* no return to wait for: the call is counted, with no latency */
		key = func_id + (stats_epoch & 1);
		st = bpf_map_lookup_elem(&stats, &key);
		if (st)
			__sync_fetch_and_add(&st->count, 1);
		return;
	}
	if (!(plan->flags & GT_PLAN_RETURN) || !(s->ev.flags & GT_EVF_PAIRED))
		return;
	st = bpf_map_lookup_elem(&stats, &key);
	if (!st)
		return;
	if ((plan->flags & GT_PLAN_ERR_RESULT) && s->ev.n_recs && rec->status == GT_REC_OK &&
	    rec->len >= 8 && *(__u64 *)&s->data[sizeof(*rec)])
		__sync_fetch_and_add(&st->errors, 1);
	atomic_max(&st->min_ns, ~d); /* stored inverted: see struct gt_stats */
	atomic_max(&st->max_ns, d);
	__sync_fetch_and_add(&st->sum_ns, d);
	__sync_fetch_and_add(&st->hist[log2_u64(d) & (GT_HIST_SLOTS - 1)], 1);
	/* last: a count seen by userspace has its slot and error counted */
	__sync_fetch_and_add(&st->count, 1);
}
