// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go types that read best as Go's own String methods print them:
 * time.Duration as Duration.String() (1.5s), time.Time as an RFC 3339
 * instant (Time.Format(time.RFC3339Nano)). The rules are in docs/json.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "output/internal.h"

/*
 * Duration.String, from Go's time/time.go: under a second in the largest
 * unit that keeps it at least 1 (ns, µs, ms), else h, m and s with the
 * seconds' fraction; trailing zeros of a fraction, and its point, dropped.
 */

/* The fraction of V / 10^PREC before END, without trailing zeros; V / 10^PREC
 * in *V. Returns where the digits begin. */
static char *duration_fraction(char *end, uint64_t *v, int prec)
{
	bool print = false;
	int i;

	for (i = 0; i < prec; i++) {
		unsigned digit = *v % 10;

		print = print || digit;
		if (print)
			*--end = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		*--end = '.';
	return end;
}

static char *duration_int(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void go_duration_string(int64_t ns, char *buf)
{
	char tmp[40], *end = tmp + sizeof(tmp), *w = end;
	uint64_t u = (uint64_t)ns;
	bool neg = ns < 0;

	if (neg)
		u = -u;
	if (u < 1000000000ULL) {
		int prec;

		*--w = 's';
		if (u == 0) {
			strcpy(buf, "0s");
			return;
		} else if (u < 1000) {
			prec = 0;
			*--w = 'n';
		} else if (u < 1000000) {
			prec = 3;
			w -= 2;
			memcpy(w, "\xc2\xb5", 2); /* U+00B5, the micro sign, as Go writes it */
		} else {
			prec = 6;
			*--w = 'm';
		}
		w = duration_fraction(w, &u, prec);
		w = duration_int(w, u);
	} else {
		*--w = 's';
		w = duration_fraction(w, &u, 9);
		w = duration_int(w, u % 60); /* u: whole seconds */
		u /= 60;
		if (u > 0) {
			*--w = 'm';
			w = duration_int(w, u % 60);
			u /= 60;
			if (u > 0) { /* hours: days differ in length */
				*--w = 'h';
				w = duration_int(w, u);
			}
		}
	}
	if (neg)
		*--w = '-';
	memcpy(buf, w, end - w);
	buf[end - w] = 0;
}

/*
 * time.Time (Go 1.9 on): wall uint64, ext int64, loc *Location.
 * wall's top bit (hasMonotonic) set: bits 62..30 are seconds since
 * 1885-01-01 UTC and ext is a monotonic reading; clear: ext is seconds
 * since 0001-01-01 UTC. Either way bits 29..0 are the nanoseconds. A nil
 * loc is UTC.
 */
#define HAS_MONOTONIC (1ULL << 63)
#define NSEC_SHIFT 30
#define NSEC_MASK ((1ULL << NSEC_SHIFT) - 1)
#define SECONDS_PER_DAY 86400LL
#define DAYS_BEFORE(y) ((y)*365LL + (y) / 4 - (y) / 100 + (y) / 400)
#define WALL_TO_INTERNAL (DAYS_BEFORE(1884) * SECONDS_PER_DAY)
#define UNIX_TO_INTERNAL (DAYS_BEFORE(1969) * SECONDS_PER_DAY)
/* seconds since year 1 that civil dates handle without overflow: far past
 * any year Go can parse */
#define INTERNAL_LIMIT (1LL << 60)

static const struct value *field(const struct value *v, const char *name)
{
	int i;

	if (!v || v->kind != VAL_STRUCT || !v->type)
		return NULL;
	for (i = 0; i < v->n_children && i < v->type->n_fields; i++)
		if (v->type->fields[i].name && !strcmp(v->type->fields[i].name, name))
			return &v->children[i];
	return NULL;
}

static bool int_field(const struct value *v, const char *name, int64_t *out)
{
	const struct value *f = field(v, name);

	if (!f || (f->kind != VAL_INT && f->kind != VAL_UINT))
		return false;
	*out = f->i;
	return true;
}

/* The pointee of a pointer value, or NULL. */
static const struct value *deref(const struct value *v)
{
	return v && v->kind == VAL_POINTER && v->n_children ? &v->children[0] : NULL;
}

/* A slice or array that was read whole (an empty or nil one too): its
 * length, else -1. */
static int whole_len(const struct value *v)
{
	if (v && v->kind == VAL_NIL)
		return 0;
	if (!v || v->kind != VAL_ARRAY || v->cut != LIMIT_NONE ||
	    (uint64_t)v->n_children != v->count)
		return -1;
	return v->n_children;
}

static bool zone_offset(const struct value *zones, int64_t index, int64_t *offset)
{
	if (index < 0 || index >= whole_len(zones))
		return false;
	return int_field(&zones->children[index], "offset", offset);
}

/* Go's Location.lookupFirstZone: the zone of instants before the first
 * transition. */
static int64_t first_zone(const struct value *zones, const struct value *tx)
{
	int n_tx = whole_len(tx), n_zones = whole_len(zones), i;
	int64_t index, zi;
	bool used = false;

	for (i = 0; i < n_tx; i++)
		if (int_field(&tx->children[i], "index", &index) && index == 0)
			used = true;
	if (!used)
		return 0;
	if (n_tx > 0 && int_field(&tx->children[0], "index", &index) && index < n_zones) {
		const struct value *dst = field(&zones->children[index], "isDST");

		if (dst && dst->kind == VAL_BOOL && dst->b)
			for (zi = index - 1; zi >= 0; zi--) {
				dst = field(&zones->children[zi], "isDST");
				if (dst && dst->kind == VAL_BOOL && !dst->b)
					return zi;
			}
	}
	for (zi = 0; zi < n_zones; zi++) {
		const struct value *dst = field(&zones->children[zi], "isDST");

		if (dst && dst->kind == VAL_BOOL && !dst->b)
			return zi;
	}
	return 0;
}

/*
 * The offset of a Location's TZ rule (its extend string, Go's tzset) when
 * the rule has no daylight saving time: "UTC0", "IST-5:30", "<+0545>-5:45".
 * POSIX offsets count west, Go's east. False for a rule with DST, which is
 * not evaluated here.
 */
static bool tz_rule_offset(const char *s, size_t n, int64_t *offset)
{
	const char *end = s + n;
	int64_t parts[3] = {0}, sign = 1;
	int i;

	if (s < end && *s == '<') {
		while (s < end && *s != '>')
			s++;
		if (s++ >= end)
			return false;
	} else {
		const char *name = s;

		while (s < end && !strchr("0123456789,-+", *s))
			s++;
		if (s - name < 3)
			return false;
	}
	if (s < end && (*s == '+' || *s == '-'))
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i && (s >= end || *s != ':'))
			break;
		if (i)
			s++;
		if (s >= end || *s < '0' || *s > '9')
			return false;
		while (s < end && *s >= '0' && *s <= '9')
			parts[i] = parts[i] * 10 + (*s++ - '0');
	}
	if (s < end && *s != ',')
		return false; /* a DST zone follows */
	*offset = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
	return true;
}

