/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI between gotrace's userspace and its BPF program: limits, the plan
 * encoding, the event records. Included by both sides, so: fixed-width types,
 * no includes, and every layout change is a change to both.
 *
 * Capture runs in two stages, both driven by userspace's tables:
 *
 * 1. Roots. A fetch plan, one per traced function, in the `plans` array map
 *    (found through the attach cookie), lists root ops. Each appends one
 *    record: an argument's integer registers assembled into its in-memory
 *    image (GT_OP_REGS, from the plan's pieces), an X register (GT_OP_XMM),
 *    or a stack slot (GT_OP_STACK).
 *
 * 2. Types. A root op names the type of the value it captured. Each type
 *    has a type program in the `types` array map: the list of what a value
 *    of that type leads to (pointers, string bytes, slice elements,
 *    interface values, map buckets), each at an offset in the value. The
 *    BPF program scans the captured values breadth first, from a queue of
 *    (value, type) items: every pointer it follows appends a capture record
 *    (the address, the pointee's type id, its bytes) and queues the pointee
 *    if its type has a program. An interface dispatches on its dynamic
 *    type: the descriptor's address, less the load bias, is looked up in
 *    the `rtypes` hash map, which gives the type id. Types are shared
 *    between functions.
 *
 * Every capture is bounded: pointer hops by max_depth, elements by each
 * op's max_count, bytes by the event budget, work by GT_MAX_STEPS. The
 * decoder finds a pointee by (address, type id) among the capture records;
 * a pointee captured once is not captured again in the same event.
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

/* Plan ids per session: the uprobe_multi link takes at most this many
 * probes (the kernel's MAX_UPROBE_MULTI_CNT), and every plan has one at
 * least. The maps indexed by plan id are sized to the session. */
#define GT_MAX_PLANS (1u << 20)
#define GT_MAX_OPS 64	  /* root ops per plan (power of 2: the BPF side masks indexes) */
#define GT_MAX_PIECES 64  /* register pieces per plan */
#define GT_NO_OP 0xff
#define GT_DATA_MAX 65536 /* ceiling of the per-event capture budget (power of 2) */
#define GT_DATA_DEFAULT 32768 /* the budget by default */
#define GT_READ_MAX 4096  /* largest single read (power of 2) */
#define GT_REGS_MAX 256	  /* largest GT_OP_REGS record (power of 2) */
#define GT_REGS_PIECES 16 /* pieces of one GT_OP_REGS op */
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
	GT_OP_REGS = 1,	 /* `size` bytes, zeroed, then pieces [piece, piece + n_pieces)
			  * of the plan: the low `size` bytes of register `reg`
			  * at `offset` each (an argument's integer parts) */
	GT_OP_STACK = 2, /* `size` bytes from ctx->sp + offset (stack arguments) */
	GT_OP_XMM = 4,	 /* 8 bytes of X register `reg`: from the task's saved FPU
			  * state when the kernel has it saved; otherwise, with
			  * signals on, from the signal frame (see gt_parked) */
	GT_OP_PATH = 5,	 /* `size` bytes at the address a path reaches (--print):
			  * W starts as register `reg`'s word (GT_REG_RSP: SP
			  * itself), the pieces [piece, piece + n_pieces) are
			  * its hops (enum gt_hop, in gt_piece.reg), and the
			  * value is read at W + offset */
};

/* A path's hops (GT_OP_PATH), each a gt_piece: its kind in `reg`. */
enum gt_hop {
	GT_HOP_DEREF = 1, /* W = the pointer at W + offset; a nil W fails (GT_REC_NIL) */
	GT_HOP_SLICE = 2, /* the slice header at W + offset: W = its data, L = its len */
	GT_HOP_LEN_REG = 3, /* L = register `size`'s word (a slice header in registers) */
	GT_HOP_BOUND = 4, /* fails (GT_REC_RANGE) unless the index `offset` < L */
	/* a type assertion: the interface's type word, at W + offset (or with
	 * GT_HOP_ASSERT_REG in register `size`), through its itab's _type for a
	 * non-empty interface (GT_HOP_ASSERT_ITAB), must be the descriptor at
	 * the address that the next two pieces' offsets hold (low half first),
	 * relocated by the load bias; else GT_REC_ASSERT */
	GT_HOP_ASSERT = 5,
	GT_HOP_ASSERT_ITAB = 6,
	GT_HOP_ASSERT_REG = 7,
	GT_HOP_ASSERT_REG_ITAB = 8,
	GT_HOP_IMM = 9, /* 16 bits of the hop before it */
};
#define GT_PATH_HOPS 8 /* hops per path */

struct gt_op {
	__u8 kind;     /* enum gt_op_kind */
	__u8 reg;      /* GT_OP_XMM: the X register */
	__u8 piece;    /* GT_OP_REGS: first piece */
	__u8 n_pieces; /* GT_OP_REGS */
	__u16 size;    /* bytes of the record, <= GT_READ_MAX */
	__u16 flags;   /* GT_OPF_* */
	__s32 offset; /* GT_OP_STACK: from sp */
	__u32 type;   /* the type program to run over the record; 0: none */
};

#define GT_OPF_ZERO 0x1 /* GT_OP_REGS: the pieces leave gaps: zero the image first */
#define GT_OPF_NIL_ZERO 0x2 /* GT_OP_PATH: a nil W reads as zeros (len of a nil map) */
#define GT_OPF_VALUE_W 0x4  /* GT_OP_PATH: the value is W itself, 8 bytes (x.(*T)) */

struct gt_piece {
	__u8 reg; /* enum gt_reg */
	__u8 size;
	__u16 offset;
};

/*
 * Type programs. Type id 0 is none; ids below GT_TYPE_FIRST are the fixed
 * pseudo types below, which have no program. A type program lists up to
 * GT_TYPE_OPS ops; a longer one continues in another type (GT_T_INLINE at
 * offset 0, as its last op). Offsets are from the start of the value.
 */
#define GT_MAX_TYPES 65536 /* type ids; the map is sized to the types in use */
#define GT_TYPE_OPS 16
#define GT_TYPE_BYTES 1	   /* a string's bytes */
#define GT_TYPE_ITAB 2	   /* the first words of an itab: inter, _type */
#define GT_TYPE_HCHAN 3	   /* a channel's qcount and dataqsiz */
#define GT_TYPE_FUNCVAL 4  /* a func value's funcval: the PC */
/* GT_RAW_BYTES behind an interface's data word whose dynamic type is not in
 * `rtypes`: userspace may know the type from its descriptor */
#define GT_TYPE_RAW 5
#define GT_RAW_BYTES 64
#define GT_TYPE_FIRST 8

enum gt_top_kind {
	/* the pointer at off, to `size` bytes of type `type`; a hop */
	GT_T_PTR = 1,
	/* the string header at off: min(len, max_count) bytes, GT_TYPE_BYTES */
	GT_T_STRING = 2,
	/* the slice header at off: min(len, max_count) elements of `size`
	 * bytes, type `type`, in one record; a hop */
	GT_T_SLICE = 3,
	/* interface{} at off: the type word is the descriptor */
	GT_T_EFACE = 4,
	/* a non-empty interface at off: the itab's second word is */
	GT_T_IFACE = 5,
	/* `count` values of type `type`, `size` bytes apart, in place at off
	 * (array elements; a long program's continuation) */
	GT_T_INLINE = 6,
	/* the array whose address is the word at off and whose length is
	 * decided by count_kind from the value's bytes at count_off: at most
	 * max_count elements of `size` bytes, type `type` (or, with used_size,
	 * as many as gt_entry_share says), in records of whole elements of at
	 * most GT_READ_MAX bytes each, one where the one before ends; not a hop
	 * (a map's buckets, a Swiss table's directory and groups) */
	GT_T_ARRAY = 7,
};

/*
 * Constants of Go's maps, written once, here, for BPF and userspace alike
 * (symbols/goruntime.h gives them their GO_* names): BPF tests the slot
 * states and sameSizeGrow itself, as the plan carries no rule, only offsets.
 *
 * hmap (runtime/map.go, Go 1.23 and older): flags is the byte at 8, B (log2
 * of the buckets) the byte at 9. Of the flags, hashWriting: a write is under
 * way; sameSizeGrow: the growth keeps the bucket count (oldbuckets has
 * 1 << B buckets, not half). A bucket's tophash byte below minTopHash marks
 * a slot without an entry: emptyRest 0, emptyOne 1, evacuatedX 2,
 * evacuatedY 3, evacuatedEmpty 4.
 *
 * Swiss tables (internal/runtime/maps/group.go, Go 1.24 on): a control byte
 * with its high bit set marks a slot without an entry: ctrlEmpty 0x80,
 * ctrlDeleted 0xfe; a full slot's byte is the hash's low 7 bits.
 */
#define GT_HMAP_FLAGS 8
#define GT_HMAP_B 9
#define GT_HMAP_WRITING 4	 /* hmap.flags: hashWriting */
#define GT_HMAP_SAME_SIZE_GROW 8 /* hmap.flags: sameSizeGrow */
#define GT_HMAP_MIN_TOPHASH 5	 /* minTopHash */
#define GT_SWISS_CTRL_EMPTY 0x80 /* ctrlEmpty: a control byte >= this holds no entry */

/* How GT_T_ARRAY finds its length. */
enum gt_count_kind {
	GT_COUNT_ONE = 0,	 /* one element */
	GT_COUNT_WORD = 1,	 /* the u64 at count_off */
	GT_COUNT_WORD_PLUS1 = 2, /* the u64 at count_off, plus one (a mask) */
	GT_COUNT_POW2 = 3,	 /* 1 << the byte at count_off (hmap.B) */
	/* hmap.oldbuckets: 1 << B (the byte at count_off, GT_HMAP_B), halved
	 * unless hmap.flags (GT_HMAP_FLAGS) has GT_HMAP_SAME_SIZE_GROW; none
	 * when the word at off is 0 */
	GT_COUNT_OLD_POW2 = 4,
	/* a Swiss map's directory: dirLen (the word at count_off) pointers to
	 * tables; when 0, dirPtr is one group, of type `type2`, `size2` bytes */
	GT_COUNT_SWISS_DIR = 5,
};

/* When an op runs: always, or for a map slot that holds an entry. */
enum gt_cond {
	GT_COND_ALWAYS = 0,
	GT_COND_TOPHASH = 1, /* the byte at cond_off >= GT_HMAP_MIN_TOPHASH */
	GT_COND_CTRL = 2,    /* the byte at cond_off < GT_SWISS_CTRL_EMPTY */
};

struct gt_top {
	__u8 kind;	 /* enum gt_top_kind */
	__u8 cond;	 /* enum gt_cond */
	__u8 count_kind; /* GT_T_ARRAY: enum gt_count_kind */
	__u8 scan;	 /* the target type has a program: queue what is captured */
	__u16 cond_off;
	__u16 count_off;
	__u32 off;
	__u32 type;
	__u32 size;
	__u32 count;	 /* GT_T_INLINE: values */
	__u32 max_count; /* GT_T_STRING: bytes; GT_T_SLICE, GT_T_ARRAY: elements */
	__u32 type2;	 /* GT_COUNT_SWISS_DIR: the group's type and size */
	__u32 size2;
	/* GT_T_ARRAY over a map's buckets, groups or directory: the value's
	 * entry count (hmap.count, Map.used, table.used) is the used_size
	 * (2 or 8) bytes at used_off, and max_count counts entries */
	__u16 used_off;
	__u8 used_size;
	__u8 pad;
};

/*
 * The elements a GT_T_ARRAY op with an entry count reads of an array of N
 * holding USED entries, for at most MAX entries: none when it holds none,
 * all of them when USED <= MAX (every entry; the event budget still bounds
 * it), else twice the share that holds MAX entries at the array's load.
 * The decoder says the same.
 */
static inline __u64 gt_entry_share(__u64 n, __u64 used, __u64 max)
{
	__u64 share;

	if (!used)
		return 0;
	if (used <= max)
		return n;
	if (n > (1ULL << 32))
		n = 1ULL << 32; /* no array that long fits an event */
	share = n * max * 2 / used + 1;
	return share < n ? share : n;
}

/* Records one GT_T_ARRAY op reads at most: more cannot fit an event. */
#define GT_ARRAY_CHUNKS (GT_DATA_MAX / GT_READ_MAX)

#define GT_TF_DIRECT 0x1 /* pointer-shaped: an interface holds the value itself
			  * in its data word, not a pointer to it */

struct gt_type {
	__u32 size;
	__u16 n_ops;
	__u16 flags; /* GT_TF_* */
	struct gt_top ops[GT_TYPE_OPS];
};

/* The scan's limits per event. */
#define GT_MAX_STEPS 8192 /* type ops run */
#define GT_QUEUE 256	  /* values waiting to be scanned (power of 2) */
#define GT_SEEN 512	  /* captures remembered, to take each once (power of 2) */

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
/* --stats, a return plan: op 0 captures the last result, an interface,
 * whose first word (type or itab) is non-zero for a non-nil error */
#define GT_PLAN_ERR_RESULT 0x10
/* entry: the function has no RET to probe (it never returns, or ends in a
 * tail call): its call is not remembered, since a tail call's callee enters
 * at the same SP and would pair with it; --stats counts it here, with no
 * latency */
#define GT_PLAN_ENTRY_ONLY 0x20

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
	__u32 max_depth; /* pointer hops followed from an argument */
	struct gt_op ops[GT_MAX_OPS];
	struct gt_piece pieces[GT_MAX_PIECES];
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

/*
 * --stats: no events; each paired return is counted in the per-CPU `stats`
 * array, keyed by its entry plan id plus the epoch's low bit (the key for
 * plan id P, even, is P or P + 1). Userspace flips `stats_epoch` at each
 * --interval and reads the slot just left. Latencies in log2 slots: slot 0
 * holds 0 and 1 ns, slot k >= 1 holds [2^k, 2^(k+1) - 1].
 */
#define GT_HIST_SLOTS 64

struct gt_stats {
	__u64 count;  /* calls that returned, paired with their entry */
	__u64 errors; /* of those, whose last result was a non-nil error */
	/* the least latency, bit-inverted (~min_ns), so that both extremes
	 * are kept by an atomic maximum from a zeroed slot; valid when
	 * count > 0 (userspace turns it back into min_ns as it reads) */
	__u64 min_ns;
	__u64 max_ns;
	__u64 sum_ns;
	__u64 hist[GT_HIST_SLOTS];
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
#define GT_EVF_STEPS 0x4  /* the scan stopped at GT_MAX_STEPS, values were left */
#define GT_EVF_QUEUE 0x8  /* the scan's queue was full, values were left */

/* Record status */
enum gt_rec_status {
	GT_REC_OK = 0,
	GT_REC_NIL = 1,	    /* the address was 0: a nil pointer, nothing read */
	GT_REC_FAULT = 2,   /* the read faulted: an unreadable address */
	GT_REC_BUDGET = 4,  /* no room left in the event: nothing read */
	GT_REC_FPU_LIVE = 5, /* GT_OP_XMM: the X registers were live in the CPU, not
			      * saved: the saved copy would be stale, nothing read */
	GT_REC_PENDING = 6,  /* GT_OP_XMM: waiting for the signal frame (8 bytes
			      * reserved); in userspace: it never arrived */
	GT_REC_SIGNAL_LATE = 7, /* GT_OP_XMM: a signal frame came, but not at the
				 * probe's next ip: not ours, nothing read */
	GT_REC_RANGE = 9,    /* GT_OP_PATH: an index past the slice's length */
	GT_REC_ASSERT = 10,  /* GT_OP_PATH: the interface holds another type (or nil) */
	GT_REC_CLOBBERED = 8,	/* GT_OP_XMM: the probed instruction overwrites the
				 * register before the signal frame could save it */
};

/* One record per root op, in op order, then one per capture, each
 * GT_REC_ALIGN-aligned: `len` data bytes follow the header, then padding to
 * GT_REC_PAD(len). For a capture, `want` is
 * the bytes the value has (before the caps), so the decoder knows what was
 * cut, and (addr, type) is how the decoder finds it. */
#define GT_REC_CAPTURE 0xff /* op of a capture record */
/*
 * --stack: a call event's last record, after the captures: the Go call
 * stack at the entry probe, `len` / 8 PCs, innermost first: the probed
 * instruction's, then return addresses (each just after its call). `type`
 * holds GT_STACK_* flags. Found by walking frame pointers: at the entry
 * probe (before the function's own PUSH RBP), the return address is at
 * [SP] and RBP is still the caller's frame: [RBP] its caller's RBP,
 * [RBP + 8] the return address into its caller, and so on.
 */
#define GT_REC_STACK 0xfe
#define GT_STACK_MAX 128 /* --stack-depth's ceiling */
/* The budget a call event keeps for a stack record of PCS PCs, before its
 * arguments take any: arguments are cut first, never the stack. */
#define GT_STACK_ROOM(pcs) (sizeof(struct gt_rec) + 8 * (pcs))
#define GT_STACK_CUT 0x1   /* frames were left: the depth or the budget stopped the walk */
#define GT_STACK_FAULT 0x2 /* a frame pointer could not be read: the walk ended there */

struct gt_rec {
	__u8 op;     /* index of the root op, or GT_REC_CAPTURE */
	__u8 status; /* enum gt_rec_status */
	__u16 len;   /* bytes of data that follow */
	__u32 type;  /* capture: the type id of what was read */
	__u64 want;  /* bytes the value has, else the op size */
	__u64 addr;  /* the address read, or 0 */
};

#define GT_REC_ALIGN 8 /* sizeof(struct gt_rec) is a multiple: records stay aligned */
/* The bytes N bytes of record data take, padding included (a power of 2 align) */
#define GT_REC_PAD(n) (((n) + GT_REC_ALIGN - 1) & ~(GT_REC_ALIGN - 1))
/* A capture whose read faults is retried up to the next page boundary
 * (a page the process never touched cannot be faulted in at the probe): its
 * record is then shorter than asked, at least GT_PARTIAL_MIN bytes (a map
 * bucket's tophash, a Swiss group's control word). */
#define GT_PAGE_SIZE 4096
#define GT_PARTIAL_MIN 8

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
/* The records a parked event may hold: its size is copied at every park.
 * An event that needs more is sent without its X registers. */
#define GT_PARK_DATA 16384
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
	__u8 data[GT_PARK_DATA];
};

/*
 * Filters (--filter, plan/filter.c). A plan's filter is a small stack
 * program in the `filters` array map, by plan id, run by the entry program
 * right after the call is paired and before anything is captured: a call
 * that fails costs the trap, the registers and the few reads the
 * expression needs, and sends nothing. It reads the arguments where the
 * ABI put them (registers saved at the probe, stack slots from SP) and
 * follows pointers with its own reads, so it needs no capture. Values are
 * u64 words on a stack of GT_FILTER_STACK; the call passes when the
 * program ends with a non-zero word on top. A read that faults, or a nil
 * pointer followed, fails the call (Go would have panicked).
 */
#define GT_FILTER_OPS 64     /* ops per filter (power of 2) */
#define GT_FILTER_STACK 16   /* words (power of 2) */
#define GT_FILTER_POOL 512   /* bytes of string literals (power of 2) */
#define GT_FILTER_STR 128    /* longest string literal compared (power of 2) */
#define GT_FILTER_STEPS 256  /* ops run at most (jumps go forward only) */

enum gt_fop_kind {
	GT_F_REG = 1,	/* push register `reg`, shifted right by `off` bytes */
	GT_F_STACK = 2, /* push the word(s) at SP + off */
	GT_F_LOAD = 3,	/* pop an address, push the word(s) at address + off; a nil
			 * address fails the call, or with GT_FF_NIL_ZERO pushes 0s */
	GT_F_CONST = 4, /* push imm */
	GT_F_CMP = 5,	/* pop b, pop a, push (a `cmp` b) */
	GT_F_NOT = 6,	/* top = !top */
	GT_F_JZ = 7,	/* top == 0: jump to op `off`, keeping it; else pop it (&&) */
	GT_F_JNZ = 8,	/* top != 0: jump to op `off`, keeping it; else pop it (||) */
	GT_F_STR = 9,	/* pop len, pop ptr: push (the string `cmp` the literal of
			 * `size` bytes at pool[imm]), GT_CMP_EQ..GE, PREFIX,
			 * SUFFIX or CONTAINS */
	GT_F_INDEX = 10, /* pop len, pop data (a slice or string header): push data
			  * when imm < len, else fail the call (Go panics) */
	/*
	 * pop data, pop type (an interface's two words): when the type word
	 * (with GT_FF_ITAB: its itab's _type, at GT_ITAB_TYPE) is the
	 * descriptor at imm plus the load bias, push data; else the assertion
	 * fails and so does the condition it is in: cut the stack to `size`
	 * words, push 0 and jump to op `off` (that condition's end).
	 */
	GT_F_ASSERT = 11,
};

/* Comparisons: GT_F_CMP on words, GT_F_STR on strings (signedness unused). */
enum gt_cmp {
	GT_CMP_EQ = 0,
	GT_CMP_NE = 1,
	GT_CMP_LT = 2,
	GT_CMP_LE = 3,
	GT_CMP_GT = 4,
	GT_CMP_GE = 5,
	GT_CMP_PREFIX = 6, /* GT_F_STR: strings.HasPrefix(s, literal) */
	GT_CMP_SUFFIX = 7, /* strings.HasSuffix: the last bytes read, exact */
	/* strings.Contains: searched in the first GT_FILTER_STR bytes; not
	 * found there in a longer string, the call fails (undecided) */
	GT_CMP_CONTAINS = 8,
};

#define GT_FF_SIGNED 0x1   /* a narrow load is sign-extended; GT_F_CMP: signed order */
#define GT_FF_TWO 0x2	   /* GT_F_STACK, GT_F_LOAD: two words (a string header), not one */
#define GT_FF_NIL_ZERO 0x4 /* GT_F_LOAD: a nil address reads as zeros (len of a nil map) */
#define GT_FF_ITAB 0x8	   /* GT_F_ASSERT: a non-empty interface: its first word is an itab */
#define GT_ITAB_TYPE 8	   /* the offset of an itab's _type (Go 1.0 to now) */

struct gt_fop {
	__u8 kind;  /* enum gt_fop_kind */
	__u8 size;  /* GT_F_REG, STACK, LOAD: bytes of a one-word value (1, 2, 4, 8);
		     * GT_F_STR: the literal's length; GT_F_ASSERT: the words kept */
	__u8 flags; /* GT_FF_* */
	__u8 arg;   /* GT_F_REG: enum gt_reg; GT_F_CMP, GT_F_STR: enum gt_cmp */
	__s32 off;  /* byte offset, or the jump target */
	__u64 imm;  /* GT_F_CONST: the word; GT_F_STR: the literal's offset in pool;
		     * GT_F_INDEX: the index; GT_F_ASSERT: the descriptor's address
		     * in the binary (the load bias is added at run time) */
};

#define GT_FILTER_ON 0x1	/* this plan has a filter program: run it */
#define GT_FILTER_NEED_CALL 0x2 /* a return plan: report it only when its call
				 * was reported (paired: the call passed) */
/*
 * The function's calls are decided at the return (a filter on results,
 * --min-duration): the entry program keeps the call's event in the `held`
 * hash map, keyed like `calls` (goroutine, stack depth), instead of
 * sending it; the return program, when the return passes (its duration is
 * at least min_duration_ns and its own filter holds), sends the held call
 * and then the return, else deletes the held call and sends nothing.
 */
#define GT_FILTER_HOLD 0x4

struct gt_filter {
	__u32 n_ops;
	__u32 flags;		  /* GT_FILTER_* */
	__u64 min_duration_ns;	  /* GT_FILTER_HOLD, a return plan: 0 for none */
	struct gt_fop ops[GT_FILTER_OPS];
	__u8 pool[GT_FILTER_POOL];
};

#define GT_MAX_HELD 8192	/* calls held at once */
/* The records a held call may hold: with held calls, userspace lowers the
 * event budget to this. */
#define GT_HELD_DATA 16384

struct gt_held {
	struct gt_event ev;
	__u8 data[GT_HELD_DATA];
};

/* Per plan id, in the per-CPU `filter_counts` map. */
struct gt_filter_count {
	__u64 passed;
	__u64 dropped; /* failed the filter, or could not be evaluated */
	__u64 unheld;  /* GT_FILTER_HOLD: calls not held (no goroutine id, the
			* map full, too big), dropped too */
};

#endif /* GOTRACE_H */
