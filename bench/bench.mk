# bench.mk - `make bench` (QUICK=1 for a run under a minute). Included by the
# top Makefile; never part of `make check`. See BENCHMARKS.md.
#
# Installs what it needs: the Debian packages below when missing, and the npm
# peers pinned in bench/package-lock.json into bench/node_modules.

BENCH_OUT   := $(BUILD)/bench
BENCH_DEBS  := emscripten node-acorn python3-ply time
BENCH_STAMP := $(BENCH_OUT)/.deps
BENCH_NPM   := bench/node_modules/.installed
# Debian's node-acorn lives in /usr/share/nodejs, which a Node not from Debian
# does not search; emcc's optimizer needs it.
BENCH_EMCC  := NODE_PATH=/usr/share/nodejs emcc
# The WebIDL binder imports ply, which Debian's emscripten does not ship (nor
# depend on): python3-ply, for Debian's python3 (not whatever is first on PATH).
BENCH_IDLPY := /usr/bin/python3 /usr/share/emscripten/tools/webidl_binder.py

$(BENCH_STAMP): | $(DEPS_STAMP)
	$(call apt_install,$(BENCH_DEBS))

$(BENCH_NPM): bench/package.json bench/package-lock.json | $(DEPS_STAMP)
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The wasmgen module: bench.c behind the generated glue, plus raw.c's plain
# exports of the same functions for the hand-written and jetblack peers; and
# calls.idl, calls.c: workload 13, C calling JS.
BENCH_SAVED_CFLAGS := $(WASMGEN_CFLAGS)
WASMGEN_CFLAGS := -O2 -Wall -Wextra -Werror
$(eval $(call wasmgen_module,bench,bench/bench.idl,$(BENCH_OUT)/gen,bench/bench.c bench/raw.c))
$(eval $(call wasmgen_module,calls,bench/calls.idl,$(BENCH_OUT)/calls,bench/calls.c))
WASMGEN_CFLAGS := $(BENCH_SAVED_CFLAGS)

# Workload 10: the same module through the native host (wasm2c), against
# bench.c compiled natively and called directly.
$(eval $(call wasmgen_host,bench,bench/bench.idl,$(BENCH_OUT)/gen))
$(BENCH_OUT)/native/bench.o: bench/bench.c $(BENCH_OUT)/gen/bench.h
	@mkdir -p $(@D)
	$(CC) -O2 -I$(INCLUDE) -I$(BENCH_OUT)/gen -c $< -o $@
$(BENCH_OUT)/host_bench: bench/host_bench.c $(BENCH_OUT)/native/bench.o $(BENCH_OUT)/gen/bench_host.a $(LIBHOST)
	$(CC) -O2 -Wall -Wextra -Werror $(WASMGEN_HOST_INCLUDES) -I$(BENCH_OUT)/gen $< $(BENCH_OUT)/native/bench.o \
	  $(BENCH_OUT)/gen/bench_host.a $(WASMGEN_HOST_LIBS) -o $@

# The Embind peer. If emcc fails, the reason is kept and the run goes on.
$(BENCH_OUT)/embind/bench_embind.js: bench/peers/embind.cpp bench/bench.c $(BENCH_OUT)/gen/bench.h $(INCLUDE)/wasmgen.h \
                                     $(INCLUDE)/wasmgen_tables.h | $(BENCH_STAMP)
	@mkdir -p $(@D) && rm -f $(@D)/FAILED
	$(BENCH_EMCC) -O2 --bind -I$(INCLUDE) -I$(BENCH_OUT)/gen -s MODULARIZE=1 -s ENVIRONMENT=node \
	  -s ALLOW_MEMORY_GROWTH=1 bench/bench.c bench/peers/embind.cpp -o $@ 2>$(@D)/emcc.log \
	  || { cp $(@D)/emcc.log $(@D)/FAILED; echo "bench: emcc failed; see $(@D)/FAILED"; rm -f $@; }

