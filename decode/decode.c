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
#include "plan/types.h"
#include "symbols/goruntime.h"

/* The word at byte OFFSET of a header read as words (goruntime.h's layouts) */
#define WORD(offset) ((offset) / GO_PTR_SIZE)
#define MAX_OVERFLOW 1024 /* overflow buckets followed from one bucket */

/* The addresses of the pointees being decoded, outermost first: a pointer
 * back to one of them is a cycle. */
struct pointer_path {
	uint64_t addrs[64];
	int n;
};

/* Bytes of an argument's image that hold no value, and why (an X register
 * that could not be read). */
struct hole {
	uint64_t off, size;
	const char *why;
};

/* Where a value's bytes are: a root image or a capture record's data. */
struct span {
	const uint8_t *data;
	uint64_t len;	/* bytes present */
	const char *cut; /* why bytes past len are missing, or NULL: not captured */
	const struct hole *holes;
	int n_holes;
};

struct capture {
	uint64_t addr;
	uint32_t type;
	const struct gt_rec *rec;
};

struct decoder {
	const struct func_plan *plan;
	const struct type_table *types;
	const struct decode_opts *opts;
	struct pointer_path *path;
	uint32_t flags; /* the event's GT_EVF_* */
	uint32_t pid;
	uint32_t max_depth;
	uint32_t max_elems;
	const struct gt_rec *roots[GT_MAX_OPS];
	struct capture *caps; /* open addressing by (addr, type) */
	uint32_t caps_cap;
};

static const uint8_t *rec_data(const struct gt_rec *rec)
{
	return (const uint8_t *)(rec + 1);
}

static void set_unavailable(struct value *v, const char *why)
{
	v->kind = VAL_UNAVAILABLE;
	v->reason = why;
}

static const char *status_failure(const struct gt_rec *rec, bool *truncated)
{
	switch (rec->status) {
	case GT_REC_OK:
		return NULL;
	case GT_REC_NIL:
		return "nil address";
	case GT_REC_FAULT:
		return "unreadable address";
	case GT_REC_BUDGET:
		*truncated = true;
		return "cut by the per-event capture budget (--max-event)";
	default:
		return "malformed record";
	}
}

/* Why a pointer at DEPTH hops from the arguments has no capture. */
static const char *missing(const struct decoder *d, uint32_t depth, bool *truncated)
{
	*truncated = true;
	if (depth >= d->max_depth)
		return "not followed: --max-depth reached";
	if (d->flags & GT_EVF_BUDGET)
		return "not captured: the per-event capture budget ran out (--max-event)";
	if (d->flags & (GT_EVF_STEPS | GT_EVF_QUEUE))
		return "not captured: the capture's work limit ran out";
	*truncated = false;
	return "not captured";
}

/* Why an X register's record holds no value (bpf/gotrace.h, gt_parked). */
static const char *float_failure(const struct gt_rec *rec)
{
	switch (rec ? rec->status : GT_REC_FPU_LIVE) {
	case GT_REC_PENDING:
		return "passed in a float register: the signal frame that was to carry it never "
		       "came";
	case GT_REC_SIGNAL_LATE:
		return "passed in a float register: the signal frame that came was not at the "
		       "probe (a late or foreign signal)";
	case GT_REC_CLOBBERED:
		return "passed in a float register that the probed instruction overwrites";
	case GT_REC_FAULT:
		return "passed in a float register: the signal frame was unreadable";
	case GT_REC_BUDGET:
		return "cut by the per-event capture budget (--max-event)";
	default:
		return "passed in a float register, which uprobes cannot read (the kernel had no "
		       "saved copy at the probe, and no signal was sent)";
	}
}

static uint32_t cap_hash(uint64_t addr, uint32_t type, uint32_t cap)
{
	uint64_t h = (addr ^ ((uint64_t)type << 40)) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(h >> 32) & (cap - 1);
}

/* The capture of ADDR as TYPE; with several, the one for a value of WANT
 * bytes (0: any). NULL when there is none. */
