// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command line: options and their checks, the usage text with its
 * examples, and the diagnostics helper.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "cmd/env.h"

#define GOTRACE_VERSION "0.1.0"

static struct env parsed = {
    .max_string = 64,
    .max_elems = 64,
    .max_depth = 6,
    .fold = 0,
    .stack_depth = 32,
};

const struct env *const env = &parsed;

static const char doc[] =
    "Trace calls of Go functions in live programs, with their arguments decoded as Go "
    "values.\n"
    "\n"
    "USAGE:\n"
    "  gotrace [OPTIONS] BINARY FUNC...         every process that runs BINARY, now or later\n"
    "  gotrace [OPTIONS] -p PID FUNC...         one running process; exit when it exits\n"
    "  gotrace [OPTIONS] -c 'CMD ARGS' FUNC...  start CMD with the probes in place\n"
    "  gotrace [OPTIONS] -f FILE BINARY         the functions listed in FILE\n"
    "\n"
    "FUNC is an exact Go symbol (main.(*Server).Handle) or a glob ('main.*').\n"
    "\n"
    "EXAMPLES:\n"
    "  gotrace ./webserver main.handlerFunction      # every call, in every webserver process\n"
    "  gotrace --print 'r.Method, r.URL.Path' -p 1234 main.handler  # only these values\n"
    "  gotrace -p 1234 'main.*'                      # all of main's functions in PID 1234\n"
    "  gotrace -j -o calls.json -c './app -v' main.f # start ./app, JSON lines to calls.json\n"
    "  gotrace -f funcs.txt ./webserver              # functions file: one FUNC per line\n"
    "  gotrace --dry-run -f funcs.txt ./webserver    # check it: plans, probe sites; no root\n"
    "  gotrace -l ./webserver 'net/http.(*conn).*'   # list matching functions, signatures\n"
    "  gotrace -j -n 100 ./app main.f | jq .args     # first 100 calls, as JSON\n"
    "  gotrace -r -p 1234 main.handler               # also results and latency\n"
    "  gotrace --stats --interval 5 -p 1234 main.f   # calls, errors, latency histogram\n"
    "  gotrace --stack ./webserver main.handler      # who called it: the Go stack\n"
    "  gotrace --debug-file ./app.debug ./app main.f # a stripped build's types\n"
    "  gotrace --filter 'id > 5 && err != nil' ./app main.f  # calls that pass, in the kernel\n"
    "  gotrace --min-duration 20ms -p 1234 main.query         # calls slower than 20 ms\n"
    "\n"
    "OPTIONS:";

enum {
	OPT_MAX_STRING = 0x100,
	OPT_MAX_DEPTH,
	OPT_MAX_ELEMS,
	OPT_MAX_EVENT,
	OPT_DEBUG_FILE,
	OPT_BUFFER_SIZE,
	OPT_NOOP,
	OPT_NO_SIGNALS,
	OPT_KEEP,
	OPT_USAGE,
	OPT_PERF_UPROBES,
	OPT_PRETTY,
	OPT_FOLD,
	OPT_STATS,
	OPT_INTERVAL,
	OPT_STACK,
	OPT_STACK_DEPTH,
	OPT_FILTER,
	OPT_MIN_DURATION,
	OPT_DRY_RUN,
	OPT_PRINT,
};

