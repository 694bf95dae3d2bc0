// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's amd64 register ABI (cmd/compile/abi-internal.md), applied to one
 * function's arguments: the root ops that copy each argument, and the type
 * programs (plan/types.c) that follow what it points to.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plan/plan.h"
#include "plan/types.h"
#include "symbols/goruntime.h"

/* A REG op's reg is an ABI position: the BPF side's registers must start
 * with the ABI's integer ones, in ABI order. */
_Static_assert(GT_REG_R11 + 1 == GO_ABI_INT_REGS, "enum gt_reg starts with the ABI's registers");

struct planner {
	struct func_plan *plan;
	const struct plan_opts *opts;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	if (a <= 1)
		return v;
	return (v + a - 1) / a * a;
}

static int add_op(struct planner *p, const struct gt_op *op)
{
	struct gt_plan *bpf = &p->plan->bpf;

	if (bpf->n_ops >= GT_MAX_OPS) {
		p->plan->ops_exhausted = true;
		return PLAN_NO_OP;
	}
	bpf->ops[bpf->n_ops] = *op;
	return bpf->n_ops++;
}

/*
 * Register assignment of one value, recursively, as the ABI's
 * "register-assign V" steps. Pieces are collected into `out` without ops;
 * the caller commits them only if the whole value fits.
 */
struct reg_state {
	int ints;
	int floats;
	struct plan_piece pieces[64];
	int n_pieces;
};

static bool push_piece(struct reg_state *rs, bool is_float, uint64_t offset, uint64_t size)
{
	struct plan_piece *pc;

	if (rs->n_pieces >= (int)(sizeof(rs->pieces) / sizeof(rs->pieces[0])))
		return false;
	if (is_float ? rs->floats >= GO_ABI_FLOAT_REGS : rs->ints >= GO_ABI_INT_REGS)
		return false;
	pc = &rs->pieces[rs->n_pieces++];
	pc->op = PLAN_NO_OP;
	pc->is_float = is_float;
	pc->reg = is_float ? rs->floats++ : rs->ints++;
	pc->offset = offset;
	pc->size = size;
	return true;
}

static bool reg_assign(const struct go_type *t, uint64_t offset, struct reg_state *rs)
{
	int i;

	switch (t->kind) {
	case GO_BOOL:
	case GO_INT:
	case GO_INT8:
	case GO_INT16:
	case GO_INT32:
	case GO_INT64:
	case GO_UINT:
	case GO_UINT8:
	case GO_UINT16:
	case GO_UINT32:
	case GO_UINT64:
	case GO_UINTPTR:
	case GO_POINTER:
	case GO_MAP:
	case GO_CHAN:
	case GO_FUNC:
	case GO_UNSAFE_POINTER:
		return push_piece(rs, false, offset, t->size ? t->size : GO_PTR_SIZE);
	case GO_FLOAT32:
	case GO_FLOAT64:
		return push_piece(rs, true, offset, t->size);
	case GO_COMPLEX64:
	case GO_COMPLEX128:
		return push_piece(rs, true, offset, t->size / 2) &&
		       push_piece(rs, true, offset + t->size / 2, t->size / 2);
	case GO_STRING:
	case GO_INTERFACE:
		return push_piece(rs, false, offset, GO_PTR_SIZE) &&
		       push_piece(rs, false, offset + GO_PTR_SIZE, GO_PTR_SIZE);
	case GO_SLICE:
		return push_piece(rs, false, offset, GO_PTR_SIZE) &&
		       push_piece(rs, false, offset + GO_PTR_SIZE, GO_PTR_SIZE) &&
		       push_piece(rs, false, offset + 2 * GO_PTR_SIZE, GO_PTR_SIZE);
	case GO_STRUCT:
		for (i = 0; i < t->n_fields; i++) {
			if (!t->fields[i].type)
				return false;
			if (!reg_assign(t->fields[i].type, offset + t->fields[i].offset, rs))
				return false;
		}
		return true;
	case GO_ARRAY:
		if (t->len == 0)
			return true;
		if (t->len == 1 && t->elem)
			return reg_assign(t->elem, offset, rs);
		return false;
	default:
		return false;
	}
}

/* An argument in registers: its integer pieces in one REGS op, assembled
 * into the argument's image, each float piece in an XMM op. */
