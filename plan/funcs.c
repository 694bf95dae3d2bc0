// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan/funcs.h"

#define MAX_SUGGESTIONS 5

int func_specs__add(struct func_specs *fs, const char *pattern, const char *signature,
		    const char *file, int line)
{
	struct func_spec *s = realloc(fs->specs, (fs->n + 1) * sizeof(*s));

	if (!s)
		return -ENOMEM;
	fs->specs = s;
	s = &fs->specs[fs->n];
	memset(s, 0, sizeof(*s));
	s->pattern = strdup(pattern);
	s->signature = signature ? strdup(signature) : NULL;
	s->file = file;
	s->line = line;
	if (!s->pattern || (signature && !s->signature)) {
		free(s->pattern);
		free(s->signature);
		return -ENOMEM;
	}
	fs->n++;
	return 0;
}

void func_specs__free(struct func_specs *fs)
{
	int i;

	for (i = 0; i < fs->n; i++) {
		free(fs->specs[i].pattern);
		free(fs->specs[i].signature);
		free(fs->specs[i].results);
		free(fs->specs[i].filter);
		free(fs->specs[i].print);
		go_signature__free(fs->specs[i].sig);
	}
	free(fs->specs);
	fs->specs = NULL;
	fs->n = 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/*
 * A Go symbol name holds no spaces, and its parentheses and brackets
 * balance: main.(*T).M, main.Sum[go.shape.int_0]. The signature is the
 * text from the first '(' that follows a non-'.' character and is not part
 * of a "(*T)" receiver, to the matching ')' at the end of the line.
 */
static int parse_line(char *line, char **name, char **sig, char **results, const char **why)
{
	char *p = line;
	int depth = 0;

	*sig = NULL;
	*results = NULL;
	*name = line;
	for (; *p; p++) {
		if (isspace((unsigned char)*p) && depth == 0) {
			/* allow "main.f (int)" */
			char *q = p;

			while (isspace((unsigned char)*q))
				q++;
			if (*q != '(') {
				*why = "unexpected text after the function name";
				return -EINVAL;
			}
			*p = 0;
			p = q;
			break;
		}
		if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			if (--depth < 0) {
				*why = "unbalanced ']'";
				return -EINVAL;
			}
		} else if (*p == '(' && depth == 0 && p > line && p[-1] != '.') {
			break;
		} else if (*p == '(') {
			/* receiver "(*T)" or "(T)": skip to its ')' */
			char *close = strchr(p, ')');

			if (!close) {
				*why = "unbalanced '('";
				return -EINVAL;
			}
			p = close;
		}
	}
	if (depth) {
		*why = "unbalanced '['";
		return -EINVAL;
	}
	if (*p == '(') {
		/* (params) then, optionally, results: "int" or "(int, error)" */
		int d = 0;
		char *q, *close = NULL;

		for (q = p; *q && !close; q++) {
			if (*q == '(' || *q == '[')
				d++;
			else if ((*q == ')' || *q == ']') && --d == 0)
				close = q;
			if (d < 0)
				break;
		}
		if (!close || *close != ')') {
			*why = "unbalanced parentheses in the signature";
			return -EINVAL;
		}
		*p = 0;
		*close = 0;
		*sig = trim(p + 1);
		*results = trim(close + 1);
		if (**results == '(') {
			char *end = *results + strlen(*results) - 1;

			if (*end != ')') {
				*why = "results must be a type or a parenthesized list";
				return -EINVAL;
			}
			*end = 0;
			*results = trim(*results + 1);
		} else if (strpbrk(*results, "(),")) {
			*why = "several results need parentheses";
			return -EINVAL;
		}
		if (!**results)
			*results = NULL;
	}
	if (!**name) {
		*why = "missing function name";
		return -EINVAL;
	}
	return 0;
}

/*
 * "main.f(id int) error if id > 5 print r.URL.Path, id": the word KW ("if",
 * "print"), outside parentheses, brackets and string literals, after a
 * space or a ')', and before a space, ends what comes before it. Cuts LINE
 * there and returns what follows KW (in LINE's buffer), or NULL.
 */
