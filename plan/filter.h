/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Filters: a Go-like boolean expression over a function's parameters, by
 * their names (--filter, or "if EXPR" after a functions file's signature),
 * parsed once (filter_parse.c), then type-checked against each traced
 * function's parameters and compiled to the stack program the BPF side
 * runs before it captures anything (filter.c; bpf/gotrace.h, gt_filter),
 * its conditions split between the call and the return, and the program
 * checked (filter_program.c).
 *
 *   r.URL.Path == "/api" && len(r.Header) > 2 || !ok
 *   strings.HasPrefix(name, "user-") && id >= 10 && p != nil
 *   *p > 3 && xs[1] == "a" && key == "foo" && err.(*main.E).Code == 7
 *
 * Errors carry the 1-based column of the token at fault.
 */
#ifndef GOTRACE_FILTER_H
#define GOTRACE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "plan/plan.h"

#define FILTER_MAX_TEXT 4096 /* bytes of an expression */
#define FILTER_MAX_NESTING 64
#define FILTER_MAX_CONJUNCTS 32 /* operands of the top-level && */

enum filter_node_kind {
	FN_IDENT,    /* name */
	FN_SELECTOR, /* a.name */
	FN_INT,	     /* u, negative */
	FN_STRING,   /* str, len */
	FN_BOOL,     /* u: 0 or 1 */
	FN_NIL,
	FN_NOT,	      /* !a */
	FN_BINARY,    /* a op b */
	FN_LEN,	      /* len(a) */
	FN_MATCH,     /* strings.HasPrefix(a, b), and the calls like it: name is
		       * the function as written, u its enum gt_cmp */
	FN_DEREF,     /* *a */
	FN_INDEX,     /* a[b] */
	FN_STRING_OF, /* string(a): a []byte's bytes as a string */
	FN_ASSERT,    /* a.(T): str is T as written */
	FN_BYTES_OF,  /* []byte(a) */
};

enum filter_op {
	FOP_EQ,
	FOP_NE,
	FOP_LT,
	FOP_LE,
	FOP_GT,
	FOP_GE,
	FOP_AND,
	FOP_OR,
};

struct filter_node {
	enum filter_node_kind kind;
	int col; /* 1-based column of its first token; of the operator for FN_BINARY,
		  * of the field's name for FN_SELECTOR */
	enum filter_op op;
	char *name;
	uint64_t u;    /* FN_INT: the magnitude; FN_BOOL; FN_MATCH */
	bool negative; /* FN_INT */
	char *str;     /* FN_STRING: its bytes (may hold NULs) */
	size_t len;
	struct filter_node *a, *b;
};

struct filter_error {
	int col; /* 1-based; 0: none */
	char msg[256];
};

/* Parses TEXT; NULL with ERR filled on a syntax error or out of memory. */
struct filter_node *filter_parse(const char *text, struct filter_error *err);

/* --print's expressions, separated by commas, each with its text as written. */
#define FILTER_MAX_LIST 32
struct filter_list {
	struct filter_node *nodes[FILTER_MAX_LIST];
	char *texts[FILTER_MAX_LIST];
	int n;
};

/* Parses TEXT into OUT. Returns 0, or -EINVAL with ERR filled. */
int filter_parse_list(const char *text, struct filter_list *out, struct filter_error *err);
void filter_list__clear(struct filter_list *l);
void filter_node__free(struct filter_node *n);

/*
 * Compiles EXPR against PLAN's arguments (an entry plan: its inputs) into
 * OUT (flags GT_FILTER_ON). Type assertions look their types up by name
 * in OPTS->types_bin, their descriptors' addresses in OPTS->bin (OPTS
 * NULL, or no types_bin: an assertion is an error). Returns 0, or -EINVAL
 * with ERR filled: an unknown parameter, a type error, a value the BPF
 * side cannot reach (an X register), or a program too long.
 */
int filter_compile(const struct filter_node *expr, const struct func_plan *plan,
		   const struct plan_opts *opts, struct gt_filter *out, struct filter_error *err);

/* NODES joined by &&, short-circuited (each false one jumps to the end),
 * compiled against PLAN into OUT; N 0 makes an empty program (flags 0).
 * Returns as filter_compile does. */
int filter_compile_all(const struct filter_node *const *nodes, int n, const struct func_plan *plan,
		       const struct plan_opts *opts, struct gt_filter *out,
		       struct filter_error *err);

/* Whether EXPR names one of FUNC's results: it decides at the return. */
bool filter_names_results(const struct filter_node *expr, const struct go_func *func);

/*
 * EXPR's top-level && operands split between the call and the return:
 * those that name results (err != nil, ~r0 > 100) compiled against RET,
 * the return plan, into RET_OUT, the others against ENTRY into CALL_OUT.
 * Either may end up empty (flags 0). An operand naming both parameters
 * and results, or results without RET, is an error.
 */
int filter_compile_split(const struct filter_node *expr, const struct func_plan *entry,
			 const struct func_plan *ret, const struct plan_opts *opts,
			 struct gt_filter *call_out, struct gt_filter *ret_out,
			 struct filter_error *err);

/* The most words F's program holds on its stack at once, or -1 when it
 * is not one the compiler makes: a pop from an empty stack, a jump that is
 * not forward within it or reaches its target with another depth than the
 * straight path does, a literal outside the pool, or an end with other
 * than one word. */
int filter_program_depth(const struct gt_filter *f);

/* The words on F's stack before its op N along the straight path (no
 * jump taken); -1 when the ops before it are not the compiler's. */
int filter_depth_before(const struct gt_filter *f, uint32_t n);

/* -v: the program, one op a line. */
void filter_describe(const struct gt_filter *f, FILE *out);

#endif /* GOTRACE_FILTER_H */
