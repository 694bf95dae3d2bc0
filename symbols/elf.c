// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A Go binary as an ELF file, the bottom of symbols/: it opens and maps the
 * file and alone reads its sections, segments and symbol table. What those
 * bytes mean is left to the parsers above it (pclntab.c, buildinfo.c,
 * typedesc.c, dwarf_*.c), which get bytes and a read callback, and to
 * gobin.c, which runs them. The file is mapped read-only and every offset
 * and size it holds is checked before use: binaries may be hostile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbols/internal.h"

int gobin_elf_open(struct gobin *bin, const char *path, char *errbuf, size_t errlen)
{
	struct stat st;
	size_t i;
	void *map;
	int err;

	elf_version(EV_CURRENT);
	bin->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (bin->fd < 0) {
		err = -errno;
		snprintf(errbuf, errlen, "%s", errno == ENOENT ? "no such file" : strerror(errno));
		return err;
	}
	if (fstat(bin->fd, &st) || !S_ISREG(st.st_mode)) {
		err = -EINVAL;
		snprintf(errbuf, errlen, "not a regular file");
		return err;
	}
	if (st.st_size < EI_NIDENT) {
		err = -ENOEXEC;
		snprintf(errbuf, errlen, "not an ELF file");
		return err;
	}
	/* writable copy-on-write: libelf decompresses sections in place */
	map = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, bin->fd, 0);
	if (map == MAP_FAILED) {
		err = -errno;
		snprintf(errbuf, errlen, "cannot map the file: %s", strerror(errno));
		return err;
	}
	bin->image = map;
	bin->image_size = st.st_size;
	if (memcmp(bin->image, ELFMAG, SELFMAG)) {
		err = -ENOEXEC;
		snprintf(errbuf, errlen, "not an ELF file");
		return err;
	}
	bin->elf = elf_memory((char *)bin->image, bin->image_size);
	if (!bin->elf || elf_kind(bin->elf) != ELF_K_ELF || !gelf_getehdr(bin->elf, &bin->ehdr)) {
		err = -ENOEXEC;
		snprintf(errbuf, errlen, "not a valid ELF file");
		return err;
	}
	if (bin->ehdr.e_machine != EM_X86_64 || bin->ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
		err = -ENOEXEC;
		snprintf(errbuf, errlen, "not an x86-64 ELF file");
		return err;
	}
	if (elf_getphdrnum(bin->elf, &bin->n_phdrs) || bin->n_phdrs > 4096) {
		err = -ENOEXEC;
		snprintf(errbuf, errlen, "malformed program headers");
		return err;
	}
	bin->phdrs = calloc(bin->n_phdrs ? bin->n_phdrs : 1, sizeof(*bin->phdrs));
	if (!bin->phdrs) {
		err = -ENOMEM;
		snprintf(errbuf, errlen, "out of memory");
		return err;
	}
	for (i = 0; i < bin->n_phdrs; i++)
		if (!gelf_getphdr(bin->elf, i, &bin->phdrs[i]))
			memset(&bin->phdrs[i], 0, sizeof(bin->phdrs[i]));
	return 0;
}

/*
 * libdw decompresses every debug section it knows as it opens the DWARF,
 * and most of a Go binary's DWARF bytes are location lists, ranges and
 * frame tables, which gotrace never reads: in a 12 MB binary, 6.8 of the
 * 11.6 MB decompressed. So libdw gets another copy-on-write mapping of the
 * file whose section header table, rewritten in place (a page or two),
 * lists only the sections below; the others are not there to decompress.
 */
static const char *const dwarf_sections[] = {
    "debug_info",     "debug_abbrev", "debug_line",	   "debug_str",
    "debug_line_str", "debug_addr",   "debug_str_offsets", "debug_types",
};

static bool is_dwarf_section(const char *name)
{
	size_t i;

	if (!strncmp(name, ".zdebug_", 8))
		name += 2;
	else if (!strncmp(name, ".debug_", 7))
		name += 1;
	else
		return false;
	for (i = 0; i < sizeof(dwarf_sections) / sizeof(dwarf_sections[0]); i++)
		if (!strcmp(name, dwarf_sections[i]))
			return true;
	return false;
}

