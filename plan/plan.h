/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * plan/: where each argument of a Go function lives at its entry under Go's
 * amd64 calling convention. The output is a gt_plan of root ops for the BPF
 * program (an argument's integer registers assembled into its image, its X
 * registers, its stack slot), each naming the type program (plan/types.h)
 * that follows what the value points to; and for the decoder, which
 * records hold each argument.
 */
#ifndef GOTRACE_PLAN_H
#define GOTRACE_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "symbols/symbols.h"

/* An op index that is none: a float register's piece, a register blob.
 * Never a return value beside negative errnos. */
#define PLAN_NO_OP (-1)

struct type_table;

struct plan_opts {
	int max_depth;		   /* pointer hops followed */
	bool stack_abi;		   /* the binary predates Go 1.17: every function uses ABI0 */
	bool results;		   /* plan the results, as they are at a RET, not the inputs */
	struct type_table *types;  /* where the arguments' types get their programs */
	/* --print's type assertions: types by name in TYPES_BIN (the binary,
	 * or --debug-file), their descriptors' addresses in BIN */
	const struct gobin *bin;
	const struct gobin *types_bin;
};

/* A register piece of an argument: an integer register's low `size` bytes
 * inside the op's image, or an X register in an op of its own. */
struct plan_piece {
	int op;	 /* the REGS op holding it, or the XMM op */
	int reg; /* enum gt_reg, or the X register number for floats */
	bool is_float;
	uint32_t offset; /* where the piece goes in the argument's layout */
	uint32_t size;
};

/* --print's m[key]: the map is captured as any map is, and its one entry
 * chosen at decode (the key's hash is seeded per process). */
struct plan_select {
	const struct go_type *elem; /* the value shown: the entry's */
	bool is_string;
	char *str; /* a string key's bytes */
	size_t len;
	uint64_t u;    /* an integer or bool key */
	bool negative; /* an integer key below 0: -u */
};

struct plan_arg {
	const struct go_param *param;
	bool available;		 /* else unavailable says why */
	const char *unavailable;
	int op;			 /* the REGS or STACK record of its image, or PLAN_NO_OP */
	struct plan_piece *pieces; /* register pieces (none on the stack) */
	int n_pieces;
	uint32_t type_id; /* its type's id in the type table, 0: none */
	bool on_stack;
	int64_t stack_offset; /* from SP at entry, when on_stack */
	struct plan_select *select; /* --print's m[key], or NULL */
};

struct func_plan {
	const struct go_func *func;
	struct gt_plan bpf;
	struct plan_arg *args; /* inputs (or results with opts.results), in order */
	int n_args;
	const struct type_table *types;
	bool ops_exhausted; /* some arguments were not planned: no ops left */
	/* a shaped generic's dictionary, never shown: its register, or -1
	 * (none, or at dict_stack_offset from SP at entry) */
	int dict_reg;
	int64_t dict_stack_offset;
	/* --print (plan/print.h): the args are the expressions, each named by
	 * its text; their params are owned here */
	bool prints;
	struct go_param *owned_params;
};

/* Plans FUNC's arguments. Returns 0 or a negative errno; on error errbuf
 * says why. */
int plan_func(const struct go_func *func, const struct plan_opts *opts, struct func_plan **out,
	      char *errbuf, size_t errlen);
void func_plan__free(struct func_plan *plan);

/* -v: one line per argument naming its registers or stack slot, then the
 * op list. */
void plan_describe(const struct func_plan *plan, FILE *out);

/* A register's name, for narration: "RAX", "X3". */
const char *plan_reg_name(int reg, bool is_float);

#endif /* GOTRACE_PLAN_H */
