# tests.mk - `make check` and its groups. Included by the top Makefile.
#
#   check-unit    Check suites: compiler phases (native) and the C runtime (native)
#   check-golden  generated files for tests/golden/*.idl match the checked-in ones
#   check-diag    every tests/diag/*.idl fails with exactly its .err text; the
#                 command line; make install and building from what it installs;
#                 a new scalar type as one row of types.def (a copy of the tree);
#                 which packages each step installs (make -n); the JS runtime's
#                 join (runtime/js/join.sh) and its checks of the parts' imports
#   check-gen     generated C builds warning-free for wasm32; JS passes node --check
#   check-e2e     real modules (clang, wasm-validate) run under node --test
#   check-ts      the .d.ts type-checks with tsc --strict against usage files, with and without the DOM lib
#   check-engines the end-to-end suite again under Deno and Bun (from npm)
#   check-browser examples/browser in headless Chromium and Firefox ESR, served from 127.0.0.1
#   check-sizes   each example's minified JS and .wasm; what a lean module ships
#   check-ship    examples/browser as an npm package: packed, installed, used from Node,
#                 TypeScript and three bundlers (pages run in Chromium)
#   check-tools   the test machinery: the time limits below stop deliberately
#                 hanging tests; make mutate's C mutation operators
#
# Every runner has a time limit, so a hang fails fast and names the test:
# each node test by tests/limits/watchdog.mjs (WG_TEST_TIMEOUT s, default 30,
# even inside a wasm call that never returns), each node test file by
# --test-timeout, each Check test by Check (CK_DEFAULT_TIMEOUT or its
# tcase_set_timeout), and every command by tests/limits/limit.sh, which names
# it. WG_TIMEOUT_SCALE=N multiplies the limit.sh ones on a slow machine.

TEST_OUT   := $(BUILD)/tests
UNIT_TESTS := test_lexer test_parser test_sema test_emit test_alloc test_queue test_alloc_model
UNIT_BINS  := $(UNIT_TESTS:%=$(TEST_OUT)/%)
LIMIT      := sh tests/limits/limit.sh
NODE_TEST  := $(NODE) --test --test-reporter=spec --expose-gc --test-timeout=180000 \
              --import $(CURDIR)/tests/limits/watchdog.mjs
export CK_DEFAULT_TIMEOUT ?= 10

# $(call unit_test_rules,DIR,COMPILER_DIR,RUNTIME_DIR,CC,FLAGS): the Check
# suites in DIR, linked with COMPILER_DIR/libwasmgen-compiler.a and
# RUNTIME_DIR/libwasmgen.a (see compiler_rules and runtime_rules).
define unit_test_rules
$(1)/test_%: tests/unit/test_%.c $(2)/libwasmgen-compiler.a $(3)/libwasmgen.a | $(TEST_DEPS_STAMP)
	@mkdir -p $$(@D)
	$(4) $(5) $(WARN) -Werror $(COMPILER_CPPFLAGS) -Iruntime -I$(INCLUDE) $(DEPFLAGS) \
	  $$< $(2)/libwasmgen-compiler.a $(3)/libwasmgen.a $(CHECK_LIBS) -o $$@
endef
$(eval $(call unit_test_rules,$(TEST_OUT),$(BUILD),$(BUILD)/native,$(CC),$(CFLAGS)))

check-unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do echo "== $$t"; $(LIMIT) $$t 300 $$t || exit 1; done

check-golden: $(WASMGEN)
	WASMGEN=$(WASMGEN) $(LIMIT) check-golden 300 $(NODE_TEST) tests/cli/golden.test.mjs

update-golden: $(WASMGEN)
	WASMGEN=$(WASMGEN) WG_UPDATE_GOLDEN=1 $(NODE) --test tests/cli/golden.test.mjs

check-diag: $(WASMGEN) $(LIBWASM) $(RUNTIME_JS)
	WASMGEN=$(WASMGEN) RUNTIME_JS=$(RUNTIME_JS) $(LIMIT) check-diag 300 $(NODE_TEST) tests/cli/diag.test.mjs \
	  tests/cli/cli.test.mjs tests/cli/install.test.mjs tests/cli/newtype.test.mjs tests/cli/build.test.mjs \
	  tests/cli/join.test.mjs

