/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * plan/ never prints on its own: it says what it warns of, and why it
 * failed, through the CLI's one diagnostics helper, passed in (cmd/env.h's
 * report): one line each, "what failed: why", naming the function, file or
 * line at fault.
 */
#ifndef GOTRACE_PLAN_REPORT_H
#define GOTRACE_PLAN_REPORT_H

typedef void (*plan_report_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* GOTRACE_PLAN_REPORT_H */
