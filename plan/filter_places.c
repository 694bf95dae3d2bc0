// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where a filter's values are (filter.c says how places work): a
 * parameter, a field through structs, pointers and embedded structs, a
 * pointee, an element (a slice's index checked against its length in
 * BPF), a length, a []byte as a string, an interface's value once its
 * dynamic type is asserted.
 */
#include <stdio.h>
#include <string.h>
#include "plan/filter_internal.h"
#include "symbols/goruntime.h"

const struct plan_arg *fc_find_arg(const struct func_plan *plan, const char *name)
{
	int i;

	for (i = 0; i < plan->n_args; i++)
		if (plan->args[i].param->name && !strcmp(plan->args[i].param->name, name))
			return &plan->args[i];
	return NULL;
}

void fc_unknown_parameter(struct compiler *c, const struct filter_node *n)
{
	char names[160] = "";
	size_t used = 0;
	int i;

	for (i = 0; i < c->plan->n_args && used < sizeof(names) - 8; i++)
		used += snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
				 c->plan->args[i].param->name);
	if (used >= sizeof(names) - 8)
		snprintf(names + sizeof(names) - 8, 8, ", ...");
	if (!c->plan->n_args)
		fc_fail(c, n->col, "unknown parameter \"%s\" (%s has none)", n->name,
		     c->plan->func->name);
	else
		fc_fail(c, n->col, "unknown parameter \"%s\" (%s has %s)", n->name,
		     c->plan->func->name, names);
}


void fc_check_selector(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct go_type *t, *shown;
	const struct go_field *field;
	struct operand x;
	uint64_t off = 0;

	fc_check(c, n->a, &x);
	if (c->failed)
		return;
	if (x.cls != V_PLACE) {
		fc_fail(c, n->col, "%s has no fields", n->a->kind == FN_IDENT ? n->a->name : "this");
		return;
	}
	shown = t = x.place.type;
	if (t->kind == GO_POINTER && t->elem && t->elem->kind == GO_STRUCT) {
		/* Go follows the pointer for the selector */
		fc_load(c, n->col, &x.place, 0, 8, false, false);
		x.place.loc = LOC_MEM;
		x.place.off = 0;
		t = t->elem;
	}
	field = go_type__find_field(t, n->name, &off);
	if (!field || !field->type) {
		fc_fail(c, n->col, "%s undefined (type %s has no field %s)", n->name, fc_type_name(shown),
		     n->name);
		return;
	}
	*out = x;
	out->place.type = field->type;
	out->place.off += off;
}

static bool is_bytes(const struct go_type *t)
{
	return t->kind == GO_SLICE && t->elem && t->elem->kind == GO_UINT8;
}

/* A place used as a value: a scalar or a string, loaded now. */
void fc_use_value(struct compiler *c, int col, struct operand *v)
{
	const struct go_type *t;

	if (v->cls != V_PLACE || c->failed)
		return;
	t = v->place.type;
	if (t->kind == GO_BOOL) {
		fc_load(c, col, &v->place, 0, 1, false, false);
		v->cls = V_BOOL;
	} else if (fc_is_int_kind(t->kind)) {
		v->cls = V_INT;
		v->type_name = fc_type_name(t);
		v->size = t->size ? t->size : 8;
		v->is_signed = fc_is_signed_kind(t->kind);
		fc_load(c, col, &v->place, 0, v->size, v->is_signed, false);
	} else if (t->kind == GO_STRING || is_bytes(t)) {
		/* a []byte compares as string(b) does: its data and len */
		v->bytes = t->kind != GO_STRING;
		fc_load(c, col, &v->place, 0, 8, false, true);
		v->cls = V_STRING;
	}
}

