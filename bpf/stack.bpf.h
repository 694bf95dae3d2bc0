/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stack in the kernel: the Go call stack at a call's entry probe, by the
 * frame pointers Go keeps on amd64, appended as the event's last record
 * (bpf/gotrace.h, GT_REC_STACK). Part of bpf/gotrace.bpf.c, included once.
 */

/* PCs walked per call event; 0: no stacks (set before load) */
const volatile __u32 stack_depth = 0;

struct stack_walk {
	struct scratch *s;
	__u32 at; /* data[] offset of the first PC */
	__u32 n;  /* PCs written */
	__u32 max;
	__u32 flags; /* GT_STACK_* */
	__u64 fp;    /* the frame whose saved RBP and return address come next */
};

static __always_inline void put_pc(struct stack_walk *w, __u64 pc)
{
	*(__u64 *)&w->s->data[(w->at + 8 * w->n) & (GT_DATA_MAX - 1)] = pc;
	w->n++;
}

static int stack_step(__u32 i, struct stack_walk *w)
{
	__u64 frame[2]; /* the saved RBP, the return address */

	if (w->n >= w->max) {
		w->flags |= GT_STACK_CUT;
		return 1;
	}
	if (bpf_probe_read_user(frame, sizeof(frame), (void *)w->fp)) {
		w->flags |= GT_STACK_FAULT;
		return 1;
	}
	if (!frame[1])
		return 1;
	put_pc(w, frame[1]);
	/* the goroutine's first frame saved RBP 0 (runtime.goexit's caller);
	 * a frame pointer that does not climb the stack is not one */
	if (!frame[0] || frame[0] <= w->fp)
		return 1;
	w->fp = frame[0];
	return 0;
}

/* The stack record of a call event: the probed ip, the return address at
 * [SP], then the frame pointer chain from RBP, the caller's frame. */
static __always_inline void record_stack(struct scratch *s, struct pt_regs *ctx)
{
	struct stack_walk w = {.s = s, .fp = ctx->bp};
	__u32 bytes = fit(s, GT_STACK_ROOM(stack_depth & (2 * GT_STACK_MAX - 1)), 8);
	__u64 ret = 0;
	struct gt_rec *rec;

	/* its room was kept (gotrace_entry), unless --max-event is below it:
	 * then as many PCs as fit, and the record says it was cut */
	rec = new_rec(s, GT_REC_STACK, 0, 0, 0);
	if (!rec)
		return;
	w.at = s->used;
	w.max = bytes > sizeof(*rec) ? (bytes - sizeof(*rec)) / 8 : 0;
	if (w.max < 2) {
		rec->type = GT_STACK_CUT;
		return;
	}
	put_pc(&w, ctx->ip);
	if (bpf_probe_read_user(&ret, sizeof(ret), (void *)ctx->sp) || !ret)
		w.flags |= GT_STACK_FAULT;
	else
		put_pc(&w, ret);
	if (!(w.flags & GT_STACK_FAULT) && w.fp)
		bpf_loop(GT_STACK_MAX, stack_step, &w, 0);
	rec->type = w.flags;
	rec->len = 8 * w.n;
	rec->want = w.n;
	s->used += 8 * w.n;
}