static const struct argp_option opts[] = {
    {"pid", 'p', "PID", 0, "Trace this process only; exit when it exits", 0},
    {"command", 'c', "CMD", 0,
     "Run CMD (quoted, with its arguments; shell syntax through /bin/sh) and trace only it", 0},
    {"keep", OPT_KEEP, NULL, 0,
     "With -c: leave the command running when gotrace stops first (default: SIGTERM)", 0},
    {"file", 'f', "FILE", 0, "Functions file: one FUNC or FUNC(types) per line, # comments", 0},
    {"json", 'j', NULL, 0, "Print JSON lines (see gotrace(8) for the format)", 0},
    {"output", 'o', "FILE", 0, "Write events to FILE instead of stdout", 0},
    {"pretty", OPT_PRETTY, NULL, 0,
     "Text: each value on lines of its own, indented, as Go's %#v writes composite literals", 0},
    {"fold", OPT_FOLD, "N", 0,
     "Text: structs more than N levels below an argument show as {…}, unless of the traced "
     "function's package (default 0; -1: never)",
     0},
    {"duration", 'd', "SECONDS", 0, "Stop after SECONDS", 0},
    {"max-events", 'n', "N", 0, "Stop after N events (calls, and with -r returns)", 0},
    {"max-string", OPT_MAX_STRING, "BYTES", 0, "Bytes of each string captured (default 64)", 0},
    {"max-elems", OPT_MAX_ELEMS, "N", 0, "Elements of a slice, array or map shown (default 64)", 0},
    {"max-depth", OPT_MAX_DEPTH, "N", 0, "Pointer hops followed (default 6)", 0},
    {"max-event", OPT_MAX_EVENT, "BYTES", 0,
     "Capture budget per event (default 32768, at most 65536); beyond it values are cut and "
     "marked",
     0},
    {"buffer-size", OPT_BUFFER_SIZE, "BYTES", 0,
     "Ring buffer size, a power of 2 (default 4194304); events that do not fit are counted", 0},
    {"debug-file", OPT_DEBUG_FILE, "PATH", 0,
     "Argument types from PATH, an unstripped build of the same source", 0},
    {"filter", OPT_FILTER, "EXPR", 0,
     "Report only the calls for which EXPR, a Go expression over the parameters, is true "
     "(evaluated in the kernel): 'r.URL.Path == \"/api\" && len(ids) > 2'",
     0},
    {"print", OPT_PRINT, "EXPRS", 0,
     "Show only these Go expressions of each call, comma-separated, captured alone in the "
     "kernel: 'r.Method, r.URL.Path, len(ids), *p, xs[0]' (results: with -r, at the return)",
     0},
    {"min-duration", OPT_MIN_DURATION, "DURATION", 0,
     "Report only calls that take at least DURATION (Go's syntax: 500us, 20ms, 1.5s), call and "
     "return both; implies -r",
     0},
    {"returns", 'r', NULL, 0,
     "Also trace returns: results, duration (uprobes on each RET, never uretprobes)", 0},
    {"stats", OPT_STATS, NULL, 0,
     "No events: count calls, errors (a non-nil last result) and latency per function in the "
     "kernel, and print a table with histograms (implies -r)",
     0},
    {"interval", OPT_INTERVAL, "SECONDS", 0,
     "With --stats: a table every SECONDS (default: once, when gotrace stops)", 0},
    {"stack", OPT_STACK, NULL, 0,
     "Each call carries its Go call stack, with files and lines (inlined calls too)", 0},
    {"stack-depth", OPT_STACK_DEPTH, "N", 0, "With --stack: frames shown at most (default 32)",
     0},
    {"no-signals", OPT_NO_SIGNALS, NULL, 0,
     "Never send the traced process SIGURG: floats in X registers are then shown only when the "
     "kernel happens to hold them saved (by default a SIGURG makes it save them)",
     0},
    {"list", 'l', NULL, 0,
     "List the matching functions with their Go signatures (with -j, as JSON lines), then exit", 0},
    {"dry-run", OPT_DRY_RUN, NULL, 0,
     "Analyse and plan, then print the plan set as -v does (functions, probe sites, plans, "
     "filters, type programs) and exit: no BPF, no root, no process touched",
     0},
    {"verbose", 'v', NULL, 0, "Print each function's plan; -vv adds libbpf's messages", 0},
    {"noop", OPT_NOOP, NULL, OPTION_HIDDEN, "Attach a no-op program (bench baseline)", 0},
    {"perf-uprobes", OPT_PERF_UPROBES, NULL, OPTION_HIDDEN,
     "Perf-event uprobes even where uprobe_multi links exist (bench, tests)", 0},
    {"help", 'h', NULL, 0, "Show this help, then exit", -1},
    {NULL, '?', NULL, OPTION_ALIAS, NULL, -1},
    {"usage", OPT_USAGE, NULL, 0, "Show a short usage message, then exit", -1},
    {"version", 'V', NULL, 0, "Show the version, then exit", -1},
    {},
};

