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
	LIMIT_DEPTH,  /* --max-depth: only in reasons, of pointers not followed */
};

struct value {
	enum value_kind kind;
	const struct go_type *type;
	bool truncated;	  /* a limit cut this value or something inside it */
	/* VAL_STRING, VAL_ARRAY, VAL_MAP: the limit that cut this value itself
	 * (fewer bytes, elements or entries than it has), or LIMIT_NONE */
	enum value_limit cut;
	uint64_t count; /* VAL_STRING: bytes, VAL_ARRAY: elements, that the value has */
	bool has_entries; /* VAL_MAP: its entries were read (some, if truncated) */
	bool is_cycle;	  /* VAL_POINTER_UNFOLLOWED: back to a pointee being shown */
	union {
		bool b;
		int64_t i;
		uint64_t u; /* also the address of an unfollowed pointer */
		double f[2];
	};
	char *bytes; /* VAL_STRING */
	size_t len;
	const char *reason;	       /* VAL_UNAVAILABLE, VAL_POINTER_UNFOLLOWED */
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
