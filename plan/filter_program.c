// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Around the compiler (filter.c): which conditions of a filter run at the
 * call and which at the return, the check every program passes before it
 * is stored, and -v's listing of a program.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "plan/filter.h"

/* The top-level operands of &&, in order; false when there are too many. */
static bool conjuncts(const struct filter_node *n, const struct filter_node **out, int *count)
{
	if (n->kind == FN_BINARY && n->op == FOP_AND)
		return conjuncts(n->a, out, count) && conjuncts(n->b, out, count);
	if (*count >= FILTER_MAX_CONJUNCTS)
		return false;
	out[(*count)++] = n;
	return true;
}

static const struct go_param *find_param(const struct go_func *func, const char *name)
{
	int i;

	for (i = 0; i < func->n_params; i++)
		if (func->params[i].name && !strcmp(func->params[i].name, name))
			return &func->params[i];
	return NULL;
}

/* Which of FUNC's parameters N names: bit 0 inputs, bit 1 results. A name
 * FUNC does not have counts as an input (the compiler says it is unknown). */
static int names_used(const struct filter_node *n, const struct go_func *func, int *first_col)
{
	const struct go_param *p;
	int used = 0;

	if (!n)
		return 0;
	if (n->kind == FN_IDENT) {
		p = find_param(func, n->name);
		used = p && p->is_result ? 2 : 1;
		if (used == 2 && first_col && !*first_col)
			*first_col = n->col;
		return used;
	}
	if (n->kind == FN_SELECTOR)
		return names_used(n->a, func, first_col);
	return names_used(n->a, func, first_col) | names_used(n->b, func, first_col);
}

bool filter_names_results(const struct filter_node *expr, const struct go_func *func)
{
	return names_used(expr, func, NULL) & 2;
}

int filter_compile_split(const struct filter_node *expr, const struct func_plan *entry,
			 const struct func_plan *ret, const struct plan_opts *opts,
			 struct gt_filter *call_out, struct gt_filter *ret_out,
			 struct filter_error *err)
{
	const struct filter_node *all[FILTER_MAX_CONJUNCTS], *call[FILTER_MAX_CONJUNCTS],
	    *at_ret[FILTER_MAX_CONJUNCTS];
	int n = 0, n_call = 0, n_ret = 0, i, used, col;