static const struct gt_rec *find_capture(const struct decoder *d, uint64_t addr, uint32_t type,
					 uint64_t want)
{
	const struct gt_rec *first = NULL;
	uint32_t i;

	if (!d->caps_cap || !type)
		return NULL;
	for (i = cap_hash(addr, type, d->caps_cap); d->caps[i].rec; i = (i + 1) & (d->caps_cap - 1)) {
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

/* Copies SIZE bytes at OFF of a span, or says why it cannot. */
static const char *span_read(const struct span *sp, uint64_t off, uint64_t size, void *dst,
			     bool *truncated)
{
	int i;

	for (i = 0; i < sp->n_holes; i++)
		if (off < sp->holes[i].off + sp->holes[i].size && sp->holes[i].off < off + size)
			return sp->holes[i].why;
	if (off + size > sp->len || off + size < off) {
		*truncated = true;
		return sp->cut ? sp->cut : "cut by a capture limit";
	}
	memcpy(dst, sp->data + off, size);
	return NULL;
}

static struct span rec_span(const struct gt_rec *rec)
{
	return (struct span){.data = rec_data(rec), .len = rec->len,
			     .cut = rec->want > rec->len ? "cut by a capture limit" : NULL};
}

static void value_clear(struct value *v);

static int decode_value(const struct decoder *d, const struct go_type *t, const struct span *sp,
			uint64_t off, uint32_t depth, struct value *v);

/*
 * The capture that the pointer ADDR, at DEPTH, leads to as a value of T
 * (id TYPE), for a value of WANT bytes. NULL when V is already final: not
 * followed, not captured, unreadable.
 */
static const struct gt_rec *follow(const struct decoder *d, uint64_t addr, uint32_t type,
				   uint64_t want, uint32_t depth, bool hop, struct value *v)
{
	const struct gt_rec *rec = NULL;
	const char *why;

	if (!hop || depth < d->max_depth)
		rec = find_capture(d, addr, type, want);
	if (!rec) {
		why = missing(d, hop ? depth : 0, &v->truncated);
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->u = addr;
		v->reason = why;
		return NULL;
	}
	why = status_failure(rec, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return NULL;
	}
	return rec;
}

static int decode_string(const struct decoder *d, const struct span *sp, uint64_t off,
			 struct value *v)
{
	const struct gt_rec *rec;
	uint64_t hdr[WORD(GO_STRING_SIZE)];
	const char *why;

	why = span_read(sp, off, sizeof(hdr), hdr, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	v->kind = VAL_STRING;
	if (hdr[WORD(GO_STRING_LEN)] == 0) {
		v->bytes = strdup("");
		return v->bytes ? 0 : -ENOMEM;
	}
	rec = find_capture(d, hdr[0], GT_TYPE_BYTES, hdr[WORD(GO_STRING_LEN)]);
	if (!rec) {
		bool cut;

		set_unavailable(v, missing(d, 0, &cut));
		v->truncated |= cut;
		return 0;
	}
	why = status_failure(rec, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	v->bytes = malloc(rec->len + 1);
	if (!v->bytes)
		return -ENOMEM;
	memcpy(v->bytes, rec_data(rec), rec->len);
	v->bytes[rec->len] = 0;
	v->len = rec->len;
	if (hdr[WORD(GO_STRING_LEN)] > rec->len)
		v->truncated = true;
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
static int decode_pointee(const struct decoder *d, const struct go_type *t,
			  const struct gt_rec *rec, uint64_t addr, uint32_t depth, struct value *v)
{
	struct span sp = rec_span(rec);
	int err;

	if (d->path->n < (int)(sizeof(d->path->addrs) / sizeof(d->path->addrs[0])))
		d->path->addrs[d->path->n++] = addr;
	err = decode_value(d, t, &sp, 0, depth, v);
	d->path->n--;
	return err;
}

static int decode_pointer(const struct decoder *d, const struct go_type *t, const struct span *sp,
			  uint64_t off, uint32_t depth, struct value *v)
{
	const struct gt_rec *rec;
	uint64_t addr;
	const char *why;
	int err;

	why = span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated);
	if (why) {
		set_unavailable(v, why);
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
		v->is_cycle = true;
		v->reason = "cycle";
		return 0;
	}
	rec = follow(d, addr, type_table__find(d->types, t->elem), t->elem->size, depth, true, v);
	if (!rec)
		return 0;
	v->kind = VAL_POINTER;
	v->children = calloc(1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = 1;
	err = decode_pointee(d, t->elem, rec, addr, depth + 1, v->children);
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
		n = t->len < d->max_elems ? t->len : d->max_elems;
		if (t->len > (uint64_t)n)
			v->truncated = true;
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
			set_unavailable(&v->children[i], "its type is unknown");
			continue;
		}
		err = decode_value(d, ct, sp, coff, depth, &v->children[i]);
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
		err = decode_value(d, t, sp, i * t->size, depth, &v->children[i]);
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
	const char *why;

	why = span_read(sp, off, sizeof(hdr), hdr, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	if (!hdr[0]) {
		v->kind = VAL_NIL;
		return 0;
	}
	len = hdr[WORD(GO_SLICE_LEN)];
	/* an empty slice's array is not followed: only its header counts */
	if (len == 0 || !t->elem || t->elem->size == 0) {
		v->kind = VAL_ARRAY;
		return 0;
	}
	rec = follow(d, hdr[0], type_table__find(d->types, t->elem), len * t->elem->size, depth,
		     true, v);
	if (!rec)
		return 0;
	v->kind = VAL_ARRAY;
	n = rec->len / t->elem->size;
	if (n > len)
		n = len;
	if (n < len)
		v->truncated = true;
	elems = rec_span(rec);
	return decode_elements(d, t->elem, &elems, n, depth + 1, v);
}

/* The entries of one hmap bucket or Swiss group, appended to V's children
 * (key, elem, key, elem...) while there is room. */
static int decode_slots(const struct decoder *d, const struct go_type *t,
			const struct type_map_ids *ids, const struct span *sp, uint64_t off,
			uint32_t depth, struct value *v, int room)
{
	const struct go_map_layout *ml = &ids->layout;
	struct value *kv;
	uint64_t i;
	int k, err;

	for (i = 0; i < GO_BUCKET_SLOTS; i++) {
		uint8_t state;
		bool full;

		if (off + i >= sp->len)
			return 0;
		state = sp->data[off + i];
		full = ml->swiss ? state < GO_SWISS_CTRL_EMPTY : state >= GO_MIN_TOPHASH;
		if (!full)
			continue;
		if (v->n_children / 2 >= (int)d->max_elems || v->n_children + 2 > room) {
			v->truncated = true;
			return 0;
		}
		kv = &v->children[v->n_children];
		v->n_children += 2;
		for (k = 0; k < 2; k++) {
			const struct go_type *vt = k ? t->elem : t->key;
			uint64_t at = off + (k ? ml->elems_off + i * ml->elem_stride
					       : ml->keys_off + i * ml->key_stride);
			bool indirect = k ? ml->elem_indirect : ml->key_indirect;
			struct value ptr = {0};

			if (!indirect) {
				err = decode_value(d, vt, sp, at, depth, &kv[k]);
			} else {
				/* the slot holds a pointer to the key or elem */
				struct go_type pt = {.kind = GO_POINTER, .size = GO_PTR_SIZE,
						     .elem = (struct go_type *)vt};

				err = decode_pointer(d, &pt, sp, at, depth, &ptr);
				if (!err && ptr.kind == VAL_POINTER) {
					kv[k] = ptr.children[0];
					ptr.n_children = 0;
				} else if (!err) {
					set_unavailable(&kv[k], ptr.reason ? ptr.reason
									   : "unreadable slot");
					kv[k].truncated = ptr.truncated;
				}
				value_clear(&ptr);
			}
			if (err)
				return err;
			v->truncated |= kv[k].truncated;
		}
	}
	return 0;
}

/* The buckets of an hmap array at ADDR (N of them), with their overflow
 * chains. */
static int decode_buckets(const struct decoder *d, const struct go_type *t,
			  const struct type_map_ids *ids, uint64_t addr, uint64_t n,
			  uint32_t depth, struct value *v, int room)
{
	uint64_t size = ids->layout.bucket_size, i, got;
	const struct gt_rec *rec;
	struct span sp;
	int err, hops;

	rec = find_capture(d, addr, ids->bucket, n * size);
	if (!rec || rec->status != GT_REC_OK) {
		v->truncated = true;
		return 0;
	}
	got = rec->len / size;
	if (got < n)
		v->truncated = true;
	for (i = 0; i < got && i < n; i++) {
		sp = rec_span(rec);
		err = decode_slots(d, t, ids, &sp, i * size, depth, v, room);
		if (err)
			return err;
		/* the overflow chain */
		for (hops = 0; hops < MAX_OVERFLOW; hops++) {
			const struct gt_rec *ovf;
			uint64_t next;

			if (span_read(&sp, (hops ? 0 : i * size) + ids->layout.overflow_off,
				      GO_PTR_SIZE, &next, &v->truncated) ||
			    !next)
				break;
			ovf = find_capture(d, next, ids->bucket, size);
			if (!ovf || ovf->status != GT_REC_OK || ovf->len < size) {
				v->truncated = true;
				break;
			}
			sp = rec_span(ovf);
			err = decode_slots(d, t, ids, &sp, 0, depth, v, room);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The groups of a Swiss table at TABLE. */
static int decode_table(const struct decoder *d, const struct go_type *t,
			const struct type_map_ids *ids, uint64_t table, uint32_t depth,
			struct value *v, int room)
{
	uint64_t words[WORD(GO_SWISS_TABLE_SIZE)], n, i, size = ids->layout.bucket_size;
	const struct gt_rec *rec;
	struct span sp;
	int err;

	rec = find_capture(d, table, ids->table, 0);
	if (!rec || rec->status != GT_REC_OK || rec->len < GO_SWISS_TABLE_SIZE) {
		v->truncated = true;
		return 0;
	}
	memcpy(words, rec_data(rec), sizeof(words));
	n = words[WORD(GO_SWISS_TABLE_MASK)] + 1;
	rec = find_capture(d, words[WORD(GO_SWISS_TABLE_GROUPS)], ids->bucket, n * size);
	if (!rec || rec->status != GT_REC_OK) {
		v->truncated = true;
		return 0;
	}
	if (rec->len / size < n)
		v->truncated = true;
	sp = rec_span(rec);
	for (i = 0; i < n && (i + 1) * size <= rec->len; i++) {
		err = decode_slots(d, t, ids, &sp, i * size, depth, v, room);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A map: its length and its entries, from every bucket of an hmap (old
 * ones too while it grows: an entry is in exactly one full slot) or every
 * group of every table of a Swiss map. A map being written as it was read
 * may show torn entries: it is marked truncated.
 */
static int decode_map(const struct decoder *d, const struct go_type *t, const struct span *sp,
		      uint64_t off, uint32_t depth, struct value *v)
{
	const struct gt_rec *hdr;
	struct type_map_ids ids;
	uint64_t addr, w[WORD(GO_HMAP_SIZE)];
	const uint8_t *b;
	int room, err = 0;

	if (span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated)) {
		set_unavailable(v, "unreadable map pointer");
		return 0;
	}
	if (!addr) {
		v->kind = VAL_NIL;
		return 0;
	}
	if (!type_map_ids(d->types, t, &ids)) {
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->u = addr;
		return 0;
	}
	hdr = follow(d, addr, ids.header, 0, depth, true, v);
	if (!hdr)
		return 0;
	if (hdr->len < sizeof(w)) {
		set_unavailable(v, "cut by a capture limit");
		return 0;
	}
	b = rec_data(hdr);
	memcpy(w, b, sizeof(w));
	v->kind = VAL_MAP;
	v->u = w[WORD(GO_MAP_COUNT)];
	v->has_entries = true;
	if (!v->u)
		return 0;
	room = 2 * (int)(v->u < d->max_elems ? v->u : d->max_elems);
	v->children = calloc(room, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	depth++;
	if (ids.layout.swiss) {
		uint64_t dir = w[WORD(GO_SWISS_DIR_PTR)], n = w[WORD(GO_SWISS_DIR_LEN)], i, prev = 0;
		const struct gt_rec *rec;

		if (b[GO_SWISS_WRITING])
			v->truncated = true;
		if (n == 0) {
			rec = find_capture(d, dir, ids.bucket, ids.layout.bucket_size);
			if (rec && rec->status == GT_REC_OK) {
				struct span gs = rec_span(rec);

				err = decode_slots(d, t, &ids, &gs, 0, depth, v, room);
			} else {
				v->truncated = true;
			}
		} else {
			rec = find_capture(d, dir, ids.dir, n * GO_PTR_SIZE);
			if (!rec || rec->status != GT_REC_OK) {
				v->truncated = true;
				n = 0;
			} else if (rec->len / GO_PTR_SIZE < n) {
				v->truncated = true;
				n = rec->len / GO_PTR_SIZE;
			}
			/* a table fills 2^(globalDepth - localDepth) entries in a row */
			for (i = 0; i < n && !err; i++) {
				uint64_t table;

				memcpy(&table, rec_data(rec) + i * GO_PTR_SIZE, GO_PTR_SIZE);
				if (table && table != prev)
					err = decode_table(d, t, &ids, table, depth, v, room);
				prev = table;
			}
		}
	} else {
		uint64_t n = 1ULL << (b[GO_HMAP_B] & 63), old = w[WORD(GO_HMAP_OLDBUCKETS)];

		if (b[GO_HMAP_FLAGS] & GO_HMAP_WRITING)
			v->truncated = true;
		err = decode_buckets(d, t, &ids, w[WORD(GO_HMAP_BUCKETS)], n, depth, v, room);
		if (!err && old)
			err = decode_buckets(d, t, &ids, old,
					     b[GO_HMAP_FLAGS] & GO_HMAP_SAME_SIZE_GROW ? n : n / 2,
					     depth, v, room);
	}
	if ((uint64_t)v->n_children / 2 < v->u)
		v->truncated = true;
	return err;
}

/* Channels show their length and capacity, func values the function they
 * point to: each is in the words behind the pointer. */
static int decode_header_word(const struct decoder *d, const struct go_type *t,
			      const struct span *sp, uint64_t off, uint32_t depth, struct value *v)
{
	bool is_chan = t->kind == GO_CHAN;
	const struct gt_rec *rec;
	uint64_t addr, words[2] = {0};

	if (span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated)) {
		set_unavailable(v, "unreadable pointer");
		return 0;
	}
	if (!addr) {
		v->kind = VAL_NIL;
		return 0;
	}
	rec = follow(d, addr, is_chan ? GT_TYPE_HCHAN : GT_TYPE_FUNCVAL, 0, depth, true, v);
	if (!rec)
		return 0;
	if (rec->len < (is_chan ? GO_HCHAN_COUNTS : GO_PTR_SIZE)) {
		set_unavailable(v, "cut by a capture limit");
		return 0;
	}
	memcpy(words, rec_data(rec), is_chan ? GO_HCHAN_COUNTS : GO_PTR_SIZE);
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

static int decode_interface(const struct decoder *d, const struct go_type *t,
			    const struct span *sp, uint64_t off, uint32_t depth, struct value *v)
{
	uint64_t words[WORD(GO_IFACE_SIZE)], type_addr;
	const struct gt_rec *rec;
	const struct go_type *dyn;
	const char *why;
	bool cut = false;
	int err;

	why = span_read(sp, off, sizeof(words), words, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	if (!words[0]) {
		v->kind = VAL_NIL;
		return 0;
	}
	type_addr = words[0];
	if (!t->is_empty_interface) {
		rec = depth < d->max_depth ? find_capture(d, words[0], GT_TYPE_ITAB, 0) : NULL;
		why = !rec ? missing(d, depth, &cut) : status_failure(rec, &cut);
		if (!why && rec->len < 2 * GO_PTR_SIZE)
			why = "malformed record";
		if (why) {
			v->truncated |= cut;
			set_unavailable(v, why);
			return 0;
		}
		memcpy(&type_addr, rec_data(rec) + GO_ITAB_TYPE, GO_PTR_SIZE);
	}
	v->kind = VAL_INTERFACE;
	v->u = type_addr;
	if (d->opts && d->opts->type_at)
		v->dynamic = d->opts->type_at(d->opts->ctx, d->pid, type_addr);
	v->children = calloc(1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = 1;
	dyn = v->dynamic;
	if (!dyn) {
		set_unavailable(v->children, "no type for its runtime type descriptor");
		return 0;
	}
	if (dyn->kind == GO_INVALID)
		return decode_value(d, dyn, sp, off, depth, v->children);
	if (depth >= d->max_depth) {
		set_unavailable(v->children, missing(d, depth, &v->truncated));
		return 0;
	}
	if (type_is_direct(dyn)) {
		/* the data word is the value */
		err = decode_value(d, dyn, sp, off + GO_IFACE_DATA, depth, v->children);
	} else if (!words[1]) {
		set_unavailable(v->children, "nil data");
		return 0;
	} else {
		uint32_t id = type_table__find(d->types, dyn);

		/* a type without a program: the bytes behind the data word */
		rec = follow(d, words[1], id ? id : GT_TYPE_RAW, id ? dyn->size : 0, depth, true,
			     v->children);
		if (!rec) {
			if (v->children->kind == VAL_POINTER_UNFOLLOWED)
				set_unavailable(v->children, v->children->reason);
			v->truncated |= v->children->truncated;
			return 0;
		}
		err = decode_pointee(d, dyn, rec, words[1], depth + 1, v->children);
	}
	v->truncated |= v->children->truncated;
	return err;
}

static int decode_float(const struct decoder *d, const struct go_type *t, const struct span *sp,
			uint64_t off, struct value *v)
{
	bool is_complex = t->kind == GO_COMPLEX64 || t->kind == GO_COMPLEX128;
	uint64_t part = is_complex ? t->size / 2 : t->size;
	const char *why;
	int i;

	if (part != 4 && part != 8) {
		set_unavailable(v, "unexpected float size");
		return 0;
	}
	for (i = 0; i < (is_complex ? 2 : 1); i++) {
		union {
			float f32;
			double f64;
		} u;

		why = span_read(sp, off + i * part, part, &u, &v->truncated);
		if (why) {
			set_unavailable(v, why);
			return 0;
		}
		v->f[i] = part == 4 ? (double)u.f32 : u.f64;
	}
	v->kind = is_complex ? VAL_COMPLEX : VAL_FLOAT;
	return 0;
}

static int decode_value(const struct decoder *d, const struct go_type *t, const struct span *sp,
			uint64_t off, uint32_t depth, struct value *v)
{
	uint8_t buf[8] = {0};
	const char *why;

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
			set_unavailable(v, "unexpected integer size");
			return 0;
		}
		why = span_read(sp, off, t->size, buf, &v->truncated);
		if (why) {
			set_unavailable(v, why);
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
		return decode_pointer(d, t, sp, off, depth, v);
	case GO_STRUCT:
	case GO_ARRAY:
		return decode_children(d, t, sp, off, depth, v);
	case GO_SLICE:
		return decode_slice(d, t, sp, off, depth, v);
	case GO_MAP:
		return decode_map(d, t, sp, off, depth, v);
	case GO_CHAN:
	case GO_FUNC:
		return decode_header_word(d, t, sp, off, depth, v);
	case GO_INTERFACE:
		return decode_interface(d, t, sp, off, depth, v);
	case GO_FLOAT32:
	case GO_FLOAT64:
	case GO_COMPLEX64:
	case GO_COMPLEX128:
		return decode_float(d, t, sp, off, v);
	case GO_INVALID:
		set_unavailable(v, "its layout is not known without DWARF (see --debug-file)");
		return 0;
	default:
		set_unavailable(v, "decoding this type is not supported yet");
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
		else if (rec->op >= GT_MAX_OPS || rec->op >= d->plan->bpf.n_ops)
			return -EINVAL;
		else
			d->roots[rec->op] = rec;
		p += sizeof(*rec) + ((rec->len + 7u) & ~7u);
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

		p += sizeof(*rec) + ((rec->len + 7u) & ~7u);
		if (rec->op != GT_REC_CAPTURE)
			continue;
		for (h = cap_hash(rec->addr, rec->type, cap); d->caps[h].rec; h = (h + 1) & (cap - 1))
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
	const char *why;
	int i, err;

	if (!arg->available) {
		set_unavailable(v, arg->unavailable ? arg->unavailable : "not captured");
		return 0;
	}
	if (t->size == 0)
		return decode_value(d, t, &sp, 0, 0, v);
	if (arg->op != PLAN_NO_OP) {
		rec = d->roots[arg->op];
		if (!rec) {
			bool cut;

			set_unavailable(v, missing(d, 0, &cut));
			v->truncated = cut;
			return 0;
		}
		why = status_failure(rec, &v->truncated);
		if (why) {
			set_unavailable(v, why);
			return 0;
		}
	}
	img = calloc(1, t->size);
	if (!img)
		return -ENOMEM;
	sp.data = img;
	sp.len = t->size;
	if (rec) {
		memcpy(img, rec_data(rec), rec->len < t->size ? rec->len : t->size);
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
			memcpy(img + pc->offset, rec_data(xr), pc->size);
		else if (sp.n_holes < (int)(sizeof(holes) / sizeof(holes[0])))
			holes[sp.n_holes++] =
			    (struct hole){.off = pc->offset, .size = pc->size, .why = float_failure(xr)};
	}
	err = decode_value(d, t, &sp, 0, 0, v);
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
		if (!da->type)
			set_unavailable(&da->value, arg->unavailable ? arg->unavailable
								     : "DWARF gives no type");
		else
			err = decode_arg(&d, arg, &da->value);
		if (err) {
			decoded_event__clear(out);
			goto out;
		}
	}
out:
	free(d.caps);
	return err;
}

static void value_clear(struct value *v)
{
	int i;

	for (i = 0; i < v->n_children; i++)
		value_clear(&v->children[i]);
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
		value_clear(&de->args[i].value);
	free(de->args);
	de->args = NULL;
	de->n_args = 0;
}
