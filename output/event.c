// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event printers: one JSON object per line (the contract in docs/json.md),
 * or a text line a Go programmer reads at a glance, close to Go's %+v
 * (with --pretty, one value per line). Each text printer sits beside its
 * JSON twin; the values inside are output/internal.h's printers'.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "output/internal.h"

static void split_time(int64_t ns, struct tm *tm, long *nsec, bool utc)
{
	time_t sec = ns / 1000000000;

	*nsec = ns % 1000000000;
	if (*nsec < 0) {
		*nsec += 1000000000;
		sec--;
	}
	if (utc)
		gmtime_r(&sec, tm);
	else
		localtime_r(&sec, tm);
}

static void text_time(FILE *out, int64_t realtime_ns)
{
	struct tm tm;
	long nsec;
	char buf[16];

	split_time(realtime_ns, &tm, &nsec, false);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fprintf(out, "%s.%09ld", buf, nsec);
}

static void json_time(struct json_writer *jw, int64_t realtime_ns)
{
	struct tm tm;
	long nsec;
	char date[32], buf[48];

	split_time(realtime_ns, &tm, &nsec, true);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, sizeof(buf), "%s.%09ldZ", date, nsec);
	jw_string_field(jw, "time", buf);
}

static const char *event_name(uint16_t kind)
{
	return kind == GT_EV_RETURN ? "return" : "call";
}

/* " in 12.3µs": three significant digits, in the unit that fits */
static void text_duration(FILE *out, uint64_t ns)
{
	if (ns < 1000)
		fprintf(out, " in %" PRIu64 "ns", ns);
	else if (ns < 1000000)
		fprintf(out, " in %.3gµs", ns / 1e3);
	else if (ns < 1000000000)
		fprintf(out, " in %.3gms", ns / 1e6);
	else
		fprintf(out, " in %.3fs", ns / 1e9);
}

/* Every limit that cut something in the event: its values', and the
 * event's own flags (a budget that left a value out altogether). */
static unsigned event_cuts(const struct decoded_event *de)
{
	unsigned mask = 0;
	int i;

	for (i = 0; i < de->n_args; i++)
		mask |= value_cuts(&de->args[i].value);
	if (de->raw->flags & GT_EVF_BUDGET)
		mask |= 1u << LIMIT_BUDGET;
	if (de->raw->flags & (GT_EVF_STEPS | GT_EVF_QUEUE))
		mask |= 1u << LIMIT_OPS;
	return mask;
}

/* The traced function's package, with Go's %2e escapes undone: its types
 * are never folded. */
static void text_home(struct text_style *st, const char *func, char *buf, size_t size)
{
	size_t n = go_package_len(func), i, j = 0;

	for (i = 0; i < n && j + 1 < size; i++, j++) {
		if (!strncmp(func + i, "%2e", 3)) {
			buf[j] = '.';
			i += 2;
		} else {
			buf[j] = func[i];
		}
	}
	buf[j] = 0;
	st->home = buf;
	st->home_len = i == n ? j : 0;
}

static void text_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	const struct gt_event *ev = de->raw;
	/* the default line: compact, and fit to TEXT_LINE_WIDTH */
	struct text_style st = {.pretty = opts->pretty,
				.fold = opts->fold,
				.compact = !opts->pretty && !opts->fold && !de->plan->prints};
	char home[256], cut_by[64] = "";
	int i, prefix, n = 0;

	text_home(&st, de->plan->func->name, home, sizeof(home));
	text_time(out, (int64_t)ev->time_ns + opts->realtime_offset_ns);
	prefix = 18 + fprintf(out, " pid=%u tid=%u", ev->pid, ev->tid);
	if (ev->goid)
		prefix += fprintf(out, " goid=%" PRIu64, (uint64_t)ev->goid);
	if (de->plan->prints) {
		/* --print: "main.f r.Method="GET" len(xs)=3", a return "main.f returned ..." */
		fprintf(out, ev->kind == GT_EV_RETURN ? " %s returned" : " %s",
			de->plan->func->name);
		for (i = 0; i < de->n_args; i++) {
			fprintf(out, "%s%s=", opts->pretty ? "\n    " : " ", de->args[i].name);
			text_value(out, &st, &de->args[i].value, 0, 1);
		}
	} else {
		prefix += fprintf(out, ev->kind == GT_EV_RETURN ? " %s returned (" : " %s(",
				  de->plan->func->name);
	}
	/* the limits that cut values say so where they did; these cut the
	 * event, wherever it was */
	if (ev->flags & GT_EVF_BUDGET)
		n += snprintf(cut_by + n, sizeof(cut_by) - n, "%s--max-event",
			      n ? ", " : " [cut by ");
	if (ev->flags & (GT_EVF_STEPS | GT_EVF_QUEUE))
		n += snprintf(cut_by + n, sizeof(cut_by) - n, "%sthe capture's work limit",
			      n ? ", " : " [cut by ");
	if (n)
		strcat(cut_by, "]");
	/* the fields the line has no room for are left out, and counted (a
	 * failed allocation shows them all): the line's width less the rest */
	prefix += 1 + (int)strlen(cut_by);
	if (ev->kind == GT_EV_RETURN && (ev->flags & GT_EVF_PAIRED))
		prefix += 11; /* " in 999.9ms" at most */
	if (st.compact &&
	    text_fit(&st, de->args, de->n_args,
		     prefix + TEXT_ARGS_WIDTH_MIN < TEXT_LINE_WIDTH ? TEXT_LINE_WIDTH - prefix
								    : TEXT_ARGS_WIDTH_MIN))
		st.n_elided = 0;
	for (i = 0; i < de->n_args && !de->plan->prints; i++) {
		if (opts->pretty)
			fputs("\n    ", out);
		else if (i)
			fputs(", ", out);
		fprintf(out, "%s=", de->args[i].name ? de->args[i].name : "_");
		text_value(out, &st, &de->args[i].value, 0, 1);
		if (opts->pretty)
			fputc(',', out);
	}
	free((void *)st.elided);
	if (opts->pretty && de->n_args && !de->plan->prints)
		fputc('\n', out);
	if (!de->plan->prints)
		fputs(")", out);
	if (ev->kind == GT_EV_RETURN && (ev->flags & GT_EVF_PAIRED))
		text_duration(out, ev->duration_ns);
	fputs(cut_by, out);
	fputc('\n', out);
	if (de->stack)
		text_stack(out, de->stack);
}

