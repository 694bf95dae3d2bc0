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
/* TIF_NEED_FPU_LOAD's bit in thread_info.flags, a #define the BTF lacks,
 * set by the kernel version (the rule's one home: cmd/xregs.c); -1: never
 * read saved FPU state */
const volatile __s32 tif_need_fpu_load = -1;
/* X registers not saved at the probe come from a SIGURG's signal frame
 * (bpf/gotrace.h, gt_parked); 0: --no-signals */
const volatile __u32 use_signals = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* sized to the session's plans before load */
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
	__u32 budget;	/* bytes data[] may take now: event_budget, less the
			 * stack's room while the arguments are captured */
	__u32 max_depth; /* the plan's */
	__u32 got;	/* capture(): bytes read */
	__u32 fresh;	/* capture(): not taken before in this event */
	__u32 faulted;	/* capture(): the read faulted even up to the page boundary */
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

#include "bpf/scan.bpf.h"

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

/* A type assertion's hop: whether the interface holds the type whose
 * descriptor address the two GT_HOP_IMM pieces after hop J hold. */
static __always_inline bool path_assert(struct run_ctx *c, struct gt_op *op, __u32 j,
					struct gt_piece *pc, __u64 w)
{
	struct scratch *s = c->s;
	__u64 word = 0, want;
	struct gt_piece *lo, *hi;

	if (pc->reg == GT_HOP_ASSERT_REG || pc->reg == GT_HOP_ASSERT_REG_ITAB)
		word = s->regs[pc->size & 15];
	else if (!w || bpf_probe_read_user(&word, sizeof(word), (void *)(w + pc->offset)))
		return false;
	if (word && (pc->reg == GT_HOP_ASSERT_ITAB || pc->reg == GT_HOP_ASSERT_REG_ITAB) &&
	    bpf_probe_read_user(&word, sizeof(word), (void *)(word + 8))) /* itab._type */
		return false;
	lo = &c->plan->pieces[(op->piece + j + 1) & (GT_MAX_PIECES - 1)];
	hi = &c->plan->pieces[(op->piece + j + 2) & (GT_MAX_PIECES - 1)];
	want = ((__u64)hi->offset << 16 | lo->offset) + s->bias;
	return word && word == want;
}

/* The address GT_OP_PATH's hops reach, into *OUT: GT_REC_OK, or why not. */
static __always_inline __u8 path_address(struct run_ctx *c, struct gt_op *op, __u64 *out)
{
	struct scratch *s = c->s;
	__u64 w = s->regs[op->reg & 15], hdr[2], len = 0;
	struct gt_piece *pc;
	__u32 j;

	for (j = 0; j < GT_PATH_HOPS; j++) {
		if (j >= op->n_pieces)
			break;
		pc = &c->plan->pieces[(op->piece + j) & (GT_MAX_PIECES - 1)];
		switch (pc->reg) {
		case GT_HOP_ASSERT:
		case GT_HOP_ASSERT_ITAB:
		case GT_HOP_ASSERT_REG:
		case GT_HOP_ASSERT_REG_ITAB:
			if (!path_assert(c, op, j, pc, w))
				return GT_REC_ASSERT;
			break;
		case GT_HOP_DEREF:
			if (!w)
				return GT_REC_NIL;
			if (bpf_probe_read_user(&w, sizeof(w), (void *)(w + pc->offset)))
				return GT_REC_FAULT;
			break;
		case GT_HOP_SLICE:
			if (!w)
				return GT_REC_NIL;
			if (bpf_probe_read_user(hdr, sizeof(hdr), (void *)(w + pc->offset)))
				return GT_REC_FAULT;
			w = hdr[0];
			len = hdr[1];
			break;
		case GT_HOP_LEN_REG:
			len = s->regs[pc->size & 15];
			break;
		case GT_HOP_BOUND:
			if (len <= pc->offset)
				return GT_REC_RANGE;
			break;
		}
	}
	if (op->flags & GT_OPF_VALUE_W) {
		*out = w;
		return GT_REC_OK;
	}
	if (!w)
		return GT_REC_NIL;
	*out = w + op->offset;
	return GT_REC_OK;
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
	case GT_OP_PATH:
		rec->status = path_address(c, op, &addr);
		if (rec->status == GT_REC_NIL && (op->flags & GT_OPF_NIL_ZERO)) {
			/* len of a nil map or channel: 0 */
			rec->status = GT_REC_OK;
			*(__u64 *)&s->data[at & (GT_DATA_MAX - 8)] = 0;
			size = 8;
			break;
		}
		if (rec->status != GT_REC_OK)
			return 0;
		if (op->flags & GT_OPF_VALUE_W) {
			/* x.(*T): the data word itself */
			*(__u64 *)&s->data[at & (GT_DATA_MAX - 8)] = addr;
			size = 8;
			break;
		}
		goto read;
	case GT_OP_STACK:
		addr = s->regs[GT_REG_RSP] + op->offset;
read:
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
	s->used += GT_REC_PAD(size);
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

#include "bpf/stats.bpf.h"
#include "bpf/stack.bpf.h"
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
	s->bias = ctx->ip - GT_COOKIE_VADDR(cookie); /* a filter's type assertions use it */
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

	/* the roots queue their values, the scan follows them */
	s->gen++;
	s->used = 0;
	s->budget = event_budget;
	if (stack_depth && !(c.plan->flags & GT_PLAN_RETURN))
		/* the stack's room first: the arguments are cut before it */
		s->budget = event_budget > GT_STACK_ROOM(stack_depth)
				? event_budget - GT_STACK_ROOM(stack_depth)
				: 0;
	s->max_depth = c.plan->max_depth;
	s->qhead = 0;
	s->qtail = 0;
	s->has_cur = 0;
	if (c.plan->n_ops) { /* --stats' entry plans have none */
		bpf_loop(GT_MAX_OPS, run_op, &c, 0);
		bpf_loop(GT_MAX_STEPS, step, &c, 0);
	}
	if (s->has_cur || s->qhead != s->qtail)
		s->ev.flags |= GT_EVF_STEPS;

	/* a call that failed its filter was dropped above, before any of this;
	 * a return decides here, on its results */
	if (c.plan->flags & (GT_PLAN_PAIR | GT_PLAN_RETURN))
		pair(s, c.plan, func_id);
	if (!filter_return(s, c.plan, func_id))
		return 0;
	if (stats_mode) {
		stats_account(s, c.plan, func_id);
		return 0;
	}
	if (stack_depth && !(c.plan->flags & GT_PLAN_RETURN)) {
		s->budget = event_budget;
		record_stack(s, ctx);
	}

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
	c->pos += sizeof(*rec) + GT_REC_PAD(rec->len);
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
