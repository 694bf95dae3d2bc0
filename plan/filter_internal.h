/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside the filter compiler: filter.c (operators, conditions, the
 * program) and filter_places.c (where values are: parameters, fields,
 * pointees, elements, lengths, type assertions) share these.
 */
#ifndef GOTRACE_FILTER_INTERNAL_H
#define GOTRACE_FILTER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "plan/filter.h"
#include "symbols/symbols.h"

enum loc {
	LOC_REGS,  /* in the argument's register pieces */
	LOC_STACK, /* in the argument's stack slot */
	LOC_MEM,   /* at the address on top of the program's stack */
	LOC_WORD,  /* the word on top of the program's stack (a pointer-shaped
		    * value out of an interface) */
};

struct place {
	const struct go_type *type;
	const struct plan_arg *arg;
	enum loc loc;
	uint64_t off;
};

/* What an operand is, once checked. */
enum vclass {
	V_BOOL,	      /* a word, 0 or 1, emitted */
	V_INT,	      /* a word, emitted; type_name, is_signed */
	V_STRING,     /* two words (pointer, length), emitted; bytes: a []byte's */
	V_PLACE,      /* a place, nothing emitted yet */
	V_CONST_INT,  /* u, negative */
	V_CONST_BOOL, /* u */
	V_CONST_STR,  /* str, len */
	V_NIL,
};

struct operand {
	enum vclass cls;
	struct place place;
	const char *type_name; /* V_INT */
	int size;	       /* V_INT: bytes */
	bool is_signed;	       /* V_INT */
	uint64_t u;
	bool negative;
	const char *str;
	size_t len;
	bool bytes; /* V_STRING: a []byte's data and len; V_CONST_STR: []byte("...") */
};

struct compiler {
	const struct func_plan *plan;
	const struct plan_opts *opts; /* type assertions' types; may be NULL */
	struct gt_filter *f;
	uint32_t pool_used;
	struct filter_error *err;
	bool failed;
	/* the GT_F_ASSERT ops of the open scopes, innermost last */
	uint32_t asserts[GT_FILTER_OPS];
	int n_asserts;
	int scopes; /* open */
};

extern struct go_type fc_string_type, fc_byte_type;

/* filter.c */
void fc_fail(struct compiler *c, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct gt_fop *fc_emit(struct compiler *c, int col, uint8_t kind);
bool fc_is_int_kind(enum go_kind k);
bool fc_is_signed_kind(enum go_kind k);
const char *fc_type_name(const struct go_type *t);
/* Pushes SIZE bytes (two words with TWO) of the value at P, EXTRA past it. */
void fc_load(struct compiler *c, int col, const struct place *p, uint64_t extra, int size,
	     bool is_signed, bool two);
const char *fc_class_name(const struct operand *v);
/* Type-checks N into OUT, emitting what it needs. */
void fc_check(struct compiler *c, const struct filter_node *n, struct operand *out);

/* filter_places.c */
const struct plan_arg *fc_find_arg(const struct func_plan *plan, const char *name);
void fc_unknown_parameter(struct compiler *c, const struct filter_node *n);
void fc_check_selector(struct compiler *c, const struct filter_node *n, struct operand *out);
/* A place used as a value: a scalar or a string, loaded now. */
void fc_use_value(struct compiler *c, int col, struct operand *v);
void fc_check_len(struct compiler *c, const struct filter_node *n, struct operand *out);
void fc_check_deref(struct compiler *c, const struct filter_node *n, struct operand *out);
void fc_check_index(struct compiler *c, const struct filter_node *n, struct operand *out);
void fc_check_string_of(struct compiler *c, const struct filter_node *n, struct operand *out);
void fc_check_bytes_of(struct compiler *c, const struct filter_node *n, struct operand *out);
void fc_check_assert(struct compiler *c, const struct filter_node *n, struct operand *out);

#endif /* GOTRACE_FILTER_INTERNAL_H */