static void json_arg(struct json_writer *jw, const struct decoded_arg *a, bool print)
{
	jw_start_object(jw);
	jw_string_field(jw, print ? "expr" : "name", a->name ? a->name : "");
	jw_string_field(jw, "type", a->type && a->type->name ? a->type->name : "?");
	if (a->value.kind == VAL_UNAVAILABLE) {
		jw_string_field(jw, "unavailable", unavailable_words(&a->value));
	} else {
		jw_name(jw, "value");
		json_value(jw, &a->value);
	}
	if (a->value.truncated) {
		jw_name(jw, "truncated");
		jw_bool(jw, true);
	}
	jw_end_object(jw);
}

static int json_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	struct json_writer *jw = jw__new(out);
	const struct gt_event *ev = de->raw;
	unsigned cuts = event_cuts(de);
	int i;

	if (!jw)
		return -ENOMEM;
	jw_start_object(jw);
	json_time(jw, (int64_t)ev->time_ns + opts->realtime_offset_ns);
	jw_uint_field(jw, "pid", ev->pid);
	jw_uint_field(jw, "tid", ev->tid);
	if (ev->goid)
		jw_uint_field(jw, "goid", ev->goid);
	jw_string_field(jw, "event", event_name(ev->kind));
	jw_string_field(jw, "func", de->plan->func->name);
	if (ev->kind == GT_EV_RETURN && (ev->flags & GT_EVF_PAIRED))
		jw_uint_field(jw, "duration_ns", ev->duration_ns);
	jw_name(jw, de->plan->prints ? "values" : ev->kind == GT_EV_RETURN ? "results" : "args");
	jw_start_array(jw);
	for (i = 0; i < de->n_args; i++)
		json_arg(jw, &de->args[i], de->plan->prints);
	jw_end_array(jw);
	if (ev->flags & GT_EVF_BUDGET) {
		jw_name(jw, "truncated");
		jw_bool(jw, true);
	}
	if (cuts) {
		jw_name(jw, "cut");
		jw_start_array(jw);
		for (i = 0; i < 32; i++)
			if (cuts & (1u << i))
				jw_cstring(jw, limit_name(i));
		jw_end_array(jw);
	}
	if (de->stack)
		json_stack(jw, de->stack);
	jw_end_object(jw);
	jw__free(jw);
	return 0;
}

int output_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	if (opts->json)
		return json_event(out, opts, de);
	text_event(out, opts, de);
	return 0;
}

static void text_lost(FILE *out, uint64_t count, int64_t time_ns)
{
	text_time(out, time_ns);
	fprintf(out, " LOST %" PRIu64 " events: the ring buffer was full\n", count);
}

static int json_lost(FILE *out, uint64_t count, int64_t time_ns)
{
	struct json_writer *jw = jw__new(out);

	if (!jw)
		return -ENOMEM;
	jw_start_object(jw);
	json_time(jw, time_ns);
	jw_string_field(jw, "event", "lost");
	jw_uint_field(jw, "count", count);
	jw_end_object(jw);
	jw__free(jw);
	return 0;
}

int output_lost(FILE *out, const struct output_opts *opts, uint64_t count, int64_t time_ns)
{
	if (opts->json)
		return json_lost(out, count, time_ns);
	text_lost(out, count, time_ns);
	return 0;
}
