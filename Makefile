# gotrace: trace live Go programs with uprobes and one generic BPF program.
#
#   make            build ./gotrace (BPF object, skeleton, userspace)
#   make testdata   build the Go programs under testdata/ with Debian's Go
#   make test       unit tests (no root) and end-to-end tests (root)
#   make bench      per-call cost: untraced, bare uprobe, gotrace; then scale:
#                   attach, detach, start-up and memory for many functions
#   make install    gotrace and its man page under $(DESTDIR)$(PREFIX)
#   make fuzz       every libFuzzer harness for FUZZ_SECONDS (tests/fuzz);
#                   make fuzz-NAME: harness NAME alone (fuzz-typedesc, ...)
#   make soak       the webserver under wrk, traced, for SOAK_SECONDS
#   make deps       install the Debian packages the build and tests need
#   make clean      remove build/ and ./gotrace
#
# Quiet by default, a short line per step (  CC  decode/decode.c); V=1 shows
# every command in full. Headers are followed by the compiler (-MMD -MP).

OUT      := build
CLANG    ?= clang
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
GO       ?= go
PYTHON   ?= /usr/bin/python3
CC       ?= cc
ARCH     := x86

CFLAGS   ?= -g -O2
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS += -I. -I$(OUT) -D_GNU_SOURCE
LIB_LDLIBS := -lelf -ldw -lcapstone -lz -lm
LDLIBS   := -lbpf $(LIB_LDLIBS) -lpthread

LIB_SRCS := $(wildcard symbols/*.c plan/*.c decode/*.c output/*.c)
CMD_SRCS := $(wildcard cmd/*.c)
LIB_OBJS := $(patsubst %.c,$(OUT)/%.o,$(LIB_SRCS))
CMD_OBJS := $(patsubst %.c,$(OUT)/%.o,$(CMD_SRCS))
# what each object, test and harness includes, written by the compiler
DEPFLAGS  = -MMD -MP -MT $@ -MF $@.d

ifeq ($(V),1)
Q   :=
msg  =
else
Q   := @
msg  = @printf '  %-6s %s\n' '$(1)' '$(2)';
MAKEFLAGS += --no-print-directory
endif

# a recipe that fails leaves no half-written target behind
.DELETE_ON_ERROR:

GO_PROGS := $(notdir $(patsubst %/,%,$(dir $(wildcard testdata/*/main.go))))
GO_BINS  := $(addprefix $(OUT)/testdata/,$(GO_PROGS))
GO_ENV   := GOCACHE=$(abspath $(OUT))/gocache GOPATH=$(abspath $(OUT))/gopath GOFLAGS=-mod=mod GO111MODULE=on

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))

.PHONY: all testdata test unit e2e bench soak deps clean fuzz fuzz-smoke fuzz-build install uninstall
all: gotrace

$(OUT)/vmlinux.h:
	@mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(OUT)/gotrace.bpf.o: bpf/gotrace.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$<)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I. -I$(OUT) $(DEPFLAGS) -c $< -o $@

$(OUT)/gotrace.skel.h: $(OUT)/gotrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# Only cmd/ sees the BPF skeleton: symbols/, plan/, decode/ and output/ build and test
# without clang's BPF target, bpftool or the kernel's BTF.
$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# cmd/command.c, the -c command's parser, is unit-tested without BPF
$(filter-out $(OUT)/cmd/command.o,$(CMD_OBJS)): $(OUT)/gotrace.skel.h

