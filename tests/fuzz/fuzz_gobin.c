// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for symbols/: any bytes, opened as a binary, must give
 * a clean error or a gobin whose every function, parameter and type can be
 * walked. Seed it with real binaries: make fuzz (see tests/fuzz/README).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "symbols/internal.h"

static void walk_type(const struct go_type *t, int depth)
{
	int i;

	if (!t || depth > 8)
		return;
	(void)strlen(t->name);
	for (i = 0; i < t->n_fields; i++)
		walk_type(t->fields[i].type, depth + 1);
	walk_type(t->elem, depth + 1);
	walk_type(t->key, depth + 1);
}

static int count_func(void *ctx, const char *name, uint64_t entry, uint64_t end)
{
	(*(int *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_func_code code;
	struct go_lines *lines;
	struct go_frame frames[8];
	char path[64], err[256];
	struct gobin *bin;
	int fd, e, i, j, n = 0;

	/* the byte parsers on their own */
	pclntab_parse(data, size, 0, count_func, &n);
	free(buildinfo_parse_version(data, size, NULL, NULL));

	fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	bin = gobin__open(path, err, sizeof(err), &e);
	if (bin) {
		for (i = 0; i < gobin__func_count(bin) && i < 64; i++) {
			const struct go_func *f = gobin__func(bin, i);

			for (j = 0; j < f->n_params; j++)
				walk_type(f->params[j].type, 0);
			if (gobin__func_code(bin, f, &code) == 0)
				go_func_code__clear(&code);
		}
		lines = go_lines__new(bin, &e);
		/* every function's first bytes, and PCs in no function */
		for (i = 0; lines && i < gobin__func_count(bin) && i < 64; i++) {
			const struct go_func *f = gobin__func(bin, i);

			for (j = 0; j < 4; j++)
				go_lines__frames(lines, f->low_pc + j, frames, 8);
		}
		if (lines)
			go_lines__frames(lines, 0, frames, 8);
		go_lines__free(lines);
		gobin__type_by_runtime_addr(bin, 0x401000);
		gobin__find_type(bin, "runtime.g");
		gobin__free(bin);
	}
	close(fd);
	return 0;
}
