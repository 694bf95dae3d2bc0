/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What happened, said on stderr when gotrace stops: why it stopped, then
 * one summary line of what it saw (struct stop and the words: output/).
 */
#ifndef GOTRACE_SUMMARY_H
#define GOTRACE_SUMMARY_H

#include <stdint.h>
#include <sys/types.h>
#include "cmd/session.h"
#include "output/output.h"

/* "gotrace: stopped: why". */
void report_stop(const struct stop *stop);

struct summary {
	const struct traced *funcs; /* by plan id */
	int n_funcs;
	const long *calls; /* call events printed, by plan id */
	uint64_t lost;	   /* events the ring buffer had no room for */
	uint64_t evicted;  /* -r: calls that never returned, evicted */
	/* by plan id: what each function's filter passed and dropped (zeros
	 * for plans without one); NULL: none */
	const struct gt_filter_count *filtered;
};

/* "gotrace: 7 calls: main.f 5, main.g 2; 0 events lost; 0 frames evicted",
 * then with filters "; filters passed 5 of 7000 calls (main.f 5 of 7000)": 
 * the functions by calls, most first, the first few named. */
void report_summary(const struct summary *sum);

#endif /* GOTRACE_SUMMARY_H */
