// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The words for what the decoder could not show: the limits that cut
 * values (docs/json.md's "cut" tags) and the reasons a value is missing.
 * The decoder hands both over as enums (decode/decode.h); only here do
 * they become words, so rewording a reason never changes a tag.
 */
#include "output/internal.h"

#define STRINGIFY(x) #x
#define NUMBER(x) STRINGIFY(x)

const char *limit_name(enum value_limit limit)
{
	switch (limit) {
	case LIMIT_STRING:
		return "string";
	case LIMIT_ELEMS:
		return "elems";
	case LIMIT_READ:
		return "read";
	case LIMIT_BUDGET:
		return "budget";
	case LIMIT_OPS:
		return "ops";
	case LIMIT_TORN:
		return "torn";
	case LIMIT_DEPTH:
		return "depth";
	default:
		return "cut";
	}
}

const char *reason_words(const struct value *v)
{
	switch (v->reason) {
	case REASON_NONE:
		return NULL;
	case REASON_DEPTH:
		return "not followed: --max-depth reached";
	case REASON_BUDGET:
		return "cut by the per-event capture budget (--max-event)";
	case REASON_BUDGET_GONE:
		return "not captured: the per-event capture budget ran out (--max-event)";
	case REASON_OPS:
		return "not captured: the capture's work limit ran out";
	case REASON_READ:
		return "past the " NUMBER(GT_READ_MAX) " bytes of one read";
	case REASON_CYCLE:
		return "cycle";
	case REASON_NOT_CAPTURED:
		return "not captured";
	case REASON_NIL_ADDRESS:
		return "nil address";
	case REASON_UNREADABLE:
		return "unreadable address";
	case REASON_INDEX_RANGE:
		return "index out of range";
	case REASON_ASSERT:
		return "the interface holds another type";
	case REASON_ABSENT:
		return "absent from the map";
	case REASON_MAP_CUT:
		return "not among the map's entries read (--max-elems)";
	case REASON_MALFORMED:
		return "malformed record";
	case REASON_BAD_POINTER:
		return "unreadable pointer";
	case REASON_BAD_MAP:
		return "unreadable map pointer";
	case REASON_BAD_SLOT:
		return "unreadable slot";
	case REASON_SHORT_HEADER:
		return "cut by a capture limit";
	case REASON_NO_TYPE:
		return "DWARF gives no type";
	case REASON_UNKNOWN_TYPE:
		return "its type is unknown";
	case REASON_NO_LAYOUT:
		return "its layout is not known without DWARF (see --debug-file)";
	case REASON_UNSUPPORTED:
		return "decoding this type is not supported yet";
	case REASON_INT_SIZE:
		return "unexpected integer size";
	case REASON_FLOAT_SIZE:
		return "unexpected float size";
	case REASON_NO_DYNAMIC:
		return "no type for its runtime type descriptor";
	case REASON_NIL_DATA:
		return "nil data";
	case REASON_XMM_PENDING:
		return "passed in a float register: the signal frame that was to carry it never "
		       "came";
	case REASON_XMM_LATE:
		return "passed in a float register: the signal frame that came was not at the "
		       "probe (a late or foreign signal)";
	case REASON_XMM_CLOBBERED:
		return "passed in a float register that the probed instruction overwrites";
	case REASON_XMM_UNREADABLE:
		return "passed in a float register: the signal frame was unreadable";
	case REASON_XMM_UNSAVED:
		return "passed in a float register, which uprobes cannot read (the kernel had no "
		       "saved copy at the probe, and no signal was sent)";
	case REASON_PLAN:
		return v->detail;
	}
	return NULL;
}

const char *unavailable_words(const struct value *v)
{
	const char *words = reason_words(v);

	return words ? words : "unknown";
}

/* Whether V is a value the decoder could not read or follow, for a reason
 * that may be a limit: a cycle is none. */
static bool is_missing(const struct value *v)
{
	return (v->kind == VAL_POINTER_UNFOLLOWED && v->reason != REASON_CYCLE) ||
	       v->kind == VAL_UNAVAILABLE;
}

const char *reason_limit(const struct value *v)
{
	enum value_limit limit;

	if (v->kind == VAL_POINTER_UNFOLLOWED && v->reason == REASON_CYCLE)
		return "cycle";
	if (!is_missing(v))
		return NULL;
	limit = value_reason_limit(v->reason);
	return limit == LIMIT_NONE ? NULL : limit_name(limit);
}

unsigned value_cuts(const struct value *v)
{
	unsigned mask = 0;
	int i;

	if (v->cut != LIMIT_NONE)
		mask |= 1u << v->cut;
	if (is_missing(v) && value_reason_limit(v->reason) != LIMIT_NONE)
		mask |= 1u << value_reason_limit(v->reason);
	for (i = 0; i < v->n_children; i++)
		mask |= value_cuts(&v->children[i]);
	return mask;
}

enum value_limit value_first_cut(const struct value *v)
{
	enum value_limit limit;
	int i;

	if (is_missing(v))
		return value_reason_limit(v->reason);
	for (i = 0; i < v->n_children; i++)
		if ((limit = value_first_cut(&v->children[i])) != LIMIT_NONE)
			return limit;
	return v->cut;
}
