/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * decode/'s own: the decoder's state and the helpers its files share
 * (values, map entries, interfaces). Not for other folders.
 */
#ifndef GOTRACE_DECODE_INTERNAL_H
#define GOTRACE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "decode/decode.h"
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
	enum value_reason why;
};

/* Where a value's bytes are: a root image or a capture record's data. */
struct span {
	const uint8_t *data;
	uint64_t len;	 /* bytes present */
	/* why bytes past len are missing: a record shorter than its value is
	 * one that one read's cap cut (the budget takes all of a value or none) */
	enum value_reason cut;
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
	uint32_t max_string; /* 0: unknown */
	const struct gt_rec *roots[GT_MAX_OPS];
	struct capture *caps; /* open addressing by (addr, type) */
	uint32_t caps_cap;
};

const uint8_t *dec_rec_data(const struct gt_rec *rec);
void dec_unavailable(struct value *v, enum value_reason why);
/* Why a record holds no value, or REASON_NONE when it does. */
enum value_reason dec_status_failure(const struct gt_rec *rec, bool *truncated);
/* Why a pointer at DEPTH hops from the arguments has no capture. */
enum value_reason dec_missing(const struct decoder *d, uint32_t depth, bool *truncated);
/* The capture of ADDR as TYPE; with several, the one for a value of WANT
 * bytes (0: any). NULL when there is none. */
const struct gt_rec *dec_find_capture(const struct decoder *d, uint64_t addr, uint32_t type,
				      uint64_t want);
/* Copies SIZE bytes at OFF of a span and returns REASON_NONE, or says why
 * it cannot. */
enum value_reason dec_span_read(const struct span *sp, uint64_t off, uint64_t size, void *dst,
				bool *truncated);
struct span dec_rec_span(const struct gt_rec *rec);
/* The capture that the pointer ADDR at DEPTH leads to as type id TYPE, or
 * NULL with V final (not followed, not captured, unreadable). */
const struct gt_rec *dec_follow(const struct decoder *d, uint64_t addr, uint32_t type,
				uint64_t want, uint32_t depth, bool hop, struct value *v);
int dec_pointer(const struct decoder *d, const struct go_type *t, const struct span *sp,
		uint64_t off, uint32_t depth, struct value *v);
int dec_pointee(const struct decoder *d, const struct go_type *t, const struct gt_rec *rec,
		uint64_t addr, uint32_t depth, struct value *v);
int dec_value(const struct decoder *d, const struct go_type *t, const struct span *sp, uint64_t off,
	      uint32_t depth, struct value *v);
void dec_value_clear(struct value *v);
/* --print's m[key]: V, a map, becomes its entry's value, or says why none (select.c). */
void dec_select_entry(struct value *v, const struct plan_select *sel);

/* The limit the event's flags name: the budget, else the work limit. */
enum value_limit dec_event_limit(const struct decoder *d);
/* Which limit left a capture of GOT bytes, in units of UNIT bytes, short:
 * MAX units asked for at most (--max-string, --max-elems; 0: unknown),
 * one read's GT_READ_MAX bytes, or else the event's budget. */
enum value_limit dec_short_capture(const struct decoder *d, uint64_t got, uint64_t unit,
				   uint64_t max, enum value_limit by_count);
/* V was cut where it stands, by LIMIT unless a limit is named already. */
void dec_cut_by(struct value *v, enum value_limit limit);

/* iface.c: an interface value at OFF of SP. */
int dec_interface(const struct decoder *d, const struct go_type *t, const struct span *sp,
		  uint64_t off, uint32_t depth, struct value *v);
/* maps.c: a map value at OFF of SP. */
int dec_map(const struct decoder *d, const struct go_type *t, const struct span *sp, uint64_t off,
	    uint32_t depth, struct value *v);

#endif /* GOTRACE_DECODE_INTERNAL_H */
