// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's DWARF (cmd/link/internal/ld/dwarf.go) -> Go types and parameters.
 *
 * Go extends DWARF with attributes that carry what C's DWARF cannot say:
 * the reflect kind of every type, the key and element types of maps, chans
 * and slices, embedded fields, and the address of each type's runtime
 * descriptor. Named types are typedefs of their underlying type; maps and
 * chans are typedefs of pointers to runtime structures; interfaces are
 * typedefs of runtime.iface or runtime.eface.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include "symbols/internal.h"

#define DW_AT_go_kind 0x2900
#define DW_AT_go_key 0x2901
#define DW_AT_go_elem 0x2902
#define DW_AT_go_embedded_field 0x2903
#define DW_AT_go_runtime_type 0x2904
#define MAX_TYPE_DEPTH 64 /* typedef and pointer chains in a hostile file */

/* Types by DIE offset: an open-addressing table. */
struct type_entry {
	Dwarf_Off die;
	struct go_type *type;
	bool owns_fields;
	/* a named type's copy of this layout, refreshed by settle_named_types */
	struct go_type *under;
};

struct type_table {
	struct type_entry *slots;
	size_t cap, n;
	/* by runtime descriptor address, built on first use */
	struct go_type **by_rtype;
	size_t n_rtype;
	bool all_loaded;
};

static struct type_table *table_of(const struct gobin *bin)
{
	return bin->types;
}

static size_t hash_off(Dwarf_Off off, size_t cap)
{
	return (off * 0x9e3779b97f4a7c15ull) >> 20 & (cap - 1);
}

static struct type_entry *table_find(struct type_table *t, Dwarf_Off die)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = hash_off(die, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].type)
			return NULL;
		if (t->slots[i].die == die)
			return &t->slots[i];
	}
}

static struct type_entry *table_insert(struct type_table *t, Dwarf_Off die, struct go_type *type)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024, j;
		struct type_entry *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return NULL;
		for (j = 0; j < t->cap; j++) {
			if (!t->slots[j].type)
				continue;
			for (i = hash_off(t->slots[j].die, cap); slots[i].type;
			     i = (i + 1) & (cap - 1))
				;
			slots[i] = t->slots[j];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	for (i = hash_off(die, t->cap); t->slots[i].type; i = (i + 1) & (t->cap - 1))
		;
	t->slots[i].die = die;
	t->slots[i].type = type;
	t->n++;
	return &t->slots[i];
}

static bool attr_udata(Dwarf_Die *die, unsigned name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;
	Dwarf_Addr addr;

	if (!dwarf_attr(die, name, &attr))
		return false;
	if (dwarf_whatform(&attr) == DW_FORM_addr) {
		if (dwarf_formaddr(&attr, &addr))
			return false;
		*val = addr;
		return true;
	}
	return dwarf_formudata(&attr, val) == 0;
}

/* DW_FORM_flag (Go's results and embedded fields) or a constant. Through
 * DW_AT_abstract_origin: the out-of-line copy of a function inlined
 * elsewhere gives its parameters only as references to the abstract ones. */
static bool attr_flag(Dwarf_Die *die, unsigned name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;
	bool flag;

	if (!dwarf_attr_integrate(die, name, &attr))
		return false;
	if (dwarf_formflag(&attr, &flag) == 0) {
		*val = flag;
		return true;
	}
	return dwarf_formudata(&attr, val) == 0;
}

static bool attr_die(Dwarf_Die *die, unsigned name, Dwarf_Die *out)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, name, &attr) && dwarf_formref_die(&attr, out);
}

static uint32_t scalar_align(uint64_t size)
{
	return size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
}

static enum go_kind base_kind(Dwarf_Die *die, uint64_t size)
{
	Dwarf_Word enc = 0;

