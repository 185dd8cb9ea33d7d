# wasmgen - call C compiled to WebAssembly from JavaScript.
#
#   make            build the compiler and the runtime (native and wasm32)
#   make examples   build and run every example
#   make check      run every test
#   make install    PREFIX=/usr/local (DESTDIR honoured)
#
# Missing system packages are installed first (see `make deps`).

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

# Debian packages the build and tests need; `make deps` installs what is missing.
DEB_PACKAGES := clang lld llvm wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev flex bison wabt check \
                pkg-config valgrind chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

# Every compiler/*.c but the CLI is the library: a new emitter is one file.
COMPILER_SRC := $(filter-out compiler/main.c,$(sort $(wildcard compiler/*.c)))
GEN          := $(BUILD)/gen
GEN_SRC      := $(GEN)/parser.c $(GEN)/lexer.c $(GEN)/runtime_text.c
RUNTIME_SRC  := runtime/wg_alloc.c runtime/wg_queue.c runtime/wg_libc.c runtime/wg_error.c
INCLUDE      := $(BUILD)/include
RUNTIME_HDR  := runtime/wasmgen.h runtime/wg_internal.h $(INCLUDE)/wasmgen_tables.h
RUNTIME_JS_PARTS := $(wildcard runtime/js/*.mjs runtime/js/*.d.ts) runtime/js/join.sh
RUNTIME_JS_GEN   := $(addprefix $(GEN)/js/,tables.mjs element-types.d.ts typed-arrays.d.ts \
                      runtime-members.d.ts module-members.d.ts)
RUNTIME_JS   := $(GEN)/wasmgen-runtime.mjs
GEN_TABLES   := $(BUILD)/gen_tables

WASMGEN      := $(BUILD)/wasmgen
LIBWASM      := $(BUILD)/wasm32/libwasmgen.a
LIBNATIVE    := $(BUILD)/native/libwasmgen.a
LIBCOMPILER  := $(BUILD)/libwasmgen-compiler.a
DEPS_STAMP   := $(BUILD)/.deps

.PHONY: all deps examples check install clean update-golden fuzz check-asan check-valgrind bench \
        check-fuzz-regressions \
        check-unit check-golden check-diag check-e2e check-ts check-gen check-browser
.DELETE_ON_ERROR:

all: $(WASMGEN) $(LIBWASM) $(LIBNATIVE) $(RUNTIME_JS)

# ---- System packages
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "wasmgen: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(@D) && touch $@

# ---- The compiler
$(GEN)/parser.c $(GEN)/parser.h: compiler/parser.y | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	bison -Wall -Werror --defines=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h: compiler/lexer.l $(GEN)/parser.h | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

# ---- The runtimes' copies of the compiler's tables (types.def, runtime.def),
# printed by a build tool: the C runtime's wasmgen_tables.h, which wasmgen.h
# includes, and the JS runtime's generated parts. $(INCLUDE) holds the headers
# as `make install` installs them.
$(GEN_TABLES): runtime/gen_tables.c compiler/types.def compiler/runtime.def
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Werror -Icompiler $< -o $@

$(INCLUDE)/wasmgen_tables.h $(RUNTIME_JS_GEN): $(GEN_TABLES)
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

$(RUNTIME_JS): $(GEN)/js/inline.mjs runtime/js/file-exports.mjs
	cat $^ > $@.tmp
	mv $@.tmp $@

$(GEN)/wasmgen-runtime.d.ts: $(RUNTIME_JS_PARTS) $(RUNTIME_JS_GEN)
	@mkdir -p $(@D)
	sh runtime/js/join.sh runtime/js/wasmgen-runtime.d.ts runtime/js $(GEN)/js > $@.tmp
	mv $@.tmp $@

# The JS runtime and its declarations, embedded as C strings.
$(GEN)/runtime_text.c: $(GEN)/js/inline.mjs runtime/js/file-exports.mjs $(GEN)/wasmgen-runtime.d.ts \
                       compiler/embed.sh
	@mkdir -p $(GEN)
	sh compiler/embed.sh $(GEN)/js/inline.mjs wasmgen_runtime_js > $@.tmp
	sh compiler/embed.sh runtime/js/file-exports.mjs wasmgen_runtime_js_exports >> $@.tmp
	sh compiler/embed.sh $(GEN)/wasmgen-runtime.d.ts wasmgen_runtime_dts >> $@.tmp
	mv $@.tmp $@

COMPILER_OBJ := $(COMPILER_SRC:compiler/%.c=$(BUILD)/obj/%.o) \
                $(BUILD)/obj/parser.o $(BUILD)/obj/lexer.o $(BUILD)/obj/runtime_text.o
COMPILER_HDR := $(wildcard compiler/*.h compiler/*.def) $(GEN)/parser.h $(GEN)/lexer.h

$(BUILD)/obj/%.o: compiler/%.c $(COMPILER_HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Werror -D_POSIX_C_SOURCE=200809L -Icompiler -I$(GEN) -c $< -o $@

$(BUILD)/obj/%.o: $(GEN)/%.c $(COMPILER_HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(GEN_WARN) -D_POSIX_C_SOURCE=200809L -Icompiler -I$(GEN) -c $< -o $@

$(LIBCOMPILER): $(COMPILER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(WASMGEN): $(BUILD)/obj/main.o $(LIBCOMPILER)
	$(CC) $(CFLAGS) -o $@ $^

# ---- The runtime: wasm32 for modules, native for the unit tests
$(BUILD)/wasm32/%.o: runtime/%.c $(RUNTIME_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(WASM_CC) $(WASM_FLAGS) -Iruntime -I$(INCLUDE) -c $< -o $@

# Whatever links the library also finds the headers it was built with.
$(LIBWASM): $(RUNTIME_SRC:runtime/%.c=$(BUILD)/wasm32/%.o) | $(INCLUDE)/wasmgen.h
	@rm -f $@
	$(AR_WASM) rcs $@ $^

$(BUILD)/native/%.o: runtime/%.c $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Werror -Iruntime -I$(INCLUDE) -c $< -o $@

$(LIBNATIVE): $(RUNTIME_SRC:runtime/%.c=$(BUILD)/native/%.o)
	@rm -f $@
	ar rcs $@ $^

# ---- Building a module: the same rules a user includes (see README.md).
WASMGEN_HOME    := $(CURDIR)
WASMGEN_INCLUDE := $(INCLUDE)
WASMGEN_LIBDIR  := $(BUILD)/wasm32
include runtime/wasmgen.mk

# ---- Examples
EXAMPLES := arrays strings hello shapes
examples: all
	@for ex in $(EXAMPLES); do \
	  $(MAKE) --no-print-directory -C examples/$$ex run WASMGEN_HOME=$(CURDIR) || exit 1; done

# ---- Tests
include tests/tests.mk
include bench/bench.mk

check: all
	@$(MAKE) --no-print-directory check-unit check-golden check-diag check-gen check-e2e check-ts \
	  check-asan check-valgrind check-fuzz-regressions check-browser
	@echo "make check: all test groups passed"

# ---- Install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/wasm32-wasi $(DESTDIR)$(PREFIX)/share/wasmgen \
	  $(DESTDIR)$(PREFIX)/share/doc/wasmgen
	install -m 755 $(WASMGEN) $(DESTDIR)$(PREFIX)/bin/wasmgen
	install -m 644 $(INCLUDE)/wasmgen.h $(INCLUDE)/wasmgen_tables.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIBWASM) $(DESTDIR)$(PREFIX)/lib/wasm32-wasi/libwasmgen.a
	install -m 644 runtime/wasmgen.mk $(DESTDIR)$(PREFIX)/share/wasmgen/wasmgen.mk
	install -m 644 idl/README.md $(DESTDIR)$(PREFIX)/share/doc/wasmgen/idl.md
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/wasmgen/README.md

clean:
	rm -rf $(BUILD)