static char *split_keyword(char *line, const char *kw)
{
	size_t n = strlen(kw);
	int depth = 0;
	char quote = 0;
	char *p;

	for (p = line; *p; p++) {
		if (quote) {
			if (*p == '\\' && quote == '"' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '`') {
			quote = *p;
		} else if (*p == '(' || *p == '[') {
			depth++;
		} else if (*p == ')' || *p == ']') {
			depth--;
		} else if (depth == 0 && p > line &&
			   (isspace((unsigned char)p[-1]) || p[-1] == ')') && !strncmp(p, kw, n) &&
			   isspace((unsigned char)p[n])) {
			*p = 0;
			return p + n;
		}
	}
	return NULL;
}

int func_specs__add_line(struct func_specs *fs, char *text, const char *path, int lineno,
			 char *errbuf, size_t errlen)
{
	char *name, *sig, *results, *line, *filter, *print, *hash = strchr(text, '#');
	char why_sig[256];
	struct func_spec *spec;
	const char *why;
	int err;

	if (hash)
		*hash = 0;
	line = trim(text);
	if (!*line)
		return 0;
	print = split_keyword(line, "print");
	filter = split_keyword(line, "if");
	line = trim(line);
	err = parse_line(line, &name, &sig, &results, &why);
	if (err) {
		snprintf(errbuf, errlen, "%s:%d: %s", path, lineno, why);
		return err;
	}
	err = func_specs__add(fs, name, sig, path, lineno);
	if (err)
		return err;
	spec = &fs->specs[fs->n - 1];
	if (filter) {
		filter = trim(filter);
		spec->filter_col = (int)(filter - text) + 1;
		spec->filter = strdup(filter);
		if (!spec->filter)
			return -ENOMEM;
		if (!*spec->filter) {
			snprintf(errbuf, errlen, "%s:%d: 'if' without a filter", path, lineno);
			return -EINVAL;
		}
	}
	if (print) {
		print = trim(print);
		spec->print_col = (int)(print - text) + 1;
		spec->print = strdup(print);
		if (!spec->print)
			return -ENOMEM;
		if (!*spec->print) {
			snprintf(errbuf, errlen, "%s:%d: 'print' without expressions", path, lineno);
			return -EINVAL;
		}
	}
	if (results) {
		spec->results = strdup(results);
		if (!spec->results)
			return -ENOMEM;
	}
	if (sig) {
		spec->sig = go_signature__parse(sig, results, why_sig, sizeof(why_sig));
		if (!spec->sig) {
			snprintf(errbuf, errlen, "%s:%d: %s", path, lineno, why_sig);
			return -EINVAL;
		}
	}
	return 0;
}

int func_specs__read_file(struct func_specs *fs, const char *path, char *errbuf, size_t errlen)
{
	char *buf = NULL;
	size_t cap = 0;
	int lineno = 0, err = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return err;
	}
	while (getline(&buf, &cap, f) >= 0) {
		err = func_specs__add_line(fs, buf, path, ++lineno, errbuf, errlen);
		if (err)
			goto cleanup;
	}
	if (fs->n == 0) {
		snprintf(errbuf, errlen, "%s: no functions in the file", path);
		err = -EINVAL;
	}
cleanup:
	free(buf);
	fclose(f);
	return err;
}

/* The ']' closing the bracket group that opens at OPEN, or NULL. */
static const char *group_end(const char *open)
{
	int depth = 0;

	for (; *open; open++) {
		if (*open == '[')
			depth++;
		else if (*open == ']' && --depth == 0)
			return open;
	}
	return NULL;
}

/*
 * Whether the '[' at OPEN of PATTERN opens type arguments, and not a glob's
 * bracket expression: type arguments follow a name and end it, "Sum[int]",
 * "(*Gen[int]).Get", "Gen[int].Get".
 */
static bool opens_type_args(const char *pattern, const char *open)
{
	const char *close = group_end(open);

	return open > pattern && (isalnum((unsigned char)open[-1]) || open[-1] == '_') &&
	       open[1] != '!' && open[1] != '^' && close &&
	       (!close[1] || close[1] == '.' || close[1] == ')');
}

