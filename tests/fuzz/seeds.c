// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fuzz harnesses' seed corpora, made from the testdata builds at build
 * time:
 *
 *   seeds OUTDIR LABEL=BINARY...
 *
 * writes OUTDIR/HARNESS/LABEL-*, small inputs cut out of each binary:
 *   pclntab    tables of a dozen real functions, in the binary's header
 *              format (Go 1.15's also rewritten in 1.16's), and the real
 *              table's first 4 KB
 *   buildinfo  the build info; before Go 1.18 its pointers made to point
 *              into the blob itself, loaded at FUZZ_BUILDINFO_BASE
 *   funcs      functions-file lines with the DWARF signatures of main.*,
 *              and hand-written ones in every shape the parser takes
 *   dwarf      a few functions' DWARF with the types they reach
 *              (seed_dwarf.c), in fuzz_dwarf.h's records
 *   gobin      small Go binaries: a run of functions' code, their pclntab,
 *              the build info, a module data, .symtab and DWARF; stripped;
 *              and stripped without section headers
 * Small inputs keep every harness at thousands of runs per second.
 */
#include <errno.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "symbols/dwarf.h"
#include "tests/fuzz/fuzz_dwarf.h"
#include "tests/fuzz/mini_elf.h"
#include "tests/fuzz/seeds.h"

#define FUZZ_BUILDINFO_BASE 0x10000 /* fuzz_buildinfo.c's BASE */
#define FUNC_RECORD 48		    /* bytes of a _func: the fields read, then zeros */
#define TABLE_FUNCS 12		    /* functions in a pclntab seed */
#define WINDOW_BYTES 6144	    /* code in a small binary */
#define DWARF_GROUP 3		    /* functions per DWARF seed */
#define DWARF_GROUPS 8
#define DWARF_DIES 80
#define SIGNATURES_PER_FILE 4
#define MODULEDATA_WORDS 38

static const char *outdir;

struct seed_func {
	char *name;
	uint64_t entry, end;
};

struct func_list {
	struct seed_func *f;
	int n, cap;
};

static int collect(void *ctx, const char *name, uint64_t entry, uint64_t end,
		   const struct pclntab_facts *facts)
{
	struct func_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->f = realloc(l->f, l->cap * sizeof(*l->f));
		if (!l->f)
			abort();
	}
	l->f[l->n++] = (struct seed_func){strdup(name), entry, end};
	return 0;
}

static void write_seed(const char *harness, const char *label, const char *suffix, const void *data,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, harness);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s%s", outdir, harness, label, suffix);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void put_at(struct buf *b, size_t off, uint64_t v, int size)
{
	memcpy(b->p + off, &v, size);
}

static void pad_to(struct buf *b, size_t len)
{
	static const uint8_t zeros[64];

	while (b->len < len)
		buf_put(b, zeros, len - b->len < sizeof(zeros) ? len - b->len : sizeof(zeros));
}

/*
 * FUNCS as a pclntab in the header format of MAGIC, laid out as the Go
 * linker does (runtime/symtab.go): the header, then (1.16 on) the function
 * names, empty cu, file and pc tables, and the function table with its
 * _func records; Go 1.2's has the table first and names after.
 */
