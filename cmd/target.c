// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which binary is analysed: the named file, the running process's, or the
 * command's; and --debug-file, an unstripped build of the same source.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd/env.h"
#include "cmd/target.h"

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

static int open_debug_file(const char *path, struct gobin *bin, const char *target,
		    struct gobin **out)
{
	char errbuf[1024] = "", id[256], debug_id[256];
	struct gobin *debug_bin;
	int err;

	debug_bin = gobin__open(path, errbuf, sizeof(errbuf), &err);
	if (!debug_bin) {
		report("--debug-file %s: %s", path, errbuf);
		return err ? err : -EINVAL;
	}
	if (!gobin__has_dwarf(debug_bin)) {
		report("--debug-file %s: it has no DWARF either", path);
		err = -EINVAL;
		goto cleanup;
	}
	/* a Go executable's build ID has four parts; the third is the
	 * main package's compiled content, the same whatever -ldflags
	 * stripped (cmd/go/internal/work/buildid.go) */
	if (gobin__build_id(bin, id, sizeof(id)) &&
	    gobin__build_id(debug_bin, debug_id, sizeof(debug_id)) && !same_compile(id, debug_id)) {
		report("--debug-file %s: its Go build ID is not from the same source as %s's", path,
		       target);
		err = -EINVAL;
		goto cleanup;
	}
	/* a stripped pclntab elides generic names ("main.Sum[...]"): the
	 * --debug-file build names each instantiation by its entry */
	err = gobin__names_from(bin, debug_bin);
	if (err) {
		report("--debug-file %s: %s", path, strerror(-err));
		goto cleanup;
	}
	*out = debug_bin;
	return 0;

cleanup:
	gobin__free(debug_bin);
	return err;
}

int target__open(struct target *t, bool start)
{
	char errbuf[1024] = "";
	int err;

	if (env->pid) {
		if (kill(env->pid, 0) && errno == ESRCH) {
			report("-p %d: no such process", env->pid);
			return -ESRCH;
		}
		snprintf(t->proc_exe, sizeof(t->proc_exe), "/proc/%d/exe", env->pid);
		if (access(t->proc_exe, R_OK)) {
			err = -errno;
			report("-p %d: cannot read %s: %s", env->pid, t->proc_exe, strerror(-err));
			return err;
		}
		t->path = t->proc_exe;
	} else if (env->command) {
		err = start ? child__start(&t->child, env->command)
			    : child__resolve(&t->child, env->command);
		if (err)
			return err;
		t->path = t->child.path;
	} else {
		t->path = env->binary;
	}

	/* only the DWARF of the functions traced is read (func_specs__resolve) */
	t->bin = gobin__open_lazy(t->path, errbuf, sizeof(errbuf), &err);
	if (!t->bin) {
		if (env->pid)
			report("-p %d: %s", env->pid, errbuf);
		else
			report("%s: %s", t->path, errbuf);
		return err ? err : -EINVAL;
	}
	if (!gobin__go_version_number(t->bin, &t->go_major, &t->go_minor)) {
		report("%s: cannot read the Go version from the build info", t->path);
		return -EINVAL;
	}
	if (env->debug_file)
		return open_debug_file(env->debug_file, t->bin, t->path, &t->debug_bin);
	return 0;
}

void target__close(struct target *t)
{
	child__clear(&t->child);
	gobin__free(t->debug_bin);
	gobin__free(t->bin);
	t->debug_bin = t->bin = NULL;
}