# ---- End-to-end modules: tests/e2e/NAME.idl + NAME.c, built as a user would.
E2E_OUT     := $(TEST_OUT)/e2e
E2E_MODULES := alltypes shadow wasi types safety model names corners reader calls lean fset defer
WASMGEN_CFLAGS := -O2 -Wall -Wextra -Werror -pedantic
$(foreach m,$(E2E_MODULES),$(eval $(call wasmgen_module,$(m),tests/e2e/$(m).idl,$(E2E_OUT),tests/e2e/$(m).c)))
# big.idl returns 64 KiB structs by value: its C needs more than the default
# 64 KiB stack (a target's own value: WASMGEN_CFLAGS is expanded when the recipe runs).
$(eval $(call wasmgen_module,big,tests/e2e/big.idl,$(E2E_OUT),tests/e2e/big.c))
$(E2E_OUT)/big.wasm: WASMGEN_CFLAGS += -Wl,-z,stack-size=1048576
E2E_MODULES += big
# give.idl binds a library as it is: its header is tests/e2e/give_lib.h.
$(eval $(call wasmgen_module,give,tests/e2e/give.idl,$(E2E_OUT),tests/e2e/give.c))
$(E2E_OUT)/give.wasm: WASMGEN_CFLAGS += -Itests/e2e
E2E_MODULES += give
E2E_WASM := $(E2E_MODULES:%=$(E2E_OUT)/%.wasm) $(E2E_OUT)/alltypes_small.wasm

# The same module with at most 16 MiB of memory, for allocation failures.
$(E2E_OUT)/alltypes_small.wasm: $(E2E_OUT)/alltypes.wasm
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_CFLAGS) $(WASMGEN_LINK) -I$(WASMGEN_INCLUDE) \
	  -I$(E2E_OUT) $(E2E_OUT)/alltypes_glue.c tests/e2e/alltypes.c -L$(WASMGEN_LIBDIR) -lwasmgen \
	  -Wl,--max-memory=16777216 -o $@

# The same module linked with a libwasmgen.a that says it is runtime version
# 999 (its wg_queue.c built against a wasmgen_tables.h saying so): instantiate
# must refuse it by name.
$(E2E_OUT)/alltypes_v999.wasm: $(E2E_OUT)/alltypes.wasm runtime/wg_queue.c
	@mkdir -p $(E2E_OUT)/v999
	sed 's/^#define WASMGEN_RUNTIME_VERSION .*/#define WASMGEN_RUNTIME_VERSION 999/' \
	  $(INCLUDE)/wasmgen_tables.h > $(E2E_OUT)/v999/wasmgen_tables.h
	$(WASM_CC) $(WASM_FLAGS) -Iruntime -I$(E2E_OUT)/v999 -c runtime/wg_queue.c -o $(E2E_OUT)/v999/wg_queue.o
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_CFLAGS) $(WASMGEN_LINK) -I$(WASMGEN_INCLUDE) \
	  -I$(E2E_OUT) $(E2E_OUT)/alltypes_glue.c tests/e2e/alltypes.c $(E2E_OUT)/v999/wg_queue.o \
	  -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
E2E_WASM += $(E2E_OUT)/alltypes_v999.wasm

# The same module linked without -Wl,--stack-first (WASMGEN_LINK): refused.
$(E2E_OUT)/alltypes_heapstack.wasm: $(E2E_OUT)/alltypes.wasm
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_CFLAGS) -I$(WASMGEN_INCLUDE) \
	  -I$(E2E_OUT) $(E2E_OUT)/alltypes_glue.c tests/e2e/alltypes.c -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
E2E_WASM += $(E2E_OUT)/alltypes_heapstack.wasm

# examples/arrays again, built with -nostdlib: the runtime is all it needs.
$(E2E_OUT)/nostdlib/arrays.wasm: examples/arrays/arrays.idl examples/arrays/arrays.c $(WASMGEN) $(LIBWASM)
	@mkdir -p $(@D)
	$(WASMGEN) -o $(@D) examples/arrays/arrays.idl
	$(WASMGEN_CC) --target=wasm32-wasi -O2 -nostdlib -Wl,--no-entry $(WASMGEN_LINK) -I$(WASMGEN_INCLUDE) -I$(@D) \
	  $(@D)/arrays_glue.c examples/arrays/arrays.c -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
