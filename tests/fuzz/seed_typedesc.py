#!/usr/bin/python3
"""Seeds for build/fuzz/fuzz_typedesc (tests/fuzz/fuzz_typedesc.c): from each Go
binary given (unstripped: its .symtab names runtime.types, runtime.etypes
and the module data), cuts of its descriptor region (its start, where most
typelinks point, where the itabs are), with the typelinks and itablinks
that point into each cut (or, for Go 1.27, the row's lengths).

    seed_typedesc.py OUT_DIR BINARY...

Only the standard library: ELF64 little-endian, as Go writes it for amd64.
"""
import os
import re
import struct
import sys


class Elf:
    def __init__(self, path):
        self.data = open(path, "rb").read()
        shoff, = struct.unpack_from("<Q", self.data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", self.data, 0x3a)
        self.sections = []
        for i in range(shnum):
            name, typ, _, addr, off, size, link, _, _, _ = struct.unpack_from(
                "<IIQQQQIIQQ", self.data, shoff + i * shentsize)
            self.sections.append((name, typ, addr, off, size, link))
        names = self.sections[shstrndx][3]
        self.by_name = {self.cstr(names + s[0]): s for s in self.sections}

    def cstr(self, off):
        return self.data[off:self.data.index(b"\0", off)].decode()

    def section(self, name):
        s = self.by_name.get(name)
        return (s[2], self.data[s[3]:s[3] + s[4]]) if s else (0, b"")

    def read(self, addr, size):
        for _, typ, start, off, length, _ in self.sections:
            if typ != 8 and start <= addr and addr + size <= start + length:  # not NOBITS
                return self.data[off + addr - start:off + addr - start + size]
        raise ValueError("0x%x not in the file" % addr)

    def symbols(self):
        symtab = self.by_name[".symtab"]
        strtab = self.sections[symtab[5]][3]
        out = {}
        for i in range(symtab[4] // 24):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", self.data, symtab[3] + 24 * i)
            out[self.cstr(strtab + name)] = value
        return out


def go_minor(elf):
    """From runtime.buildVersion's string, "go1.19.8" """
    found = re.search(rb"go1\.(\d+)(\.\d+)?\x00", elf.data) or re.search(rb"go1\.(\d+)", elf.data)
    return int(found.group(1))


def windows(size, links, itabs, row):
    """(start, length) cuts of a region of SIZE bytes, small enough for
    thousands of runs a second: its start, where typelinks point around
    each quartile, where the itabs are."""
    out = [(0, 16384)]
    links = sorted(links)
    for q in (1, 2, 3):
        if links:
            out.append((max(0, (links[len(links) * q // 4] & ~7) - 4096), 8192))
    if itabs:
        out.append((max(0, (sorted(itabs)[len(itabs) // 2] & ~7) - 4096), 8192))
    if row[1]:
        out.append((max(0, row[1] - 4096), 8192))
    return [(start, min(length, size - start)) for start, length in out if start < size]


def seeds(path):
    elf = Elf(path)
    sym = elf.symbols()
    types, etypes, minor = sym["runtime.types"], sym["runtime.etypes"], go_minor(elf)
    size = etypes - types
    links, itabs, row = [], [], (0, 0, 0)
    if minor >= 27:
        # moduledata.typedesclen, itaboffset, itabsize (symbols/moduledata.c)
        md = sym["runtime.firstmoduledata"]
        row = struct.unpack("<Q", elf.read(md + 304, 8)) + \
            struct.unpack("<QQ", elf.read(md + 320, 16))
    else:
        _, typelink = elf.section(".typelink")
        links = list(struct.unpack("<%di" % (len(typelink) // 4), typelink))
        _, itablink = elf.section(".itablink")
        itabs = [p - types for p in struct.unpack("<%dQ" % (len(itablink) // 8), itablink)]
    for start, length in windows(size, links, itabs, row):
        end = start + length
        kept_links = [o for o in links if start <= o <= end - 48][:65535]
        kept_itabs = [o for o in itabs if start <= o <= end - 32][:4095]
        header = struct.pack("<BBHHHIIII", minor - 15, 0, len(kept_links), len(kept_itabs), 0,
                             *row, start)
        yield "%d+%d" % (start, length), (
            header + struct.pack("<%di" % len(kept_links), *kept_links) +
            struct.pack("<%dI" % len(kept_itabs), *kept_itabs) + elf.read(types + start, length))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        name = path.replace("/", "_").strip("_")
        for window, seed in seeds(path):
            with open(os.path.join(out, "%s-%s" % (name, window)), "wb") as f:
                f.write(seed)


if __name__ == "__main__":
    main()
