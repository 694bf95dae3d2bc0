/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The DWARF harness's input, which the seed tool writes: records of
 * [kind u8][length u16 little-endian][bytes], kind (mod FUZZ_DWARF_KINDS)
 * one of the sections below or the types base (8 bytes); a later record of
 * a kind replaces an earlier one, a short one takes what is left.
 */
#ifndef GOTRACE_FUZZ_DWARF_H
#define GOTRACE_FUZZ_DWARF_H

static const char *const fuzz_dwarf_sections[] = {
    ".debug_abbrev", ".debug_info", ".debug_line", ".debug_str", ".debug_ranges", ".debug_loc",
};
#define FUZZ_DWARF_N_SECTIONS 6
#define FUZZ_DWARF_TYPES_BASE 6 /* the record kind of runtime.types */
#define FUZZ_DWARF_KINDS 7

#endif /* GOTRACE_FUZZ_DWARF_H */