static void write_pclntab(struct buf *b, uint32_t magic, const struct seed_func *f, int n,
			  uint64_t text_start, uint64_t header_text)
{
	bool v118 = magic == GO_PCLNTAB_MAGIC_118 || magic == GO_PCLNTAB_MAGIC_120;
	bool v12 = magic == GO_PCLNTAB_MAGIC_12;
	int field = v118 ? 4 : 8, i;
	size_t header = v12 ? 16 : 8 + 8 * (v118 ? 8 : 7), names, functab, records, *nameoff;
	uint64_t base = v118 ? text_start : 0;

	nameoff = calloc(n, sizeof(*nameoff));
	b->len = 0;
	pad_to(b, header);
	put_at(b, 0, magic, 4);
	b->p[6] = 1;
	b->p[7] = 8;
	put_at(b, 8, n, 8);
	if (v12) {
		functab = header;
		records = functab + (2 * n + 1) * field;
		names = records + n * FUNC_RECORD;
		pad_to(b, names);
	} else {
		names = header;
	}
	for (i = 0; i < n; i++) {
		nameoff[i] = b->len - (v12 ? 0 : names);
		buf_put(b, f[i].name, strlen(f[i].name) + 1);
	}
	if (!v12) {
		functab = (b->len + 7) & ~(size_t)7;
		records = functab + (2 * n + 1) * field;
		pad_to(b, records + n * FUNC_RECORD);
		/* nfunc, nfiles, [textStart,] funcname, cu, filetab, pctab, pcln */
		if (v118)
			put_at(b, 8 + 2 * 8, header_text, 8);
		for (i = v118 ? 3 : 2; i < (v118 ? 7 : 6); i++)
			put_at(b, 8 + i * 8, i == (v118 ? 3 : 2) ? names : functab, 8);
		put_at(b, 8 + (v118 ? 7 : 6) * 8, functab, 8);
	}
	for (i = 0; i < n; i++) {
		size_t rec = records + i * FUNC_RECORD;

		put_at(b, functab + 2 * i * field, f[i].entry - base, field);
		put_at(b, functab + (2 * i + 1) * field, v12 ? rec : rec - functab, field);
		put_at(b, rec, f[i].entry - base, field);
		put_at(b, rec + field, nameoff[i], 4);
	}
	put_at(b, functab + 2 * n * field, f[n - 1].end - base, field);
	free(nameoff);
}

static uint32_t table_magic(const uint8_t *table)
{
	uint32_t magic;

	memcpy(&magic, table, 4);
	return magic;
}

/* The header's copy of the text start: Go 1.18-1.25's; 0 from 1.26. */
static uint64_t header_text(const uint8_t *table)
{
	uint64_t text;

	memcpy(&text, table + 8 + 2 * 8, 8);
	return text;
}

static void pclntab_seeds(const char *label, const uint8_t *table, size_t len,
			  const struct func_list *l, uint64_t text_start, int first_main)
{
	uint32_t magic = table_magic(table);
	struct buf b = {0};
	int n;

	n = l->n < TABLE_FUNCS ? l->n : TABLE_FUNCS;
	write_pclntab(&b, magic, l->f, n, text_start, header_text(table));
	write_seed("pclntab", label, "-first.bin", b.p, b.len);
	if (first_main >= 0) {
		n = l->n - first_main < TABLE_FUNCS ? l->n - first_main : TABLE_FUNCS;
		write_pclntab(&b, magic, l->f + first_main, n, text_start, header_text(table));
		write_seed("pclntab", label, "-main.bin", b.p, b.len);
		if (magic == GO_PCLNTAB_MAGIC_12) {
			/* no Go of the matrix writes 1.16's format: the same
			 * functions in it */
			write_pclntab(&b, GO_PCLNTAB_MAGIC_116, l->f + first_main, n, 0, 0);
			write_seed("pclntab", label, "-main-as-go1.16.bin", b.p, b.len);
		}
	}
	write_seed("pclntab", label, "-head.bin", table, len < 4096 ? len : 4096);
	buf_free(&b);
}

/* The build info, with the version inline (1.18 on) or, before, behind two
 * pointers to string headers: those are made to point into the blob. */
static void flat_buildinfo(struct buf *b, const uint8_t *blob, size_t len, const char *version)
{
	size_t vlen = strlen(version);

	b->len = 0;
	if (blob[15] & 2) {
		buf_put(b, blob, len < 1024 ? len : 1024);
		return;
	}
	buf_put(b, blob, 16);
	buf_u64(b, FUZZ_BUILDINFO_BASE + 32); /* the version's string header */
	buf_u64(b, FUZZ_BUILDINFO_BASE + 48); /* the module info's */
	buf_u64(b, FUZZ_BUILDINFO_BASE + 64);
	buf_u64(b, vlen);
	buf_u64(b, FUZZ_BUILDINFO_BASE + 64 + vlen);
	buf_u64(b, 0);
	buf_put(b, version, vlen);
}

