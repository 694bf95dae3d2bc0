// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw records + plan -> Go values. The roots hold the arguments; every
 * pointer leads to a capture record, found by (address, type id) as the
 * type programs took it (plan/types.c). Every read is checked against what
 * the BPF side actually captured: a value the records do not hold becomes
 * an unavailable value with a reason, never garbage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "decode/decode.h"
#include "decode/internal.h"
#include "plan/types.h"
#include "symbols/goruntime.h"

const uint8_t *dec_rec_data(const struct gt_rec *rec)
{
	return (const uint8_t *)(rec + 1);
}

void dec_unavailable(struct value *v, enum value_reason why)
{
	v->kind = VAL_UNAVAILABLE;
	v->reason = why;
}

enum value_limit dec_event_limit(const struct decoder *d)
{
	if (d->flags & GT_EVF_BUDGET)
		return LIMIT_BUDGET;
	if (d->flags & (GT_EVF_STEPS | GT_EVF_QUEUE))
		return LIMIT_OPS;
	return LIMIT_ELEMS; /* none bit: what was left out was past a count */
}

enum value_limit dec_short_capture(const struct decoder *d, uint64_t got, uint64_t unit,
				   uint64_t max, enum value_limit by_count)
{
	if (max && got / unit >= max)
		return by_count;
	if (got + unit > GT_READ_MAX)
		return LIMIT_READ;
	if (!max && !(d->flags & GT_EVF_BUDGET))
		return by_count;
	return dec_event_limit(d);
}

void dec_cut_by(struct value *v, enum value_limit limit)
{
	v->truncated = true;
	if (v->cut == LIMIT_NONE)
		v->cut = limit;
}

enum value_limit value_reason_limit(enum value_reason reason)
{
	switch (reason) {
	case REASON_DEPTH:
		return LIMIT_DEPTH;
	case REASON_BUDGET:
	case REASON_BUDGET_GONE:
		return LIMIT_BUDGET;
	case REASON_OPS:
		return LIMIT_OPS;
	case REASON_READ:
		return LIMIT_READ;
	case REASON_MAP_CUT:
		return LIMIT_ELEMS;
	default:
		return LIMIT_NONE;
	}
}

enum value_reason dec_status_failure(const struct gt_rec *rec, bool *truncated)
{
	switch (rec->status) {
	case GT_REC_OK:
		return REASON_NONE;
	case GT_REC_NIL:
		return REASON_NIL_ADDRESS;
	case GT_REC_FAULT:
		return REASON_UNREADABLE;
	case GT_REC_RANGE:
		return REASON_INDEX_RANGE;
	case GT_REC_ASSERT:
		return REASON_ASSERT;
	case GT_REC_BUDGET:
		*truncated = true;
		return REASON_BUDGET;
	default:
		return REASON_MALFORMED;
	}
}

/* Why a pointer at DEPTH hops from the arguments has no capture. */
enum value_reason dec_missing(const struct decoder *d, uint32_t depth, bool *truncated)
{
	*truncated = true;
	if (depth >= d->max_depth)
		return REASON_DEPTH;
	if (d->flags & GT_EVF_BUDGET)
		return REASON_BUDGET_GONE;
	if (d->flags & (GT_EVF_STEPS | GT_EVF_QUEUE))
		return REASON_OPS;
	*truncated = false;
	return REASON_NOT_CAPTURED;
}

/* Why an X register's record holds no value (bpf/gotrace.h, gt_parked). */
static enum value_reason float_failure(const struct gt_rec *rec)
{
	switch (rec ? rec->status : GT_REC_FPU_LIVE) {
	case GT_REC_PENDING:
		return REASON_XMM_PENDING;
	case GT_REC_SIGNAL_LATE:
		return REASON_XMM_LATE;
	case GT_REC_CLOBBERED:
		return REASON_XMM_CLOBBERED;
	case GT_REC_FAULT:
		return REASON_XMM_UNREADABLE;
	case GT_REC_BUDGET:
		return REASON_BUDGET;
	default:
		return REASON_XMM_UNSAVED;
	}
}

