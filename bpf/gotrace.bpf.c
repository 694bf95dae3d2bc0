// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one generic uprobe program: it runs the fetch plan of the function
 * whose probe fired (found through the attach cookie) and sends one event
 * per call through the ring buffer. See bpf/gotrace.h for the encoding.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/gotrace.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tgid = 0;		 /* 0: every process */
const volatile __s64 goid_offset = -1;		 /* of goid in runtime.g; -1: unknown */
const volatile __s64 stack_hi_offset = -1;	 /* of stack.hi in runtime.g; -1: unknown */
const volatile __u32 event_budget = GT_DATA_DEFAULT; /* bytes of records per event */
/* TIF_NEED_FPU_LOAD's bit in thread_info.flags (a #define, not in BTF: 14
 * before Linux 6.18, 19 since), set by cmd/session.c where the kernel
 * version is known; -1: never read saved FPU state */
const volatile __s32 tif_need_fpu_load = -1;
/* X registers not saved at the probe come from a SIGURG's signal frame
 * (bpf/gotrace.h, gt_parked); 0: --no-signals */
const volatile __u32 use_signals = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GT_MAX_FUNCS);
	__type(key, __u32);
	__type(value, struct gt_plan);
} plans SEC(".maps");

/* Type programs by type id; sized to the types in use before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gt_type);
} types SEC(".maps");

/* Runtime type descriptors (their addresses in the binary) to type ids:
 * an interface's dynamic type. Sized before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u32);
} rtypes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GT_RINGBUF_SIZE);
} events SEC(".maps");

/* A value waiting to be scanned: `count` values of type `type`, `stride`
 * bytes apart, from data[pos], inside a record that ends at data[end]. */
struct item {
	__u32 pos;
	__u32 end;
	__u32 type;
	__u32 stride;
	__u16 count;
	__u16 depth;
	__u32 pad;
};

/* A capture taken in this event (gen), to take it once. */
struct seen {
	__u64 addr;
	__u64 want;
	__u32 type;
	__u32 gen;
	__u32 pos; /* of its data in data[] */
	__u32 len;
};

/* The event is built here, then copied into the ring buffer whole: its size
 * is only known at the end. Twice GT_DATA_MAX so that a write at a masked
 * offset below GT_DATA_MAX of up to GT_READ_MAX bytes stays inside. One
 * entry per CPU: too big for a per-CPU map. */
struct scratch {
	__u64 expect_ip; /* as in struct gt_parked: the map takes the prefix */
	__u64 sp;
	__u64 aborted;
	struct gt_event ev;
	__u8 data[2 * GT_DATA_MAX];
	__u64 regs[16]; /* by enum gt_reg */
	__u64 g;	/* the current goroutine's runtime.g */
	__u64 bias;	/* the load bias: run-time address - the binary's */
	__u8 pending;	/* some X register waits for the signal frame */
	__u32 used;	/* bytes of data[] written */
	__u32 max_depth; /* the plan's */
	__u32 got;	/* capture(): bytes read */
	__u32 fresh;	/* capture(): not taken before in this event */
	/* the scan */
	struct item q[GT_QUEUE];
	__u32 qhead, qtail;
	struct item cur; /* the value being scanned, when has_cur */
	__u32 has_cur;
	__u32 cur_op;
	__u32 gen; /* of this event, for seen[] */
	struct seen seen[GT_SEEN];
};

_Static_assert(__builtin_offsetof(struct scratch, data) ==
		   __builtin_offsetof(struct gt_parked, data),
	       "struct scratch must start as struct gt_parked");

/* Events waiting for their signal frame, by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GT_MAX_PARKED);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct gt_parked);
} parked SEC(".maps");

/* By CPU; sized to the possible CPUs before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Calls in flight, for their returns: see bpf/gotrace.h. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GT_MAX_CALLS);
	__type(key, struct gt_call_key);
	__type(value, struct gt_call);
} calls SEC(".maps");

static __always_inline struct scratch *get_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch_map, &cpu);
}

static __always_inline void count(__u32 counter)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &counter);

	if (n)
		(*n)++;
}

/* Pairs a call with its return: remembers the call at entry, and at a RET
 * takes it back and stamps the duration. */
