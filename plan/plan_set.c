// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The plan set, built in one pass: the settings that follow from the
 * binary, a plan for each function's entry (and return), the filters, the
 * event budget, the --stats cut, the probe sites with their signal-frame
 * steps, and the dynamic types of interfaces.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "plan/plan_set_internal.h"
#include "plan/types.h"
#include "plan/untyped.h"

int plan_set__entry_id(const struct plan_set *ps, int func_index)
{
	return ps->returns ? 2 * func_index : func_index;
}

int plan_set__return_id(const struct plan_set *ps, int func_index)
{
	return ps->returns ? 2 * func_index + 1 : -1;
}

bool plan_reads_x(const struct func_plan *plan)
{
	uint32_t i;

	for (i = 0; i < plan->bpf.n_ops; i++)
		if (plan->bpf.ops[i].kind == GT_OP_XMM)
			return true;
	return false;
}

const char *plan_filter_text(const struct plan_set_opts *o, const struct go_func *f,
			     const struct func_spec **spec)
{
	*spec = func_specs__spec_of(o->specs, o->bin, f);
	if (*spec && (*spec)->filter)
		return (*spec)->filter;
	*spec = NULL;
	return o->filter;
}

/* The first signature of a function is the one used: checked against what
 * the binary says of the function, its DWARF (or --debug-file's), else the
 * runtime type descriptor that lists it as a method. Names alone that
 * differ are a warning each; a value whose kind or size differs is an
 * error naming the line, after every line is said. */
static int check_signatures(const struct plan_set_opts *o)
{
	const struct func_specs *specs = o->specs;
	char errbuf[1024];
	int i, j, err = 0;

	for (i = 0; i < specs->n; i++) {
		const struct func_spec *spec = &specs->specs[i];
		const struct go_func *f = gobin__find_func(o->bin, spec->pattern), *debug_f;
		const struct gobin *bin = o->bin;
		bool results = gobin__dwarf_lists_results(o->bin);
		const char *source = "DWARF";
		struct go_func typed;

		for (j = 0; f && spec->sig && j < i; j++)
			if (specs->specs[j].sig && !strcmp(specs->specs[j].pattern, spec->pattern))
				f = NULL;
		if (!f || !spec->sig)
			continue;
		if (!f->has_dwarf && o->debug_bin &&
		    (debug_f = gobin__find_func(o->debug_bin, f->name)) && debug_f->has_dwarf) {
			f = debug_f;
			bin = o->debug_bin;
			results = gobin__dwarf_lists_results(o->debug_bin);
		} else if (!f->has_dwarf) {
			if (!gobin__method_signature(o->bin, f, &typed))
				continue;
			f = &typed;
			source = "its runtime type descriptor";
			results = true;
		}
		switch (func_spec__check_signature(spec, f, source, results, bin, errbuf,
						   sizeof(errbuf))) {
		case GO_SIGNATURE_LAYOUT:
			err = -EINVAL;
			/* fall through */
		case GO_SIGNATURE_NAMES:
			o->report("%s", errbuf);
			break;
		case GO_SIGNATURE_SAME:
			break;
		}
	}
	return err;
}

void plan_report_nothing(const char *fmt, ...)
{
}

void plan_report_caret(const struct plan_set_opts *o, const char *where, int col,
		       const char *func, const char *text, const struct filter_error *fe)
{
	char caret[1024];
	size_t n = 0;
	int i;

	for (i = 1; i < fe->col && text[i - 1] && n + 2 < sizeof(caret); i++)
		caret[n++] = text[i - 1] == '\t' ? '\t' : ' ';
	caret[n] = '\0';
	if (func)
		o->report("%s:%d: %s: %s\n  %s\n  %s^", where, col, func, fe->msg, text, caret);
	else
		o->report("%s:%d: %s\n  %s\n  %s^", where, col, fe->msg, text, caret);
}

const struct go_func *plan_typed_func(const struct plan_set_opts *o, const struct go_func *f,
				      struct go_func *typed, struct go_signature **sig)
{
	enum types_source source;

	*sig = NULL;
	if (f->has_dwarf)
		return f;
	if (typed_without_dwarf(o->bin, f, o->debug_bin, o->specs, false, typed, sig, NULL,
				&source, plan_report_nothing) == 0)
		return typed;
	return NULL;
}

/* Plan PLAN_ID of function F (an entry, or with RESULTS its return). */
static int plan_one(struct plan_set *ps, const struct plan_set_opts *o, int plan_id,
		    const struct go_func *f, struct plan_opts *plan_opts, struct func_names *raw,
		    struct func_names *missing)
{
	struct traced *t = &ps->plans[plan_id];
	bool stack_abi = plan_opts->stack_abi;
	char errbuf[1024] = "";
	int err;