static int plan_register_arg(struct planner *p, struct plan_arg *arg, struct reg_state *rs)
{
	struct gt_plan *bpf = &p->plan->bpf;
	struct gt_op regs = {.kind = GT_OP_REGS, .size = arg->param->type->size,
			     .type = arg->type_id};
	int i, n_int = 0, first_piece = 0;
	uint32_t covered;

	arg->pieces = calloc(rs->n_pieces ? rs->n_pieces : 1, sizeof(*arg->pieces));
	if (!arg->pieces)
		return -ENOMEM;
	for (i = 0; i < rs->n_pieces; i++)
		n_int += !rs->pieces[i].is_float;
	arg->op = PLAN_NO_OP;
	if (n_int) {
		/* pieces live in the plan after those of earlier arguments */
		for (i = 0; i < (int)bpf->n_ops; i++)
			if (bpf->ops[i].kind == GT_OP_REGS)
				first_piece += bpf->ops[i].n_pieces;
		if (first_piece + n_int > GT_MAX_PIECES || n_int > GT_REGS_PIECES ||
		    regs.size > GT_REGS_MAX) {
			arg->unavailable = "the plan has no room for its registers";
			return 0;
		}
		regs.piece = first_piece;
		regs.n_pieces = n_int;
		/* whole words side by side need no zeroing */
		for (i = 0, covered = 0; i < rs->n_pieces; i++)
			if (!rs->pieces[i].is_float && rs->pieces[i].size == 8 &&
			    rs->pieces[i].offset == covered)
				covered += 8;
		if (covered != regs.size)
			regs.flags |= GT_OPF_ZERO;
		arg->op = add_op(p, &regs);
		if (arg->op == PLAN_NO_OP) {
			arg->unavailable = "the plan has no ops left";
			return 0;
		}
	}
	for (i = 0; i < rs->n_pieces; i++) {
		struct plan_piece pc = rs->pieces[i];

		if (pc.is_float) {
			struct gt_op op = {.kind = GT_OP_XMM, .reg = pc.reg, .size = 8};

			pc.op = add_op(p, &op);
			if (pc.op == PLAN_NO_OP) {
				arg->unavailable = "the plan has no ops left";
				return 0;
			}
		} else {
			pc.op = arg->op;
			bpf->pieces[first_piece++] =
			    (struct gt_piece){.reg = pc.reg, .size = pc.size, .offset = pc.offset};
		}
		arg->pieces[arg->n_pieces++] = pc;
	}
	arg->available = true;
	return 0;
}

static int plan_stack_arg(struct planner *p, struct plan_arg *arg)
{
	uint64_t size = arg->param->type->size;
	struct gt_op op = {.kind = GT_OP_STACK, .type = arg->type_id};

	op.size = size < GT_READ_MAX ? size : GT_READ_MAX;
	op.offset = arg->stack_offset;
	arg->op = add_op(p, &op);
	if (arg->op == PLAN_NO_OP) {
		arg->unavailable = "the plan has no ops left";
		return 0;
	}
	arg->available = true;
	return 0;
}

/*
 * The ABI assigns the inputs, then (registers reset, stack aligned to
 * a pointer) the results. Both passes run so that stack results land
 * after the stack inputs; only the wanted pass makes ops.
 */
static int plan_arg_locations(struct planner *p, const struct go_func *func, bool stack_abi)
{
	const struct plan_opts *opts = p->opts;
	struct func_plan *plan = p->plan;
	struct reg_state rs = {0};
	uint64_t stack_off = 0; /* from the first stack argument, at SP+8 */
	int i, pass, err;

	for (pass = 0; pass < 2; pass++) {
		bool results = pass == 1, wanted = results == opts->results;
		bool dict_pending = func->has_dict && !results;
		int n_inputs = 0;

		if (results) {
			memset(&rs, 0, sizeof(rs));
			stack_off = align_up(stack_off, GO_PTR_SIZE);
		}
		for (i = 0; i <= func->n_params; i++) {
			const struct go_param *param;
			struct plan_arg scratch = {0}, *arg = &scratch;
			struct reg_state try;

			/* A shaped generic's dictionary, a pointer that params
			 * does not list, takes its turn among the inputs. */
			if (dict_pending && (n_inputs == func->dict_index || i == func->n_params)) {
				if (!stack_abi && rs.ints < GO_ABI_INT_REGS) {
					plan->dict_reg = rs.ints++;
				} else {
					stack_off = align_up(stack_off, GO_PTR_SIZE);
					plan->dict_stack_offset = GO_PTR_SIZE + stack_off;
					stack_off += GO_PTR_SIZE;
				}
				dict_pending = false;
			}
			if (i == func->n_params)
				break;
			param = &func->params[i];
			if (param->is_result != results)
				continue;
			n_inputs += !results;
			if (wanted)
				arg = &plan->args[plan->n_args++];
			arg->param = param;
			arg->op = PLAN_NO_OP;
			if (!param->type) {
				arg->unavailable = "DWARF gives no type";
				continue;
			}
			if (wanted && param->type->size > 0) {
				arg->type_id = type_table__id(opts->types, param->type);
				if (!arg->type_id)
					return -ENOMEM;
				/* nothing to follow: the root record is all */
				if (!type_table__program(opts->types, arg->type_id)->n_ops)
					arg->type_id = 0;
			}
			try = rs;
			try.n_pieces = 0;
			if (!stack_abi && param->type->size > 0 &&
			    reg_assign(param->type, 0, &try)) {
				rs.ints = try.ints;
				rs.floats = try.floats;
				err = wanted ? plan_register_arg(p, arg, &try) : 0;
				if (err)
					return err;
				continue;
			}
			/* Zero-sized, too big for what registers are left, or
			 * a non-trivial array: the whole value is on the stack. */
			stack_off = align_up(stack_off, param->type->align);
			arg->on_stack = true;
			arg->stack_offset = GO_PTR_SIZE + stack_off;
			stack_off += param->type->size;
			if (!wanted)
				continue;
			if (param->type->size == 0) {
				arg->available = true;
				continue;
			}
			err = plan_stack_arg(p, arg);
			if (err)
				return err;
		}
	}
	return 0;
}

