// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Argument types without DWARF: from a weaver-style signature in a
 * functions file, "int, string, []byte, *main.T", or, failing that, the raw
 * argument registers and stack words. Only what a name alone determines:
 * integers, bool, floats, string, slices of those, and pointers (shown as
 * addresses, since their pointee's layout is unknown).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

#define MAX_SIG_PARAMS 64
#define RAW_STACK_WORDS 4

struct go_signature {
	struct go_param params[MAX_SIG_PARAMS];
	int n_params;
	struct go_type *types[2 * MAX_SIG_PARAMS]; /* owned */
	int n_types;
	struct go_param *merged; /* go_signature__apply_results: DWARF's inputs, our results */
	bool raw; /* every argument register: a dictionary among them */
};

static const struct {
	const char *name;
	enum go_kind kind;
	uint64_t size;
} scalars[] = {
    {"int", GO_INT, 8},
    {"int8", GO_INT8, 1},
    {"int16", GO_INT16, 2},
    {"int32", GO_INT32, 4},
    {"rune", GO_INT32, 4},
    {"int64", GO_INT64, 8},
    {"uint", GO_UINT, 8},
    {"uint8", GO_UINT8, 1},
    {"byte", GO_UINT8, 1},
    {"uint16", GO_UINT16, 2},
    {"uint32", GO_UINT32, 4},
    {"uint64", GO_UINT64, 8},
    {"uintptr", GO_UINTPTR, 8},
    {"bool", GO_BOOL, 1},
    {"float32", GO_FLOAT32, 4},
    {"float64", GO_FLOAT64, 8},
    {"string", GO_STRING, GO_STRING_SIZE},
    {"unsafe.Pointer", GO_UNSAFE_POINTER, 8},
};

static struct go_type *new_type(struct go_signature *sig, enum go_kind kind, const char *name,
				uint64_t size)
{
	struct go_type *t;

	if (sig->n_types >= 2 * MAX_SIG_PARAMS)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->name = strdup(name);
	if (!t->name) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	t->size = size;
	t->align = size >= 8 ? 8 : size ? size : 1;
	sig->types[sig->n_types++] = t;
	return t;
}

static struct go_type *parse_type(struct go_signature *sig, const char *name, const char **why)
{
	struct go_type *t, *elem;
	size_t i;

	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		if (!strcmp(name, scalars[i].name))
			return new_type(sig, scalars[i].kind, name, scalars[i].size);
	/* interfaces: the dynamic type comes from its runtime descriptor */
	if (!strcmp(name, "error") || !strcmp(name, "any") || !strcmp(name, "interface{}")) {
		t = new_type(sig, GO_INTERFACE, name, GO_IFACE_SIZE);
		if (t)
			t->is_empty_interface = strcmp(name, "error") != 0;
		return t;
	}
	if (name[0] == '*' && name[1]) {
		/* the pointee's layout is unknown: a pointer with no elem shows
		 * as its address */
		return new_type(sig, GO_POINTER, name, GO_PTR_SIZE);
	}
	if (!strncmp(name, "[]", 2)) {
		elem = parse_type(sig, name + 2, why);
		if (!elem)
			return NULL;
		if (elem->kind == GO_POINTER)
			elem->kind = GO_UINTPTR; /* an address per element */
		t = new_type(sig, GO_SLICE, name, GO_SLICE_SIZE);
		if (t)
			t->elem = elem;
		return t;
	}
	*why = "only integers, bool, floats, string, error, any, slices of those and "
	       "pointers can be typed without DWARF";
	return NULL;
}

static int parse_list(struct go_signature *sig, const char *text, bool results, char *errbuf,
		      size_t errlen);

struct go_signature *go_signature__parse(const char *params, const char *results, char *errbuf,
					 size_t errlen)
{
	struct go_signature *sig = calloc(1, sizeof(*sig));

	if (!sig)
		return NULL;
	if (parse_list(sig, params, false, errbuf, errlen) ||
	    (results && parse_list(sig, results, true, errbuf, errlen))) {
		go_signature__free(sig);
		return NULL;
	}
	return sig;
}

static int parse_list(struct go_signature *sig, const char *text, bool results, char *errbuf,
		      size_t errlen)
{
	char *copy = NULL, *p, *item, *save = NULL;
	const char *why = NULL;
	int first = sig->n_params;

	copy = strdup(text);
	if (!copy)
		goto fail;
	for (p = copy, item = strtok_r(p, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *name = item, *end, *type;
		struct go_param *prm;

		while (isspace((unsigned char)*name))
			name++;
		end = name + strlen(name);
		while (end > name && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*name)
			continue;
		if (sig->n_params >= MAX_SIG_PARAMS) {
			why = "too many parameters";
			goto fail;
		}
		/* "x int" or just "int" */
		type = strrchr(name, ' ');
		type = type ? type + 1 : name;
		prm = &sig->params[sig->n_params];
		prm->type = parse_type(sig, type, &why);
		if (!prm->type) {
			snprintf(errbuf, errlen, "type '%s': %s", type,
				 why ? why : "out of memory");
			why = NULL;
			goto fail_quiet;
		}
		if (type != name) {
			type[-1] = 0;
			prm->name = strdup(name);
		} else {
			char buf[16];

			/* Go's own names for unnamed results: ~r0, ~r1 */
			snprintf(buf, sizeof(buf), results ? "~r%d" : "arg%d",
				 sig->n_params - first);
			prm->name = strdup(buf);
		}
		if (!prm->name)
			goto fail;
		prm->is_result = results;
		sig->n_params++;
	}
	free(copy);
	return 0;
fail:
	snprintf(errbuf, errlen, "%s", why ? why : "out of memory");
fail_quiet:
	free(copy);
	return -EINVAL;
}

/*
 * Without types: what Go's register ABI would pass in its integer registers
 * (RAX..R11) and the first stack words, each as a uintptr named after where
 * it came from.
 */
struct go_signature *go_signature__raw(bool stack_abi)
{
	struct go_signature *sig = calloc(1, sizeof(*sig));
	int i, regs = stack_abi ? 0 : GO_ABI_INT_REGS;
	struct go_type *word;

	if (!sig)
		return NULL;
	sig->raw = true;
	word = new_type(sig, GO_UINTPTR, "uintptr", GO_PTR_SIZE);
	if (!word)
		goto fail;
	for (i = 0; i < regs + RAW_STACK_WORDS; i++) {
		char buf[16];

		if (i < regs)
			snprintf(buf, sizeof(buf), "%s", go_abi_reg_name(i, false));
		else
			snprintf(buf, sizeof(buf), "SP+%d", GO_PTR_SIZE * (i - regs + 1));
		sig->params[i].name = strdup(buf);
		sig->params[i].type = word;
		if (!sig->params[i].name)
			goto fail;
		sig->n_params++;
	}
	return sig;
fail:
	go_signature__free(sig);
	return NULL;
}

void go_signature__apply(const struct go_signature *sig, struct go_func *func)
{
	func->params = (struct go_param *)sig->params;
	func->n_params = sig->n_params;
	if (sig->raw)
		func->has_dict = false;
}

int go_signature__apply_results(struct go_signature *sig, struct go_func *func)
{
	struct go_param *merged = calloc(func->n_params + sig->n_params + 1, sizeof(*merged));
	int i, n = 0;

	if (!merged)
		return -ENOMEM;
	for (i = 0; i < func->n_params; i++)
		if (!func->params[i].is_result)
			merged[n++] = func->params[i];
	for (i = 0; i < sig->n_params; i++)
		if (sig->params[i].is_result)
			merged[n++] = sig->params[i];
	free(sig->merged);
	sig->merged = merged;
	func->params = merged;
	func->n_params = n;
	return 0;
}

void go_signature__free(struct go_signature *sig)
{
	int i;

	if (!sig)
		return;
	free(sig->merged);
	for (i = 0; i < sig->n_params; i++)
		free(sig->params[i].name);
	for (i = 0; i < sig->n_types; i++) {
		free(sig->types[i]->name);
		free(sig->types[i]);
	}
	free(sig);
}