E2E_WASM += $(E2E_OUT)/nostdlib/arrays.wasm

# types.idl's JS again, with the runtime inlined: one self-contained file.
$(E2E_OUT)/inline/types.mjs: tests/e2e/types.idl $(WASMGEN)
	@mkdir -p $(@D)
	$(WASMGEN) --emit js --js-runtime inline -o $(@D) tests/e2e/types.idl
# And lean.idl's (numbers and strings: the runtime without the handles' parts).
$(E2E_OUT)/inline/lean.mjs: tests/e2e/lean.idl $(WASMGEN)
	@mkdir -p $(@D)
	$(WASMGEN) --emit js --js-runtime inline -o $(@D) tests/e2e/lean.idl
# And names.idl's (exports named like the runtime's own top-level names).
$(E2E_OUT)/inline/names.mjs: tests/e2e/names.idl $(WASMGEN)
	@mkdir -p $(@D)
	$(WASMGEN) --emit js --js-runtime inline -o $(@D) tests/e2e/names.idl
E2E_INLINE := $(E2E_OUT)/inline/types.mjs $(E2E_OUT)/inline/lean.mjs $(E2E_OUT)/inline/names.mjs

EXAMPLE_WASM := $(foreach ex,$(EXAMPLES),examples/$(ex)/out/$(ex).wasm)
# Examples binding real libraries (Debian source packages) test themselves.
BIND_EXAMPLES := zlib lz4 cjson qsort expat md4c
$(EXAMPLE_WASM): all
	$(MAKE) --no-print-directory -C $(dir $(@D)) out/$(notdir $@) WASMGEN_HOME=$(CURDIR)
# expat's test compares with expat's own xmlwf, built natively from its sources.
EXPAT_XMLWF := examples/expat/out/xmlwf
$(EXPAT_XMLWF): examples/expat/out/expat.wasm
	$(MAKE) --no-print-directory -C examples/expat out/xmlwf WASMGEN_HOME=$(CURDIR)
# ... md4c's with md4c's own md2html.
MD4C_MD2HTML := examples/md4c/out/md2html
$(MD4C_MD2HTML): examples/md4c/out/md4c.wasm
	$(MAKE) --no-print-directory -C examples/md4c out/md2html WASMGEN_HOME=$(CURDIR)

check-gen: $(E2E_WASM) $(EXAMPLE_WASM)
	@for w in $^; do wasm-validate $$w || exit 1; echo "wasm-validate: $$w ok"; done
	@for j in $(E2E_MODULES:%=$(E2E_OUT)/%.mjs) $(E2E_OUT)/wasmgen-runtime.mjs; do \
	  $(NODE) --check $$j || exit 1; echo "node --check: $$j ok"; done

# The runtime replaces wasi-libc's malloc family: a program using libc's own
# allocating functions links without duplicates, and they use our allocator.
$(TEST_OUT)/libc_link_test.wasm: tests/unit/libc_link_test.c $(LIBWASM)
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor -O2 $(WARN) -Werror $(WASMGEN_LINK) -I$(INCLUDE) $< \
	  -L$(BUILD)/wasm32 -lwasmgen -o $@

# ---- Bindings of an existing library: tests/bind/tk.h and tk.c, bound by tk.idl.
BIND_OUT := $(TEST_OUT)/bind
$(eval $(call wasmgen_module,tk,tests/bind/tk.idl,$(BIND_OUT),tests/bind/tk.c,wgtk))
$(BIND_OUT)/tk.wasm: WASMGEN_CFLAGS += -Itests/bind
E2E_WASM += $(BIND_OUT)/tk.wasm
# ... and tests/bind/ev.h and ev.c, a library that calls back, bound by ev.idl.
$(eval $(call wasmgen_module,ev,tests/bind/ev.idl,$(BIND_OUT),tests/bind/ev.c,wgev))
$(BIND_OUT)/ev.wasm: WASMGEN_CFLAGS += -Itests/bind
E2E_WASM += $(BIND_OUT)/ev.wasm