/*
 * The offset east of UTC, in seconds, of the instant UNIX_SEC (seconds since
 * 1970) in the Location LOC, as Go's Location.lookup finds it, from what
 * was captured of it: false when that is not enough to know.
 */
static bool location_offset(const struct value *loc, int64_t unix_sec, int64_t *offset)
{
	const struct value *zones = field(loc, "zone"), *tx = field(loc, "tx"), *name;
	const struct value *extend = field(loc, "extend"), *cache;
	int64_t start, end, when, index;
	int n_tx, lo, hi;

	if (whole_len(zones) == 0) {
		/* no zones: UTC, unless this is time.Local before its first use,
		 * which has no name yet either */
		name = field(loc, "name");
		if (!name || name->kind != VAL_STRING || !name->len)
			return false;
		*offset = 0;
		return true;
	}
	cache = deref(field(loc, "cacheZone"));
	if (cache && int_field(loc, "cacheStart", &start) && int_field(loc, "cacheEnd", &end) &&
	    start <= unix_sec && unix_sec < end)
		return int_field(cache, "offset", offset);
	n_tx = whole_len(tx);
	if (n_tx < 0 || whole_len(zones) < 0)
		return false;
	if (n_tx == 0 || (int_field(&tx->children[0], "when", &when) && unix_sec < when))
		return zone_offset(zones, first_zone(zones, tx), offset);
	/* the last transition at or before the instant */
	lo = 0;
	hi = n_tx;
	while (hi - lo > 1) {
		int m = lo + (hi - lo) / 2;

		if (!int_field(&tx->children[m], "when", &when))
			return false;
		if (unix_sec < when)
			hi = m;
		else
			lo = m;
	}
	/* past the last one, Go applies the zone's TZ rule */
	if (lo == n_tx - 1 && extend && (extend->kind != VAL_STRING || extend->len))
		return extend->kind == VAL_STRING && extend->cut == LIMIT_NONE && extend->bytes &&
		       tz_rule_offset(extend->bytes, extend->len, offset);
	return int_field(&tx->children[lo], "index", &index) && zone_offset(zones, index, offset);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days). */
