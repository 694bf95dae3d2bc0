// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A parsed filter, type-checked against one function's parameters with
 * Go's rules and compiled to the BPF side's stack program (bpf/gotrace.h,
 * gt_filter). A selector chain is a *place*: where a value is (an
 * argument's registers, its stack slot, or memory at an address the
 * program has pushed) and at which offset; nothing is emitted for it until
 * the value is used, and then only the words the use needs: a string's
 * header, a slice's length, a pointer's word for == nil. Following a
 * pointer pushes its word, so the place becomes memory at that address;
 * indexing a slice pushes its data pointer once the index is checked
 * against its length; a type assertion that holds leaves the interface's
 * data word, the value itself (a pointer) or where it is.
 *
 * A type assertion that fails makes the condition it is in false, as
 * `v, ok := x.(T); ok && ...` would: each condition (a comparison, a call,
 * a bool used as one) is a *scope*, and its assertions jump to its end
 * with the stack as it was at its start and a 0 pushed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/filter.h"
#include "plan/filter_internal.h"
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

struct go_type fc_string_type = {.kind = GO_STRING, .name = "string", .size = 16, .align = 8};
struct go_type fc_byte_type = {.kind = GO_UINT8, .name = "uint8", .size = 1, .align = 1};

void fc_fail(struct compiler *c, int col, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = true;
	c->err->col = col;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
}

struct gt_fop *fc_emit(struct compiler *c, int col, uint8_t kind)
{
	struct gt_fop *op;

