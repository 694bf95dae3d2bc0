// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stats output: the table, the histograms in the style of bcc's
 * funclatency (print_log2_hist), and the JSON objects of docs/json.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "output/json_writer.h"
#include "output/output.h"

#define STARS 40 /* the widest bar of a histogram */

void stats_slot_range(int k, uint64_t *lo, uint64_t *hi)
{
	*lo = k ? 1ULL << k : 0;
	*hi = k >= 63 ? UINT64_MAX : (1ULL << (k + 1)) - 1;
}

void stats_merge(struct gt_stats *a, const struct gt_stats *b)
{
	int i;

	if (!b->count)
		return;
	if (!a->count || b->min_ns < a->min_ns)
		a->min_ns = b->min_ns;
	if (b->max_ns > a->max_ns)
		a->max_ns = b->max_ns;
	a->count += b->count;
	a->errors += b->errors;
	a->sum_ns += b->sum_ns;
	for (i = 0; i < GT_HIST_SLOTS; i++)
		a->hist[i] += b->hist[i];
}

uint64_t stats_percentile(const struct gt_stats *st, double q)
{
	uint64_t target, before = 0, lo, hi, est;
	double at;
	int k;

	if (!st->count)
		return 0;
	/* the rank of the call at quantile q, 1-based */
	target = (uint64_t)(q * st->count + 0.999999);
	if (target < 1)
		target = 1;
	if (target > st->count)
		target = st->count;
	for (k = 0; k < GT_HIST_SLOTS; k++) {
		if (!st->hist[k] || before + st->hist[k] < target) {
			before += st->hist[k];
			continue;
		}
		stats_slot_range(k, &lo, &hi);
		if (lo < st->min_ns)
			lo = st->min_ns;
		if (hi > st->max_ns)
			hi = st->max_ns;
		at = (double)(target - before) / st->hist[k];
		est = lo + (uint64_t)((double)(hi - lo) * at);
		return est < lo ? lo : est > hi ? hi : est;
	}
	return st->max_ns;
}

static void format_time(char *buf, size_t len, int64_t ns, bool json)
{
	time_t sec = ns / 1000000000;
	long nsec = ns % 1000000000;
	char date[32];
	struct tm tm;

	if (json) {
		gmtime_r(&sec, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%09ldZ", date, nsec);
	} else {
		localtime_r(&sec, &tm);
		strftime(date, sizeof(date), "%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%09ld", date, nsec);
	}
}

/* "12.3µs": three significant digits, in the unit that fits */
static void format_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.3gµs", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.3gms", ns / 1e6);
	else
		snprintf(buf, len, "%.3fs", ns / 1e9);
}

static int last_slot(const struct gt_stats *st)
{
	int k;

	for (k = GT_HIST_SLOTS - 1; k >= 0; k--)
		if (st->hist[k])
			return k;
	return -1;
}

/* As bcc's print_log2_hist: every slot from 0 to the last that counted. */
static void text_histogram(FILE *out, const struct stats_row *row)
{
	const struct gt_stats *st = &row->st;
	int k, last = last_slot(st), stars;
	uint64_t lo, hi, most = 0;
	char bar[STARS + 1];

	fprintf(out, "\n%s\n", row->func);
	if (row->entry_only) {
		fputs("     no latency: traced at its entry only (no RET instruction)\n", out);
		return;
	}
	if (last < 0) {
		fputs("     no calls\n", out);
		return;
	}
	for (k = 0; k <= last; k++)
		if (st->hist[k] > most)
			most = st->hist[k];
	fprintf(out, "%24s : count     distribution\n", "nsecs");
	for (k = 0; k <= last; k++) {
		stats_slot_range(k, &lo, &hi);
		stars = (int)(st->hist[k] * STARS / most);
		memset(bar, '*', stars);
		bar[stars] = 0;
		fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-9" PRIu64 " |%-*s|\n", lo, hi,
			(uint64_t)st->hist[k], STARS, bar);
	}
}