	memset(err, 0, sizeof(*err));
	if (!conjuncts(expr, all, &n)) {
		err->col = expr->col;
		snprintf(err->msg, sizeof(err->msg), "more than %d conditions joined by &&",
			 FILTER_MAX_CONJUNCTS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		col = 0;
		used = names_used(all[i], entry->func, &col);
		if (used == 3) {
			err->col = col;
			snprintf(err->msg, sizeof(err->msg),
				 "a condition cannot mix parameters (read at the call) and results "
				 "(read at the return): join them with && at the top");
			return -EINVAL;
		}
		if (used == 2 && !ret) {
			err->col = col;
			snprintf(err->msg, sizeof(err->msg),
				 "results are read at the return: trace returns (-r)");
			return -EINVAL;
		}
		if (used == 2)
			at_ret[n_ret++] = all[i];
		else
			call[n_call++] = all[i];
	}
	if (filter_compile_all(call, n_call, entry, opts, call_out, err))
		return -EINVAL;
	if (ret && filter_compile_all(at_ret, n_ret, ret, opts, ret_out, err))
		return -EINVAL;
	return 0;
}

/* What OP does to the stack's depth; into *NEED, the words it takes; -1:
 * not an op the compiler makes. */
static int op_effect(const struct gt_fop *op, int *need, int *delta)
{
	int two = op->flags & GT_FF_TWO ? 2 : 1;

	*need = 0;
	switch (op->kind) {
	case GT_F_REG:
	case GT_F_CONST:
		*delta = 1;
		return 0;
	case GT_F_STACK:
		*delta = two;
		return 0;
	case GT_F_LOAD:
		*need = 1;
		*delta = two - 1;
		return 0;
	case GT_F_STR:
		if (op->size > GT_FILTER_STR || op->imm + op->size > GT_FILTER_POOL ||
		    op->arg > GT_CMP_CONTAINS)
			return -1;
		/* fallthrough */
	case GT_F_CMP:
	case GT_F_INDEX:
	case GT_F_ASSERT:
		*need = 2;
		*delta = -1;
		return 0;
	case GT_F_NOT:
		*need = 1;
		*delta = 0;
		return 0;
	case GT_F_JZ:
	case GT_F_JNZ:
		*need = 1;
		*delta = -1;
		return 0;
	default:
		return -1;
	}
}

int filter_depth_before(const struct gt_filter *f, uint32_t n)
{
	int depth = 0, need, delta;
	uint32_t i;

	for (i = 0; i < n && i < f->n_ops && i < GT_FILTER_OPS; i++) {
		if (op_effect(&f->ops[i], &need, &delta) || depth < need)
			return -1;
		depth += delta;
	}
	return depth;
}

int filter_program_depth(const struct gt_filter *f)
{
	/* the depth each jump reaches its target with: the straight path
	 * must arrive there with the same */
	int at_target[GT_FILTER_OPS + 1];
	int depth = 0, max = 0, need, delta;
	uint32_t i;

	if (f->n_ops > GT_FILTER_OPS)
		return -1;
	for (i = 0; i <= f->n_ops; i++)
		at_target[i] = -1;
	for (i = 0; i < f->n_ops; i++) {
		const struct gt_fop *op = &f->ops[i];
		int reached = -1;

		if (at_target[i] >= 0 && at_target[i] != depth)
			return -1;
		if (op_effect(op, &need, &delta) || depth < need)
			return -1;
		switch (op->kind) {
		case GT_F_JZ:
		case GT_F_JNZ:
			/* the word stays on a jump and is popped on the way on */
			reached = depth;
			break;
		case GT_F_ASSERT:
			/* a failed assertion keeps `size` words and pushes 0 */
			if (op->size > depth - 2)
				return -1;
			reached = op->size + 1;
			break;
		}
		if (reached >= 0) {
			if (op->off <= (int32_t)i || op->off > (int32_t)f->n_ops)
				return -1;
			if (at_target[op->off] >= 0 && at_target[op->off] != reached)
				return -1;
			at_target[op->off] = reached;
		}
		depth += delta;
		if (depth > max)
			max = depth;
	}
	if (at_target[f->n_ops] >= 0 && at_target[f->n_ops] != depth)
		return -1;
	return depth == 1 ? max : -1;
}

static const char *const cmp_text[] = {"==", "!=", "<", "<=", ">", ">="};

void filter_describe(const struct gt_filter *f, FILE *out)
{
	static const char *const kinds[] = {"?",   "reg", "stack", "load", "const", "cmp",
					    "not", "jz",  "jnz",   "str",  "index", "assert"};
	uint32_t i;

	for (i = 0; i < f->n_ops && i < GT_FILTER_OPS; i++) {
		const struct gt_fop *op = &f->ops[i];

		fprintf(out, "  filter%u: %s", i, op->kind < 12 ? kinds[op->kind] : "?");
		switch (op->kind) {
		case GT_F_REG:
			fprintf(out, " %s>>%d", plan_reg_name(op->arg, false), op->off * 8);
			break;
		case GT_F_STACK:
			fprintf(out, " SP%+d", op->off);
			break;
		case GT_F_LOAD:
			fprintf(out, " [top%+d]", op->off);
			break;
		case GT_F_CONST:
			fprintf(out, " %lld", (long long)op->imm);
			break;
		case GT_F_JZ:
		case GT_F_JNZ:
			fprintf(out, " ->%d", op->off);
			break;
		case GT_F_INDEX:
			fprintf(out, " [%llu] < len", (unsigned long long)op->imm);
			break;
		case GT_F_ASSERT:
			fprintf(out, " %s == %#llx+bias, else keep %d, push 0, ->%d",
				op->flags & GT_FF_ITAB ? "itab._type" : "type",
				(unsigned long long)op->imm, op->size, op->off);
			break;
		case GT_F_CMP:
		case GT_F_STR:
			fprintf(out, " %s",
				op->arg == GT_CMP_PREFIX     ? "prefix"
				: op->arg == GT_CMP_SUFFIX   ? "suffix"
				: op->arg == GT_CMP_CONTAINS ? "contains"
				: op->arg <= GT_CMP_GE	     ? cmp_text[op->arg]
							     : "?");
			if (op->kind == GT_F_STR)
				fprintf(out, " \"%.*s\"", op->size,
					(const char *)f->pool + op->imm);
			break;
		}
		if (op->kind == GT_F_REG || op->kind == GT_F_STACK || op->kind == GT_F_LOAD)
			fprintf(out, " %s%s%s", op->flags & GT_FF_TWO ? "16 bytes" : "",
				op->flags & GT_FF_TWO ? "" : (op->flags & GT_FF_SIGNED ? "s" : "u"),
				op->flags & GT_FF_TWO ? ""
				: op->size == 1	      ? "8"
				: op->size == 2	      ? "16"
				: op->size == 4	      ? "32"
						      : "64");
		fputc('\n', out);
	}
}