gotrace: $(CMD_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# deployed-style builds: the oracle stripped (no .symtab, no DWARF) and PIE,
# and the webserver stripped, as a service ships
GO_VARIANTS := $(OUT)/testdata/oracle-stripped $(OUT)/testdata/oracle-pie \
	$(OUT)/testdata/webserver-stripped $(OUT)/testdata/service-stripped \
	$(OUT)/testdata/wrappers-stripped

# The oracle under every Go version of the matrix (testdata/go-versions, the
# one list; toolchains fetched from Debian's archive into build/go by
# scripts/fetch-go.sh), stripped too, plus PIE builds of the newest:
# build/testdata/go1.X/oracle{,-stripped,-pie}; and the compiler's wrappers
# (testdata/wrappers), with and without symbols.
GO_MATRIX  := $(shell awk '$$1 ~ /^[0-9]/ { print $$1 }' testdata/go-versions)
GO_NEWEST  := $(lastword $(GO_MATRIX))
GO_TOOLCHAINS ?= $(OUT)/go
MATRIX_BINS := $(foreach v,$(GO_MATRIX),$(addprefix $(OUT)/testdata/go$(v)/,oracle \
		oracle-stripped wrappers wrappers-stripped)) \
	$(OUT)/testdata/go$(GO_NEWEST)/oracle-pie $(OUT)/testdata/go$(GO_NEWEST)/oracle-splitgroup
GO_TOOLCHAIN_BINS := $(foreach v,$(GO_MATRIX),$(GO_TOOLCHAINS)/$(v)/bin/go)
MATRIX_ENV := GOCACHE=$(abspath $(OUT))/gocache-matrix GOPATH=$(abspath $(OUT))/gopath \
	GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local
ORACLE_SRCS := $(wildcard testdata/oracle/*.go) testdata/go.mod

testdata: $(GO_BINS) $(GO_VARIANTS) $(MATRIX_BINS) $(OUT)/testdata/many $(OUT)/testdata/many-5000

# "many": MANY_FUNCS small functions, generated (testdata/many/gen.go), for
# tracing every function of a program at once; "many-5000", a package of
# several thousand, as a service's packages are.
MANY_FUNCS ?= 1000
$(OUT)/testdata/many-src/main.go: testdata/many/gen.go
	@mkdir -p $(@D)
	$(call msg,GO-GEN,$@)
	$(Q)cd testdata/many && $(GO_ENV) $(GO) run gen.go -n $(MANY_FUNCS) > $(abspath $@).tmp
	$(Q)mv $@.tmp $@

$(OUT)/testdata/many-5000-src/main.go: testdata/many/gen.go
	@mkdir -p $(@D)
	$(call msg,GO-GEN,$@)
	$(Q)cd testdata/many && $(GO_ENV) $(GO) run gen.go -n 5000 > $(abspath $@).tmp
	$(Q)mv $@.tmp $@

$(OUT)/testdata/many $(OUT)/testdata/many-5000: $(OUT)/testdata/%: $(OUT)/testdata/%-src/main.go
	$(call msg,GO,$@)
	$(Q)cd $(<D) && $(GO_ENV) GOFLAGS= $(GO) build -o $(abspath $@) main.go

# One fetch for every version missing (apt's private lists are not shared
# safely); a toolchain that is there is not looked at again, and one fetched
# stays when another fails.
.PRECIOUS: $(GO_TOOLCHAIN_BINS)
$(GO_TOOLCHAIN_BINS) &:
	$(call msg,FETCH,Go $(GO_MATRIX))
	$(Q)GO_TOOLCHAINS=$(GO_TOOLCHAINS) scripts/fetch-go.sh $(GO_MATRIX)

matrix_go = $(abspath $(GO_TOOLCHAINS))/$(patsubst go%,%,$(notdir $(1)))/bin/go

$(OUT)/testdata/go%/oracle: $(ORACLE_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) $(call matrix_go,$(@D)) build -o ../$@ ./oracle

$(OUT)/testdata/go%/oracle-stripped: $(ORACLE_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) $(call matrix_go,$(@D)) build -ldflags='-s -w' -o ../$@ \
		./oracle

$(OUT)/testdata/go%/oracle-pie: $(ORACLE_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) $(call matrix_go,$(@D)) build -buildmode=pie -o ../$@ \
		./oracle

# maps whose groups keep keys and elems in arrays of their own (an experiment
# in Go 1.27): the layout must come from DWARF, not from the version
$(OUT)/testdata/go%/oracle-splitgroup: $(ORACLE_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) GOEXPERIMENT=mapsplitgroup $(call matrix_go,$(@D)) build \
		-o ../$@ ./oracle

WRAPPERS_SRCS := $(wildcard testdata/wrappers/*.go testdata/wrappers/pb/*.go testdata/service/pb/*.go) \
	testdata/go.mod
$(OUT)/testdata/wrappers: $(WRAPPERS_SRCS)

$(OUT)/testdata/go%/wrappers: $(WRAPPERS_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) $(call matrix_go,$(@D)) build -o ../$@ ./wrappers

$(OUT)/testdata/go%/wrappers-stripped: $(WRAPPERS_SRCS) | $(GO_TOOLCHAINS)/%/bin/go
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(MATRIX_ENV) $(call matrix_go,$(@D)) build -ldflags='-s -w' -o ../$@ \
		./wrappers

$(OUT)/testdata/wrappers-stripped: $(WRAPPERS_SRCS)
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -ldflags='-s -w' -o ../$@ ./wrappers

$(OUT)/testdata/oracle-stripped: $(ORACLE_SRCS)
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -ldflags='-s -w' -o ../$@ ./oracle

$(OUT)/testdata/webserver-stripped: testdata/webserver/*.go testdata/go.mod
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -ldflags='-s -w' -o ../$@ ./webserver

$(OUT)/testdata/service $(OUT)/testdata/service-stripped: testdata/service/pb/*.go

$(OUT)/testdata/service-stripped: testdata/service/*.go testdata/go.mod
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -ldflags='-s -w' -o ../$@ ./service

$(OUT)/testdata/oracle-pie: $(ORACLE_SRCS)
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -buildmode=pie -o ../$@ ./oracle

$(OUT)/testdata/%: testdata/%/*.go testdata/go.mod
	@mkdir -p $(@D)
	$(call msg,GO,$@)
	$(Q)cd testdata && $(GO_ENV) $(GO) build -o ../$@ ./$*

$(OUT)/tests/test_%: tests/unit/test_%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) $(filter %.c %.o,$^) $(LIB_LDLIBS) -lcmocka -o $@

$(OUT)/tests/test_command: $(OUT)/cmd/command.o

unit: $(UNIT_BINS) testdata
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; GOTRACE_TESTDATA=$(OUT)/testdata $$t; done

e2e: gotrace testdata
	$(PYTHON) -m pytest -v --durations=10 tests/e2e

# Everything is built in parallel (the Go matrix's builds most of all), then
# the suites run one after another.
NPROC := $(shell nproc 2>/dev/null || echo 2)
test:
	$(MAKE) --no-print-directory -j$(NPROC) gotrace testdata $(UNIT_BINS)
	$(MAKE) --no-print-directory -j$(NPROC) fuzz-build
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory e2e

# Fuzzing: one libFuzzer harness per parser, tests/fuzz/fuzz_NAME.c, linked
# with the library built under ASan, UBSan and libFuzzer's coverage, seeded
# with small inputs cut out of the testdata builds (tests/fuzz/seeds.c).
# A new harness is its file and its name here.
FUZZ_HARNESSES := pclntab buildinfo funcs dwarf gobin typedesc filter
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_DIR   := $(OUT)/fuzz
FUZZ_BINS  := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_HARNESSES))
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB_SRCS := $(LIB_SRCS) tests/fuzz/mini_elf.c
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRCS))
# the builds the seeds come from: every pclntab format, stack and register
# ABIs, generics, assembly
FUZZ_SEED_FROM := go1.15=$(OUT)/testdata/go1.15/oracle go1.19=$(OUT)/testdata/go1.19/oracle \
	go1.21=$(OUT)/testdata/go1.21/oracle go1.24=$(OUT)/testdata/go1.24/oracle \
	go1.27=$(OUT)/testdata/go1.27/oracle asm=$(OUT)/testdata/asm \
	symtest=$(OUT)/testdata/symtest
FUZZ_SEED_BINS := $(foreach s,$(FUZZ_SEED_FROM),$(lastword $(subst =, ,$(s))))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC-FUZZ,$<)
	$(Q)$(CLANG) $(CPPFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c $< -o $@

$(FUZZ_DIR)/libgotrace.a: $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libgotrace.a
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(CPPFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer $(DEPFLAGS) $< \
		$(FUZZ_DIR)/libgotrace.a $(LIB_LDLIBS) -o $@

SEEDS_TOOL_OBJS := $(patsubst %.c,$(OUT)/%.o,tests/fuzz/seeds.c tests/fuzz/seed_dwarf.c \
	tests/fuzz/mini_elf.c)
$(FUZZ_DIR)/seeds-tool: $(SEEDS_TOOL_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIB_LDLIBS) -o $@

$(FUZZ_DIR)/seeds/.made: $(FUZZ_DIR)/seeds-tool $(FUZZ_SEED_BINS) $(MATRIX_BINS) tests/fuzz/seed_typedesc.py
	$(call msg,SEEDS,$(FUZZ_DIR)/seeds)
	$(Q)rm -rf $(FUZZ_DIR)/seeds
	$(Q)$(FUZZ_DIR)/seeds-tool $(FUZZ_DIR)/seeds $(FUZZ_SEED_FROM)
	$(Q)$(PYTHON) tests/fuzz/seed_typedesc.py $(FUZZ_DIR)/seeds/typedesc \
		$(foreach v,$(GO_MATRIX),$(OUT)/testdata/go$(v)/oracle)
	$(Q)mkdir -p $(FUZZ_DIR)/seeds/filter
	$(Q)printf '%s' 'o.P.S == "x" && len(xs) > 2 || !ok' > $(FUZZ_DIR)/seeds/filter/seed1
	$(Q)printf '%s' 'strings.HasPrefix(s, "a\x41") && err != nil && ~r1 >= -5' \
		> $(FUZZ_DIR)/seeds/filter/seed2
	$(Q)touch $@

fuzz-build: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.made

# Every harness for FUZZ_SECONDS, after its committed regression inputs;
# fuzz-NAME: harness NAME alone (fuzz-typedesc, fuzz-filter, ...).
fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

fuzz-smoke: fuzz-build
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) $(FUZZ_HARNESSES)

FUZZ_ONE := $(addprefix fuzz-,$(FUZZ_HARNESSES))
.PHONY: $(FUZZ_ONE)
$(FUZZ_ONE): fuzz-%: $(FUZZ_DIR)/fuzz_% $(FUZZ_DIR)/seeds/.made
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $*

bench: gotrace $(OUT)/testdata/bench $(OUT)/testdata/many $(OUT)/testdata/large
	bench/run.sh
	bench/scale.sh
	bench/service.sh

# testdata/webserver under wrk, untraced then traced (-r 'net/http.*'):
# every response a 200, the server's output unchanged, every probe hit an
# event printed or one reported lost. Long (minutes, mostly detaching): not
# part of make test. Needs wrk (scripts/install-deps.sh).
SOAK_SECONDS ?= 60
soak: gotrace $(OUT)/testdata/webserver
	$(PYTHON) bench/soak.py --seconds $(SOAK_SECONDS)

deps:
	scripts/install-deps.sh

# As packagers expect: PREFIX where it runs from, DESTDIR a staging root.
# gotrace needs root, so it goes to sbin, and its man page to section 8.
PREFIX  ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
INSTALL ?= install

install: gotrace
	$(call msg,INSTALL,$(DESTDIR)$(SBINDIR)/gotrace $(DESTDIR)$(MANDIR)/man8/gotrace.8)
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(Q)$(INSTALL) -m 0755 gotrace $(DESTDIR)$(SBINDIR)/gotrace
	$(Q)$(INSTALL) -m 0644 docs/gotrace.8 $(DESTDIR)$(MANDIR)/man8/gotrace.8

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/gotrace $(DESTDIR)$(MANDIR)/man8/gotrace.8

clean:
	rm -rf $(OUT) gotrace

# the headers each object was built from (-MMD -MP)
-include $(addsuffix .d,$(LIB_OBJS) $(CMD_OBJS) $(UNIT_BINS) $(FUZZ_LIB_OBJS) $(FUZZ_BINS) \
	$(SEEDS_TOOL_OBJS) $(OUT)/gotrace.bpf.o)