/* Diagnostics: one line on stderr, "gotrace: what failed: why". */
static void vreport(const char *fmt, va_list ap)
{
	fputs("gotrace: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* Only while parsing the options: nothing is open yet. A usage error. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(EX_USAGE);
}

bool parse_go_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
	    {"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3}, {"ms", 1e6},
	    {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
	};
	double total = 0, v;
	size_t i, len, best;
	char *end;

	if (!*s)
		return false;
	if (!strcmp(s, "0")) {
		*ns = 0;
		return true;
	}
	while (*s) {
		if (!(*s >= '0' && *s <= '9') && *s != '.')
			return false;
		errno = 0;
		v = strtod(s, &end);
		if (errno || end == s)
			return false;
		s = end;
		/* the longest unit that matches: "ms" before "m" */
		for (i = 0, len = 0, best = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].unit);

			if (!strncmp(s, units[i].unit, n) && n > len) {
				len = n;
				best = i;
			}
		}
		if (!len)
			return false;
		total += v * units[best].ns;
		s += len;
	}
	if (total >= 1.8e19)
		return false;
	*ns = (uint64_t)(total + 0.5);
	return true;
}

static long parse_long(const char *arg, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		die("invalid %s '%s': expected a whole number from %ld to %ld", what, arg, min,
		    max);
	return v;
}

/*
 * With -p or -c, a first FUNC that is a program's path: "gotrace -p 1234
 * ./app main.f". A Go symbol never starts with '/' or '.', and always has a
 * '.' in its last path element ("net/http.Get"); a word without one that
 * names a file is a program.
 */