static __always_inline void pair(struct scratch *s, struct gt_plan *plan, __u32 func_id)
{
	struct gt_call_key key = {.goid = s->ev.goid};
	struct gt_call call = {.start_ns = s->ev.time_ns, .func_id = func_id}, *found;
	__u64 stack_hi = 0;

	if (stack_hi_offset < 0 || !key.goid ||
	    bpf_probe_read_user(&stack_hi, sizeof(stack_hi), (void *)(s->g + stack_hi_offset)))
		return;
	key.depth = stack_hi - s->regs[GT_REG_RSP];
	s->ev.depth = key.depth;
	found = bpf_map_lookup_elem(&calls, &key);
	if (plan->flags & GT_PLAN_RETURN) {
		if (found && found->func_id == plan->pair_id) {
			s->ev.duration_ns = s->ev.time_ns - found->start_ns;
			s->ev.flags |= GT_EVF_PAIRED;
			bpf_map_delete_elem(&calls, &key);
		}
		return;
	}
	/* a live frame at this depth of this goroutine would be our caller's
	 * callee still running, which cannot be: the old one was unwound by a
	 * panic and never returned */
	if (found)
		count(GT_CNT_EVICTED);
	if (bpf_map_update_elem(&calls, &key, &call, BPF_ANY))
		count(GT_CNT_CALLS_FULL);
}

/* The registers plans may name, copied once with constant-offset ctx reads
 * (the verifier refuses ctx reads at a computed offset). */
static __always_inline void save_regs(struct scratch *s, struct pt_regs *ctx)
{
	s->regs[GT_REG_RAX] = ctx->ax;
	s->regs[GT_REG_RBX] = ctx->bx;
	s->regs[GT_REG_RCX] = ctx->cx;
	s->regs[GT_REG_RDI] = ctx->di;
	s->regs[GT_REG_RSI] = ctx->si;
	s->regs[GT_REG_R8] = ctx->r8;
	s->regs[GT_REG_R9] = ctx->r9;
	s->regs[GT_REG_R10] = ctx->r10;
	s->regs[GT_REG_R11] = ctx->r11;
	s->regs[GT_REG_R14] = ctx->r14;
	s->regs[GT_REG_RSP] = ctx->sp;
}

/*
 * The current goroutine: R14 under the register ABI; in the stack ABI (Go
 * before 1.17, assembly) R14 is not reserved, and g is in thread-local
 * storage, the word below the FS base.
 */
static __always_inline __u64 current_g(struct scratch *s, struct gt_plan *plan)
{
	struct task_struct *task;
	__u64 g = 0;

	if (!(plan->flags & GT_PLAN_G_TLS))
		return s->regs[GT_REG_R14];
	task = bpf_get_current_task_btf();
	bpf_probe_read_user(&g, sizeof(g), (void *)(task->thread.fsbase - 8));
	return g;
}

struct fpu___old {
	struct fpstate *fpstate;
};

struct thread_struct___old {
	struct fpu___old fpu;
};

/*
 * X register REG as the task's saved FPU state holds it. That copy is the
 * task's own only while TIF_NEED_FPU_LOAD is set (the kernel saved the
 * registers and has not restored them yet); otherwise the registers are
 * live in the CPU and the copy is stale, and nothing is read.
 */
static __always_inline int read_xmm(__u8 reg, void *dst)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fpstate *fpstate;
	struct fpu *fpu;

	if (tif_need_fpu_load < 0 || reg >= 16 ||
	    !(task->thread_info.flags & (1UL << (tif_need_fpu_load & 63))))
		return GT_REC_FPU_LIVE;
	if (bpf_core_field_exists(struct thread_struct___old, fpu)) {
		struct thread_struct___old *t = (void *)&task->thread;

		fpstate = BPF_CORE_READ(t, fpu.fpstate);
	} else {
		/* since 6.15 the fpu follows task_struct */
		fpu = (void *)task + bpf_core_type_size(struct task_struct);
		fpstate = BPF_CORE_READ(fpu, fpstate);
	}
	if (!fpstate || bpf_probe_read_kernel(dst, 8, &fpstate->regs.fxsave.xmm_space[reg * 4]))
		return GT_REC_FAULT;
	return GT_REC_OK;
}

/*
 * An X register the saved FPU state did not have: the signal frame will,
 * unless the probed instruction overwrites it first (the kernel steps over
 * it before delivering the signal), or signals are off.
 */
static __always_inline void xmm_from_signal_frame(struct scratch *s, struct gt_plan *plan, __u8 reg,
						  struct gt_rec *rec, void *dst)
{
	if (!use_signals || (!plan->xmm_step && !(plan->flags & GT_PLAN_RETURN)))
		return;
	if (plan->xmm_clobbered & (1U << (reg & 15))) {
		rec->status = GT_REC_CLOBBERED;
		return;
	}
	*(__u64 *)dst = 0; /* room for the register, filled in from the frame */
	rec->status = GT_REC_PENDING;
	rec->len = 8;
	s->pending = 1;
}