static uint32_t cap_hash(uint64_t addr, uint32_t type, uint32_t cap)
{
	uint64_t h = (addr ^ ((uint64_t)type << 40)) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(h >> 32) & (cap - 1);
}

/* The capture of ADDR as TYPE; with several, the one for a value of WANT
 * bytes (0: any). NULL when there is none. */
const struct gt_rec *dec_find_capture(const struct decoder *d, uint64_t addr, uint32_t type,
				      uint64_t want)
{
	const struct gt_rec *first = NULL;
	uint32_t i;

	if (!d->caps_cap || !type)
		return NULL;
	for (i = cap_hash(addr, type, d->caps_cap); d->caps[i].rec;
	     i = (i + 1) & (d->caps_cap - 1)) {
		const struct capture *c = &d->caps[i];

		if (c->addr != addr || c->type != type)
			continue;
		if (!want || c->rec->want == want)
			return c->rec;
		if (!first)
			first = c->rec;
	}
	return first;
}

enum value_reason dec_span_read(const struct span *sp, uint64_t off, uint64_t size, void *dst,
				bool *truncated)
{
	int i;

	for (i = 0; i < sp->n_holes; i++)
		if (off < sp->holes[i].off + sp->holes[i].size && sp->holes[i].off < off + size)
			return sp->holes[i].why;
	if (off + size > sp->len || off + size < off) {
		*truncated = true;
		return sp->cut != REASON_NONE ? sp->cut : REASON_READ;
	}
	memcpy(dst, sp->data + off, size);
	return REASON_NONE;
}

struct span dec_rec_span(const struct gt_rec *rec)
{
	return (struct span){.data = dec_rec_data(rec),
			     .len = rec->len,
			     .cut = rec->want > rec->len ? REASON_READ : REASON_NONE};
}

/*
 * The capture that the pointer ADDR, at DEPTH, leads to as a value of T
 * (id TYPE), for a value of WANT bytes. NULL when V is already final: not
 * followed, not captured, unreadable.
 */
const struct gt_rec *dec_follow(const struct decoder *d, uint64_t addr, uint32_t type,
				uint64_t want, uint32_t depth, bool hop, struct value *v)
{
	const struct gt_rec *rec = NULL;
	enum value_reason why;

	if (!hop || depth < d->max_depth)
		rec = dec_find_capture(d, addr, type, want);
	if (!rec) {
		why = dec_missing(d, hop ? depth : 0, &v->truncated);
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->u = addr;
		v->reason = why;
		return NULL;
	}
	why = dec_status_failure(rec, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return NULL;
	}
	return rec;
}

static int decode_string(const struct decoder *d, const struct span *sp, uint64_t off,
			 struct value *v)
{
	const struct gt_rec *rec;
	uint64_t hdr[WORD(GO_STRING_SIZE)];
	enum value_reason why;

	why = dec_span_read(sp, off, sizeof(hdr), hdr, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return 0;
	}
	v->kind = VAL_STRING;
	v->count = hdr[WORD(GO_STRING_LEN)];
	if (hdr[WORD(GO_STRING_LEN)] == 0) {
		v->bytes = strdup("");
		return v->bytes ? 0 : -ENOMEM;
	}
	rec = dec_find_capture(d, hdr[0], GT_TYPE_BYTES, hdr[WORD(GO_STRING_LEN)]);
	if (!rec) {
		bool cut;

		dec_unavailable(v, dec_missing(d, 0, &cut));
		v->truncated |= cut;
		return 0;
	}
	why = dec_status_failure(rec, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return 0;
	}
	v->bytes = malloc(rec->len + 1);
	if (!v->bytes)
		return -ENOMEM;
	memcpy(v->bytes, dec_rec_data(rec), rec->len);
	v->bytes[rec->len] = 0;
	v->len = rec->len;
	if (hdr[WORD(GO_STRING_LEN)] > rec->len)
		dec_cut_by(v, dec_short_capture(d, rec->len, 1, d->max_string, LIMIT_STRING));
	return 0;
}

static bool on_path(const struct decoder *d, uint64_t addr)
{
	int i;

	for (i = 0; i < d->path->n; i++)
		if (d->path->addrs[i] == addr)
			return true;
	return false;
}

