/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The scan: type programs (bpf/gotrace.h) run breadth first over the values
 * the root ops captured, appending a capture record per pointer followed.
 * Part of gotrace.bpf.c, included after its maps and scratch; not a
 * compilation unit of its own.
 */
#ifndef GOTRACE_SCAN_BPF_H
#define GOTRACE_SCAN_BPF_H

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

	if (s->used + sizeof(*rec) > s->budget || s->used >= GT_DATA_MAX) {
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

	if (s->used + size <= s->budget)
		return size;
	s->ev.flags |= GT_EVF_BUDGET;
	if (!unit || s->used >= s->budget)
		return 0;
	room = s->budget - s->used;
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
	s->faulted = 0;
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
		/* A page the process never touched cannot be faulted in from
		 * here: keep what lies before it, in whole units (a map's
		 * bucket whose tail is on such a page: its first slots) */
		__u32 edge = GT_PAGE_SIZE - (addr & (GT_PAGE_SIZE - 1));

		if (unit && edge >= unit)
			edge -= edge % unit;
		edge &= 2 * GT_READ_MAX - 1;
		if (edge > GT_READ_MAX)
			edge = GT_READ_MAX;
		if (edge >= size || edge < GT_PARTIAL_MIN ||
		    bpf_probe_read_user(&s->data[pos & (GT_DATA_MAX - 1)], edge, (void *)addr)) {
			rec->status = GT_REC_FAULT;
			s->faulted = 1;
			return -1;
		}
		size = edge;
	}
	rec->len = size;
	s->used += GT_REC_PAD(size);
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
		/* count_off is hmap.B's; the flags byte lies before it */
		if (val_byte(s, op->count_off, &b) || op->count_off < GT_HMAP_B - GT_HMAP_FLAGS ||
		    val_byte(s, op->count_off - (GT_HMAP_B - GT_HMAP_FLAGS), &flags))
			return 0;
		n = 1ULL << (b & 63);
		return flags & GT_HMAP_SAME_SIZE_GROW ? n : n >> 1;
	}
	return 0;
}

#define ARRAY_SCAN 0x1	 /* queue what is captured for its type's program */
#define ARRAY_CHUNKS 0x2 /* past GT_READ_MAX bytes, go on in more records */
#define ARRAY_FLAGS(max_count, depth, bits) (((max_count) << 9) | (((depth)&0x7f) << 2) | (bits))
#define ARRAY_MAX_COUNT ((1u << 23) - 1) /* what ARRAY_FLAGS holds */

/*
 * Captures up to MAX_COUNT of the N elements of SIZE bytes at ADDR, and
 * queues them for their type's program: in one record of at most
 * GT_READ_MAX bytes, or with ARRAY_CHUNKS in as many such records of whole
 * elements as it takes, each a capture of the rest of the array from where
 * the one before ended (GT_T_ARRAY in bpf/gotrace.h).
 */
__noinline int capture_array(__u64 addr, __u64 n, __u32 type, __u32 size, __u32 flags)
{
	__u32 max_count = flags >> 9, depth = (flags >> 2) & 0x7f, per, take, c;
	__u64 elems = n < max_count ? n : max_count, done = 0;
	struct scratch *s;
	int pos;

	if (!size || !elems)
		return 0;
	per = GT_READ_MAX / size;
	for (c = 0; c < GT_ARRAY_CHUNKS; c++) {
		take = elems - done < per ? elems - done : per;
		__u64 at = addr + done * size, page;

		pos = capture(at, type, (n - done) * size, take * size, size);
		s = get_scratch();
		if (!s)
			return 0;
		if (pos < 0 && !(s->faulted && (flags & ARRAY_CHUNKS)))
			return 0;
		if (pos < 0) {
			/* a page never touched holds no entry: on past it, to the
			 * first element that starts after it */
			page = ((at >> 12) + 1) << 12;
			done += (page - at + size - 1) / size;
			if (done >= elems)
				return 0;
			continue;
		}
		if (s->fresh && (flags & ARRAY_SCAN))
			push(s, pos, pos + s->got, type, s->got / size, size, depth);
		/* a partial element (its tail on a page never touched): on past it */
		done += (s->got + size - 1) / size;
		if (!(flags & ARRAY_CHUNKS) || !s->got || done >= elems)
			return 0;
	}
	return 0;
}

/* The entry count of the value being scanned, for an op that has one. */
static __always_inline __u64 value_used(struct scratch *s, struct gt_top *op)
{
	__u64 used = 0;
	__u8 lo = 0, hi = 0;

	if (op->used_size == 2) {
		if (val_byte(s, op->used_off, &lo) || val_byte(s, op->used_off + 1, &hi))
			return 0;
		return lo | (__u64)hi << 8;
	}
	if (val_word(s, op->used_off, &used))
		return 0;
	return used;
}

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
	__u64 addr = 0, n = 0, m;
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
		if (op->cond == GT_COND_TOPHASH ? b < GT_HMAP_MIN_TOPHASH
						: b >= GT_SWISS_CTRL_EMPTY)
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
			      ARRAY_FLAGS(op->max_count, depth + 1, op->scan ? ARRAY_SCAN : 0));
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
			capture_array(addr, 1, op->type2, op->size2,
				      ARRAY_FLAGS(1, depth, ARRAY_SCAN));
			return 0;
		}
		m = op->max_count;
		if (op->used_size)
			m = gt_entry_share(n, value_used(s, op), op->max_count);
		capture_array(addr, n, op->type, op->size,
			      ARRAY_FLAGS(m < ARRAY_MAX_COUNT ? m : ARRAY_MAX_COUNT, depth,
					  (op->scan ? ARRAY_SCAN : 0) | ARRAY_CHUNKS));
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

#endif /* GOTRACE_SCAN_BPF_H */