	if (!f->has_dwarf) {
		/* an assembly function's arguments are all on the stack */
		enum types_source source;

		/* warned once per function: its return plan follows its entry's */
		err = typed_without_dwarf(o->bin, f, o->debug_bin, o->specs,
					  stack_abi || f->abi == GO_ABI0, &t->typed, &t->sig, raw,
					  &source,
					  t->kind == PLAN_RETURN ? plan_report_nothing : o->report);
		if (err < 0)
			return err;
		t->raw_words = err == 1;
		f = &t->typed;
	}
	if (plan_opts->results && f->has_dwarf && !t->sig && !gobin__dwarf_lists_results(o->bin)) {
		err = typed_results(o->bin, f, o->specs, &t->typed, &t->sig, missing, o->report);
		if (err < 0)
			return err;
		if (err)
			f = &t->typed;
	}
	t->func = f;
	err = plan_func(f, plan_opts, &t->plan, errbuf, sizeof(errbuf));
	if (err) {
		o->report("%s", errbuf);
		return err;
	}
	if (ps->returns)
		t->plan->bpf.flags |= plan_opts->results ? GT_PLAN_RETURN : GT_PLAN_PAIR;
	if (t->kind == PLAN_RETURN)
		t->plan->bpf.pair_id = t->pair;
	if (stack_abi || f->abi == GO_ABI0)
		t->plan->bpf.flags |= GT_PLAN_G_TLS;
	return 0;
}

/* A plan for each function, two with returns: where each argument (and
 * result) lives under the Go ABI, and what to dereference. */
static int build_plans(struct plan_set *ps, const struct plan_set_opts *o,
		       struct plan_filters *filters, struct plan_prints *prints)
{
	int go_major = 0, go_minor = 0, plans_per_func = ps->returns ? 2 : 1, i, fi, err = 0;
	struct type_table *full_types = NULL;
	struct func_names missing = {0}, raw = {0};
	struct type_opts type_opts = {0};
	struct plan_opts plan_opts = {0};
	char names[300];

	gobin__go_version_number(o->bin, &go_major, &go_minor);
	type_opts.swiss_maps = go_major > 1 || go_minor >= 24;
	type_opts.max_string = o->max_string;
	type_opts.max_elems = o->max_elems;
	plan_opts.stack_abi = go_major == 1 && go_minor < 17;
	plan_opts.max_depth = o->max_depth;
	plan_opts.bin = o->bin;
	plan_opts.types_bin = o->debug_bin ? o->debug_bin : o->bin;
	ps->types = type_table__new(&type_opts);
	/* with --print, the full plans only place the arguments: their type
	 * programs are not loaded */
	full_types = prints->any ? type_table__new(&type_opts) : ps->types;
	if (!ps->types || !full_types) {
		o->report("out of memory");
		err = -ENOMEM;
		goto out;
	}
	plan_opts.types = full_types;

	if ((uint64_t)o->n_matches * plans_per_func > GT_MAX_PLANS) {
		o->report("%d functions match; gotrace traces at most %u at once (%u with -r): "
			  "the kernel's uprobe_multi link takes at most %u probes",
			  o->n_matches, GT_MAX_PLANS, GT_MAX_PLANS / 2, GT_MAX_PLANS);
		return -E2BIG;
	}
	ps->n_funcs = o->n_matches;
	ps->n_plans = o->n_matches * plans_per_func;
	ps->plans = calloc(ps->n_plans ? ps->n_plans : 1, sizeof(*ps->plans));
	if (!ps->plans) {
		o->report("out of memory");
		err = -ENOMEM;
		goto out;
	}
	for (fi = 0; fi < ps->n_funcs; fi++) {
		int entry = plan_set__entry_id(ps, fi), ret = plan_set__return_id(ps, fi);

		ps->plans[entry] = (struct traced){.kind = PLAN_ENTRY, .func_index = fi, .pair = ret};
		if (ret >= 0)
			ps->plans[ret] =
			    (struct traced){.kind = PLAN_RETURN, .func_index = fi, .pair = entry};
	}
	for (i = 0; i < ps->n_plans; i++) {
		const struct go_func *f = gobin__func(o->bin, o->matches[ps->plans[i].func_index]);

		plan_opts.results = ps->plans[i].kind == PLAN_RETURN;
		err = plan_one(ps, o, i, f, &plan_opts, &raw, &missing);
		if (err)
			goto out;
	}
	report_raw_functions(o->bin, &raw, o->report);
	func_names__format(&missing, names, sizeof(names));
	if (missing.count)
		o->report("%s: %s's DWARF lists no results: the returns of %d function%s show none "
			  "(%s); give their result types in a functions file (-f), as in "
			  "'main.f(int) (string, error)'",
			  o->path, gobin__go_version(o->bin), missing.count,
			  missing.count == 1 ? "" : "s", names);
	/* filters read the arguments where the full plans place them */
	err = plan_compile_filters(ps, o, filters, &plan_opts);
	plan_opts.types = ps->types;
	if (!err && prints->any)
		err = plan_apply_prints(ps, o, prints, &plan_opts);
out:
	if (full_types != ps->types)
		type_table__free(full_types);
	return err;
}