static void civil(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

/* Time.Format(time.RFC3339Nano), or with -00:00 (RFC 3339's "offset
 * unknown") and the UTC instant when the offset cannot be known. */
static bool time_string(const struct value *v, char *buf)
{
	const struct value *wall_v = field(v, "wall"), *loc = field(v, "loc");
	int64_t ext, internal, unix_sec, local, days, secs, year, offset = 0, zone;
	bool known = true;
	uint64_t wall, nsec;
	int month, day, n, digits;
	char frac[16] = "";

	if (!wall_v || wall_v->kind != VAL_UINT || !int_field(v, "ext", &ext) || !loc)
		return false;
	wall = wall_v->u;
	nsec = wall & NSEC_MASK;
	if (wall & HAS_MONOTONIC)
		internal = WALL_TO_INTERNAL + (int64_t)((wall << 1) >> (NSEC_SHIFT + 1));
	else
		internal = ext;
	if (internal > INTERNAL_LIMIT || internal < -INTERNAL_LIMIT || nsec >= 1000000000)
		return false;
	unix_sec = internal - UNIX_TO_INTERNAL;
	if (loc->kind != VAL_NIL)
		known = location_offset(deref(loc), unix_sec, &offset);
	local = unix_sec + (known ? offset : 0);
	days = local / SECONDS_PER_DAY;
	secs = local % SECONDS_PER_DAY;
	if (secs < 0) {
		secs += SECONDS_PER_DAY;
		days--;
	}
	civil(days, &year, &month, &day);
	if (nsec) {
		snprintf(frac, sizeof(frac), ".%09" PRIu64, nsec);
		for (digits = 10; frac[digits - 1] == '0'; digits--)
			;
		frac[digits] = 0;
	}
	n = snprintf(buf, WELLKNOWN_MAX, "%s%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%s",
		     year < 0 ? "-" : "", year < 0 ? -year : year, month, day, (int)(secs / 3600),
		     (int)(secs / 60 % 60), (int)(secs % 60), frac);
	if (!known) {
		snprintf(buf + n, WELLKNOWN_MAX - n, "-00:00");
	} else if (offset == 0) {
		snprintf(buf + n, WELLKNOWN_MAX - n, "Z");
	} else {
		/* Go's layout Z07:00: minutes, truncated; the sign from them */
		zone = offset / 60;
		snprintf(buf + n, WELLKNOWN_MAX - n, "%c%02d:%02d", zone < 0 ? '-' : '+',
			 (int)((zone < 0 ? -zone : zone) / 60),
			 (int)((zone < 0 ? -zone : zone) % 60));
	}
	return true;
}

bool wellknown_string(const struct value *v, char *buf)
{
	const char *name = v->type ? v->type->name : NULL;

	if (!name || strncmp(name, "time.", 5))
		return false;
	if (v->kind == VAL_INT && !strcmp(name, "time.Duration")) {
		go_duration_string(v->i, buf);
		return true;
	}
	if (v->kind == VAL_STRUCT && !strcmp(name, "time.Time"))
		return time_string(v, buf);
	return false;
}

/*
 * (*url.URL).String, from Go's net/url: scheme:opaque, or
 * scheme://user@host/path, then ?query and #fragment. The path and the
 * fragment are their raw forms when captured (RawPath, RawFragment), else
 * escaped as Go escapes them; the host and the user are written as they
 * are, which Go escapes only in characters a parsed URL does not have.
 */

/* A string field read whole: its bytes and length. */
static bool whole_string(const struct value *v, const char *name, const char **s, size_t *n)
{
	const struct value *f = field(v, name);

	if (!f || f->kind != VAL_STRING || f->cut != LIMIT_NONE)
		return false;
	*s = f->bytes ? f->bytes : "";
	*n = f->len;
	return true;
}

/* Go's shouldEscape for a path (FRAGMENT: a fragment). */
static bool url_escapes(unsigned char c, bool fragment)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return false;
	if (strchr("-_.~", c) && c)
		return false;
	if (strchr("$&+,/:;=?@", c) && c)
		return !fragment && c == '?';
	return !(fragment && strchr("!()*", c) && c);
}

static void url_escaped(FILE *out, const char *s, size_t n, bool fragment)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (url_escapes((unsigned char)s[i], fragment))
			fprintf(out, "%%%02X", (unsigned char)s[i]);
		else
			fputc(s[i], out);
}