struct run_ctx {
	struct scratch *s;
	struct gt_plan *plan;
};

/*
 * The scan runs in global functions, which the verifier checks once each,
 * on their own: their state is all in the scratch map, found again inside.
 */

/* A record header at the end of the data, or NULL when there is no room. */
static __always_inline struct gt_rec *new_rec(struct scratch *s, __u8 op, __u32 type, __u64 addr,
					      __u64 want)
{
	struct gt_rec *rec;

	if (s->used + sizeof(*rec) > event_budget || s->used >= GT_DATA_MAX) {
		/* no room even for the record: the decoder sees it missing */
		s->ev.flags |= GT_EVF_BUDGET;
		return NULL;
	}
	rec = (struct gt_rec *)&s->data[s->used & (GT_DATA_MAX - 1)];
	rec->op = op;
	rec->status = GT_REC_OK;
	rec->len = 0;
	rec->type = type;
	rec->want = want;
	rec->addr = addr;
	s->used += sizeof(*rec);
	s->ev.n_recs++;
	return rec;
}

/* Room left for SIZE bytes of data; with a unit, as many whole units as fit. */
static __always_inline __u32 fit(struct scratch *s, __u32 size, __u32 unit)
{
	__u32 room;

	if (s->used + size <= event_budget)
		return size;
	s->ev.flags |= GT_EVF_BUDGET;
	if (!unit || s->used >= event_budget)
		return 0;
	room = event_budget - s->used;
	return room / unit * unit;
}

static __always_inline void push(struct scratch *s, __u32 pos, __u32 end, __u32 type, __u32 count,
				 __u32 stride, __u32 depth)
{
	struct item *it;

	if (!count)
		return;
	if (s->qtail - s->qhead >= GT_QUEUE) {
		s->ev.flags |= GT_EVF_QUEUE;
		return;
	}
	it = &s->q[s->qtail & (GT_QUEUE - 1)];
	it->pos = pos;
	it->end = end;
	it->type = type;
	it->stride = stride;
	it->count = count > 0xffff ? 0xffff : count;
	it->depth = depth;
	s->qtail++;
}

/*
 * SIZE bytes (at most GT_READ_MAX) at ADDR, as a capture record of TYPE for
 * a value of WANT bytes; when the budget is short, whole UNITs of it, or
 * nothing without a unit. Returns where its data starts in data[], or -1
 * when nothing was read; s->got says how much was. A capture taken before
 * in this event is not taken again: its position is returned, and s->fresh
 * is 0.
 */
__noinline int capture(__u64 addr, __u32 type, __u64 want, __u32 size, __u32 unit)
{
	struct scratch *s = get_scratch();
	struct gt_rec *rec;
	struct seen *sn;
	__u32 h, pos;

	if (!s)
		return -1;
	s->got = 0;
	s->fresh = 0;
	h = (__u32)((addr >> 3) ^ (addr >> 19) ^ (type * 0x9e3779b1u) ^ want) & (GT_SEEN - 1);
	sn = &s->seen[h];
	if (sn->gen == s->gen && sn->addr == addr && sn->type == type && sn->want == want) {
		s->got = sn->len;
		return sn->pos;
	}
	rec = new_rec(s, GT_REC_CAPTURE, type, addr, want);
	if (!rec)
		return -1;
	if (size > GT_READ_MAX)
		size = GT_READ_MAX;
	size = fit(s, size, unit);
	if (!size && want) {
		rec->status = GT_REC_BUDGET;
		return -1;
	}
	pos = s->used;
	size &= 2 * GT_READ_MAX - 1;
	if (size > GT_READ_MAX)
		size = GT_READ_MAX;
	if (size && bpf_probe_read_user(&s->data[pos & (GT_DATA_MAX - 1)], size, (void *)addr)) {
		rec->status = GT_REC_FAULT;
		return -1;
	}
	rec->len = size;
	s->used += (size + 7) & ~7u;
	s->got = size;
	s->fresh = 1;
	if (sn->gen != s->gen) {
		sn->gen = s->gen;
		sn->addr = addr;
		sn->type = type;
		sn->want = want;
		sn->pos = pos;
		sn->len = size;
	}
	return pos;
}