/* The bytes of records the BPF program writes before any pointer is
 * followed: each argument's registers and stack words (the root ops run
 * before the scan). A budget below that would cut arguments, not only their
 * pointees. */
static uint32_t fixed_part(const struct func_plan *plan)
{
	uint32_t i, need = 0, size;

	for (i = 0; i < plan->bpf.n_ops; i++) {
		const struct gt_op *op = &plan->bpf.ops[i];

		size = op->kind == GT_OP_XMM ? 8 : op->size;
		need += sizeof(struct gt_rec) + GT_REC_PAD(size);
	}
	return need;
}

/* The room a call event's stack record takes, kept before its arguments. */
static uint32_t stack_room(const struct plan_set *ps, const struct traced *t)
{
	return ps->stack_pcs && t->kind == PLAN_ENTRY ? GT_STACK_ROOM(ps->stack_pcs) : 0;
}

/*
 * --max-event, as the BPF side gets it: a call held until its return is
 * copied into the `held` map whole, which keeps at most GT_HELD_DATA; and a
 * budget below some plan's fixed part (with --stack, and the stack's room)
 * is raised to it. Each change is said.
 */
static void decide_event_budget(struct plan_set *ps, const struct plan_set_opts *o)
{
	const struct traced *widest = NULL;
	long budget = o->event_budget;
	uint32_t need = 0, stack = 0;
	int i;

	if (o->stack_depth > 0)
		ps->stack_pcs = o->stack_depth < GT_STACK_MAX ? o->stack_depth + 1 : GT_STACK_MAX;

	if (ps->any_held && (!budget || budget > GT_HELD_DATA)) {
		if (budget)
			o->report("--max-event %ld lowered to %d: calls held until their return "
				  "keep at most that",
				  budget, GT_HELD_DATA);
		budget = GT_HELD_DATA;
	}
	ps->event_budget = budget;
	if (!budget)
		return;
	for (i = 0; i < ps->n_plans; i++) {
		uint32_t room = stack_room(ps, &ps->plans[i]);

		if (fixed_part(ps->plans[i].plan) + room > need) {
			need = fixed_part(ps->plans[i].plan) + room;
			stack = room;
			widest = &ps->plans[i];
		}
	}
	if (need <= budget)
		return;
	if (need > GT_DATA_MAX)
		need = GT_DATA_MAX;
	if (stack)
		o->report("--max-event %ld raised to %u: the arguments of %s take %u bytes before "
			  "any pointer is followed, and their stack %u",
			  budget, need, widest->func->name, need - stack, stack);
	else
		o->report("--max-event %ld raised to %u: the %s of %s take %u bytes before any "
			  "pointer is followed",
			  budget, need, widest->kind == PLAN_RETURN ? "results" : "arguments",
			  widest->func->name, need);
	ps->event_budget = need;
}

/* --stats: the last result's record, when it is an interface (the error
 * of Go's (..., error) convention), its first word telling nil from
 * non-nil; else nothing. */
static void keep_error_result(struct func_plan *plan)
{
	struct gt_plan *bpf = &plan->bpf;
	const struct plan_arg *last;

	if (!plan->n_args) {
		bpf->n_ops = 0;
		return;
	}
	last = &plan->args[plan->n_args - 1];
	if (!last->available || last->op == PLAN_NO_OP || !last->param->type ||
	    last->param->type->kind != GO_INTERFACE || last->op >= (int)bpf->n_ops) {
		bpf->n_ops = 0;
		return;
	}
	bpf->ops[0] = bpf->ops[last->op];
	bpf->ops[0].type = 0; /* its word only: nothing followed */
	bpf->n_ops = 1;
	bpf->flags |= GT_PLAN_ERR_RESULT;
}

/* --stats: the plans cut to what counting needs. A filter on arguments
 * reads the saved registers, not the ops: the entry keeps none. */
static void cut_for_stats(struct plan_set *ps)
{
	int i;

	for (i = 0; i < ps->n_plans; i++) {
		if (ps->plans[i].kind == PLAN_RETURN)
			keep_error_result(ps->plans[i].plan);
		else
			ps->plans[i].plan->bpf.n_ops = 0;
	}
}

/* TYPE, whose descriptor is at its runtime_type in TYPES, as a dynamic type:
 * its program's id, by the descriptor's address in the traced binary. */