/* Decodes T from capture REC as the pointee at ADDR, one hop deeper. */
int dec_pointee(const struct decoder *d, const struct go_type *t, const struct gt_rec *rec,
		uint64_t addr, uint32_t depth, struct value *v)
{
	struct span sp = dec_rec_span(rec);
	/* past the path's room, a pointee is not remembered: nor forgotten */
	bool pushed = d->path->n < (int)(sizeof(d->path->addrs) / sizeof(d->path->addrs[0]));
	int err;

	if (pushed)
		d->path->addrs[d->path->n++] = addr;
	err = dec_value(d, t, &sp, 0, depth, v);
	if (pushed)
		d->path->n--;
	return err;
}

int dec_pointer(const struct decoder *d, const struct go_type *t, const struct span *sp,
		uint64_t off, uint32_t depth, struct value *v)
{
	const struct gt_rec *rec;
	uint64_t addr;
	enum value_reason why;
	int err;

	why = dec_span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return 0;
	}
	if (!addr) {
		v->kind = VAL_NIL;
		return 0;
	}
	v->u = addr;
	if (t->kind != GO_POINTER || !t->elem || t->elem->size == 0) {
		v->kind = VAL_POINTER_UNFOLLOWED;
		return 0;
	}
	if (on_path(d, addr)) {
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->reason = REASON_CYCLE;
		return 0;
	}
	rec =
	    dec_follow(d, addr, type_table__find(d->types, t->elem), t->elem->size, depth, true, v);
	if (!rec)
		return 0;
	v->kind = VAL_POINTER;
	v->children = calloc(1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = 1;
	err = dec_pointee(d, t->elem, rec, addr, depth + 1, v->children);
	v->truncated |= v->children->truncated;
	return err;
}

