/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Filters, included by gotrace.bpf.c: the stack program of bpf/gotrace.h
 * (struct gt_filter) run over a call's arguments before anything is
 * captured. It is called from three places of the entry program:
 * filter_call() once the registers are saved, filter_return() once a
 * return is paired with its call, filter_hold() right before sending.
 */
#ifndef GOTRACE_FILTER_BPF_H
#define GOTRACE_FILTER_BPF_H

/* Filters by plan id; sized to the plans before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gt_filter);
} filters SEC(".maps");

/* Calls passed and dropped, by plan id; sized to the plans before load. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gt_filter_count);
} filter_counts SEC(".maps");

struct filter_state {
	__u64 stack[GT_FILTER_STACK];
	__u32 sp; /* words on the stack */
	__u32 pc;
	__u32 failed;
	__u32 pad;
	__u8 buf[2 * GT_FILTER_STR]; /* reads of up to GT_FILTER_STR, at a masked size */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct filter_state);
} filter_state_map SEC(".maps");

struct filter_ctx {
	struct scratch *s;
	struct gt_filter *f;
	struct filter_state *st;
};

static __always_inline __u64 narrow(__u64 v, __u8 size, __u8 flags)
{
	bool sign = flags & GT_FF_SIGNED;

	switch (size) {
	case 1:
		return sign ? (__u64)(__s64)(__s8)v : (__u8)v;
	case 2:
		return sign ? (__u64)(__s64)(__s16)v : (__u16)v;
	case 4:
		return sign ? (__u64)(__s64)(__s32)v : (__u32)v;
	}
	return v;
}

static __always_inline int fpush(struct filter_state *st, __u64 v)
{
	__u32 idx;

	if (st->sp >= GT_FILTER_STACK) {
		st->failed = 1;
		return -1;
	}
	idx = st->sp;
	st->sp = idx + 1;
	/* the verifier needs the mask the compiler would drop */
	barrier_var(idx);
	st->stack[idx & (GT_FILTER_STACK - 1)] = v;
	return 0;
}

static __always_inline int fpop(struct filter_state *st, __u64 *v)
{
	__u32 idx;

	if (!st->sp || st->sp > GT_FILTER_STACK) {
		st->failed = 1;
		return -1;
	}
	idx = st->sp - 1;
	st->sp = idx;
	barrier_var(idx);
	*v = st->stack[idx & (GT_FILTER_STACK - 1)];
	return 0;
}

/* The word(s) at ADDR: one narrowed to the op's size, or a string header. */
static __always_inline int fread(struct filter_state *st, struct gt_fop *op, __u64 addr)
{
	__u64 w[2] = {};

	if (op->flags & GT_FF_TWO) {
		if (bpf_probe_read_user(w, 16, (void *)addr))
			goto fault;
		if (fpush(st, w[0]))
			return -1;
		return fpush(st, w[1]);
	}
	if (bpf_probe_read_user(w, 8, (void *)addr))
		goto fault;
	return fpush(st, narrow(w[0], op->size, op->flags));
fault:
	st->failed = 1;
	return -1;
}

static __always_inline bool compare(__u64 a, __u64 b, __u8 cmp, bool sign)
{
	switch (cmp) {
	case GT_CMP_EQ:
		return a == b;
	case GT_CMP_NE:
		return a != b;
	case GT_CMP_LT:
		return sign ? (__s64)a < (__s64)b : a < b;
	case GT_CMP_LE:
		return sign ? (__s64)a <= (__s64)b : a <= b;
	case GT_CMP_GT:
		return sign ? (__s64)a > (__s64)b : a > b;
	case GT_CMP_GE:
		return sign ? (__s64)a >= (__s64)b : a >= b;
	}
	return false;
}

struct contains_ctx {
	struct filter_ctx *c;
	__u32 lit;  /* the literal's length, at most GT_FILTER_STR */
	__u32 at;   /* its offset in the pool */
	__u32 last; /* the last position it may start at in buf */
	__u32 found;
};

