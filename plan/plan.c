// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's amd64 register ABI (cmd/compile/abi-internal.md), applied to one
 * function's arguments, and the pointer walk that decides what to copy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plan/plan.h"
#include "symbols/goruntime.h"

#define PLAN_IFACE_DATA 64 /* bytes read behind an interface's data word */

/* A REG op's reg is an ABI position: the BPF side's registers must start
 * with the ABI's integer ones, in ABI order. */
_Static_assert(GT_REG_R11 + 1 == GO_ABI_INT_REGS, "enum gt_reg starts with the ABI's registers");

struct walk_queue;

struct planner {
	struct func_plan *plan;
	const struct plan_opts *opts;
	int blobs_cap;
	/* map entries wait until everything else has its ops: a map's
	 * slots can take many, and must not crowd out the next field */
	struct walk_queue *later;
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

static int add_blob(struct planner *p, int op)
{
	struct func_plan *plan = p->plan;

	if (plan->n_blobs == p->blobs_cap) {
		int cap = p->blobs_cap ? p->blobs_cap * 2 : 16;
		struct plan_blob *b = realloc(plan->blobs, cap * sizeof(*b));

		if (!b)
			return -ENOMEM;
		plan->blobs = b;
		p->blobs_cap = cap;
	}
	memset(&plan->blobs[plan->n_blobs], 0, sizeof(plan->blobs[0]));
	plan->blobs[plan->n_blobs].op = op;
	return plan->n_blobs++;
}

static int add_ref(struct plan_blob *blob, uint64_t offset, int target)
{
	struct plan_ref *r = realloc(blob->refs, (blob->n_refs + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	blob->refs = r;
	blob->refs[blob->n_refs].offset = offset;
	blob->refs[blob->n_refs].blob = target;
	blob->n_refs++;
	return 0;
}

static int add_piece(struct plan_blob *blob, const struct plan_piece *piece)
{
	struct plan_piece *pc = realloc(blob->pieces, (blob->n_pieces + 1) * sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	blob->pieces = pc;
	blob->pieces[blob->n_pieces++] = *piece;
	return 0;
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

/* The op and byte offset that hold the 8 bytes at `offset` of a blob. */
static bool word_source(const struct plan_blob *blob, uint64_t offset, int *op, uint16_t *off)
{
	int i;

	if (blob->op != PLAN_NO_OP) {
		if (offset > UINT16_MAX)
			return false;
		*op = blob->op;
		*off = offset;
		return true;
	}
	for (i = 0; i < blob->n_pieces; i++) {
		const struct plan_piece *pc = &blob->pieces[i];

		if (pc->offset == offset && pc->op != PLAN_NO_OP) {
			*op = pc->op;
			*off = 0;
			return true;
		}
	}
	return false;
}

/* A value to walk for pointers: type at offset of blob, at pointer depth. */
struct walk_item {
	const struct go_type *type;
	int blob;
	uint64_t offset;
	int depth;
};

struct walk_queue {
	struct walk_item *items;
	int head, tail, cap;
};

static int queue_push(struct walk_queue *q, const struct go_type *t, int blob, uint64_t offset,
		      int depth)
{
	if (q->tail == q->cap) {
		int cap = q->cap ? q->cap * 2 : 64;
		struct walk_item *it = realloc(q->items, cap * sizeof(*it));

		if (!it)
			return -ENOMEM;
		q->items = it;
		q->cap = cap;
	}
	q->items[q->tail++] = (struct walk_item){t, blob, offset, depth};
	return 0;
}

/*
 * A DEREF op through the pointer at `offset` of `blob`, and its blob in
 * *child; *child is -1 when there is nothing to follow: the pointer is in
 * no record, or the plan has no ops left. Returns 0 or -ENOMEM.
 */
static int deref_blob(struct planner *p, int blob, uint64_t offset, const struct gt_op *tmpl,
		      int *child)
{
	struct gt_op op = *tmpl;
	uint16_t base_off;
	int base, op_idx, target;

	*child = -1;
	if (!word_source(&p->plan->blobs[blob], offset, &base, &base_off))
		return 0;
	op.kind = GT_OP_DEREF;
	op.base = base;
	op.base_off = base_off;
	op_idx = add_op(p, &op);
	if (op_idx == PLAN_NO_OP)
		return 0;
	target = add_blob(p, op_idx);
	if (target < 0)
		return target;
	*child = target;
	return add_ref(&p->plan->blobs[blob], offset, target);
}

/* Bytes of a slice's backing array captured: --max-elems elements. */
static uint16_t elems_bytes(const struct planner *p, const struct go_type *elem)
{
	uint64_t n = (uint64_t)elem->size * p->opts->max_elems;

	if (elem->size > GT_READ_MAX)
		return GT_READ_MAX;
	if (n > GT_READ_MAX)
		n = GT_READ_MAX / elem->size * elem->size;
	return n;
}

/*
 * An interface is (itab or type, data). The dynamic type is only known at
 * the call, so the plan reads what any type needs: the type word (through
 * the itab for non-empty interfaces), PLAN_IFACE_DATA bytes at the data
 * pointer (the value, or a pointer-shaped value's pointee), and the bytes
 * of strings that would sit at offsets 0 and 16 there, which covers string
 * values and the messages of the common error types (errors.errorString,
 * fmt.wrapError, os.PathError's Op). The decoder uses only what the dynamic
 * type's layout says is there.
 */
static int plan_interface(struct planner *p, const struct go_type *t, const struct walk_item *it)
{
	static const uint16_t string_offsets[] = {0, 16};
	struct gt_op op = {.len_op = GT_NO_OP, .size = GO_PTR_SIZE};
	uint16_t len_off;
	int data, len_op, child, err;
	unsigned i;

	if (!t->is_empty_interface) {
		op.offset = GO_ITAB_TYPE;
		err = deref_blob(p, it->blob, it->offset, &op, &child);
		if (err)
			return err;
	}
	op.offset = 0;
	op.size = PLAN_IFACE_DATA;
	err = deref_blob(p, it->blob, it->offset + GO_IFACE_DATA, &op, &data);
	if (err || data < 0)
		return err;
	for (i = 0; i < sizeof(string_offsets) / sizeof(string_offsets[0]); i++) {
		if (!word_source(&p->plan->blobs[data], string_offsets[i] + GO_STRING_LEN, &len_op,
				 &len_off))
			continue;
		op.len_op = len_op;
		op.len_off = len_off;
		op.scale = 1;
		op.size = p->opts->max_string < GT_READ_MAX ? p->opts->max_string : GT_READ_MAX;
		err = deref_blob(p, data, string_offsets[i], &op, &child);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A map. Its length is the first word behind the map pointer in both
 * layouts: hmap.count (Go up to 1.23) and the Swiss map's used (1.24+).
 * For hmap, the entries of the first bucket are read too: small maps (up to
 * eight entries) have only that one (symbols/goruntime.h has the layouts
 * of hmap and its buckets). The decoder shows the slots whose tophash
 * marks them full and says when others may exist.
 * Swiss tables (1.24+) are shown by length only.
 */
static int plan_map(struct planner *p, struct walk_queue *q, const struct go_type *t,
		    const struct walk_item *it)
{
	struct gt_op op = {.len_op = GT_NO_OP, .size = GO_HMAP_SIZE};
	uint64_t key_size, elem_size, i;
	int hmap, bucket, err;

	if (p->opts->swiss_maps || !t->key || !t->elem) {
		op.size = GO_PTR_SIZE; /* the count */
		return deref_blob(p, it->blob, it->offset, &op, &hmap);
	}
	err = deref_blob(p, it->blob, it->offset, &op, &hmap);
	if (err || hmap < 0)
		return err;
	key_size = go_bucket_slot_size(t->key->size);
	elem_size = go_bucket_slot_size(t->elem->size);
	op.size = go_bucket_size(key_size, elem_size);
	if (op.size > GT_READ_MAX)
		return 0;
	err = deref_blob(p, hmap, GO_HMAP_BUCKETS, &op, &bucket);
	if (err || bucket < 0)
		return err;
	/* what the keys and elems point to, slot by slot, up to --max-elems */
	for (i = 0; i < GO_BUCKET_SLOTS && i < p->opts->max_elems; i++) {
		if (key_size == t->key->size) {
			err = queue_push(p->later, t->key, bucket, go_bucket_key(key_size, i),
					 it->depth + 1);
			if (err)
				return err;
		}
		if (elem_size == t->elem->size) {
			err = queue_push(p->later, t->elem, bucket,
					 go_bucket_value(key_size, elem_size, i), it->depth + 1);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Breadth first, so that with few ops left the arguments themselves are
 * shown before what their pointers' pointees point to.
 */
static int walk_one(struct planner *p, struct walk_queue *q, const struct walk_item *it)
{
	const struct go_type *t = it->type;
	struct gt_op op = {0};
	int i, child, err;
	uint16_t len_off;
	int len_op;

	switch (t->kind) {
	case GO_STRING:
		if (!word_source(&p->plan->blobs[it->blob], it->offset + GO_STRING_LEN, &len_op,
				 &len_off))
			return 0;
		op.len_op = len_op;
		op.len_off = len_off;
		op.scale = 1;
		op.size = p->opts->max_string < GT_READ_MAX ? p->opts->max_string : GT_READ_MAX;
		return deref_blob(p, it->blob, it->offset, &op, &child);
	case GO_POINTER:
		if (!t->elem || t->elem->size == 0 || it->depth >= p->opts->max_depth)
			return 0;
		op.len_op = GT_NO_OP;
		op.size = t->elem->size < GT_READ_MAX ? t->elem->size : GT_READ_MAX;
		err = deref_blob(p, it->blob, it->offset, &op, &child);
		if (err || child < 0)
			return err;
		return queue_push(q, t->elem, child, 0, it->depth + 1);
	case GO_MAP:
		if (it->depth >= p->opts->max_depth)
			return 0;
		return plan_map(p, q, t, it);
	case GO_CHAN:
		/* hchan starts with qcount, dataqsiz */
		if (it->depth >= p->opts->max_depth)
			return 0;
		op.len_op = GT_NO_OP;
		op.size = GO_HCHAN_COUNTS;
		return deref_blob(p, it->blob, it->offset, &op, &child);
	case GO_FUNC:
		/* a func value points to a funcval whose first word is the PC */
		op.len_op = GT_NO_OP;
		op.offset = GO_FUNCVAL_FN;
		op.size = GO_PTR_SIZE;
		return deref_blob(p, it->blob, it->offset, &op, &child);
	case GO_INTERFACE:
		if (it->depth >= p->opts->max_depth)
			return 0;
		return plan_interface(p, t, it);
	case GO_SLICE:
		if (!t->elem || t->elem->size == 0 || it->depth >= p->opts->max_depth)
			return 0;
		if (!word_source(&p->plan->blobs[it->blob], it->offset + GO_SLICE_LEN, &len_op,
				 &len_off))
			return 0;
		op.len_op = len_op;
		op.len_off = len_off;
		op.scale = t->elem->size > UINT16_MAX ? UINT16_MAX : t->elem->size;
		op.size = elems_bytes(p, t->elem);
		err = deref_blob(p, it->blob, it->offset, &op, &child);
		if (err || child < 0)
			return err;
		for (i = 0; (uint64_t)i * t->elem->size < op.size; i++) {
			err = queue_push(q, t->elem, child, i * t->elem->size, it->depth + 1);
			if (err)
				return err;
		}
		return 0;
	case GO_STRUCT:
		for (i = 0; i < t->n_fields; i++) {
			if (!t->fields[i].type)
				continue;
			err = queue_push(q, t->fields[i].type, it->blob,
					 it->offset + t->fields[i].offset, it->depth);
			if (err)
				return err;
		}
		return 0;
	case GO_ARRAY:
		for (i = 0; t->elem && (uint64_t)i < t->len && (uint32_t)i < p->opts->max_elems;
		     i++) {
			err = queue_push(q, t->elem, it->blob, it->offset + i * t->elem->size,
					 it->depth);
			if (err)
				return err;
		}
		return 0;
	default:
		return 0;
	}
}

static int plan_register_arg(struct planner *p, struct plan_arg *arg, struct reg_state *rs)
{
	int i, blob = add_blob(p, PLAN_NO_OP);

	if (blob < 0)
		return blob;
	for (i = 0; i < rs->n_pieces; i++) {
		struct plan_piece pc = rs->pieces[i];

		struct gt_op op = {.kind = pc.is_float ? GT_OP_XMM : GT_OP_REG,
				   .reg = pc.reg,
				   .size = 8};

		pc.op = add_op(p, &op);
		if (add_piece(&p->plan->blobs[blob], &pc))
			return -ENOMEM;
	}
	arg->blob = blob;
	return 0;
}

static int plan_stack_arg(struct planner *p, struct plan_arg *arg)
{
	uint64_t size = arg->param->type->size;
	struct gt_op op = {.kind = GT_OP_STACK, .len_op = GT_NO_OP};
	int op_idx, blob;

	op.size = size < GT_READ_MAX ? size : GT_READ_MAX;
	op.offset = arg->stack_offset;
	op_idx = add_op(p, &op);
	if (op_idx == PLAN_NO_OP) {
		arg->unavailable = "the plan has no ops left";
		return 0;
	}
	blob = add_blob(p, op_idx);
	if (blob < 0)
		return blob;
	arg->blob = blob;
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
			arg->blob = -1;
			if (!param->type) {
				arg->unavailable = "DWARF gives no type";
				continue;
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
			if (param->type->size == 0 || !wanted)
				continue;
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
	struct walk_queue q = {0}, later = {0};
	struct func_plan *plan;
	int i, n_in = 0, err = 0;

	*out = NULL;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	p.plan = plan;
	plan->func = func;
	plan->max_elems = opts->max_elems;
	plan->dict_reg = -1;
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

	for (i = 0; i < plan->n_args; i++) {
		if (plan->args[i].blob >= 0 && plan->args[i].param->type) {
			err = queue_push(&q, plan->args[i].param->type, plan->args[i].blob, 0, 0);
			if (err)
				goto cleanup;
		}
	}
	p.later = &later;
	for (;;) {
		struct walk_item it;

		if (q.head < q.tail)
			it = q.items[q.head++];
		else if (later.head < later.tail)
			it = later.items[later.head++];
		else
			break;
		err = walk_one(&p, &q, &it);
		if (err)
			goto cleanup;
	}
	free(q.items);
	free(later.items);
	*out = plan;
	return 0;

cleanup:
	free(q.items);
	free(later.items);
	func_plan__free(plan);
	snprintf(errbuf, errlen, "%s: planning failed: %s", func->name, strerror(-err));
	return err;
}

void func_plan__free(struct func_plan *plan)
{
	int i;

	if (!plan)
		return;
	for (i = 0; i < plan->n_blobs; i++) {
		free(plan->blobs[i].pieces);
		free(plan->blobs[i].refs);
	}
	free(plan->blobs);
	free(plan->args);
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

	fprintf(out, "plan for %s (%s, %u ops%s):\n", plan->func->name,
		plan->func->abi == GO_ABI0 ? "ABI0" : "ABIInternal", plan->bpf.n_ops,
		plan->ops_exhausted ? ", op budget exhausted" : "");
	for (i = 0; i < plan->n_args; i++) {
		const struct plan_arg *arg = &plan->args[i];
		const struct go_type *t = arg->param->type;

		fprintf(out, "  arg %s %s:", arg->param->name, t ? t->name : "?");
		if (arg->on_stack)
			fprintf(out, " stack SP+%lld", (long long)arg->stack_offset);
		if (arg->blob >= 0) {
			const struct plan_blob *b = &plan->blobs[arg->blob];

			for (j = 0; j < b->n_pieces; j++)
				fprintf(out, " %s[%u:%u]%s",
					plan_reg_name(b->pieces[j].reg, b->pieces[j].is_float),
					b->pieces[j].offset,
					b->pieces[j].offset + b->pieces[j].size,
					b->pieces[j].is_float ? "(X register)" : "");
		}
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
		case GT_OP_REG:
			fprintf(out, "  op%d: reg %s\n", i, plan_reg_name(op->reg, false));
			break;
		case GT_OP_XMM:
			fprintf(out, "  op%d: reg %s, from the saved FPU state or a signal frame\n",
				i, plan_reg_name(op->reg, true));
			break;
		case GT_OP_STACK:
			fprintf(out, "  op%d: stack SP%+d, %u bytes\n", i, op->offset, op->size);
			break;
		case GT_OP_DEREF:
			if (op->len_op != GT_NO_OP)
				fprintf(out,
					"  op%d: deref *(op%u+%u), count at op%u+%u x%u, max %u "
					"bytes\n",
					i, op->base, op->base_off, op->len_op, op->len_off,
					op->scale, op->size);
			else
				fprintf(out, "  op%d: deref *(op%u+%u), %u bytes\n", i, op->base,
					op->base_off, op->size);
			break;
		}
	}
}
