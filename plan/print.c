// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --print: Go expressions over a function's parameters (or results),
 * type-checked against its types and compiled into root ops that capture
 * only the values they reach. An expression's value lies in the
 * argument's own registers or stack slot (a field of a struct passed in
 * registers), or behind pointers: then a GT_OP_PATH op follows them in BPF
 * (bpf/gotrace.h, enum gt_hop) and reads the value where it ends. Either
 * way the value's type program follows what it points to, as for any
 * argument, and the decoder reads the expressions as it reads arguments.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/print.h"
#include "plan/types.h"
#include "symbols/goruntime.h"

/* Where an expression's value is, while it is resolved. */
struct place {
	const struct go_type *type;
	const struct plan_arg *root; /* the argument it starts from */
	bool in_memory;		     /* else in the root's own image */
	uint64_t off;		     /* in the root image, or from W */
	int start_reg;		     /* in memory: W's first word (GT_REG_RSP: SP) */
	struct gt_piece hops[GT_PATH_HOPS];
	int n_hops;
	bool nil_zero; /* len of a map or channel: a nil one is 0 */
	bool value_w;  /* the value is W itself: a pointer-shaped x.(T) in registers */
	const struct filter_node *map_key; /* m[key]: the map is the value, its entry chosen */
};

struct printer {
	const struct func_plan *full;
	struct func_plan *out;
	const struct plan_opts *opts;
	struct filter_error *err;
	bool failed;
	int n_pieces; /* of out's pieces, used */
};

static struct go_type int_type = {.kind = GO_INT, .name = "int", .size = 8, .align = 8};
static struct go_type string_type = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};

static void fail(struct printer *pr, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct printer *pr, int col, const char *fmt, ...)
{
	va_list ap;

	if (pr->failed)
		return;
	pr->failed = true;
	pr->err->col = col;
	va_start(ap, fmt);
	vsnprintf(pr->err->msg, sizeof(pr->err->msg), fmt, ap);
	va_end(ap);
}

static const char *type_name(const struct go_type *t)
{
	return t && t->name ? t->name : "?";
}

static bool add_hop(struct printer *pr, int col, struct place *pl, uint8_t kind, uint8_t size,
		    uint64_t offset)
{
	if (pl->n_hops >= GT_PATH_HOPS) {
		fail(pr, col, "more than %d pointers followed", GT_PATH_HOPS);
		return false;
	}
	if (offset > UINT16_MAX) {
		fail(pr, col, "a field %llu bytes into its struct is past what a path reaches",
		     (unsigned long long)offset);
		return false;
	}
	pl->hops[pl->n_hops++] = (struct gt_piece){.reg = kind, .size = size, .offset = offset};
	return true;
}

/* The integer register piece of ROOT that holds the word at OFF, or NULL. */
static const struct plan_piece *word_piece(const struct plan_arg *root, uint64_t off)
{
	int i;

	for (i = 0; i < root->n_pieces; i++)
		if (!root->pieces[i].is_float && root->pieces[i].offset == off &&
		    root->pieces[i].size == 8)
			return &root->pieces[i];
	return NULL;
}

/* The pointer at PL, followed: its pointee is the place now. */
static void deref(struct printer *pr, int col, struct place *pl)
{
	const struct plan_piece *pc;

	if (pl->value_w) {
		/* the pointer is W itself: its pointee is at W */
		pl->value_w = false;
		pl->off = 0;
		return;
	}
	if (pl->in_memory) {
		add_hop(pr, col, pl, GT_HOP_DEREF, 0, pl->off);
	} else if (pl->root->on_stack) {
		pl->start_reg = GT_REG_RSP;
		add_hop(pr, col, pl, GT_HOP_DEREF, 0, pl->root->stack_offset + pl->off);
	} else if ((pc = word_piece(pl->root, pl->off))) {
		pl->start_reg = pc->reg;
	} else {
		fail(pr, col, "its pointer is in no register gotrace reads");
		return;
	}
	pl->in_memory = true;
	pl->off = 0;
}

