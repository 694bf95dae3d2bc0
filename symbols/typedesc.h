/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the two files of the runtime type descriptor reader:
 * typedesc.c reads descriptors into Go types, typenames.c gives them their
 * Go names and finds them by name. Nothing else includes it.
 */
#ifndef GOTRACE_SYMBOLS_TYPEDESC_H
#define GOTRACE_SYMBOLS_TYPEDESC_H

#include "symbols/internal.h"

struct imethod {
	char *name;
	struct desc *type; /* its func type, or NULL */
};

/* One descriptor as a Go type. The go_type is first: the pointer handed
 * out is the desc's. */
struct desc {
	struct go_type t;
	uint8_t tflag;
	char *str;	/* the descriptor's own string: "pb.Req", "[]*pb.Req" */
	char *pkgpath;	/* its uncommon type's import path, or NULL */
	char *fields_pkgpath; /* a struct's: the package of its unexported fields */
	uint64_t uncommon; /* the uncommon type's address, or 0 */
	/* a func: inputs then outputs; the last input is ...T when variadic */
	struct desc **params;
	int n_in, n_out;
	bool variadic;
	/* an interface's methods, as its descriptor lists them (by name) */
	struct imethod *imethods;
	int n_imethods;
	uint8_t chan_dir;	     /* 1 receive, 2 send, 3 both */
	struct go_map_layout layout; /* a map: its buckets' or groups' */
	bool naming;		     /* typenames.c: on the stack of names being made */
};

struct descriptor_types {
	struct typedesc_source src;
	/* by address: open addressing */
	struct desc **slots;
	size_t cap, n;
	/* in the order made; names given to all[0 .. n_named) */
	struct desc **all;
	size_t n_all, cap_all, n_named;
	/* made, their elements, fields... still to be read */
	struct desc **pending;
	size_t n_pending, cap_pending;
	bool loaded; /* the module's lists were read (typedesc__all) */
	bool failed; /* out of memory once: no more types */
	/* typedesc__all: by address, as of n_sorted types */
	const struct go_type **sorted;
	size_t n_sorted;
	/* typenames.c: by name, as of n_by_name types, and the packages */
	struct desc **by_name;
	size_t n_by_name;
	struct package *packages;
	size_t n_packages;
	/* typedesc__method_at: the methods whose func type is known */
	struct go_method *methods;
	size_t n_methods;
	bool methods_read;
};

/* typenames.c: gives every type made since the last call its Go name;
 * typedesc__by_name and typedesc__package over the types made. */
int typenames_settle(struct descriptor_types *dt);
const struct go_type *typenames_find(struct descriptor_types *dt, const char *name);
const char *typenames_package(struct descriptor_types *dt, const char *qualifier, int *count);
void typenames_free(struct descriptor_types *dt);

/* typedesc.c, for typenames.c: a name at ADDR (runtime/type.go's name):
 * the string, malloc'd, or NULL; *flags gets its first byte, *tag its tag
 * (malloc'd, or NULL) when TAG is given. */
char *typedesc_name_at(const struct descriptor_types *dt, uint64_t addr, uint8_t *flags,
		       char **tag);

#endif /* GOTRACE_SYMBOLS_TYPEDESC_H */