static void funcs_seeds(const char *label, const struct gobin *bin)
{
	char line[2048], sig[1024], suffix[32];
	struct buf b = {0};
	int i, n = 0, files = 0;

	for (i = 0; i < gobin__func_count(bin); i++) {
		const struct go_func *f = gobin__func(bin, i);

		if (strncmp(f->name, "main.", 5) || !f->has_dwarf || f->is_wrapper)
			continue;
		go_func__format_signature(f, true, sig, sizeof(sig));
		snprintf(line, sizeof(line), "%s%s\n", f->name, sig);
		buf_put(&b, line, strlen(line));
		if (++n % SIGNATURES_PER_FILE == 0) {
			snprintf(suffix, sizeof(suffix), "-%d.txt", files++);
			write_seed("funcs", label, suffix, b.p, b.len);
			b.len = 0;
		}
	}
	if (b.len) {
		snprintf(suffix, sizeof(suffix), "-%d.txt", files);
		write_seed("funcs", label, suffix, b.p, b.len);
	}
	buf_free(&b);
}

/* Every shape the functions file takes (docs/gotrace.8, tests/e2e). */
static void handwritten_funcs_seeds(void)
{
	static const char *const files[] = {
	    "main.Ints\n",
	    "# traced\n\nmain.Ints\nmain.Bools(bool, bool)   # weaver style\n"
	    "main.Named(uint32, string, bool)\n",
	    "main.f(v int, s string, []byte) (int, error)\n",
	    "main.(*Counter).Add(c *main.Counter, delta int)\n",
	    "main.Fib(n int) int\nmain.Recovered(n int) (result int, err error)\n",
	    "main.f (a, b int, c ...string) (n int, err error)\n",
	    "main.g(m map[string]int, fn func(int, string) error, ch chan<- int) any\n",
	    "main.h(x interface{ M() }, y [4]uint8, z []*main.T) (interface {}, error)\n",
	    "main.Sum[int]\nmain.(*Gen[int]).Get\nmain.Pair[int, string]\nmain.Sum[*]\n",
	    "main.*\nnet/http.(*conn).*\nmain.[A-Z]*\nmain.?um\n",
	    "main.asmAdd(a, b int64) int64\nruntime.sigtramp\n",
	    "main.Work(id string, name string) (int, string)\nmain.Grower(label string, depth "
	    "int)  # results left out\n",
	    "main.f(int\n",
	};
	char suffix[32];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(suffix, sizeof(suffix), "-%zu.txt", i);
		write_seed("funcs", "handwritten", suffix, files[i], strlen(files[i]));
	}
}

static void record(struct buf *b, int kind, const void *data, size_t len)
{
	buf_u8(b, kind);
	buf_u16(b, len);
	buf_put(b, data, len);
}

/* fuzz_dwarf.h's records of NAMES' DWARF; 0 when none of them has any. */
static int dwarf_records(const struct gobin *bin, const char *const *names, int n, int max_dies,
			 struct buf *out)
{
	struct buf abbrev = {0}, info = {0}, line = {0};
	int dies;

	out->len = 0;
	dies = dwarf_subset(bin->dwarf->dwarf, names, n, max_dies, &abbrev, &info, &line);
	if (dies && info.len < 65536) {
		record(out, 0, abbrev.p, abbrev.len);
		record(out, 1, info.p, info.len);
		record(out, 2, line.p, line.len);
		record(out, FUZZ_DWARF_TYPES_BASE, &bin->types_base, 8);
	} else {
		dies = 0;
	}
	buf_free(&abbrev);
	buf_free(&info);
	buf_free(&line);
	return dies;
}

