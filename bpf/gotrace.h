/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI between gotrace's userspace and its BPF program: limits, the plan
 * encoding, the event records. Included by both sides, so: fixed-width types,
 * no includes, and every layout change is a change to both.
 *
 * A fetch plan is a short program of ops, one plan per traced function, kept
 * in the `plans` array map and found through the uprobe's attach cookie (the
 * cookie is the plan's index). The BPF program runs the ops in order. Each op
 * reads bytes from one source and appends one record to the event:
 *
 *   GT_OP_REG    8 bytes from a pt_regs register (reg = enum gt_reg)
 *   GT_OP_STACK  `size` bytes from ctx->sp + offset (stack arguments)
 *   GT_OP_DEREF  bytes from address + offset, where the address is the u64
 *                found at byte `base_off` of the data of an earlier op
 *                `base`.  When `len_op` != GT_NO_OP, the byte count is the
 *                u64 at byte `len_off` of op `len_op`'s data, times `scale`,
 *                capped at `size` (string and slice contents); otherwise it
 *                is `size` (pointees).
 *
 * Ops may only refer to earlier ops, so one forward pass suffices and the
 * verifier sees a bounded loop.
 */
#ifndef GOTRACE_H
#define GOTRACE_H

/*
 * A uprobe's attach cookie: the index of its plan in the `plans` map, and in
 * the high half the probed instruction's virtual address in the binary. The
 * program learns the process's load bias (PIE) as ctx->ip minus that, and
 * with it turns run-time addresses (type descriptors) into the binary's.
 * Go binaries' text lies below 4 GB.
 */
#define GT_COOKIE(func_id, vaddr) (((__u64)(vaddr) << 32) | (__u32)(func_id))
#define GT_COOKIE_FUNC(cookie) ((__u32)(cookie))
#define GT_COOKIE_VADDR(cookie) ((cookie) >> 32)

#define GT_MAX_FUNCS 4096 /* plans map entries: functions traced at once */
#define GT_MAX_OPS 64	  /* ops per plan (power of 2: the BPF side masks indexes) */
#define GT_NO_OP 0xff
#define GT_DATA_MAX 8192 /* per-event capture budget, bytes of records (power of 2) */
#define GT_READ_MAX 4096 /* largest single op read (power of 2) */
#define GT_RINGBUF_SIZE (4 << 20) /* mapped twice for wrapping reads: twice that in RSS */
#define GT_WAKEUP_BYTES (1 << 20) /* wake the reader past this much unread data */

/* Registers Go's amd64 ABIInternal passes integer arguments in, in ABI
 * order, then the ones gotrace reads for other reasons. */
enum gt_reg {
	GT_REG_RAX,
	GT_REG_RBX,
	GT_REG_RCX,
	GT_REG_RDI,
	GT_REG_RSI,
	GT_REG_R8,
	GT_REG_R9,
	GT_REG_R10,
	GT_REG_R11,
	GT_REG_R14, /* the current goroutine g under ABIInternal */
	GT_REG_RSP,
	GT_REG_COUNT,
};

enum gt_op_kind {
	GT_OP_REG = 1,
	GT_OP_STACK = 2,
	GT_OP_DEREF = 3,
	GT_OP_XMM = 4, /* 8 bytes of X register `reg`: from the task's saved FPU
			* state when the kernel has it saved; otherwise, with
			* signals on, from the signal frame (see gt_parked) */
};

struct gt_op {
	__u8 kind;	/* enum gt_op_kind */
	__u8 reg;	/* GT_OP_REG: enum gt_reg */
	__u8 base;	/* GT_OP_DEREF: op whose data holds the address */
	__u8 len_op;	/* GT_OP_DEREF: op whose data holds the element count, or GT_NO_OP */
	__u16 size;	/* bytes to read; for counted reads, the cap. <= GT_READ_MAX */
	__u16 base_off; /* GT_OP_DEREF: byte offset of the address inside op base's data */
	__u16 len_off;	/* GT_OP_DEREF: byte offset of the count inside op len_op's data */
	__u16 scale;	/* GT_OP_DEREF with len_op: bytes per counted element */
	__s32 offset;	/* GT_OP_STACK: from sp; GT_OP_DEREF: added to the address */
};

/*
 * Calls and returns. Each traced function has an entry plan, and with
 * --returns a return plan run by uprobes on its RET instructions. The two
 * meet in the `calls` map, keyed by goroutine and stack depth
 * (g.stack.hi - SP): SP at a RET equals SP at entry, and the difference
 * survives the runtime copying the stack elsewhere.
 */
#define GT_PLAN_RETURN 0x1 /* this plan runs at a RET */
#define GT_PLAN_PAIR 0x2   /* entry: remember the call for its return */
#define GT_PLAN_G_TLS 0x4  /* the stack ABI: g is in TLS (fs_base - 8), not R14 */
#define GT_PLAN_SP_STEP 0x8 /* entry: sp_step is known */

struct gt_plan {
	__u32 n_ops;
	__u32 flags;   /* GT_PLAN_* */
	__u32 pair_id; /* return plan: the id of its function's entry plan */
	/* Entry plans: the length of the probed instruction, so that the
	 * signal frame's ip must be the probe's ip plus this (the kernel
	 * steps over the probed instruction before it delivers the signal);
	 * 0: the instruction branches, no signal is sent. Return plans: the
	 * frame's ip must be the return address the RET pops; unused. */
	__u16 xmm_step;
	__u16 xmm_clobbered; /* X registers (bit i: Xi) the probed instruction writes */
	/* Entry plans with GT_PLAN_SP_STEP: how the probed instruction moves
	 * SP. A frame whose handler injected a call (Go's asynchronous
	 * preemption) is still ours if it pushed the expected ip exactly at
	 * the expected SP. */
	__s32 sp_step;
	__u32 pad;
	struct gt_op ops[GT_MAX_OPS];
};

