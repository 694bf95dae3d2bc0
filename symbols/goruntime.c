// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Go runtime's facts that are tables rather than constants (amd64):
 * runtime.g's goid and stack.hi by version, for binaries without DWARF
 * (DWARF, when present, is read instead: dwarf_funcs.c), and the register
 * ABI's names, and Go's rule for a struct's promoted fields. The rest is in
 * goruntime.h; the module data's layout is moduledata.c's. On no binary: no
 * struct gobin here.
 */
#include <string.h>
#include "symbols/goruntime.h"
#include "symbols/symbols.h"

/*
 * runtime.g, from each version's runtime/runtime2.go, in 8-byte words:
 *
 *	stack{lo, hi}       0   (stack.hi at 8, in every version)
 *	stackguard0         16
 *	stackguard1         24
 *	_panic, _defer, m   32, 40, 48
 *	sched               56  a gobuf: sp pc g ctxt ret lr bp, 7 words;
 *	                        1.25 dropped ret: 6 words
 *	syscallsp, syscallpc
 *	syscallbp               from 1.23
 *	stktopsp, param
 *	atomicstatus        4 bytes (uint32 in 1.19, atomic.Uint32 by 1.21)
 *	stackLock           4 bytes
 *	goid                8 bytes (int64 in 1.19, uint64 by 1.21)
 *
 * so goid is at 56 + 56 + 4 * 8 + 8 = 152 up to 1.22, 160 in 1.23 and 1.24
 * (syscallbp), and 56 + 48 + 5 * 8 + 8 = 152 again from 1.25.
 *
 * Checked against runtime.g in the DWARF of builds by each of Go 1.15,
 * 1.19, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26 and 1.27 (tests/unit/test_symbols.c
 * does so for the Makefile's matrix; 1.25, Debian's trixie-backports, by
 * hand). No toolchain or source of 1.16, 1.17,
 * 1.18 or 1.20 is at hand: those rows are derived from their neighbours,
 * whose fields up to goid are the same (1.15 and 1.19; 1.19 and 1.21).
 * Newer versions are unknown until checked: gotrace then says the goroutine
 * id is missing, rather than reading a wrong word.
 */
static const struct g_layout {
	int minor;
	int64_t goid, stack_hi;
} g_layouts[] = {
    {15, 152, 8}, {16, 152, 8}, {17, 152, 8}, {18, 152, 8}, {19, 152, 8},
    {20, 152, 8}, {21, 152, 8}, {22, 152, 8}, {23, 160, 8}, {24, 160, 8},
    {25, 152, 8}, {26, 152, 8}, {27, 152, 8},
};

bool go_runtime_g_layout(int major, int minor, int64_t *goid, int64_t *stack_hi)
{
	size_t i;

	for (i = 0; major == 1 && i < sizeof(g_layouts) / sizeof(g_layouts[0]); i++) {
		if (g_layouts[i].minor != minor)
			continue;
		*goid = g_layouts[i].goid;
		*stack_hi = g_layouts[i].stack_hi;
		return true;
	}
	return false;
}

const char *go_abi_reg_name(int position, bool is_float)
{
	static const char *const ints[GO_ABI_INT_REGS] = {"RAX", "RBX", "RCX", "RDI", "RSI",
							  "R8",	 "R9",	"R10", "R11"};
	static const char *const floats[GO_ABI_FLOAT_REGS] = {
	    "X0", "X1", "X2",  "X3",  "X4",  "X5",  "X6",  "X7",
	    "X8", "X9", "X10", "X11", "X12", "X13", "X14",
	};

	if (position < 0)
		return NULL;
	if (is_float)
		return position < GO_ABI_FLOAT_REGS ? floats[position] : NULL;
	return position < GO_ABI_INT_REGS ? ints[position] : NULL;
}

static uint64_t align_to(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/*
 * hmap buckets (runtime/map.go, cmd/compile's MapBucketType): tophash
 * [8]uint8, keys [8]K, elems [8]V, overflow; 8-byte multiples throughout
 * on amd64. Swiss groups (internal/runtime/maps/group.go): the control
 * word, then slots of struct{key K; elem V}.
 */
void go_map_layout(bool swiss, uint64_t key_size, uint32_t key_align, uint64_t elem_size,
		   uint32_t elem_align, struct go_map_layout *out)
{
	uint64_t slot, elem_off;
	uint32_t align;

	out->swiss = swiss;
	out->key_indirect = key_size > GO_MAP_MAX_INLINE;
	out->elem_indirect = elem_size > GO_MAP_MAX_INLINE;
	if (out->key_indirect) {
		key_size = GO_PTR_SIZE;
		key_align = GO_PTR_SIZE;
	}
	if (out->elem_indirect) {
		elem_size = GO_PTR_SIZE;
		elem_align = GO_PTR_SIZE;
	}
	if (!swiss) {
		out->keys_off = GO_BUCKET_SLOTS;
		out->key_stride = key_size;
		out->elems_off = go_bucket_value(key_size, elem_size, 0);
		out->elem_stride = elem_size;
		out->overflow_off = go_bucket_overflow(key_size, elem_size);
		out->bucket_size = go_bucket_size(key_size, elem_size);
		return;
	}
	align = key_align > elem_align ? key_align : elem_align;
	elem_off = align_to(key_size, elem_align);
	slot = align_to(elem_off + elem_size, align);
	out->keys_off = GO_BUCKET_SLOTS;
	out->key_stride = slot;
	out->elems_off = GO_BUCKET_SLOTS + elem_off;
	out->elem_stride = slot;
	out->overflow_off = 0;
	out->bucket_size = GO_BUCKET_SLOTS + GO_BUCKET_SLOTS * slot;
}

/* The field NAME of struct T, or through embedded structs as Go promotes
 * them, shallowest first. */
static const struct go_field *find_field(const struct go_type *t, const char *name, uint64_t *off,
					 int depth)
{
	const struct go_field *f;
	int i;

	if (!t || t->kind != GO_STRUCT || depth > 8)
		return NULL;
	for (i = 0; i < t->n_fields; i++) {
		if (t->fields[i].name && !strcmp(t->fields[i].name, name)) {
			*off = t->fields[i].offset;
			return &t->fields[i];
		}
	}
	for (i = 0; i < t->n_fields; i++) {
		uint64_t inner = 0;

		if (!t->fields[i].embedded || !t->fields[i].type ||
		    t->fields[i].type->kind != GO_STRUCT)
			continue;
		f = find_field(t->fields[i].type, name, &inner, depth + 1);
		if (f) {
			*off = t->fields[i].offset + inner;
			return f;
		}
	}
	return NULL;
}

const struct go_field *go_type__find_field(const struct go_type *t, const char *name,
					   uint64_t *off)
{
	return find_field(t, name, off, 0);
}