/*
 * A receiver's "(*T)" is a pointer, never a wildcard, in exact names and
 * globs alike: "main.(*T).*" must not match "main.(*xyzT).M". The pattern
 * for fnmatch, with that '*' escaped; "main.(**).M" is then every pointer
 * receiver's M, and "main.*.M" every receiver's. Returns NULL when out of
 * memory.
 */
static char *glob_pattern(const char *pattern)
{
	char *out = malloc(2 * strlen(pattern) + 1), *o = out;
	const char *p;

	if (!out)
		return NULL;
	for (p = pattern; *p; p++) {
		if (*p == '*' && p > pattern && p[-1] == '(')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = 0;
	return out;
}

/* A glob has '?', a '*' other than a receiver's "(*T)", or a bracket
 * expression. */
static bool is_glob(const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '?' || (*p == '*' && (p == s || p[-1] != '(')))
			return true;
		if (*p == '[') {
			if (!opens_type_args(s, p))
				return true;
			p = group_end(p);
		}
	}
	return false;
}

static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[256], prev, tmp;

	if (la > 255 || lb > 255)
		return 1 << 20;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] =
			    a[i - 1] == b[j - 1]
				? prev
				: 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
						     : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

static void suggest(const struct gobin *bin, const char *pattern, char *buf, size_t len)
{
	int best[MAX_SUGGESTIONS], dist[MAX_SUGGESTIONS], n = 0, i, j, k, d;
	int count = gobin__func_count(bin);
	size_t used;

	for (i = 0; i < count; i++) {
		const struct go_func *f = gobin__func(bin, i);

		if (f->is_wrapper)
			continue;
		d = edit_distance(pattern, f->name);
		/* a name that contains the pattern is a good guess too */
		if (strstr(f->name, pattern))
			d = d < 3 ? d : 3;
		if (d > (int)strlen(pattern) / 2 + 2)
			continue;
		for (j = 0; j < n && dist[j] <= d; j++)
			;
		if (j >= MAX_SUGGESTIONS)
			continue;
		if (n < MAX_SUGGESTIONS)
			n++;
		for (k = n - 1; k > j; k--) {
			best[k] = best[k - 1];
			dist[k] = dist[k - 1];
		}
		best[j] = i;
		dist[j] = d;
	}
	if (!n)
		return;
	used = strlen(buf);
	snprintf(buf + used, len - used, "; did you mean");
	for (i = 0; i < n; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s %s", i ? "," : "",
			 gobin__func(bin, best[i])->name);
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, "?");
}

/* A type argument as written or as a shape: "go.shape.int" and, before Go
 * 1.20, "go.shape.int_0" (suffixed with the type parameter's index) are
 * "int". Trims spaces; sets *len. */