/* The u64 at byte OFF of the value being scanned, if it was captured. */
static __always_inline int val_word(struct scratch *s, __u32 off, __u64 *v)
{
	__u32 at = s->cur.pos + off;

	if (at < s->cur.pos || at + 8 > s->cur.end)
		return -1;
	__builtin_memcpy(v, &s->data[at & (GT_DATA_MAX - 1)], 8);
	return 0;
}

static __always_inline int val_byte(struct scratch *s, __u32 off, __u8 *v)
{
	__u32 at = s->cur.pos + off;

	if (at < s->cur.pos || at >= s->cur.end)
		return -1;
	*v = s->data[at & (GT_DATA_MAX - 1)];
	return 0;
}

/* How many elements a GT_T_ARRAY op's array has; 0: none. */
static __always_inline __u64 array_count(struct scratch *s, struct gt_top *op)
{
	__u8 b = 0, flags = 0;
	__u64 n = 0;

	switch (op->count_kind) {
	case GT_COUNT_ONE:
		return 1;
	case GT_COUNT_WORD:
	case GT_COUNT_SWISS_DIR:
		if (val_word(s, op->count_off, &n))
			return 0;
		return n;
	case GT_COUNT_WORD_PLUS1:
		if (val_word(s, op->count_off, &n))
			return 0;
		return n + 1;
	case GT_COUNT_POW2:
		if (val_byte(s, op->count_off, &b))
			return 0;
		return 1ULL << (b & 63);
	case GT_COUNT_OLD_POW2:
		if (val_byte(s, op->count_off, &b) || !op->count_off ||
		    val_byte(s, op->count_off - 1, &flags))
			return 0;
		n = 1ULL << (b & 63);
		return flags & 8 ? n : n >> 1;
	}
	return 0;
}

/* Captures up to MAX_COUNT of the N elements of SIZE bytes at ADDR, and
 * queues them for their type's program. */
__noinline int capture_array(__u64 addr, __u64 n, __u32 type, __u32 size, __u32 flags)
{
	__u32 max_count = flags >> 8, scan = flags & 1, depth = (flags >> 1) & 0x7f;
	__u64 elems = n < max_count ? n : max_count, bytes;
	struct scratch *s;
	int pos;

	if (!size || !elems)
		return 0;
	bytes = elems * size;
	if (bytes > GT_READ_MAX)
		bytes = GT_READ_MAX / size * size;
	pos = capture(addr, type, n * size, bytes, size);
	s = get_scratch();
	if (s && pos >= 0 && s->fresh && scan)
		push(s, pos, pos + s->got, type, s->got / size, size, depth);
	return 0;
}

#define ARRAY_FLAGS(max_count, scan, depth) (((max_count) << 8) | (((depth) & 0x7f) << 1) | !!(scan))

/* An interface at OFF of the value being scanned: its dynamic value. */
__noinline int scan_interface(__u32 off, __u32 kind, __u32 depth)
{
	struct scratch *s = get_scratch();
	__u64 word = 0, data = 0, rtype = 0;
	struct gt_type *tt;
	__u32 *id, size, tid;
	int pos;

	if (!s || val_word(s, off, &word) || !word || val_word(s, off + 8, &data) ||
	    depth >= s->max_depth)
		return 0;
	rtype = word;
	if (kind == GT_T_IFACE) {
		/* itab: inter, then _type */
		pos = capture(word, GT_TYPE_ITAB, 16, 16, 0);
		s = get_scratch();
		if (!s || pos < 0 || s->got < 16)
			return 0;
		__builtin_memcpy(&rtype, &s->data[(pos + 8) & (GT_DATA_MAX - 1)], 8);
	}
	rtype -= s->bias;
	id = bpf_map_lookup_elem(&rtypes, &rtype);
	if (!id) {
		if (data)
			capture(data, GT_TYPE_RAW, GT_RAW_BYTES, GT_RAW_BYTES, 0);
		return 0;
	}
	tid = *id;
	tt = bpf_map_lookup_elem(&types, &tid);
	if (!tt)
		return 0;
	if (tt->flags & GT_TF_DIRECT) {
		/* the data word is the value */
		if (tt->n_ops)
			push(s, s->cur.pos + off + 8, s->cur.end, tid, 1, 0, depth);
		return 0;
	}
	if (!data)
		return 0;
	size = tt->size < GT_READ_MAX ? tt->size : GT_READ_MAX;
	pos = capture(data, tid, tt->size, size, 0);
	s = get_scratch();
	if (s && pos >= 0 && s->fresh && tt->n_ops)
		push(s, pos, pos + s->got, tid, 1, 0, depth + 1);
	return 0;
}

