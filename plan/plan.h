/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * plan/: where each argument of a Go function lives at its entry under Go's
 * amd64 calling convention, and what to dereference to show it. The output
 * is a gt_plan (ops for the BPF program) plus, for the decoder, a map from
 * each argument to the records that hold its bytes.
 *
 * The decoder's view is a set of blobs. A blob is one memory image:
 *  - an op-backed blob is the data of one record: a stack argument, a
 *    pointee, or a string's bytes;
 *  - a register blob is an argument assembled from register pieces, each
 *    piece being the low `size` bytes of one REG record placed at `offset`
 *    in the argument's in-memory layout (float pieces have no op: uprobes
 *    cannot see X registers).
 * A blob's refs say which blob holds what a pointer or string header at a
 * given offset points to.
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

struct plan_opts {
	uint32_t max_string; /* bytes of a string captured */
	int max_depth;	     /* pointer hops followed */
	uint32_t max_elems;  /* slice and array elements captured */
	bool stack_abi;	     /* the binary predates Go 1.17: every function uses ABI0 */
	bool results;	     /* plan the results, as they are at a RET, not the inputs */
	bool swiss_maps;     /* Go 1.24+: maps are Swiss tables, shown by length */
};

struct plan_piece {
	int op;	 /* REG op, or PLAN_NO_OP for a float register */
	int reg; /* enum gt_reg, or the X register number for floats */
	bool is_float;
	uint32_t offset; /* where the piece goes in the argument's layout */
	uint32_t size;
};

struct plan_ref {
	uint64_t offset; /* of the pointer or string header in the blob */
	int blob;	 /* the blob holding its target */
};

struct plan_blob {
	int op; /* the record holding this image, or PLAN_NO_OP for a register blob */
	struct plan_piece *pieces;
	int n_pieces;
	struct plan_ref *refs;
	int n_refs;
};

struct plan_arg {
	const struct go_param *param;
	int blob;		 /* -1 when unavailable */
	const char *unavailable; /* why, when blob < 0 */
	bool on_stack;
	int64_t stack_offset; /* from SP at entry, when on_stack */
};

struct func_plan {
	const struct go_func *func;
	struct gt_plan bpf;
	struct plan_arg *args; /* inputs (or results with opts.results), in order */
	int n_args;
	struct plan_blob *blobs;
	int n_blobs;
	bool ops_exhausted; /* some pointers were not followed: no ops left */
	uint32_t max_elems; /* elements shown of a slice or array */
	/* a shaped generic's dictionary, never shown: its register, or -1
	 * (none, or at dict_stack_offset from SP at entry) */
	int dict_reg;
	int64_t dict_stack_offset;
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