static void dwarf_seeds(const char *label, const struct gobin *bin)
{
	const char *names[DWARF_GROUP], *g = "runtime.g";
	struct buf b = {0};
	char suffix[32];
	int i, n = 0, groups = 0;

	if (!bin->dwarf)
		return;
	for (i = 0; i < gobin__func_count(bin) && groups < DWARF_GROUPS; i++) {
		const struct go_func *f = gobin__func(bin, i);

		if (strncmp(f->name, "main.", 5) || !f->has_dwarf || f->is_wrapper)
			continue;
		names[n++] = f->name;
		if (n < DWARF_GROUP)
			continue;
		if (dwarf_records(bin, names, n, DWARF_DIES, &b)) {
			snprintf(suffix, sizeof(suffix), "-%d.bin", groups++);
			write_seed("dwarf", label, suffix, b.p, b.len);
		}
		n = 0;
	}
	if (dwarf_records(bin, &g, 1, 24, &b))
		write_seed("dwarf", label, "-runtime.g.bin", b.p, b.len);
	buf_free(&b);
}

/* ELF sections of a small binary, by position; -1 when absent. */
enum mini_part {
	TEXT_START,
	TEXT,
	PCLNTAB,
	BUILDINFO,
	NOPTRDATA,
	BUILDID,
	SYMTAB,
	STRTAB,
	N_PARTS
};

/*
 * A small Go binary around the run of functions FUNCS: their code at their
 * addresses (and the text start's first bytes, for the module data's
 * check), their pclntab at the real one's address, the build info, a module
 * data, the build ID; FULL adds .symtab and their DWARF.
 */