/* Op K of the type program of the value being scanned. */
__noinline int run_top(__u32 type, __u32 k)
{
	struct scratch *s = get_scratch();
	__u64 addr = 0, n = 0;
	struct gt_type *t;
	struct gt_top *op;
	__u32 depth;
	__u8 b = 0;
	int pos;

	t = bpf_map_lookup_elem(&types, &type);
	if (!s || !t)
		return 0;
	op = &t->ops[k & (GT_TYPE_OPS - 1)];
	depth = s->cur.depth;
	if (op->cond) {
		if (val_byte(s, op->cond_off, &b))
			return 0;
		if (op->cond == GT_COND_TOPHASH ? b < 5 : b >= 0x80)
			return 0;
	}
	switch (op->kind) {
	case GT_T_INLINE:
		if (s->cur.pos + op->off < s->cur.end)
			push(s, s->cur.pos + op->off, s->cur.end, op->type, op->count, op->size,
			     depth);
		return 0;
	case GT_T_PTR:
		if (val_word(s, op->off, &addr) || !addr || depth >= s->max_depth)
			return 0;
		n = op->scan;
		pos = capture(addr, op->type, op->size, op->size, 0);
		s = get_scratch();
		if (s && pos >= 0 && s->fresh && n)
			push(s, pos, pos + s->got, op->type, 1, 0, depth + 1);
		return 0;
	case GT_T_STRING:
		if (val_word(s, op->off, &addr) || val_word(s, op->off + 8, &n) || !addr || !n)
			return 0;
		capture(addr, GT_TYPE_BYTES, n, n < op->max_count ? n : op->max_count, 1);
		return 0;
	case GT_T_SLICE:
		if (val_word(s, op->off, &addr) || val_word(s, op->off + 8, &n) || !addr ||
		    depth >= s->max_depth)
			return 0;
		capture_array(addr, n, op->type, op->size,
			      ARRAY_FLAGS(op->max_count, op->scan, depth + 1));
		return 0;
	case GT_T_EFACE:
	case GT_T_IFACE:
		scan_interface(op->off, op->kind, depth);
		return 0;
	case GT_T_ARRAY:
		if (val_word(s, op->off, &addr) || !addr)
			return 0;
		n = array_count(s, op);
		if (op->count_kind == GT_COUNT_SWISS_DIR && !n) {
			/* a small Swiss map: dirPtr is its one group */
			capture_array(addr, 1, op->type2, op->size2, ARRAY_FLAGS(1, 1, depth));
			return 0;
		}
		capture_array(addr, n, op->type, op->size,
			      ARRAY_FLAGS(op->max_count, op->scan, depth));
		return 0;
	}
	return 0;
}

/* One step of the scan: the next op of the value being scanned. */
static int step(__u32 i, struct run_ctx *c)
{
	struct scratch *s = c->s;
	struct gt_type *t;
	__u32 k, type;

	if (!s->has_cur) {
		if (s->qhead == s->qtail)
			return 1;
		s->cur = s->q[s->qhead & (GT_QUEUE - 1)];
		s->qhead++;
		s->has_cur = 1;
		s->cur_op = 0;
	}
	type = s->cur.type;
	t = bpf_map_lookup_elem(&types, &type);
	if (!t) {
		s->has_cur = 0;
		return 0;
	}
	k = s->cur_op;
	if (k >= t->n_ops || k >= GT_TYPE_OPS) {
		/* the next of `count` values, or the next item */
		if (s->cur.count > 1) {
			s->cur.count--;
			s->cur.pos += s->cur.stride;
			s->cur_op = 0;
		} else {
			s->has_cur = 0;
		}
		return 0;
	}
	s->cur_op = k + 1;
	run_top(type, k);
	return 0;
}

/* GT_OP_REGS: an argument's integer registers, at their offsets. */
static __always_inline void assemble_regs(struct run_ctx *c, struct gt_op *op, __u32 at)
{
	struct scratch *s = c->s;
	__u8 *img = &s->data[at & (GT_DATA_MAX - 1)];
	__u32 j;

	if (op->flags & GT_OPF_ZERO) {
		for (j = 0; j < GT_REGS_MAX / 8; j++) {
			if (j * 8 >= op->size)
				break;
			*(__u64 *)&img[(j * 8) & (GT_REGS_MAX - 8)] = 0;
		}
	}
	for (j = 0; j < GT_REGS_PIECES; j++) {
		struct gt_piece *pc;
		__u64 v;
		__u32 o;

		if (j >= op->n_pieces)
			break;
		pc = &c->plan->pieces[(op->piece + j) & (GT_MAX_PIECES - 1)];
		v = s->regs[pc->reg & 15];
		o = pc->offset & (GT_REGS_MAX - 1);
		switch (pc->size) {
		case 1:
			img[o & (GT_REGS_MAX - 1)] = v;
			break;
		case 2:
			*(__u16 *)&img[o & (GT_REGS_MAX - 2)] = v;
			break;
		case 4:
			*(__u32 *)&img[o & (GT_REGS_MAX - 4)] = v;
			break;
		default:
			*(__u64 *)&img[o & (GT_REGS_MAX - 8)] = v;
			break;
		}
	}
}

