// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Why gotrace stopped and what it saw, on stderr: the user learns whether
 * the trace is whole (the process exited) or cut (-n, -d, Ctrl-C), and
 * what was missed, without -v.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/child.h"
#include "cmd/env.h"
#include "cmd/summary.h"

#define SUMMARY_NAMES 8 /* functions named in the summary line */

void report_stop(const struct stop *stop)
{
	const char *name;
	char how[64];

	switch (stop->reason) {
	case STOP_NONE:
		break;
	case STOP_SIGNAL:
		name = sigabbrev_np(stop->signal);
		report("stopped: SIG%s received", name ? name : "?");
		break;
	case STOP_DURATION:
		report("stopped: %g second%s passed (-d)", env.duration,
		       env.duration == 1 ? "" : "s");
		break;
	case STOP_MAX_EVENTS:
		report("stopped: %ld event%s printed (-n)", stop->events,
		       stop->events == 1 ? "" : "s");
		break;
	case STOP_OUTPUT_CLOSED:
		report("stopped: the output was closed (%s)", strerror(-stop->err));
		break;
	case STOP_WRITE_ERROR:
		report("stopped: writing events to %s: %s", env.output ? env.output : "stdout",
		       strerror(-stop->err));
		break;
	case STOP_READ_ERROR:
		report("stopped: reading events: %s", strerror(-stop->err));
		break;
	case STOP_PROCESS_EXITED:
		report("stopped: process %d exited", stop->pid);
		break;
	case STOP_BINARY_REWRITTEN:
		report("stopped: %s was modified in place: its probes would sit at stale offsets "
		       "in the new code",
		       stop->path);
		break;
	case STOP_COMMAND_EXITED:
		describe_wait_status(stop->status, how, sizeof(how));
		report("stopped: the command (pid %d) %s", stop->pid, how);
		break;
	}
}

struct func_calls {
	const char *name;
	long calls;
};

static int by_calls(const void *a, const void *b)
{
	const struct func_calls *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool filtered(const struct summary *sum, int i)
{
	const struct gt_filter *f = sum->funcs[i].filter;

	return f && (f->flags & (GT_FILTER_ON | GT_FILTER_HOLD));
}

/* What the filters of entry plan I's function passed and dropped: at the
 * call, and for held calls at the return. */
static void function_counts(const struct summary *sum, int i, uint64_t *passed, uint64_t *seen)
{
	const struct gt_filter_count *call = &sum->filtered[i], *ret = NULL;

	if (i + 1 < sum->n_funcs && (sum->funcs[i + 1].plan->bpf.flags & GT_PLAN_RETURN))
		ret = &sum->filtered[i + 1];
	*seen = call->passed + call->dropped + call->unheld;
	if (sum->funcs[i].filter->flags & GT_FILTER_HOLD) {
		/* every call the entry passed is decided at its return */
		if (!(sum->funcs[i].filter->flags & GT_FILTER_ON))
			*seen = call->unheld + (ret ? ret->passed + ret->dropped : 0);
		*passed = ret ? ret->passed : 0;
	} else {
		*passed = call->passed;
	}
}

/* "; filters passed 5 of 7000 calls (main.f 5 of 7000, main.g 0 of 3)" */
static void describe_filters(FILE *f, const struct summary *sum)
{
	uint64_t passed = 0, seen = 0, p, n_seen;
	int i, n = 0;

	for (i = 0; sum->filtered && i < sum->n_funcs; i++) {
		if ((sum->funcs[i].plan->bpf.flags & GT_PLAN_RETURN) || !filtered(sum, i))
			continue;
		function_counts(sum, i, &p, &n_seen);
		passed += p;
		seen += n_seen;
		n++;
	}
	if (!n)
		return;
	fprintf(f, "; filters passed %llu of %llu calls", (unsigned long long)passed,
		(unsigned long long)seen);
	for (i = 0, n = 0; i < sum->n_funcs; i++) {
		if ((sum->funcs[i].plan->bpf.flags & GT_PLAN_RETURN) || !filtered(sum, i))
			continue;
		if (n == SUMMARY_NAMES) {
			fputs(", ...", f);
			break;
		}
		function_counts(sum, i, &p, &n_seen);
		fprintf(f, "%s%s %llu of %llu", n++ ? ", " : " (", sum->funcs[i].func->name,
			(unsigned long long)p, (unsigned long long)n_seen);
	}
	fputc(')', f);
}

void report_summary(const struct summary *sum)
{
	struct func_calls *by_func;
	long total = 0, rest = 0;
	int i, n = 0;
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	by_func = calloc(sum->n_funcs ? sum->n_funcs : 1, sizeof(*by_func));
	f = open_memstream(&line, &len);
	if (!by_func || !f) {
		report("out of memory");
		free(by_func);
		if (f)
			fclose(f);
		free(line);
		return;
	}
	/* calls count on entry plans; with -r a return plan follows each */
	for (i = 0; i < sum->n_funcs; i++) {
		if (sum->funcs[i].plan->bpf.flags & GT_PLAN_RETURN)
			continue;
		by_func[n].name = sum->funcs[i].func->name;
		by_func[n++].calls = sum->calls[i];
		total += sum->calls[i];
	}
	qsort(by_func, n, sizeof(*by_func), by_calls);
	fprintf(f, "%ld call%s", total, total == 1 ? "" : "s");
	for (i = 0; i < n && i < SUMMARY_NAMES; i++)
		fprintf(f, "%s%s %ld", i ? ", " : ": ", by_func[i].name, by_func[i].calls);
	for (; i < n; i++)
		rest += by_func[i].calls;
	if (n > SUMMARY_NAMES)
		fprintf(f, ", and %d more functions %ld", n - SUMMARY_NAMES, rest);
	fprintf(f, "; %llu events lost", (unsigned long long)sum->lost);
	if (sum->lost)
		fputs(" (the ring buffer was full: --buffer-size)", f);
	fprintf(f, "; %llu frames evicted", (unsigned long long)sum->evicted);
	if (sum->evicted)
		fputs(" (calls that never returned: unwound by a panic)", f);
	describe_filters(f, sum);
	fclose(f);
	report("%s", line);
	free(line);
	free(by_func);
}