static int add_rtype(struct plan_set *ps, const struct plan_set_opts *o, const struct gobin *types,
		     const struct go_type *type)
{
	uint64_t addr = gobin__twin_type_addr(types, o->bin, type->runtime_type);
	uint32_t id;

	/* a named type and its typedef may share a descriptor, in a row */
	if (type->kind == GO_INVALID || type->kind == GO_INTERFACE ||
	    (ps->n_rtypes && ps->rtype_addrs[ps->n_rtypes - 1] == addr))
		return 0;
	id = type_table__id(ps->types, type);
	if (!id) {
		o->report("%s: too many types for the capture's type table (%d)", o->path,
			  GT_MAX_TYPES);
		return -E2BIG;
	}
	ps->rtype_addrs[ps->n_rtypes] = addr;
	ps->rtype_ids[ps->n_rtypes++] = id;
	return 0;
}

/*
 * When a traced value holds an interface, any type with a runtime type
 * descriptor may be its dynamic type: each gets a type program, and the BPF
 * side finds it by the descriptor's address in the traced binary. The types
 * are DWARF's (the binary's or --debug-file's), then those of the
 * descriptors the binary lists (symbols/typelinks.c) that DWARF does not
 * describe; without DWARF, the descriptors' alone. An interface type is
 * never a dynamic type.
 */
static int dynamic_types(struct plan_set *ps, const struct plan_set_opts *o)
{
	const struct gobin *types = o->debug_bin ? o->debug_bin : o->bin;
	const struct go_type *const *all, *const *listed;
	int n, n_listed, i, err = 0;

	if (!type_table__reaches_interfaces(ps->types))
		return 0;
	n = gobin__runtime_types(types, &all);
	n_listed = gobin__has_dwarf(types) ? gobin__descriptor_types(types, &listed) : 0;
	ps->rtype_addrs = calloc(n + n_listed + 1, sizeof(*ps->rtype_addrs));
	ps->rtype_ids = calloc(n + n_listed + 1, sizeof(*ps->rtype_ids));
	if (!ps->rtype_addrs || !ps->rtype_ids) {
		o->report("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n && !err; i++)
		err = add_rtype(ps, o, types, all[i]);
	for (i = 0; i < n_listed && !err; i++)
		if (gobin__type_by_runtime_addr(types, listed[i]->runtime_type) == listed[i])
			err = add_rtype(ps, o, types, listed[i]);
	return err;
}

/* The analysed file, as the probes will see it. */
static void identify_file(struct plan_set *ps, const struct plan_set_opts *o)
{
	struct stat st;

	if (stat(o->path, &st) == 0) {
		ps->dev = st.st_dev;
		ps->ino = st.st_ino;
	}
	if (!gobin__build_id(o->bin, ps->build_id, sizeof(ps->build_id)))
		ps->build_id[0] = '\0';
}

int plan_set__new(const struct plan_set_opts *o, struct plan_set **out)
{
	struct plan_filters filters = {0};
	struct plan_prints prints = {0};
	struct plan_set *ps;
	int err;

	*out = NULL;
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		o->report("out of memory");
		return -ENOMEM;
	}
	ps->bin = o->bin;
	ps->debug_bin = o->debug_bin;
	ps->path = o->path;
	ps->stats = o->stats;
	identify_file(ps, o);
	err = check_signatures(o);
	if (!err)
		err = plan_filters__parse(&filters, o);
	if (err)
		goto fail;
	err = plan_prints__parse(&prints, o);
	if (err)
		goto fail;
	ps->returns = o->returns || filters.need_returns || prints.need_returns;

	err = build_plans(ps, o, &filters, &prints);
	if (err)
		goto fail;
	decide_event_budget(ps, o);
	if (ps->stats)
		cut_for_stats(ps);
	err = plan_find_sites(ps, o);
	if (!err)
		err = dynamic_types(ps, o);
	if (err)
		goto fail;
	plan_filters__clear(&filters);
	plan_prints__clear(&prints);
	*out = ps;
	return 0;

fail:
	plan_filters__clear(&filters);
	plan_prints__clear(&prints);
	plan_set__free(ps);
	return err;
}

void plan_set__free(struct plan_set *ps)
{
	int i;

	if (!ps)
		return;
	for (i = 0; i < ps->n_plans; i++) {
		func_plan__free(ps->plans[i].plan);
		go_signature__free(ps->plans[i].sig);
		free(ps->plans[i].probes);
		free(ps->plans[i].offsets);
		free(ps->plans[i].filter);
		free(ps->plans[i].filter_text);
	}
	free(ps->plans);
	type_table__free(ps->types);
	free(ps->rtype_addrs);
	free(ps->rtype_ids);
	free(ps);
}
