// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Printers: one JSON object per line (the contract in docs/json.md), or a
 * text line a Go programmer reads at a glance, close to Go's %+v. Each text
 * printer sits beside its JSON twin; the JSON ones leave commas and escaping
 * to the writer (json_writer.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode/decode.h"
#include "decode/json_writer.h"
#include "decode/stack_output.h"

static bool is_float32(const struct go_type *t)
{
	return t && (t->kind == GO_FLOAT32 || t->kind == GO_COMPLEX64);
}

/* Go's %q, close enough: control characters and invalid bytes as \xXX. The
 * JSON twin is jw_string. */
static void text_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int len;

	fputc('"', out);
	while (i < n) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20 || c == 0x7f || !(len = utf8_valid_len(p + i, n - i))) {
			fprintf(out, "\\x%02x", c);
		} else {
			fwrite(p + i, 1, len, out);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', out);
}

/* The JSON twin is jw_float. */
/*
 * As Go's %v prints it (strconv's 'g' with the shortest digits): plain
 * decimals unless the exponent is below -4 or at least 6, where Go's
 * shortest %g switches to 1.5e+06.
 */
static void text_float(FILE *out, double f, bool is32)
{
	char buf[40];
	int digits, exp;

	if (isnan(f)) {
		fputs("NaN", out);
		return;
	}
	if (isinf(f)) {
		fputs(f > 0 ? "+Inf" : "-Inf", out);
		return;
	}
	for (digits = 1; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*e", digits - 1, f);
		if (is32 ? (float)strtod(buf, NULL) == (float)f : strtod(buf, NULL) == f)
			break;
	}
	exp = atoi(strchr(buf, 'e') + 1);
	if (exp < -4 || exp >= 6)
		fputs(buf, out);
	else
		fprintf(out, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, f);
}

/* []byte and [N]byte read best as a quoted string */
static bool is_bytes(const struct value *v)
{
	const struct go_type *t = v->type;

	int i;

	if (!t || !t->elem || t->elem->kind != GO_UINT8 || t->elem->size != 1 ||
	    (t->kind != GO_SLICE && t->kind != GO_ARRAY))
		return false;
	for (i = 0; i < v->n_children; i++)
		if (v->children[i].kind != VAL_UINT)
			return false;
	return true;
}

static void text_bytes(FILE *out, const struct value *v)
{
	char *buf = malloc(v->n_children + 1);
	int i;

	if (!buf)
		return;
	for (i = 0; i < v->n_children; i++)
		buf[i] = v->children[i].kind == VAL_UINT ? (char)v->children[i].u : '?';
	text_string(out, buf, v->n_children);
	if (v->truncated)
		fputs("...", out);
	free(buf);
}

static void text_value(FILE *out, const struct value *v);

/* A value wholly past the end of what was captured. */
static bool is_cut(const struct value *v)
{
	int i;

	if (v->kind == VAL_UNAVAILABLE)
		return v->truncated;
	if (v->kind != VAL_STRUCT && v->kind != VAL_ARRAY)
		return false;
	for (i = 0; i < v->n_children; i++)
		if (!is_cut(&v->children[i]))
			return false;
	return v->n_children > 0;
}

/* The first string in a value: the message of errors.errorString. */
static const struct value *first_string(const struct value *v)
{
	const struct value *s;
	int i;

	if (v->kind == VAL_STRING)
		return v;
	for (i = 0; i < v->n_children; i++)
		if ((s = first_string(&v->children[i])))
			return s;
	return NULL;
}

static void text_interface(FILE *out, const struct value *v)
{
	/* errors that are their message alone; a wrapping error shows its
	 * fields, down the chain */
	static const char *const errors_with_message[] = {
	    "*errors.errorString",
	};
	const char *name = v->dynamic ? v->dynamic->name : NULL;
	const struct value *msg;
	unsigned i;

	if (!name) {
		fprintf(out, "type@0x%" PRIx64 "(", v->u);
		text_value(out, v->children);
		fputc(')', out);
		return;
	}
	for (i = 0; i < sizeof(errors_with_message) / sizeof(errors_with_message[0]); i++) {
		if (strcmp(name, errors_with_message[i]))
			continue;
		msg = first_string(v->children);
		if (msg) {
			fprintf(out, "%s(", name);
			text_string(out, msg->bytes ? msg->bytes : "", msg->len);
			fputc(')', out);
			return;
		}
	}
	if (!strcmp(name, "syscall.Errno") && v->children->kind == VAL_UINT) {
		fprintf(out, "syscall.Errno(%" PRIu64 " \"%s\")", v->children->u,
			strerror((int)v->children->u));
		return;
	}
	fprintf(out, "%s(", name);
	text_value(out, v->children);
	fputc(')', out);
}

