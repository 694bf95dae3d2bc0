// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw records + plan -> Go values. Every read is checked against what the
 * BPF side actually captured: a value the records do not hold becomes an
 * unavailable value with a reason, never garbage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "decode/decode.h"
#include "symbols/goruntime.h"

/* The word at byte OFFSET of a header read as words (goruntime.h's layouts) */
#define WORD(offset) ((offset) / GO_PTR_SIZE)

/* The addresses of the pointees being decoded, outermost first: a pointer
 * back to one of them is a cycle. */
struct pointer_path {
	uint64_t addrs[64];
	int n;
};

struct decoder {
	const struct func_plan *plan;
	const struct decode_opts *opts;
	struct pointer_path *path;
	bool budget_cut; /* the event hit the capture budget: missing records were cut */
	uint32_t pid;
	const struct gt_rec *recs[GT_MAX_OPS];
};

static const struct gt_rec *rec_of(const struct decoder *d, int op)
{
	if (op < 0 || op >= GT_MAX_OPS)
		return NULL;
	return d->recs[op];
}

static const uint8_t *rec_data(const struct gt_rec *rec)
{
	return (const uint8_t *)(rec + 1);
}

static const char *rec_failure(const struct decoder *d, const struct gt_rec *rec, bool *truncated)
{
	if (!rec && d->budget_cut) {
		*truncated = true;
		return "cut by the per-event capture budget";
	}
	if (!rec)
		return "not captured";
	switch (rec->status) {
	case GT_REC_OK:
		return NULL;
	case GT_REC_NIL:
		return "nil address";
	case GT_REC_FAULT:
		return "unreadable address";
	case GT_REC_SKIPPED:
		return "the pointer leading here was not readable";
	case GT_REC_BUDGET:
		*truncated = true;
		return "cut by the per-event capture budget";
	default:
		return "malformed record";
	}
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
	default:
		return "passed in a float register, which uprobes cannot read (the kernel had no "
		       "saved copy at the probe, and no signal was sent)";
	}
}

/* Copies SIZE bytes at OFF of a blob, or says why it cannot. */
static const char *blob_read(const struct decoder *d, int blob_idx, uint64_t off, uint64_t size,
			     void *dst, bool *truncated)
{
	const struct plan_blob *blob = &d->plan->blobs[blob_idx];
	const struct gt_rec *rec;
	const char *why;
	int i;

	if (blob->op != PLAN_NO_OP) {
		rec = rec_of(d, blob->op);
		why = rec_failure(d, rec, truncated);
		if (why)
			return why;
		if (off + size > rec->len || off + size < off) {
			*truncated = true;
			return "cut by a capture limit";
		}
		memcpy(dst, rec_data(rec) + off, size);
		return NULL;
	}
	/* A register blob: the range may span pieces (a string header is two). */
	while (size) {
		const struct plan_piece *pc = NULL;
		uint64_t n;

		for (i = 0; i < blob->n_pieces; i++)
			if (off >= blob->pieces[i].offset &&
			    off < (uint64_t)blob->pieces[i].offset + blob->pieces[i].size)
				pc = &blob->pieces[i];
		if (!pc)
			break;
		rec = rec_of(d, pc->op);
		if (pc->is_float && (!rec || rec->status != GT_REC_OK))
			return float_failure(rec);
		why = rec_failure(d, rec, truncated);
		if (why)
			return why;
		n = pc->offset + pc->size - off;
		if (n > size)
			n = size;
		if (rec->len < off - pc->offset + n)
			return "malformed record";
		memcpy(dst, rec_data(rec) + (off - pc->offset), n);
		dst = (uint8_t *)dst + n;
		off += n;
		size -= n;
	}
	if (!size)
		return NULL;
	return "not captured";
}

static int blob_ref(const struct decoder *d, int blob_idx, uint64_t off)
{
	const struct plan_blob *blob = &d->plan->blobs[blob_idx];
	int i;

	for (i = 0; i < blob->n_refs; i++)
		if (blob->refs[i].offset == off)
			return blob->refs[i].blob;
	return -1;
}