	if (c->failed)
		return NULL;
	if (c->f->n_ops >= GT_FILTER_OPS) {
		fc_fail(c, col, "filter too long for the kernel (%d ops at most)", GT_FILTER_OPS);
		return NULL;
	}
	op = &c->f->ops[c->f->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

bool fc_is_int_kind(enum go_kind k)
{
	return (k >= GO_INT && k <= GO_UINTPTR);
}

bool fc_is_signed_kind(enum go_kind k)
{
	return k >= GO_INT && k <= GO_INT64;
}

const char *fc_type_name(const struct go_type *t)
{
	return t && t->name ? t->name : "?";
}

/* Whether a value of T compares with nil (Go: pointers, slices, maps,
 * channels, funcs, interfaces). */
static bool nilable(const struct go_type *t)
{
	switch (t->kind) {
	case GO_POINTER:
	case GO_UNSAFE_POINTER:
	case GO_SLICE:
	case GO_MAP:
	case GO_CHAN:
	case GO_FUNC:
	case GO_INTERFACE:
		return true;
	default:
		return false;
	}
}

/* Emits the word at the place's offset + EXTRA: SIZE bytes, narrowed; or
 * with TWO, the two words there (a string header). */
void fc_load(struct compiler *c, int col, const struct place *p, uint64_t extra, int size,
		 bool is_signed, bool two)
{
	uint64_t off = p->off + extra;
	struct gt_fop *op;
	int i, k;

	if (p->loc == LOC_WORD) {
		/* a pointer-shaped value: its one word is there already */
		if (off || two || size != 8)
			fc_fail(c, col, "a pointer-shaped value has one word");
		return;
	}
	if (off > INT32_MAX - 16) {
		fc_fail(c, col, "a value %llu bytes into its place is past what a filter reaches",
		     (unsigned long long)off);
		return;
	}
	if (p->loc == LOC_REGS) {
		/* each word its own piece: a string's header is two registers */
		for (k = 0; k < (two ? 2 : 1); k++, off += 8) {
			const struct plan_piece *pc = NULL;

			for (i = 0; i < p->arg->n_pieces; i++) {
				const struct plan_piece *q = &p->arg->pieces[i];

				if (off >= q->offset && off + size <= q->offset + q->size) {
					pc = q;
					break;
				}
			}
			if (!pc || pc->is_float) {
				fc_fail(c, col, "%s: %s", p->arg->param->name,
				     pc ? "a value in an X register cannot be filtered on"
					: "no register holds this part of it");
				return;
			}
			op = fc_emit(c, col, GT_F_REG);
			if (!op)
				return;
			op->arg = pc->reg;
			op->off = off - pc->offset;
			op->size = size;
			op->flags = is_signed ? GT_FF_SIGNED : 0;
		}
		return;
	}
	op = fc_emit(c, col, p->loc == LOC_STACK ? GT_F_STACK : GT_F_LOAD);
	if (!op)
		return;
	op->off = p->loc == LOC_STACK ? p->arg->stack_offset + (int32_t)off : (int32_t)off;
	op->size = size;
	op->flags = (is_signed ? GT_FF_SIGNED : 0) | (two ? GT_FF_TWO : 0);
}









const char *fc_class_name(const struct operand *v)
{
	switch (v->cls) {
	case V_BOOL:
	case V_CONST_BOOL:
		return v->cls == V_BOOL ? "bool" : "untyped bool";
	case V_INT:
		return v->type_name;
	case V_STRING:
		return v->bytes ? "[]byte" : "string";
	case V_CONST_INT:
		return "untyped int";
	case V_CONST_STR:
		return v->bytes ? "[]byte" : "untyped string";
	case V_NIL:
		return "untyped nil";
	case V_PLACE:
		return fc_type_name(v->place.type);
	}
	return "?";
}

static enum filter_op flip(enum filter_op op)
{
	switch (op) {
	case FOP_LT:
		return FOP_GT;
	case FOP_LE:
		return FOP_GE;
	case FOP_GT:
		return FOP_LT;
	case FOP_GE:
		return FOP_LE;
	default:
		return op;
	}
}

static const char *op_text(enum filter_op op)
{
	static const char *const text[] = {"==", "!=", "<", "<=", ">", ">=", "&&", "||"};

	return text[op];
}

/* Whether constant (U, NEG) fits an integer type of SIZE bytes. */
static bool fits(uint64_t u, bool neg, int size, bool is_signed)
{
	int bits = size * 8;

	if (neg && u == 0)
		return true;
	if (!is_signed)
		return !neg && (bits == 64 || u < (1ULL << bits));
	if (neg)
		return u <= (1ULL << (bits - 1));
	return u < (1ULL << (bits - 1));
}

static bool const_compare(const struct operand *a, const struct operand *b, enum filter_op op)
{
	int cmp;

	if (a->negative != b->negative && (a->u || b->u))
		cmp = a->negative ? -1 : 1;
	else if (a->u == b->u)
		cmp = 0;
	else
		cmp = (a->u < b->u) != a->negative ? -1 : 1;
	switch (op) {
	case FOP_EQ:
		return cmp == 0;
	case FOP_NE:
		return cmp != 0;
	case FOP_LT:
		return cmp < 0;
	case FOP_LE:
		return cmp <= 0;
	case FOP_GT:
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

static void emit_const(struct compiler *c, int col, uint64_t v)
{
	struct gt_fop *op = fc_emit(c, col, GT_F_CONST);

	if (op)
		op->imm = v;
}

static void emit_cmp(struct compiler *c, int col, enum filter_op op, bool is_signed)
{
	struct gt_fop *o = fc_emit(c, col, GT_F_CMP);

	if (o) {
		o->arg = op; /* enum filter_op's comparisons are enum gt_cmp's */
		o->flags = is_signed ? GT_FF_SIGNED : 0;
	}
}

/* X == nil, X != nil: the word that is nil for X's kind (a slice's
 * pointer, an interface's type word). */
static void check_nil_compare(struct compiler *c, const struct filter_node *n, struct operand *x,
			      struct operand *out)
{
	if (n->op != FOP_EQ && n->op != FOP_NE) {
		fc_fail(c, n->col, "invalid operation: operator %s not defined on nil",
		     op_text(n->op));
		return;
	}
	if (x->cls != V_PLACE || !nilable(x->place.type)) {
		fc_fail(c, n->col, "invalid operation: mismatched types %s and untyped nil",
		     fc_class_name(x));
		return;
	}
	fc_load(c, n->col, &x->place, 0, 8, false, false);
	emit_const(c, n->col, 0);
	emit_cmp(c, n->col, n->op, false);
	out->cls = V_BOOL;
}

static void check_string_compare(struct compiler *c, const struct filter_node *n, uint8_t cmp,
				 const struct operand *lit)
{
	struct gt_fop *o;

	if (lit->len > GT_FILTER_STR) {
		fc_fail(c, n->col, "string literal longer than %d bytes", GT_FILTER_STR);
		return;
	}
	if (c->pool_used + lit->len > GT_FILTER_POOL) {
		fc_fail(c, n->col, "string literals longer than %d bytes in all", GT_FILTER_POOL);
		return;
	}
	o = fc_emit(c, n->col, GT_F_STR);
	if (!o)
		return;
	memcpy(c->f->pool + c->pool_used, lit->str, lit->len);
	o->imm = c->pool_used;
	o->size = lit->len;
	o->arg = cmp; /* enum filter_op's comparisons are enum gt_cmp's */
	c->pool_used += lit->len;
}

static bool is_constant(const struct operand *v)
{
	return v->cls == V_CONST_INT || v->cls == V_CONST_BOOL || v->cls == V_CONST_STR;
}

/* A comparison of two constants: its value, now, into OUT; false when
 * they do not compare. */
static bool fold_compare(const struct operand *a, const struct operand *b, enum filter_op op,
			 struct operand *out)
{
	int cmp;

	if (a->cls == V_CONST_INT && b->cls == V_CONST_INT) {
		out->cls = V_CONST_BOOL;
		out->u = const_compare(a, b, op);
		return true;
	}
	if (a->cls == V_CONST_BOOL && b->cls == V_CONST_BOOL && (op == FOP_EQ || op == FOP_NE)) {
		out->cls = V_CONST_BOOL;
		out->u = (a->u == b->u) == (op == FOP_EQ);
		return true;
	}
	if (a->cls != V_CONST_STR || b->cls != V_CONST_STR)
		return false;
	cmp = memcmp(a->str, b->str, a->len < b->len ? a->len : b->len);
	if (!cmp && a->len != b->len)
		cmp = a->len < b->len ? -1 : 1;
	out->cls = V_CONST_BOOL;
	out->u = op == FOP_EQ	? cmp == 0
		 : op == FOP_NE ? cmp != 0
		 : op == FOP_LT ? cmp < 0
		 : op == FOP_LE ? cmp <= 0
		 : op == FOP_GT ? cmp > 0
				: cmp >= 0;
	return true;
}

/* A comparison with a value on at least one side, the value first: `val`
 * `op` `con`, where con is the constant if there is one (its code follows
 * the value's). */
struct comparison {
	enum filter_op op; /* flipped when the constant was written first */
	const struct operand *val, *con;
	const struct operand *left, *right; /* as written, for messages */
	int con_col;
};

static void order_comparison(const struct filter_node *n, const struct operand *a,
			     const struct operand *b, struct comparison *out)
{
	bool swap = is_constant(a);

	out->op = swap ? flip(n->op) : n->op;
	out->val = swap ? b : a;
	out->con = swap ? a : b;
	out->left = a;
	out->right = b;
	out->con_col = swap ? n->a->col : n->b->col;
}

/* Whether the two sides' types compare under the operator, as Go's would;
 * reports why not. */
static bool check_compare_types(struct compiler *c, const struct filter_node *n,
				const struct comparison *cmp)
{
	const struct operand *val = cmp->val, *con = cmp->con;

	switch (val->cls) {
	case V_BOOL:
		if (con->cls != V_BOOL && con->cls != V_CONST_BOOL)
			break;
		if (cmp->op != FOP_EQ && cmp->op != FOP_NE) {
			fc_fail(c, n->col, "invalid operation: operator %s not defined on bool",
			     op_text(cmp->op));
			return false;
		}
		return true;
	case V_INT:
		if (con->cls == V_CONST_INT) {
			if (fits(con->u, con->negative, val->size, val->is_signed))
				return true;
			fc_fail(c, cmp->con_col,
			     "cannot use %s%llu (untyped int constant) as %s value in "
			     "comparison (overflows)",
			     con->negative ? "-" : "", (unsigned long long)con->u, val->type_name);
			return false;
		}
		if (con->cls != V_INT)
			break;
		if (!strcmp(val->type_name, con->type_name))
			return true;
		fc_fail(c, n->col, "invalid operation: mismatched types %s and %s", val->type_name,
		     fc_class_name(con));
		return false;
	case V_STRING:
		if (con->cls == V_CONST_STR)
			return true;
		if (con->cls != V_STRING)
			break;
		fc_fail(c, n->col,
		     "invalid operation: strings compare with a string "
		     "literal only, not with each other (in the kernel)");
		return false;
	default:
		break;
	}
	fc_fail(c, n->col, "invalid operation: mismatched types %s and %s", fc_class_name(cmp->left),
	     fc_class_name(cmp->right));
	return false;
}

/* The code of a comparison that check_compare_types accepted: the value
 * is on the stack already, the other side's value too unless a constant. */
static void emit_compare(struct compiler *c, const struct filter_node *n,
			 const struct comparison *cmp)
{
	const struct operand *val = cmp->val, *con = cmp->con;

	switch (val->cls) {
	case V_BOOL:
		if (con->cls == V_CONST_BOOL)
			emit_const(c, n->col, con->u);
		emit_cmp(c, n->col, cmp->op, false);
		return;
	case V_INT:
		if (con->cls == V_CONST_INT)
			emit_const(c, n->col, con->negative ? -con->u : con->u);
		emit_cmp(c, n->col, cmp->op, val->is_signed);
		return;
	case V_STRING:
		check_string_compare(c, n, cmp->op, con);
		return;
	default:
		return;
	}
}

/* A condition begins: the stack's depth now, which its failed assertions
 * come back to. */
struct scope {
	int mark; /* c->n_asserts at its start */
	int depth;
};

static void open_scope(struct compiler *c, struct scope *sc)
{
	sc->mark = c->n_asserts;
	sc->depth = c->failed ? 0 : filter_depth_before(c->f, c->f->n_ops);
	c->scopes++;
	if (sc->depth < 0)
		fc_fail(c, 1, "filter compiled to a malformed program");
}

/* The condition ends here, its value on top: its assertions jump here. */
static void close_scope(struct compiler *c, const struct scope *sc)
{
	int i;

	c->scopes--;
	for (i = sc->mark; i < c->n_asserts && !c->failed; i++) {
		c->f->ops[c->asserts[i]].off = c->f->n_ops;
		c->f->ops[c->asserts[i]].size = sc->depth;
	}
	c->n_asserts = sc->mark;
}

static void check_compare_in_scope(struct compiler *c, const struct filter_node *n,
				   struct operand *out);

static void check_compare(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	struct scope sc;

	open_scope(c, &sc);
	check_compare_in_scope(c, n, out);
	close_scope(c, &sc);
}

static void check_compare_in_scope(struct compiler *c, const struct filter_node *n,
				   struct operand *out)
{
	struct operand a, b;
	struct comparison cmp;

	fc_check(c, n->a, &a);
	if (c->failed)
		return;
	if (a.cls == V_NIL) {
		fc_check(c, n->b, &b);
		if (c->failed)
			return;
		if (b.cls == V_NIL) {
			fc_fail(c, n->col, "invalid operation: %s not defined on nil", op_text(n->op));
			return;
		}
		check_nil_compare(c, n, &b, out);
		return;
	}
	if (n->b->kind == FN_NIL) {
		check_nil_compare(c, n, &a, out);
		return;
	}
	/* the left side is loaded before the right side's code runs: a place
	 * in memory has its address on top of the stack */
	fc_use_value(c, n->a->col, &a);
	fc_check(c, n->b, &b);
	fc_use_value(c, n->b->col, &b);
	if (c->failed)
		return;
	memset(out, 0, sizeof(*out));
	out->cls = V_BOOL;
	if (a.cls == V_PLACE || b.cls == V_PLACE || b.cls == V_NIL) {
		const struct operand *bad = a.cls == V_PLACE ? &a : &b;

		fc_fail(c, n->col,
		     "invalid operation: operator %s not defined on %s (filters compare "
		     "integers, bools and strings)",
		     op_text(n->op), fc_class_name(bad));
		return;
	}
	if ((a.cls == V_CONST_STR && a.bytes) || (b.cls == V_CONST_STR && b.bytes)) {
		fc_fail(c, n->col,
		     "invalid operation: a []byte compares with nil only (write the "
		     "literal itself: b == \"...\" compares as string(b) does)");
		return;
	}
	if (is_constant(&a) && is_constant(&b)) {
		if (!fold_compare(&a, &b, n->op, out))
			fc_fail(c, n->col, "invalid operation: mismatched types %s and %s",
			     fc_class_name(&a), fc_class_name(&b));
		return;
	}
	order_comparison(n, &a, &b, &cmp);
	if (check_compare_types(c, n, &cmp))
		emit_compare(c, n, &cmp);
}

/* A boolean operand: a bool value or constant, emitted as a word. */
static void as_bool(struct compiler *c, const struct filter_node *n, struct operand *v)
{
	fc_use_value(c, n->col, v);
	if (c->failed)
		return;
	if (v->cls == V_CONST_BOOL) {
		emit_const(c, n->col, v->u);
		v->cls = V_BOOL;
	}
	if (v->cls != V_BOOL)
		fc_fail(c, n->col, "non-boolean %s (type %s) used as a condition",
		     n->kind == FN_IDENT ? n->name : "operand", fc_class_name(v));
}

/* N as a condition: a scope of its own, its value a word. */
static void check_cond(struct compiler *c, const struct filter_node *n, struct operand *v)
{
	struct scope sc;

	open_scope(c, &sc);
	fc_check(c, n, v);
	as_bool(c, n, v);
	close_scope(c, &sc);
}

static void check_logic(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	struct operand a, b;
	struct gt_fop *jump;
	uint32_t at;

	check_cond(c, n->a, &a);
	jump = fc_emit(c, n->col, n->op == FOP_AND ? GT_F_JZ : GT_F_JNZ);
	at = c->f->n_ops - 1;
	check_cond(c, n->b, &b);
	if (c->failed || !jump)
		return;
	c->f->ops[at].off = c->f->n_ops;
	memset(out, 0, sizeof(*out));
	out->cls = V_BOOL;
}

/* strings.HasPrefix(s, "lit") and its kin (FN_MATCH): bytes' take a
 * []byte and []byte("lit") (or the literal alone). */
static void check_match(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	bool bytes = !strncmp(n->name, "bytes.", 6);
	struct operand s, p;
	struct scope sc;

	open_scope(c, &sc);
	fc_check(c, n->a, &s);
	fc_use_value(c, n->a->col, &s);
	if (c->failed)
		goto out;
	if (s.cls != V_STRING || s.bytes != bytes) {
		fc_fail(c, n->a->col, "cannot use %s as %s value in argument to %s", fc_class_name(&s),
		     bytes ? "[]byte" : "string", n->name);
		goto out;
	}
	fc_check(c, n->b, &p);
	if (c->failed)
		goto out;
	if (p.cls != V_CONST_STR || (p.bytes && !bytes)) {
		fc_fail(c, n->b->col, "%s takes a %s literal as its second argument", n->name,
		     bytes ? "[]byte(\"...\") or string" : "string");
		goto out;
	}
	check_string_compare(c, n, n->u, &p);
	memset(out, 0, sizeof(*out));
	out->cls = V_BOOL;
out:
	close_scope(c, &sc);
}








void fc_check(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct plan_arg *arg;
	struct scope sc;

	memset(out, 0, sizeof(*out));
	if (c->failed)
		return;
	switch (n->kind) {
	case FN_IDENT:
		arg = fc_find_arg(c->plan, n->name);
		if (!arg) {
			fc_unknown_parameter(c, n);
			return;
		}
		if (!arg->available || !arg->param->type || (!arg->on_stack && !arg->n_pieces)) {
			fc_fail(c, n->col, "parameter %s cannot be filtered on: %s", n->name,
			     arg->unavailable ? arg->unavailable : "it has no value");
			return;
		}
		out->cls = V_PLACE;
		out->place.type = arg->param->type;
		out->place.arg = arg;
		out->place.loc = arg->on_stack ? LOC_STACK : LOC_REGS;
		return;
	case FN_SELECTOR:
		fc_check_selector(c, n, out);
		return;
	case FN_INT:
		out->cls = V_CONST_INT;
		out->u = n->u;
		out->negative = n->negative && n->u;
		if (out->negative && n->u > (1ULL << 63))
			fc_fail(c, n->col, "constant -%llu overflows every integer type",
			     (unsigned long long)n->u);
		return;
	case FN_STRING:
		out->cls = V_CONST_STR;
		out->str = n->str;
		out->len = n->len;
		return;
	case FN_BOOL:
		out->cls = V_CONST_BOOL;
		out->u = n->u;
		return;
	case FN_NIL:
		out->cls = V_NIL;
		return;
	case FN_NOT:
		open_scope(c, &sc);
		fc_check(c, n->a, out);
		if (out->cls == V_CONST_BOOL) {
			out->u = !out->u;
			close_scope(c, &sc);
			return;
		}
		as_bool(c, n->a, out);
		close_scope(c, &sc);
		if (!fc_emit(c, n->col, GT_F_NOT))
			return;
		out->cls = V_BOOL;
		return;
	case FN_BINARY:
		if (n->op == FOP_AND || n->op == FOP_OR)
			check_logic(c, n, out);
		else
			check_compare(c, n, out);
		return;
	case FN_LEN:
		fc_check_len(c, n, out);
		return;
	case FN_MATCH:
		check_match(c, n, out);
		return;
	case FN_DEREF:
		fc_check_deref(c, n, out);
		return;
	case FN_INDEX:
		fc_check_index(c, n, out);
		return;
	case FN_STRING_OF:
		fc_check_string_of(c, n, out);
		return;
	case FN_ASSERT:
		fc_check_assert(c, n, out);
		return;
	case FN_BYTES_OF:
		fc_check_bytes_of(c, n, out);
		return;
	}
}

int filter_compile_all(const struct filter_node *const *nodes, int n, const struct func_plan *plan,
		       const struct plan_opts *opts, struct gt_filter *out,
		       struct filter_error *err)
{
	struct compiler c = {.plan = plan, .opts = opts, .f = out, .err = err};
	uint32_t jumps[FILTER_MAX_CONJUNCTS];
	struct gt_fop *op;
	struct operand v;
	int i, depth, n_jumps = 0;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (n > FILTER_MAX_CONJUNCTS) {
		fc_fail(&c, nodes[0]->col, "more than %d conditions joined by &&",
		     FILTER_MAX_CONJUNCTS);
		return -EINVAL;
	}
	for (i = 0; i < n && !c.failed; i++) {
		check_cond(&c, nodes[i], &v);
		if (i + 1 < n && (op = fc_emit(&c, nodes[i]->col, GT_F_JZ)))
			jumps[n_jumps++] = out->n_ops - 1;
	}
	if (c.failed) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	for (i = 0; i < n_jumps; i++)
		out->ops[jumps[i]].off = out->n_ops;
	out->flags = n ? GT_FILTER_ON : 0;
	depth = n ? filter_program_depth(out) : 0;
	/* a program filter_program_depth refuses is the compiler's own bug:
	 * BPF is never handed one */
	if (depth < 0 || depth > GT_FILTER_STACK) {
		err->col = nodes[0]->col;
		if (depth < 0)
			snprintf(err->msg, sizeof(err->msg),
				 "filter compiled to a malformed program");
		else
			snprintf(
			    err->msg, sizeof(err->msg),
			    "filter nested too deeply for the kernel (%d values at once at most)",
			    GT_FILTER_STACK);
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	return 0;
}

int filter_compile(const struct filter_node *expr, const struct func_plan *plan,
		   const struct plan_opts *opts, struct gt_filter *out, struct filter_error *err)
{
	return filter_compile_all(&expr, 1, plan, opts, out, err);
}