static void text_stats(FILE *out, const struct stats_row *rows, int n_rows, int64_t realtime_ns,
		       uint64_t interval_ns)
{
	static const double quantiles[] = {0.5, 0.9, 0.99};
	char when[48], cell[5][32];
	int i, j, width = 4;

	for (i = 0; i < n_rows; i++)
		if ((int)strlen(rows[i].func) > width)
			width = strlen(rows[i].func);
	format_time(when, sizeof(when), realtime_ns, false);
	format_ns(cell[0], sizeof(cell[0]), interval_ns);
	fprintf(out, "%s stats over %s\n", when, cell[0]);
	fprintf(out, "%-*s %10s %8s %9s %9s %9s %9s %9s\n", width, "FUNC", "CALLS", "ERRORS", "MIN",
		"P50", "P90", "P99", "MAX");
	for (i = 0; i < n_rows; i++) {
		const struct gt_stats *st = &rows[i].st;

		if (st->count && !rows[i].entry_only) {
			format_ns(cell[0], sizeof(cell[0]), st->min_ns);
			for (j = 0; j < 3; j++)
				format_ns(cell[j + 1], sizeof(cell[j + 1]),
					  stats_percentile(st, quantiles[j]));
			format_ns(cell[4], sizeof(cell[4]), st->max_ns);
		} else {
			for (j = 0; j < 5; j++)
				strcpy(cell[j], "-");
		}
		/* µ is two bytes: printf pads by bytes */
		fprintf(out, "%-*s %10" PRIu64 " %8" PRIu64, width, rows[i].func,
			(uint64_t)st->count, (uint64_t)st->errors);
		for (j = 0; j < 5; j++)
			fprintf(out, " %*s", strstr(cell[j], "µ") ? 10 : 9, cell[j]);
		fputc('\n', out);
	}
	for (i = 0; i < n_rows; i++)
		text_histogram(out, &rows[i]);
	fputc('\n', out);
}

static void json_row(struct json_writer *jw, const struct stats_row *row, const char *when,
		     uint64_t interval_ns)
{
	const struct gt_stats *st = &row->st;
	int k, first = -1, last = last_slot(st);
	uint64_t lo, hi;

	jw_start_object(jw);
	jw_string_field(jw, "time", when);
	jw_string_field(jw, "event", "stats");
	jw_string_field(jw, "func", row->func);
	jw_uint_field(jw, "interval_ns", interval_ns);
	jw_uint_field(jw, "count", st->count);
	jw_uint_field(jw, "errors", st->errors);
	if (row->entry_only) {
		jw_name(jw, "entry_only");
		jw_bool(jw, true);
	}
	jw_name(jw, "latency_ns");
	if (st->count && !row->entry_only) {
		jw_start_object(jw);
		jw_uint_field(jw, "min", st->min_ns);
		jw_uint_field(jw, "p50", stats_percentile(st, 0.5));
		jw_uint_field(jw, "p90", stats_percentile(st, 0.9));
		jw_uint_field(jw, "p99", stats_percentile(st, 0.99));
		jw_uint_field(jw, "max", st->max_ns);
		jw_end_object(jw);
	} else {
		jw_null(jw);
	}
	for (k = 0; k < GT_HIST_SLOTS && first < 0; k++)
		if (st->hist[k])
			first = k;
	jw_name(jw, "histogram");
	jw_start_array(jw);
	for (k = first; first >= 0 && k <= last; k++) {
		stats_slot_range(k, &lo, &hi);
		jw_start_array(jw);
		jw_uint(jw, lo);
		jw_uint(jw, hi);
		jw_uint(jw, st->hist[k]);
		jw_end_array(jw);
	}
	jw_end_array(jw);
	jw_end_object(jw);
}

int output_stats(FILE *out, bool json, const struct stats_row *rows, int n_rows,
		 int64_t realtime_ns, uint64_t interval_ns)
{
	struct json_writer *jw;
	char when[48];
	int i;

	if (!json) {
		text_stats(out, rows, n_rows, realtime_ns, interval_ns);
		return 0;
	}
	jw = jw__new(out);
	if (!jw)
		return -ENOMEM;
	format_time(when, sizeof(when), realtime_ns, true);
	for (i = 0; i < n_rows; i++)
		json_row(jw, &rows[i], when, interval_ns);
	jw__free(jw);
	return 0;
}
