// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Map values: every entry, from the buckets of an hmap (Go up to 1.23) or
 * the groups of a Swiss table's tables (1.24 on), as the type programs
 * captured them (plan/types.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "decode/internal.h"
#include "plan/types.h"

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
		if (v->n_children / 2 >= (int)d->max_elems) {
			dec_cut_by(v, LIMIT_ELEMS);
			return 0;
		}
		if (v->n_children + 2 > room) {
			/* more full slots than the map's count: written as it was read */
			dec_cut_by(v, LIMIT_TORN);
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
				err = dec_value(d, vt, sp, at, depth, &kv[k]);
			} else {
				/* the slot holds a pointer to the key or elem */
				struct go_type pt = {.kind = GO_POINTER,
						     .size = GO_PTR_SIZE,
						     .elem = (struct go_type *)vt};

				err = dec_pointer(d, &pt, sp, at, depth, &ptr);
				if (!err && ptr.kind == VAL_POINTER) {
					kv[k] = ptr.children[0];
					ptr.n_children = 0;
				} else if (!err) {
					dec_unavailable(&kv[k], ptr.reason != REASON_NONE
								    ? ptr.reason
								    : REASON_BAD_SLOT);
					kv[k].truncated = ptr.truncated;
				}
				dec_value_clear(&ptr);
			}
			if (err)
				return err;
			v->truncated |= kv[k].truncated;
		}
	}
	return 0;
}

/*
 * An array of N elements of SIZE bytes at ADDR as a GT_T_ARRAY op reads it
 * (bpf/gotrace.h): in records of whole elements, each a capture of the rest
 * of the array from where the one before ended.
 */
struct chunks {
	const struct decoder *d;
	uint64_t addr, n, size;
	uint32_t type;
	const struct gt_rec *rec; /* holds elements [first, first + count) */
	uint64_t first, count;
};

/* Element I's span and offset, or false when it was not read: then V is
 * cut, by --max-elems when I is past the share of the array that the op
 * reads for USED entries, else by the event's limits. Read in order. */
static bool chunk_elem(struct chunks *c, uint64_t i, uint64_t used, struct span *sp, uint64_t *off,
		       struct value *v)
{
	if (!c->rec || i < c->first || i >= c->first + c->count) {
		c->rec =
		    dec_find_capture(c->d, c->addr + i * c->size, c->type, (c->n - i) * c->size);
		if (!c->rec || c->rec->status != GT_REC_OK || c->rec->len < GT_PARTIAL_MIN) {
			c->rec = NULL;
			dec_cut_by(v, i >= gt_entry_share(c->n, used, c->d->max_elems)
					  ? LIMIT_ELEMS
					  : dec_event_limit(c->d));
			return false;
		}
		c->first = i;
		/* a record cut at a page never touched ends in part of an element:
		 * its slots past the record are not read (decode_slots) */
		c->count = (c->rec->len + c->size - 1) / c->size;
	}
	*sp = dec_rec_span(c->rec);
	*off = (i - c->first) * c->size;
	return true;
}

/* Every entry of the map's count was read: whatever buckets or groups
 * could not be (on pages the process never touched, so empty), the map is
 * whole, truncated only by what is cut inside its entries. */
static void every_entry_found(struct value *v)
{
	int i;

	v->cut = LIMIT_NONE;
	v->truncated = false;
	for (i = 0; i < v->n_children; i++)
		v->truncated |= v->children[i].truncated;
}

/* The buckets of an hmap array at ADDR (N of them), with their overflow
 * chains; USED: the map's count. */
