// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a Go symbol's name says: which ABI its code is in, and whether it
 * takes a generic dictionary. Rules of Go's compiler and linker, on names
 * alone: no binary, no struct gobin (goruntime.h declares them).
 */
#include <stdio.h>
#include <string.h>
#include "symbols/goruntime.h"

#define ABI0_SUFFIX ".abi0"
#define ABI0_SUFFIX_LEN 5

bool go_name_is_abi0(const char *name)
{
	size_t n = strlen(name);

	return n > ABI0_SUFFIX_LEN && !strcmp(name + n - ABI0_SUFFIX_LEN, ABI0_SUFFIX);
}

bool go_name_is_abi0_of(const char *symbol, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(name, symbol, n) && !strcmp(symbol + n, ABI0_SUFFIX);
}

bool go_abi0_name(char *buf, size_t len, const char *name)
{
	return snprintf(buf, len, "%s" ABI0_SUFFIX, name) < (int)len;
}

/* The path ends at the last '/' before any type arguments or receiver,
 * and the package's name at the next '.': the linker escapes other dots
 * ("gopkg.in/yaml%2ev3.Unmarshal"). */
size_t go_name_package_len(const char *name)
{
	size_t end = strcspn(name, "[("), slash = 0, i;
	const char *dot;

	for (i = 0; i < end; i++)
		if (name[i] == '/')
			slash = i + 1;
	dot = memchr(name + slash, '.', end - slash);
	return dot ? (size_t)(dot - name) : 0;
}

bool go_name_is_package_init(const char *name)
{
	size_t n = go_name_package_len(name);

	return n && !strcmp(name + n, ".init");
}

/* "func1", "gowrap2", "deferwrap1": the compiler's names for closures */
static bool is_closure_name(const char *s)
{
	static const char *const prefixes[] = {"func", "gowrap", "deferwrap"};
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(s, prefixes[i], n) && s[n] && !s[n + strspn(s + n, "0123456789")])
			return true;
	}
	return false;
}

/*
 * Whether NAME is a shaped instantiation, "pkg.F[go.shape.int]",
 * "pkg.(*T[go.shape.int]).M" or "pkg.T[go.shape.int].M" (or the pclntab's
 * "[...]" for its type arguments), and so takes a dictionary; *index says
 * before which input. The front end decides:
 *  - Go 1.18 and 1.19 (noder/stencil.go) pass it first, before even a
 *    method's receiver;
 *  - from Go 1.20 (unified IR, noder/reader.go's shapeSig) it is the first
 *    parameter, after the receiver.
 * The closures of a generic function take it in their context instead.
 */
bool generic_takes_dictionary(const char *name, bool before_receiver, int *index)
{
	const char *open = strchr(name, '['), *pkg, *ident, *close, *rest;
	int depth = 0;

	if (!open)
		return false;
	/* the package path ends at the last '/' before the type arguments,
	 * and its name at the next '.': the linker escapes other dots */
	for (pkg = open; pkg > name && pkg[-1] != '/'; pkg--)
		;
	ident = strchr(pkg, '.');
	if (!ident || ident > open)
		return false;
	ident++;
	if (ident[0] == '(' && ident[1] == '*')
		ident += 2;
	if (ident + strcspn(ident, ".()*[") != open)
		return false;
	for (close = open; *close; close++) {
		if (*close == '[')
			depth++;
		else if (*close == ']' && --depth == 0)
			break;
	}
	if (!*close)
		return false;
	if (strncmp(open, "[...]", 5) && !memmem(open, close - open, "go.shape.", 9))
		return false;
	rest = close + 1;
	if (ident[-1] == '*') {
		if (strncmp(rest, ").", 2))
			return false;
		rest += 2;
	} else if (*rest == '.') {
		rest++;
	} else {
		*index = 0;
		return !*rest;
	}
	/* a method: its name, and nothing after it */
	if (!*rest || strpbrk(rest, ".-[") || is_closure_name(rest))
		return false;
	*index = before_receiver ? 0 : 1;
	return true;
}
