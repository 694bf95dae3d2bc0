// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF_LINK_CREATE for uprobe_multi, and the test of what the kernel offers.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "cmd/uprobe_multi.h"

/*
 * union bpf_attr's link_create as include/uapi/linux/bpf.h has it since
 * Linux 6.6 (89ae89f53d20 "bpf: Add multi uprobe link"; cookies, then pid,
 * were added in the same series). Only this member of the union is
 * written; the kernel reads attributes up to the size it is given and
 * treats the rest as zero.
 */
struct link_create_uprobe_multi {
	uint32_t prog_fd;
	uint32_t target_fd; /* unused: -1 by convention, as libbpf passes */
	uint32_t attach_type;
	uint32_t flags;
	/* the union starts here, 8-byte aligned */
	uint64_t path;		  /* const char * */
	uint64_t offsets;	  /* unsigned long[cnt]: file offsets */
	uint64_t ref_ctr_offsets; /* unsigned long[cnt] or 0: USDT semaphores */
	uint64_t cookies;	  /* __u64[cnt] or 0 */
	uint32_t cnt;
	uint32_t multi_flags; /* BPF_F_UPROBE_MULTI_RETURN (1): uretprobes, never ours */
	uint32_t pid;	      /* 0: every process */
} __attribute__((aligned(8)));

_Static_assert(offsetof(struct link_create_uprobe_multi, path) == 16, "uapi layout");
_Static_assert(offsetof(struct link_create_uprobe_multi, cnt) == 48, "uapi layout");
_Static_assert(offsetof(struct link_create_uprobe_multi, pid) == 56, "uapi layout");

static int link_create(int prog_fd, const char *path, const uint64_t *offsets,
		       const uint64_t *cookies, uint32_t n, int pid)
{
	struct link_create_uprobe_multi attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = prog_fd;
	attr.target_fd = -1;
	attr.attach_type = GT_BPF_TRACE_UPROBE_MULTI;
	attr.path = (uint64_t)(uintptr_t)path;
	attr.offsets = (uint64_t)(uintptr_t)offsets;
	attr.cookies = (uint64_t)(uintptr_t)cookies;
	attr.cnt = n;
	attr.pid = pid;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

int uprobe_multi_link_create(int prog_fd, const char *path, const uint64_t *offsets,
			     const uint64_t *cookies, uint32_t n, pid_t pid)
{
	return link_create(prog_fd, path, offsets, cookies, n, pid > 0 ? pid : 0);
}

/*
 * As libbpf's probe_uprobe_multi_link does it (libbpf 1.4): a program of
 * the attach type must load, and a link on "/" must fail with EBADF (not a
 * regular file) rather than EINVAL (unknown attach type, older kernels).
 * Then pid -1 on "/": kernels with 46ba0e49b642 ("bpf: fix multi-uprobe
 * PID filtering logic", 6.10) refuse it first, with EINVAL; before it, the
 * PID filter is per thread, and a Go program runs on many.
 */
enum uprobe_multi_support uprobe_multi_probe(void)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = GT_BPF_TRACE_UPROBE_MULTI);
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	enum uprobe_multi_support support = UPROBE_MULTI_NONE;
	uint64_t offset = 0;
	int prog_fd, fd;

	prog_fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", insns, 2, &opts);
	if (prog_fd < 0)
		return UPROBE_MULTI_NONE;
	fd = link_create(prog_fd, "/", &offset, NULL, 1, 0);
	if (fd >= 0)
		close(fd);
	if (fd == -EBADF) {
		support = UPROBE_MULTI_NO_PID;
		fd = link_create(prog_fd, "/", &offset, NULL, 1, -1);
		if (fd >= 0)
			close(fd);
		if (fd == -EINVAL)
			support = UPROBE_MULTI_WITH_PID;
	}
	close(prog_fd);
	return support;
}