int plan_func(const struct go_func *func, const struct plan_opts *opts, struct func_plan **out,
	      char *errbuf, size_t errlen)
{
	struct planner p = {.opts = opts};
	struct func_plan *plan;
	int i, n_in = 0, err = 0;

	*out = NULL;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	p.plan = plan;
	plan->func = func;
	plan->types = opts->types;
	plan->dict_reg = -1;
	plan->bpf.max_depth = opts->max_depth;
	for (i = 0; i < func->n_params; i++)
		n_in += func->params[i].is_result == opts->results;
	plan->args = calloc(n_in ? n_in : 1, sizeof(*plan->args));
	if (!plan->args) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = plan_arg_locations(&p, func, opts->stack_abi || func->abi == GO_ABI0);
	if (err)
		goto cleanup;
	*out = plan;
	return 0;

cleanup:
	func_plan__free(plan);
	snprintf(errbuf, errlen, "%s: planning failed: %s", func->name, strerror(-err));
	return err;
}

void func_plan__free(struct func_plan *plan)
{
	int i;

	if (!plan)
		return;
	for (i = 0; i < plan->n_args; i++) {
		free(plan->args[i].pieces);
		if (plan->args[i].select)
			free(plan->args[i].select->str);
		free(plan->args[i].select);
		if (plan->owned_params)
			free(plan->owned_params[i].name);
	}
	free(plan->args);
	free(plan->owned_params);
	free(plan);
}

const char *plan_reg_name(int reg, bool is_float)
{
	/* the registers gotrace reads past the ABI's, by enum gt_reg */
	static const char *const others[GT_REG_COUNT] = {
	    [GT_REG_R14] = "R14", [GT_REG_RSP] = "RSP"};
	const char *name;

	if (is_float || reg < GO_ABI_INT_REGS)
		name = go_abi_reg_name(reg, is_float);
	else
		name = reg < GT_REG_COUNT ? others[reg] : NULL;
	return name ? name : is_float ? "X?" : "R?";
}

void plan_describe(const struct func_plan *plan, FILE *out)
{
	int i, j;

	fprintf(out, "plan for %s (%s, %u root ops%s, pointers followed %u deep):\n",
		plan->func->name, plan->func->abi == GO_ABI0 ? "ABI0" : "ABIInternal",
		plan->bpf.n_ops, plan->ops_exhausted ? ", op budget exhausted" : "",
		plan->bpf.max_depth);
	for (i = 0; i < plan->n_args; i++) {
		const struct plan_arg *arg = &plan->args[i];
		const struct go_type *t = arg->param->type;

		fprintf(out, "  %s %s %s:", plan->prints ? "value" : "arg", arg->param->name,
			t ? t->name : "?");
		if (arg->on_stack)
			fprintf(out, " stack SP+%lld", (long long)arg->stack_offset);
		for (j = 0; j < arg->n_pieces; j++)
			fprintf(out, " %s[%u:%u]%s", plan_reg_name(arg->pieces[j].reg, arg->pieces[j].is_float),
				arg->pieces[j].offset, arg->pieces[j].offset + arg->pieces[j].size,
				arg->pieces[j].is_float ? "(X register)" : "");
		if (arg->type_id)
			fprintf(out, " type#%u", arg->type_id);
		if (arg->unavailable)
			fprintf(out, " unavailable: %s", arg->unavailable);
		if (t && t->size == 0)
			fprintf(out, " zero-sized");
		fputc('\n', out);
	}
	if (plan->dict_reg >= 0)
		fprintf(out, "  dictionary (not shown): %s\n",
			plan_reg_name(plan->dict_reg, false));
	else if (plan->dict_stack_offset)
		fprintf(out, "  dictionary (not shown): stack SP+%lld\n",
			(long long)plan->dict_stack_offset);
	for (i = 0; i < (int)plan->bpf.n_ops; i++) {
		const struct gt_op *op = &plan->bpf.ops[i];

		switch (op->kind) {
		case GT_OP_REGS:
			fprintf(out, "  op%d: %u registers into %u bytes", i, op->n_pieces, op->size);
			break;
		case GT_OP_XMM:
			fprintf(out, "  op%d: reg %s, from the saved FPU state or a signal frame", i,
				plan_reg_name(op->reg, true));
			break;
		case GT_OP_STACK:
			fprintf(out, "  op%d: stack SP%+d, %u bytes", i, op->offset, op->size);
			break;
		case GT_OP_PATH:
			fprintf(out, "  op%d: from %s, %u hops, then %u bytes at %+d%s", i,
				plan_reg_name(op->reg, false), op->n_pieces, op->size, op->offset,
				op->flags & GT_OPF_NIL_ZERO ? " (nil: 0)" : "");
			break;
		}
		if (op->type)
			fprintf(out, ", then type#%u", op->type);
		fputc('\n', out);
	}
}
