/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Floats in X registers, for the session (cmd/xregs.c). */
#ifndef GOTRACE_XREGS_H
#define GOTRACE_XREGS_H

#include <stdbool.h>
#include <stdio.h>
#include "cmd/session.h"

/* TIF_NEED_FPU_LOAD's bit on this kernel, or -1 when unknown. */
int xregs_tif_need_fpu_load_bit(void);
/* Whether PLAN reads an X register. */
bool xregs_plan_reads(const struct func_plan *plan);
/* -v: which arguments a signal frame supplies, and which the probed
 * instruction overwrites first. */
void xregs_describe(const struct traced *t, FILE *out);

#endif /* GOTRACE_XREGS_H */
