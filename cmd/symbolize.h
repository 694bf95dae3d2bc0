/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Addresses a traced program holds (func values, type descriptors) back
 * to the binary's functions and types, PIE or not.
 */
#ifndef GOTRACE_SYMBOLIZE_H
#define GOTRACE_SYMBOLIZE_H

#include <stdint.h>
#include <linux/types.h>
#include "bpf/gotrace.h"
#include "decode/decode.h"
#include "symbols/symbols.h"

struct symbolizer;

/* Functions from BIN, types from TYPES (BIN, or the --debug-file build). */
struct symbolizer *symbolizer__new(const struct gobin *bin, const struct gobin *types);
/* EV fired at one of PROBES (file addresses): in a PIE binary, learns its
 * process's load bias. */
void symbolizer__learn_bias(struct symbolizer *sym, const uint64_t *probes, int n_probes,
			    const struct gt_event *ev);
/* PID's load bias: run-time address - the binary's (0 unless PIE). */
uint64_t symbolizer__bias(const struct symbolizer *sym, uint32_t pid);
/* Points the decoder's symbolize and type_at at SYM. */
void symbolizer__decode_opts(struct symbolizer *sym, struct decode_opts *opts);
void symbolizer__free(struct symbolizer *sym);

#endif /* GOTRACE_SYMBOLIZE_H */