static int decode_buckets(const struct decoder *d, const struct go_type *t,
			  const struct type_map_ids *ids, uint64_t addr, uint64_t n, uint64_t used,
			  uint32_t depth, struct value *v, int room)
{
	uint64_t size = ids->layout.bucket_size, i, off;
	struct chunks c = {.d = d, .addr = addr, .n = n, .size = size, .type = ids->bucket};
	struct span sp;
	int err, hops;

	for (i = 0; i < n && chunk_elem(&c, i, used, &sp, &off, v); i++) {
		err = decode_slots(d, t, ids, &sp, off, depth, v, room);
		if (err)
			return err;
		/* the overflow chain */
		for (hops = 0; hops < MAX_OVERFLOW; hops++) {
			const struct gt_rec *ovf;
			uint64_t next;

			bool unread = false;

			/* past a partial bucket's end, its overflow is unknown: the
			 * count below says whether entries are missing */
			if (dec_span_read(&sp, (hops ? 0 : off) + ids->layout.overflow_off,
					  GO_PTR_SIZE, &next, &unread) ||
			    !next)
				break;
			ovf = dec_find_capture(d, next, ids->bucket, size);
			if (!ovf || ovf->status != GT_REC_OK || ovf->len < GT_PARTIAL_MIN) {
				dec_cut_by(v, dec_event_limit(d));
				break;
			}
			sp = dec_rec_span(ovf);
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
	uint64_t words[WORD(GO_SWISS_TABLE_SIZE)], i, off;
	struct chunks c = {.d = d, .size = ids->layout.bucket_size, .type = ids->bucket};
	const struct gt_rec *rec;
	uint16_t used;
	struct span sp;
	int err;

	rec = dec_find_capture(d, table, ids->table, 0);
	if (!rec || rec->status != GT_REC_OK || rec->len < GO_SWISS_TABLE_SIZE) {
		dec_cut_by(v, dec_event_limit(d));
		return 0;
	}
	memcpy(words, dec_rec_data(rec), sizeof(words));
	memcpy(&used, dec_rec_data(rec) + GO_SWISS_TABLE_USED, sizeof(used));
	if (!used)
		return 0; /* a table emptied by deletes: none of its groups was read */
	c.n = words[WORD(GO_SWISS_TABLE_MASK)] + 1;
	c.addr = words[WORD(GO_SWISS_TABLE_GROUPS)];
	for (i = 0; i < c.n && chunk_elem(&c, i, used, &sp, &off, v); i++) {
		err = decode_slots(d, t, ids, &sp, off, depth, v, room);
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
int dec_map(const struct decoder *d, const struct go_type *t, const struct span *sp, uint64_t off,
	    uint32_t depth, struct value *v)
{
	const struct gt_rec *hdr;
	struct type_map_ids ids;
	uint64_t addr, w[WORD(GO_HMAP_SIZE)];
	const uint8_t *b;
	int room, err = 0;

	if (dec_span_read(sp, off, GO_PTR_SIZE, &addr, &v->truncated)) {
		dec_unavailable(v, REASON_BAD_MAP);
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
	hdr = dec_follow(d, addr, ids.header, 0, depth, true, v);
	if (!hdr)
		return 0;
	if (hdr->len < sizeof(w)) {
		dec_unavailable(v, REASON_SHORT_HEADER);
		return 0;
	}
	b = dec_rec_data(hdr);
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
		uint64_t dir = w[WORD(GO_SWISS_DIR_PTR)], n = w[WORD(GO_SWISS_DIR_LEN)], i,
			 prev = 0;
		const struct gt_rec *rec;

		if (b[GO_SWISS_WRITING])
			dec_cut_by(v, LIMIT_TORN);
		if (n == 0) {
			rec = dec_find_capture(d, dir, ids.bucket, ids.layout.bucket_size);
			if (rec && rec->status == GT_REC_OK) {
				struct span gs = dec_rec_span(rec);

				err = decode_slots(d, t, &ids, &gs, 0, depth, v, room);
			} else {
				dec_cut_by(v, dec_event_limit(d));
			}
		} else {
			struct chunks c = {
			    .d = d, .addr = dir, .n = n, .size = GO_PTR_SIZE, .type = ids.dir};
			struct span ds;
			uint64_t off;

			/* a table fills 2^(globalDepth - localDepth) entries in a row */
			for (i = 0; i < n && !err && chunk_elem(&c, i, v->u, &ds, &off, v); i++) {
				uint64_t table;

				memcpy(&table, ds.data + off, GO_PTR_SIZE);
				if (table && table != prev)
					err = decode_table(d, t, &ids, table, depth, v, room);
				prev = table;
			}
		}
	} else {
		uint64_t n = 1ULL << (b[GO_HMAP_B] & 63), old = w[WORD(GO_HMAP_OLDBUCKETS)];

		if (b[GO_HMAP_FLAGS] & GO_HMAP_WRITING)
			dec_cut_by(v, LIMIT_TORN);
		err = decode_buckets(d, t, &ids, w[WORD(GO_HMAP_BUCKETS)], n, v->u, depth, v, room);
		if (!err && old)
			err = decode_buckets(d, t, &ids, old,
					     b[GO_HMAP_FLAGS] & GO_HMAP_SAME_SIZE_GROW ? n : n / 2,
					     v->u, depth, v, room);
	}
	if ((uint64_t)v->n_children / 2 < v->u)
		dec_cut_by(v, (uint64_t)v->n_children / 2 >= d->max_elems ? LIMIT_ELEMS
									  : dec_event_limit(d));
	else if (v->cut != LIMIT_TORN)
		every_entry_found(v);
	return err;
}