/* Whether the literal is in buf at position I; stops at the first match. */
static int contains_at(__u32 i, struct contains_ctx *k)
{
	struct filter_ctx *c = k->c;
	__u32 j;

	if (i > k->last)
		return 1;
	for (j = 0; j < GT_FILTER_STR; j++) {
		if (j >= k->lit)
			break;
		if (c->st->buf[(i + j) & (2 * GT_FILTER_STR - 1)] !=
		    c->f->pool[(k->at + j) & (GT_FILTER_POOL - 1)])
			return 0;
	}
	k->found = 1;
	return 1;
}

/*
 * GT_CMP_CONTAINS: the literal searched in the string's first
 * GT_FILTER_STR bytes, at most GT_FILTER_STR - lit + 1 positions (a
 * bpf_loop: the verifier checks one position). Not found there in a
 * longer string, the answer is unknown: the call fails.
 */
static __always_inline int fcontains(struct filter_ctx *c, __u32 lit, __u32 at, __u64 ptr,
				     __u64 len)
{
	struct filter_state *st = c->st;
	struct contains_ctx k = {.c = c, .lit = lit, .at = at};
	__u32 n = len < GT_FILTER_STR ? len : GT_FILTER_STR;

	if (len < lit)
		return fpush(st, 0);
	if (!lit)
		return fpush(st, 1);
	barrier_var(n);
	n &= 2 * GT_FILTER_STR - 1;
	if (n > GT_FILTER_STR)
		n = GT_FILTER_STR;
	if (n && bpf_probe_read_user(st->buf, n, (void *)ptr)) {
		st->failed = 1;
		return -1;
	}
	k.last = n - lit;
	bpf_loop(GT_FILTER_STR + 1, contains_at, &k, 0);
	if (!k.found && len > GT_FILTER_STR) {
		st->failed = 1;
		return -1;
	}
	return fpush(st, k.found);
}

/* GT_F_STR: the string (PTR, LEN) against the literal of OP, as Go orders
 * strings (bytewise, then by length); or whether it begins with it, ends
 * with it or holds it. */
static __always_inline int fstring(struct filter_ctx *c, struct gt_fop *op, __u64 ptr, __u64 len)
{
	struct filter_state *st = c->st;
	__u32 lit = op->size, n, j, at = op->imm;
	int diff = 0;

	if (lit > GT_FILTER_STR)
		lit = GT_FILTER_STR;
	if (op->arg == GT_CMP_CONTAINS)
		return fcontains(c, lit, at, ptr, len);
	if ((op->arg == GT_CMP_EQ || op->arg == GT_CMP_NE) && len != lit)
		return fpush(st, op->arg == GT_CMP_NE);
	if ((op->arg == GT_CMP_PREFIX || op->arg == GT_CMP_SUFFIX) && len < lit)
		return fpush(st, 0);
	if (op->arg == GT_CMP_SUFFIX)
		ptr += len - lit; /* the last lit bytes: exact at any length */
	n = len < lit ? len : lit;
	if (n > GT_FILTER_STR)
		n = GT_FILTER_STR;
	barrier_var(n);
	n &= 2 * GT_FILTER_STR - 1;
	if (n && bpf_probe_read_user(st->buf, n, (void *)ptr)) {
		st->failed = 1;
		return -1;
	}
	for (j = 0; j < GT_FILTER_STR; j++) {
		__u8 x, y;

		if (j >= n)
			break;
		x = st->buf[j & (GT_FILTER_STR - 1)];
		y = c->f->pool[(at + j) & (GT_FILTER_POOL - 1)];
		if (x != y) {
			diff = x < y ? -1 : 1;
			break;
		}
	}
	if (op->arg == GT_CMP_PREFIX || op->arg == GT_CMP_SUFFIX)
		return fpush(st, diff == 0);
	if (!diff && len != lit)
		diff = len < lit ? -1 : 1;
	return fpush(st, compare((__u64)(__s64)diff, 0, op->arg, true));
}

/* GT_F_ASSERT: whether the interface (TYPE, its type or itab word) holds
 * the type of OP's descriptor; if not, its condition is false. */