static const char *type_arg(const char *s, const char *end, size_t *len)
{
	static const char shape[] = "go.shape.";
	const char *digits;

	while (s < end && *s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	if ((size_t)(end - s) > strlen(shape) && !strncmp(s, shape, strlen(shape))) {
		s += strlen(shape);
		for (digits = end; digits > s && isdigit((unsigned char)digits[-1]); digits--)
			;
		if (digits < end && digits - 1 > s && digits[-1] == '_')
			end = digits - 1;
	}
	*len = end - s;
	return s;
}

/* The next type argument of a list, up to a ',' outside brackets. */
static const char *next_type_arg(const char *s, const char *end)
{
	int depth = 0;

	for (; s < end; s++) {
		if (*s == '[' || *s == '(' || *s == '{')
			depth++;
		else if (*s == ']' || *s == ')' || *s == '}')
			depth--;
		else if (*s == ',' && depth == 0)
			break;
	}
	return s;
}

/*
 * The type arguments of a pattern, "int, string" or "*", against a name's
 * shapes, "go.shape.int,go.shape.string" or the pclntab's "...". Every
 * pointer shares one shape, "*uint8", when the constraint allows it.
 */
static bool type_args_match(const char *want, const char *want_end, const char *have,
			    const char *have_end)
{
	const char *w, *h;
	size_t wn, hn;

	if ((want_end - want == 1 && *want == '*') ||
	    (have_end - have == 3 && !strncmp(have, "...", 3)))
		return true;
	for (;;) {
		const char *want_next = next_type_arg(want, want_end);
		const char *have_next = next_type_arg(have, have_end);

		w = type_arg(want, want_next, &wn);
		h = type_arg(have, have_next, &hn);
		if (!(wn == hn && !strncmp(w, h, wn)) &&
		    !(wn > 1 && *w == '*' && hn == 6 && !strncmp(h, "*uint8", 6)))
			return false;
		if (want_next == want_end || have_next == have_end)
			return want_next == want_end && have_next == have_end;
		want = want_next + 1;
		have = have_next + 1;
	}
}

/*
 * NAME is an instantiation of a generic function that PATTERN names as the
 * source does: without type arguments, every one ("main.Sum",
 * "main.(*Gen).Get"); with them, the matching shape ("main.Sum[int]",
 * "main.(*Gen[int]).Get", or "[*]" for any).
 */
static bool is_instantiation_of(const char *name, const char *pattern)
{
	const char *name_close, *pattern_close;
	bool generic = false;

	while (*name) {
		if (*name != '[') {
			if (*name++ != *pattern++)
				return false;
			continue;
		}
		name_close = group_end(name);
		if (!name_close)
			return false;
		if (*pattern == '[') {
			pattern_close = group_end(pattern);
			if (!pattern_close ||
			    !type_args_match(pattern + 1, pattern_close, name + 1, name_close))
				return false;
			pattern = pattern_close + 1;
		}
		name = name_close + 1;
		generic = true;
	}
	return generic && !*pattern;
}

/* The functions matched so far, each once, in the order found. */
struct matches {
	int *funcs;
	int n;
	bool *taken; /* by function index */
};

static int add_match(struct matches *m, int idx)
{
	int *funcs;

	if (m->taken[idx])
		return 0;
	funcs = realloc(m->funcs, (m->n + 1) * sizeof(*funcs));
	if (!funcs)
		return -ENOMEM;
	m->funcs = funcs;
	m->funcs[m->n++] = idx;
	m->taken[idx] = true;
	return 0;
}

static void where(const struct func_spec *s, char *buf, size_t len)
{
	if (s->file)
		snprintf(buf, len, "%s:%d: ", s->file, s->line);
	else
		buf[0] = 0;
}

/*
 * The functions one spec names, into M; how many, or a negative errno.
 * Names decide first; then only those candidates' DWARF is read (the
 * binary is opened lazily), which says which are compiler wrappers.
 */
static int resolve_spec(const struct func_spec *s, struct gobin *bin, bool glob,
			const char *pattern, struct matches *m)
{
	int count = gobin__func_count(bin), n = 0, matched = 0, j, err;
	int *candidates = malloc((count ? count : 1) * sizeof(*candidates));
	const struct go_func *f;

	if (!candidates)
		return -ENOMEM;
	for (j = 0; j < count; j++) {
		f = gobin__func(bin, j);
		if (glob ? !f->is_wrapper && f->high_pc > f->low_pc &&
			       fnmatch(pattern, f->name, 0) == 0
			 : !strcmp(f->name, s->pattern) ||
			       (!f->is_wrapper && is_instantiation_of(f->name, s->pattern)))
			candidates[n++] = j;
	}
	err = gobin__load_dwarf(bin, candidates, n);
	for (j = 0; j < n && !err; j++) {
		f = gobin__func(bin, candidates[j]);
		/* the name's own function, even a wrapper; globs and generic
		 * names never select a wrapper */
		if (!glob && !strcmp(f->name, s->pattern)) {
			err = add_match(m, candidates[j]);
			matched++;
		} else if (!f->is_wrapper) {
			err = add_match(m, candidates[j]);
			matched++;
		}
	}
	free(candidates);
	if (err || matched || glob)
		return err ? err : matched;
	/* an assembly function is "NAME.abi0" in the symbol table */
	f = gobin__find_abi0_func(bin, s->pattern);
	if (!f)
		return 0;
	j = f - gobin__func(bin, 0);
	err = gobin__load_dwarf(bin, &j, 1);
	return err ? err : add_match(m, j) ? -ENOMEM : 1;
}

const struct func_spec *func_specs__spec_of(const struct func_specs *fs, const struct gobin *bin,
					    const struct go_func *func)
{
	int i;

	for (i = 0; i < fs->n; i++) {
		const struct func_spec *s = &fs->specs[i];
		bool glob = is_glob(s->pattern) && !gobin__find_func(bin, s->pattern);
		char *pattern = glob ? glob_pattern(s->pattern) : NULL;
		bool match;

		if (glob)
			match = pattern && !func->is_wrapper && fnmatch(pattern, func->name, 0) == 0;
		else
			match = !strcmp(func->name, s->pattern) ||
				(!func->is_wrapper && is_instantiation_of(func->name, s->pattern)) ||
				gobin__find_abi0_func(bin, s->pattern) == func;
		free(pattern);
		if (match)
			return s;
	}
	return NULL;
}

bool func_specs__names_exactly(const struct func_specs *fs, const struct gobin *bin,
			       const struct go_func *func)
{
	int i;

	for (i = 0; i < fs->n; i++) {
		const struct func_spec *s = &fs->specs[i];

		if (is_glob(s->pattern) && !gobin__find_func(bin, s->pattern))
			continue;
		if (!strcmp(func->name, s->pattern) ||
		    (!func->is_wrapper && is_instantiation_of(func->name, s->pattern)) ||
		    gobin__find_abi0_func(bin, s->pattern) == func)
			return true;
	}
	return false;
}

int func_specs__resolve(const struct func_specs *fs, struct gobin *bin, int **out, int *n_out,
			char *errbuf, size_t errlen)
{
	struct matches m = {0};
	char prefix[300];
	int i, matched = 0;

	*out = NULL;
	*n_out = 0;
	m.taken = calloc(gobin__func_count(bin) + 1, sizeof(*m.taken));
	if (!m.taken)
		return -ENOMEM;
	for (i = 0; i < fs->n; i++) {
		const struct func_spec *s = &fs->specs[i];
		/* an exact symbol may hold glob characters: main.(*T).M */
		bool glob = is_glob(s->pattern) && !gobin__find_func(bin, s->pattern);
		char *pattern = glob ? glob_pattern(s->pattern) : NULL;

		if (glob && !pattern) {
			matched = -ENOMEM;
			break;
		}
		matched = resolve_spec(s, bin, glob, pattern, &m);
		free(pattern);
		if (matched < 0)
			break;
		if (matched)
			continue;
		where(s, prefix, sizeof(prefix));
		if (glob) {
			snprintf(errbuf, errlen, "%sno function matches '%s'", prefix, s->pattern);
		} else {
			snprintf(errbuf, errlen, "%sno function %s in the binary", prefix,
				 s->pattern);
			/* near names, but not the compiler's wrappers */
			if (gobin__load_dwarf(bin, NULL, 0) == 0)
				suggest(bin, s->pattern, errbuf, errlen);
		}
		matched = -ENOENT;
		break;
	}
	free(m.taken);
	if (matched < 0) {
		free(m.funcs);
		return matched;
	}
	*out = m.funcs;
	*n_out = m.n;
	return 0;
}

enum go_signature_match func_spec__check_signature(const struct func_spec *spec,
						   const struct go_func *func, const char *source,
						   bool results, const struct gobin *bin, char *buf,
						   size_t len)
{
	char said[512], other[512];
	enum go_signature_match match;
	/* a descriptor names no parameter */
	bool names = strcmp(source, "DWARF") == 0;

	if (!spec->sig)
		return GO_SIGNATURE_SAME;
	results = results && spec->results;
	match = go_signature__compare(spec->sig, func, results, names, bin);
	if (match == GO_SIGNATURE_SAME)
		return match;
	go_signature__format(spec->sig, results, said, sizeof(said));
	go_func__format_signature(func, results, other, sizeof(other));
	snprintf(buf, len, "%s:%d: %s: the signature says %s but %s says %s%s",
		 spec->file ? spec->file : "-", spec->line, func->name, said, source, other,
		 match == GO_SIGNATURE_LAYOUT ? ": a value differs in kind or size" : "");
	return match;
}
