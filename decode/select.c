// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --print's m[key]: the map is captured as any map is, and the decoder
 * chooses its entry (plan/plan.h, struct plan_select).
 */
#include <string.h>
#include "decode/internal.h"

/* Whether map key K is SEL's key. */
static bool key_is(const struct value *k, const struct plan_select *sel)
{
	switch (k->kind) {
	case VAL_STRING:
		return sel->is_string && k->cut == LIMIT_NONE && k->len == sel->len &&
		       !memcmp(k->bytes, sel->str, sel->len);
	case VAL_INT:
		return !sel->is_string && (sel->negative ? k->i == -(int64_t)sel->u
							 : k->i >= 0 && (uint64_t)k->i == sel->u);
	case VAL_UINT:
		return !sel->is_string && !sel->negative && k->u == sel->u;
	case VAL_BOOL:
		return !sel->is_string && k->b == (sel->u != 0);
	default:
		return false;
	}
}

/* --print's m[key]: V, the map, becomes the entry's value; absent, or
 * not among the entries read, says which. */
void dec_select_entry(struct value *v, const struct plan_select *sel)
{
	struct value map = *v, found = {0};
	bool have = false;
	int i;

	if (v->kind == VAL_UNAVAILABLE)
		return;
	for (i = 0; v->kind == VAL_MAP && i + 1 < v->n_children && !have; i += 2) {
		if (!key_is(&v->children[i], sel))
			continue;
		found = v->children[i + 1];
		memset(&v->children[i + 1], 0, sizeof(v->children[i + 1]));
		have = true;
	}
	memset(v, 0, sizeof(*v));
	v->type = sel->elem;
	if (have) {
		*v = found;
	} else if (map.kind == VAL_MAP && (map.cut != LIMIT_NONE || !map.has_entries) && map.u) {
		dec_unavailable(v, REASON_MAP_CUT);
		v->truncated = true;
	} else {
		dec_unavailable(v, REASON_ABSENT);
	}
	dec_value_clear(&map);
}

