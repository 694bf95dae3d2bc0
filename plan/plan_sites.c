// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where the probes go: each function's entry, past the stack-growth check
 * (symbols/code.c), and with returns each RET instruction: never a
 * uretprobe, which crashes Go programs when the runtime moves a goroutine's
 * stack. And for the plans that read X registers, what the signal frame of
 * a SIGURG sent at the probe will show (docs/design.md, "Floats in X
 * registers").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plan/plan_set_internal.h"
#include "plan/untyped.h"

static int add_site(const struct plan_set_opts *o, struct traced *t, uint64_t addr)
{
	uint64_t offset, *probes, *offsets;
	int err;

	err = gobin__vaddr_to_offset(o->bin, addr, &offset);
	if (err) {
		o->report("%s: address 0x%llx is in no loadable segment of %s", t->func->name,
			  (unsigned long long)addr, o->path);
		return err;
	}
	probes = realloc(t->probes, (t->n_probes + 1) * sizeof(*probes));
	if (probes)
		t->probes = probes;
	offsets = probes ? realloc(t->offsets, (t->n_probes + 1) * sizeof(*offsets)) : NULL;
	if (!offsets) {
		o->report("out of memory");
		return -ENOMEM;
	}
	t->offsets = offsets;
	t->probes[t->n_probes] = addr;
	t->offsets[t->n_probes++] = offset;
	return 0;
}

/* The signal frame must show the ip after the probed instruction (its
 * length), and the X registers it overwrites cannot be trusted. A RET's
 * frame needs no step: the results are in place before it. */
static void plan_signal_frame(struct traced *t, const struct go_func_code *code)
{
	struct gt_plan *bpf = &t->plan->bpf;

	if (t->kind != PLAN_ENTRY)
		return;
	bpf->xmm_step = code->entry_size;
	bpf->xmm_clobbered = code->entry_writes_x;
	bpf->sp_step = code->entry_sp_delta;
	if (code->entry_sp_known)
		bpf->flags |= GT_PLAN_SP_STEP;
}

/*
 * A function with no RET (it never returns, or ends in a tail call) cannot
 * have its returns traced. Named exactly, that is an error; matched by a
 * glob, it is traced at its entry only, or left out when what is asked of
 * it needs the return. One warning names them all (plan_find_sites).
 */
static int without_returns(struct plan_set *ps, const struct plan_set_opts *o,
			   const struct go_func *f, struct traced *entry)
{
	if (func_specs__names_exactly(o->specs, o->bin, f)) {
		o->report("%s: no RET instruction in its code (it never returns, or ends in a tail "
			  "call): drop -r for it",
			  f->name);
		return -EINVAL;
	}
	entry->entry_only = true;
	entry->left_out = o->min_duration_ns || (entry->filter && entry->filter->flags & GT_FILTER_HOLD);
	entry->plan->bpf.flags &= ~GT_PLAN_PAIR;
	entry->plan->bpf.flags |= GT_PLAN_ENTRY_ONLY;
	return 0;
}

static int function_sites(struct plan_set *ps, const struct plan_set_opts *o, int fi)
{
	const struct go_func *f = gobin__func(o->bin, o->matches[fi]);
	struct traced *entry = &ps->plans[plan_set__entry_id(ps, fi)];
	int ret_id = plan_set__return_id(ps, fi), err, i;
	struct traced *ret = ret_id >= 0 ? &ps->plans[ret_id] : NULL;
	struct go_func_code code;

	if (entry->print_skipped)
		return 0;
	err = gobin__func_code(o->bin, f, &code);
	if (err) {
		o->report("%s: cannot disassemble its code: %s", f->name, strerror(-err));
		return err;
	}
	entry->entry_adjusted = code.entry_adjusted;
	if (ps->use_signals && plan_reads_x(entry->plan))
		plan_signal_frame(entry, &code);
	if (ret && code.n_rets == 0) {
		err = without_returns(ps, o, f, entry);
		if (err || entry->left_out)
			goto cleanup;
	}
	err = add_site(o, entry, code.entry);
	for (i = 0; !err && ret && i < code.n_rets; i++)
		err = add_site(o, ret, code.rets[i]);
	ps->n_probed_funcs++;
cleanup:
	go_func_code__clear(&code);
	return err;
}

/* One line for the functions traced at their entry only, one for those
 * left out. */
static void report_entry_only(const struct plan_set *ps, const struct plan_set_opts *o)
{
	struct func_names only = {0}, out = {0};
	char names[300];
	int fi;

	for (fi = 0; fi < ps->n_funcs; fi++) {
		const struct traced *entry = &ps->plans[plan_set__entry_id(ps, fi)];

		if (entry->left_out)
			func_names__add(&out, entry->func->name);
		else if (entry->entry_only)
			func_names__add(&only, entry->func->name);
	}
	if (only.count) {
		func_names__format(&only, names, sizeof(names));
		o->report("%d function%s with no RET instruction (%s%s): traced at the entry "
			  "only%s",
			  only.count, only.count == 1 ? "" : "s",
			  only.count == 1 ? "it never returns, or ends in a tail call: " : "",
			  names, ps->stats ? ", --stats counts their calls, with no latency" : "");
	}
	if (out.count) {
		func_names__format(&out, names, sizeof(names));
		o->report("%d function%s with no RET instruction left out (%s): %s needs the "
			  "return",
			  out.count, out.count == 1 ? "" : "s", names,
			  o->min_duration_ns ? "--min-duration" : "the filter");
	}
}

/*
 * Signal frames for X registers: unless forbidden, when some plan reads an
 * X register and the runtime's signal handler can be probed. Its symbol is
 * "runtime.sigtramp.abi0" (assembly, Go 1.17 on) in the symbol table,
 * "runtime.sigtramp" in the pclntab; cgo binaries install
 * runtime.cgoSigtramp, which jumps to it.
 */
static int find_sigtramps(struct plan_set *ps, const struct plan_set_opts *o)
{
	static const char *const names[][2] = {
	    {"runtime.sigtramp.abi0", "runtime.sigtramp"},
	    {"runtime.cgoSigtramp.abi0", "runtime.cgoSigtramp"},
	};
	int i, err;

	for (i = 0; i < ps->n_plans; i++)
		ps->reads_x |= plan_reads_x(ps->plans[i].plan);
	if (!ps->reads_x || !o->signals)
		return 0;
	for (i = 0; i < 2; i++) {
		const struct go_func *f = gobin__find_func(o->bin, names[i][0]);

		if (!f)
			f = gobin__find_func(o->bin, names[i][1]);
		if (!f)
			continue;
		err = gobin__vaddr_to_offset(o->bin, f->low_pc, &ps->sigtramp_offsets[ps->n_sigtramps]);
		if (err) {
			o->report("%s: address 0x%llx is in no loadable segment of %s", f->name,
				  (unsigned long long)f->low_pc, o->path);
			return err;
		}
		ps->sigtramps[ps->n_sigtramps++] = f;
	}
	if (!ps->n_sigtramps)
		o->report("%s: no runtime.sigtramp: floats in X registers only when the kernel holds "
			  "them saved",
			  o->path);
	ps->use_signals = ps->n_sigtramps > 0;
	return 0;
}

int plan_find_sites(struct plan_set *ps, const struct plan_set_opts *o)
{
	int fi, err;

	err = find_sigtramps(ps, o);
	for (fi = 0; !err && fi < ps->n_funcs; fi++)
		err = function_sites(ps, o, fi);
	if (!err)
		report_entry_only(ps, o);
	return err;
}
