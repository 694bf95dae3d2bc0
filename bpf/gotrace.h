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

#define GT_MAX_FUNCS 4096 /* plans map entries: functions traced at once */
#define GT_MAX_OPS 64	  /* ops per plan (power of 2: the BPF side masks indexes) */
#define GT_NO_OP 0xff
#define GT_DATA_MAX 8192 /* per-event capture budget, bytes of records (power of 2) */
#define GT_READ_MAX 4096 /* largest single op read (power of 2) */
#define GT_RINGBUF_SIZE (8 << 20)
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
	GT_OP_XMM = 4, /* 8 bytes of X register `reg`, from the task's saved FPU
			* state, only when the kernel has it saved (see below) */
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

struct gt_plan {
	__u32 n_ops;
	__u32 flags;   /* GT_PLAN_* */
	__u32 pair_id; /* return plan: the id of its function's entry plan */
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

#endif /* GOTRACE_H */
