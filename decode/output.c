// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Printers: one JSON object per line (the contract in docs/json.md), or a
 * text line a Go programmer reads at a glance, close to Go's %+v.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode/decode.h"

/* Shortest decimal that reads back as the same float (Go's strconv 'g', -1). */
static void format_float(char *buf, size_t len, double f, bool is32)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, f);
		if (is32 ? (float)strtod(buf, NULL) == (float)f : strtod(buf, NULL) == f)
			return;
	}
}

static bool is_float32(const struct go_type *t)
{
	return t && (t->kind == GO_FLOAT32 || t->kind == GO_COMPLEX64);
}

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0 if invalid. */
static int utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	int len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and out of range are invalid, as in Go */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * A quoted string. JSON: control characters as \uXXXX and invalid UTF-8 as
 * U+FFFD, as Go's encoding/json does. Text: Go's %q, close enough, with
 * control characters and invalid bytes as \xXX.
 */
static void quote_string(FILE *out, const char *s, size_t n, bool json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int l;

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
		} else if (c == '\r' && json) {
			fputs("\\r", out);
		} else if (c < 0x20 || (c == 0x7f && !json)) {
			fprintf(out, json ? "\\u%04x" : "\\x%02x", c);
		} else if ((l = utf8_len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, l, out);
			i += l;
			continue;
		} else if (json) {
			fputs("\xef\xbf\xbd", out);
		} else {
			fprintf(out, "\\x%02x", c);
		}
		i++;
	}
	fputc('"', out);
}

static void json_string(FILE *out, const char *s, size_t n)
{
	quote_string(out, s, n, true);
}

static void json_cstring(FILE *out, const char *s)
{
	json_string(out, s, strlen(s));
}

static void json_float(FILE *out, double f, bool is32)
{
	char buf[40];

	if (isnan(f)) {
		fputs("\"NaN\"", out);
	} else if (isinf(f)) {
		fputs(f > 0 ? "\"+Inf\"" : "\"-Inf\"", out);
	} else {
		format_float(buf, sizeof(buf), f, is32);
		fputs(buf, out);
	}
}

static void json_value(FILE *out, const struct value *v)
{
	int i;

	switch (v->kind) {
	case VAL_UNAVAILABLE:
		fputs("{\"unavailable\":", out);
		json_cstring(out, v->reason ? v->reason : "unknown");
		fputc('}', out);
		break;
	case VAL_NIL:
		fputs("null", out);
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
		json_float(out, v->f[0], is_float32(v->type));
		break;
	case VAL_COMPLEX:
		fputs("{\"real\":", out);
		json_float(out, v->f[0], is_float32(v->type));
		fputs(",\"imag\":", out);
		json_float(out, v->f[1], is_float32(v->type));
		fputc('}', out);
		break;
	case VAL_STRING:
		json_string(out, v->bytes ? v->bytes : "", v->len);
		break;
	case VAL_POINTER:
		json_value(out, &v->children[0]);
		break;
	case VAL_POINTER_UNFOLLOWED:
		if (v->reason && !strcmp(v->reason, "cycle"))
			fprintf(out, "{\"cycle\":\"0x%" PRIx64 "\"}", v->u);
		else
			fprintf(out, "\"0x%" PRIx64 "\"", v->u);
		break;
	case VAL_STRUCT:
		fputc('{', out);
		for (i = 0; i < v->n_children; i++) {
			if (i)
				fputc(',', out);
			json_cstring(out, v->type->fields[i].name ? v->type->fields[i].name : "");
			fputc(':', out);
			json_value(out, &v->children[i]);
		}
		fputc('}', out);
		break;
	case VAL_ARRAY:
		fputc('[', out);
		for (i = 0; i < v->n_children; i++) {
			if (i)
				fputc(',', out);
			json_value(out, &v->children[i]);
		}
		fputc(']', out);
		break;
	case VAL_INTERFACE:
		fputs("{\"type\":", out);
		if (v->dynamic && v->dynamic->name)
			json_cstring(out, v->dynamic->name);
		else
			fprintf(out, "\"type@0x%" PRIx64 "\"", v->u);
		fputs(",\"value\":", out);
		json_value(out, v->children);
		fputc('}', out);
		break;
	case VAL_MAP:
		fprintf(out, "{\"len\":%" PRIu64, v->u);
		if (v->has_entries) {
			fputs(",\"entries\":[", out);
			for (i = 0; i + 1 < v->n_children; i += 2) {
				fputs(i ? ",[" : "[", out);
				json_value(out, &v->children[i]);
				fputc(',', out);
				json_value(out, &v->children[i + 1]);
				fputc(']', out);
			}
			fputc(']', out);
		}
		fputc('}', out);
		break;
	case VAL_CHAN:
		fprintf(out, "{\"len\":%" PRIu64 ",\"cap\":%" PRIu64 "}", v->u, (uint64_t)v->len);
		break;
	case VAL_FUNC:
		if (v->bytes)
			json_string(out, v->bytes, v->len);
		else
			fprintf(out, "\"0x%" PRIx64 "\"", v->u);
		break;
	}
}