static void gobin_seed(const char *label, const char *suffix, const struct gobin *bin,
		       const struct seed_func *funcs, int n, uint64_t text_start, bool full,
		       bool section_headers)
{
	struct mini_section s[N_PARTS + 3];
	struct mini_segment seg[4];
	struct buf text = {0}, head = {0}, table = {0}, info = {0}, md = {0}, syms = {0},
		   strs = {0}, dwarf = {0};
	const uint8_t *blob, *note, *real_table;
	size_t blob_len = 0, note_len = 0, file_len, i;
	int n_sections = 0, n_segments = 0, idx[N_PARTS], major = 0, minor = 0;
	const char *names[64];
	uint64_t blob_vaddr;
	uint8_t *file;
	int n_names = 0;

	memset(idx, -1, sizeof(idx));
	blob = gobin_section_bytes(bin, ".go.buildinfo", &blob_len);
	note = gobin_section_bytes(bin, ".note.go.buildid", &note_len);
	if (!blob || blob_len < 32)
		return;
	blob_vaddr = gobin_bytes_vaddr(bin, blob);
	gobin__go_version_number(bin, &major, &minor);

#define ADD(part, ...)                                                                             \
	do {                                                                                       \
		idx[part] = n_sections;                                                            \
		s[n_sections] = (struct mini_section){__VA_ARGS__};                                \
		n_sections++;                                                                      \
	} while (0)
	if (text_start && text_start < funcs[0].entry) {
		pad_to(&head, 16);
		gobin_read_vaddr(bin, text_start, head.p, 16);
		ADD(TEXT_START, ".text.start", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text_start,
		    head.p, 16);
	}
	pad_to(&text, funcs[n - 1].end - funcs[0].entry);
	gobin_read_vaddr(bin, funcs[0].entry, text.p, text.len);
	ADD(TEXT, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, funcs[0].entry, text.p,
	    text.len);
	real_table = gobin_section_bytes(bin, ".gopclntab", &i);
	write_pclntab(&table, table_magic(real_table), funcs, n, text_start,
		      header_text(real_table));
	ADD(PCLNTAB, ".gopclntab", SHT_PROGBITS, SHF_ALLOC, bin->pclntab_vaddr, table.p, table.len);
	/* a blob that points into itself, where it is */
	flat_buildinfo(&info, blob, blob_len, gobin__go_version(bin));
	if (!(blob[15] & 2)) {
		static const size_t pointers[] = {16, 24, 32, 48};
		uint64_t p;

		for (i = 0; i < 4; i++) {
			memcpy(&p, info.p + pointers[i], 8);
			put_at(&info, pointers[i], p - FUZZ_BUILDINFO_BASE + blob_vaddr, 8);
		}
	}
	ADD(BUILDINFO, ".go.buildinfo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, blob_vaddr, info.p,
	    info.len);
	if (major == 1 && minor >= 18) {
		/* moduledata.c's fields: pcHeader, text, etext, types */
		pad_to(&md, MODULEDATA_WORDS * 8);
		put_at(&md, 0, bin->pclntab_vaddr, 8);
		put_at(&md, 176, text_start, 8);
		put_at(&md, 184, funcs[n - 1].end, 8);
		put_at(&md, minor >= 20 ? 296 : 280, bin->types_base, 8);
		ADD(NOPTRDATA, ".noptrdata", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		    blob_vaddr + ((info.len + 7) & ~(size_t)7), md.p, md.len);
	}
	if (note)
		ADD(BUILDID, ".note.go.buildid", SHT_NOTE, SHF_ALLOC, gobin_bytes_vaddr(bin, note),
		    note, note_len);
	if (full) {
		Elf64_Sym sym = {0};

		buf_put(&syms, &sym, sizeof(sym));
		buf_u8(&strs, 0);
		for (i = 0; i < (size_t)n; i++) {
			sym = (Elf64_Sym){
			    .st_name = strs.len,
			    .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			    .st_shndx = idx[TEXT] + 1,
			    .st_value = funcs[i].entry,
			    .st_size = funcs[i].end - funcs[i].entry,
			};
			buf_put(&syms, &sym, sizeof(sym));
			buf_put(&strs, funcs[i].name, strlen(funcs[i].name) + 1);
			if (n_names < 64)
				names[n_names++] = funcs[i].name;
		}
		sym = (Elf64_Sym){
		    .st_name = strs.len,
		    .st_info = ELF64_ST_INFO(STB_LOCAL, STT_OBJECT),
		    .st_shndx = idx[PCLNTAB] + 1,
		    .st_value = bin->types_base,
		};
		buf_put(&syms, &sym, sizeof(sym));
		buf_put(&strs, "runtime.types", sizeof("runtime.types"));
		ADD(SYMTAB, ".symtab", SHT_SYMTAB, 0, 0, syms.p, syms.len, n_sections + 2, 1,
		    sizeof(Elf64_Sym));
		ADD(STRTAB, ".strtab", SHT_STRTAB, 0, 0, strs.p, strs.len);
	}
#undef ADD
	if (full && bin->dwarf && dwarf_records(bin, names, n_names, DWARF_DIES, &dwarf)) {
		/* the records again as sections: abbrev, info, line */
		size_t pos = 0;
		int k;

		for (k = 0; k < 3; k++) {
			uint16_t len;

			memcpy(&len, dwarf.p + pos + 1, 2);
			s[n_sections++] = (struct mini_section){
			    fuzz_dwarf_sections[k], SHT_PROGBITS, 0, 0, dwarf.p + pos + 3, len};
			pos += 3 + len;
		}
	}
	if (idx[TEXT_START] >= 0)
		seg[n_segments++] =
		    (struct mini_segment){PF_R | PF_X, idx[TEXT_START], idx[TEXT_START]};
	seg[n_segments++] = (struct mini_segment){PF_R | PF_X, idx[TEXT], idx[TEXT]};
	seg[n_segments++] = (struct mini_segment){PF_R, idx[PCLNTAB], idx[PCLNTAB]};
	seg[n_segments++] = (struct mini_segment){
	    PF_R | PF_W, idx[BUILDINFO], idx[NOPTRDATA] >= 0 ? idx[NOPTRDATA] : idx[BUILDINFO]};
	file = mini_elf_build(s, n_sections, seg, n_segments, section_headers, &file_len);
	if (file)
		write_seed("gobin", label, suffix, file, file_len);
	free(file);
	buf_free(&text);
	buf_free(&head);
	buf_free(&table);
	buf_free(&info);
	buf_free(&md);
	buf_free(&syms);
	buf_free(&strs);
	buf_free(&dwarf);
}