# The WebIDL binder peer: webidl_binder.py writes glue.cpp (included by
# webidl.cpp) and glue.js (--post-js). The glue calls Module._malloc/_free.
# Failures are kept in FAILED, as for Embind.
BENCH_WEBIDL := $(BENCH_OUT)/webidl
$(BENCH_WEBIDL)/bench_webidl.js: bench/peers/webidl.idl bench/peers/webidl.cpp bench/bench.c $(BENCH_OUT)/gen/bench.h \
                                 $(INCLUDE)/wasmgen.h $(INCLUDE)/wasmgen_tables.h | $(BENCH_STAMP)
	@mkdir -p $(@D) && rm -f $(@D)/FAILED
	{ $(BENCH_IDLPY) bench/peers/webidl.idl $(@D)/glue && \
	  $(BENCH_EMCC) -O2 -I$(INCLUDE) -I$(BENCH_OUT)/gen -I$(@D) -s MODULARIZE=1 -s ENVIRONMENT=node \
	    -s ALLOW_MEMORY_GROWTH=1 -s EXPORTED_FUNCTIONS=_malloc,_free --post-js $(@D)/glue.js \
	    bench/bench.c bench/peers/webidl.cpp -o $@; } >$(@D)/build.log 2>&1 \
	  || { cp $(@D)/build.log $(@D)/FAILED; echo "bench: the WebIDL binder peer failed; see $(@D)/FAILED"; rm -f $@; }

# The jco peers: bench.c behind hand-written canonical-ABI exports (jco.c), a
# core module with wasmgen's allocator and no imports; then, for every jco
# pinned in bench/package.json, embedded with jco.wit, made a component and
# transpiled (jco-build.mjs). If clang fails, or a jco version does, the
# reason is kept in build/bench/jco/FAILED (or <version>/FAILED) and the run
# goes on without it.
$(BENCH_OUT)/jco/.built: bench/peers/jco.c bench/peers/jco.wit bench/peers/jco-build.mjs bench/bench.c \
                         $(BENCH_OUT)/gen/bench.h $(LIBWASM) $(BENCH_NPM)
	@rm -rf $(@D) && mkdir -p $(@D)
	$(WASM_CC) --target=wasm32-wasi -nostartfiles -Wl,--no-entry -O2 -Wall -Wextra -Werror -I$(INCLUDE) -I$(BENCH_OUT)/gen \
	  bench/bench.c bench/peers/jco.c -L$(BUILD)/wasm32 -lwasmgen -o $(@D)/bench.core.wasm 2>$(@D)/clang.log \
	  || { cp $(@D)/clang.log $(@D)/FAILED; echo "bench: the jco peers' core module failed; see $(@D)/FAILED"; }
	test -f $(@D)/FAILED || $(NODE) bench/peers/jco-build.mjs $(@D)/bench.core.wasm bench/peers/jco.wit $(@D) 2>$(@D)/build.log \
	  || { cp $(@D)/build.log $(@D)/FAILED; echo "bench: jco-build.mjs failed; see $(@D)/FAILED"; }
	@touch $@

# Workload 8: one allocation trace, with wasmgen's allocator and with dlmalloc.
$(BENCH_OUT)/alloc_wasmgen.wasm: bench/alloc_trace.c $(LIBWASM)
	@mkdir -p $(@D)
	$(WASM_CC) --target=wasm32-wasi -mexec-model=reactor -O2 $< -L$(BUILD)/wasm32 -lwasmgen -o $@
$(BENCH_OUT)/alloc_dlmalloc.wasm: bench/alloc_trace.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(WASM_CC) --target=wasm32-wasi -mexec-model=reactor -O2 $< -o $@

# Workload 10's handles: cJSON (examples/cjson, built by its Makefile) through
# the native host, trees of 10,000 and 100,000 nodes.
$(BENCH_OUT)/host_handles: bench/host_handles.c all
	$(MAKE) --no-print-directory -C examples/cjson out/cjson_host.a WASMGEN_HOME=$(CURDIR)
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $(WASMGEN_HOST_INCLUDES) -Iexamples/cjson/out $< examples/cjson/out/cjson_host.a \
	  $(WASMGEN_HOST_LIBS) -o $@

BENCH_INPUTS := $(BENCH_OUT)/gen/bench.wasm $(BENCH_OUT)/calls/calls.wasm $(BENCH_OUT)/host_bench $(BENCH_OUT)/host_handles $(BENCH_OUT)/alloc_wasmgen.wasm $(BENCH_OUT)/alloc_dlmalloc.wasm \
                $(BENCH_OUT)/embind/bench_embind.js $(BENCH_WEBIDL)/bench_webidl.js $(BENCH_OUT)/jco/.built $(BENCH_NPM) $(BENCH_STAMP)

bench: all $(BENCH_INPUTS)
	QUICK=$(QUICK) BENCH_OUT=$(BENCH_OUT) WASMGEN=$(WASMGEN) $(NODE) --expose-gc bench/run.mjs