/* Which limit cut a value, in a word, from the decoder's reason. */
static const char *limit_tag(const char *reason)
{
	if (strstr(reason, "max-depth"))
		return "depth";
	if (strstr(reason, "budget"))
		return "budget";
	if (strstr(reason, "work limit"))
		return "ops";
	return "not captured";
}

static const char *unfollowed_tag(const struct value *v)
{
	return v->is_cycle ? "cycle" : limit_tag(v->reason);
}

static void text_value(FILE *out, const struct value *v)
{
	int i;

	switch (v->kind) {
	case VAL_UNAVAILABLE:
		/* a limit that bit says its name; anything else, its reason */
		if (v->reason && strcmp(limit_tag(v->reason), "not captured"))
			fprintf(out, "<%s>", limit_tag(v->reason));
		else
			fprintf(out, "<unavailable: %s>", v->reason ? v->reason : "unknown");
		break;
	case VAL_NIL:
		fputs("<nil>", out);
		break;
	case VAL_BOOL:
		fputs(v->b ? "true" : "false", out);
		break;
	case VAL_INT:
		fprintf(out, "%" PRId64, v->i);
		break;
	case VAL_UINT:
		fprintf(out, "%" PRIu64, v->u);
		break;
	case VAL_FLOAT:
		text_float(out, v->f[0], is_float32(v->type));
		break;
	case VAL_COMPLEX:
		fputc('(', out);
		text_float(out, v->f[0], is_float32(v->type));
		if (!(v->f[1] < 0) && !isnan(v->f[1]) && !isinf(v->f[1]))
			fputc('+', out);
		text_float(out, v->f[1], is_float32(v->type));
		fputs("i)", out);
		break;
	case VAL_STRING:
		text_string(out, v->bytes ? v->bytes : "", v->len);
		if (v->truncated)
			fputs("...", out);
		break;
	case VAL_POINTER:
		fputc('&', out);
		text_value(out, &v->children[0]);
		break;
	case VAL_POINTER_UNFOLLOWED:
		fprintf(out, "0x%" PRIx64, v->u);
		if (v->reason)
			fprintf(out, "<%s>", unfollowed_tag(v));
		break;
	case VAL_STRUCT:
		fputc('{', out);
		for (i = 0; i < v->n_children; i++) {
			if (i)
				fputc(' ', out);
			/* fields past what a limit let through: one mark for all */
			if (is_cut(&v->children[i])) {
				fputs("...", out);
				break;
			}
			fprintf(out, "%s:", v->type->fields[i].name ? v->type->fields[i].name : "");
			text_value(out, &v->children[i]);
		}
		fputc('}', out);
		break;
	case VAL_ARRAY:
		if (is_bytes(v)) {
			text_bytes(out, v);
			break;
		}
		fputc('[', out);
		for (i = 0; i < v->n_children; i++) {
			if (i)
				fputc(' ', out);
			text_value(out, &v->children[i]);
		}
		if (v->truncated)
			fputs(" ...", out);
		fputc(']', out);
		break;
	case VAL_INTERFACE:
		text_interface(out, v);
		break;
	case VAL_MAP:
		if (!v->has_entries) {
			fprintf(out, "map[len=%" PRIu64 "]", v->u);
			break;
		}
		fputs("map[", out);
		for (i = 0; i + 1 < v->n_children; i += 2) {
			if (i)
				fputc(' ', out);
			text_value(out, &v->children[i]);
			fputc(':', out);
			text_value(out, &v->children[i + 1]);
		}
		if (v->truncated)
			fprintf(out, "%s... len=%" PRIu64, v->n_children ? " " : "", v->u);
		fputc(']', out);
		break;
	case VAL_CHAN:
		fprintf(out, "chan[len=%" PRIu64 " cap=%" PRIu64 "]", v->u, (uint64_t)v->len);
		break;
	case VAL_FUNC:
		if (v->bytes)
			fputs(v->bytes, out);
		else
			fprintf(out, "func@0x%" PRIx64, v->u);
		break;
	}
}

/* Addresses are strings: JSON numbers lose precision past 2^53. */
static void json_address(struct json_writer *jw, const char *prefix, uint64_t addr)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s0x%" PRIx64, prefix, addr);
	jw_cstring(jw, buf);
}

/* {"cycle":"0x…"} for a pointer back to a pointee being shown */
static void json_unfollowed(struct json_writer *jw, const struct value *v)
{
	if (!v->is_cycle) {
		json_address(jw, "", v->u);
		return;
	}
	jw_start_object(jw);
	jw_name(jw, "cycle");
	json_address(jw, "", v->u);
	jw_end_object(jw);
}

