/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the two files of the runtime type descriptor reader:
 * typedesc.c reads descriptors into Go types, typenames.c gives them their
 * Go names and finds them by name. Nothing else includes it.
 */
#ifndef GOTRACE_SYMBOLS_TYPEDESC_H
#define GOTRACE_SYMBOLS_TYPEDESC_H

#include "symbols/internal.h"

/* The layouts typedesc.c describes, that typelinks.c reads too. */
#define TYPE_TFLAG 20
#define TYPE_KIND 23
#define TYPE_HEADER 48 /* the common part, abi.Type */
#define KIND_MASK 31
#define TFLAG_UNCOMMON 1
#define UNCOMMON_SIZE 16
#define METHOD_SIZE 16
#define IMETHOD_SIZE 8
#define FIELD_SIZE 24

struct imethod {
	char *name;
	struct desc *type; /* its func type, or NULL */
};

/* One descriptor as a Go type. The go_type is first: the pointer handed
 * out is the desc's. */
struct desc {
	struct go_type t;
	uint8_t tflag;
	char *str;	      /* the descriptor's own string: "pb.Req", "[]*pb.Req" */
	char *pkgpath;	      /* its uncommon type's import path, or NULL */
	char *fields_pkgpath; /* a struct's: the package of its unexported fields */
	uint64_t uncommon;    /* the uncommon type's address, or 0 */
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
	int nesting;		     /* value_nesting's: 0 unknown, -1 on the way, else depth + 1 */
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

static inline uint64_t word(const uint8_t *p)
{
	return go_read_uint(p, 8, false);
}

static inline int32_t int32_at(const uint8_t *p)
{
	return (int32_t)go_read_uint(p, 4, false);
}

static inline bool valid_kind(int kind)
{
	return kind >= GO_BOOL && kind <= GO_UNSAFE_POINTER;
}

/* typedesc.c: reads SIZE bytes at ADDR, which must lie between
 * runtime.types and etypes (0 or -EFAULT); the descriptor at ADDR, made
 * (its header read) and queued for the rest, or at a type offset from
 * runtime.types, or at the address in the word at P: NULL when there is
 * none; settles what is queued (reads it, names it); the bytes before a
 * descriptor's uncommon type; a slice header at ADDR whose N elements of
 * ELEM_SIZE bytes lie in the region; the name at a name offset. */
int typedesc_read(const struct descriptor_types *dt, uint64_t addr, void *dst, size_t size);
struct desc *typedesc_get(struct descriptor_types *dt, uint64_t addr);
struct desc *typedesc_get_off(struct descriptor_types *dt, int32_t off);
struct desc *typedesc_get_word(struct descriptor_types *dt, const uint8_t *p);
int typedesc_settle(struct descriptor_types *dt);
size_t typedesc_kind_size(const struct descriptor_types *dt, int kind);
bool typedesc_read_slice(const struct descriptor_types *dt, uint64_t addr, size_t elem_size,
			 uint64_t *data, uint64_t *n);
char *typedesc_name_off(const struct descriptor_types *dt, int32_t off);
bool typedesc_layout_known(const struct descriptor_types *dt);
/* typelinks.c: frees the methods read. */
void typelinks_free(struct descriptor_types *dt);

/* typenames.c: gives every type made since the last call its Go name;
 * typedesc__by_name and typedesc__package over the types made. */
int typenames_settle(struct descriptor_types *dt);
const struct go_type *typenames_find(struct descriptor_types *dt, const char *name);
const char *typenames_package(struct descriptor_types *dt, const char *qualifier, int nth,
			      int *count);
void typenames_free(struct descriptor_types *dt);

/* typedesc.c, for typenames.c: a name at ADDR (runtime/type.go's name):
 * the string, malloc'd, or NULL; *flags gets its first byte, *tag its tag
 * (malloc'd, or NULL) when TAG is given. */
char *typedesc_name_at(const struct descriptor_types *dt, uint64_t addr, uint8_t *flags,
		       char **tag);

#endif /* GOTRACE_SYMBOLS_TYPEDESC_H */