static int run_op(__u32 i, struct run_ctx *c)
{
	struct scratch *s = c->s;
	struct gt_op *op;
	struct gt_rec *rec;
	__u64 addr = 0;
	__u32 at, size;

	if (i >= GT_MAX_OPS || i >= c->plan->n_ops)
		return 1;
	/* the compiler would drop a mask it can prove redundant; the
	 * verifier needs it */
	barrier_var(i);
	i &= GT_MAX_OPS - 1;
	op = &c->plan->ops[i];
	size = op->kind == GT_OP_XMM ? 8 : op->size;
	if (size > GT_READ_MAX)
		size = GT_READ_MAX;
	rec = new_rec(s, i, op->type, 0, size);
	if (!rec)
		return 1;
	at = s->used;
	if (fit(s, size, 0) < size) {
		rec->status = GT_REC_BUDGET;
		return 0;
	}
	switch (op->kind) {
	case GT_OP_REGS:
		if (size > GT_REGS_MAX) {
			rec->status = GT_REC_BUDGET;
			return 0;
		}
		assemble_regs(c, op, at);
		break;
	case GT_OP_XMM:
		rec->status = read_xmm(op->reg, &s->data[at & (GT_DATA_MAX - 1)]);
		if (rec->status != GT_REC_OK) {
			xmm_from_signal_frame(s, c->plan, op->reg, rec,
					      &s->data[at & (GT_DATA_MAX - 1)]);
			if (rec->status == GT_REC_PENDING)
				s->used += 8;
			return 0;
		}
		break;
	case GT_OP_STACK:
		addr = s->regs[GT_REG_RSP] + op->offset;
		rec->addr = addr;
		size &= 2 * GT_READ_MAX - 1;
		if (size > GT_READ_MAX)
			size = GT_READ_MAX;
		if (size && bpf_probe_read_user(&s->data[at & (GT_DATA_MAX - 1)], size,
						(void *)addr)) {
			rec->status = GT_REC_FAULT;
			return 0;
		}
		break;
	default:
		return 0;
	}
	rec->len = size;
	s->used += (size + 7) & ~7u;
	if (op->type)
		push(s, at, at + size, op->type, 1, 0, 0);
	return 0;
}

static __always_inline void submit(struct gt_event *ev, __u32 data_len)
{
	__u64 flags;

	if (data_len > GT_DATA_MAX)
		return;
	/* A wakeup per event costs more than the rest of the program: wake
	 * the reader only when the buffer fills up; it polls on a timer too. */
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > GT_WAKEUP_BYTES
		    ? BPF_RB_FORCE_WAKEUP
		    : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, ev, sizeof(*ev) + (data_len & (2 * GT_DATA_MAX - 1)),
			       flags))
		count(GT_CNT_LOST);
}

/* Takes this thread's parked event into S, if there is one and nobody else
 * (userspace's sweep) took it first. */
static __always_inline struct gt_parked *take_parked(struct scratch *s, __u32 tid)
{
	struct gt_parked *pk = bpf_map_lookup_elem(&parked, &tid);

	if (!pk)
		return NULL;
	if (bpf_probe_read_kernel(s, sizeof(*pk), pk) || bpf_map_delete_elem(&parked, &tid))
		return NULL;
	return pk;
}

/*
 * A parked event still there at the thread's next probe hit: its signal
 * frame never came (the signal was blocked, or went elsewhere). Flushed
 * with its X registers unavailable, never lost. Unless this hit is the
 * same probe firing again because the kernel undid the step (the frame
 * came with rip at the probe): then this hit replaces it.
 */
static __always_inline void flush_parked(struct scratch *s, struct pt_regs *ctx, __u32 tid)
{
	struct gt_parked *pk = bpf_map_lookup_elem(&parked, &tid);

	if (!pk)
		return;
	if (pk->aborted && pk->ev.ip == ctx->ip && pk->sp == ctx->sp) {
		bpf_map_delete_elem(&parked, &tid);
		return;
	}
	if (!take_parked(s, tid))
		return;
	submit(&s->ev, s->ev.data_len);
}