static void json_value(struct json_writer *jw, const struct value *v)
{
	int i;

	switch (v->kind) {
	case VAL_UNAVAILABLE:
		jw_start_object(jw);
		jw_string_field(jw, "unavailable", v->reason ? v->reason : "unknown");
		jw_end_object(jw);
		break;
	case VAL_NIL:
		jw_null(jw);
		break;
	case VAL_BOOL:
		jw_bool(jw, v->b);
		break;
	case VAL_INT:
		jw_int(jw, v->i);
		break;
	case VAL_UINT:
		jw_uint(jw, v->u);
		break;
	case VAL_FLOAT:
		jw_float(jw, v->f[0], is_float32(v->type));
		break;
	case VAL_COMPLEX:
		jw_start_object(jw);
		jw_name(jw, "real");
		jw_float(jw, v->f[0], is_float32(v->type));
		jw_name(jw, "imag");
		jw_float(jw, v->f[1], is_float32(v->type));
		jw_end_object(jw);
		break;
	case VAL_STRING:
		jw_string(jw, v->bytes ? v->bytes : "", v->len);
		break;
	case VAL_POINTER:
		json_value(jw, &v->children[0]);
		break;
	case VAL_POINTER_UNFOLLOWED:
		json_unfollowed(jw, v);
		break;
	case VAL_STRUCT:
		jw_start_object(jw);
		for (i = 0; i < v->n_children; i++) {
			jw_name(jw, v->type->fields[i].name ? v->type->fields[i].name : "");
			json_value(jw, &v->children[i]);
		}
		jw_end_object(jw);
		break;
	case VAL_ARRAY:
		jw_start_array(jw);
		for (i = 0; i < v->n_children; i++)
			json_value(jw, &v->children[i]);
		jw_end_array(jw);
		break;
	case VAL_INTERFACE:
		jw_start_object(jw);
		jw_name(jw, "type");
		if (v->dynamic && v->dynamic->name)
			jw_cstring(jw, v->dynamic->name);
		else
			json_address(jw, "type@", v->u);
		jw_name(jw, "value");
		json_value(jw, v->children);
		jw_end_object(jw);
		break;
	case VAL_MAP:
		jw_start_object(jw);
		jw_uint_field(jw, "len", v->u);
		if (v->has_entries) {
			jw_name(jw, "entries");
			jw_start_array(jw);
			for (i = 0; i + 1 < v->n_children; i += 2) {
				jw_start_array(jw);
				json_value(jw, &v->children[i]);
				json_value(jw, &v->children[i + 1]);
				jw_end_array(jw);
			}
			jw_end_array(jw);
		}
		jw_end_object(jw);
		break;
	case VAL_CHAN:
		jw_start_object(jw);
		jw_uint_field(jw, "len", v->u);
		jw_uint_field(jw, "cap", v->len);
		jw_end_object(jw);
		break;
	case VAL_FUNC:
		if (v->bytes)
			jw_string(jw, v->bytes, v->len);
		else
			json_address(jw, "", v->u);
		break;
	}
}

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

static void text_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	const struct gt_event *ev = de->raw;
	int i;

	text_time(out, (int64_t)ev->time_ns + opts->realtime_offset_ns);
	fprintf(out, " pid=%u tid=%u", ev->pid, ev->tid);
	if (ev->goid)
		fprintf(out, " goid=%" PRIu64, (uint64_t)ev->goid);
	fprintf(out, ev->kind == GT_EV_RETURN ? " %s returned (" : " %s(", de->plan->func->name);
	for (i = 0; i < de->n_args; i++) {
		if (i)
			fputs(", ", out);
		fprintf(out, "%s=", de->args[i].name ? de->args[i].name : "_");
		text_value(out, &de->args[i].value);
	}
	fputs(")", out);
	if (ev->kind == GT_EV_RETURN && (ev->flags & GT_EVF_PAIRED))
		text_duration(out, ev->duration_ns);
	if (ev->flags & GT_EVF_BUDGET)
		fputs(" [cut by the capture budget]", out);
	fputc('\n', out);
	if (de->stack)
		text_stack(out, de->stack);
}

static void json_arg(struct json_writer *jw, const struct decoded_arg *a)
{
	jw_start_object(jw);
	jw_string_field(jw, "name", a->name ? a->name : "");
	jw_string_field(jw, "type", a->type && a->type->name ? a->type->name : "?");
	if (a->value.kind == VAL_UNAVAILABLE) {
		jw_string_field(jw, "unavailable", a->value.reason ? a->value.reason : "unknown");
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
	jw_name(jw, ev->kind == GT_EV_RETURN ? "results" : "args");
	jw_start_array(jw);
	for (i = 0; i < de->n_args; i++)
		json_arg(jw, &de->args[i]);
	jw_end_array(jw);
	if (ev->flags & GT_EVF_BUDGET) {
		jw_name(jw, "truncated");
		jw_bool(jw, true);
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