static __always_inline void fassert(struct filter_ctx *c, struct gt_fop *op, __u64 type, __u64 data)
{
	struct filter_state *st = c->st;

	if (type && (op->flags & GT_FF_ITAB) &&
	    bpf_probe_read_user(&type, sizeof(type), (void *)(type + GT_ITAB_TYPE))) {
		st->failed = 1;
		return;
	}
	if (type && type == op->imm + c->s->bias) {
		fpush(st, data);
		return;
	}
	/* jumps go forward, and the words kept are some of those there */
	if ((__u32)op->off < st->pc || op->size > st->sp) {
		st->failed = 1;
		return;
	}
	st->sp = op->size;
	fpush(st, 0);
	st->pc = op->off;
}

static int filter_step(__u32 i, struct filter_ctx *c)
{
	struct filter_state *st = c->st;
	struct gt_fop *op;
	__u64 a = 0, b = 0;
	__u32 pc = st->pc;

	if (st->failed || pc >= c->f->n_ops || pc >= GT_FILTER_OPS)
		return 1;
	op = &c->f->ops[pc & (GT_FILTER_OPS - 1)];
	st->pc = pc + 1;
	switch (op->kind) {
	case GT_F_REG:
		a = c->s->regs[op->arg & 15] >> ((op->off & 7) * 8);
		fpush(st, narrow(a, op->size, op->flags));
		break;
	case GT_F_STACK:
		fread(st, op, c->s->regs[GT_REG_RSP] + op->off);
		break;
	case GT_F_LOAD:
		if (fpop(st, &a))
			break;
		if (!a) {
			if (!(op->flags & GT_FF_NIL_ZERO)) {
				st->failed = 1;
				break;
			}
			fpush(st, 0);
			if (op->flags & GT_FF_TWO)
				fpush(st, 0);
			break;
		}
		fread(st, op, a + op->off);
		break;
	case GT_F_CONST:
		fpush(st, op->imm);
		break;
	case GT_F_CMP:
		if (fpop(st, &b) || fpop(st, &a))
			break;
		fpush(st, compare(a, b, op->arg, op->flags & GT_FF_SIGNED));
		break;
	case GT_F_NOT:
		if (fpop(st, &a))
			break;
		fpush(st, !a);
		break;
	case GT_F_JZ:
	case GT_F_JNZ:
		if (!st->sp || st->sp > GT_FILTER_STACK) {
			st->failed = 1;
			break;
		}
		pc = st->sp - 1;
		barrier_var(pc);
		a = st->stack[pc & (GT_FILTER_STACK - 1)];
		pc = st->pc - 1;
		if ((op->kind == GT_F_JZ) == !a) {
			/* jumps go forward: the program ends */
			if ((__u32)op->off <= pc)
				st->failed = 1;
			st->pc = op->off;
		} else {
			st->sp--;
		}
		break;
	case GT_F_STR:
		if (fpop(st, &b) || fpop(st, &a))
			break;
		fstring(c, op, a, b);
		break;
	case GT_F_INDEX:
		if (fpop(st, &b) || fpop(st, &a))
			break;
		if (op->imm >= b) {
			st->failed = 1; /* index out of range */
			break;
		}
		fpush(st, a);
		break;
	case GT_F_ASSERT:
		if (fpop(st, &b) || fpop(st, &a))
			break;
		fassert(c, op, a, b);
		break;
	default:
		st->failed = 1;
		break;
	}
	return 0;
}

/* Calls held until their return decides (GT_FILTER_HOLD), keyed like `calls`. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GT_MAX_HELD);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gt_call_key);
	__type(value, struct gt_held);
} held SEC(".maps");

/* Runs F's program over the registers saved in S: whether the call passes. */
static __always_inline bool run_filter(struct scratch *s, struct gt_filter *f)
{
	struct filter_state *st;
	struct filter_ctx c;
	__u32 zero = 0;
	__u64 top = 0;

	st = bpf_map_lookup_elem(&filter_state_map, &zero);
	if (!st)
		return true;
	st->sp = 0;
	st->pc = 0;
	st->failed = 0;
	c.s = s;
	c.f = f;
	c.st = st;
	bpf_loop(GT_FILTER_STEPS, filter_step, &c, 0);
	return !st->failed && st->pc >= f->n_ops && st->sp && !fpop(st, &top) && top;
}

