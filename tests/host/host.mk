# host.mk - check-host: the native host (runtime/host/, wasmgen --emit host).
# Included by tests/tests.mk.
#
# Modules are built as a user builds them (wasmgen_module, then wasm2c through
# wasmgen_wasm2c); the Check suites run natively, then again with the runtime
# and the tests under ASan and UBSan (the translated code itself is not
# instrumented: it is wasm2c's, and its memory is the sandbox's).

.PHONY: check-host-wasi-signatures check-host-simd check-host-refusals

HOST_OUT := $(TEST_OUT)/host
WASMGEN_HOST_WARN := -std=c11 -Wall -Wextra -Werror -pedantic
HOST_T_CFLAGS := $(CFLAGS) -std=c11 -Wall -Wextra -Werror $(WASMGEN_HOST_RT_FLAGS) \
                 -Iruntime/host -I$(INCLUDE) -Itests/host -I$(HOST_OUT)

# rt: the runtime's own test module, called by hand (tests/host/rt_harness.h).
$(eval $(call wasmgen_module,rt,tests/host/rt.idl,$(HOST_OUT),tests/host/rt.c))
$(eval $(call wasmgen_wasm2c,rt,$(HOST_OUT)))

$(HOST_OUT)/%.wasm2c.o: $(HOST_OUT)/%.wasm2c.c
	$(CC) $(WASMGEN_HOST_CFLAGS) $(WASMGEN_HOST_RT_FLAGS) -Iruntime/host -I$(INCLUDE) -c $< -o $@

$(HOST_OUT)/test_host_rt: tests/host/test_host_rt.c tests/host/rt_harness.h $(HOST_OUT)/rt.wasm2c.o $(LIBHOST) \
                          | $(TEST_DEPS_STAMP)
	$(CC) $(HOST_T_CFLAGS) $< $(HOST_OUT)/rt.wasm2c.o $(LIBHOST) $(CHECK_LIBS) -lpthread -o $@

# types: the whole type system (tests/e2e/types.idl, the module the JS tests
# use) through the generated API; hostile: a module whose exports lie.
$(eval $(call wasmgen_host,types,tests/e2e/types.idl,$(E2E_OUT)))
$(eval $(call wasmgen_host,big,tests/e2e/big.idl,$(E2E_OUT)))
$(eval $(call wasmgen_host,fset,tests/e2e/fset.idl,$(E2E_OUT)))
$(HOST_OUT)/hostile.wasm: tests/host/hostile.c tests/host/host.mk $(LIBWASM)
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror $(WASMGEN_LINK) -I$(INCLUDE) $< \
	  -Wl,--wrap=wg__free_checked -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
$(eval $(call wasmgen_host,hostile,tests/host/hostile.idl,$(HOST_OUT)))
# bare: the runtime's exports written by hand, no libwasmgen.a (tests/host/bare.c).
$(HOST_OUT)/bare.wasm: tests/host/bare.c tests/host/host.mk | $(INCLUDE)/wasmgen_tables.h $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror -nostdlib -Wl,--no-entry \
	  $(WASMGEN_LINK) -I$(INCLUDE) $< -o $@
$(eval $(call wasmgen_host,bare,tests/host/bare.idl,$(HOST_OUT)))
# rt linked without -Wl,--stack-first (WASMGEN_LINK): the host refuses it, as JS does.
$(HOST_OUT)/heapfirst/rt.wasm: $(HOST_OUT)/rt.wasm
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_CFLAGS) -I$(WASMGEN_INCLUDE) \
	  -I$(HOST_OUT) $(HOST_OUT)/rt_glue.c tests/host/rt.c -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