static void resolve(struct printer *pr, const struct filter_node *n, struct place *pl);

static void resolve_ident(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	int i;

	for (i = 0; i < pr->full->n_args; i++) {
		const struct plan_arg *arg = &pr->full->args[i];

		if (strcmp(arg->param->name, n->name))
			continue;
		if (!arg->available || !arg->param->type) {
			fail(pr, n->col, "%s: %s", n->name,
			     arg->unavailable ? arg->unavailable : "no type");
			return;
		}
		*pl = (struct place){.type = arg->param->type, .root = arg};
		return;
	}
	fail(pr, n->col, "undefined: %s", n->name);
}


/* "Path, RawPath, ..." of struct T into BUF: what a misspelled field is
 * told to choose from. */
static void list_fields(const struct go_type *t, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < t->n_fields && used + 1 < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 t->fields[i].name ? t->fields[i].name : "?");
}

static void resolve_selector(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_field *field;
	const struct go_type *t;
	char fields[160];
	uint64_t off = 0;

	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	t = pl->type;
	if (t->kind == GO_POINTER && t->elem && t->elem->kind == GO_STRUCT) {
		/* Go follows the pointer for the selector */
		deref(pr, n->col, pl);
		t = t->elem;
	}
	if (t->kind != GO_STRUCT) {
		fail(pr, n->col, "%s undefined (type %s has no fields)", n->name, type_name(t));
		return;
	}
	field = go_type__find_field(t, n->name, &off);
	if (!field || !field->type) {
		list_fields(t, fields, sizeof(fields));
		fail(pr, n->col, "%s undefined (type %s has no field %s; it has %s)", n->name,
		     type_name(t), n->name, fields);
		return;
	}
	pl->off += off;
	pl->type = field->type;
}

static void resolve_deref(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	if (pl->type->kind != GO_POINTER || !pl->type->elem) {
		fail(pr, n->col, "invalid indirect of a %s (not a pointer)", type_name(pl->type));
		return;
	}
	deref(pr, n->col, pl);
	pl->type = pl->type->elem;
}

static bool is_int_kind(enum go_kind k)
{
	return (k >= GO_INT && k <= GO_UINTPTR);
}

/* m[KEY]: a constant key of the map's key type. */
static void index_map(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_type *t = pl->type, *k = t->key;
	const struct filter_node *key = n->b;
	bool ok;

	if (!k || !t->elem) {
		fail(pr, n->col, "the map's key and value types are unknown");
		return;
	}
	switch (key->kind) {
	case FN_STRING:
		ok = k->kind == GO_STRING;
		break;
	case FN_INT:
		ok = is_int_kind(k->kind) && !(key->negative && k->kind >= GO_UINT);
		break;
	case FN_BOOL:
		ok = k->kind == GO_BOOL;
		break;
	default:
		fail(pr, key->col, "a map's key must be a constant (a string, integer or bool)");
		return;
	}
	if (!ok) {
		fail(pr, key->col, "cannot use this constant as a %s key", type_name(k));
		return;
	}
	pl->map_key = key;
}