static void text_string(FILE *out, const char *s, size_t n)
{
	quote_string(out, s, n, false);
}

static void text_float(FILE *out, double f, bool is32)
{
	char buf[40];

	if (isnan(f)) {
		fputs("NaN", out);
	} else if (isinf(f)) {
		fputs(f > 0 ? "+Inf" : "-Inf", out);
	} else {
		format_float(buf, sizeof(buf), f, is32);
		fputs(buf, out);
	}
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

/* The first string in a value: the message of errors.errorString,
 * fmt.wrapError and os.PathError (its Op). */
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
	static const char *const errors_with_message[] = {
	    "*errors.errorString",
	    "*fmt.wrapError",
	    "*fmt.wrapErrors",
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

static void text_value(FILE *out, const struct value *v)
{
	int i;

	switch (v->kind) {
	case VAL_UNAVAILABLE:
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
			fprintf(out, "<%s>",
				!strcmp(v->reason, "cycle") ? "cycle" : "not followed");
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

static void json_time(FILE *out, int64_t realtime_ns)
{
	struct tm tm;
	long nsec;
	char buf[32];

	split_time(realtime_ns, &tm, &nsec, true);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "\"time\":\"%s.%09ldZ\"", buf, nsec);
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

static const char *event_name(uint16_t kind)
{
	return kind == GT_EV_RETURN ? "return" : "call";
}

static void json_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	const struct gt_event *ev = de->raw;
	int i;

	fputc('{', out);
	json_time(out, (int64_t)ev->time_ns + opts->realtime_offset_ns);
	fprintf(out, ",\"pid\":%u,\"tid\":%u", ev->pid, ev->tid);
	if (ev->goid)
		fprintf(out, ",\"goid\":%" PRIu64, (uint64_t)ev->goid);
	fprintf(out, ",\"event\":\"%s\",\"func\":", event_name(ev->kind));
	json_cstring(out, de->plan->func->name);
	if (ev->kind == GT_EV_RETURN && (ev->flags & GT_EVF_PAIRED))
		fprintf(out, ",\"duration_ns\":%" PRIu64, (uint64_t)ev->duration_ns);
	fputs(ev->kind == GT_EV_RETURN ? ",\"results\":[" : ",\"args\":[", out);
	for (i = 0; i < de->n_args; i++) {
		const struct decoded_arg *a = &de->args[i];

		if (i)
			fputc(',', out);
		fputs("{\"name\":", out);
		json_cstring(out, a->name ? a->name : "");
		fputs(",\"type\":", out);
		json_cstring(out, a->type && a->type->name ? a->type->name : "?");
		if (a->value.kind == VAL_UNAVAILABLE) {
			fputs(",\"unavailable\":", out);
			json_cstring(out, a->value.reason ? a->value.reason : "unknown");
		} else {
			fputs(",\"value\":", out);
			json_value(out, &a->value);
		}
		if (a->value.truncated)
			fputs(",\"truncated\":true", out);
		fputc('}', out);
	}
	fputc(']', out);
	if (ev->flags & GT_EVF_BUDGET)
		fputs(",\"truncated\":true", out);
	fputs("}\n", out);
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
}

void output_event(FILE *out, const struct output_opts *opts, const struct decoded_event *de)
{
	if (opts->json)
		json_event(out, opts, de);
	else
		text_event(out, opts, de);
}

void output_lost(FILE *out, const struct output_opts *opts, uint64_t count, int64_t time_ns)
{
	if (opts->json) {
		fputc('{', out);
		json_time(out, time_ns);
		fprintf(out, ",\"event\":\"lost\",\"count\":%" PRIu64 "}\n", count);
	} else {
		text_time(out, time_ns);
		fprintf(out, " LOST %" PRIu64 " events: the ring buffer was full\n", count);
	}
}

void output_signature(FILE *out, const struct go_func *func)
{
	int i, n_in = 0, n_out = 0;
	bool named_results = false;

	fprintf(out, "%s(", func->name);
	for (i = 0; i < func->n_params; i++) {
		const struct go_param *p = &func->params[i];

		if (p->is_result) {
			n_out++;
			if (p->name && p->name[0] != '~')
				named_results = true;
			continue;
		}
		fprintf(out, "%s%s %s", n_in++ ? ", " : "", p->name ? p->name : "_",
			p->type && p->type->name ? p->type->name : "?");
	}
	fputc(')', out);
	if (n_out)
		fputs(n_out > 1 || named_results ? " (" : " ", out);
	for (i = 0, n_in = 0; i < func->n_params; i++) {
		const struct go_param *p = &func->params[i];

		if (!p->is_result)
			continue;
		if (n_in++)
			fputs(", ", out);
		if (named_results)
			fprintf(out, "%s ", p->name);
		fputs(p->type && p->type->name ? p->type->name : "?", out);
	}
	if (n_out > 1 || (n_out && named_results))
		fputc(')', out);
	if (!func->has_dwarf)
		fputs(" [no DWARF: argument types unknown]", out);
	fputc('\n', out);
}