/* Parks the event for the signal frame and asks for one. */
static __always_inline int park(struct scratch *s, struct gt_plan *plan, struct pt_regs *ctx,
				__u32 tid)
{
	__u64 ret_addr = 0;

	s->sp = ctx->sp;
	s->aborted = 0;
	if (plan->flags & GT_PLAN_RETURN) {
		/* after the RET, rip is the address it popped */
		if (bpf_probe_read_user(&ret_addr, sizeof(ret_addr), (void *)ctx->sp))
			return -1;
		s->expect_ip = ret_addr;
	} else {
		s->expect_ip = ctx->ip + plan->xmm_step;
	}
	if (bpf_map_update_elem(&parked, &tid, s, BPF_ANY))
		return -1;
	if (bpf_send_signal_thread(GT_SIGURG)) {
		bpf_map_delete_elem(&parked, &tid);
		return -1;
	}
	count(GT_CNT_SIGNALS);
	return 0;
}

#include "bpf/filter.bpf.h"

SEC("uprobe")
int gotrace_entry(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid, func_id;
	struct run_ctx c = {};
	struct scratch *s;
	__u64 cookie;

	if (target_tgid && tgid != target_tgid)
		return 0;
	cookie = bpf_get_attach_cookie(ctx);
	func_id = GT_COOKIE_FUNC(cookie);
	c.plan = bpf_map_lookup_elem(&plans, &func_id);
	s = get_scratch();
	if (!c.plan || !s)
		return 0;
	if (use_signals)
		flush_parked(s, ctx, tid);
	c.s = s;
	save_regs(s, ctx);
	if (!filter_call(s, c.plan, func_id))
		return 0;

	s->ev.time_ns = bpf_ktime_get_ns();
	s->ev.goid = 0;
	s->g = current_g(s, c.plan);
	if (goid_offset >= 0 && s->g)
		bpf_probe_read_user(&s->ev.goid, sizeof(s->ev.goid), (void *)(s->g + goid_offset));
	s->ev.pid = tgid;
	s->ev.tid = tid;
	s->ev.func_id = func_id;
	s->ev.kind = c.plan->flags & GT_PLAN_RETURN ? GT_EV_RETURN : GT_EV_CALL;
	s->ev.flags = 0;
	s->ev.n_recs = 0;
	s->ev.duration_ns = 0;
	s->ev.depth = 0;
	s->ev.ip = ctx->ip;
	s->pending = 0;
	s->bias = ctx->ip - GT_COOKIE_VADDR(cookie);
	if (c.plan->flags & (GT_PLAN_PAIR | GT_PLAN_RETURN))
		pair(s, c.plan, func_id);
	if (!filter_return(s, c.plan, func_id))
		return 0;

	/* the roots queue their values, the scan follows them */
	s->gen++;
	s->used = 0;
	s->max_depth = c.plan->max_depth;
	s->qhead = 0;
	s->qtail = 0;
	s->has_cur = 0;
	bpf_loop(GT_MAX_OPS, run_op, &c, 0);
	bpf_loop(GT_MAX_STEPS, step, &c, 0);
	if (s->has_cur || s->qhead != s->qtail)
		s->ev.flags |= GT_EVF_STEPS;

	s->ev.data_len = s->used;
	if (filter_hold(s, c.plan, func_id))
		return 0;
	if (s->pending && s->used <= GT_PARK_DATA && park(s, c.plan, ctx, tid) == 0)
		return 0; /* runtime.sigtramp's probe submits it */
	submit(&s->ev, s->used);
	return 0;
}

struct frame_ctx {
	struct scratch *s;
	struct gt_plan *plan;
	__u64 fpregs; /* user address of the frame's fxsave area; 0: not ours */
	__u32 pos;
};