bool wellknown_url(FILE *out, const struct value *v)
{
	const char *scheme, *opaque, *host, *path, *raw_path, *query, *frag, *raw_frag;
	const char *user = NULL, *password = NULL;
	size_t n_scheme, n_opaque, n_host, n_path, n_raw_path, n_query, n_frag, n_raw_frag;
	size_t n_user = 0, n_password = 0;
	const struct value *url = deref(v), *ui, *force, *omit, *set;
	bool has_user = false;

	if (!url || url->kind != VAL_STRUCT || !url->type || !url->type->name ||
	    strcmp(url->type->name, "net/url.URL"))
		return false;
	if (!whole_string(url, "Scheme", &scheme, &n_scheme) ||
	    !whole_string(url, "Opaque", &opaque, &n_opaque) ||
	    !whole_string(url, "Host", &host, &n_host) ||
	    !whole_string(url, "Path", &path, &n_path) ||
	    !whole_string(url, "RawPath", &raw_path, &n_raw_path) ||
	    !whole_string(url, "RawQuery", &query, &n_query) ||
	    !whole_string(url, "Fragment", &frag, &n_frag) || !field(url, "User"))
		return false;
	if (!whole_string(url, "RawFragment", &raw_frag, &n_raw_frag))
		n_raw_frag = 0; /* Go 1.15 on */
	ui = field(url, "User");
	if (ui->kind == VAL_POINTER) {
		ui = deref(ui);
		set = field(ui, "passwordSet");
		if (!whole_string(ui, "username", &user, &n_user) || !set ||
		    set->kind != VAL_BOOL ||
		    (set->b && !whole_string(ui, "password", &password, &n_password)))
			return false;
		has_user = true;
	} else if (ui->kind != VAL_NIL) {
		return false;
	}
	if (!out)
		return true;
	force = field(url, "ForceQuery");
	omit = field(url, "OmitHost"); /* Go 1.21 on */
	fwrite(scheme, 1, n_scheme, out);
	if (n_scheme)
		fputc(':', out);
	if (n_opaque) {
		fwrite(opaque, 1, n_opaque, out);
	} else {
		if ((n_scheme || n_host || has_user) &&
		    !(omit && omit->kind == VAL_BOOL && omit->b && !n_host && !has_user)) {
			if (n_host || n_path || has_user)
				fputs("//", out);
			if (has_user) {
				fwrite(user, 1, n_user, out);
				if (password) {
					fputc(':', out);
					fwrite(password, 1, n_password, out);
				}
				fputc('@', out);
			}
			fwrite(host, 1, n_host, out);
		}
		if (n_raw_path ? raw_path[0] != '/' : n_path && path[0] != '/') {
			if (n_host)
				fputc('/', out);
		}
		if (n_raw_path)
			fwrite(raw_path, 1, n_raw_path, out);
		else
			url_escaped(out, path, n_path, false);
	}
	if (n_query || (force && force->kind == VAL_BOOL && force->b)) {
		fputc('?', out);
		fwrite(query, 1, n_query, out);
	}
	if (n_frag) {
		fputc('#', out);
		if (n_raw_frag)
			fwrite(raw_frag, 1, n_raw_frag, out);
		else
			url_escaped(out, frag, n_frag, true);
	}
	return true;
}

/*
 * net.IP's String, from Go's net: 4 bytes, or 16 that hold an IPv4
 * address (::ffff:a.b.c.d), as a.b.c.d; other 16 bytes as RFC 5952 says,
 * lower-case hex groups, the longest run of two or more zero groups (the
 * first of equals) as "::".
 */
bool wellknown_ip(const struct value *v, char *buf)
{
	static const unsigned char v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const char *name = v->type ? v->type->name : NULL;
	unsigned char ip[16];
	int i, n, run = 0, best = -1, best_len = 1;
	char *w = buf;

	if (!name || strcmp(name, "net.IP") || whole_len(v) < 0 ||
	    (v->n_children != 4 && v->n_children != 16))
		return false;
	for (i = 0; i < v->n_children; i++) {
		if (v->children[i].kind != VAL_UINT)
			return false;
		ip[i] = (unsigned char)v->children[i].u;
	}
	n = v->n_children;
	if (n == 16 && !memcmp(ip, v4_prefix, 12)) {
		memmove(ip, ip + 12, 4);
		n = 4;
	}
	if (n == 4) {
		snprintf(buf, WELLKNOWN_MAX, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
		return true;
	}
	for (i = 0; i < 8; i++) {
		run = ip[2 * i] || ip[2 * i + 1] ? 0 : run + 1;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			w += sprintf(w, "::");
			i += best_len - 1;
			continue;
		}
		w += sprintf(w, "%s%x", i && i != best + best_len ? ":" : "",
			     ip[2 * i] << 8 | ip[2 * i + 1]);
	}
	return true;
}