$(eval $(call wasmgen_wasm2c,rt,$(HOST_OUT)/heapfirst))
$(HOST_OUT)/v999/rt.wasm: $(HOST_OUT)/rt.wasm $(E2E_OUT)/alltypes_v999.wasm
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_CFLAGS) $(WASMGEN_LINK) \
	  -I$(WASMGEN_INCLUDE) -I$(HOST_OUT) $(HOST_OUT)/rt_glue.c tests/host/rt.c $(E2E_OUT)/v999/wg_queue.o \
	  -L$(WASMGEN_LIBDIR) -lwasmgen -o $@
$(eval $(call wasmgen_wasm2c,rt,$(HOST_OUT)/v999))

# The same, with ASan and UBSan on the runtime (the Makefile's host_rules) and the test.
HOST_ASAN := $(ASAN)/host
$(eval $(call host_rules,$(HOST_ASAN),$(SAN_CC),$(SAN_FLAGS)))
$(HOST_SRC:runtime/host/%.c=$(HOST_ASAN)/%.o): | $(TEST_DEPS_STAMP) # the sanitizers' runtime
$(HOST_ASAN)/test_host_rt: tests/host/test_host_rt.c tests/host/rt_harness.h $(HOST_OUT)/rt.wasm2c.o \
                           $(HOST_ASAN)/libwasmgen-host.a
	$(SAN_CC) $(SAN_FLAGS) $(filter-out $(CFLAGS),$(HOST_T_CFLAGS)) $< $(HOST_OUT)/rt.wasm2c.o \
	  $(HOST_ASAN)/libwasmgen-host.a $(CHECK_LIBS) -lpthread -o $@

# A module importing a WASI function with the wrong signature: its host code
# must not compile (wasmgen-wasi.h declares every WASI function).
$(HOST_OUT)/wasi_bad.wasm: tests/host/wasi_bad.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -O2 -nostdlib -Wl,--no-entry $< -o $@
$(eval $(call wasmgen_wasm2c,wasi_bad,$(HOST_OUT)))

check-host-wasi-signatures: $(HOST_OUT)/wasi_bad.wasm2c.h | $(INCLUDE)/wasmgen_tables.h $(INCLUDE)/wasmgen_host_tables.h
	@if $(CC) -fsyntax-only -Iruntime/host -I$(INCLUDE) -I$(HOST_OUT) tests/host/wasi_bad_host.c 2>$(HOST_OUT)/wasi_bad.log; then \
	  echo "a WASI import with the wrong signature compiled" >&2; exit 1; fi
	@grep -q "conflicting types for .*Z_wasi_snapshot_preview1Z_fd_write" $(HOST_OUT)/wasi_bad.log || \
	  { cat $(HOST_OUT)/wasi_bad.log >&2; exit 1; }
	@echo "wasmgen-wasi.h: a WASI import with the wrong signature is a compile error"

# A SIMD module: refused before wasm2c, with a message that says why.
$(HOST_OUT)/simd.wasm: tests/host/simd.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(WASMGEN_CC) --target=wasm32-wasi -O2 -msimd128 -nostdlib -Wl,--no-entry $< -o $@
$(eval $(call wasmgen_wasm2c,simd,$(HOST_OUT)))

check-host-simd: $(HOST_OUT)/simd.wasm
	@if $(MAKE) --no-print-directory $(HOST_OUT)/simd.wasm2c.c >$(HOST_OUT)/simd.log 2>&1; then \
	  echo "a SIMD module went through wasm2c" >&2; exit 1; fi
	@grep -q "simd.wasm uses SIMD (-msimd128), which wasm2c cannot translate" $(HOST_OUT)/simd.log || \
	  { cat $(HOST_OUT)/simd.log >&2; exit 1; }
	@echo "wasmgen_wasm2c: a SIMD module is refused with a message"