Elf *gobin_dwarf_elf(struct gobin *bin)
{
	const Elf64_Ehdr *ehdr = (const Elf64_Ehdr *)bin->image;
	size_t shnum, shstrndx, i, kept = 1, table;
	Elf64_Shdr *shdrs = NULL, *out;
	Elf64_Ehdr *new_ehdr;
	const char *name;
	void *map;

	if (bin->dwarf_elf)
		return bin->dwarf_elf;
	/* anything unusual: libdw reads the file as it is */
	if (elf_getshdrnum(bin->elf, &shnum) || elf_getshdrstrndx(bin->elf, &shstrndx) ||
	    bin->image_size < sizeof(*ehdr) || ehdr->e_shentsize != sizeof(Elf64_Shdr) ||
	    shnum != ehdr->e_shnum || shstrndx != ehdr->e_shstrndx || shstrndx >= shnum ||
	    ehdr->e_shoff > bin->image_size ||
	    shnum > (bin->image_size - ehdr->e_shoff) / sizeof(Elf64_Shdr))
		return bin->elf;
	table = ehdr->e_shoff;
	shdrs = malloc(shnum * sizeof(*shdrs));
	if (!shdrs)
		return NULL;
	memcpy(shdrs, bin->image + table, shnum * sizeof(*shdrs));
	map = mmap(NULL, bin->image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, bin->fd, 0);
	if (map == MAP_FAILED) {
		free(shdrs);
		return NULL;
	}
	bin->dwarf_image = map;
	out = (Elf64_Shdr *)(bin->dwarf_image + table);
	memset(&out[0], 0, sizeof(out[0]));
	for (i = 1; i < shnum; i++) {
		name = elf_strptr(bin->elf, shstrndx, shdrs[i].sh_name);
		if (i != shstrndx && name && is_dwarf_section(name))
			out[kept++] = shdrs[i];
	}
	out[kept] = shdrs[shstrndx];
	new_ehdr = (Elf64_Ehdr *)bin->dwarf_image;
	new_ehdr->e_shnum = kept + 1;
	new_ehdr->e_shstrndx = kept;
	free(shdrs);
	bin->dwarf_elf = elf_memory((char *)bin->dwarf_image, bin->image_size);
	return bin->dwarf_elf;
}

void gobin_dwarf_elf_release_raw(struct gobin *bin)
{
	const Elf64_Ehdr *ehdr = (const Elf64_Ehdr *)bin->dwarf_image;
	const Elf64_Shdr *shdrs;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t table_start, table_end;
	size_t i;

	if (!bin->dwarf_image)
		return;
	shdrs = (const Elf64_Shdr *)(bin->dwarf_image + ehdr->e_shoff);
	table_start = ehdr->e_shoff;
	table_end = table_start + ehdr->e_shnum * sizeof(*shdrs);
	for (i = 1; i + 1 < ehdr->e_shnum; i++) {
		/* the whole pages inside the section: others hold other bytes */
		uint64_t start = (shdrs[i].sh_offset + page - 1) & ~(uint64_t)(page - 1);
		uint64_t end = (shdrs[i].sh_offset + shdrs[i].sh_size) & ~(uint64_t)(page - 1);

		/* never the pages rewritten above: dropped, they would read
		 * as the file again */
		if (!(shdrs[i].sh_flags & SHF_COMPRESSED) || end <= start ||
		    start < (uint64_t)page || end > bin->image_size ||
		    (start < table_end && end > table_start))
			continue;
		madvise(bin->dwarf_image + start, end - start, MADV_DONTNEED);
	}
}