static int fill_rec(__u32 i, struct frame_ctx *c)
{
	struct scratch *s = c->s;
	struct gt_rec *rec;
	__u32 at = c->pos & (GT_DATA_MAX - 1), reg;

	if (i >= s->ev.n_recs || c->pos + sizeof(*rec) > s->ev.data_len ||
	    c->pos + sizeof(*rec) + 8 > GT_PARK_DATA)
		return 1;
	rec = (struct gt_rec *)&s->data[at];
	c->pos += sizeof(*rec) + ((rec->len + 7) & ~7u);
	if (rec->status != GT_REC_PENDING)
		return 0;
	reg = c->plan->ops[rec->op & (GT_MAX_OPS - 1)].reg & 15;
	if (!c->fpregs) {
		rec->status = GT_REC_SIGNAL_LATE;
		return 0;
	}
	if (bpf_probe_read_user(&s->data[(at + sizeof(*rec)) & (GT_DATA_MAX - 1)], 8,
				(void *)(c->fpregs + GT_FX_XMM + 16 * reg)))
		rec->status = GT_REC_FAULT;
	else
		rec->status = GT_REC_OK;
	return 0;
}

/*
 * The frame was saved right after the probed instruction: rip is the ip
 * it expects. Or Go's handler has since injected a call to asyncPreempt
 * (read at rt_sigreturn): then the frame's SP is 8 below the SP expected
 * after the instruction, and holds the expected ip.
 */
static __always_inline bool frame_is_ours(struct scratch *s, struct gt_plan *plan, __u64 uc,
					  __u64 rip)
{
	__u64 sp = 0, pushed = 0, want_sp;

	if (rip == s->expect_ip)
		return true;
	if (plan->flags & GT_PLAN_RETURN)
		want_sp = s->sp + 8;
	else if (plan->flags & GT_PLAN_SP_STEP)
		want_sp = s->sp + plan->sp_step;
	else
		return false;
	if (bpf_probe_read_user(&sp, sizeof(sp), (void *)(uc + GT_UC_RSP)) || sp + 8 != want_sp ||
	    bpf_probe_read_user(&pushed, sizeof(pushed), (void *)sp))
		return false;
	return pushed == s->expect_ip;
}

/*
 * A signal frame of this thread, its ucontext at UC: completes the thread's
 * parked event from it, if the frame is the one the probe asked for.
 */
static __always_inline int complete_from_frame(__u64 uc)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct frame_ctx c = {};
	struct gt_parked *pk;
	__u64 rip = 0, fpregs = 0;

	pk = bpf_map_lookup_elem(&parked, &tid);
	if (!pk)
		return 0;
	if (bpf_probe_read_user(&rip, sizeof(rip), (void *)(uc + GT_UC_RIP)) ||
	    bpf_probe_read_user(&fpregs, sizeof(fpregs), (void *)(uc + GT_UC_FPREGS)))
		rip = 0;
	if (rip && rip == pk->ev.ip) {
		/* the kernel undid the step: the probe fires again, and
		 * that hit replaces this event */
		pk->aborted = 1;
		return 0;
	}
	c.s = get_scratch();
	if (!c.s || !take_parked(c.s, tid))
		return 0;
	c.plan = bpf_map_lookup_elem(&plans, &c.s->ev.func_id);
	if (!c.plan)
		return 0;
	if (rip && fpregs && frame_is_ours(c.s, c.plan, uc, rip))
		c.fpregs = fpregs;
	else
		count(GT_CNT_SIGNALS_LATE);
	bpf_loop(GT_MAX_OPS, fill_rec, &c, 0);
	if (c.fpregs)
		count(GT_CNT_SIGFRAMES);
	submit(&c.s->ev, c.s->ev.data_len);
	return 0;
}

/*
 * Where the frame is read. Preferably as the handler hands it back: Go's
 * handler returns through runtime.sigreturn__sigaction, the SA_RESTORER,
 * whose rt_sigreturn system call finds the ucontext at the user SP (the
 * RET popped the frame's pretcode). A syscall tracepoint costs far less
 * than a second uprobe trap. The frame's X registers are as the kernel
 * saved them: Go's handler rewrites only rip and SP, when it injects an
 * asynchronous preemption, which the rip check then refuses.
 */
SEC("raw_tracepoint/sys_enter")
int gotrace_sigreturn(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	if (ctx->args[1] != GT_NR_RT_SIGRETURN)
		return 0;
	if (target_tgid && (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	return complete_from_frame(BPF_CORE_READ(regs, sp));
}

/*
 * Or, where syscall tracepoints are missing, on runtime.sigtramp (and
 * runtime.cgoSigtramp), the Go runtime's handler, at its first instruction:
 * the kernel calls it with the C ABI, the ucontext in DX. A second trap.
 */
SEC("uprobe")
int gotrace_sigframe(struct pt_regs *ctx)
{
	return complete_from_frame(ctx->dx);
}

/* The bench's baseline: the cost of the trap alone. */
SEC("uprobe")
int gotrace_noop(struct pt_regs *ctx)
{
	return 0;
}
