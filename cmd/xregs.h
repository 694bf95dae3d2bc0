/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Floats in X registers, for the session (cmd/xregs.c). */
#ifndef GOTRACE_XREGS_H
#define GOTRACE_XREGS_H


/* TIF_NEED_FPU_LOAD's bit on this kernel, or -1 when unknown. */
int xregs_tif_need_fpu_load_bit(void);
#endif /* GOTRACE_XREGS_H */