void fc_check_len(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct go_type *t;
	uint32_t start = c->f->n_ops;
	int mark = c->n_asserts;
	struct operand x;
	struct gt_fop *op;

	fc_check(c, n->a, &x);
	if (c->failed)
		return;
	memset(out, 0, sizeof(*out));
	out->cls = V_INT;
	out->type_name = "int";
	out->size = 8;
	out->is_signed = true;
	if (x.cls == V_CONST_STR) {
		out->cls = V_CONST_INT;
		out->u = x.len;
		return;
	}
	if (x.cls != V_PLACE) {
		fc_fail(c, n->a->col, "invalid argument for len");
		return;
	}
	t = x.place.type;
	switch (t->kind) {
	case GO_STRING:
	case GO_SLICE:
		fc_load(c, n->col, &x.place, 8, 8, true, false);
		return;
	case GO_ARRAY:
		/* a constant: Go does not evaluate the array (p.A of a nil p
		 * does not panic), so the code that reached it goes */
		c->f->n_ops = start;
		c->n_asserts = mark;
		out->cls = V_CONST_INT;
		out->u = t->len;
		return;
	case GO_MAP:
	case GO_CHAN:
		/* hmap.count, the Swiss Map's used, hchan.qcount: the first
		 * word behind the pointer; a nil map or channel has 0 */
		fc_load(c, n->col, &x.place, 0, 8, false, false);
		op = fc_emit(c, n->col, GT_F_LOAD);
		if (op) {
			op->size = 8;
			op->flags = GT_FF_NIL_ZERO;
		}
		return;
	default:
		fc_fail(c, n->a->col, "invalid argument for len (type %s)", fc_type_name(t));
	}
}

void fc_check_deref(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct go_type *t;

	fc_check(c, n->a, out);
	if (c->failed)
		return;
	t = out->place.type;
	if (out->cls != V_PLACE || t->kind != GO_POINTER || !t->elem) {
		fc_fail(c, n->col, "invalid operation: cannot indirect a %s (not a pointer)",
		     fc_class_name(out));
		return;
	}
	fc_load(c, n->col, &out->place, 0, 8, false, false);
	out->place.loc = LOC_MEM;
	out->place.off = 0;
	out->place.type = t->elem;
}

/* x[i] of a constant i: an array's element at its offset; a slice's (or a
 * string's byte) behind its data pointer, once i < len is checked in BPF. */
void fc_check_index(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct go_type *t, *elem;
	struct gt_fop *op;
	uint64_t i;

	fc_check(c, n->a, out);
	if (c->failed)
		return;
	t = out->place.type;
	if (out->cls != V_PLACE) {
		fc_fail(c, n->col, "invalid operation: cannot index %s", fc_class_name(out));
		return;
	}
	if (t->kind == GO_MAP) {
		fc_fail(c, n->col, "map index: not yet in filters");
		return;
	}
	if (n->b->kind != FN_INT || n->b->negative) {
		fc_fail(c, n->b->col, "the index must be a constant integer >= 0");
		return;
	}
	i = n->b->u;
	elem = t->kind == GO_STRING ? &fc_byte_type : t->elem;
	if ((t->kind != GO_ARRAY && t->kind != GO_SLICE && t->kind != GO_STRING) || !elem) {
		fc_fail(c, n->col, "invalid operation: cannot index %s", fc_type_name(t));
		return;
	}
	if (elem->size && i > (uint64_t)INT32_MAX / elem->size) {
		fc_fail(c, n->b->col, "index %llu is past what a filter reaches",
		     (unsigned long long)i);
		return;
	}
	out->place.type = elem;
	if (t->kind == GO_ARRAY) {
		if (i >= t->len)
			fc_fail(c, n->b->col,
			     "invalid index %llu (out of bounds for %llu-element array)",
			     (unsigned long long)i, (unsigned long long)t->len);
		out->place.off += i * elem->size;
		return;
	}
	/* data and len, then data once i < len */
	fc_load(c, n->col, &out->place, 0, 8, false, true);
	op = fc_emit(c, n->col, GT_F_INDEX);
	if (op)
		op->imm = i;
	out->place.loc = LOC_MEM;
	out->place.off = i * elem->size;
}

