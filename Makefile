# wasmgen - call C compiled to WebAssembly from JavaScript.
#
#   make            build the compiler and the runtime (native and wasm32)
#   make examples   build and run every example
#   make check      run every test
#   make install    PREFIX=/usr/local (DESTDIR honoured)
#
# Missing Debian packages are installed first, only those the step needs:
# building needs BUILD_PACKAGES (`make deps`), the tests also TEST_PACKAGES
# (`make test-deps`).

# ---- User settings
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
WASM_CC   ?= clang
AR_WASM   ?= llvm-ar
NODE      ?= node
BUILD     ?= build
CFLAGS    ?= -O2 -g

# ---- Warnings
WARN      := -std=c11 -Wall -Wextra -Wpedantic -Wmissing-prototypes -Wstrict-prototypes \
             -Wshadow -Wpointer-arith -Wwrite-strings
GEN_WARN  := -std=c11 -Wall -Wno-unused-function -Wno-sign-compare
WASM_FLAGS := --target=wasm32-wasi -O2 $(WARN) -Werror

# ---- System packages: those the build needs, and those only the tests need
# (Check, the sanitizers' native runtime, valgrind, a browser). Node is
# nodejs and npm unless a node is on the PATH.
BUILD_PACKAGES := clang lld llvm wasi-libc libclang-rt-14-dev-wasm32 flex bison wabt
TEST_PACKAGES  := check pkg-config libclang-rt-14-dev valgrind chromium firefox-esr
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