static int decode_children(const struct decoder *d, const struct go_type *t, const struct span *sp,
			   uint64_t off, uint32_t depth, struct value *v)
{
	int i, n, err;

	if (t->kind == GO_STRUCT) {
		v->kind = VAL_STRUCT;
		n = t->n_fields;
	} else {
		v->kind = VAL_ARRAY;
		v->count = t->len;
		n = t->len < d->max_elems ? t->len : d->max_elems;
		if (t->len > (uint64_t)n)
			dec_cut_by(v, LIMIT_ELEMS);
		if (!t->elem)
			n = 0;
	}
	v->children = calloc(n ? n : 1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = n;
	for (i = 0; i < n; i++) {
		const struct go_type *ct = t->kind == GO_STRUCT ? t->fields[i].type : t->elem;
		uint64_t coff = off + (t->kind == GO_STRUCT ? t->fields[i].offset
							    : (uint64_t)i * t->elem->size);

		if (!ct) {
			/* DWARF or the runtime type descriptor gives none */
			dec_unavailable(&v->children[i], REASON_UNKNOWN_TYPE);
			continue;
		}
		err = dec_value(d, ct, sp, coff, depth, &v->children[i]);
		if (err)
			return err;
		v->truncated |= v->children[i].truncated;
	}
	return 0;
}

/* N values of T, STRIDE bytes apart from OFF of SP, as V's children. */
static int decode_elements(const struct decoder *d, const struct go_type *t, const struct span *sp,
			   uint64_t n, uint32_t depth, struct value *v)
{
	uint64_t i;
	int err;

	v->children = calloc(n ? n : 1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = n;
	for (i = 0; i < n; i++) {
		err = dec_value(d, t, sp, i * t->size, depth, &v->children[i]);
		if (err)
			return err;
		v->truncated |= v->children[i].truncated;
	}
	return 0;
}

static int decode_slice(const struct decoder *d, const struct go_type *t, const struct span *sp,
			uint64_t off, uint32_t depth, struct value *v)
{
	const struct gt_rec *rec;
	uint64_t hdr[WORD(GO_SLICE_SIZE)], n, len;
	struct span elems;
	enum value_reason why;

	why = dec_span_read(sp, off, sizeof(hdr), hdr, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return 0;
	}
	if (!hdr[0]) {
		v->kind = VAL_NIL;
		return 0;
	}
	len = hdr[WORD(GO_SLICE_LEN)];
	v->count = len;
	/* an empty slice's array is not followed: only its header counts */
	if (len == 0 || !t->elem || t->elem->size == 0) {
		v->kind = VAL_ARRAY;
		return 0;
	}
	rec = dec_follow(d, hdr[0], type_table__find(d->types, t->elem), len * t->elem->size, depth,
			 true, v);
	if (!rec)
		return 0;
	v->kind = VAL_ARRAY;
	n = rec->len / t->elem->size;
	if (n > len)
		n = len;
	if (n < len)
		dec_cut_by(v, dec_short_capture(d, rec->len, t->elem->size, d->max_elems,
						LIMIT_ELEMS));
	elems = dec_rec_span(rec);
	return decode_elements(d, t->elem, &elems, n, depth + 1, v);
}

/* Channels show their length and capacity, func values the function they
 * point to: each is in the words behind the pointer. */
static int decode_header_word(const struct decoder *d, const struct go_type *t,
			      const struct span *sp, uint64_t off, uint32_t depth, struct value *v)
{
	bool is_chan = t->kind == GO_CHAN;
	const struct gt_rec *rec;
	uint64_t addr, words[2] = {0};

	if (dec_span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated)) {
		dec_unavailable(v, REASON_BAD_POINTER);
		return 0;
	}
	if (!addr) {
		v->kind = VAL_NIL;
		return 0;
	}
	rec = dec_follow(d, addr, is_chan ? GT_TYPE_HCHAN : GT_TYPE_FUNCVAL, 0, depth, true, v);
	if (!rec)
		return 0;
	if (rec->len < (is_chan ? GO_HCHAN_COUNTS : GO_PTR_SIZE)) {
		dec_unavailable(v, REASON_SHORT_HEADER);
		return 0;
	}
	memcpy(words, dec_rec_data(rec), is_chan ? GO_HCHAN_COUNTS : GO_PTR_SIZE);
	v->u = words[0];
	if (is_chan) {
		v->kind = VAL_CHAN;
		v->len = words[WORD(GO_HCHAN_DATAQSIZ)]; /* the capacity */
		return 0;
	}
	v->kind = VAL_FUNC;
	if (d->opts && d->opts->symbolize) {
		const char *name = d->opts->symbolize(d->opts->ctx, d->pid, words[0]);

		if (name) {
			v->bytes = strdup(name);
			if (!v->bytes)
				return -ENOMEM;
			v->len = strlen(name);
		}
	}
	return 0;
}


static int decode_float(const struct decoder *d, const struct go_type *t, const struct span *sp,
			uint64_t off, struct value *v)
{
	bool is_complex = t->kind == GO_COMPLEX64 || t->kind == GO_COMPLEX128;
	uint64_t part = is_complex ? t->size / 2 : t->size;
	enum value_reason why;
	int i;

	if (part != 4 && part != 8) {
		dec_unavailable(v, REASON_FLOAT_SIZE);
		return 0;
	}
	for (i = 0; i < (is_complex ? 2 : 1); i++) {
		union {
			float f32;
			double f64;
		} u;

		why = dec_span_read(sp, off + i * part, part, &u, &v->truncated);
		if (why) {
			dec_unavailable(v, why);
			return 0;
		}
		v->f[i] = part == 4 ? (double)u.f32 : u.f64;
	}
	v->kind = is_complex ? VAL_COMPLEX : VAL_FLOAT;
	return 0;
}

int dec_value(const struct decoder *d, const struct go_type *t, const struct span *sp, uint64_t off,
	      uint32_t depth, struct value *v)
{
	uint8_t buf[8] = {0};
	enum value_reason why;

	v->type = t;
	switch (t->kind) {
	case GO_BOOL:
	case GO_INT:
	case GO_INT8:
	case GO_INT16:
	case GO_INT32:
	case GO_INT64:
	case GO_UINT:
	case GO_UINT8:
	case GO_UINT16:
	case GO_UINT32:
	case GO_UINT64:
	case GO_UINTPTR:
		if (t->size == 0 || t->size > 8) {
			dec_unavailable(v, REASON_INT_SIZE);
			return 0;
		}
		why = dec_span_read(sp, off, t->size, buf, &v->truncated);
		if (why) {
			dec_unavailable(v, why);
			return 0;
		}
		memcpy(&v->u, buf, 8);
		if (t->kind == GO_BOOL) {
			v->kind = VAL_BOOL;
			v->b = buf[0] != 0;
		} else if (t->kind >= GO_INT && t->kind <= GO_INT64) {
			int shift = 64 - 8 * t->size;

			v->kind = VAL_INT;
			v->i = (int64_t)(v->u << shift) >> shift;
		} else {
			v->kind = VAL_UINT;
		}
		return 0;
	case GO_STRING:
		return decode_string(d, sp, off, v);
	case GO_POINTER:
	case GO_UNSAFE_POINTER:
		return dec_pointer(d, t, sp, off, depth, v);
	case GO_STRUCT:
	case GO_ARRAY:
		return decode_children(d, t, sp, off, depth, v);
	case GO_SLICE:
		return decode_slice(d, t, sp, off, depth, v);
	case GO_MAP:
		return dec_map(d, t, sp, off, depth, v);
	case GO_CHAN:
	case GO_FUNC:
		return decode_header_word(d, t, sp, off, depth, v);
	case GO_INTERFACE:
		return dec_interface(d, t, sp, off, depth, v);
	case GO_FLOAT32:
	case GO_FLOAT64:
	case GO_COMPLEX64:
	case GO_COMPLEX128:
		return decode_float(d, t, sp, off, v);
	case GO_INVALID:
		dec_unavailable(v, REASON_NO_LAYOUT);
		return 0;
	default:
		dec_unavailable(v, REASON_UNSUPPORTED);
		return 0;
	}
}

static int index_records(struct decoder *d, const struct gt_event *ev, const void *records)
{
	const uint8_t *p = records, *end = p + ev->data_len;
	uint32_t i, n_caps = 0, cap = 16;

	for (i = 0; i < ev->n_recs; i++) {
		const struct gt_rec *rec = (const struct gt_rec *)p;

		if ((size_t)(end - p) < sizeof(*rec))
			return -EINVAL;
		if ((size_t)(end - p) - sizeof(*rec) < rec->len)
			return -EINVAL;
		if (rec->op == GT_REC_CAPTURE)
			n_caps++;
		else if (rec->op == GT_REC_STACK)
			; /* --stack's PCs: for the caller to symbolize */
		else if (rec->op >= GT_MAX_OPS || rec->op >= d->plan->bpf.n_ops)
			return -EINVAL;
		else
			d->roots[rec->op] = rec;
		p += sizeof(*rec) + GT_REC_PAD(rec->len);
		if (p > end)
			p = end;
	}
	if (!n_caps)
		return 0;
	while (cap < 2 * n_caps)
		cap *= 2;
	d->caps = calloc(cap, sizeof(*d->caps));
	if (!d->caps)
		return -ENOMEM;
	d->caps_cap = cap;
	p = records;
	for (i = 0; i < ev->n_recs; i++) {
		const struct gt_rec *rec = (const struct gt_rec *)p;
		uint32_t h;

		p += sizeof(*rec) + GT_REC_PAD(rec->len);
		if (rec->op != GT_REC_CAPTURE)
			continue;
		for (h = cap_hash(rec->addr, rec->type, cap); d->caps[h].rec;
		     h = (h + 1) & (cap - 1))
			;
		d->caps[h] = (struct capture){rec->addr, rec->type, rec};
	}
	return 0;
}

/*
 * An argument's image: its root record (registers assembled, or its stack
 * slot), with its X register pieces laid over it. Pieces that could not be
 * read become holes.
 */
static int decode_arg(const struct decoder *d, const struct plan_arg *arg, struct value *v)
{
	const struct go_type *t = arg->param->type;
	struct hole holes[GO_ABI_FLOAT_REGS + 1];
	struct span sp = {.holes = holes};
	const struct gt_rec *rec = NULL;
	uint8_t *img;
	enum value_reason why;
	int i, err;

	if (!arg->available) {
		dec_unavailable(v, arg->unavailable ? REASON_PLAN : REASON_NOT_CAPTURED);
		v->detail = arg->unavailable;
		return 0;
	}
	if (t->size == 0)
		return dec_value(d, t, &sp, 0, 0, v);
	if (arg->op != PLAN_NO_OP) {
		rec = d->roots[arg->op];
		if (!rec) {
			bool cut;

			dec_unavailable(v, dec_missing(d, 0, &cut));
			v->truncated = cut;
			return 0;
		}
		why = dec_status_failure(rec, &v->truncated);
		if (why) {
			dec_unavailable(v, why);
			return 0;
		}
	}
	img = calloc(1, t->size);
	if (!img)
		return -ENOMEM;
	sp.data = img;
	sp.len = t->size;
	if (rec) {
		memcpy(img, dec_rec_data(rec), rec->len < t->size ? rec->len : t->size);
		if (rec->len < t->size)
			sp.len = rec->len;
	}
	for (i = 0; i < arg->n_pieces; i++) {
		const struct plan_piece *pc = &arg->pieces[i];
		const struct gt_rec *xr;

		if (!pc->is_float)
			continue;
		xr = d->roots[pc->op];
		if (pc->offset + pc->size > t->size)
			continue;
		if (xr && xr->status == GT_REC_OK && xr->len >= pc->size)
			memcpy(img + pc->offset, dec_rec_data(xr), pc->size);
		else if (sp.n_holes < (int)(sizeof(holes) / sizeof(holes[0])))
			holes[sp.n_holes++] = (struct hole){
			    .off = pc->offset, .size = pc->size, .why = float_failure(xr)};
	}
	err = dec_value(d, t, &sp, 0, 0, v);
	free(img);
	return err;
}

int decode_event(const struct func_plan *plan, const struct gt_event *ev, const void *records,
		 const struct decode_opts *opts, struct decoded_event *out)
{
	struct pointer_path path = {.n = 0};
	struct decoder d = {.plan = plan, .types = plan->types, .opts = opts, .path = &path};
	int i, err;

	d.flags = ev->flags;
	d.pid = ev->pid;
	d.max_depth = plan->bpf.max_depth;
	d.max_elems = plan->types ? type_table__max_elems(plan->types) : 0;
	d.max_string = opts ? opts->max_string : 0;
	memset(out, 0, sizeof(*out));
	out->raw = ev;
	out->plan = plan;
	err = index_records(&d, ev, records);
	if (err)
		goto out;
	out->args = calloc(plan->n_args ? plan->n_args : 1, sizeof(*out->args));
	if (!out->args) {
		err = -ENOMEM;
		goto out;
	}
	out->n_args = plan->n_args;
	for (i = 0; i < plan->n_args; i++) {
		const struct plan_arg *arg = &plan->args[i];
		struct decoded_arg *da = &out->args[i];

		da->name = arg->param->name;
		da->type = arg->param->type;
		da->value.type = da->type;
		if (!da->type) {
			da->value.detail = arg->unavailable;
			dec_unavailable(&da->value, da->value.detail ? REASON_PLAN : REASON_NO_TYPE);
		} else {
			err = decode_arg(&d, arg, &da->value);
			if (!err && arg->select) {
				da->type = arg->select->elem;
				dec_select_entry(&da->value, arg->select);
			}
		}
		if (err) {
			decoded_event__clear(out);
			goto out;
		}
	}
out:
	free(d.caps);
	return err;
}

void dec_value_clear(struct value *v)
{
	int i;

	for (i = 0; i < v->n_children; i++)
		dec_value_clear(&v->children[i]);
	free(v->children);
	free(v->bytes);
	v->children = NULL;
	v->n_children = 0;
	v->bytes = NULL;
}

void decoded_event__clear(struct decoded_event *de)
{
	int i;

	for (i = 0; i < de->n_args; i++)
		dec_value_clear(&de->args[i].value);
	free(de->args);
	de->args = NULL;
	de->n_args = 0;
}