static void resolve_index(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_type *t;
	uint64_t i;

	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	t = pl->type;
	if (t->kind == GO_MAP) {
		index_map(pr, n, pl);
		return;
	}
	if (n->b->kind != FN_INT || n->b->negative) {
		fail(pr, n->b->col, "the index must be a constant integer >= 0");
		return;
	}
	i = n->b->u;
	if (t->kind == GO_ARRAY && t->elem) {
		if (i >= t->len) {
			fail(pr, n->b->col, "invalid index %llu (out of bounds for %llu-element array)",
			     (unsigned long long)i, (unsigned long long)t->len);
			return;
		}
		pl->off += i * t->elem->size;
		pl->type = t->elem;
		return;
	}
	if (t->kind != GO_SLICE || !t->elem) {
		fail(pr, n->col, "cannot index a %s", type_name(t));
		return;
	}
	if (i > UINT16_MAX) {
		fail(pr, n->b->col, "index %llu is past what a path reaches (%u)",
		     (unsigned long long)i, UINT16_MAX);
		return;
	}
	/* the slice's data and len, then its bounds checked in BPF */
	if (pl->in_memory) {
		add_hop(pr, n->col, pl, GT_HOP_SLICE, 0, pl->off);
	} else if (pl->root->on_stack) {
		pl->start_reg = GT_REG_RSP;
		add_hop(pr, n->col, pl, GT_HOP_SLICE, 0, pl->root->stack_offset + pl->off);
	} else {
		const struct plan_piece *data = word_piece(pl->root, pl->off);
		const struct plan_piece *len = word_piece(pl->root, pl->off + 8);

		if (!data || !len) {
			fail(pr, n->col, "the slice is in no registers gotrace reads");
			return;
		}
		pl->start_reg = data->reg;
		add_hop(pr, n->col, pl, GT_HOP_LEN_REG, len->reg, 0);
	}
	add_hop(pr, n->col, pl, GT_HOP_BOUND, 0, i);
	pl->in_memory = true;
	pl->off = i * t->elem->size;
	pl->type = t->elem;
}

static void resolve_len(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_type *t;

	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	t = pl->type;
	switch (t->kind) {
	case GO_STRING:
	case GO_SLICE:
		pl->off += 8;
		break;
	case GO_MAP:
	case GO_CHAN:
		/* hmap.count, Swiss Map.used, hchan.qcount: the first word */
		deref(pr, n->col, pl);
		pl->nil_zero = true;
		break;
	default:
		fail(pr, n->col, "invalid argument for len: a %s", type_name(t));
		return;
	}
	pl->type = &int_type;
}

static void resolve_string_of(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_type *t;

	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	t = pl->type;
	if (t->kind == GO_STRING)
		return;
	if (t->kind != GO_SLICE || !t->elem || t->elem->kind != GO_UINT8) {
		fail(pr, n->col, "cannot convert a %s to string (a []byte converts)", type_name(t));
		return;
	}
	/* a slice header begins as a string header does: data, len */
	pl->type = &string_type;
}

/* Whether values of T are stored directly in an interface's data word. */
static bool pointer_shaped(const struct go_type *t)
{
	return t->kind == GO_POINTER || t->kind == GO_MAP || t->kind == GO_CHAN ||
	       t->kind == GO_FUNC || t->kind == GO_UNSAFE_POINTER;
}

/* The descriptor address of T in the traced binary, for BPF to compare. */
static uint64_t descriptor_of(struct printer *pr, int col, const struct go_type *t)
{
	uint64_t addr = t->runtime_type;

	if (addr && pr->opts->types_bin != pr->opts->bin)
		addr = gobin__twin_type_addr(pr->opts->types_bin, pr->opts->bin, addr);
	if (!addr)
		fail(pr, col, "%s has no runtime type descriptor: no interface can hold it",
		     type_name(t));
	else if (addr >> 32)
		fail(pr, col, "%s's type descriptor lies past 4 GB", type_name(t));
	return addr;
}