static __always_inline void count_filter(__u32 func_id, bool pass)
{
	struct gt_filter_count *cnt = bpf_map_lookup_elem(&filter_counts, &func_id);

	if (!cnt)
		return;
	if (pass)
		cnt->passed++;
	else
		cnt->dropped++;
}

/*
 * At a call, as soon as the registers are saved: whether it goes on. A
 * call that fails is dropped before anything else is done, not even
 * remembered in `calls`, so that its return is dropped too.
 */
static __always_inline bool filter_call(struct scratch *s, struct gt_plan *plan, __u32 func_id)
{
	struct gt_filter *f;
	bool pass;

	if (plan->flags & GT_PLAN_RETURN)
		return true;
	f = bpf_map_lookup_elem(&filters, &func_id);
	if (!f || !(f->flags & GT_FILTER_ON))
		return true;
	pass = run_filter(s, f);
	count_filter(func_id, pass);
	return pass;
}

/*
 * At a return, once it is paired with its call: whether it goes on. When
 * its function's calls are filtered, only when its call was reported or
 * held (paired); when they are held, only when it is slow enough and its
 * results pass. A held call whose return fails is deleted.
 */
static __always_inline bool filter_return(struct scratch *s, struct gt_plan *plan, __u32 func_id)
{
	struct gt_call_key key = {.goid = s->ev.goid, .depth = s->ev.depth};
	struct gt_filter *f;
	bool pass = true, hold;

	if (!(plan->flags & GT_PLAN_RETURN))
		return true;
	f = bpf_map_lookup_elem(&filters, &func_id);
	if (!f || !f->flags)
		return true;
	hold = f->flags & GT_FILTER_HOLD;
	if ((f->flags & GT_FILTER_NEED_CALL) && !(s->ev.flags & GT_EVF_PAIRED)) {
		pass = false;
	} else if (hold) {
		if (s->ev.duration_ns < f->min_duration_ns)
			pass = false;
		else if (f->flags & GT_FILTER_ON)
			pass = run_filter(s, f);
		count_filter(func_id, pass);
	}
	if (!pass && hold && s->ev.depth)
		bpf_map_delete_elem(&held, &key);
	return pass;
}

static __always_inline void count_unheld(__u32 func_id)
{
	struct gt_filter_count *cnt = bpf_map_lookup_elem(&filter_counts, &func_id);

	if (cnt)
		cnt->unheld++;
}

/*
 * Right before the event is sent. A call whose function's calls are held
 * goes into `held` instead (true: not to be sent now); a return that
 * passed sends its held call first, then goes itself.
 */
static __always_inline bool filter_hold(struct scratch *s, struct gt_plan *plan, __u32 func_id)
{
	struct gt_call_key key = {.goid = s->ev.goid, .depth = s->ev.depth};
	struct gt_filter *f = bpf_map_lookup_elem(&filters, &func_id);
	struct gt_held *h;
	__u32 len;

	if (!f || !(f->flags & GT_FILTER_HOLD))
		return false;
	if (plan->flags & GT_PLAN_RETURN) {
		h = bpf_map_lookup_elem(&held, &key);
		if (!h)
			return true; /* its call was never held: both dropped */
		len = h->ev.data_len;
		if (len > GT_HELD_DATA)
			len = GT_HELD_DATA;
		barrier_var(len);
		len &= 2 * GT_HELD_DATA - 1;
		if (len > GT_HELD_DATA)
			len = GT_HELD_DATA;
		if (bpf_ringbuf_output(&events, h, sizeof(h->ev) + len, 0))
			count(GT_CNT_LOST);
		bpf_map_delete_elem(&held, &key);
		return false;
	}
	if (!s->ev.goid || !s->ev.depth || s->ev.data_len > GT_HELD_DATA ||
	    bpf_map_update_elem(&held, &key, &s->ev, BPF_ANY)) {
		count_unheld(func_id);
		if (s->ev.depth && (plan->flags & GT_PLAN_PAIR))
			bpf_map_delete_elem(&calls, &key);
	}
	return true;
}

#endif /* GOTRACE_FILTER_BPF_H */