void gobin_elf_close(struct gobin *bin)
{
	free(bin->phdrs);
	if (bin->dwarf_elf && bin->dwarf_elf != bin->elf)
		elf_end(bin->dwarf_elf);
	if (bin->dwarf_image)
		munmap(bin->dwarf_image, bin->image_size);
	if (bin->elf)
		elf_end(bin->elf);
	if (bin->image)
		munmap((void *)bin->image, bin->image_size);
	if (bin->fd >= 0)
		close(bin->fd);
}

int gobin_read_vaddr(const struct gobin *bin, uint64_t addr, void *dst, size_t size)
{
	size_t i;

	for (i = 0; i < bin->n_phdrs; i++) {
		const GElf_Phdr *ph = &bin->phdrs[i];

		if (ph->p_type != PT_LOAD || addr < ph->p_vaddr ||
		    addr - ph->p_vaddr >= ph->p_filesz)
			continue;
		if (size > ph->p_filesz - (addr - ph->p_vaddr))
			return -EFAULT;
		if (ph->p_offset > bin->image_size ||
		    addr - ph->p_vaddr + size > bin->image_size - ph->p_offset)
			return -EFAULT;
		memcpy(dst, bin->image + ph->p_offset + (addr - ph->p_vaddr), size);
		return 0;
	}
	return -EFAULT;
}

