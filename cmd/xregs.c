// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Floats in X registers, seen from the session: which plans need signal
 * frames, what -v says about them, and the kernel's TIF_NEED_FPU_LOAD bit
 * (docs/design.md, "Floats in X registers").
 */
#include <stdio.h>
#include <sys/utsname.h>
#include "cmd/xregs.h"

/*
 * TIF_NEED_FPU_LOAD is a #define, not in the kernel's BTF. x86 had it at
 * bit 14 until Linux 6.18 moved its flags above the generic ones, to 19
 * ("x86: Use generic TIF bits"). Used only where checked: 14 through
 * 6.13, 19 in 6.18 (measured). Elsewhere -1: floats in X registers stay
 * unavailable rather than risk a stale copy.
 */
int xregs_tif_need_fpu_load_bit(void)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return -1;
	if (major < 6 || (major == 6 && minor <= 13))
		return 14;
	if (major == 6 && minor == 18)
		return 19;
	return -1;
}

bool xregs_plan_reads(const struct func_plan *plan)
{
	uint32_t i;

	for (i = 0; i < plan->bpf.n_ops; i++)
		if (plan->bpf.ops[i].kind == GT_OP_XMM)
			return true;
	return false;
}

/* -v: which arguments (or results) a signal frame supplies, and which the
 * probed instruction overwrites before any frame can save them. */
void xregs_describe(const struct traced *t, FILE *out)
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

