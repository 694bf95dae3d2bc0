// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gotrace: trace calls of Go functions in live processes, with their
 * arguments decoded as Go values.
 *
 * The only place that knows both symbols/ and the BPF side: binary ->
 * symbols -> plans -> probes -> events -> decode -> output.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>
#include "cmd/funcs.h"
#include "cmd/probe.h"
#include "decode/decode.h"
#include "plan/plan.h"
#include "symbols/symbols.h"

#define GOTRACE_VERSION "0.1.0"
#define POLL_MS 100
#define SWEEP_NS 1000000000LL /* how often stale calls are evicted */

static struct env {
	const char *binary;
	pid_t pid;
	const char *command;
	const char *funcs_file;
	const char *output;
	bool json;
	bool list;
	bool noop;
	bool returns;
	const char *debug_file;
	long buffer_size;
	int raw_warned;
	int verbose;
	double duration;
	long max_events;
	long max_string;
	long max_elems;
	long max_event;
	int max_depth;
	struct func_specs specs;
} env = {
    .max_string = 64,
    .max_elems = 16,
    .max_depth = 4,
};

static volatile sig_atomic_t exiting;

const char *argp_program_version = "gotrace " GOTRACE_VERSION;
const char *argp_program_bug_address = "<https://github.com/gotrace/gotrace/issues>";

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
    "  gotrace -p 1234 'main.*'                      # all of main's functions in PID 1234\n"
    "  gotrace -j -o calls.json -c './app -v' main.f # start ./app, JSON lines to calls.json\n"
    "  gotrace -f funcs.txt ./webserver              # functions file: one FUNC per line\n"
    "  gotrace -l ./webserver 'net/http.(*conn).*'   # list matching functions, signatures\n"
    "  gotrace -j -n 100 ./app main.f | jq .args     # first 100 calls, as JSON\n"
    "  gotrace -r -p 1234 main.handler               # also results and latency\n"
    "  gotrace --debug-file ./app.debug ./app main.f # a stripped build's types\n"
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
};

static const struct argp_option opts[] = {
    {"pid", 'p', "PID", 0, "Trace this process only; exit when it exits", 0},
    {"command", 'c', "CMD", 0, "Run CMD (with its arguments, quoted) and trace only it", 0},
    {"file", 'f', "FILE", 0, "Functions file: one FUNC or FUNC(types) per line, # comments", 0},
    {"json", 'j', NULL, 0, "Print JSON lines (see gotrace(8) for the format)", 0},
    {"output", 'o', "FILE", 0, "Write events to FILE instead of stdout", 0},
    {"duration", 'd', "SECONDS", 0, "Stop after SECONDS", 0},
    {"max-events", 'n', "N", 0, "Stop after N calls", 0},
    {"max-string", OPT_MAX_STRING, "BYTES", 0, "Bytes of each string captured (default 64)", 0},
    {"max-elems", OPT_MAX_ELEMS, "N", 0, "Elements of a slice or array shown (default 16)", 0},
    {"max-depth", OPT_MAX_DEPTH, "N", 0, "Pointer hops followed (default 4)", 0},
    {"max-event", OPT_MAX_EVENT, "BYTES", 0,
     "Capture budget per event (default and most 8192); beyond it values are cut and marked", 0},
    {"buffer-size", OPT_BUFFER_SIZE, "BYTES", 0,
     "Ring buffer size, a power of 2 (default 8388608); events that do not fit are counted", 0},
    {"debug-file", OPT_DEBUG_FILE, "PATH", 0,
     "Argument types from PATH, an unstripped build of the same source", 0},
    {"returns", 'r', NULL, 0,
     "Also trace returns: results, duration (uprobes on each RET, never uretprobes)", 0},
    {"list", 'l', NULL, 0, "List the matching functions with their Go signatures, then exit", 0},
    {"verbose", 'v', NULL, 0, "Print each function's plan; -vv adds libbpf's messages", 0},
    {"noop", OPT_NOOP, NULL, OPTION_HIDDEN, "Attach a no-op program (bench baseline)", 0},
    {NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0},
    {},
};