# Every compiler/*.c but the CLI is the library: a new emitter is one file.
COMPILER_SRC := $(filter-out compiler/main.c,$(sort $(wildcard compiler/*.c)))
GEN          := $(BUILD)/gen
GEN_SRC      := $(GEN)/parser.c $(GEN)/lexer.c $(GEN)/runtime_text.c
RUNTIME_SRC  := runtime/wg_alloc.c runtime/wg_queue.c runtime/wg_libc.c runtime/wg_error.c
INCLUDE      := $(BUILD)/include
RUNTIME_JS_PARTS := $(wildcard runtime/js/*.mjs runtime/js/*.d.ts) runtime/js/join.sh
RUNTIME_JS_GEN   := $(addprefix $(GEN)/js/,tables.mjs element-types.d.ts typed-arrays.d.ts \
                      runtime-members.d.ts module-members.d.ts)
RUNTIME_JS   := $(GEN)/wasmgen-runtime.mjs
RUNTIME_WASI_JS := $(GEN)/wasmgen-wasi.mjs
RUNTIME_UNFREED_JS := $(GEN)/wasmgen-unfreed.mjs
GEN_TABLES   := $(BUILD)/gen_tables
# The native host's runtime: wasm2c's runtime and the WASI shim (runtime/host/).
HOST_SRC     := $(sort $(wildcard runtime/host/*.c))
HOST_API_HDR := runtime/host/wasmgen-host.h runtime/host/wasmgen-host-glue.h runtime/host/wasmgen-wasi.h

WASMGEN      := $(BUILD)/wasmgen
LIBWASM      := $(BUILD)/wasm32/libwasmgen.a
LIBNATIVE    := $(BUILD)/native/libwasmgen.a
LIBCOMPILER  := $(BUILD)/libwasmgen-compiler.a
LIBHOST      := $(BUILD)/host/libwasmgen-host.a
DEPS_STAMP   := $(BUILD)/.deps
TEST_DEPS_STAMP := $(BUILD)/.test-deps

.PHONY: all deps test-deps examples check install clean update-golden fuzz check-asan check-valgrind bench \
        check-fuzz-regressions \
        check-unit check-golden check-diag check-e2e check-ts check-gen check-browser check-tools check-host \
        check-engines check-ship check-sizes
.DELETE_ON_ERROR:

all: $(WASMGEN) $(LIBWASM) $(LIBNATIVE) $(RUNTIME_JS) $(RUNTIME_WASI_JS) $(RUNTIME_UNFREED_JS) $(LIBHOST)

# $(call apt_install,PACKAGES,EXTRA): install the PACKAGES not installed yet
# (EXTRA: shell code that may add to $$missing), then touch the stamp $@.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(2) \
	if [ -n "$$missing" ]; then \
	  echo "wasmgen: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(@D) && touch $@
endef

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	$(call apt_install,$(BUILD_PACKAGES),command -v node >/dev/null 2>&1 || missing="$$missing nodejs npm";)

test-deps: $(TEST_DEPS_STAMP)
$(TEST_DEPS_STAMP): | $(DEPS_STAMP)
	$(call apt_install,$(TEST_PACKAGES))

# ---- The compiler
$(GEN)/parser.c $(GEN)/parser.h: compiler/parser.y | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	bison -Wall -Werror --defines=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h: compiler/lexer.l $(GEN)/parser.h | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

# ---- The runtimes' copies of the compiler's tables (types.def, runtime.def),
# printed by a build tool: the C runtime's wasmgen_tables.h, which wasmgen.h
# includes, the native host's wasmgen_host_tables.h (its scalar conversions,
# which wasmgen-host-glue.h includes), and the JS runtime's generated parts.
# $(INCLUDE) holds the headers as `make install` installs them.
$(GEN_TABLES): runtime/gen_tables.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Werror -Icompiler $(DEPFLAGS) $< -o $@

$(INCLUDE)/wasmgen_tables.h $(INCLUDE)/wasmgen_host_tables.h $(RUNTIME_JS_GEN): $(GEN_TABLES)
	@mkdir -p $(@D)
	$(GEN_TABLES) $(@F) > $@.tmp
	mv $@.tmp $@

$(INCLUDE)/wasmgen.h: runtime/wasmgen.h
	@mkdir -p $(@D)
	cp $< $@

# ---- The JS runtime: its parts in runtime/js/ and $(GEN)/js/, joined by
# runtime/js/join.sh into one text. $(GEN)/wasmgen-runtime.mjs is the file the
# compiler writes beside generated modules (and the one the tests read): the
# text --js-runtime=inline pastes, then the exports only a separate file needs.
$(GEN)/js/inline.mjs: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-runtime.mjs runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

# The same without the parts of handles: what inline mode pastes into a
# module whose JS can meet none.
$(GEN)/js/lean-inline.mjs: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-runtime-lean.mjs runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

$(RUNTIME_JS): $(GEN)/js/inline.mjs $(GEN)/js/codecs-inline.mjs runtime/js/file-exports.mjs
	cat $^ > $@.tmp
	mv $@.tmp $@

# The codecs, joined apart: the file has them; inline mode pastes them only
# into a module that has structs, enums, lists or optional values.
$(GEN)/js/codecs-inline.mjs: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-codecs.mjs runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

# WASI, joined apart: pasted after the runtime by --js-runtime=inline, and the
# file $(GEN)/wasmgen-wasi.mjs beside it otherwise (loaded on demand).
$(GEN)/js/wasi-inline.mjs: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-wasi.mjs runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

$(RUNTIME_WASI_JS): runtime/js/wasi-file-head.mjs $(GEN)/js/wasi-inline.mjs runtime/js/wasi-file-tail.mjs
	cat $^ > $@.tmp
	mv $@.tmp $@

# What only handles nobody frees need, and options.debug's tools (unfreed.mjs),
# joined apart: pasted after the runtime by --js-runtime=inline, and the file
# $(GEN)/wasmgen-unfreed.mjs beside it otherwise (loaded on demand).
$(GEN)/js/unfreed-inline.mjs: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-unfreed.mjs runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

$(RUNTIME_UNFREED_JS): $(GEN)/js/unfreed-inline.mjs runtime/js/unfreed-file-tail.mjs
	cat $^ > $@.tmp
	mv $@.tmp $@

$(GEN)/wasmgen-runtime.d.ts: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-runtime.d.ts runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

# The JS runtime and its declarations, embedded as C strings.
$(GEN)/runtime_text.c: $(GEN)/js/inline.mjs $(GEN)/js/lean-inline.mjs runtime/js/file-exports.mjs $(GEN)/wasmgen-runtime.d.ts \
                       $(GEN)/js/wasi-inline.mjs $(RUNTIME_WASI_JS) $(GEN)/js/codecs-inline.mjs \
                       $(GEN)/js/unfreed-inline.mjs $(RUNTIME_UNFREED_JS) compiler/embed.sh
	@mkdir -p $(GEN)
	sh compiler/embed.sh $(GEN)/js/inline.mjs wasmgen_runtime_js > $@.tmp
	sh compiler/embed.sh $(GEN)/js/lean-inline.mjs wasmgen_runtime_lean_js >> $@.tmp
	sh compiler/embed.sh runtime/js/file-exports.mjs wasmgen_runtime_js_exports >> $@.tmp
	sh compiler/embed.sh $(GEN)/js/codecs-inline.mjs wasmgen_runtime_codecs_js >> $@.tmp
	sh compiler/embed.sh $(GEN)/js/wasi-inline.mjs wasmgen_runtime_wasi_js >> $@.tmp
	sh compiler/embed.sh $(RUNTIME_WASI_JS) wasmgen_runtime_wasi_file >> $@.tmp
	sh compiler/embed.sh $(GEN)/js/unfreed-inline.mjs wasmgen_runtime_unfreed_js >> $@.tmp
	sh compiler/embed.sh $(RUNTIME_UNFREED_JS) wasmgen_runtime_unfreed_file >> $@.tmp
	sh compiler/embed.sh $(GEN)/wasmgen-runtime.d.ts wasmgen_runtime_dts >> $@.tmp
	mv $@.tmp $@

# ---- Compile rules, written once for every flavour of the build: normal
# here, ASan+UBSan and libFuzzer in tests/tests.mk. Each object's header
# dependencies come from the compiler (-MMD -MP, included at the end); the
# generated headers are made before the first compile.
DEPFLAGS := -MMD -MP
COMPILER_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Icompiler -I$(GEN)
COMPILER_OBJ := $(COMPILER_SRC:compiler/%.c=$(BUILD)/obj/%.o) $(GEN_SRC:$(GEN)/%.c=$(BUILD)/obj/%.o)

# $(call compiler_rules,DIR,CC,FLAGS): the compiler's objects in DIR/obj, the
# library DIR/libwasmgen-compiler.a and the command DIR/wasmgen.
define compiler_rules
$(1)/obj/%.o: compiler/%.c | $(GEN)/parser.h $(GEN)/lexer.h
	@mkdir -p $$(@D)
	$(2) $(3) $(WARN) -Werror $(COMPILER_CPPFLAGS) $(DEPFLAGS) -c $$< -o $$@

$(1)/obj/%.o: $(GEN)/%.c | $(GEN)/parser.h $(GEN)/lexer.h
	@mkdir -p $$(@D)
	$(2) $(3) $(GEN_WARN) $(COMPILER_CPPFLAGS) $(DEPFLAGS) -c $$< -o $$@

$(1)/libwasmgen-compiler.a: $(COMPILER_OBJ:$(BUILD)/%=$(1)/%)
	@rm -f $$@
	ar rcs $$@ $$^

$(1)/wasmgen: $(1)/obj/main.o $(1)/libwasmgen-compiler.a
	$(2) $(3) -o $$@ $$^
endef

# $(call runtime_rules,DIR,CC,FLAGS,AR): the C runtime's objects in DIR and
# DIR/libwasmgen.a. Whatever links a library also finds the headers it was
# built with, in $(INCLUDE).
define runtime_rules
$(1)/%.o: runtime/%.c | $(INCLUDE)/wasmgen_tables.h
	@mkdir -p $$(@D)
	$(2) $(3) -Iruntime -I$(INCLUDE) $(DEPFLAGS) -c $$< -o $$@

$(1)/libwasmgen.a: $(RUNTIME_SRC:runtime/%.c=$(1)/%.o) | $(INCLUDE)/wasmgen.h
	@rm -f $$@
	$(4) rcs $$@ $$^
endef

# $(call host_rules,DIR,CC,FLAGS): the native host's runtime in DIR and
# DIR/libwasmgen-host.a, built with wasm-rt.h's configuration the translated
# code uses (WASMGEN_HOST_RT_FLAGS, runtime/wasmgen.mk). wasm-rt.h comes with
# Debian's wabt.
define host_rules
$(1)/%.o: runtime/host/%.c | $(INCLUDE)/wasmgen_tables.h $(INCLUDE)/wasmgen_host_tables.h $(DEPS_STAMP)
	@mkdir -p $$(@D)
	$(2) $(3) $(WARN) -Werror $$(WASMGEN_HOST_RT_FLAGS) -Iruntime/host -I$(INCLUDE) $(DEPFLAGS) -c $$< -o $$@

$(1)/libwasmgen-host.a: $(HOST_SRC:runtime/host/%.c=$(1)/%.o) | $(INCLUDE)/wasmgen.h
	@rm -f $$@
	ar rcs $$@ $$^
endef

$(eval $(call compiler_rules,$(BUILD),$(CC),$(CFLAGS)))
# The runtime: wasm32 for modules, native for the unit tests.
$(eval $(call runtime_rules,$(BUILD)/wasm32,$(WASM_CC),$(WASM_FLAGS),$(AR_WASM)))
$(eval $(call runtime_rules,$(BUILD)/native,$(CC),$(CFLAGS) $(WARN) -Werror,ar))
$(RUNTIME_SRC:runtime/%.c=$(BUILD)/wasm32/%.o): | $(DEPS_STAMP) # clang and wasi-libc
$(eval $(call host_rules,$(BUILD)/host,$(CC),$(CFLAGS)))

# ---- Building a module: the same rules a user includes (see README.md).
WASMGEN_HOME    := $(CURDIR)
WASMGEN_INCLUDE := $(INCLUDE)
WASMGEN_LIBDIR  := $(BUILD)/wasm32
WASMGEN_HOST_INCLUDE := runtime/host
WASMGEN_HOST_LIBDIR  := $(BUILD)/host
include runtime/wasmgen.mk

# ---- Examples: each demo in Node, then natively when it has a host.c
# (the same demo through the native host, wasm2c)
EXAMPLES := arrays strings hello shapes zlib lz4 cjson qsort expat md4c
examples: all
	@for ex in $(EXAMPLES); do \
	  host=; [ -f examples/$$ex/host.c ] && host=run-host; \
	  $(MAKE) --no-print-directory -C examples/$$ex run $$host WASMGEN_HOME=$(CURDIR) || exit 1; done

# ---- Tests
include tests/tests.mk
include bench/bench.mk

check: all
	@$(MAKE) --no-print-directory check-tools check-unit check-golden check-diag check-gen check-e2e check-ts \
	  check-host check-asan check-valgrind check-fuzz-regressions check-engines check-browser check-ship check-sizes
	@echo "make check: all test groups passed"

# ---- Install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/wasm32-wasi $(DESTDIR)$(PREFIX)/share/wasmgen \
	  $(DESTDIR)$(PREFIX)/share/doc/wasmgen
	install -m 755 $(WASMGEN) $(DESTDIR)$(PREFIX)/bin/wasmgen
	install -m 644 $(INCLUDE)/wasmgen.h $(INCLUDE)/wasmgen_tables.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIBWASM) $(DESTDIR)$(PREFIX)/lib/wasm32-wasi/libwasmgen.a
	install -m 644 $(HOST_API_HDR) $(INCLUDE)/wasmgen_host_tables.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIBHOST) $(DESTDIR)$(PREFIX)/lib/libwasmgen-host.a
	install -m 644 runtime/wasmgen.mk $(DESTDIR)$(PREFIX)/share/wasmgen/wasmgen.mk
	install -m 644 idl/README.md $(DESTDIR)$(PREFIX)/share/doc/wasmgen/idl.md
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/wasmgen/README.md

clean:
	rm -rf $(BUILD)

# Header dependencies the compilers wrote (-MMD), of every flavour.
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