static void resolve_assert(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	const struct go_type *iface, *t;
	const struct plan_piece *type_word, *data_word;
	char why[256];
	uint64_t addr;
	uint8_t kind;

	resolve(pr, n->a, pl);
	if (pr->failed)
		return;
	iface = pl->type;
	if (iface->kind != GO_INTERFACE) {
		fail(pr, n->col, "invalid type assertion: a %s is not an interface", type_name(iface));
		return;
	}
	t = pr->opts->types_bin ? gobin__resolve_type(pr->opts->types_bin, n->str, why, sizeof(why))
				: NULL;
	if (!t) {
		fail(pr, n->col, "%s: %s", n->str, pr->opts->types_bin ? why : "no types to look in");
		return;
	}
	addr = descriptor_of(pr, n->col, t);
	if (pr->failed)
		return;
	if (!pl->in_memory && !pl->root->on_stack) {
		/* in registers: the type word, then the data word */
		type_word = word_piece(pl->root, pl->off);
		data_word = word_piece(pl->root, pl->off + 8);
		if (!type_word || !data_word) {
			fail(pr, n->col, "the interface is in no registers gotrace reads");
			return;
		}
		kind = iface->is_empty_interface ? GT_HOP_ASSERT_REG : GT_HOP_ASSERT_REG_ITAB;
		pl->start_reg = data_word->reg;
		pl->in_memory = true;
		pl->off = 0;
		add_hop(pr, n->col, pl, kind, type_word->reg, 0);
		add_hop(pr, n->col, pl, GT_HOP_IMM, 0, addr & 0xffff);
		add_hop(pr, n->col, pl, GT_HOP_IMM, 0, addr >> 16);
		/* W is the data word now: the value, or where it is */
		pl->value_w = pointer_shaped(t);
		pl->type = t;
		return;
	}
	if (!pl->in_memory) {
		pl->start_reg = GT_REG_RSP;
		pl->in_memory = true;
		pl->off += pl->root->stack_offset;
	}
	kind = iface->is_empty_interface ? GT_HOP_ASSERT : GT_HOP_ASSERT_ITAB;
	add_hop(pr, n->col, pl, kind, 0, pl->off);
	add_hop(pr, n->col, pl, GT_HOP_IMM, 0, addr & 0xffff);
	add_hop(pr, n->col, pl, GT_HOP_IMM, 0, addr >> 16);
	/* the data word, next to the type word */
	pl->off += 8;
	if (!pointer_shaped(t))
		deref(pr, n->col, pl);
	pl->type = t;
}

static void resolve(struct printer *pr, const struct filter_node *n, struct place *pl)
{
	if (pr->failed)
		return;
	if (pl->nil_zero) {
		fail(pr, n->col, "len(...) is a number: nothing to select in it");
		return;
	}
	if (pl->map_key) {
		fail(pr, n->col, "a map index ends an expression, for now");
		return;
	}
	switch (n->kind) {
	case FN_IDENT:
		resolve_ident(pr, n, pl);
		return;
	case FN_SELECTOR:
		resolve_selector(pr, n, pl);
		return;
	case FN_DEREF:
		resolve_deref(pr, n, pl);
		return;
	case FN_INDEX:
		resolve_index(pr, n, pl);
		return;
	case FN_LEN:
		resolve_len(pr, n, pl);
		return;
	case FN_STRING_OF:
		resolve_string_of(pr, n, pl);
		return;
	case FN_ASSERT:
		resolve_assert(pr, n, pl);
		return;
	default:
		fail(pr, n->col, "--print shows parameters, results, their fields, elements, "
				 "pointees and lengths");
		return;
	}
}

static int add_op(struct printer *pr, int col, const struct gt_op *op)
{
	struct gt_plan *bpf = &pr->out->bpf;

	if (bpf->n_ops >= GT_MAX_OPS) {
		fail(pr, col, "more than %d values", GT_MAX_OPS);
		return PLAN_NO_OP;
	}
	bpf->ops[bpf->n_ops] = *op;
	return bpf->n_ops++;
}

static bool take_pieces(struct printer *pr, int col, int n)
{
	if (pr->n_pieces + n > GT_MAX_PIECES) {
		fail(pr, col, "the plan has no room for the registers of so many values");
		return false;
	}
	pr->n_pieces += n;
	return true;
}