static void value_clear(struct value *v);

static void set_unavailable(struct value *v, const char *why)
{
	v->kind = VAL_UNAVAILABLE;
	v->reason = why;
}

static int decode_value(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			struct value *v);

static int decode_string(const struct decoder *d, int blob, uint64_t off, struct value *v)
{
	const struct gt_rec *rec;
	uint64_t hdr[WORD(GO_STRING_SIZE)];
	const char *why;
	int child;

	why = blob_read(d, blob, off, sizeof(hdr), hdr, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	v->kind = VAL_STRING;
	if (hdr[WORD(GO_STRING_LEN)] == 0) {
		v->bytes = strdup("");
		return v->bytes ? 0 : -ENOMEM;
	}
	child = blob_ref(d, blob, off);
	if (child < 0) {
		v->truncated = true;
		set_unavailable(v, "string bytes not captured: the plan ran out of ops");
		return 0;
	}
	rec = rec_of(d, d->plan->blobs[child].op);
	why = rec_failure(d, rec, &v->truncated);
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
	if (rec->want > rec->len)
		v->truncated = true;
	return 0;
}

static int decode_pointer(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			  struct value *v)
{
	uint64_t addr;
	const char *why;
	int child, err, i;

	why = blob_read(d, blob, off, GO_PTR_SIZE, &addr, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return 0;
	}
	if (!addr) {
		v->kind = VAL_NIL;
		return 0;
	}
	v->u = addr;
	for (i = 0; i < d->path->n; i++) {
		if (d->path->addrs[i] == addr && t->kind == GO_POINTER) {
			v->kind = VAL_POINTER_UNFOLLOWED;
			v->is_cycle = true;
			v->reason = "cycle";
			return 0;
		}
	}
	child = blob_ref(d, blob, off);
	if (t->kind != GO_POINTER || !t->elem || t->elem->size == 0 || child < 0) {
		v->kind = VAL_POINTER_UNFOLLOWED;
		if (t->kind == GO_POINTER) {
			v->truncated = t->elem && t->elem->size > 0;
			v->reason = "not followed: depth or op limit";
		}
		return 0;
	}
	v->kind = VAL_POINTER;
	v->children = calloc(1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = 1;
	if (d->path->n < (int)(sizeof(d->path->addrs) / sizeof(d->path->addrs[0])))
		d->path->addrs[d->path->n++] = addr;
	err = decode_value(d, t->elem, child, 0, v->children);
	d->path->n--;
	v->truncated |= v->children->truncated;
	return err;
}

static int decode_children(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			   struct value *v)
{
	int i, n, err;

	if (t->kind == GO_STRUCT) {
		v->kind = VAL_STRUCT;
		n = t->n_fields;
	} else {
		v->kind = VAL_ARRAY;
		n = t->len < d->plan->max_elems ? t->len : d->plan->max_elems;
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
			set_unavailable(&v->children[i], "DWARF gives no type");
			continue;
		}
		err = decode_value(d, ct, blob, coff, &v->children[i]);
		if (err)
			return err;
		v->truncated |= v->children[i].truncated;
	}
	return 0;
}

/*
 * What the pointer in the WORDS (read from OFF) leads to: the record of the
 * blob it was followed into. Returns NULL when V is already final: the
 * header was unreadable, the pointer nil or not followed, the record bad.
 */
static const struct gt_rec *follow(const struct decoder *d, int blob, uint64_t off, uint64_t *words,
				   size_t n_words, struct value *v, int *child)
{
	const struct gt_rec *rec;
	const char *why;

	why = blob_read(d, blob, off, n_words * sizeof(*words), words, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return NULL;
	}
	if (!words[0]) {
		v->kind = VAL_NIL;
		return NULL;
	}
	*child = blob_ref(d, blob, off);
	if (*child < 0) {
		v->kind = VAL_POINTER_UNFOLLOWED;
		v->u = words[0];
		v->truncated = true;
		v->reason = "not followed: depth or op limit";
		return NULL;
	}
	rec = rec_of(d, d->plan->blobs[*child].op);
	why = rec_failure(d, rec, &v->truncated);
	if (why) {
		set_unavailable(v, why);
		return NULL;
	}
	return rec;
}

static int decode_slice(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			struct value *v)
{
	const struct gt_rec *rec;
	uint64_t hdr[WORD(GO_SLICE_SIZE)], n, i;
	int child, err;

	/* an empty slice's array is not followed: only its header counts */
	if (!blob_read(d, blob, off, sizeof(hdr), hdr, &v->truncated) && hdr[0] &&
	    (hdr[WORD(GO_SLICE_LEN)] == 0 || !t->elem || t->elem->size == 0)) {
		v->kind = VAL_ARRAY;
		return 0;
	}
	rec = follow(d, blob, off, hdr, WORD(GO_SLICE_SIZE), v, &child);
	if (!rec)
		return 0;
	v->kind = VAL_ARRAY;
	n = rec->len / t->elem->size;
	if (n > hdr[WORD(GO_SLICE_LEN)])
		n = hdr[WORD(GO_SLICE_LEN)];
	if (n < hdr[WORD(GO_SLICE_LEN)])
		v->truncated = true;
	v->children = calloc(n ? n : 1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = n;
	for (i = 0; i < n; i++) {
		err = decode_value(d, t->elem, child, i * t->elem->size, &v->children[i]);
		if (err)
			return err;
		v->truncated |= v->children[i].truncated;
	}
	return 0;
}

/*
 * A map: its length, and (Go up to 1.23) the full slots of its first bucket
 * (plan/plan.c says why). The entries are complete when that bucket is the
 * only one (B = 0, no overflow, not growing) and holds them all.
 */
static int decode_map(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
		      struct value *v)
{
	const struct gt_rec *hmap, *brec;
	uint64_t addr, old = 0, overflow = 0, ks, es, i;
	int child, bucket, err, n = 0;
	const uint8_t *b;

	hmap = follow(d, blob, off, &addr, 1, v, &child);
	if (!hmap)
		return 0;
	if (hmap->len < GO_MAP_COUNT + GO_PTR_SIZE) {
		set_unavailable(v, "cut by a capture limit");
		return 0;
	}
	v->kind = VAL_MAP;
	memcpy(&v->u, rec_data(hmap) + GO_MAP_COUNT, GO_PTR_SIZE);
	bucket = blob_ref(d, child, GO_HMAP_BUCKETS);
	if (bucket < 0 || !t->key || !t->elem)
		return 0; /* the length only: a Swiss table, or not followed */
	brec = rec_of(d, d->plan->blobs[bucket].op);
	ks = go_bucket_slot_size(t->key->size);
	es = go_bucket_slot_size(t->elem->size);
	v->has_entries = true;
	if (!brec || brec->status != GT_REC_OK || brec->len < go_bucket_size(ks, es)) {
		v->truncated = v->u > 0;
		return 0;
	}
	b = rec_data(brec);
	memcpy(&overflow, b + go_bucket_overflow(ks, es), GO_PTR_SIZE);
	if (hmap->len >= GO_HMAP_OLDBUCKETS + GO_PTR_SIZE)
		memcpy(&old, rec_data(hmap) + GO_HMAP_OLDBUCKETS, GO_PTR_SIZE);
	v->children = calloc(2 * GO_BUCKET_SLOTS, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	for (i = 0; i < GO_BUCKET_SLOTS && (uint32_t)n / 2 < d->plan->max_elems; i++) {
		if (b[i] < GO_MIN_TOPHASH) /* tophash[i], the bucket's first bytes */
			continue;
		if (ks != t->key->size || es != t->elem->size) {
			set_unavailable(&v->children[n], "a key stored indirectly");
			set_unavailable(&v->children[n + 1], "a value stored indirectly");
		} else {
			err =
			    decode_value(d, t->key, bucket, go_bucket_key(ks, i), &v->children[n]);
			if (!err)
				err = decode_value(d, t->elem, bucket, go_bucket_value(ks, es, i),
						   &v->children[n + 1]);
			if (err)
				return err;
		}
		v->truncated |= v->children[n].truncated | v->children[n + 1].truncated;
		n += 2;
	}
	v->n_children = n;
	if (hmap->len <= GO_HMAP_B || rec_data(hmap)[GO_HMAP_B] != 0 || overflow || old ||
	    (uint64_t)n / 2 < v->u)
		v->truncated = true;
	/* entries whose keys or values the limits left unread say nothing:
	 * show the length alone, marked */
	for (i = 0; i < (uint64_t)n; i++) {
		if (v->children[i].kind != VAL_UNAVAILABLE)
			continue;
		while (n)
			value_clear(&v->children[--n]);
		v->n_children = 0;
		v->has_entries = false;
		v->truncated = true;
		break;
	}
	return 0;
}

/* Channels show their length and capacity, func values the function they
 * point to: each is in the words behind the pointer. (Maps: decode_map.) */
static int decode_header_word(const struct decoder *d, const struct go_type *t, int blob,
			      uint64_t off, struct value *v)
{
	const struct gt_rec *rec;
	uint64_t addr, words[2] = {0};
	int child;

	rec = follow(d, blob, off, &addr, 1, v, &child);
	if (!rec)
		return 0;
	if (rec->len < (t->kind == GO_CHAN ? GO_HCHAN_COUNTS : GO_PTR_SIZE)) {
		set_unavailable(v, "cut by a capture limit");
		return 0;
	}
	memcpy(words, rec_data(rec), t->kind == GO_CHAN ? GO_HCHAN_COUNTS : GO_PTR_SIZE);
	v->u = words[0];
	switch (t->kind) {
	case GO_CHAN:
		v->kind = VAL_CHAN;
		v->len = words[WORD(GO_HCHAN_DATAQSIZ)]; /* the capacity */
		break;
	default:
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
		break;
	}
	return 0;
}

/* Go stores pointer-shaped values in the interface's data word itself
 * (kindDirectIface); every other value sits behind it. */
static bool is_pointer_shaped(const struct go_type *t)
{
	switch (t->kind) {
	case GO_POINTER:
	case GO_MAP:
	case GO_CHAN:
	case GO_FUNC:
	case GO_UNSAFE_POINTER:
		return true;
	case GO_STRUCT:
		return t->n_fields == 1 && t->fields[0].type &&
		       is_pointer_shaped(t->fields[0].type);
	case GO_ARRAY:
		return t->len == 1 && t->elem && is_pointer_shaped(t->elem);
	default:
		return false;
	}
}

static int decode_interface(const struct decoder *d, const struct go_type *t, int blob,
			    uint64_t off, struct value *v)
{
	uint64_t words[WORD(GO_IFACE_SIZE)], type_addr;
	const struct gt_rec *rec;
	const char *why;
	int child, err;

	why = blob_read(d, blob, off, sizeof(words), words, &v->truncated);
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
		child = blob_ref(d, blob, off);
		rec = child >= 0 ? rec_of(d, d->plan->blobs[child].op) : NULL;
		why = child < 0 ? "not followed: depth or op limit"
				: rec_failure(d, rec, &v->truncated);
		if (!why && rec->len < GO_PTR_SIZE)
			why = "malformed record";
		if (why) {
			v->truncated |= child < 0;
			set_unavailable(v, why);
			return 0;
		}
		memcpy(&type_addr, rec_data(rec), GO_PTR_SIZE); /* itab._type */
	}
	v->kind = VAL_INTERFACE;
	v->u = type_addr;
	if (d->opts && d->opts->type_at)
		v->dynamic = d->opts->type_at(d->opts->ctx, d->pid, type_addr);
	v->children = calloc(1, sizeof(*v->children));
	if (!v->children)
		return -ENOMEM;
	v->n_children = 1;
	if (!v->dynamic) {
		set_unavailable(v->children, "the dynamic type is not in DWARF");
		return 0;
	}
	if (is_pointer_shaped(v->dynamic)) {
		err = decode_value(d, v->dynamic, blob, off + GO_IFACE_DATA, v->children);
	} else {
		child = blob_ref(d, blob, off + GO_IFACE_DATA);
		if (child < 0) {
			v->truncated = true;
			set_unavailable(v->children, "not followed: depth or op limit");
			return 0;
		}
		err = decode_value(d, v->dynamic, child, 0, v->children);
	}
	v->truncated |= v->children->truncated;
	return err;
}

/* Floats in memory are readable; in X registers they are not, and
 * blob_read says so. */
static int decode_float(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			struct value *v)
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

		why = blob_read(d, blob, off + i * part, part, &u, &v->truncated);
		if (why) {
			set_unavailable(v, why);
			return 0;
		}
		v->f[i] = part == 4 ? (double)u.f32 : u.f64;
	}
	v->kind = is_complex ? VAL_COMPLEX : VAL_FLOAT;
	return 0;
}