/* Diagnostics: one line on stderr, "gotrace: what failed: why". */
static void vreport(const char *fmt, va_list ap)
{
	fputs("gotrace: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(1);
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

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;
	int err;

	switch (key) {
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case 'p':
		env.pid = parse_long(arg, "PID", 1, INT_MAX);
		break;
	case 'c':
		env.command = arg;
		break;
	case 'f':
		env.funcs_file = arg;
		break;
	case 'j':
		env.json = true;
		break;
	case 'o':
		env.output = arg;
		break;
	case 'd':
		errno = 0;
		env.duration = strtod(arg, &end);
		if (errno || end == arg || *end || env.duration <= 0)
			die("invalid duration '%s': expected seconds > 0", arg);
		break;
	case 'n':
		env.max_events = parse_long(arg, "event count", 1, LONG_MAX);
		break;
	case OPT_MAX_STRING:
		env.max_string = parse_long(arg, "--max-string", 0, GT_READ_MAX);
		break;
	case OPT_MAX_ELEMS:
		env.max_elems = parse_long(arg, "--max-elems", 1, GT_READ_MAX);
		break;
	case OPT_BUFFER_SIZE:
		env.buffer_size = parse_long(arg, "--buffer-size", 4096, 1L << 30);
		if (env.buffer_size & (env.buffer_size - 1))
			die("invalid --buffer-size '%s': expected a power of 2", arg);
		break;
	case OPT_DEBUG_FILE:
		env.debug_file = arg;
		break;
	case OPT_MAX_EVENT:
		env.max_event = parse_long(arg, "--max-event", 256, GT_DATA_MAX);
		break;
	case OPT_MAX_DEPTH:
		env.max_depth = parse_long(arg, "--max-depth", 0, 16);
		break;
	case 'l':
		env.list = true;
		break;
	case 'r':
		env.returns = true;
		break;
	case 'v':
		env.verbose++;
		break;
	case OPT_NOOP:
		env.noop = true;
		break;
	case ARGP_KEY_ARG:
		/* BINARY comes first unless -p or -c names the program */
		if (!env.binary && !env.pid && !env.command) {
			env.binary = arg;
			break;
		}
		err = func_specs__add(&env.specs, arg, NULL, NULL, 0);
		if (err)
			die("out of memory");
		break;
	case ARGP_KEY_END:
		if (!!env.binary + !!env.pid + !!env.command != 1)
			argp_error(state, "give exactly one of BINARY, -p PID or -c CMD");
		if (env.funcs_file && env.specs.n)
			argp_error(state, "give functions either as FUNC arguments or with -f");
		if (!env.funcs_file && !env.specs.n && !env.list)
			argp_error(state, "no FUNC given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void sig_handler(int sig)
{
	exiting = 1;
}

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The command for -c, forked and held before exec until the probes are in. */
struct child {
	pid_t pid;
	int go_fd;  /* write end: closing it lets the child exec */
	char *path; /* the program's path, for the probes */
	wordexp_t words;
};

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return realpath(name, NULL);
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *colon = strchrnul(path, ':');

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(colon - path), path, name);
		if (access(buf, X_OK) == 0)
			return realpath(buf, NULL);
		path = *colon ? colon + 1 : colon;
	}
	return NULL;
}

static void start_child(struct child *c, const char *command)
{
	int fds[2];
	char b;

	if (wordexp(command, &c->words, WRDE_NOCMD) || c->words.we_wordc == 0)
		die("-c '%s': cannot split the command into words", command);
	c->path = find_in_path(c->words.we_wordv[0]);
	if (!c->path)
		die("%s: no such program", c->words.we_wordv[0]);
	if (pipe2(fds, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	c->pid = fork();
	if (c->pid < 0)
		die("fork: %s", strerror(errno));
	if (c->pid == 0) {
		close(fds[1]);
		/* wait for the parent's byte: the probes are in. EOF: it gave up. */
		if (read(fds[0], &b, 1) != 1)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		execv(c->path, c->words.we_wordv);
		fprintf(stderr, "gotrace: %s: %s\n", c->path, strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	c->go_fd = fds[1];
}

static void release_child(struct child *c)
{
	char go = 1;

	if (c->go_fd >= 0) {
		if (write(c->go_fd, &go, 1) < 0)
			warn("cannot start the command: %s", strerror(errno));
		close(c->go_fd);
		c->go_fd = -1;
	}
}

struct traced {
	const struct go_func *func;
	struct func_plan *plan;
	uint64_t *probes; /* file addresses of this plan's probes */
	int n_probes;
	/* without DWARF: the function with parameters from elsewhere */
	struct go_func typed;
	struct go_signature *sig;
};

/* The last return seen on each goroutine: a call remembered deeper on the
 * same goroutine, from before that return, belongs to a frame a panic
 * unwound; it will never return. */
struct goroutine_return {
	uint64_t goid;
	uint64_t depth;
	uint64_t time_ns;
};

#define GOROUTINE_SLOTS 4096 /* a cache: a goroutine pushed out only delays a sweep */

struct symbolizer;
static void learn_bias(struct symbolizer *sym, const struct traced *t, const struct gt_event *ev);

struct session {
	struct goroutine_return returns[GOROUTINE_SLOTS];
	struct symbolizer *sym;
	struct traced *funcs;
	int n_funcs;
	FILE *out;
	struct output_opts out_opts;
	struct decode_opts decode_opts;
	long events;
	uint64_t lost_reported;
	bool output_closed;
};

static int handle_event(void *ctx, const struct gt_event *ev, const void *records)
{
	struct session *s = ctx;
	struct decoded_event de;
	int err;

	if (ev->func_id >= (uint32_t)s->n_funcs)
		return 0;
	learn_bias(s->sym, &s->funcs[ev->func_id], ev);
	err = decode_event(s->funcs[ev->func_id].plan, ev, records, &s->decode_opts, &de);
	if (err) {
		warn("%s: malformed event: %s", s->funcs[ev->func_id].func->name, strerror(-err));
		return 0;
	}
	if (ev->kind == GT_EV_RETURN && ev->goid) {
		struct goroutine_return *gr = &s->returns[ev->goid % GOROUTINE_SLOTS];

		gr->goid = ev->goid;
		gr->depth = ev->depth;
		gr->time_ns = ev->time_ns;
	}
	output_event(s->out, &s->out_opts, &de);
	decoded_event__clear(&de);
	s->events++;
	if (ferror(s->out)) {
		s->output_closed = true;
		return 1;
	}
	if (env.max_events && s->events >= env.max_events)
		return 1;
	return 0;
}

/* Func values: the function whose entry is PC. */
#define BIAS_SLOTS 64

struct process_bias {
	uint32_t pid;
	uint64_t bias;
};

struct symbolizer {
	const struct gobin *bin;
	struct process_bias bias[BIAS_SLOTS];
	const struct gobin *types; /* the binary with DWARF: BINARY or --debug-file */
	const struct go_func **by_addr;
	int n;
};

static int by_low_pc(const void *a, const void *b)
{
	const struct go_func *fa = *(const struct go_func *const *)a;
	const struct go_func *fb = *(const struct go_func *const *)b;

	return fa->low_pc < fb->low_pc ? -1 : fa->low_pc > fb->low_pc;
}

/*
 * A PIE binary runs at a base the kernel chose per process. Each event
 * carries the address its probe fired at, and the probe's file address is
 * known: the difference is the process's load bias, remembered per pid.
 * Addresses the program holds (func values, type descriptors) minus the
 * bias are the file's.
 */
static uint64_t load_bias(struct symbolizer *sym, uint32_t pid)
{
	const struct process_bias *pb = &sym->bias[pid % BIAS_SLOTS];

	return pb->pid == pid ? pb->bias : 0;
}

static void learn_bias(struct symbolizer *sym, const struct traced *t, const struct gt_event *ev)
{
	struct process_bias *pb = &sym->bias[ev->pid % BIAS_SLOTS];
	int i;

	if (!gobin__is_pie(sym->bin) || pb->pid == ev->pid)
		return;
	/* the bias is page aligned: of a function's probe addresses, the one
	 * that fired leaves a page-aligned difference */
	for (i = 0; i < t->n_probes; i++) {
		uint64_t bias = ev->ip - t->probes[i];

		if ((bias & 0xfff) == 0) {
			pb->pid = ev->pid;
			pb->bias = bias;
			return;
		}
	}
}

static const char *symbolize(void *ctx, uint32_t pid, uint64_t pc)
{
	struct symbolizer *sym = ctx;
	int lo = 0, hi, i;

	pc -= load_bias(sym, pid);
	if (!sym->by_addr) {
		sym->n = gobin__func_count(sym->bin);
		sym->by_addr = calloc(sym->n ? sym->n : 1, sizeof(*sym->by_addr));
		if (!sym->by_addr)
			return NULL;
		for (i = 0; i < sym->n; i++)
			sym->by_addr[i] = gobin__func(sym->bin, i);
		qsort(sym->by_addr, sym->n, sizeof(*sym->by_addr), by_low_pc);
	}
	hi = sym->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct go_func *f = sym->by_addr[mid];

		if (pc < f->low_pc)
			hi = mid - 1;
		else if (pc >= f->high_pc)
			lo = mid + 1;
		else
			return f->name;
	}
	return NULL;
}

static const struct go_type *type_at(void *ctx, uint32_t pid, uint64_t addr)
{
	struct symbolizer *sym = ctx;

	return gobin__type_by_runtime_addr(sym->types, addr - load_bias(sym, pid));
}

static bool call_is_stale(void *ctx, const struct gt_call_key *key, const struct gt_call *call)
{
	struct session *s = ctx;
	const struct goroutine_return *gr = &s->returns[key->goid % GOROUTINE_SLOTS];

	return gr->goid == key->goid && gr->depth < key->depth && gr->time_ns > call->start_ns;
}

static bool count_call(void *ctx, const struct gt_call_key *key, const struct gt_call *call)
{
	(*(long *)ctx)++;
	return false;
}

static void report_lost(struct session *s, struct probe *p)
{
	uint64_t lost = probe__counter(p, GT_CNT_LOST);

	if (lost > s->lost_reported) {
		output_lost(s->out, &s->out_opts, lost - s->lost_reported,
			    clock_ns(CLOCK_REALTIME));
		s->lost_reported = lost;
	}
}

static bool process_gone(pid_t pid, int pidfd, struct child *child)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	int status;

	if (child && child->pid > 0)
		return waitpid(child->pid, &status, WNOHANG) == child->pid;
	if (pidfd >= 0)
		return poll(&pfd, 1, 0) > 0;
	return kill(pid, 0) && errno == ESRCH;
}

static const char *privilege_hint(int err)
{
	if (err == -EPERM || (err == -EACCES && geteuid() != 0))
		return "permission denied: gotrace needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN "
		       "(run it as root)";
	if (err == -EACCES)
		return "the kernel's verifier rejected the program (-vv shows its log)";
	return strerror(-err);
}

/* The third part of a Go build ID, "a/b/c/d", into buf. */
static bool build_id_part3(const char *id, char *buf, size_t len)
{
	const char *p = id;
	int i;

	for (i = 0; i < 2 && p; i++) {
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return false;
	snprintf(buf, len, "%.*s", (int)strcspn(p, "/"), p);
	return true;
}

/* Whether two Go build IDs come from the same compiled main package. */
static bool same_compile(const char *a, const char *b)
{
	char pa[128], pb[128];

	if (!build_id_part3(a, pa, sizeof(pa)) || !build_id_part3(b, pb, sizeof(pb)))
		return !strcmp(a, b);
	return !strcmp(pa, pb);
}

/* FUNC names F, or the assembly function F.abi0 */
static bool matches_spec(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	return !strcmp(pattern, name) || (!strncmp(pattern, name, n) && !strcmp(name + n, ".abi0"));
}

/*
 * A function of a binary without DWARF gets its parameters from, in order:
 * a functions-file signature, the same function in --debug-file, or the raw
 * argument registers and stack words, said so in the plan.
 */
static const struct go_func *typed_without_dwarf(struct traced *t, const struct go_func *f,
						 const struct gobin *bin,
						 const struct gobin *debug_bin, bool stack_abi)
{
	const struct go_func *debug_f;
	char errbuf[256];
	int i;

	t->typed = *f;
	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];

		if (!spec->signature || !matches_spec(spec->pattern, f->name))
			continue;
		t->sig =
		    go_signature__parse(spec->signature, spec->results, errbuf, sizeof(errbuf));
		if (!t->sig)
			die("%s:%d: %s: %s", spec->file ? spec->file : "-", spec->line, f->name,
			    errbuf);
		go_signature__apply(t->sig, &t->typed);
		t->typed.has_dwarf = true;
		return &t->typed;
	}
	if (debug_bin && (debug_f = gobin__find_func(debug_bin, f->name)) && debug_f->has_dwarf) {
		t->typed.params = debug_f->params;
		t->typed.n_params = debug_f->n_params;
		t->typed.has_dict = debug_f->has_dict;
		t->typed.dict_index = debug_f->dict_index;
		t->typed.has_dwarf = true;
		return &t->typed;
	}
	t->sig = go_signature__raw(stack_abi);
	if (!t->sig)
		die("out of memory");
	go_signature__apply(t->sig, &t->typed);
	if (!env.raw_warned++)
		warn("%s has no DWARF: without a signature in a functions file (-f) or "
		     "--debug-file, arguments show as raw registers and stack words",
		     f->name);
	return &t->typed;
}

/*
 * TIF_NEED_FPU_LOAD is a #define, not in the kernel's BTF: its bit by kernel
 * version, where known (14 through 6.13, 19 in 6.18, measured). Elsewhere
 * -1: floats in X registers stay unavailable rather than risk a stale copy.
 */
static int tif_need_fpu_load_bit(void)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return -1;
	if (major < 6 || (major == 6 && minor <= 13))
		return 14;
	if (major == 6 && minor == 18)
		return 19;
	return -1;
}

/* An entry probe past the stack-growth check (symbols/code.c), and with -r
 * one probe on each RET: never a uretprobe, which crashes Go programs when
 * the runtime moves a goroutine's stack. */
static void remember_probe(struct traced *t, uint64_t addr)
{
	uint64_t *p = realloc(t->probes, (t->n_probes + 1) * sizeof(*p));

	if (!p)
		die("out of memory");
	t->probes = p;
	t->probes[t->n_probes++] = addr;
}

static void attach_function(struct probe *probe, const struct gobin *bin, const char *target,
			    const struct go_func *f, int entry_id, struct traced *plans)
{
	struct go_func_code code;
	uint64_t offset;
	int err, i;

	err = gobin__func_code(bin, f, &code);
	if (err)
		die("%s: cannot disassemble its code: %s", f->name, strerror(-err));
	if (env.verbose && code.entry_adjusted)
		fprintf(stderr, "%s: entry probe at +0x%llx, after the stack-growth check\n",
			f->name, (unsigned long long)(code.entry - f->low_pc));
	if (env.returns && code.n_rets == 0)
		die("%s: no RET instruction in its code (it never returns, or ends in a tail "
		    "call): drop -r for it",
		    f->name);
	for (i = -1; i < (env.returns ? code.n_rets : 0); i++) {
		uint64_t addr = i < 0 ? code.entry : code.rets[i];

		if (env.verbose && i >= 0)
			fprintf(stderr, "%s: return probe at +0x%llx\n", f->name,
				(unsigned long long)(addr - f->low_pc));
		err = gobin__vaddr_to_offset(bin, addr, &offset);
		if (err)
			die("%s: address 0x%llx is in no loadable segment of %s", f->name,
			    (unsigned long long)addr, target);
		err = probe__attach(probe, target, offset, i < 0 ? entry_id : entry_id + 1);
		remember_probe(&plans[i < 0 ? entry_id : entry_id + 1], addr);
		if (err)
			die("%s: attaching a uprobe at %s+0x%llx: %s", f->name, target,
			    (unsigned long long)offset, privilege_hint(err));
	}
	go_func_code__clear(&code);
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
	    .options = opts,
	    .parser = parse_arg,
	    .args_doc = "[BINARY] FUNC...",
	    .doc = doc,
	};
	struct probe_opts popts = {.goid_offset = -1};
	struct plan_opts plan_opts = {0};
	struct session s = {0};
	struct child child = {.go_fd = -1};
	struct symbolizer sym = {0};
	struct probe *probe = NULL;
	struct gobin *bin = NULL, *debug_bin = NULL;
	char errbuf[1024] = "", path[64], id[256], debug_id[256];
	const char *target;
	int *matches = NULL, n_matches = 0, i, err, major, minor, pidfd = -1, plans_per_func;
	int64_t deadline = 0, next_sweep = 0;
	int exit_code = 0;

	/* the examples are wider than argp's default 79 columns */
	setenv("ARGP_HELP_FMT", "rmargin=100", 0);
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 1;

	/* Which binary: the named file, the running process's, or the command's. */
	if (env.pid) {
		if (kill(env.pid, 0) && errno == ESRCH)
			die("-p %d: no such process", env.pid);
		snprintf(path, sizeof(path), "/proc/%d/exe", env.pid);
		if (access(path, R_OK))
			die("-p %d: cannot read %s: %s", env.pid, path, strerror(errno));
		target = path;
	} else if (env.command) {
		start_child(&child, env.command);
		target = child.path;
	} else {
		target = env.binary;
	}

	bin = gobin__open(target, errbuf, sizeof(errbuf), &err);
	if (!bin) {
		if (env.pid)
			die("-p %d: %s", env.pid, errbuf);
		die("%s: %s", env.command ? child.path : target, errbuf);
	}
	if (!gobin__go_version_number(bin, &major, &minor))
		die("%s: cannot read the Go version from the build info", target);
	if (env.debug_file) {
		debug_bin = gobin__open(env.debug_file, errbuf, sizeof(errbuf), &err);
		if (!debug_bin)
			die("--debug-file %s: %s", env.debug_file, errbuf);
		if (!gobin__has_dwarf(debug_bin))
			die("--debug-file %s: it has no DWARF either", env.debug_file);
		/* a Go executable's build ID has four parts; the third is the
		 * main package's compiled content, the same whatever -ldflags
		 * stripped (cmd/go/internal/work/buildid.go) */
		if (gobin__build_id(bin, id, sizeof(id)) &&
		    gobin__build_id(debug_bin, debug_id, sizeof(debug_id)) &&
		    !same_compile(id, debug_id))
			die("--debug-file %s: its Go build ID is not from the same source as %s's",
			    env.debug_file, target);
		err = gobin__names_from(bin, debug_bin);
		if (err)
			die("--debug-file %s: %s", env.debug_file, strerror(-err));
	}
	plan_opts.stack_abi = major == 1 && minor < 17;
	plan_opts.swiss_maps = major > 1 || minor >= 24;
	plan_opts.max_string = env.max_string;
	plan_opts.max_depth = env.max_depth;
	plan_opts.max_elems = env.max_elems;

	if (env.funcs_file) {
		err = func_specs__read_file(&env.specs, env.funcs_file, errbuf, sizeof(errbuf));
		if (err)
			die("%s", errbuf);
	}
	if (env.list && !env.specs.n)
		func_specs__add(&env.specs, "*", NULL, NULL, 0);
	err = func_specs__resolve(&env.specs, bin, &matches, &n_matches, errbuf, sizeof(errbuf));
	if (err)
		die("%s", errbuf);

	if (env.list) {
		for (i = 0; i < n_matches; i++)
			output_signature(stdout, gobin__func(bin, matches[i]));
		goto cleanup;
	}
	for (i = 0; i < env.specs.n; i++) {
		const struct func_spec *spec = &env.specs.specs[i];
		const struct go_func *f = gobin__find_func(bin, spec->pattern);

		if (f && func_spec__signature_mismatch(spec, f, errbuf, sizeof(errbuf)))
			warn("%s", errbuf);
	}

	/* plan ids: a function's entry plan, then with -r its return plan */
	plans_per_func = env.returns ? 2 : 1;
	if (n_matches * plans_per_func > GT_MAX_FUNCS)
		die("%d functions match; gotrace traces at most %d at once", n_matches,
		    GT_MAX_FUNCS / plans_per_func);
	s.funcs = calloc(n_matches * plans_per_func, sizeof(*s.funcs));
	if (!s.funcs)
		die("out of memory");
	for (i = 0; i < n_matches * plans_per_func; i++) {
		const struct go_func *f = gobin__func(bin, matches[i / plans_per_func]);

		plan_opts.results = i % plans_per_func == 1;
		if (!f->has_dwarf)
			f = typed_without_dwarf(&s.funcs[i], f, bin, debug_bin,
						plan_opts.stack_abi);
		s.funcs[i].func = f;
		err = plan_func(f, &plan_opts, &s.funcs[i].plan, errbuf, sizeof(errbuf));
		if (err)
			die("%s", errbuf);
		s.n_funcs++;
		if (env.returns)
			s.funcs[i].plan->bpf.flags |=
			    plan_opts.results ? GT_PLAN_RETURN : GT_PLAN_PAIR;
		if (plan_opts.results)
			s.funcs[i].plan->bpf.pair_id = i - 1;
		if (plan_opts.stack_abi || f->abi == GO_ABI0)
			s.funcs[i].plan->bpf.flags |= GT_PLAN_G_TLS;
		if (env.verbose)
			plan_describe(s.funcs[i].plan, stderr);
	}

	popts.pid = env.pid ? env.pid : child.pid;
	popts.goid_offset = gobin__g_goid_offset(debug_bin ? debug_bin : bin);
	if (popts.goid_offset < 0)
		warn("%s: %s: the layout of runtime.g is unknown without DWARF: events carry no "
		     "goroutine id (give --debug-file)",
		     target, gobin__go_version(bin));
	popts.stack_hi_offset = gobin__g_stack_hi_offset(debug_bin ? debug_bin : bin);
	popts.noop = env.noop;
	popts.tif_need_fpu_load = tif_need_fpu_load_bit();
	popts.ringbuf_size = env.buffer_size;
	popts.event_budget = env.max_event;
	popts.verbose = env.verbose;
	probe = probe__new(&popts, &err);
	if (!probe)
		die("loading the BPF program: %s", privilege_hint(err));
	for (i = 0; i < s.n_funcs; i++) {
		err = probe__set_plan(probe, i, &s.funcs[i].plan->bpf);
		if (err)
			die("%s: storing the plan: %s", s.funcs[i].func->name, strerror(-err));
	}
	for (i = 0; i < n_matches; i++)
		attach_function(probe, bin, target, gobin__func(bin, matches[i]),
				i * plans_per_func, s.funcs);

	if (env.output) {
		s.out = fopen(env.output, "w");
		if (!s.out)
			die("%s: %s", env.output, strerror(errno));
	} else {
		s.out = stdout;
	}
	s.out_opts.json = env.json;
	sym.bin = bin;
	sym.types = debug_bin ? debug_bin : bin;
	s.decode_opts.symbolize = symbolize;
	s.decode_opts.type_at = type_at;
	s.decode_opts.ctx = &sym;
	s.sym = &sym;
	s.out_opts.realtime_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);

	signal(SIGINT, sig_handler);
	signal(SIGTERM, sig_handler);
	signal(SIGPIPE, SIG_IGN);
	if (env.pid)
		pidfd = syscall(SYS_pidfd_open, env.pid, 0);
	if (env.duration > 0)
		deadline = clock_ns(CLOCK_MONOTONIC) + (int64_t)(env.duration * 1e9);

	fprintf(stderr, "gotrace: attached %d probes to %d functions in %s (%s); Ctrl-C to stop\n",
		probe__attached(probe), n_matches, target, gobin__go_version(bin));
	release_child(&child);

	while (!exiting) {
		bool gone;

		err = probe__poll(probe, POLL_MS, handle_event, &s);
		if (err < 0 && err != -EINTR) {
			warn("reading events: %s", strerror(-err));
			exit_code = 1;
			break;
		}
		report_lost(&s, probe);
		if (env.returns && clock_ns(CLOCK_MONOTONIC) >= next_sweep) {
			probe__sweep_calls(probe, call_is_stale, &s);
			next_sweep = clock_ns(CLOCK_MONOTONIC) + SWEEP_NS;
		}
		if (fflush(s.out) || s.output_closed)
			break; /* the reader went away: a clean exit */
		if (err > 0 && env.max_events && s.events >= env.max_events)
			break;
		if (deadline && clock_ns(CLOCK_MONOTONIC) >= deadline)
			break;
		gone = (env.pid || child.pid > 0) && process_gone(env.pid, pidfd, &child);
		if (gone) {
			if (child.pid > 0)
				child.pid = -1;
			break;
		}
	}
	/* Whatever stopped us, events already in the buffer happened before:
	 * print them, unless the reader is gone or the limit is reached. */
	if (!s.output_closed && !(env.max_events && s.events >= env.max_events)) {
		probe__poll(probe, 0, handle_event, &s);
		report_lost(&s, probe);
		fflush(s.out);
	}

	if (env.returns) {
		long in_flight = 0;

		probe__sweep_calls(probe, call_is_stale, &s);
		probe__sweep_calls(probe, count_call, &in_flight);
		if (in_flight)
			warn("%ld calls had not returned when tracing stopped", in_flight);
	}
	if (probe__counter(probe, GT_CNT_LOST))
		warn("%llu events were lost: the ring buffer was full",
		     (unsigned long long)probe__counter(probe, GT_CNT_LOST));
	if (env.returns && probe__counter(probe, GT_CNT_EVICTED))
		warn("%llu calls never returned (frames unwound by a panic); their entries were "
		     "evicted",
		     (unsigned long long)probe__counter(probe, GT_CNT_EVICTED));
	if (env.returns && probe__counter(probe, GT_CNT_CALLS_FULL))
		warn("%llu calls were not paired with their returns: %d calls in flight at most",
		     (unsigned long long)probe__counter(probe, GT_CNT_CALLS_FULL), GT_MAX_CALLS);

cleanup:
	probe__free(probe);
	if (child.pid > 0) {
		/* gotrace stopped first: leave the command running, untraced */
		waitpid(child.pid, NULL, WNOHANG);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (s.out && s.out != stdout)
		fclose(s.out);
	for (i = 0; i < s.n_funcs; i++) {
		func_plan__free(s.funcs[i].plan);
		go_signature__free(s.funcs[i].sig);
		free(s.funcs[i].probes);
	}
	gobin__free(debug_bin);
	free(s.funcs);
	free(matches);
	free(sym.by_addr);
	if (child.path) {
		free(child.path);
		wordfree(&child.words);
	}
	func_specs__free(&env.specs);
	gobin__free(bin);
	return exit_code;
}