	attr_udata(die, DW_AT_encoding, &enc);
	switch (enc) {
	case DW_ATE_boolean:
		return GO_BOOL;
	case DW_ATE_float:
		return size == 4 ? GO_FLOAT32 : GO_FLOAT64;
	case DW_ATE_complex_float:
		return size == 8 ? GO_COMPLEX64 : GO_COMPLEX128;
	case DW_ATE_signed:
		return size == 1 ? GO_INT8 : size == 2 ? GO_INT16 : size == 4 ? GO_INT32 : GO_INT64;
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
		return size == 1   ? GO_UINT8
		       : size == 2 ? GO_UINT16
		       : size == 4 ? GO_UINT32
				   : GO_UINT64;
	default:
		return GO_INVALID;
	}
}

static struct go_type *make_type(struct gobin *bin, Dwarf_Die *die, int depth);

static struct go_type *ref_type(struct gobin *bin, Dwarf_Die *die, unsigned attr, int depth)
{
	Dwarf_Die target;

	if (!attr_die(die, attr, &target))
		return NULL;
	return make_type(bin, &target, depth + 1);
}

static int load_fields(struct gobin *bin, Dwarf_Die *die, struct go_type *t, int depth)
{
	Dwarf_Die child;
	int cap = 0;

	if (dwarf_child(die, &child) != 0)
		return 0;
	do {
		struct go_field *f;
		Dwarf_Word off = 0, embedded = 0;
		const char *name;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (t->n_fields == cap) {
			cap = cap ? cap * 2 : 8;
			f = realloc(t->fields, cap * sizeof(*f));
			if (!f)
				return -ENOMEM;
			t->fields = f;
		}
		f = &t->fields[t->n_fields++];
		memset(f, 0, sizeof(*f));
		name = dwarf_diename(&child);
		f->name = strdup(name ? name : "_");
		attr_udata(&child, DW_AT_data_member_location, &off);
		attr_flag(&child, DW_AT_go_embedded_field, &embedded);
		f->offset = off;
		f->embedded = embedded != 0;
		f->type = ref_type(bin, &child, DW_AT_type, depth);
		if (f->type && f->type->align > t->align)
			t->align = f->type->align;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static uint64_t array_len(Dwarf_Die *die)
{
	Dwarf_Die child;
	Dwarf_Word n = 0;

	if (dwarf_child(die, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		if (attr_udata(&child, DW_AT_count, &n))
			return n;
		if (attr_udata(&child, DW_AT_upper_bound, &n))
			return n + 1;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

/*
 * A generic function's types are its shapes, "[]go.shape.int_0": shown as
 * the type they stand for, "[]int" (all pointer types share one shape,
 * "go.shape.*uint8_0", shown as "*uint8").
 */
static char *type_name(const char *name)
{
	static const char shape[] = "go.shape.";
	char *out = strdup(name), *p, *end;

	if (!out)
		return NULL;
	while ((p = strstr(out, shape))) {
		memmove(p, p + sizeof(shape) - 1, strlen(p + sizeof(shape) - 1) + 1);
		/* drop the "_N" suffix of the shape's name */
		for (end = p; *end && !strchr(",]) ;}", *end); end++)
			;
		while (end > p && end[-1] >= '0' && end[-1] <= '9')
			end--;
		if (end > p && end[-1] == '_')
			memmove(end - 1, end + strspn(end, "0123456789"),
				strlen(end + strspn(end, "0123456789")) + 1);
	}
	return out;
}

static struct go_type *make_type(struct gobin *bin, Dwarf_Die *die, int depth)
{
	struct type_table *table = table_of(bin);
	Dwarf_Off off = dwarf_dieoffset(die);
	struct type_entry *e = table_find(table, off);
	struct go_type *t, *under;
	Dwarf_Word kind = 0, size = 0, rtype = 0;
	const char *name;
	bool has_kind;

	if (e)
		return e->type;
	if (depth > MAX_TYPE_DEPTH)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	/* registered before recursing, so that recursive types terminate */
	e = table_insert(table, off, t);
	if (!e) {
		free(t);
		return NULL;
	}
	e->owns_fields = true;
	name = dwarf_diename(die);
	t->name = type_name(name ? name : "?");
	/* Go 1.15's linker writes kind 0 on the types it makes itself (the
	 * pointer types of defptrto, "*int"; hchan<int>): the tag decides */
	has_kind = attr_udata(die, DW_AT_go_kind, &kind) && kind != GO_INVALID;
	attr_udata(die, DW_AT_byte_size, &size);
	attr_udata(die, DW_AT_go_runtime_type, &rtype);
	t->kind = kind;
	t->size = size;
	/* the linker writes most descriptors' addresses relative to
	 * runtime.types, and some absolute */
	if (rtype && rtype < bin->types_base)
		rtype += bin->types_base;
	t->runtime_type = rtype;

	switch (dwarf_tag(die)) {
	case DW_TAG_base_type:
		if (!has_kind)
			t->kind = base_kind(die, size);
		t->align = scalar_align(t->kind == GO_COMPLEX128  ? 8
					: t->kind == GO_COMPLEX64 ? 4
								  : size);
		break;
	case DW_TAG_pointer_type:
		if (!has_kind)
			t->kind =
			    !strcmp(t->name, "unsafe.Pointer") ? GO_UNSAFE_POINTER : GO_POINTER;
		t->size = 8;
		t->align = 8;
		if (t->kind == GO_POINTER)
			t->elem = ref_type(bin, die, DW_AT_type, depth);
		break;
	case DW_TAG_subroutine_type:
		t->kind = GO_FUNC;
		t->size = 8;
		t->align = 8;
		break;
	case DW_TAG_array_type:
		t->kind = GO_ARRAY;
		t->elem = ref_type(bin, die, DW_AT_type, depth);
		t->len = array_len(die);
		t->align = t->elem ? t->elem->align : 1;
		if (!size && t->elem)
			t->size = t->elem->size * t->len;
		break;
	case DW_TAG_structure_type:
		if (!has_kind)
			t->kind = GO_STRUCT;
		t->align = 1;
		if (load_fields(bin, die, t, depth))
			return NULL;
		if (t->kind == GO_SLICE)
			t->elem = ref_type(bin, die, DW_AT_go_elem, depth);
		break;
	case DW_TAG_typedef:
		under = ref_type(bin, die, DW_AT_type, depth);
		if (!under)
			break;
		/* a named type: the underlying type's layout, its own name */
		t->size = under->size;
		t->align = under->align;
		t->elem = under->elem;
		t->key = under->key;
		t->len = under->len;
		t->fields = under->fields;
		t->n_fields = under->n_fields;
		t->is_empty_interface = under->is_empty_interface;
		e = table_find(table, off);
		if (e) {
			e->owns_fields = false;
			e->under = under;
		}
		/* a generic function's ".param0" stands for its shape type */
		if (t->name[0] == '.' && under->name) {
			free(t->name);
			t->name = strdup(under->name);
		}
		if (!has_kind)
			t->kind = under->kind;
		if (!rtype)
			t->runtime_type = under->runtime_type;
		switch (t->kind) {
		case GO_MAP:
		case GO_CHAN:
			t->size = 8;
			t->align = 8;
			t->key = ref_type(bin, die, DW_AT_go_key, depth);
			t->elem = ref_type(bin, die, DW_AT_go_elem, depth);
			t->fields = NULL;
			t->n_fields = 0;
			break;
		case GO_INTERFACE:
			if (under->kind == GO_STRUCT || under->kind == GO_INTERFACE)
				t->is_empty_interface = under->is_empty_interface ||
							!strcmp(under->name, "runtime.eface");
			t->size = 16;
			t->align = 8;
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
	if (!t->align)
		t->align = 1;
	return t;
}

/*
 * A named type copies its underlying type's layout when it is made. When
 * the underlying struct is still being made (`type Ring struct{ next
 * *Ring; ... }` reached struct first: Ring, next, *Ring, the typedef Ring,
 * Ring again), the copy holds the fields made so far, through a pointer
 * that growing the array may free. Once every type reachable is made, copy
 * again; chains of named types settle in as many rounds as they are long.
 */
static void settle_named_types(struct gobin *bin)
{
	struct type_table *table = table_of(bin);
	size_t i;
	int round;
	bool changed = true;

	if (!table)
		return;
	for (round = 0; changed && round < MAX_TYPE_DEPTH; round++) {
		changed = false;
		for (i = 0; i < table->cap; i++) {
			struct type_entry *e = &table->slots[i];
			struct go_type *t = e->type;
			const struct go_type *u = e->under;

			if (!t || !u || t->kind == GO_MAP || t->kind == GO_CHAN)
				continue;
			if (t->fields != u->fields || t->n_fields != u->n_fields)
				changed = true;
			t->fields = u->fields;
			t->n_fields = u->n_fields;
			if (t->kind == GO_INTERFACE)
				continue; /* size and alignment are fixed */
			if (t->size != u->size || t->align != u->align || t->elem != u->elem)
				changed = true;
			t->size = u->size;
			t->align = u->align;
			t->elem = u->elem;
			t->key = u->key;
			t->len = u->len;
		}
	}
}

/* "~r0", "~r1"...: owned by BIN, shared by every function. */
static const char *result_name(struct gobin *bin, int position)
{
	char buf[16], **names;

	while (bin->n_result_names <= position) {
		names = realloc(bin->result_names, (bin->n_result_names + 1) * sizeof(*names));
		if (!names)
			return NULL;
		bin->result_names = names;
		snprintf(buf, sizeof(buf), "~r%d", bin->n_result_names);
		names[bin->n_result_names] = strdup(buf);
		if (!names[bin->n_result_names])
			return NULL;
		bin->n_result_names++;
	}
	return bin->result_names[position];
}

/* Go's names for unnamed results, "~r3", and for blank ones, "~b3"; "_"
 * for a nameless entry. */
static bool is_unnamed_result(const char *name)
{
	return !strcmp(name, "_") ||
	       (name[0] == '~' && (name[1] == 'r' || name[1] == 'b') && name[2] &&
		strspn(name + 2, "0123456789") == strlen(name + 2));
}

/*
 * Each result once, named by its position. Go 1.19 to 1.26 list the
 * unnamed results of a function with a defer twice ("~r0", "~r0", "~r1",
 * "~r1"): the first entry stands for both, since the plan places results
 * by the ABI, not by these entries' locations. Go 1.15 and 1.16 number
 * unnamed results after the parameters ("~r1" for the first result of
 * f(k string)), later versions from 0, and blank results are "~b" or "~r":
 * on every version they show as "~r0", "~r1"... by their position among
 * the results. Named results keep their names.
 */
static int tidy_results(struct gobin *bin, struct go_func *f)
{
	int i, j, n = 0, position = 0;

	for (i = 0; i < f->n_params; i++) {
		const struct go_param *p = &f->params[i];
		bool again = false;

		for (j = 0; p->is_result && strcmp(p->name, "_") && j < n && !again; j++)
			again = f->params[j].is_result && f->params[j].type == p->type &&
				!strcmp(f->params[j].name, p->name);
		if (!again)
			f->params[n++] = *p;
	}
	f->n_params = n;
	for (i = 0; i < n; i++) {
		struct go_param *p = &f->params[i];

		if (!p->is_result)
			continue;
		if (is_unnamed_result(p->name)) {
			p->name = (char *)result_name(bin, position);
			if (!p->name)
				return -ENOMEM;
		}
		position++;
	}
	return 0;
}

static int load_params(struct gobin *bin, struct go_func *f, Dwarf_Die *sub)
{
	Dwarf_Die child;
	int cap = 0, n_inputs = 0;

	f->has_dwarf = true;
	if (dwarf_child(sub, &child) != 0)
		return 0;
	do {
		struct go_param *p;
		Dwarf_Word is_result = 0;
		const char *name;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		name = dwarf_diename(&child);
		attr_flag(&child, DW_AT_variable_parameter, &is_result);
		/* Go 1.27 lists a shaped function's dictionary, where it is
		 * passed; earlier versions leave it out (generic_takes_dictionary).
		 * Not an argument of the source: it is not shown. */
		if (!is_result && name && !strcmp(name, ".dict")) {
			f->has_dict = true;
			f->dict_index = n_inputs;
			continue;
		}
		n_inputs += !is_result;
		if (f->n_params == cap) {
			cap = cap ? cap * 2 : 8;
			p = realloc(f->params, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			f->params = p;
		}
		p = &f->params[f->n_params++];
		memset(p, 0, sizeof(*p));
		p->name = (char *)(name ? name : "_"); /* DWARF strings live as long as bin */
		p->is_result = is_result != 0;
		p->type = ref_type(bin, &child, DW_AT_type, 0);
	} while (dwarf_siblingof(&child, &child) == 0);
	return tidy_results(bin, f);
}

/* runtime.g's goid and stack.hi, for the goroutine id and call pairing. */
static void load_g_offsets(struct gobin *bin)
{
	const struct go_type *g = gobin__find_type(bin, "runtime.g");
	int i, j;

	if (!g)
		return;
	for (i = 0; i < g->n_fields; i++) {
		const struct go_field *f = &g->fields[i];

		if (!strcmp(f->name, "goid"))
			bin->goid_offset = f->offset;
		if (!strcmp(f->name, "stack") && f->type)
			for (j = 0; j < f->type->n_fields; j++)
				if (!strcmp(f->type->fields[j].name, "hi"))
					bin->stack_hi_offset =
					    f->offset + f->type->fields[j].offset;
	}
}

/* Visits every top-level DIE of every CU. */
static int for_each_top_die(struct gobin *bin, int (*fn)(struct gobin *, Dwarf_Die *, void *),
			    void *ctx)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu, die;
	int err;

	while (dwarf_nextcu(bin->dwarf, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(bin->dwarf, off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				err = fn(bin, &die, ctx);
				if (err)
					return err > 0 ? 0 : err;
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * The symbol a subprogram DIE describes. DWARF names both halves of a
 * function with two ABIs alike ("runtime.asmcgocall" for the assembly body
 * and for its register-ABI wrapper), while the symbol table calls the ABI0
 * half "NAME.abi0": the entry address tells them apart.
 */
static struct go_func *subprogram_func(struct gobin *bin, Dwarf_Die *die, const char *name)
{
	const struct go_func *f = gobin__find_func(bin, name);
	Dwarf_Addr low_pc;
	char abi0[512];

	/* an abstract subprogram (DW_AT_inline, no code) lacks the results,
	 * which only its concrete, out-of-line copy lists */
	if (dwarf_lowpc(die, &low_pc) != 0)
		return NULL;
	if (f && f->low_pc == low_pc)
		return (struct go_func *)f;
	if (snprintf(abi0, sizeof(abi0), "%s.abi0", name) >= (int)sizeof(abi0))
		return NULL;
	f = gobin__find_func(bin, abi0);
	return f && f->low_pc == low_pc ? (struct go_func *)f : NULL;
}

/* PATH (a package path or a directory) is X or ends in "/X". */
static bool path_is(const char *path, size_t len, const char *x)
{
	size_t n = strlen(x);

	return len >= n && !strncmp(path + len - n, x, n) && (len == n || path[len - n - 1] == '/');
}

/* Packages whose assembly may be written for the register ABI: the only
 * ones cmd/go assembles with -compiling-runtime (objabi.IsRuntimePackagePath
 * in Go 1.19), which alone permits the <ABIInternal> selector. */
static bool is_runtime_package(const char *path, size_t len)
{
	static const char *const pkgs[] = {"runtime", "reflect", "syscall", "internal/bytealg"};
	const char *slash;
	size_t i;

	for (i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++)
		if (path_is(path, len, pkgs[i]))
			return true;
	/* runtime/internal/NAME */
	slash = memrchr(path, '/', len);
	return slash && path_is(path, slash - path, "runtime/internal");
}

bool asm_func_is_stack_abi(const char *name, const char *decl_file)
{
	const char *slash, *dot, *dir;

	if (!name || !decl_file || !ends_with(decl_file, ".s"))
		return false;
	/* the symbol's package: up to the first dot after the last slash */
	slash = strrchr(name, '/');
	dot = strchr(slash ? slash : name, '.');
	if (!dot || is_runtime_package(name, dot - name))
		return false;
	/* and the file's: the runtime defines time.now, for one */
	dir = strrchr(decl_file, '/');
	return !dir || !is_runtime_package(decl_file, dir - decl_file);
}

/*
 * The compiler's (*T).M wrapper, which a call of the value method T.M
 * through an interface holding a *T runs, takes the *T first. Before Go
 * 1.22 the compiler names that receiver ".this", and names that begin with
 * '.' get no DWARF entry (dwarfgen): the wrapper's DWARF lists only the
 * method's arguments. 1.22 and later keep the method's receiver name, and
 * list it. Missing receivers are added once every DIE has been read: *T is
 * a type DIE of its own, found by name.
 */
struct missing_receiver {
	struct go_func *func;
	char *type_name; /* "*main.T" */
	struct go_type *type;
};

struct missing_receivers {
	struct missing_receiver *items;
	int n, cap;
};

/* "*pkg/path.T" from "pkg/path.(*T).M", or NULL for other names: the
 * method value wrapper "(*T).M-fm" and closures "(*T).M.func1" take no
 * receiver. */
static char *pointer_receiver_type(const char *func_name)
{
	const char *open = strstr(func_name, ".(*"), *p;
	char *out;
	int depth = 0;

	if (!open)
		return NULL;
	/* T may be generic: main.(*Box[go.shape.int]).Put */
	for (p = open + 3; *p && !(*p == ')' && depth == 0); p++)
		depth += (*p == '[' || *p == '(') - (*p == ']' || *p == ')');
	if (*p != ')' || p == open + 3 || p[1] != '.' || !p[2] || strpbrk(p + 2, ".-[("))
		return NULL;
	if (asprintf(&out, "*%.*s.%.*s", (int)(open - func_name), func_name, (int)(p - open - 3),
		     open + 3) < 0)
		return NULL;
	return out;
}

static int note_missing_receiver(struct missing_receivers *missing, struct go_func *f)
{
	struct missing_receiver *items;
	char *type_name = pointer_receiver_type(f->name);

	if (!type_name)
		return 0;
	if (f->n_params > 0 && !f->params[0].is_result && f->params[0].type &&
	    !strcmp(f->params[0].type->name, type_name)) {
		free(type_name); /* Go 1.22+: already there */
		return 0;
	}
	if (missing->n == missing->cap) {
		int cap = missing->cap ? missing->cap * 2 : 16;

		items = realloc(missing->items, cap * sizeof(*items));
		if (!items) {
			free(type_name);
			return -ENOMEM;
		}
		missing->items = items;
		missing->cap = cap;
	}
	missing->items[missing->n++] = (struct missing_receiver){f, type_name, NULL};
	return 0;
}

static int by_type_name(const void *a, const void *b)
{
	return strcmp(((const struct missing_receiver *)a)->type_name,
		      ((const struct missing_receiver *)b)->type_name);
}

static int visit_receiver_type(struct gobin *bin, Dwarf_Die *die, void *ctx)
{
	struct missing_receivers *missing = ctx;
	struct missing_receiver key, *hit;
	struct go_type *type;
	int i;

	if (dwarf_tag(die) != DW_TAG_pointer_type)
		return 0;
	key.type_name = (char *)dwarf_diename(die);
	if (!key.type_name)
		return 0;
	hit = bsearch(&key, missing->items, missing->n, sizeof(key), by_type_name);
	if (!hit || hit->type)
		return 0;
	type = make_type(bin, die, 0);
	/* every wrapper of this type's value methods */
	for (i = hit - missing->items; i > 0 && !by_type_name(&missing->items[i - 1], hit); i--)
		;
	for (; i < missing->n && !by_type_name(&missing->items[i], hit); i++)
		missing->items[i].type = type;
	return 0;
}

/* The receiver's name: the value method's own, as Go 1.22+ name it. */
static const char *receiver_name(struct gobin *bin, const struct go_func *wrapper,
				 const struct go_type *type)
{
	const char *open = strstr(wrapper->name, ".(*"), *close;
	const struct go_func *method;
	char name[512];

	close = open ? strstr(open, ").") : NULL;
	if (close &&
	    snprintf(name, sizeof(name), "%.*s.%.*s%s", (int)(open - wrapper->name), wrapper->name,
		     (int)(close - open - 3), open + 3, close + 1) < (int)sizeof(name)) {
		method = gobin__find_func(bin, name);
		if (method && method->n_params > 0 && !method->params[0].is_result &&
		    method->params[0].type == type->elem)
			return method->params[0].name;
	}
	return ".this";
}

static int add_missing_receivers(struct gobin *bin, struct missing_receivers *missing)
{
	struct go_param *params;
	int i, err;

	if (!missing->n)
		return 0;
	qsort(missing->items, missing->n, sizeof(*missing->items), by_type_name);
	err = for_each_top_die(bin, visit_receiver_type, missing);
	if (err)
		return err;
	for (i = 0; i < missing->n; i++) {
		struct missing_receiver *m = &missing->items[i];

		/* no DIE for *T: leave the wrapper as DWARF gives it */
		if (!m->type)
			continue;
		params = realloc(m->func->params, (m->func->n_params + 1) * sizeof(*params));
		if (!params)
			return -ENOMEM;
		memmove(params + 1, params, m->func->n_params * sizeof(*params));
		params[0] =
		    (struct go_param){(char *)receiver_name(bin, m->func, m->type), m->type, false};
		m->func->params = params;
		m->func->n_params++;
	}
	return 0;
}

static int visit_subprogram(struct gobin *bin, Dwarf_Die *die, void *ctx)
{
	struct go_func *found;
	const char *name, *file;
	Dwarf_Word trampoline = 0;
	int err;

	if (dwarf_tag(die) != DW_TAG_subprogram)
		return 0;
	name = dwarf_diename(die);
	if (!name)
		return 0;
	found = subprogram_func(bin, die, name);
	if (!found || found->has_dwarf)
		return 0;
	file = dwarf_decl_file(die);
	/* the compiler's ABI wrappers and method wrappers: Go 1.15 gives
	 * them the file "<autogenerated>"; by 1.19 they have no file and
	 * are marked DW_AT_trampoline instead */
	if ((file && ends_with(file, "<autogenerated>")) ||
	    (attr_flag(die, DW_AT_trampoline, &trampoline) && trampoline))
		found->is_wrapper = true;
	/* assembly: DWARF has the function but not its arguments, which only
	 * the Go prototype declares; has_dwarf stays false rather than claim
	 * it takes none */
	if (file && ends_with(file, ".s")) {
		/* an assembly function under its plain name: the linker
		 * renames an ABI0 body NAME.abi0 only when a register-ABI
		 * symbol of that name exists (the wrapper the compiler makes
		 * for a Go declaration), so assembly that no Go code
		 * declares keeps its plain name, and the stack ABI */
		if (asm_func_is_stack_abi(found->name, file))
			found->abi = GO_ABI0;
		return 0;
	}
	err = load_params(bin, found, die);
	if (err || !found->is_wrapper)
		return err;
	return note_missing_receiver(ctx, found);
}

int dwarf_load(struct gobin *bin)
{
	struct missing_receivers missing = {0};
	int err, i;

	bin->dwarf = dwarf_begin_elf(bin->elf, DWARF_C_READ, NULL);
	if (!bin->dwarf)
		return 0; /* stripped: not an error here */
	bin->types = calloc(1, sizeof(struct type_table));
	if (!bin->types)
		return -ENOMEM;
	err = for_each_top_die(bin, visit_subprogram, &missing);
	if (!err)
		err = add_missing_receivers(bin, &missing);
	settle_named_types(bin);
	for (i = 0; i < missing.n; i++)
		free(missing.items[i].type_name);
	free(missing.items);
	if (err)
		return err;
	load_g_offsets(bin);
	return 0;
}

static int visit_named_type(struct gobin *bin, Dwarf_Die *die, void *ctx)
{
	const char **want = ctx;
	const char *name;

	switch (dwarf_tag(die)) {
	case DW_TAG_typedef:
	case DW_TAG_structure_type:
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
		break;
	default:
		return 0;
	}
	name = dwarf_diename(die);
	if (!name || strcmp(name, want[0]))
		return 0;
	want[1] = (const char *)make_type(bin, die, 0);
	return 1; /* stop */
}

const struct go_type *gobin__find_type(const struct gobin *bin, const char *name)
{
	const char *want[2] = {name, NULL};

	if (!bin->dwarf)
		return NULL;
	for_each_top_die((struct gobin *)bin, visit_named_type, want);
	settle_named_types((struct gobin *)bin);
	return (const struct go_type *)want[1];
}

static int visit_runtime_type(struct gobin *bin, Dwarf_Die *die, void *ctx)
{
	Dwarf_Word rtype;

	if (attr_udata(die, DW_AT_go_runtime_type, &rtype) && rtype)
		make_type(bin, die, 0);
	return 0;
}

static int by_rtype(const void *a, const void *b)
{
	const struct go_type *ta = *(struct go_type *const *)a, *tb = *(struct go_type *const *)b;

	return ta->runtime_type < tb->runtime_type ? -1 : ta->runtime_type > tb->runtime_type;
}

const struct go_type *dwarf_type_by_runtime_addr(const struct gobin *bin, uint64_t addr)
{
	struct type_table *t = table_of(bin);
	size_t i, lo, hi;

	if (!bin->dwarf || !t)
		return NULL;
	if (!t->all_loaded) {
		t->all_loaded = true;
		for_each_top_die((struct gobin *)bin, visit_runtime_type, NULL);
		settle_named_types((struct gobin *)bin);
		t->by_rtype = calloc(t->n ? t->n : 1, sizeof(*t->by_rtype));
		if (!t->by_rtype)
			return NULL;
		for (i = 0; i < t->cap; i++)
			if (t->slots[i].type && t->slots[i].type->runtime_type)
				t->by_rtype[t->n_rtype++] = t->slots[i].type;
		qsort(t->by_rtype, t->n_rtype, sizeof(*t->by_rtype), by_rtype);
	}
	lo = 0;
	hi = t->n_rtype;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->by_rtype[mid]->runtime_type < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a named type and its plain typedef share a descriptor: prefer the
	 * one whose kind is known */
	for (i = lo; i < t->n_rtype && t->by_rtype[i]->runtime_type == addr; i++)
		if (t->by_rtype[i]->kind != GO_INVALID)
			return t->by_rtype[i];
	return NULL;
}

void dwarf_free(struct gobin *bin)
{
	struct type_table *t = table_of(bin);
	size_t i;
	int j;

	if (t) {
		for (i = 0; i < t->cap; i++) {
			struct go_type *type = t->slots[i].type;

			if (!type)
				continue;
			if (t->slots[i].owns_fields) {
				for (j = 0; j < type->n_fields; j++)
					free(type->fields[j].name);
				free(type->fields);
			}
			free(type->name);
			free(type);
		}
		free(t->slots);
		free(t->by_rtype);
		free(t);
	}
	bin->types = NULL;
	for (j = 0; j < bin->n_result_names; j++)
		free(bin->result_names[j]);
	free(bin->result_names);
	bin->result_names = NULL;
	bin->n_result_names = 0;
	if (bin->dwarf)
		dwarf_end(bin->dwarf);
	bin->dwarf = NULL;
}
