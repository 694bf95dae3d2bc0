/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * decode/: a raw event and its function's plan in, Go values out, for
 * output/ to print. Nothing here prints.
 */
#ifndef GOTRACE_DECODE_H
#define GOTRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "plan/plan.h"

enum value_kind {
	VAL_UNAVAILABLE, /* reason says why */
	VAL_NIL,	 /* nil pointer */
	VAL_BOOL,
	VAL_INT,
	VAL_UINT,
	VAL_FLOAT,		/* f[0] */
	VAL_COMPLEX,		/* f[0] real, f[1] imaginary */
	VAL_STRING,		/* bytes as captured */
	VAL_POINTER,		/* one child: the pointee */
	VAL_POINTER_UNFOLLOWED, /* not followed (depth or op budget): the address */
	VAL_STRUCT,		/* children: fields, in order */
	VAL_ARRAY,		/* children: elements; also slices */
	VAL_MAP,       /* u: length; with has_entries, children: key, value, key, value... */
	VAL_CHAN,      /* u: length, len: capacity */
	VAL_FUNC,      /* u: entry PC; bytes: the function's name, when known */
	VAL_INTERFACE, /* u: type descriptor; dynamic: its type; one child: the value */
};

/* The limit that cut a value where it stands (docs/json.md names them). */
enum value_limit {
	LIMIT_NONE,
	LIMIT_STRING, /* --max-string */
	LIMIT_ELEMS,  /* --max-elems (map buckets and groups too) */
	LIMIT_READ,   /* one read's GT_READ_MAX bytes */
	LIMIT_BUDGET, /* --max-event, the per-event capture budget */
	LIMIT_OPS,    /* the scan's work limit (GT_MAX_STEPS, GT_QUEUE) */
	LIMIT_TORN,   /* a map written while it was read */
	LIMIT_DEPTH,  /* --max-depth: only of values not read or followed (REASON_DEPTH) */
};

/*
 * Why a value is not there to show: VAL_UNAVAILABLE, or VAL_POINTER_UNFOLLOWED
 * (its address shown instead). A value, not words: output/ words each, and
 * value_reason_limit() says which limit, if any, is to blame.
 */
enum value_reason {
	REASON_NONE, /* an unfollowed pointer shown as a bare address */
	/* a limit is to blame */
	REASON_DEPTH,	    /* not followed: --max-depth */
	REASON_BUDGET,	    /* the record the budget (--max-event) left empty */
	REASON_BUDGET_GONE, /* not captured: the budget ran out before it */
	REASON_OPS,	    /* not captured: the capture's work limit ran out */
	REASON_READ,	    /* past one read's GT_READ_MAX bytes */
	/* none is */
	REASON_CYCLE,	     /* a pointer back to a pointee being shown */
	REASON_NOT_CAPTURED, /* the capture has no record of it, for no limit */
	REASON_NIL_ADDRESS,  /* GT_REC_NIL */
	REASON_UNREADABLE,   /* GT_REC_FAULT: an unreadable address */
	REASON_INDEX_RANGE,  /* GT_REC_RANGE: --print's index past the slice's length */
	REASON_ASSERT,	     /* GT_REC_ASSERT: --print's type assertion does not hold */
	REASON_ABSENT,	     /* --print's m[key]: the map has no such key */
	REASON_MAP_CUT,	     /* --print's m[key]: not among the entries read (--max-elems) */
	REASON_MALFORMED,    /* a record of a status or length that makes no sense */
	REASON_BAD_POINTER,  /* a channel's or func value's pointer could not be read */
	REASON_BAD_MAP,	     /* a map's pointer could not be read */
	REASON_BAD_SLOT,     /* a map slot's pointer to its key or elem */
	REASON_SHORT_HEADER, /* a captured header shorter than the words read of it */
	REASON_NO_TYPE,	     /* DWARF gives the argument no type */
	REASON_UNKNOWN_TYPE, /* a field or element without a type */
	REASON_NO_LAYOUT,    /* GO_INVALID: not known without DWARF */
	REASON_UNSUPPORTED,  /* a kind of type the decoder does not decode */
	REASON_INT_SIZE,     /* an integer of a size Go has none of */
	REASON_FLOAT_SIZE,   /* a float likewise */
	REASON_NO_DYNAMIC,   /* an interface's type descriptor names no known type */
	REASON_NIL_DATA,     /* an interface's data word is nil where it must not be */
	/* passed in an X register (bpf/gotrace.h, gt_parked), which... */
	REASON_XMM_PENDING,    /* ...a signal frame was to carry, and never did */
	REASON_XMM_LATE,       /* ...a signal frame carried, but not at the probe */
	REASON_XMM_CLOBBERED,  /* ...the probed instruction overwrites */
	REASON_XMM_UNREADABLE, /* ...a signal frame carried, unreadable */
	REASON_XMM_UNSAVED,    /* ...the kernel had no saved copy of, and no signal came */
	REASON_PLAN,	       /* the plan left the argument out: detail has plan/'s words */
};

/* The limit that REASON blames, or LIMIT_NONE. */
enum value_limit value_reason_limit(enum value_reason reason);

struct value {
	enum value_kind kind;
	const struct go_type *type;
	bool truncated; /* a limit cut this value or something inside it */
	/* VAL_STRING, VAL_ARRAY, VAL_MAP: the limit that cut this value itself
	 * (fewer bytes, elements or entries than it has), or LIMIT_NONE */
	enum value_limit cut;
	uint64_t count;	  /* VAL_STRING: bytes, VAL_ARRAY: elements, that the value has */
	bool has_entries; /* VAL_MAP: its entries were read (some, if truncated) */
	union {
		bool b;
		int64_t i;
		uint64_t u; /* also the address of an unfollowed pointer */
		double f[2];
	};
	char *bytes; /* VAL_STRING */
	size_t len;
	enum value_reason reason;      /* VAL_UNAVAILABLE, VAL_POINTER_UNFOLLOWED */
	const char *detail;	       /* REASON_PLAN: the plan's own (plan_arg.unavailable) */
	const struct go_type *dynamic; /* VAL_INTERFACE, when the descriptor is known */
	struct value *children;
	int n_children;
};

struct decoded_arg {
	const char *name;
	const struct go_type *type;
	struct value value;
};

struct call_stack;

struct decoded_event {
	const struct gt_event *raw;
	const struct func_plan *plan;
	const struct call_stack *stack; /* --stack: set by the caller, or NULL */
	struct decoded_arg *args;
	int n_args;
};

/* Names the function whose entry is PC (func values), or NULL. */
typedef const char *(*decode_symbolize_fn)(void *ctx, uint32_t pid, uint64_t pc);
/* The Go type whose runtime type descriptor is at ADDR (interfaces), or NULL.
 * Both take run-time addresses of process PID (relocated, for PIE). */
typedef const struct go_type *(*decode_type_fn)(void *ctx, uint32_t pid, uint64_t addr);

struct decode_opts {
	decode_symbolize_fn symbolize;
	decode_type_fn type_at;
	void *ctx;	     /* for both */
	uint32_t max_string; /* --max-string, to name the limit that cut a string; 0: unknown */
};

/* Decodes EV (header plus `records`) with PLAN. Returns 0 or a negative
 * errno (-EINVAL for a malformed event). OPTS may be NULL. */
int decode_event(const struct func_plan *plan, const struct gt_event *ev, const void *records,
		 const struct decode_opts *opts, struct decoded_event *out);
void decoded_event__clear(struct decoded_event *de);

#endif /* GOTRACE_DECODE_H */