# What the host does not do stops the compilation of NAME_host.h with the
# reason: user-pointer names, names the API would declare twice (ev.idl: a
# callback and a function `run`, its one #error left: its structs, results,
# buffers and lent resources have a host form, test_host_cbs runs them).
# model.idl (stored and resources' callbacks), calls.idl (imports with
# buffers, structs, struct and array results) and corners.idl (an import
# given a struct holding lists) are not refused: their headers compile.
check-host-refusals: $(WASMGEN)
	@rm -rf $(HOST_OUT)/refused && mkdir -p $(HOST_OUT)/refused
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/e2e/model.idl
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/e2e/corners.idl
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/bind/ev.idl
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/e2e/calls.idl
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/host/refused_user.idl
	@$(WASMGEN) --emit host -o $(HOST_OUT)/refused tests/host/refused_cb_user.idl
	@grep -q "does not support 'red' yet: its parameter 'user' is named like the host callback's user pointer" \
	  $(HOST_OUT)/refused/ru_host.h || { cat $(HOST_OUT)/refused/ru_host.h >&2; exit 1; }
	@grep -q "does not support 'named' yet: its parameter 'fn_user' is named like the host API's user pointer" \
	  $(HOST_OUT)/refused/rc_host.h || { cat $(HOST_OUT)/refused/rc_host.h >&2; exit 1; }
	@for h in model calls corners; do \
	  ! grep -q "#error" $(HOST_OUT)/refused/$${h}_host.h || { cat $(HOST_OUT)/refused/$${h}_host.h >&2; exit 1; }; \
	  $(CC) -fsyntax-only -Iruntime/host -I$(INCLUDE) -x c $(HOST_OUT)/refused/$${h}_host.h || exit 1; done
	@grep -q "#error \"wasmgen: two declarations would be named ev_host_run" \
	  $(HOST_OUT)/refused/ev_host.h || { cat $(HOST_OUT)/refused/ev_host.h >&2; exit 1; }
	@test "$$(grep -c '#error' $(HOST_OUT)/refused/ev_host.h)" = 1 || { grep '#error' $(HOST_OUT)/refused/ev_host.h >&2; exit 1; }
	@if $(CC) -fsyntax-only -Iruntime/host -I$(INCLUDE) -x c $(HOST_OUT)/refused/ru_host.h 2>/dev/null; then \
	  echo "a refused module's host header compiled" >&2; exit 1; fi
	@echo "wasmgen --emit host: user-pointer names and names declared twice are refused with a reason; model.idl's callbacks, calls.idl's and corners.idl's imports are not"

# A test of a module's generated API: $(call host_api_test,TEST,NAME,OUTDIR)
# links tests/host/TEST.c with OUTDIR/NAME_host.a, and again with the
# generated NAME_host.c, the runtime and the test under ASan and UBSan.
define host_api_test
$(HOST_OUT)/$(1): tests/host/$(1).c $(3)/$(2)_host.a $(LIBHOST) | $(TEST_DEPS_STAMP)
	$(CC) $(HOST_T_CFLAGS) -I$(3) $$< $(3)/$(2)_host.a $(LIBHOST) $(CHECK_LIBS) -lpthread -lm -o $$@
$(HOST_ASAN)/$(1): tests/host/$(1).c $(3)/$(2)_host.c $(3)/$(2).wasm2c.o $(HOST_ASAN)/libwasmgen-host.a
	$(SAN_CC) $(SAN_FLAGS) $(filter-out $(CFLAGS),$(HOST_T_CFLAGS)) -I$(3) $$< $(3)/$(2)_host.c \
	  $(3)/$(2).wasm2c.o $(HOST_ASAN)/libwasmgen-host.a $(CHECK_LIBS) -lpthread -lm -o $$@
HOST_TESTS += $(HOST_OUT)/$(1)
HOST_ASAN_TESTS += $(HOST_ASAN)/$(1)
endef

