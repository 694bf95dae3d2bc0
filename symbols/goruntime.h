/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What gotrace knows of Go's runtime and toolchain (amd64), each fact once:
 * the register ABI, the layouts of the runtime's values (strings, slices,
 * interfaces, maps, channels, func values), the pclntab's magics, byte
 * order, and the linker's names. symbols/ reads binaries by them, plan/
 * plans the reads by them, decode/ decodes what was read by them.
 *
 * The BPF program knows almost no Go layout: a plan carries every offset and
 * size it reads, and runtime.g's offsets arrive as globals set before load.
 * What BPF holds of the ABI is which registers to copy (enum gt_reg, whose
 * first GO_ABI_INT_REGS entries are the integer argument registers in ABI
 * order; plan/plan.c checks the count), where g is (R14, or TLS under ABI0),
 * and the few map constants it tests itself, whose one home is bpf/gotrace.h
 * (GT_HMAP_*, GT_SWISS_*): the GO_* names below for those are theirs. This
 * header is userspace only otherwise: no libbpf, nothing of struct gobin.
 */
#ifndef GOTRACE_GORUNTIME_H
#define GOTRACE_GORUNTIME_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/gotrace.h"

/* A word: pointers, int, uintptr, the lengths in headers. */
#define GO_PTR_SIZE 8

/*
 * The register ABI (ABIInternal, Go 1.17 on; cmd/compile/abi-internal.md):
 * integer pieces of arguments go to RAX, RBX, RCX, RDI, RSI, R8, R9, R10,
 * R11, in this order, float pieces to X0-X14. go_abi_reg_name names the
 * register at an ABI position, "RBX" or "X3"; NULL past the last.
 */
#define GO_ABI_INT_REGS 9
#define GO_ABI_FLOAT_REGS 15
const char *go_abi_reg_name(int position, bool is_float);

/*
 * Headers of values, as byte offsets (runtime/string.go, slice.go,
 * runtime2.go, chan.go):
 *   string      {data *byte, len int}
 *   slice       {array unsafe.Pointer, len, cap int}
 *   interface   eface {_type *_type, data} for interface{}, iface {tab
 *               *itab, data} for the others; itab {inter, _type, ...}
 *   func value  a pointer to a funcval {fn uintptr, ...}
 *   chan        a pointer to an hchan {qcount, dataqsiz uint, ...}
 * A value's pointer is its first word: GO_*_DATA would all be 0.
 */
#define GO_STRING_LEN 8
#define GO_STRING_SIZE 16
#define GO_SLICE_LEN 8
#define GO_SLICE_SIZE 24
#define GO_IFACE_DATA 8 /* the first word is the type (eface) or the itab (iface) */
#define GO_IFACE_SIZE 16
#define GO_ITAB_TYPE 8 /* itab._type: the dynamic type of a non-empty interface */
#define GO_FUNCVAL_FN 0
#define GO_HCHAN_QCOUNT 0   /* the length */
#define GO_HCHAN_DATAQSIZ 8 /* the capacity */

/* The bytes of an hchan gotrace reads: both counts. */
#define GO_HCHAN_COUNTS (GO_HCHAN_DATAQSIZ + GO_PTR_SIZE)

/*
 * Maps. A map value is a pointer, and the first word behind it is the
 * length in both layouts: hmap.count (runtime/map.go, up to Go 1.23) and a
 * Swiss table's used (internal/runtime/maps.Map, 1.24 on; gotrace shows
 * those by length only).
 *
 * hmap: count 0, flags 8, B 9, noverflow 10, hash0 12, buckets 16,
 * oldbuckets 24, nevacuate 32, extra 40; 48 bytes. A bucket (bmap) is
 * tophash [8]uint8, then 8 keys, then 8 values, then the overflow pointer;
 * keys and values over 128 bytes are stored as pointers to them. A tophash
 * below GO_MIN_TOPHASH marks an empty or evacuated slot.
 */
#define GO_MAP_COUNT 0
#define GO_HMAP_FLAGS GT_HMAP_FLAGS
#define GO_HMAP_B GT_HMAP_B
#define GO_HMAP_BUCKETS 16
#define GO_HMAP_OLDBUCKETS 24
#define GO_HMAP_SIZE 48
#define GO_BUCKET_SLOTS 8     /* bucketCnt */
#define GO_MAP_MAX_INLINE 128 /* maxKeySize, maxElemSize */
#define GO_MIN_TOPHASH GT_HMAP_MIN_TOPHASH

/* The bytes a key or value of SIZE bytes takes in a bucket's slot. */
static inline uint64_t go_bucket_slot_size(uint64_t size)
{
	return size > GO_MAP_MAX_INLINE ? GO_PTR_SIZE : size;
}

/* In a bucket whose slots take KEY_SIZE and VALUE_SIZE bytes: where key
 * I, value I and the overflow pointer are, and its size. */
static inline uint64_t go_bucket_key(uint64_t key_size, uint64_t i)
{
	return GO_BUCKET_SLOTS + i * key_size;
}

static inline uint64_t go_bucket_value(uint64_t key_size, uint64_t value_size, uint64_t i)
{
	return GO_BUCKET_SLOTS * (1 + key_size) + i * value_size;
}

static inline uint64_t go_bucket_overflow(uint64_t key_size, uint64_t value_size)
{
	return GO_BUCKET_SLOTS * (1 + key_size + value_size);
}

