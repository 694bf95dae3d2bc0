// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -v and --dry-run: the plan set as a reader checks it, function by
 * function: where each argument comes from, the filter's halves, what
 * --stats keeps, the signal frames' part, and where each probe goes.
 */
#include <stdio.h>
#include "plan/filter.h"
#include "plan/plan_set.h"
#include "plan/types.h"

/* Which arguments (or results) a signal frame supplies, and which the
 * probed instruction overwrites before any frame can save them. */
static void describe_x_registers(const struct traced *t, FILE *out)
{
	const struct func_plan *plan = t->plan;
	int i, j, n = 0;

	for (i = 0; i < plan->n_args; i++) {
		const struct plan_arg *arg = &plan->args[i];
		bool from_x = false, clobbered = false;

		for (j = 0; j < arg->n_pieces; j++) {
			if (!arg->pieces[j].is_float)
				continue;
			from_x = true;
			if (plan->bpf.xmm_clobbered & (1u << (arg->pieces[j].reg & 15)))
				clobbered = true;
		}
		if (!from_x)
			continue;
		fprintf(out, "%s %s%s", n++ ? "," : "", arg->param->name,
			clobbered
			    ? " (unavailable: the probed instruction overwrites its X register)"
			    : "");
	}
}

static void describe_filter(const struct traced *entry, const struct traced *ret, FILE *out)
{
	if (!entry->filter_text)
		return;
	fprintf(out, "filter for %s: %s\n", entry->func->name, entry->filter_text);
	if (entry->filter && entry->filter->n_ops) {
		fprintf(out, " at the call:\n");
		filter_describe(entry->filter, out);
	}
	if (ret && ret->filter && ret->filter->n_ops) {
		fprintf(out, " at the return (the call is held until then):\n");
		filter_describe(ret->filter, out);
	}
}

static void describe_plan(const struct plan_set *ps, const struct traced *t, FILE *out)
{
	bool ret = t->kind == PLAN_RETURN;
	int i;

	fprintf(out, "plan %d: %s of %s", (int)(t - ps->plans), ret ? "the return" : "the entry",
		t->func->name);
	if (t->pair >= 0)
		fprintf(out, ", paired with plan %d", t->pair);
	fprintf(out, "; %d probe%s%s\n", t->n_probes, t->n_probes == 1 ? "" : "s",
		t->raw_words ? "; raw registers and stack words" : "");
	plan_describe(t->plan, out);
	if (ps->stats && ret)
		fprintf(out, "%s: --stats: %s\n", t->func->name,
			t->plan->bpf.flags & GT_PLAN_ERR_RESULT ? "errors from its last result"
								: "no error result: errors not counted");
	if (ps->use_signals && plan_reads_x(t->plan)) {
		fprintf(out,
			"%s: %s in X registers, from the signal frame (SIGURG) unless the saved FPU "
			"state is current:",
			t->func->name, ret ? "results" : "arguments");
		if (!ret && !t->plan->bpf.xmm_step)
			fprintf(out, " none (the probed instruction branches)");
		else
			describe_x_registers(t, out);
		fputc('\n', out);
	}
	for (i = 0; i < t->n_probes; i++) {
		unsigned long long at = t->probes[i] - t->func->low_pc;

		if (ret)
			fprintf(out, "%s: return probe at +0x%llx\n", t->func->name, at);
		else
			fprintf(out, "%s: entry probe at +0x%llx%s\n", t->func->name, at,
				t->entry_adjusted ? ", after the stack-growth check" : "");
	}
}

void plan_set__describe(const struct plan_set *ps, FILE *out)
{
	int fi, ret, i;

	for (fi = 0; fi < ps->n_funcs; fi++) {
		const struct traced *entry = &ps->plans[plan_set__entry_id(ps, fi)];

		ret = plan_set__return_id(ps, fi);
		describe_plan(ps, entry, out);
		if (ret >= 0)
			describe_plan(ps, &ps->plans[ret], out);
		describe_filter(entry, ret >= 0 ? &ps->plans[ret] : NULL, out);
	}
	for (i = 0; i < ps->n_sigtramps; i++)
		fprintf(out, "%s: probed for the signal frames that carry X registers, unless "
			     "rt_sigreturn's tracepoint can read them\n",
			ps->sigtramps[i]->name);
	if (ps->event_budget)
		fprintf(out, "capture budget: %u bytes per event\n", ps->event_budget);
	fprintf(out, "%u type programs, %d runtime types for interfaces\n",
		type_table__count(ps->types) - GT_TYPE_FIRST, ps->n_rtypes);
}