/* A value in its root's registers: the pieces that hold it, shifted. */
static void emit_in_registers(struct printer *pr, int col, const struct place *pl,
			      struct plan_arg *arg)
{
	uint64_t lo = pl->off, hi = pl->off + pl->type->size;
	struct gt_op regs = {.kind = GT_OP_REGS, .size = pl->type->size, .type = arg->type_id,
			     .flags = GT_OPF_ZERO};
	int i, first = pr->n_pieces, n_int = 0;

	arg->pieces = calloc(pl->root->n_pieces ? pl->root->n_pieces : 1, sizeof(*arg->pieces));
	if (!arg->pieces) {
		fail(pr, col, "out of memory");
		return;
	}
	for (i = 0; i < pl->root->n_pieces; i++) {
		struct plan_piece pc = pl->root->pieces[i];

		if (pc.offset < lo || pc.offset + pc.size > hi)
			continue;
		pc.offset -= lo;
		if (pc.is_float) {
			struct gt_op op = {.kind = GT_OP_XMM, .reg = pc.reg, .size = 8};

			pc.op = add_op(pr, col, &op);
		} else {
			if (!take_pieces(pr, col, 1))
				return;
			pr->out->bpf.pieces[first + n_int++] =
			    (struct gt_piece){.reg = pc.reg, .size = pc.size, .offset = pc.offset};
			pc.op = PLAN_NO_OP; /* set below, once the REGS op is made */
		}
		arg->pieces[arg->n_pieces++] = pc;
	}
	arg->op = PLAN_NO_OP;
	if (n_int) {
		regs.piece = first;
		regs.n_pieces = n_int;
		arg->op = add_op(pr, col, &regs);
		for (i = 0; i < arg->n_pieces; i++)
			if (!arg->pieces[i].is_float)
				arg->pieces[i].op = arg->op;
	}
}

/* The ops that capture the value at PL as ARG. */
static void emit(struct printer *pr, int col, const struct place *pl, struct plan_arg *arg)
{
	uint64_t size = pl->type->size;
	struct gt_op op = {.type = arg->type_id};
	int i;

	if (size > GT_READ_MAX) {
		fail(pr, col, "a %s of %llu bytes is past one read (%d): print a field of it",
		     type_name(pl->type), (unsigned long long)size, GT_READ_MAX);
		return;
	}
	arg->available = true;
	if (size == 0)
		return;
	if (!pl->in_memory && !pl->root->on_stack) {
		emit_in_registers(pr, col, pl, arg);
		return;
	}
	op.size = size;
	if (!pl->in_memory) {
		op.kind = GT_OP_STACK;
		op.offset = pl->root->stack_offset + pl->off;
	} else {
		op.kind = GT_OP_PATH;
		op.reg = pl->start_reg;
		op.offset = pl->off;
		op.flags = (pl->nil_zero ? GT_OPF_NIL_ZERO : 0) | (pl->value_w ? GT_OPF_VALUE_W : 0);
		op.piece = pr->n_pieces;
		op.n_pieces = pl->n_hops;
		if (!take_pieces(pr, col, pl->n_hops))
			return;
		for (i = 0; i < pl->n_hops; i++)
			pr->out->bpf.pieces[op.piece + i] = pl->hops[i];
	}
	arg->op = add_op(pr, col, &op);
}

/* The identifier an expression starts from. */
static const struct filter_node *root_ident(const struct filter_node *n)
{
	while (n && n->kind != FN_IDENT)
		n = n->a;
	return n;
}

static struct plan_select *map_select(const struct go_type *map, const struct filter_node *key)
{
	struct plan_select *sel = calloc(1, sizeof(*sel));

	if (!sel)
		return NULL;
	sel->elem = map->elem;
	sel->u = key->u;
	sel->negative = key->negative;
	if (key->kind == FN_STRING) {
		sel->is_string = true;
		sel->len = key->len;
		sel->str = malloc(key->len + 1);
		if (!sel->str) {
			free(sel);
			return NULL;
		}
		memcpy(sel->str, key->str, key->len);
		sel->str[key->len] = '\0';
	}
	return sel;
}