static inline uint64_t go_bucket_size(uint64_t key_size, uint64_t value_size)
{
	return go_bucket_overflow(key_size, value_size) + GO_PTR_SIZE;
}

/*
 * Swiss tables (internal/runtime/maps, Go 1.24 on). A map value points to
 * a Map: used 0, seed 8, dirPtr 16, dirLen 24, then bytes and clearSeq;
 * 48 bytes. With dirLen 0, dirPtr is the map's one group; otherwise it
 * points to dirLen pointers to tables (a table may appear several times).
 * A table: used, capacity, growthLeft (uint16), localDepth, index 8, and
 * groups {data 16, lengthMask 24}: lengthMask + 1 groups; 32 bytes. A
 * group is a control word, one byte per slot (a full slot's byte has its
 * high bit clear), then 8 slots {key, elem}, each aligned as the pair is.
 * Keys and elems over 128 bytes are stored as pointers to them.
 */
#define GO_SWISS_MAP_SIZE 48
#define GO_SWISS_DIR_PTR 16
#define GO_SWISS_DIR_LEN 24
#define GO_SWISS_WRITING 34 /* Map.writing */
#define GO_SWISS_TABLE_SIZE 32
#define GO_SWISS_TABLE_USED 0 /* table.used, a uint16 */
#define GO_SWISS_TABLE_USED_SIZE 2
#define GO_SWISS_TABLE_GROUPS 16
#define GO_SWISS_TABLE_MASK 24
#define GO_SWISS_CTRL_EMPTY GT_SWISS_CTRL_EMPTY
#define GO_HMAP_WRITING GT_HMAP_WRITING
#define GO_HMAP_SAME_SIZE_GROW GT_HMAP_SAME_SIZE_GROW

/*
 * Where a map's entries sit in one of its buckets (hmap) or groups (Swiss):
 * slot I's key at keys_off + I * key_stride, its elem at elems_off + I *
 * elem_stride; each the value itself, or when *_indirect a pointer to it.
 * The slot's state is the byte at I (tophash, or the control word's).
 */
struct go_map_layout {
	bool swiss;
	uint64_t bucket_size; /* a bucket or a group */
	uint64_t keys_off, key_stride;
	uint64_t elems_off, elem_stride;
	bool key_indirect, elem_indirect;
	uint64_t overflow_off; /* hmap: the overflow bucket's pointer */
};

/* The layout of a map with keys of KEY_SIZE bytes aligned to KEY_ALIGN and
 * elems of ELEM_SIZE aligned to ELEM_ALIGN. */
void go_map_layout(bool swiss, uint64_t key_size, uint32_t key_align, uint64_t elem_size,
		   uint32_t elem_align, struct go_map_layout *out);

/* The pclntab's first word, by the Go versions that write it (pclntab.c
 * says what each header holds). */
#define GO_PCLNTAB_MAGIC_12 0xfffffffbu	 /* Go 1.2-1.15 */
#define GO_PCLNTAB_MAGIC_116 0xfffffffau /* Go 1.16-1.17 */
#define GO_PCLNTAB_MAGIC_118 0xfffffff0u /* Go 1.18-1.19 */
#define GO_PCLNTAB_MAGIC_120 0xfffffff1u /* Go 1.20 on */

static inline bool go_pclntab_magic_known(uint32_t magic)
{
	return magic == GO_PCLNTAB_MAGIC_12 || magic == GO_PCLNTAB_MAGIC_116 ||
	       magic == GO_PCLNTAB_MAGIC_118 || magic == GO_PCLNTAB_MAGIC_120;
}

/* The SIZE-byte (at most 8) unsigned integer at P: little-endian, as amd64
 * and its pclntab, or big-endian, as a build info's flags may say. */
static inline uint64_t go_read_uint(const uint8_t *p, int size, bool big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/*
 * Symbol names (goname.c). Since Go 1.17 the linker names the ABI0 half of
 * a function that has both ABIs "NAME.abi0" (cmd/link's mangleABIName),
 * and Go 1.19 does so for every assembly function in the stack ABI: these
 * keep the stack convention. The few assembly functions written for the
 * register ABI (runtime.memmove) keep their plain names, as Go functions
 * do. Binaries older than 1.17 use ABI0 throughout; the planner learns that
 * from the version (stack_abi). DWARF names both halves NAME.
 */
/* The length of the package path NAME begins with ("net/http" of
 * "net/http.(*conn).serve"), or 0. */
size_t go_name_package_len(const char *name);
bool go_name_is_abi0(const char *name);
/* Whether NAME is a package's initializer, "PKG.init", that the compiler
 * makes of the package's variable initializers (the user's own init
 * functions are "PKG.init.0"...). */
bool go_name_is_package_init(const char *name);
/* Whether SYMBOL is NAME's ABI0 half, "NAME.abi0". */
bool go_name_is_abi0_of(const char *symbol, const char *name);
/* NAME's ABI0 half, "NAME.abi0", into BUF; false when it does not fit. */
bool go_abi0_name(char *buf, size_t len, const char *name);

/* Whether the function NAME is a shaped instantiation of a generic
 * function, which takes a hidden dictionary; *index: before which input
 * (goname.c, where the rules are). */
bool generic_takes_dictionary(const char *name, bool before_receiver, int *index);

/* runtime.g's goid and stack.hi offsets by Go version, without DWARF
 * (goruntime.c); false for a version whose layout is not known. */
bool go_runtime_g_layout(int major, int minor, int64_t *goid, int64_t *stack_hi);

#endif /* GOTRACE_GORUNTIME_H */
