// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go's DWARF -> every function's parameters and results, with their Go
 * types (dwarf_types.c), and which ABI assembly functions are in. DWARF
 * names functions as the source does; the function table, gobin.c's, is
 * searched through the lookup it passes, so this file knows nothing of
 * how the table was read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include "symbols/dwarf.h"

/* "~r0", "~r1"...: owned by BIN, shared by every function. */
static const char *result_name(struct go_dwarf *dw, int position)
{
	char buf[16], **names;

	while (dw->n_result_names <= position) {
		names = realloc(dw->result_names, (dw->n_result_names + 1) * sizeof(*names));
		if (!names)
			return NULL;
		dw->result_names = names;
		snprintf(buf, sizeof(buf), "~r%d", dw->n_result_names);
		names[dw->n_result_names] = strdup(buf);
		if (!names[dw->n_result_names])
			return NULL;
		dw->n_result_names++;
	}
	return dw->result_names[position];
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
static int tidy_results(struct go_dwarf *dw, struct go_func *f)
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
			p->name = (char *)result_name(dw, position);
			if (!p->name)
				return -ENOMEM;
		}
		position++;
	}
	return 0;
}

static int load_params(struct go_dwarf *dw, struct go_func *f, Dwarf_Die *sub)
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
		go_dwarf_attr_flag(&child, DW_AT_variable_parameter, &is_result);
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
		p->name = (char *)(name ? name : "_"); /* DWARF strings live as long as the gobin */
		p->is_result = is_result != 0;
		p->type = go_dwarf_ref_type(dw, &child, DW_AT_type, 0);
	} while (dwarf_siblingof(&child, &child) == 0);
	return tidy_results(dw, f);
}

/* runtime.g's goid and stack.hi, for the goroutine id and call pairing. */
void go_dwarf__g_offsets(struct go_dwarf *dw, int64_t *goid, int64_t *stack_hi)
{
	const struct go_type *g = go_dwarf__find_type(dw, "runtime.g");
	int i, j;

	if (!g)
		return;
	for (i = 0; i < g->n_fields; i++) {
		const struct go_field *f = &g->fields[i];

		if (!strcmp(f->name, "goid"))
			*goid = f->offset;
		if (!strcmp(f->name, "stack") && f->type)
			for (j = 0; j < f->type->n_fields; j++)
				if (!strcmp(f->type->fields[j].name, "hi"))
					*stack_hi = f->offset + f->type->fields[j].offset;
	}
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

/* What the walk over the subprograms carries: gobin.c's lookup of its
 * function table, and the wrappers whose receivers are missing. */
struct func_walk {
	dwarf_find_func_fn find;
	void *ctx;
	struct missing_receivers missing;
};

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
static struct go_func *subprogram_func(const struct func_walk *walk, Dwarf_Die *die,
				       const char *name)
{
	struct go_func *f = walk->find(walk->ctx, name);
	Dwarf_Addr low_pc;
	char abi0[512];

	/* an abstract subprogram (DW_AT_inline, no code) lacks the results,
	 * which only its concrete, out-of-line copy lists */
	if (dwarf_lowpc(die, &low_pc) != 0)
		return NULL;
	if (f && f->low_pc == low_pc)
		return f;
	if (!go_abi0_name(abi0, sizeof(abi0), name))
		return NULL;
	f = walk->find(walk->ctx, abi0);
	return f && f->low_pc == low_pc ? f : NULL;
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

static int visit_receiver_type(struct go_dwarf *dw, Dwarf_Die *die, void *ctx)
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
	type = go_dwarf_make_type(dw, die, 0);
	/* every wrapper of this type's value methods */
	for (i = hit - missing->items; i > 0 && !by_type_name(&missing->items[i - 1], hit); i--)
		;
	for (; i < missing->n && !by_type_name(&missing->items[i], hit); i++)
		missing->items[i].type = type;
	return 0;
}

/* The receiver's name: the value method's own, as Go 1.22+ name it. */
static const char *receiver_name(const struct func_walk *walk, const struct go_func *wrapper,
				 const struct go_type *type)
{
	const char *open = strstr(wrapper->name, ".(*"), *close;
	const struct go_func *method;
	char name[512];

	close = open ? strstr(open, ").") : NULL;
	if (close &&
	    snprintf(name, sizeof(name), "%.*s.%.*s%s", (int)(open - wrapper->name), wrapper->name,
		     (int)(close - open - 3), open + 3, close + 1) < (int)sizeof(name)) {
		method = walk->find(walk->ctx, name);
		if (method && method->n_params > 0 && !method->params[0].is_result &&
		    method->params[0].type == type->elem)
			return method->params[0].name;
	}
	return ".this";
}

static int add_missing_receivers(struct go_dwarf *dw, struct func_walk *walk)
{
	struct missing_receivers *missing = &walk->missing;
	struct go_param *params;
	int i, err;

	if (!missing->n)
		return 0;
	qsort(missing->items, missing->n, sizeof(*missing->items), by_type_name);
	/* the linker writes every type into the runtime's unit: the others
	 * only when some type is not there */
	err = go_dwarf_for_each_types_die(dw, visit_receiver_type, missing);
	if (err > 0)
		err = 0;
	for (i = 0; !err && i < missing->n; i++)
		if (!missing->items[i].type) {
			err = go_dwarf_for_each_top_die(dw, visit_receiver_type, missing);
			break;
		}
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
		params[0] = (struct go_param){(char *)receiver_name(walk, m->func, m->type),
					      m->type, false};
		m->func->params = params;
		m->func->n_params++;
	}
	return 0;
}