/* The longest run of functions from FIRST whose code fits WINDOW_BYTES. */
static int window_from(const struct func_list *l, int first)
{
	int n = 0;

	while (first + n < l->n && l->f[first + n].end - l->f[first].entry <= WINDOW_BYTES)
		n++;
	return n;
}

static int seed_binary(const char *label, const char *path)
{
	const uint8_t *table, *blob;
	struct func_list l = {0};
	struct buf b = {0};
	char errbuf[256] = "", suffix[64];
	uint64_t text_start = 0;
	size_t len = 0;
	struct gobin *bin;
	int err, i, first_main = -1, n, w;

	bin = gobin__open(path, errbuf, sizeof(errbuf), &err);
	if (!bin) {
		fprintf(stderr, "seeds: %s: %s\n", path, errbuf);
		return 1;
	}
	table = gobin_section_bytes(bin, ".gopclntab", &len);
	if (!table || len < 64) {
		fprintf(stderr, "seeds: %s: no .gopclntab\n", path);
		gobin__free(bin);
		return 1;
	}
	/* set by gobin.c only when it read the pclntab */
	bin->pclntab_vaddr = gobin_bytes_vaddr(bin, table);
	if (table_magic(table) == GO_PCLNTAB_MAGIC_118 ||
	    table_magic(table) == GO_PCLNTAB_MAGIC_120)
		text_start = header_text(table) ? header_text(table)
						: moduledata_text(bin, bin->pclntab_vaddr);
	pclntab_parse(table, len, text_start, collect, &l);
	if (l.n == 0) {
		fprintf(stderr, "seeds: %s: no functions in the pclntab\n", path);
		gobin__free(bin);
		return 1;
	}
	for (i = 0; i < l.n && first_main < 0; i++)
		if (!strncmp(l.f[i].name, "main.", 5))
			first_main = i;
	pclntab_seeds(label, table, len, &l, text_start, first_main);

	blob = gobin_section_bytes(bin, ".go.buildinfo", &len);
	if (blob && len >= 32 && gobin__go_version(bin)) {
		flat_buildinfo(&b, blob, len, gobin__go_version(bin));
		write_seed("buildinfo", label, ".bin", b.p, b.len);
	}
	funcs_seeds(label, bin);
	dwarf_seeds(label, bin);
	/* two runs of functions: main's first, and one halfway through it */
	for (w = 0; w < 2 && first_main >= 0; w++) {
		int first = first_main + w * window_from(&l, first_main) / 2;

		n = window_from(&l, first);
		if (!n)
			continue;
		snprintf(suffix, sizeof(suffix), "-%d-full.elf", w);
		gobin_seed(label, suffix, bin, l.f + first, n, text_start, true, true);
		snprintf(suffix, sizeof(suffix), "-%d-stripped.elf", w);
		gobin_seed(label, suffix, bin, l.f + first, n, text_start, false, true);
		snprintf(suffix, sizeof(suffix), "-%d-noshdr.elf", w);
		gobin_seed(label, suffix, bin, l.f + first, n, text_start, false, false);
	}
	for (i = 0; i < l.n; i++)
		free(l.f[i].name);
	free(l.f);
	buf_free(&b);
	gobin__free(bin);
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: seeds OUTDIR LABEL=BINARY...\n");
		return 2;
	}
	outdir = argv[1];
	mkdir(outdir, 0755);
	handwritten_funcs_seeds();
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "seeds: %s: expected LABEL=BINARY\n", argv[i]);
			return 2;
		}
		*eq = 0;
		failed |= seed_binary(argv[i], eq + 1);
	}
	return failed;
}