#define GT_MAX_CALLS 65536 /* calls in flight remembered at once */

struct gt_call_key {
	__u64 goid;
	__u64 depth; /* g.stack.hi - SP */
};

struct gt_call {
	__u64 start_ns;
	__u32 func_id;
	__u32 pad;
};

/* Counters in the per-CPU `counters` map. */
enum gt_counter {
	GT_CNT_LOST,	   /* events the ring buffer had no room for */
	GT_CNT_EVICTED,	   /* calls that never returned (unwound by a panic), replaced */
	GT_CNT_CALLS_FULL, /* calls not remembered: the calls map was full */
	GT_CNT_SIGNALS,	   /* SIGURGs sent for X registers */
	GT_CNT_SIGFRAMES,  /* events completed from a signal frame */
	GT_CNT_SIGNALS_LATE, /* signal frames not at the probe's next ip: refused */
	GT_CNT_MAX,
};

enum gt_event_kind {
	GT_EV_CALL = 1,
	GT_EV_RETURN = 2,
};

/* Event header; `data_len` bytes of records follow. */
struct gt_event {
	__u64 time_ns; /* bpf_ktime_get_ns() at the probe (CLOCK_MONOTONIC) */
	__u64 goid;    /* 0 when unknown */
	__u32 pid;     /* tgid */
	__u32 tid;
	__u32 func_id; /* attach cookie: index into `plans` */
	__u16 kind;    /* enum gt_event_kind */
	__u16 flags;   /* GT_EVF_* */
	__u32 data_len;
	__u32 n_recs;
	__u64 duration_ns; /* GT_EV_RETURN with GT_EVF_PAIRED: since the call */
	__u64 depth;	   /* g.stack.hi - SP when calls are paired, else 0 */
	__u64 ip;	   /* the probed instruction's address in the process (PIE: relocated) */
};

#define GT_EVF_BUDGET 0x1 /* the capture budget cut some records */
#define GT_EVF_PAIRED 0x2 /* a return matched to its call: duration_ns is valid */

/* Record status */
enum gt_rec_status {
	GT_REC_OK = 0,
	GT_REC_NIL = 1,	    /* the address was 0: a nil pointer, nothing read */
	GT_REC_FAULT = 2,   /* the read faulted: an unreadable address */
	GT_REC_SKIPPED = 3, /* the base or count op was itself nil, faulted or skipped */
	GT_REC_BUDGET = 4,  /* no room left in the event: nothing read */
	GT_REC_FPU_LIVE = 5, /* GT_OP_XMM: the X registers were live in the CPU, not
			      * saved: the saved copy would be stale, nothing read */
	GT_REC_PENDING = 6,  /* GT_OP_XMM: waiting for the signal frame (8 bytes
			      * reserved); in userspace: it never arrived */
	GT_REC_SIGNAL_LATE = 7, /* GT_OP_XMM: a signal frame came, but not at the
				 * probe's next ip: not ours, nothing read */
	GT_REC_CLOBBERED = 8,	/* GT_OP_XMM: the probed instruction overwrites the
				 * register before the signal frame could save it */
};

/* One record per op, in op order, each 8-byte aligned. `len` data bytes
 * follow the header; for counted reads `want` is the count the program held
 * (in bytes, before the cap), so the decoder knows what was cut. */
struct gt_rec {
	__u8 op;     /* index of the op in the plan */
	__u8 status; /* enum gt_rec_status */
	__u16 len;   /* bytes of data that follow */
	__u32 pad;
	__u64 want; /* bytes the value has (counted reads), else the op size */
	__u64 addr; /* the address read (DEREF) or 0 */
};

/*
 * Floats in X registers. A BPF program cannot read the live X registers,
 * but the kernel saves them into the signal frame when it delivers a
 * signal. So, when a plan needs X registers that are not saved at the
 * probe, the program parks the event, keyed by thread id, in the `parked`
 * map and sends the thread SIGURG (bpf_send_signal_thread); when the Go
 * runtime's handler returns (rt_sigreturn's syscall tracepoint), or where
 * that cannot be traced when it starts (a uprobe on runtime.sigtramp), a
 * program finds the parked event, checks that the ucontext's rip is
 * `expect_ip`, copies the X registers from uc_mcontext.fpregs into the
 * GT_REC_PENDING records and submits the event, whole. A parked event whose frame never comes is flushed,
 * its records still GT_REC_PENDING, by the thread's next probe hit or by
 * userspace's sweep (older than GT_PARKED_MAX_NS).
 */
#define GT_MAX_PARKED 4096 /* threads with a parked event at once */
#define GT_PARKED_MAX_NS 500000000ULL
#define GT_SIGURG 23
#define GT_NR_RT_SIGRETURN 15 /* x86-64 */
#define GT_UC_RIP 168	 /* ucontext_t: uc_mcontext.gregs[REG_RIP] */
#define GT_UC_RSP 160	 /* ucontext_t: uc_mcontext.gregs[REG_RSP] */
#define GT_UC_FPREGS 224 /* ucontext_t: uc_mcontext.fpregs, the fxsave area */
#define GT_FX_XMM 160	 /* fxsave area: X0, then 16 bytes per register */

struct gt_parked {
	__u64 expect_ip; /* the signal frame's rip that proves it is ours */
	__u64 sp;	 /* SP at the probe: a re-fire of the same probe (an aborted step) */
	__u64 aborted;	 /* a frame came with rip at the probe: the step was undone */
	struct gt_event ev;
	__u8 data[GT_DATA_MAX];
};

#endif /* GOTRACE_H */