static int visit_subprogram(struct go_dwarf *dw, Dwarf_Die *die, void *ctx)
{
	struct func_walk *walk = ctx;
	struct go_func *found;
	const char *name, *file;
	Dwarf_Word trampoline = 0;
	int err;

	if (dwarf_tag(die) != DW_TAG_subprogram)
		return 0;
	name = dwarf_diename(die);
	if (!name)
		return 0;
	found = subprogram_func(walk, die, name);
	if (!found || found->has_dwarf)
		return 0;
	found->dwarf_read = true;
	file = dwarf_decl_file(die);
	/* the compiler's ABI wrappers and method wrappers: Go 1.15 gives
	 * them the file "<autogenerated>"; by 1.19 they have no file and
	 * are marked DW_AT_trampoline instead. A package's initializer runs
	 * its variable initializers, the package's own code, although Go
	 * 1.22+ declare it at "<autogenerated>" too. */
	if (((file && ends_with(file, "<autogenerated>")) ||
	     (go_dwarf_attr_flag(die, DW_AT_trampoline, &trampoline) && trampoline)) &&
	    !go_name_is_package_init(found->name))
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
	err = load_params(dw, found, die);
	if (err || !found->is_wrapper)
		return err;
	return note_missing_receiver(&walk->missing, found);
}

/* Visits the functions of the units named PKG (LEN bytes), or with PKG
 * NULL of every unit, that were not visited yet. */
static int load_units(struct go_dwarf *dw, const char *pkg, size_t len, dwarf_find_func_fn find,
		      void *ctx)
{
	struct func_walk walk = {.find = find, .ctx = ctx};
	struct dwarf_unit *u, *end;
	int err, i;

	if (dw->all_units_read)
		return 0;
	err = go_dwarf_index_units(dw);
	if (err)
		return err;
	end = dw->units + dw->n_units;
	for (u = pkg ? go_dwarf_first_unit(dw, pkg, len) : dw->units;
	     !err && u < end && (!pkg || go_dwarf_unit_is(u, pkg, len)); u++) {
		if (u->read)
			continue;
		u->read = true;
		err = go_dwarf_for_each_unit_die(dw, u->die, visit_subprogram, &walk);
	}
	if (!pkg)
		dw->all_units_read = true;
	if (!err)
		err = add_missing_receivers(dw, &walk);
	go_dwarf_settle_types(dw);
	for (i = 0; i < walk.missing.n; i++)
		free(walk.missing.items[i].type_name);
	free(walk.missing.items);
	return err;
}

int go_dwarf__load_funcs(struct go_dwarf *dw, dwarf_find_func_fn find, void *ctx)
{
	return load_units(dw, NULL, 0, find, ctx);
}

int go_dwarf__load_package_funcs(struct go_dwarf *dw, const char *pkg, size_t len,
				 dwarf_find_func_fn find, void *ctx)
{
	return load_units(dw, pkg, len, find, ctx);
}
