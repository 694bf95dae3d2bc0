// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Layout: ELF header | program headers | each section's bytes, 8-aligned |
 * .shstrtab | section headers (the null one, the sections, .shstrtab).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/mini_elf.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

uint8_t *mini_elf_build(const struct mini_section *sections, int n_sections,
			const struct mini_segment *segments, int n_segments, bool section_headers,
			size_t *len)
{
	size_t off, shstr_off, shstr_len = 1, sh_off, total, *data_off;
	Elf64_Ehdr *eh;
	uint8_t *out;
	int i;

	data_off = calloc(n_sections + 1, sizeof(*data_off));
	if (!data_off)
		return NULL;
	off = sizeof(Elf64_Ehdr) + n_segments * sizeof(Elf64_Phdr);
	for (i = 0; i < n_sections; i++) {
		off = ALIGN8(off);
		data_off[i] = off;
		off += sections[i].size;
		shstr_len += strlen(sections[i].name) + 1;
	}
	shstr_len += sizeof(".shstrtab");
	shstr_off = off;
	sh_off = ALIGN8(shstr_off + shstr_len);
	total = section_headers ? sh_off + (n_sections + 2) * sizeof(Elf64_Shdr) : shstr_off;
	out = calloc(1, total);
	if (!out) {
		free(data_off);
		return NULL;
	}

	eh = (Elf64_Ehdr *)out;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phoff = n_segments ? sizeof(Elf64_Ehdr) : 0;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = n_segments;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	if (section_headers) {
		eh->e_shoff = sh_off;
		eh->e_shnum = n_sections + 2;
		eh->e_shstrndx = n_sections + 1;
	}

	for (i = 0; i < n_segments; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(out + sizeof(Elf64_Ehdr)) + i;
		const struct mini_segment *s = &segments[i];
		size_t end = data_off[s->last] + sections[s->last].size;

		ph->p_type = PT_LOAD;
		ph->p_flags = s->flags;
		ph->p_offset = data_off[s->first];
		ph->p_vaddr = ph->p_paddr = sections[s->first].addr;
		ph->p_filesz = ph->p_memsz = end - data_off[s->first];
		ph->p_align = 1;
	}
	for (i = 0; i < n_sections; i++)
		if (sections[i].size)
			memcpy(out + data_off[i], sections[i].data, sections[i].size);

	if (section_headers) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(out + sh_off);
		char *names = (char *)out + shstr_off;
		size_t name = 1;

		for (i = 0; i < n_sections; i++) {
			const struct mini_section *s = &sections[i];
			Elf64_Shdr *h = &sh[i + 1];

			h->sh_name = name;
			strcpy(names + name, s->name);
			name += strlen(s->name) + 1;
			h->sh_type = s->type;
			h->sh_flags = s->flags;
			h->sh_addr = s->addr;
			h->sh_offset = data_off[i];
			h->sh_size = s->size;
			h->sh_link = s->link;
			h->sh_info = s->info;
			h->sh_addralign = 1;
			h->sh_entsize = s->entsize;
		}
		sh[n_sections + 1].sh_name = name;
		strcpy(names + name, ".shstrtab");
		sh[n_sections + 1].sh_type = SHT_STRTAB;
		sh[n_sections + 1].sh_offset = shstr_off;
		sh[n_sections + 1].sh_size = shstr_len;
		sh[n_sections + 1].sh_addralign = 1;
	}
	free(data_off);
	*len = total;
	return out;
}
