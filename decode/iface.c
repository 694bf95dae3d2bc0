// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Interface values: the dynamic type from the type word (or the itab's),
 * then the value, in the data word itself when it is pointer-shaped, else
 * the capture behind it, as the BPF side's scan_interface took it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "decode/internal.h"
#include "plan/types.h"

int dec_interface(const struct decoder *d, const struct go_type *t, const struct span *sp,
			    uint64_t off, uint32_t depth, struct value *v)
{
	uint64_t words[WORD(GO_IFACE_SIZE)], type_addr;
	const struct gt_rec *rec;
	const struct go_type *dyn;
	enum value_reason why;
	bool cut = false;
	int err;

	why = dec_span_read(sp, off, sizeof(words), words, &v->truncated);
	if (why) {
		dec_unavailable(v, why);
		return 0;
	}
	if (!words[0]) {
		v->kind = VAL_NIL;
		return 0;
	}
	type_addr = words[0];
	if (!t->is_empty_interface) {
		rec = depth < d->max_depth ? dec_find_capture(d, words[0], GT_TYPE_ITAB, 0) : NULL;
		why = !rec ? dec_missing(d, depth, &cut) : dec_status_failure(rec, &cut);
		if (!why && rec->len < 2 * GO_PTR_SIZE)
			why = REASON_MALFORMED;
		if (why) {
			v->truncated |= cut;
			dec_unavailable(v, why);
			return 0;
		}
		memcpy(&type_addr, dec_rec_data(rec) + GO_ITAB_TYPE, GO_PTR_SIZE);
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
		dec_unavailable(v->children, REASON_NO_DYNAMIC);
		return 0;
	}
	if (dyn->kind == GO_INVALID)
		return dec_value(d, dyn, sp, off, depth, v->children);
	if (depth >= d->max_depth) {
		dec_unavailable(v->children, dec_missing(d, depth, &v->truncated));
		return 0;
	}
	if (type_is_direct(dyn)) {
		/* the data word is the value */
		err = dec_value(d, dyn, sp, off + GO_IFACE_DATA, depth, v->children);
	} else if (!words[1]) {
		dec_unavailable(v->children, REASON_NIL_DATA);
		return 0;
	} else {
		uint32_t id = type_table__find(d->types, dyn);

		/* a type without a program: the bytes behind the data word */
		rec = dec_follow(d, words[1], id ? id : GT_TYPE_RAW, id ? dyn->size : 0, depth,
				 true, v->children);
		if (!rec) {
			if (v->children->kind == VAL_POINTER_UNFOLLOWED)
				dec_unavailable(v->children, v->children->reason);
			v->truncated |= v->children->truncated;
			return 0;
		}
		err = dec_pointee(d, dyn, rec, words[1], depth + 1, v->children);
	}
	v->truncated |= v->children->truncated;
	return err;
}