int gobin__vaddr_to_offset(const struct gobin *bin, uint64_t vaddr, uint64_t *offset)
{
	size_t i;

	for (i = 0; i < bin->n_phdrs; i++) {
		const GElf_Phdr *ph = &bin->phdrs[i];

		/* uprobes go on code: only executable segments, and only
		 * bytes the file really holds */
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && vaddr >= ph->p_vaddr &&
		    vaddr - ph->p_vaddr < ph->p_filesz && ph->p_offset <= bin->image_size &&
		    vaddr - ph->p_vaddr < bin->image_size - ph->p_offset) {
			*offset = vaddr - ph->p_vaddr + ph->p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

int gobin__read_code(const struct gobin *bin, uint64_t vaddr, void *buf, size_t len)
{
	return gobin_read_vaddr(bin, vaddr, buf, len);
}

/* The section named NAME, its header in *shdr; NULL when there is none. */
static Elf_Scn *find_section(const struct gobin *bin, const char *name, GElf_Shdr *shdr)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(bin->elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(bin->elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, shdr))
			continue;
		n = elf_strptr(bin->elf, shstrndx, shdr->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

bool gobin_has_section(const struct gobin *bin, const char *name)
{
	GElf_Shdr shdr;

	return find_section(bin, name, &shdr) != NULL;
}

const uint8_t *gobin_section_bytes(const struct gobin *bin, const char *name, size_t *len)
{
	GElf_Shdr shdr;

	if (!find_section(bin, name, &shdr) || shdr.sh_type == SHT_NOBITS)
		return NULL;
	if (shdr.sh_offset > bin->image_size || shdr.sh_size > bin->image_size - shdr.sh_offset)
		return NULL;
	*len = shdr.sh_size;
	return bin->image + shdr.sh_offset;
}

/* The virtual address the file's byte at OFFSET is loaded at, or 0. */
static uint64_t file_offset_to_vaddr(const struct gobin *bin, uint64_t offset)
{
	size_t i;

	for (i = 0; i < bin->n_phdrs; i++) {
		const GElf_Phdr *ph = &bin->phdrs[i];

		if (ph->p_type == PT_LOAD && offset >= ph->p_offset &&
		    offset - ph->p_offset < ph->p_filesz)
			return ph->p_vaddr + (offset - ph->p_offset);
	}
	return 0;
}

uint64_t gobin_bytes_vaddr(const struct gobin *bin, const uint8_t *bytes)
{
	return file_offset_to_vaddr(bin, bytes - bin->image);
}

const GElf_Phdr *gobin_next_segment(const struct gobin *bin, size_t *i, uint32_t want,
				    uint32_t avoid, const uint8_t **data, size_t *len)
{
	while (*i < bin->n_phdrs) {
		const GElf_Phdr *ph = &bin->phdrs[(*i)++];

		if (ph->p_type != PT_LOAD || (ph->p_flags & want) != want ||
		    (ph->p_flags & avoid) || ph->p_offset > bin->image_size)
			continue;
		*len = ph->p_filesz < bin->image_size - ph->p_offset
			   ? ph->p_filesz
			   : bin->image_size - ph->p_offset;
		*data = bin->image + ph->p_offset;
		return ph;
	}
	return NULL;
}

static bool section_is_text(Elf *elf, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(elf, shndx);
	GElf_Shdr shdr;

	return scn && gelf_getshdr(scn, &shdr) && (shdr.sh_flags & SHF_EXECINSTR);
}

/* FN gets every symbol of every .symtab, with the section index of the
 * symbols' names; a non-zero return stops the walk and is returned. */
static int for_each_symbol(const struct gobin *bin,
			   int (*fn)(const struct gobin *, const GElf_Sym *, size_t, void *),
			   void *ctx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	int err;

	while ((scn = elf_nextscn(bin->elf, scn))) {
		Elf_Data *data;
		size_t n, k;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB || !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = data->d_size / shdr.sh_entsize;
		for (k = 0; k < n; k++) {
			GElf_Sym sym;

			if (!gelf_getsym(data, k, &sym))
				continue;
			err = fn(bin, &sym, shdr.sh_link, ctx);
			if (err)
				return err;
		}
	}
	return 0;
}

struct func_visit {
	func_range_fn fn;
	void *ctx;
};

static int visit_func_symbol(const struct gobin *bin, const GElf_Sym *sym, size_t strtab, void *ctx)
{
	struct func_visit *visit = ctx;
	const char *name;

	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_size == 0 ||
	    sym->st_value + sym->st_size < sym->st_value || sym->st_shndx == SHN_UNDEF ||
	    sym->st_shndx >= SHN_LORESERVE)
		return 0;
	name = elf_strptr(bin->elf, strtab, sym->st_name);
	if (!name || !*name || !section_is_text(bin->elf, sym->st_shndx))
		return 0;
	return visit->fn(visit->ctx, name, sym->st_value, sym->st_value + sym->st_size);
}

int gobin_symtab_funcs(const struct gobin *bin, func_range_fn fn, void *ctx)
{
	struct func_visit visit = {fn, ctx};

	return for_each_symbol(bin, visit_func_symbol, &visit);
}

struct value_visit {
	const char *name;
	uint64_t value;
};

static int visit_data_symbol(const struct gobin *bin, const GElf_Sym *sym, size_t strtab, void *ctx)
{
	struct value_visit *visit = ctx;
	const char *name;

	if (GELF_ST_TYPE(sym->st_info) == STT_FUNC)
		return 0;
	name = elf_strptr(bin->elf, strtab, sym->st_name);
	if (name && !strcmp(name, visit->name))
		visit->value = sym->st_value;
	return 0;
}

uint64_t gobin_symtab_value(const struct gobin *bin, const char *name)
{
	struct value_visit visit = {name, 0};

	for_each_symbol(bin, visit_data_symbol, &visit);
	return visit.value;
}

bool gobin__is_pie(const struct gobin *bin)
{
	return bin->ehdr.e_type == ET_DYN;
}

/* The Go build ID, from the .note.go.buildid note (kept by stripped builds):
 * namesz, descsz, type, "Go\0\0", then the ID. */
bool gobin__build_id(const struct gobin *bin, char *buf, size_t len)
{
	size_t n = 0;
	const uint8_t *note = gobin_section_bytes(bin, ".note.go.buildid", &n);
	uint32_t namesz, descsz;

	if (!note || n < 16 || len == 0)
		return false;
	memcpy(&namesz, note, 4);
	memcpy(&descsz, note + 4, 4);
	if (namesz != 4 || descsz > n - 16 || memcmp(note + 12, "Go\0\0", 4))
		return false;
	if (descsz >= len)
		descsz = len - 1;
	memcpy(buf, note + 16, descsz);
	buf[descsz] = 0;
	return true;
}