HOST_TESTS := $(HOST_OUT)/test_host_rt
HOST_ASAN_TESTS := $(HOST_ASAN)/test_host_rt
# rt linked wrong, refused (test_host_linked.c): without -Wl,--stack-first, and
# with a libwasmgen.a of runtime version 999 (tests.mk's v999/wg_queue.o).
COMMA := ,
define host_linked_test
$(HOST_OUT)/test_host_$(1): tests/host/test_host_linked.c tests/host/rt_harness.h \
                            $(HOST_OUT)/$(1)/rt.wasm2c.o $(LIBHOST) | $(TEST_DEPS_STAMP)
	$(CC) $(HOST_T_CFLAGS) -Wno-unused-function -DEXPECT='$(2)' -I$(HOST_OUT)/$(1) $$< \
	  $(HOST_OUT)/$(1)/rt.wasm2c.o $(LIBHOST) $(CHECK_LIBS) -lpthread -o $$@
HOST_TESTS += $(HOST_OUT)/test_host_$(1)
endef
$(eval $(call host_linked_test,heapfirst,"linked without -Wl$(COMMA)--stack-first"))
$(eval $(call host_linked_test,v999,"runtime version 999"))
$(eval $(call host_api_test,test_host_types,types,$(E2E_OUT)))
$(eval $(call host_api_test,test_host_fset,fset,$(E2E_OUT)))
$(eval $(call host_api_test,test_host_hostile,hostile,$(HOST_OUT)))
$(eval $(call host_api_test,test_host_bare,bare,$(HOST_OUT)))
$(eval $(call host_api_test,test_host_big,big,$(E2E_OUT)))
# cbs: call-scoped callbacks (tests/host/cbs.idl, cbs.c).
$(eval $(call wasmgen_module,cbs,tests/host/cbs.idl,$(HOST_OUT),tests/host/cbs.c))
$(eval $(call wasmgen_host,cbs,tests/host/cbs.idl,$(HOST_OUT)))
$(eval $(call host_api_test,test_host_cbs,cbs,$(HOST_OUT)))
# imps: imports through the native host (tests/host/imps.idl, imps.c).
$(eval $(call wasmgen_module,imps,tests/host/imps.idl,$(HOST_OUT),tests/host/imps.c))
$(eval $(call wasmgen_host,imps,tests/host/imps.idl,$(HOST_OUT)))
$(eval $(call host_api_test,test_host_imps,imps,$(HOST_OUT)))
# lend: a library that lends its objects to callbacks (tests/host/lendlib.h), bound as it is.
$(eval $(call wasmgen_module,lend,tests/host/lend.idl,$(HOST_OUT),tests/host/lendlib.c))
$(HOST_OUT)/lend.wasm: WASMGEN_CFLAGS += -Itests/host
$(eval $(call wasmgen_host,lend,tests/host/lend.idl,$(HOST_OUT)))
$(eval $(call host_api_test,test_host_lend,lend,$(HOST_OUT)))
# bind: a library bound as it is (tests/bind/tk.h), through the native host.
$(eval $(call wasmgen_host,tk,tests/bind/tk.idl,$(BIND_OUT)))
$(eval $(call host_api_test,test_host_bind,tk,$(BIND_OUT)))

# The examples' native demos (examples/*/host.c), built by their Makefiles.
HOST_EXAMPLES := arrays strings hello shapes browser lz4 zlib cjson qsort expat md4c
HOST_DEMOS := $(foreach ex,$(HOST_EXAMPLES),examples/$(ex)/out/$(ex)_demo)
$(HOST_DEMOS): all
	$(MAKE) --no-print-directory -C $(dir $(@D)) out/$(notdir $@) WASMGEN_HOME=$(CURDIR)

check-host: $(HOST_TESTS) $(HOST_ASAN_TESTS) $(HOST_DEMOS) $(EXAMPLE_WASM) $(BROWSER_WASM) \
            check-host-wasi-signatures check-host-simd check-host-refusals
	@for t in $(HOST_TESTS); do echo "== $$t"; $(LIMIT) $$t 300 $$t || exit 1; done
	@for t in $(HOST_ASAN_TESTS); do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1 $(LIMIT) $$t 300 $$t || exit 1; done
	$(LIMIT) check-host-examples 120 $(NODE_TEST) tests/host/examples.test.mjs
