/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What happened, said on stderr when gotrace stops: why it stopped, then
 * one summary line of what it saw.
 */
#ifndef GOTRACE_SUMMARY_H
#define GOTRACE_SUMMARY_H

#include <stdint.h>
#include <sys/types.h>
#include "cmd/session.h"

enum stop_reason {
	STOP_NONE,
	STOP_SIGNAL,	       /* Ctrl-C, SIGTERM */
	STOP_DURATION,	       /* -d */
	STOP_MAX_EVENTS,       /* -n */
	STOP_OUTPUT_CLOSED,    /* the reader went away: EPIPE */
	STOP_WRITE_ERROR,      /* writing events failed otherwise: an error */
	STOP_READ_ERROR,       /* reading the ring buffer failed: an error */
	STOP_PROCESS_EXITED,   /* -p */
	STOP_COMMAND_EXITED,   /* -c */
	STOP_BINARY_REWRITTEN, /* BINARY modified in place: an error */
};

struct stop {
	enum stop_reason reason;
	int signal;	  /* STOP_SIGNAL */
	pid_t pid;	  /* STOP_PROCESS_EXITED, STOP_COMMAND_EXITED */
	int status;	  /* STOP_COMMAND_EXITED: its wait status */
	int err;	  /* STOP_WRITE_ERROR, STOP_READ_ERROR: a negative errno */
	long events;	  /* STOP_MAX_EVENTS */
	const char *path; /* STOP_BINARY_REWRITTEN */
};

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
