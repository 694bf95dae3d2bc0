// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The printers on values built by hand: time.Duration and time.Time as Go
 * prints them (the expected strings are Go's own), the folding rule, the
 * default line (zero fields, *url.URL, the budget), the
 * marks a limit leaves in text and JSON, --pretty's layout, and the
 * package of a symbol.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "output/internal.h"
#include "plan/plan.h"

/* ---- types and values by hand ---- */

static struct go_type t_int64 = {.kind = GO_INT64, .name = "int64", .size = 8};
static struct go_type t_int = {.kind = GO_INT, .name = "int", .size = 8};
static struct go_type t_uint64 = {.kind = GO_UINT64, .name = "uint64", .size = 8};
static struct go_type t_uint8 = {.kind = GO_UINT8, .name = "uint8", .size = 1};
static struct go_type t_bool = {.kind = GO_BOOL, .name = "bool", .size = 1};
static struct go_type t_string = {.kind = GO_STRING, .name = "string", .size = 16};
static struct go_type t_duration = {.kind = GO_INT64, .name = "time.Duration", .size = 8};
static struct go_type t_error = {.kind = GO_INTERFACE, .name = "error", .size = 16};

static struct value v_int(int64_t i)
{
	return (struct value){.kind = VAL_INT, .type = &t_int64, .i = i};
}

static struct value v_uint(uint64_t u)
{
	return (struct value){.kind = VAL_UINT, .type = &t_uint64, .u = u};
}

static struct value v_str(const char *s)
{
	return (struct value){.kind = VAL_STRING,
			      .type = &t_string,
			      .bytes = (char *)s,
			      .len = strlen(s),
			      .count = strlen(s)};
}

static struct value v_ptr(struct value *pointee)
{
	return (struct value){.kind = VAL_POINTER, .children = pointee, .n_children = 1};
}

static struct value v_struct(struct go_type *t, struct value *fields)
{
	return (struct value){
	    .kind = VAL_STRUCT, .type = t, .children = fields, .n_children = t->n_fields};
}

static struct value v_array(struct value *elems, int n)
{
	return (struct value){.kind = VAL_ARRAY, .children = elems, .n_children = n, .count = n};
}

static char *text_of(const struct text_style *st, const struct value *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	text_value(out, st, v, 0, 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static const struct text_style plain = {.fold = -1};

static void check_text(const struct text_style *st, const struct value *v, const char *want)
{
	char *got = text_of(st, v);

	assert_string_equal(got, want);
	free(got);
}

static void check_json(const struct value *v, const char *want)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json_writer *jw;

	assert_non_null(out);
	jw = jw__new(out);
	assert_non_null(jw);
	json_value(jw, v);
	jw__free(jw);
	assert_int_equal(fclose(out), 0);
	assert_true(asprintf(&line, "%s\n", want) > 0);
	assert_string_equal(buf, line);
	free(line);
	free(buf);
}

/* ---- time.Duration ---- */

static void test_duration_string(void **state)
{
	/* Go's time.Duration(ns).String() for each */
	static const struct {
		int64_t ns;
		const char *want;
	} cases[] = {
	    {0, "0s"},
	    {1, "1ns"},
	    {999, "999ns"},
	    {1000, "1µs"},
	    {1500, "1.5µs"},
	    {1100000, "1.1ms"},
	    {999999999, "999.999999ms"},
	    {1000000000, "1s"},
	    {1500000000, "1.5s"},
	    {1000000001, "1.000000001s"},
	    {60000000000, "1m0s"},
	    {5401500000000, "1h30m1.5s"},
	    {10800000000000, "3h0m0s"},
	    {360000000000000, "100h0m0s"},
	    {-1, "-1ns"},
	    {-1500000, "-1.5ms"},
	    {-90000000000, "-1m30s"},
	    {INT64_MIN, "-2562047h47m16.854775808s"},
	    {INT64_MAX, "2562047h47m16.854775807s"},
	};
	char buf[WELLKNOWN_MAX];
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		go_duration_string(cases[i].ns, buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_duration_value(void **state)
{
	struct value d = {.kind = VAL_INT, .type = &t_duration, .i = 1500000000};
	struct value own = {.kind = VAL_INT, .type = &t_int64, .i = 1500000000};

	check_text(&plain, &d, "1.5s");
	check_json(&d, "\"1.5s\"");
	/* only time.Duration itself */
	check_text(&plain, &own, "1500000000");
}

/* ---- time.Time ---- */

static struct go_field zone_fields[] = {
    {.name = "name", .type = &t_string},
    {.name = "offset", .type = &t_int},
    {.name = "isDST", .type = &t_bool},
};
static struct go_type t_zone = {
    .kind = GO_STRUCT, .name = "time.zone", .fields = zone_fields, .n_fields = 3};
static struct go_field tx_fields[] = {
    {.name = "when", .type = &t_int64},
    {.name = "index", .type = &t_uint8},
};
static struct go_type t_tx = {
    .kind = GO_STRUCT, .name = "time.zoneTrans", .fields = tx_fields, .n_fields = 2};
static struct go_field loc_fields[] = {
    {.name = "name", .type = &t_string},
    {.name = "zone"},
    {.name = "tx"},
    {.name = "extend", .type = &t_string},
    {.name = "cacheStart", .type = &t_int64},
    {.name = "cacheEnd", .type = &t_int64},
    {.name = "cacheZone"},
};
static struct go_type t_location = {
    .kind = GO_STRUCT, .name = "time.Location", .fields = loc_fields, .n_fields = 7};
static struct go_field time_fields[] = {
    {.name = "wall", .type = &t_uint64},
    {.name = "ext", .type = &t_int64},
    {.name = "loc"},
};
static struct go_type t_time = {
    .kind = GO_STRUCT, .name = "time.Time", .fields = time_fields, .n_fields = 3};

struct location {
	struct value zones[2][3], zone_list, tx[2][2], tx_list, cache_zone[3], cache_ptr;
	struct value fields[7], value;
};

struct time_value {
	struct value fields[3], value;
};

#define ALPHA INT64_MIN
#define OMEGA INT64_MAX
#define MONOTONIC (1ULL << 63)

static void zone(struct value *z, const char *name, int64_t offset, bool dst)
{
	z[0] = v_str(name);
	z[1] = v_int(offset);
	z[2] = (struct value){.kind = VAL_BOOL, .type = &t_bool, .b = dst};
}

/* A Location of N_ZONES zones (offsets, isDST) and N_TX transitions (when,
 * index); a cache of zone CACHE (-1: none) over [START, END). */
static void location(struct location *l, const char *name, int n_zones, const int64_t *offsets,
		     const bool *dst, int n_tx, const int64_t *when, const int *index,
		     const char *extend, int cache, int64_t start, int64_t end)
{
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n_zones; i++) {
		zone(l->zones[i], "Z", offsets[i], dst[i]);
		l->zones[i][0] = v_str("Z");
	}
	for (i = 0; i < n_tx; i++) {
		l->tx[i][0] = v_int(when[i]);
		l->tx[i][1] = (struct value){.kind = VAL_UINT, .type = &t_uint8, .u = index[i]};
	}
	l->zone_list = v_array(NULL, n_zones);
	l->tx_list = v_array(NULL, n_tx);
	l->zone_list.children = calloc(n_zones ? n_zones : 1, sizeof(struct value));
	l->tx_list.children = calloc(n_tx ? n_tx : 1, sizeof(struct value));
	for (i = 0; i < n_zones; i++)
		l->zone_list.children[i] = v_struct(&t_zone, l->zones[i]);
	for (i = 0; i < n_tx; i++)
		l->tx_list.children[i] = v_struct(&t_tx, l->tx[i]);
	l->fields[0] = v_str(name);
	l->fields[1] = l->zone_list;
	l->fields[2] = l->tx_list;
	l->fields[3] = v_str(extend);
	l->fields[4] = v_int(start);
	l->fields[5] = v_int(end);
	if (cache >= 0) {
		zone(l->cache_zone, "C", offsets[cache], dst[cache]);
		l->cache_ptr = v_struct(&t_zone, l->cache_zone);
		l->fields[6] = v_ptr(&l->cache_ptr);
	} else {
		l->fields[6] = (struct value){.kind = VAL_NIL};
	}
	l->value = v_struct(&t_location, l->fields);
}

static void location_free(struct location *l)
{
	free(l->zone_list.children);
	free(l->tx_list.children);
}

static void time_value(struct time_value *t, uint64_t wall, int64_t ext, struct value *loc)
{
	t->fields[0] = v_uint(wall);
	t->fields[1] = v_int(ext);
	t->fields[2] = loc ? v_ptr(loc) : (struct value){.kind = VAL_NIL};
	t->value = v_struct(&t_time, t->fields);
}

static void check_time(uint64_t wall, int64_t ext, struct value *loc, const char *want)
{
	struct time_value t;
	char buf[WELLKNOWN_MAX];

	time_value(&t, wall, ext, loc);
	assert_true(wellknown_string(&t.value, buf));
	assert_string_equal(buf, want);
}

/* 2023-11-14T22:13:20Z: 1700000000 s since 1970; since year 1, and since
 * 1885 (the monotonic encoding's wall seconds) */
#define UNIX_2023 1700000000LL
#define EXT_2023 (UNIX_2023 + 62135596800LL)
#define WALL_2023 (UNIX_2023 + 62135596800LL - 59453308800LL)

static void test_time_encodings(void **state)
{
	/* the zero Time, Go's "0001-01-01T00:00:00Z" */
	check_time(0, 0, NULL, "0001-01-01T00:00:00Z");
	/* ext: seconds since year 1 */
	check_time(123456789, EXT_2023, NULL, "2023-11-14T22:13:20.123456789Z");
	check_time(500000000, EXT_2023, NULL, "2023-11-14T22:13:20.5Z");
	/* hasMonotonic: wall seconds since 1885; ext is a monotonic reading */
	check_time(MONOTONIC | ((uint64_t)WALL_2023 << 30) | 123456789, 300934381, NULL,
		   "2023-11-14T22:13:20.123456789Z");
	/* before 1970, year 0, past 9999 */
	check_time(0, 62121428260LL, NULL, "1969-07-21T00:17:40Z");
	check_time(0, -366 * 86400LL, NULL, "0000-01-01T00:00:00Z");
	check_time(11, 389552573350LL, NULL, "12345-06-07T08:09:10.000000011Z");
}

static void test_time_zones(void **state)
{
	static const int64_t offsets[] = {3600, 7200};
	static const bool dst[] = {false, true};
	static const int64_t when[] = {UNIX_2023 - 100, UNIX_2023 + 100};
	static const int index[] = {0, 1};
	static const int64_t ist[] = {19800}, edt[] = {-14400}, lmt[] = {561}, tiny[] = {-30};
	static const bool no[] = {false};
	struct location l;
	struct value unfollowed = {.kind = VAL_POINTER_UNFOLLOWED,
				   .u = 0xc000010000,
				   .reason = REASON_DEPTH};
	struct time_value t;
	char buf[WELLKNOWN_MAX];

	/* a fixed zone: its cache covers all time */
	location(&l, "IST", 1, ist, no, 0, NULL, NULL, "", 0, ALPHA, OMEGA);
	check_time(0, EXT_2023, &l.value, "2023-11-15T03:43:20+05:30");
	location_free(&l);
	location(&l, "EDT", 1, edt, no, 0, NULL, NULL, "", 0, ALPHA, OMEGA);
	check_time(0, EXT_2023, &l.value, "2023-11-14T18:13:20-04:00");
	location_free(&l);
	/* Go's Z07:00 drops an offset's seconds, and takes its sign from the
	 * minutes */
	location(&l, "LMT", 1, lmt, no, 0, NULL, NULL, "", 0, ALPHA, OMEGA);
	check_time(0, EXT_2023, &l.value, "2023-11-14T22:22:41+00:09");
	location_free(&l);
	location(&l, "X", 1, tiny, no, 0, NULL, NULL, "", 0, ALPHA, OMEGA);
	check_time(0, EXT_2023, &l.value, "2023-11-14T22:12:50+00:00");
	location_free(&l);

	/* transitions: between, after the last (no rule), before the first */
	location(&l, "Local", 2, offsets, dst, 2, when, index, "", -1, 0, 0);
	check_time(0, EXT_2023, &l.value, "2023-11-14T23:13:20+01:00");
	check_time(0, EXT_2023 + 200, &l.value, "2023-11-15T00:16:40+02:00");
	check_time(0, EXT_2023 - 200, &l.value, "2023-11-14T23:10:00+01:00");
	location_free(&l);
	/* past the last transition: a TZ rule without DST applies, with DST
	 * the offset is unknown */
	location(&l, "Local", 2, offsets, dst, 2, when, index, "IST-5:30", -1, 0, 0);
	check_time(0, EXT_2023 + 200, &l.value, "2023-11-15T03:46:40+05:30");
	location_free(&l);
	location(&l, "Local", 2, offsets, dst, 2, when, index, "<+0545>-5:45", -1, 0, 0);
	check_time(0, EXT_2023 + 200, &l.value, "2023-11-15T04:01:40+05:45");
	location_free(&l);
	location(&l, "Local", 2, offsets, dst, 2, when, index, "CET-1CEST,M3.5.0,M10.5.0/3", -1, 0,
		 0);
	check_time(0, EXT_2023 + 200, &l.value, "2023-11-14T22:16:40-00:00");
	location_free(&l);
	/* the cache wins where it holds */
	location(&l, "Local", 2, offsets, dst, 2, when, index, "", 1, UNIX_2023 - 10,
		 UNIX_2023 + 10);
	check_time(0, EXT_2023, &l.value, "2023-11-15T00:13:20+02:00");
	location_free(&l);
	/* transitions cut by --max-elems: unknown */
	location(&l, "Local", 2, offsets, dst, 2, when, index, "", -1, 0, 0);
	l.fields[2].cut = LIMIT_ELEMS;
	l.fields[2].count = 200;
	check_time(0, EXT_2023, &l.value, "2023-11-14T22:13:20-00:00");
	location_free(&l);
	/* no zones: UTC ("UTC" from a failed time.Local), unless time.Local
	 * was never used (no name yet) */
	location(&l, "UTC", 0, NULL, NULL, 0, NULL, NULL, "", -1, 0, 0);
	check_time(0, EXT_2023, &l.value, "2023-11-14T22:13:20Z");
	location_free(&l);
	location(&l, "", 0, NULL, NULL, 0, NULL, NULL, "", -1, 0, 0);
	check_time(0, EXT_2023, &l.value, "2023-11-14T22:13:20-00:00");
	location_free(&l);

	/* loc not followed: unknown; the text and JSON say the same */
	time_value(&t, 0, EXT_2023, NULL);
	t.fields[2] = unfollowed;
	assert_true(wellknown_string(&t.value, buf));
	assert_string_equal(buf, "2023-11-14T22:13:20-00:00");
	check_text(&plain, &t.value, "2023-11-14T22:13:20-00:00");
	check_json(&t.value, "\"2023-11-14T22:13:20-00:00\"");
	/* wall unreadable: shown as the struct it is */
	t.fields[0] = (struct value){.kind = VAL_UNAVAILABLE, .reason = REASON_UNREADABLE};
	assert_false(wellknown_string(&t.value, buf));
}

/* ---- folding ---- */

static struct go_field url_fields[] = {{.name = "Path", .type = &t_string}};
static struct go_type t_url = {
    .kind = GO_STRUCT, .name = "net/url.URL", .fields = url_fields, .n_fields = 1};
static struct go_type t_url_ptr = {.kind = GO_POINTER, .name = "*net/url.URL", .elem = &t_url};
static struct go_field cfg_fields[] = {{.name = "Name", .type = &t_string}};
static struct go_type t_cfg = {
    .kind = GO_STRUCT, .name = "main.Config", .fields = cfg_fields, .n_fields = 1};
static struct go_field inner_fields[] = {{.name = "URL", .type = &t_url_ptr},
					 {.name = "Cfg", .type = &t_cfg}};
static struct go_type t_inner = {
    .kind = GO_STRUCT, .name = "net/http.inner", .fields = inner_fields, .n_fields = 2};
static struct go_field req_fields[] = {{.name = "Method", .type = &t_string},
				       {.name = "In", .type = &t_inner},
				       {.name = "Err", .type = &t_error}};
static struct go_type t_req = {
    .kind = GO_STRUCT, .name = "net/http.Request", .fields = req_fields, .n_fields = 3};
static struct go_field wrap_fields[] = {{.name = "msg", .type = &t_string},
					{.name = "err", .type = &t_error}};
static struct go_type t_wrap = {
    .kind = GO_STRUCT, .name = "fmt.wrapError", .fields = wrap_fields, .n_fields = 2};
static struct go_type t_wrap_ptr = {.kind = GO_POINTER, .name = "*fmt.wrapError", .elem = &t_wrap};

/* A request: its own fields, a net/http struct inside (level 1) holding a
 * net/url struct (level 2) and a main struct (level 2), and an error chain
 * of three fmt.wrapErrors. */
struct request {
	struct value url_f[1], url, url_p, cfg_f[1], cfg, in_f[2], f[3], value;
	struct value w_f[3][2], w[3], w_p[3], w_if[3];
};

static void request(struct request *r)
{
	int i;

	r->url_f[0] = v_str("/x");
	r->url = v_struct(&t_url, r->url_f);
	r->url_p = v_ptr(&r->url);
	r->cfg_f[0] = v_str("cfg");
	r->cfg = v_struct(&t_cfg, r->cfg_f);
	r->in_f[0] = r->url_p;
	r->in_f[1] = r->cfg;
	r->f[0] = v_str("GET");
	r->f[1] = v_struct(&t_inner, r->in_f);
	for (i = 2; i >= 0; i--) {
		r->w_f[i][0] = v_str(i == 2 ? "boom" : "wrapped");
		r->w_f[i][1] = i == 2 ? (struct value){.kind = VAL_NIL} : r->w_if[i + 1];
		r->w[i] = v_struct(&t_wrap, r->w_f[i]);
		r->w_p[i] = v_ptr(&r->w[i]);
		r->w_if[i] = (struct value){.kind = VAL_INTERFACE,
					    .type = &t_error,
					    .dynamic = &t_wrap_ptr,
					    .children = &r->w_p[i],
					    .n_children = 1};
	}
	r->f[2] = r->w_if[0];
	r->value = v_struct(&t_req, r->f);
}

static void test_fold(void **state)
{
	struct text_style st = {.fold = 0, .home = "main", .home_len = 4};
	struct request r;

	request(&r);
	/* level 1 folds, but main.Config never does; the error chain is whole */
	check_text(&st, &r.value,
		   "{Method:\"GET\" In:{…} Err:*fmt.wrapError(&{msg:\"wrapped\" "
		   "err:*fmt.wrapError(&{msg:\"wrapped\" err:*fmt.wrapError(&{msg:\"boom\" "
		   "err:<nil>})})})}");
	st.fold = 1;
	check_text(&st, &r.value,
		   "{Method:\"GET\" In:{URL:&{…} Cfg:{Name:\"cfg\"}} Err:*fmt.wrapError(&{msg:"
		   "\"wrapped\" err:*fmt.wrapError(&{msg:\"wrapped\" err:*fmt.wrapError(&{msg:"
		   "\"boom\" err:<nil>})})})}");
	/* the traced function's package never folds: net/url's own function */
	st = (struct text_style){.fold = 1, .home = "net/url", .home_len = 7};
	check_text(&st, &r.value,
		   "{Method:\"GET\" In:{URL:&{Path:\"/x\"} Cfg:{…}} Err:*fmt.wrapError(&{msg:"
		   "\"wrapped\" err:*fmt.wrapError(&{msg:\"wrapped\" err:*fmt.wrapError(&{msg:"
		   "\"boom\" err:<nil>})})})}");
	/* never */
	st.fold = -1;
	check_text(&st, &r.value,
		   "{Method:\"GET\" In:{URL:&{Path:\"/x\"} Cfg:{Name:\"cfg\"}} Err:*fmt.wrapError("
		   "&{msg:\"wrapped\" err:*fmt.wrapError(&{msg:\"wrapped\" err:*fmt.wrapError("
		   "&{msg:\"boom\" err:<nil>})})})}");
	/* JSON never folds */
	check_json(&r.value, "{\"Method\":\"GET\",\"In\":{\"URL\":{\"Path\":\"/x\"},\"Cfg\":"
			     "{\"Name\":\"cfg\"}},\"Err\":{\"type\":\"*fmt.wrapError\",\"value\":"
			     "{\"msg\":\"wrapped\",\"err\":{\"type\":\"*fmt.wrapError\",\"value\":"
			     "{\"msg\":\"wrapped\",\"err\":{\"type\":\"*fmt.wrapError\",\"value\":"
			     "{\"msg\":\"boom\",\"err\":null}}}}}}}");
}

static void test_pretty(void **state)
{
	struct text_style st = {.pretty = true, .fold = 0, .home = "main", .home_len = 4};
	struct request r;

	request(&r);
	r.f[2] = (struct value){.kind = VAL_NIL};
	check_text(&st, &r.value,
		   "net/http.Request{\n"
		   "    Method: \"GET\",\n"
		   "    In: net/http.inner{…},\n"
		   "    Err: <nil>,\n"
		   "}");
	st.fold = 1;
	/* short and simple: one line */
	check_text(&st, &r.value,
		   "net/http.Request{\n"
		   "    Method: \"GET\",\n"
		   "    In: net/http.inner{\n"
		   "        URL: &net/url.URL{…},\n"
		   "        Cfg: main.Config{Name: \"cfg\"},\n"
		   "    },\n"
		   "    Err: <nil>,\n"
		   "}");
}

static char *event_line(const struct output_opts *opts, const struct decoded_event *de);

/* ---- the default line ---- */

static struct go_type t_bool_f = {.kind = GO_BOOL, .name = "bool", .size = 1};
static struct go_field userinfo_fields[] = {{.name = "username", .type = &t_string},
					    {.name = "password", .type = &t_string},
					    {.name = "passwordSet", .type = &t_bool_f}};
static struct go_type t_userinfo = {
    .kind = GO_STRUCT, .name = "net/url.Userinfo", .fields = userinfo_fields, .n_fields = 3};
static struct go_field full_url_fields[] = {
    {.name = "Scheme", .type = &t_string},   {.name = "Opaque", .type = &t_string},
    {.name = "User", .type = &t_userinfo},   {.name = "Host", .type = &t_string},
    {.name = "Path", .type = &t_string},     {.name = "RawPath", .type = &t_string},
    {.name = "ForceQuery", .type = &t_bool}, {.name = "RawQuery", .type = &t_string},
    {.name = "Fragment", .type = &t_string}, {.name = "RawFragment", .type = &t_string}};
static struct go_type t_full_url = {
    .kind = GO_STRUCT, .name = "net/url.URL", .fields = full_url_fields, .n_fields = 10};

static struct value v_bool(bool b)
{
	return (struct value){.kind = VAL_BOOL, .type = &t_bool, .b = b};
}

/* A *url.URL of these fields; USER NULL: a nil User. */
struct url {
	struct value f[10], user_f[3], user, user_p, value, ptr;
};

static void url(struct url *u, const char *scheme, const char *opaque, const char *user,
		const char *host, const char *path, bool force, const char *query,
		const char *fragment)
{
	u->f[0] = v_str(scheme);
	u->f[1] = v_str(opaque);
	if (user) {
		u->user_f[0] = v_str(user);
		u->user_f[1] = v_str("");
		u->user_f[2] = v_bool(false);
		u->user = v_struct(&t_userinfo, u->user_f);
		u->user_p = v_ptr(&u->user);
		u->f[2] = u->user_p;
	} else {
		u->f[2] = (struct value){.kind = VAL_NIL};
	}
	u->f[3] = v_str(host);
	u->f[4] = v_str(path);
	u->f[5] = v_str("");
	u->f[6] = v_bool(force);
	u->f[7] = v_str(query);
	u->f[8] = v_str(fragment);
	u->f[9] = v_str("");
	u->value = v_struct(&t_full_url, u->f);
	u->ptr = v_ptr(&u->value);
}

/* *url.URL as (*url.URL).String() (the strings are Go's own), in the
 * default line only; a cut field shows the fields. */
static void test_url_string(void **state)
{
	struct text_style st = {.compact = true, .home = "main", .home_len = 4};
	struct url u;

	url(&u, "", "", NULL, "", "/users/42", false, "verbose=1", "");
	check_text(&st, &u.ptr, "/users/42?verbose=1");
	url(&u, "https", "", "user", "example.com", "/a b", false, "q=1", "top here");
	check_text(&st, &u.ptr, "https://user@example.com/a%20b?q=1#top%20here");
	url(&u, "mailto", "x@y", NULL, "", "", false, "", "");
	check_text(&st, &u.ptr, "mailto:x@y");
	url(&u, "http", "", NULL, "h", "p", true, "", "");
	check_text(&st, &u.ptr, "http://h/p?");
	/* a value, not a pointer: Go's String has a pointer receiver */
	url(&u, "", "", NULL, "", "/x", false, "", "");
	check_text(&st, &u.value, "{Path:\"/x\" …+9 zero}");
	/* a cut path: the fields, as they were read */
	u.f[4].cut = LIMIT_STRING;
	u.f[4].count = 10;
	check_text(&st, &u.ptr, "&{Path:\"/x\"…+8<string> …+9 zero}");
	/* not the default line: the fields, zero ones too */
	u.f[4] = v_str("/x");
	st.compact = false;
	st.fold = -1;
	check_text(&st, &u.ptr,
		   "&{Scheme:\"\" Opaque:\"\" User:<nil> Host:\"\" Path:\"/x\" RawPath:\"\" "
		   "ForceQuery:false RawQuery:\"\" Fragment:\"\" RawFragment:\"\"}");
}

/* net.IP as IP.String() (the strings are Go's own), in the default line. */
static struct go_type t_ip = {.kind = GO_SLICE, .name = "net.IP", .elem = &t_uint8, .size = 24};

static void check_ip(const unsigned char *ip, int n, const char *want)
{
	struct text_style st = {.compact = true};
	struct value bytes[16], v;
	int i;

	for (i = 0; i < n; i++)
		bytes[i] = (struct value){.kind = VAL_UINT, .type = &t_uint8, .u = ip[i]};
	v = v_array(bytes, n);
	v.type = &t_ip;
	check_text(&st, &v, want);
}

static void test_ip_string(void **state)
{
	static const unsigned char v4[4] = {127, 0, 0, 1};
	static const unsigned char mapped[16] = {0, 0, 0,    0,	   0,  0, 0, 0,
						 0, 0, 0xff, 0xff, 10, 1, 2, 3};
	static const unsigned char doc[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					      0,    0,	  0,	0,    0, 0, 0, 1};
	static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const unsigned char two_runs[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
						   0,	 1,    0,    0,	   0, 0, 0, 1};
	static const unsigned char one_zero[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
						   0,	 1,    0,    1,	   0, 1, 0, 1};
	static const unsigned char zero[16] = {0};

	check_ip(v4, 4, "127.0.0.1");
	check_ip(mapped, 16, "10.1.2.3");
	check_ip(doc, 16, "2001:db8::1");
	check_ip(loop, 16, "::1");
	check_ip(two_runs, 16, "2001:db8::1:0:0:1");
	check_ip(one_zero, 16, "2001:db8:0:1:1:1:1:1");
	check_ip(zero, 16, "::");
	/* three bytes: not an address, the bytes */
	check_ip(v4, 3, "\"\\x7f\\x00\\x00\"");
}

/* Zero fields of other packages' structs left out and counted; the
 * traced function's package's all shown. */
static void test_zero_fields(void **state)
{
	struct text_style st = {.compact = true, .home = "main", .home_len = 4};
	struct request r;

	request(&r);
	r.f[0] = v_str("");
	r.f[2] = (struct value){.kind = VAL_NIL};
	r.in_f[0] = (struct value){.kind = VAL_NIL};
	r.cfg_f[0] = v_str("");
	/* In's fields are a nil and a main.Config of zeros: a struct of zeros */
	check_text(&st, &r.value, "{…+3 zero}");
	r.cfg_f[0] = v_str("cfg");
	check_text(&st, &r.value, "{In:{…} …+2 zero}");
	st.fold = 1;
	st.compact = false;
	check_text(&st, &r.value, "{Method:\"\" In:{URL:<nil> Cfg:{Name:\"cfg\"}} Err:<nil>}");
	/* main's own: every field */
	st = (struct text_style){.compact = true, .home = "main", .home_len = 4};
	r.cfg_f[0] = v_str("");
	check_text(&st, &r.cfg, "{Name:\"\"}");
}

/* The line's budget: fields left out, by tiers, counted; the line at most
 * TEXT_LINE_WIDTH characters. */
static struct go_field wide_fields[24];
static struct go_type t_wide = {.kind = GO_STRUCT, .name = "net/http.Wide", .fields = wide_fields};
static struct go_type t_wide_ptr = {.kind = GO_POINTER, .name = "*net/http.Wide", .elem = &t_wide};

static void test_line_budget(void **state)
{
	static char names[24][8];
	struct go_func fn = {.name = "main.f"};
	struct func_plan plan = {.func = &fn};
	struct gt_event ev = {.pid = 1, .tid = 2, .goid = 3, .kind = GT_EV_CALL};
	struct value f[24], wide, in_f[2], in, small;
	struct decoded_arg args[2] = {{.name = "w", .type = &t_wide_ptr},
				      {.name = "n", .type = &t_int64}};
	struct decoded_event de = {.raw = &ev, .plan = &plan, .args = args, .n_args = 2};
	struct output_opts opts = {.fold = 0};
	char *line;
	int i;

	/* 8 exported fields of 30 characters, 8 unexported, 4 folded, 4 zero */
	for (i = 0; i < 24; i++) {
		snprintf(names[i], sizeof(names[i]), "%c%02d", i < 8 ? 'F' : i < 16 ? 'u' : 'X', i);
		wide_fields[i] = (struct go_field){.name = names[i], .type = &t_string};
		f[i] = v_str(i < 20 ? "abcdefghijklmnopqrstuvwxy" : "");
	}
	in_f[0] = v_str("x");
	in_f[1] = v_str("y");
	in = v_struct(&t_inner, in_f);
	for (i = 16; i < 20; i++) {
		wide_fields[i].type = &t_inner;
		f[i] = in;
	}
	t_wide.n_fields = 24;
	wide = v_struct(&t_wide, f);
	args[0].value = v_ptr(&wide);
	args[1].value = v_int(7);
	line = event_line(&opts, &de);
	/* the folded first (X16..X19), then the unexported, the last first */
	assert_string_equal(line,
			    " pid=1 tid=2 goid=3 main.f(w=&{F00:\"abcdefghijklmnopqrstuvwxy\" "
			    "F01:\"abcdefghijklmnopqrstuvwxy\" F02:\"abcdefghijklmnopqrstuvwxy\" "
			    "F03:\"abcdefghijklmnopqrstuvwxy\" F04:\"abcdefghijklmnopqrstuvwxy\" "
			    "F05:\"abcdefghijklmnopqrstuvwxy\" F06:\"abcdefghijklmnopqrstuvwxy\" "
			    "F07:\"abcdefghijklmnopqrstuvwxy\" u08:\"abcdefghijklmnopqrstuvwxy\" "
			    "u09:\"abcdefghijklmnopqrstuvwxy\" u10:\"abcdefghijklmnopqrstuvwxy\" "
			    "u11:\"abcdefghijklmnopqrstuvwxy\" u12:\"abcdefghijklmnopqrstuvwxy\" "
			    "…+7 fields +4 zero}, n=7)\n");
	/* the time of day, then the line: 490 characters; one field more, 522 */
	assert_int_equal(18 + strlen(line) - 1 - 2, 490); /* "…" is 3 bytes */
	free(line);
	/* not the default line: every field */
	opts.fold = -1;
	line = event_line(&opts, &de);
	assert_true(strlen(line) > 650);
	assert_null(strstr(line, "fields"));
	assert_null(strstr(line, "zero"));
	assert_non_null(strstr(line, " X19:{URL:\"x\" Cfg:\"y\"} X20:\"\" "));
	free(line);
	/* nothing to gain: a long string argument keeps the fields */
	opts.fold = 0;
	small = v_str("");
	small.len = small.count = 600;
	small.bytes = calloc(1, 601);
	memset(small.bytes, 'z', 600);
	args[1].value = small;
	args[1].type = &t_string;
	line = event_line(&opts, &de);
	assert_null(strstr(line, "fields"));
	assert_non_null(strstr(line, "X19:{…} …+4 zero}"));
	free(line);
	free(small.bytes);
}

/* ---- marks ---- */

static void test_marks(void **state)
{
	struct value s = v_str("/averyve"), elems[3] = {v_int(1), v_int(2)}, a, m, kv[2];
	struct value depth = {.kind = VAL_POINTER_UNFOLLOWED,
			      .u = 0xc0000fe000,
			      .reason = REASON_DEPTH,
			      .truncated = true};
	struct value cycle = {
	    .kind = VAL_POINTER_UNFOLLOWED, .u = 0xc0000fe000, .reason = REASON_CYCLE};
	struct value budget = {.kind = VAL_UNAVAILABLE,
			       .truncated = true,
			       .reason = REASON_BUDGET};
	struct value up = {.kind = VAL_POINTER_UNFOLLOWED, .u = 0x1234};
	struct value other = {.kind = VAL_UNAVAILABLE, .reason = REASON_NIL_DATA};

	s.cut = LIMIT_STRING;
	s.count = 15;
	s.truncated = true;
	check_text(&plain, &s, "\"/averyve\"…+7<string>");
	check_json(&s,
		   "{\"value\":\"/averyve\",\"truncated\":true,\"reason\":\"string\",\"len\":15}");

	a = v_array(elems, 2);
	a.cut = LIMIT_ELEMS;
	a.count = 63;
	check_text(&plain, &a, "[1 2 …+61<elems>]");
	check_json(&a, "{\"value\":[1,2],\"truncated\":true,\"reason\":\"elems\",\"len\":63}");
	a.cut = LIMIT_READ;
	check_text(&plain, &a, "[1 2 …+61<read>]");

	kv[0] = v_str("a");
	kv[1] = v_int(1);
	m = (struct value){.kind = VAL_MAP,
			   .u = 40,
			   .has_entries = true,
			   .children = kv,
			   .n_children = 2,
			   .cut = LIMIT_BUDGET,
			   .truncated = true};
	check_text(&plain, &m, "map[\"a\":1 …+39<budget>]");
	check_json(&m, "{\"value\":{\"len\":40,\"entries\":[[\"a\",1]]},\"truncated\":true,"
		       "\"reason\":\"budget\"}");
	m.cut = LIMIT_TORN;
	m.u = 1;
	check_text(&plain, &m, "map[\"a\":1 …<torn>]");

	check_text(&plain, &depth, "0xc0000fe000<depth>");
	check_json(&depth, "{\"addr\":\"0xc0000fe000\",\"reason\":\"depth\"}");
	check_text(&plain, &cycle, "0xc0000fe000<cycle>");
	check_json(&cycle, "{\"addr\":\"0xc0000fe000\",\"reason\":\"cycle\"}");
	check_text(&plain, &budget, "<budget>");
	check_json(&budget,
		   "{\"unavailable\":\"cut by the per-event capture budget (--max-event)\"}");
	check_json(&up, "{\"addr\":\"0x1234\"}");
	check_text(&plain, &other, "<unavailable: nil data>");

	/* every limit that cut something, the first in print order */
	a.children[1] = depth;
	assert_int_equal(value_cuts(&a), (1u << LIMIT_READ) | (1u << LIMIT_DEPTH));
	assert_int_equal(value_first_cut(&a), LIMIT_DEPTH);
}

/* Every reason has its words, and a limit's reason is tagged with the
 * limit's word whatever its words say: the tags come from enums. */
static void test_reason_words(void **state)
{
	struct value v = {.kind = VAL_UNAVAILABLE};
	enum value_reason r;

	for (r = REASON_DEPTH; r < REASON_PLAN; r++) {
		enum value_limit limit = value_reason_limit(r);

		v.reason = r;
		assert_non_null(reason_words(&v));
		if (limit == LIMIT_NONE)
			assert_null(reason_limit(&v));
		else
			assert_string_equal(reason_limit(&v), limit_name(limit));
	}
	v.reason = REASON_BUDGET_GONE;
	check_text(&plain, &v, "<budget>");
	check_json(&v, "{\"unavailable\":\"not captured: the per-event capture budget ran out "
		       "(--max-event)\"}");
	v.reason = REASON_READ;
	check_json(&v, "{\"unavailable\":\"past the 4096 bytes of one read\"}");
	v.reason = REASON_PLAN;
	v.detail = "the plan has no ops left";
	check_text(&plain, &v, "<unavailable: the plan has no ops left>");
	v.detail = NULL;
	check_text(&plain, &v, "<unavailable: unknown>");
}

/* Fields past the end of a read cut at 4096 bytes: one mark for them all. */
static void test_read_cut_fields(void **state)
{
	static struct go_field f[] = {{.name = "A", .type = &t_int64},
				      {.name = "B", .type = &t_int64},
				      {.name = "C", .type = &t_int64}};
	static struct go_type t = {.kind = GO_STRUCT, .name = "big.T", .fields = f, .n_fields = 3};
	struct value fields[3] = {v_int(1)}, v;

	fields[1] = (struct value){.kind = VAL_UNAVAILABLE,
				   .truncated = true,
				   .reason = REASON_READ};
	fields[2] = fields[1];
	v = v_struct(&t, fields);
	check_text(&plain, &v, "{A:1 …<read>}");
	/* an unread field for another reason says it in its place */
	fields[1] = (struct value){.kind = VAL_UNAVAILABLE,
				   .truncated = true,
				   .reason = REASON_DEPTH};
	check_text(&plain, &v, "{A:1 B:<depth> …<read>}");
}

static void test_package_len(void **state)
{
	assert_int_equal(go_package_len("main.f"), 4);
	assert_int_equal(go_package_len("main.(*T).M"), 4);
	assert_int_equal(go_package_len("main.main.func1"), 4);
	assert_int_equal(go_package_len("net/http.(*conn).serve"), 8);
	assert_int_equal(go_package_len("gopkg.in/yaml%2ev2.Marshal"), 18);
	assert_int_equal(go_package_len("main.Pair[net/http.Request]"), 4);
	assert_int_equal(go_package_len("main.Sum[go.shape.int_0]"), 4);
	assert_int_equal(go_package_len("net/http.Request"), 8);
	assert_int_equal(go_package_len("struct { X net/http.Header }"), 0);
	assert_int_equal(go_package_len("*main.T"), 0);
	assert_int_equal(go_package_len("map[string]int"), 0);
	assert_int_equal(go_package_len("int"), 0);
}

/* What output_event prints of DE with OPTS, from its first space (past the
 * time of day) or its first comma (past JSON's time). */
static char *event_line(const struct output_opts *opts, const struct decoded_event *de)
{
	char *buf = NULL, *from, *line;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(output_event(out, opts, de), 0);
	assert_int_equal(fclose(out), 0);
	from = strchr(buf, opts->json ? ',' : ' ');
	assert_non_null(from);
	line = strdup(from);
	free(buf);
	return line;
}

/* output_event: the event line, with the limits the event's flags name. */
static void test_event_line(void **state)
{
	struct go_func fn = {.name = "main.f"};
	struct func_plan plan = {.func = &fn};
	struct gt_event ev = {
	    .pid = 1, .tid = 2, .goid = 3, .kind = GT_EV_CALL, .flags = GT_EVF_BUDGET};
	struct value budget = {.kind = VAL_UNAVAILABLE,
			       .truncated = true,
			       .reason = REASON_BUDGET};
	struct decoded_arg args[2] = {{.name = "x", .type = &t_int64, .value = v_int(42)},
				      {.name = "s", .type = &t_string, .value = budget}};
	struct decoded_event de = {.raw = &ev, .plan = &plan, .args = args, .n_args = 2};
	struct output_opts opts = {.fold = 0};
	char *line;

	line = event_line(&opts, &de);
	assert_string_equal(line,
			    " pid=1 tid=2 goid=3 main.f(x=42, s=<budget>) [cut by --max-event]\n");
	free(line);
	opts.pretty = true;
	line = event_line(&opts, &de);
	assert_string_equal(line, " pid=1 tid=2 goid=3 main.f(\n    x=42,\n    s=<budget>,\n)"
				  " [cut by --max-event]\n");
	free(line);
	opts.json = true;
	line = event_line(&opts, &de);
	assert_string_equal(line,
			    ",\"pid\":1,\"tid\":2,\"goid\":3,\"event\":\"call\",\"func\":"
			    "\"main.f\",\"args\":[{\"name\":\"x\",\"type\":\"int64\","
			    "\"value\":42},{\"name\":\"s\",\"type\":\"string\",\"unavailable\":"
			    "\"cut by the per-event capture budget (--max-event)\",\"truncated\":"
			    "true}],\"truncated\":true,\"cut\":[\"budget\"]}\n");
	free(line);
	/* the work limit too */
	ev.flags = GT_EVF_STEPS;
	opts = (struct output_opts){.fold = 0};
	line = event_line(&opts, &de);
	assert_string_equal(line, " pid=1 tid=2 goid=3 main.f(x=42, s=<budget>) [cut by the "
				  "capture's work limit]\n");
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration_string),
	    cmocka_unit_test(test_duration_value),
	    cmocka_unit_test(test_time_encodings),
	    cmocka_unit_test(test_time_zones),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_pretty),
	    cmocka_unit_test(test_url_string),
	    cmocka_unit_test(test_ip_string),
	    cmocka_unit_test(test_zero_fields),
	    cmocka_unit_test(test_line_budget),
	    cmocka_unit_test(test_marks),
	    cmocka_unit_test(test_reason_words),
	    cmocka_unit_test(test_read_cut_fields),
	    cmocka_unit_test(test_package_len),
	    cmocka_unit_test(test_event_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