static int decode_value(const struct decoder *d, const struct go_type *t, int blob, uint64_t off,
			struct value *v)
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
		why = blob_read(d, blob, off, t->size, buf, &v->truncated);
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
		return decode_string(d, blob, off, v);
	case GO_POINTER:
	case GO_UNSAFE_POINTER:
		return decode_pointer(d, t, blob, off, v);
	case GO_STRUCT:
	case GO_ARRAY:
		return decode_children(d, t, blob, off, v);
	case GO_SLICE:
		return decode_slice(d, t, blob, off, v);
	case GO_MAP:
		return decode_map(d, t, blob, off, v);
	case GO_CHAN:
	case GO_FUNC:
		return decode_header_word(d, t, blob, off, v);
	case GO_INTERFACE:
		return decode_interface(d, t, blob, off, v);
	case GO_FLOAT32:
	case GO_FLOAT64:
	case GO_COMPLEX64:
	case GO_COMPLEX128:
		return decode_float(d, t, blob, off, v);
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
	uint32_t i;

	for (i = 0; i < ev->n_recs; i++) {
		const struct gt_rec *rec = (const struct gt_rec *)p;

		if ((size_t)(end - p) < sizeof(*rec))
			return -EINVAL;
		if ((size_t)(end - p) - sizeof(*rec) < rec->len)
			return -EINVAL;
		if (rec->op >= GT_MAX_OPS || rec->op >= d->plan->bpf.n_ops)
			return -EINVAL;
		d->recs[rec->op] = rec;
		p += sizeof(*rec) + ((rec->len + 7u) & ~7u);
		if (p > end)
			p = end;
	}
	return 0;
}