E2E_DEPS := $(E2E_WASM) $(E2E_INLINE) $(EXAMPLE_WASM)
check-e2e: $(E2E_DEPS) $(EXPAT_XMLWF) $(MD4C_MD2HTML) $(TEST_OUT)/libc_link_test.wasm
	LIBC_LINK_WASM=$(TEST_OUT)/libc_link_test.wasm $(LIMIT) libc_link_test 120 \
	  $(NODE_TEST) tests/unit/libc_link_test.mjs
	E2E_OUT=$(E2E_OUT) $(LIMIT) check-e2e 600 $(NODE_TEST) $(filter-out %/model.test.mjs,$(wildcard tests/e2e/*.test.mjs))
	E2E_OUT=$(E2E_OUT) WG_TEST_TIMEOUT=240 $(LIMIT) "check-e2e (model, 100,000 operations)" 300 \
	  $(NODE_TEST) tests/e2e/model.test.mjs
	BIND_OUT=$(BIND_OUT) WASMGEN=$(WASMGEN) WASMGEN_INCLUDE=$(WASMGEN_INCLUDE) $(LIMIT) "check-e2e (bind)" 300 \
	  $(NODE_TEST) tests/bind/bind.test.mjs tests/bind/callbacks.test.mjs
	EXPAT_TREE=$(CURDIR)/build/debian/expat/src MD4C_TREE=$(CURDIR)/build/debian/md4c/src \
	  $(LIMIT) "check-e2e (bound examples)" 300 \
	  $(NODE_TEST) $(foreach ex,$(BIND_EXAMPLES),examples/$(ex)/$(ex).test.mjs)

# The same suite, unchanged, under Deno and Bun (their binaries come in the
# npm packages): tests/e2e/helpers.mjs knows the engine it runs on.
check-engines: $(E2E_DEPS) $(TEST_TOOLS)
	E2E_OUT=$(E2E_OUT) NO_COLOR=1 $(LIMIT) "check-engines (deno)" 600 $(DENO) test --quiet -A --v8-flags=--expose-gc tests/e2e/*.test.mjs
	E2E_OUT=$(E2E_OUT) NO_COLOR=1 $(LIMIT) "check-engines (bun)" 600 $(BUN) test --timeout 60000 $(patsubst %,./%,$(wildcard tests/e2e/*.test.mjs))

# ---- Tools from npm, pinned in tests/package.json (TypeScript, Deno, Bun,
# playwright-core, puppeteer-core, the bundlers): one `npm ci`, stamped.
TEST_TOOLS := tests/node_modules/.wasmgen-installed
TSC        := tests/node_modules/.bin/tsc
DENO       := tests/node_modules/.bin/deno
BUN        := tests/node_modules/.bin/bun
$(TEST_TOOLS): tests/package.json tests/package-lock.json | $(DEPS_STAMP)
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
$(TSC) $(DENO) $(BUN): $(TEST_TOOLS) ;

# Twice: with the DOM lib, and as a Node-only project (lib es2022, @types/node).
# Each tsconfig here extends tests/ts/tsconfig.KIND.json, whose paths are its own.
TS_COMMON := usage.mts types-usage.mts calls-usage.mts lean-usage.mts fset-usage.mts
check-ts: $(TEST_TOOLS) $(E2E_WASM)
	cp tests/ts/*.mts $(E2E_OUT)/
	@for kind in dom node; do \
	  printf '{ "extends": "%s", "files": [%s] }\n' "$(CURDIR)/tests/ts/tsconfig.$$kind.json" \
	    "$$(for f in $(TS_COMMON) $$kind-usage.mts; do printf '"%s",' $$f; done | sed 's/,$$//')" \
	    > $(E2E_OUT)/tsconfig.$$kind.json; \
	  echo "$(TSC) -p $(E2E_OUT)/tsconfig.$$kind.json"; \
	  $(LIMIT) check-ts 300 $(TSC) -p $(E2E_OUT)/tsconfig.$$kind.json || exit 1; done
	@echo "tsc --strict: the usage files type-check against alltypes.d.ts, types.d.ts, wasi.d.ts, calls.d.ts, lean.d.ts and fset.d.ts, with the DOM lib and without"

# ---- Sanitizers: the compiler and the runtime again, with ASan and UBSan.
SAN_CC    := clang
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN      := $(BUILD)/asan

# The same rules as the normal build (Makefile, unit_test_rules above).
$(eval $(call compiler_rules,$(ASAN),$(SAN_CC),$(SAN_FLAGS)))
$(eval $(call runtime_rules,$(ASAN)/runtime,$(SAN_CC),$(SAN_FLAGS) $(WARN) -Werror,ar))
$(eval $(call unit_test_rules,$(ASAN),$(ASAN),$(ASAN)/runtime,$(SAN_CC),$(SAN_FLAGS)))
$(ASAN)/obj/main.o $(COMPILER_OBJ:$(BUILD)/%=$(ASAN)/%): | $(TEST_DEPS_STAMP) # the sanitizers' runtime

# Check forks each test; ASan's leak checker runs in every child.
check-asan: $(UNIT_TESTS:%=$(ASAN)/%) $(ASAN)/wasmgen
	@for t in $(UNIT_TESTS:%=$(ASAN)/%); do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1 $(LIMIT) "$$t (ASan)" 600 $$t || exit 1; done
	WASMGEN=$(ASAN)/wasmgen $(LIMIT) "check-asan (golden, diag)" 600 \
	  $(NODE_TEST) tests/cli/golden.test.mjs tests/cli/diag.test.mjs

# ---- Valgrind: the compiler over the golden corpus, no errors, no leaks.
check-valgrind: $(WASMGEN) | $(TEST_DEPS_STAMP)
	@out=$$(mktemp -d); for idl in tests/golden/*.idl examples/*/*.idl; do \
	  $(LIMIT) "valgrind $$idl" 120 valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=all $(WASMGEN) --emit h,c,js,dts,host -o $$out $$idl || { rm -rf $$out; exit 1; }; \
	  echo "valgrind: $$idl: no errors, no leaks"; done; rm -rf $$out

# ---- Fuzzing (not part of check): make fuzz FUZZ_SECONDS=600
FUZZ         := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(eval $(call compiler_rules,$(FUZZ),$(SAN_CC),$(FUZZ_FLAGS)))
$(COMPILER_OBJ:$(BUILD)/%=$(FUZZ)/%): | $(TEST_DEPS_STAMP) # libFuzzer
$(FUZZ)/fuzz_compile: tests/fuzz/fuzz_compile.c $(FUZZ)/libwasmgen-compiler.a
	$(SAN_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Icompiler $(DEPFLAGS) $(filter %.c %.a,$^) -o $@

# Then the model-based random test of the JS API (tests/e2e/model.test.mjs),
# long, with a new seed each time (it prints it: WG_MODEL_SEED replays it),
# and cjson's model of given, borrowed and detached nodes, a tenth as long.
MODEL_OPS  ?= 2000000
MODEL_SEED ?= $(shell date +%s)
fuzz: $(FUZZ)/fuzz_compile $(E2E_OUT)/model.wasm examples/cjson/out/cjson.wasm
	@mkdir -p $(FUZZ)/corpus
	@find . -name '*.idl' -not -path './build/*' -not -path '*/node_modules/*' -exec cp {} $(FUZZ)/corpus/ \;
	cd $(FUZZ) && ./fuzz_compile -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=65536 \
	  -print_final_stats=1 corpus
	E2E_OUT=$(E2E_OUT) WG_MODEL_OPS=$(MODEL_OPS) WG_MODEL_SEED=$(MODEL_SEED) \
	  $(NODE) --test --test-reporter=spec --expose-gc tests/e2e/model.test.mjs
	WG_CJSON_MODEL_STEPS=$$(($(MODEL_OPS) / 10)) WG_CJSON_MODEL_SEED=$(MODEL_SEED) \
	  $(NODE) --test --test-reporter=spec --expose-gc --test-name-pattern='random model' examples/cjson/cjson.test.mjs

# Replays every input the fuzzer ever broke the compiler with.
check-fuzz-regressions: $(FUZZ)/fuzz_compile
	$(LIMIT) check-fuzz-regressions 300 $(FUZZ)/fuzz_compile -runs=0 -timeout=30 \
	  tests/fuzz/regressions tests/golden tests/diag

# ---- Real browsers: examples/browser in headless Chromium and Firefox ESR
# (Debian's chromium and firefox-esr, in TEST_PACKAGES), driven by
# playwright-core and puppeteer-core (tests/browser/browsers.mjs; they never
# download a browser), served by tests/browser/serve.mjs on 127.0.0.1. A
# machine whose test-deps stamp predates firefox-esr gets it installed here.
BROWSER_WASM := examples/browser/out/browser.wasm
$(BROWSER_WASM): all
	$(MAKE) --no-print-directory -C examples/browser out/browser.wasm WASMGEN_HOME=$(CURDIR)

check-browser: $(BROWSER_WASM) $(TEST_TOOLS) | $(TEST_DEPS_STAMP)
	@[ -x /usr/bin/firefox-esr ] || { rm -f $(TEST_DEPS_STAMP); $(MAKE) --no-print-directory test-deps; }
	$(LIMIT) check-browser 300 $(NODE_TEST) tests/browser/browser.test.mjs

# ---- The test machinery: the time limits, on deliberately hanging tests; the
# mutation operators.
$(TEST_OUT)/limits_hang_check: tests/limits/fixtures/hang_check.c | $(TEST_DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Werror $< $(CHECK_LIBS) -o $@

check-tools: $(TEST_OUT)/limits_hang_check
	WG_NODE_TEST="$(NODE_TEST)" LIMITS_HANG_CHECK=$(TEST_OUT)/limits_hang_check \
	  $(LIMIT) check-tools 300 $(NODE_TEST) tests/limits/limits.test.mjs tests/mutate/cmutants.test.mjs

# make mutate (not part of check). Optional, so that a partial copy of the
# build files (tests/cli/newtype.test.mjs) still reads.
-include tests/mutate/mutate.mk

# ---- The native host (wasm2c): check-host.
include tests/host/host.mk

# ---- Shipping: examples/browser as an npm package with release settings
# (wasmgen.mk's wasmgen_package), packed, installed offline into a fresh
# project, used from Node, TypeScript and esbuild/Vite/webpack (tests/ship/).
SHIP_OUT := $(TEST_OUT)/ship
$(eval $(call wasmgen_package,browser,examples/browser/browser.idl,$(SHIP_OUT)/pkg,examples/browser/browser.c,@wasmgen-example/browser,1.2.3))

check-ship: $(SHIP_OUT)/pkg/browser.wasm $(BROWSER_WASM) $(TEST_TOOLS) | $(TEST_DEPS_STAMP)
	SHIP_OUT=$(SHIP_OUT) WASMGEN_BROWSERS=chromium $(LIMIT) check-ship 600 $(NODE_TEST) tests/ship/ship.test.mjs
# ---- Sizes: each example's JS bundled and minified by esbuild (the runtime's
# on-demand parts as chunks of their own), and its .wasm as built and with
# release settings; a module of numbers, strings and arrays ships none of the
# runtime's optional parts, under a ceiling (tests/ship/sizes.test.mjs).
# BENCHMARKS.md shows the table.
SIZES_OUT      := $(TEST_OUT)/sizes
SIZE_EXAMPLES  := arrays strings hello shapes browser
SIZES_RELEASE  := $(SIZE_EXAMPLES:%=$(SIZES_OUT)/release/%.wasm)
define size_release
$(SIZES_OUT)/release/$(1).wasm: examples/$(1)/out/$(1).wasm
	@mkdir -p $$(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_RELEASE_CFLAGS) $(WASMGEN_LINK) -I$(WASMGEN_INCLUDE) \
	  -Iexamples/$(1)/out examples/$(1)/out/$(1)_glue.c examples/$(1)/$(1).c -L$(WASMGEN_LIBDIR) -lwasmgen -o $$@
endef
$(foreach ex,$(SIZE_EXAMPLES),$(eval $(call size_release,$(ex))))

check-sizes: $(EXAMPLE_WASM) $(BROWSER_WASM) $(SIZES_RELEASE) $(TEST_TOOLS)
	SIZES_OUT=$(SIZES_OUT) SIZE_EXAMPLES='$(SIZE_EXAMPLES)' $(LIMIT) check-sizes 300 $(NODE_TEST) tests/ship/sizes.test.mjs
