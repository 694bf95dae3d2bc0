// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Floats in X registers, seen from the kernel: its TIF_NEED_FPU_LOAD bit
 * (docs/design.md, "Floats in X registers"). Which plans need signal
 * frames is the plan set's to say (plan/plan_sites.c).
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