int decode_event(const struct func_plan *plan, const struct gt_event *ev, const void *records,
		 const struct decode_opts *opts, struct decoded_event *out)
{
	struct pointer_path path = {.n = 0};
	struct decoder d = {.plan = plan, .opts = opts, .path = &path};

	d.budget_cut = ev->flags & GT_EVF_BUDGET;
	d.pid = ev->pid;
	int i, err;

	memset(out, 0, sizeof(*out));
	out->raw = ev;
	out->plan = plan;
	err = index_records(&d, ev, records);
	if (err)
		return err;
	out->args = calloc(plan->n_args ? plan->n_args : 1, sizeof(*out->args));
	if (!out->args)
		return -ENOMEM;
	out->n_args = plan->n_args;
	for (i = 0; i < plan->n_args; i++) {
		const struct plan_arg *arg = &plan->args[i];
		struct decoded_arg *da = &out->args[i];

		da->name = arg->param->name;
		da->type = arg->param->type;
		da->value.type = da->type;
		if (arg->blob < 0) {
			if (da->type && da->type->size == 0 && !arg->unavailable)
				err = decode_value(&d, da->type, 0, 0, &da->value);
			else
				set_unavailable(&da->value, arg->unavailable ? arg->unavailable
									     : "not captured");
		} else {
			err = decode_value(&d, da->type, arg->blob, 0, &da->value);
		}
		if (err) {
			decoded_event__clear(out);
			return err;
		}
	}
	return 0;
}

static void value_clear(struct value *v)
{
	int i;

	for (i = 0; i < v->n_children; i++)
		value_clear(&v->children[i]);
	free(v->children);
	free(v->bytes);
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
