/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uprobe_multi links (BPF_TRACE_UPROBE_MULTI, Linux 6.6): many uprobes of
 * one binary in one BPF link, each with its own cookie, attached and
 * detached at once. Debian 12's libbpf 1.1 and uapi headers (6.1) predate
 * them, so the command is issued through bpf(2) here, its layout written
 * out in uprobe_multi.c.
 */
#ifndef GOTRACE_UPROBE_MULTI_H
#define GOTRACE_UPROBE_MULTI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* enum bpf_attach_type's value: a program loaded with it as its expected
 * attach type attaches only through uprobe_multi links */
#define GT_BPF_TRACE_UPROBE_MULTI 48

enum uprobe_multi_support {
	UPROBE_MULTI_NONE,     /* before Linux 6.6: perf-event uprobes only */
	UPROBE_MULTI_NO_PID,   /* 6.6 to 6.9: its PID filter is per thread, unusable */
	UPROBE_MULTI_WITH_PID, /* 6.10 on */
};

/* What this kernel offers, found by asking it (two BPF_LINK_CREATE calls
 * that must fail in known ways). */
enum uprobe_multi_support uprobe_multi_probe(void);

/*
 * One link: N uprobes on PATH at file offsets OFFSETS, the i-th carrying
 * COOKIES[i] (bpf_get_attach_cookie), running PROG_FD (loaded with
 * GT_BPF_TRACE_UPROBE_MULTI). PID > 0: only in that process, which the
 * kernel then filters (give it only with UPROBE_MULTI_WITH_PID). Never
 * return probes: gotrace never uses uretprobes. Returns the link's fd, to
 * close, or a negative errno.
 */
int uprobe_multi_link_create(int prog_fd, const char *path, const uint64_t *offsets,
			     const uint64_t *cookies, uint32_t n, pid_t pid);

#endif /* GOTRACE_UPROBE_MULTI_H */
