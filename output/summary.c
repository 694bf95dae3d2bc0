// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Why gotrace stopped and what it saw, as the lines cmd/ says on stderr:
 * the user learns whether the trace is whole (the process exited) or cut
 * (-n, -d, Ctrl-C), and what was missed, without -v.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "output/internal.h"

#define SUMMARY_NAMES 8 /* functions named in the summary line */

void describe_wait_status(int status, char *buf, size_t len)
{
	const char *name;

	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
		return;
	}
	name = WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : NULL;
	if (name)
		snprintf(buf, len, "was killed by SIG%s", name);
	else
		snprintf(buf, len, "ended (wait status 0x%x)", status);
}

void output_stop(FILE *out, const struct stop *stop, double duration, const char *output)
{
	const char *name;
	char how[64];

	switch (stop->reason) {
	case STOP_NONE:
		break;
	case STOP_SIGNAL:
		name = sigabbrev_np(stop->signal);
		fprintf(out, "stopped: SIG%s received", name ? name : "?");
		break;
	case STOP_DURATION:
		fprintf(out, "stopped: %g second%s passed (-d)", duration,
			duration == 1 ? "" : "s");
		break;
	case STOP_MAX_EVENTS:
		fprintf(out, "stopped: %ld event%s printed (-n)", stop->events,
			stop->events == 1 ? "" : "s");
		break;
	case STOP_OUTPUT_CLOSED:
		fprintf(out, "stopped: the output was closed (%s)", strerror(-stop->err));
		break;
	case STOP_WRITE_ERROR:
		fprintf(out, "stopped: writing events to %s: %s", output ? output : "stdout",
			strerror(-stop->err));
		break;
	case STOP_READ_ERROR:
		fprintf(out, "stopped: reading events: %s", strerror(-stop->err));
		break;
	case STOP_PROCESS_EXITED:
		fprintf(out, "stopped: process %d exited", stop->pid);
		break;
	case STOP_BINARY_REWRITTEN:
		fprintf(out,
			"stopped: %s was modified in place: its probes would sit at stale offsets "
			"in the new code",
			stop->path);
		break;
	case STOP_COMMAND_EXITED:
		describe_wait_status(stop->status, how, sizeof(how));
		fprintf(out, "stopped: the command (pid %d) %s", stop->pid, how);
		break;
	}
}

static int by_calls(const void *a, const void *b)
{
	const struct summary_func *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* "; filters passed 5 of 7000 calls (main.f 5 of 7000, main.g 0 of 3)" */
static void describe_filters(FILE *out, const struct summary_line *sum)
{
	uint64_t passed = 0, seen = 0;
	int i;

	if (!sum->n_filtered)
		return;
	for (i = 0; i < sum->n_filtered; i++) {
		passed += sum->filtered[i].passed;
		seen += sum->filtered[i].seen;
	}
	fprintf(out, "; filters passed %llu of %llu calls", (unsigned long long)passed,
		(unsigned long long)seen);
	for (i = 0; i < sum->n_filtered; i++) {
		if (i == SUMMARY_NAMES) {
			fputs(", ...", out);
			break;
		}
		fprintf(out, "%s%s %llu of %llu", i ? ", " : " (", sum->filtered[i].name,
			(unsigned long long)sum->filtered[i].passed,
			(unsigned long long)sum->filtered[i].seen);
	}
	fputc(')', out);
}

int output_summary(FILE *out, const struct summary_line *sum)
{
	struct summary_func *by_func;
	long total = 0, rest = 0;
	int i, n = sum->n_funcs;

	/* the busiest first: a copy, sorted, the caller's left as given */
	by_func = calloc(n ? n : 1, sizeof(*by_func));
	if (!by_func)
		return -ENOMEM;
	if (n)
		memcpy(by_func, sum->funcs, n * sizeof(*by_func));
	for (i = 0; i < n; i++)
		total += by_func[i].calls;
	qsort(by_func, n, sizeof(*by_func), by_calls);
	fprintf(out, "%ld call%s", total, total == 1 ? "" : "s");
	for (i = 0; i < n && i < SUMMARY_NAMES; i++)
		fprintf(out, "%s%s %ld", i ? ", " : ": ", by_func[i].name, by_func[i].calls);
	for (; i < n; i++)
		rest += by_func[i].calls;
	if (n > SUMMARY_NAMES)
		fprintf(out, ", and %d more functions %ld", n - SUMMARY_NAMES, rest);
	fprintf(out, "; %llu events lost", (unsigned long long)sum->lost);
	if (sum->lost)
		fputs(" (the ring buffer was full: --buffer-size)", out);
	fprintf(out, "; %llu frames evicted", (unsigned long long)sum->evicted);
	if (sum->evicted)
		fputs(" (calls that never returned: unwound by a panic)", out);
	describe_filters(out, sum);
	free(by_func);
	return 0;
}