void fc_check_string_of(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	fc_check(c, n->a, out);
	if (c->failed)
		return;
	if (out->cls == V_CONST_STR) {
		out->bytes = false;
		return;
	}
	if (out->cls != V_PLACE ||
	    (out->place.type->kind != GO_STRING && !is_bytes(out->place.type))) {
		fc_fail(c, n->col, "cannot convert %s to string (a []byte converts)", fc_class_name(out));
		return;
	}
	/* a slice header begins as a string header does: data, len */
	out->place.type = &fc_string_type;
}

void fc_check_bytes_of(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	fc_check(c, n->a, out);
	if (c->failed)
		return;
	if (out->cls != V_CONST_STR) {
		fc_fail(c, n->col, "[]byte(...) converts a string literal only (in filters)");
		return;
	}
	out->bytes = true;
}

/* Whether Go stores a T in an interface's data word itself, not behind it
 * (the runtime's kindDirectIface: pointer-shaped). */
static bool direct_iface(const struct go_type *t, int depth)
{
	if (!t || depth > 8)
		return false;
	switch (t->kind) {
	case GO_POINTER:
	case GO_UNSAFE_POINTER:
	case GO_MAP:
	case GO_CHAN:
	case GO_FUNC:
		return true;
	case GO_ARRAY:
		return t->len == 1 && direct_iface(t->elem, depth + 1);
	case GO_STRUCT:
		return t->n_fields == 1 && direct_iface(t->fields[0].type, depth + 1);
	default:
		return false;
	}
}

/* The descriptor of the type T names, in the traced binary; 0 on failure. */
static uint64_t assert_type(struct compiler *c, const struct filter_node *n,
			    const struct go_type **t)
{
	const struct gobin *types_bin = c->opts ? c->opts->types_bin : NULL;
	char why[200];
	uint64_t addr;

	*t = types_bin ? gobin__resolve_type(types_bin, n->str, why, sizeof(why)) : NULL;
	if (!*t) {
		fc_fail(c, n->col, "%s: %s", n->str, types_bin ? why : "no types to look in");
		return 0;
	}
	if ((*t)->kind == GO_INTERFACE) {
		fc_fail(c, n->col, "%s is an interface: filters assert concrete types only", n->str);
		return 0;
	}
	addr = (*t)->runtime_type;
	if (addr && types_bin != c->opts->bin)
		addr = gobin__twin_type_addr(types_bin, c->opts->bin, addr);
	if (!addr)
		fc_fail(c, n->col, "%s has no runtime type descriptor: no interface can hold it",
		     n->str);
	return addr;
}

/* x.(T): the interface's two words, its type compared in BPF; the data
 * word the value (pointer-shaped T) or where it is. */
void fc_check_assert(struct compiler *c, const struct filter_node *n, struct operand *out)
{
	const struct go_type *iface, *t = NULL;
	struct gt_fop *op;
	uint64_t addr;

	fc_check(c, n->a, out);
	if (c->failed)
		return;
	iface = out->place.type;
	if (out->cls != V_PLACE || iface->kind != GO_INTERFACE) {
		fc_fail(c, n->col, "invalid operation: %s is not an interface", fc_class_name(out));
		return;
	}
	addr = assert_type(c, n, &t);
	if (c->failed)
		return;
	if (!c->scopes || c->n_asserts >= GT_FILTER_OPS) {
		fc_fail(c, n->col, "filter compiled to a malformed program");
		return;
	}
	fc_load(c, n->col, &out->place, 0, 8, false, true);
	op = fc_emit(c, n->col, GT_F_ASSERT);
	if (!op)
		return;
	op->imm = addr;
	op->flags = iface->is_empty_interface ? 0 : GT_FF_ITAB;
	c->asserts[c->n_asserts++] = c->f->n_ops - 1;
	out->place.type = t;
	out->place.loc = direct_iface(t, 0) ? LOC_WORD : LOC_MEM;
	out->place.off = 0;
}