static int free_on_nomem(struct func_plan *plan)
{
	func_plan__free(plan);
	return -ENOMEM;
}

static bool has_param(const struct go_func *func, const char *name)
{
	int i;

	for (i = 0; i < func->n_params; i++)
		if (!strcmp(func->params[i].name, name))
			return true;
	return false;
}

bool print_names_results(const struct filter_node *expr, const struct go_func *func)
{
	const struct filter_node *id = root_ident(expr);
	int i;

	for (i = 0; id && i < func->n_params; i++)
		if (func->params[i].is_result && !strcmp(func->params[i].name, id->name))
			return true;
	return false;
}

int plan_print(const struct func_plan *full, const struct filter_list *exprs,
	       const struct plan_opts *opts, struct func_plan **out, enum print_status *status,
	       struct filter_error *errs)
{
	const struct go_func *func = full->func;
	struct func_plan *plan;
	int i, k, n_pieces = 0;

	*out = NULL;
	plan = calloc(1, sizeof(*plan));
	if (plan) {
		plan->args = calloc(exprs->n ? exprs->n : 1, sizeof(*plan->args));
		plan->owned_params = calloc(exprs->n ? exprs->n : 1, sizeof(*plan->owned_params));
	}
	if (!plan || !plan->args || !plan->owned_params) {
		func_plan__free(plan);
		return -ENOMEM;
	}
	*plan = (struct func_plan){.func = func, .types = opts->types, .bpf = full->bpf,
				   .args = plan->args, .owned_params = plan->owned_params,
				   .dict_reg = -1, .prints = true};
	plan->bpf.n_ops = 0;
	memset(plan->bpf.ops, 0, sizeof(plan->bpf.ops));
	memset(plan->bpf.pieces, 0, sizeof(plan->bpf.pieces));
	for (k = 0; k < exprs->n; k++) {
		const struct filter_node *n = exprs->nodes[k], *id = root_ident(n);
		struct printer pr = {.full = full, .out = plan, .opts = opts, .err = &errs[k],
				     .n_pieces = n_pieces};
		struct gt_plan saved = plan->bpf;
		struct plan_arg tmp = {.op = PLAN_NO_OP}, *arg;
		struct place pl = {0};
		bool here = false;

		memset(&errs[k], 0, sizeof(errs[k]));
		/* parameters at the entry, results at the return */
		for (i = 0; id && i < full->n_args; i++)
			here |= !strcmp(full->args[i].param->name, id->name);
		if (!here && id && has_param(func, id->name)) {
			status[k] = PRINT_OTHER_HALF;
			continue;
		}
		resolve(&pr, n, &pl);
		if (!pr.failed && pl.type->size) {
			tmp.type_id = type_table__id(opts->types, pl.type);
			if (!tmp.type_id)
				return free_on_nomem(plan);
			/* nothing to follow: the root record is all */
			if (!type_table__program(opts->types, tmp.type_id)->n_ops)
				tmp.type_id = 0;
		}
		if (!pr.failed)
			emit(&pr, n->col, &pl, &tmp);
		if (pr.failed) {
			free(tmp.pieces);
			plan->bpf = saved;
			status[k] = PRINT_FAILED;
			continue;
		}
		if (pl.map_key && !(tmp.select = map_select(pl.type, pl.map_key))) {
			free(tmp.pieces);
			return free_on_nomem(plan);
		}
		/* the decoder reads the value as an argument of its type */
		arg = &plan->args[plan->n_args];
		*arg = tmp;
		plan->owned_params[plan->n_args] = (struct go_param){
		    .name = strdup(exprs->texts[k]), .type = (struct go_type *)pl.type};
		arg->param = &plan->owned_params[plan->n_args++];
		if (!arg->param->name)
			return free_on_nomem(plan);
		n_pieces = pr.n_pieces;
		status[k] = PRINT_OK;
	}
	*out = plan;
	return 0;
}
