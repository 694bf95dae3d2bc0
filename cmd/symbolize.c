// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Func values and type descriptors, as the decoder meets them, back to the
 * binary's functions and types.
 */
#include <stdlib.h>
#include "cmd/symbolize.h"

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
static uint64_t load_bias(const struct symbolizer *sym, uint32_t pid)
{
	const struct process_bias *pb = &sym->bias[pid % BIAS_SLOTS];

	return pb->pid == pid ? pb->bias : 0;
}

void symbolizer__learn_bias(struct symbolizer *sym, const uint64_t *probes, int n_probes,
			    const struct gt_event *ev)
{
	struct process_bias *pb = &sym->bias[ev->pid % BIAS_SLOTS];
	int i;

	if (!gobin__is_pie(sym->bin) || pb->pid == ev->pid)
		return;
	/* the bias is page aligned: of a function's probe addresses, the one
	 * that fired leaves a page-aligned difference */
	for (i = 0; i < n_probes; i++) {
		uint64_t bias = ev->ip - probes[i];

		if ((bias & 0xfff) == 0) {
			pb->pid = ev->pid;
			pb->bias = bias;
			return;
		}
	}
}

/* Func values: the function whose code holds PC. */
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

	addr = gobin__twin_type_addr(sym->bin, sym->types, addr - load_bias(sym, pid));
	return gobin__type_by_runtime_addr(sym->types, addr);
}

struct symbolizer *symbolizer__new(const struct gobin *bin, const struct gobin *types)
{
	struct symbolizer *sym = calloc(1, sizeof(*sym));

	if (!sym)
		return NULL;
	sym->bin = bin;
	sym->types = types;
	return sym;
}

void symbolizer__decode_opts(struct symbolizer *sym, struct decode_opts *opts)
{
	opts->symbolize = symbolize;
	opts->type_at = type_at;
	opts->ctx = sym;
}

uint64_t symbolizer__bias(const struct symbolizer *sym, uint32_t pid)
{
	return load_bias(sym, pid);
}

void symbolizer__free(struct symbolizer *sym)
{
	if (!sym)
		return;
	free(sym->by_addr);
	free(sym);
}