static bool names_a_program(const char *arg)
{
	const char *last = strrchr(arg, '/');
	struct stat st;

	if (arg[0] == '/' || arg[0] == '.')
		return true;
	return !strchr(last ? last : arg, '.') && !stat(arg, &st) && S_ISREG(st.st_mode);
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;
	int err;

	switch (key) {
	case 'h':
	case '?':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case OPT_USAGE:
		argp_state_help(state, stdout, ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		break;
	case 'V':
		printf("gotrace %s\n", GOTRACE_VERSION);
		exit(0);
	case OPT_KEEP:
		parsed.keep = true;
		break;
	case 'p':
		parsed.pid = parse_long(arg, "PID", 1, INT_MAX);
		break;
	case 'c':
		parsed.command = arg;
		break;
	case 'f':
		parsed.funcs_file = arg;
		break;
	case 'j':
		parsed.json = true;
		break;
	case 'o':
		parsed.output = arg;
		break;
	case OPT_PRETTY:
		parsed.pretty = true;
		break;
	case OPT_FOLD:
		parsed.fold = parse_long(arg, "--fold", -1, INT_MAX);
		break;
	case 'd':
		errno = 0;
		parsed.duration = strtod(arg, &end);
		if (errno || end == arg || *end || parsed.duration <= 0)
			die("invalid duration '%s': expected seconds > 0", arg);
		break;
	case 'n':
		parsed.max_events = parse_long(arg, "event count", 1, LONG_MAX);
		break;
	case OPT_MAX_STRING:
		parsed.max_string = parse_long(arg, "--max-string", 0, GT_READ_MAX);
		break;
	case OPT_MAX_ELEMS:
		parsed.max_elems = parse_long(arg, "--max-elems", 1, GT_READ_MAX);
		break;
	case OPT_BUFFER_SIZE:
		parsed.buffer_size = parse_long(arg, "--buffer-size", 4096, 1L << 30);
		if (parsed.buffer_size & (parsed.buffer_size - 1))
			die("invalid --buffer-size '%s': expected a power of 2", arg);
		break;
	case OPT_DEBUG_FILE:
		parsed.debug_file = arg;
		break;
	case OPT_MAX_EVENT:
		parsed.event_budget = parse_long(arg, "--max-event", 256, GT_DATA_MAX);
		break;
	case OPT_MAX_DEPTH:
		parsed.max_depth = parse_long(arg, "--max-depth", 0, 16);
		break;
	case 'l':
		parsed.list = true;
		break;
	case 'r':
		parsed.returns = true;
		break;
	case 'v':
		parsed.verbose++;
		break;
	case OPT_STATS:
		parsed.stats = true;
		break;
	case OPT_INTERVAL:
		errno = 0;
		parsed.interval = strtod(arg, &end);
		if (errno || end == arg || *end || parsed.interval <= 0)
			die("invalid interval '%s': expected seconds > 0", arg);
		break;
	case OPT_STACK:
		parsed.stack = true;
		break;
	case OPT_STACK_DEPTH:
		parsed.stack_depth = parse_long(arg, "--stack-depth", 1, GT_STACK_MAX);
		break;
	case OPT_FILTER:
		parsed.filter = arg;
		break;
	case OPT_MIN_DURATION:
		if (!parse_go_duration(arg, &parsed.min_duration_ns) || !parsed.min_duration_ns)
			die("invalid --min-duration '%s': expected a duration > 0 as Go writes "
			    "it (500us, 20ms, 1.5s)",
			    arg);
		break;
	case OPT_NO_SIGNALS:
		parsed.no_signals = true;
		break;
	case OPT_PRINT:
		parsed.print = arg;
		break;
	case OPT_DRY_RUN:
		parsed.dry_run = true;
		break;
	case OPT_NOOP:
		parsed.noop = true;
		break;
	case OPT_PERF_UPROBES:
		parsed.perf_uprobes = true;
		break;
	case ARGP_KEY_ARG:
		/* BINARY comes first unless -p or -c names the program (options
		 * are parsed before arguments, wherever they stand) */
		if (!parsed.binary && !parsed.pid && !parsed.command) {
			parsed.binary = arg;
			break;
		}
		err = func_specs__add(&parsed.specs, arg, NULL, NULL, 0);
		if (err)
			die("out of memory");
		break;
	case ARGP_KEY_END:
		if (!!parsed.binary + !!parsed.pid + !!parsed.command != 1 ||
		    (parsed.specs.n && names_a_program(parsed.specs.specs[0].pattern)))
			argp_error(state, "give exactly one of BINARY, -p PID or -c CMD");
		if (parsed.keep && !parsed.command)
			argp_error(state, "--keep is for the command of -c");
		if (parsed.funcs_file && parsed.specs.n)
			argp_error(state, "give functions either as FUNC arguments or with -f");
		if (!parsed.funcs_file && !parsed.specs.n && !parsed.list)
			argp_error(state, "no FUNC given");
		if (parsed.interval && !parsed.stats)
			argp_error(state, "--interval is for --stats");
		if (parsed.stats && parsed.max_events)
			argp_error(state, "-n counts events, and --stats sends none: use -d");
		if (parsed.stats && parsed.print)
			argp_error(state, "--print shows values of events, and --stats sends none");
		if (parsed.stats && parsed.stack)
			argp_error(state, "--stack is for events, and --stats sends none");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
    .options = opts,
    .parser = parse_arg,
    .args_doc = "[BINARY] FUNC...",
    .doc = doc,
};

/*
 * Every setting that follows from others, in one place, before anything
 * reads them. What follows from the binary too (returns that a filter's
 * results imply, the event budget a plan needs) is the plan set's to decide
 * (plan/plan_set.h).
 */
static int finish_options(void)
{
	char errbuf[1024] = "";
	int err;

	/* latency needs the returns, and so does a duration to filter on */
	if (parsed.stats || parsed.min_duration_ns)
		parsed.returns = true;
	if (parsed.funcs_file) {
		err = func_specs__read_file(&parsed.specs, parsed.funcs_file, errbuf,
					    sizeof(errbuf));
		if (err) {
			report("%s", errbuf);
			return err;
		}
	}
	/* -l without FUNC lists every function */
	if (parsed.list && !parsed.specs.n && func_specs__add(&parsed.specs, "*", NULL, NULL, 0))
		die("out of memory");
	return 0;
}

int parse_options(int argc, char **argv)
{
	/* gotrace's own -h, --usage and -V, so that --help lists what the
	 * man page does; a usage error exits EX_USAGE (64) either way */
	argp_parse(&argp, argc, argv, ARGP_NO_HELP, NULL, NULL);
	return finish_options();
}

void free_options(void)
{
	func_specs__free(&parsed.specs);
}
