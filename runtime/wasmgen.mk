# wasmgen.mk - Makefile rules for building a wasm module with wasmgen.
#
# In your Makefile:
#
#   WASMGEN_HOME := /usr/local          # an install prefix, or a wasmgen source tree
#   include $(WASMGEN_HOME)/share/wasmgen/wasmgen.mk   # or runtime/wasmgen.mk in a tree
#   $(eval $(call wasmgen_module,NAME,NAME.idl,OUTDIR,impl.c more.c[,C_PREFIX]))
#
# That defines OUTDIR/NAME.{h,_glue.c,mjs,d.ts} (from wasmgen) and
# OUTDIR/NAME.wasm (from clang, with the glue, your sources and libwasmgen.a).
# An IDL that says `c_prefix P;` names its header P.h: pass P as C_PREFIX.
#
#   $(eval $(call wasmgen_package,NAME,NAME.idl,PKGDIR,impl.c,PKGNAME,VERSION))
#
# makes PKGDIR an npm package instead: wasmgen --package (PKGNAME and VERSION
# may be left empty: the module's name, 1.0.0) and NAME.wasm built with the
# release settings WASMGEN_RELEASE_CFLAGS (-O2, -DNDEBUG, debug info
# stripped). `cd PKGDIR && npm pack` then makes the tarball.

WASMGEN_HOME ?= /usr/local
ifneq ($(wildcard $(WASMGEN_HOME)/runtime/wasmgen.h),)
WASMGEN         ?= $(WASMGEN_HOME)/build/wasmgen
WASMGEN_INCLUDE ?= $(WASMGEN_HOME)/build/include
WASMGEN_LIBDIR  ?= $(WASMGEN_HOME)/build/wasm32
else
WASMGEN         ?= $(WASMGEN_HOME)/bin/wasmgen
WASMGEN_INCLUDE ?= $(WASMGEN_HOME)/include
WASMGEN_LIBDIR  ?= $(WASMGEN_HOME)/lib/wasm32-wasi
endif
WASMGEN_CC      ?= clang
WASMGEN_CFLAGS  ?= -O2
WASMGEN_FLAGS   ?=
WASMGEN_RELEASE_CFLAGS ?= -O2 -DNDEBUG -Wl,--strip-debug
# Always linked so: the C stack at the bottom of memory, so that running out
# of it (C recursing, or JS nesting calls through imports and callbacks)
# traps below address 0 instead of overwriting the module's data above it.
WASMGEN_LINK := -Wl,--stack-first
# This file: what it links with is a prerequisite of what it links.
WASMGEN_MK := $(lastword $(MAKEFILE_LIST))

# $(call wasmgen_outputs,NAME,OUTDIR): what wasmgen writes for module NAME.
# (It also writes OUTDIR/wasmgen-runtime.mjs, wasmgen-wasi.mjs and wasmgen-unfreed.mjs, which modules in one directory
# share, so it is not a target of any one module.)
wasmgen_outputs = $(2)/$(or $(3),$(1)).h $(2)/$(1)_glue.c $(2)/$(1).mjs $(2)/$(1).d.ts $(2)/$(1).d.mts

# $(call wasmgen_module,NAME,IDL,OUTDIR,SOURCES[,C_PREFIX]): rules for OUTDIR/NAME.wasm.
# When your Makefile has no target of its own before it, `make` alone builds
# OUTDIR/NAME.wasm (these rules never make a generated header the default).
define wasmgen_module
$(if $(.DEFAULT_GOAL),,.DEFAULT_GOAL := $(3)/$(1).wasm)
$(call wasmgen_outputs,$(1),$(3),$(5)) &: $(2) $(WASMGEN)
	@mkdir -p $(3)
	$(WASMGEN) $(WASMGEN_FLAGS) -o $(3) $(2)

$(3)/$(1).wasm: $(call wasmgen_outputs,$(1),$(3),$(5)) $(4) $(WASMGEN_LIBDIR)/libwasmgen.a $(WASMGEN_MK)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $$(WASMGEN_CFLAGS) $(WASMGEN_LINK) \
	  -I$(WASMGEN_INCLUDE) -I$(3) $(3)/$(1)_glue.c $(4) -L$(WASMGEN_LIBDIR) -lwasmgen -o $$@
endef

# ---- The native host: the same module, run natively through wasm2c.
#
#   $(eval $(call wasmgen_host,NAME,NAME.idl,OUTDIR))
#
# after wasmgen_module's rules for the same NAME and OUTDIR, defines
#   OUTDIR/NAME_host.h, OUTDIR/NAME_host.c   the typed API (wasmgen --emit host)
#   OUTDIR/NAME.wasm2c.c, OUTDIR/NAME.wasm2c.h  wasm2c's translation of NAME.wasm
#                                            (a dot no IDL name has: never NAME.h)
#   OUTDIR/NAME_host.a                       both compiled; link your program with
#     it and $(WASMGEN_HOST_LIBS), compiling with $(WASMGEN_HOST_INCLUDES) -IOUTDIR.
#
#   $(eval $(call wasmgen_host_program,PROGRAM,SOURCES,NAME,OUTDIR))
#
# builds PROGRAM from your C SOURCES, which include NAME_host.h, linked with
# OUTDIR/NAME_host.a and the host runtime (the examples' host.c demos).
#
# The translated code and libwasmgen-host.a must agree on wasm-rt.h's
# configuration (guard pages and the signal handler catch out-of-bounds
# accesses and stack overflow): WASMGEN_HOST_RT_FLAGS, not to be overridden.
# SIMD (-msimd128) is refused before wasm2c, which cannot translate it.
ifneq ($(wildcard $(WASMGEN_HOME)/runtime/wasmgen.h),)
WASMGEN_HOST_INCLUDE ?= $(WASMGEN_HOME)/runtime/host
WASMGEN_HOST_LIBDIR  ?= $(WASMGEN_HOME)/build/host
else
WASMGEN_HOST_INCLUDE ?= $(WASMGEN_HOME)/include
WASMGEN_HOST_LIBDIR  ?= $(WASMGEN_HOME)/lib
endif
WASM2C               ?= wasm2c
WASM_VALIDATE        ?= wasm-validate
WASMGEN_HOST_CC      ?= cc
WASMGEN_HOST_CFLAGS  ?= -O2
WASMGEN_HOST_WARN    ?=   # warnings for NAME_host.c (not wasm2c's output, which has its own)
WASMGEN_HOST_RT_FLAGS := -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -DWASM_RT_USE_STACK_DEPTH_COUNT=0 \
                         -fstack-clash-protection
WASMGEN_HOST_INCLUDES = -I$(WASMGEN_HOST_INCLUDE) -I$(WASMGEN_INCLUDE)
WASMGEN_HOST_LIBS     = -L$(WASMGEN_HOST_LIBDIR) -lwasmgen-host -lpthread -lm

# $(call wasmgen_wasm2c,NAME,OUTDIR): OUTDIR/NAME.wasm2c.{c,h} from OUTDIR/NAME.wasm.
define wasmgen_wasm2c
$(2)/$(1).wasm2c.c $(2)/$(1).wasm2c.h &: $(2)/$(1).wasm
	@$(WASM_VALIDATE) $$< || { echo "wasmgen: $$< is not a valid wasm module" >&2; exit 1; }
	@$(WASM_VALIDATE) --disable-simd $$< >/dev/null 2>&1 || { \
	  echo "wasmgen: $$< uses SIMD (-msimd128), which wasm2c cannot translate: build the module" \
	       "for the native host without -msimd128" >&2; exit 1; }
	$(WASM2C) -n $(1) $$< -o $(2)/$(1).wasm2c.c
endef

define wasmgen_host_program
$(1): $(2) $(4)/$(3)_host.a $(WASMGEN_HOST_LIBDIR)/libwasmgen-host.a
	$$(WASMGEN_HOST_CC) $$(WASMGEN_HOST_CFLAGS) $$(WASMGEN_HOST_INCLUDES) -I$(4) $(2) $(4)/$(3)_host.a \
	  $$(WASMGEN_HOST_LIBS) -o $$@
endef

define wasmgen_host
$(call wasmgen_wasm2c,$(1),$(3))

$(3)/$(1)_host.h $(3)/$(1)_host.c &: $(2) $(WASMGEN)
	@mkdir -p $(3)
	$(WASMGEN) --emit host -o $(3) $(2)

$(3)/$(1).wasm2c.o: $(3)/$(1).wasm2c.c $(3)/$(1).wasm2c.h
	$(WASMGEN_HOST_CC) $(WASMGEN_HOST_CFLAGS) $(WASMGEN_HOST_RT_FLAGS) $(WASMGEN_HOST_INCLUDES) \
	  -c $$< -o $$@

$(3)/$(1)_host.o: $(3)/$(1)_host.c $(3)/$(1)_host.h $(3)/$(1).wasm2c.h $(WASMGEN_HOST_LIBDIR)/libwasmgen-host.a
	$(WASMGEN_HOST_CC) $(WASMGEN_HOST_CFLAGS) $(WASMGEN_HOST_WARN) $(WASMGEN_HOST_RT_FLAGS) \
	  $(WASMGEN_HOST_INCLUDES) -I$(3) -c $$< -o $$@

$(3)/$(1)_host.a: $(3)/$(1).wasm2c.o $(3)/$(1)_host.o
	@rm -f $$@
	ar rcs $$@ $$^
endef

# $(call wasmgen_package,NAME,IDL,PKGDIR,SOURCES,PKGNAME,VERSION): rules for an
# npm package in PKGDIR (its package.json and NAME.wasm, release settings).
define wasmgen_package
$(if $(.DEFAULT_GOAL),,.DEFAULT_GOAL := $(3)/$(1).wasm)
$(call wasmgen_outputs,$(1),$(3)) $(3)/package.json &: $(2) $(WASMGEN)
	@mkdir -p $(3)
	$(WASMGEN) $(WASMGEN_FLAGS) --package $(if $(5),--package-name '$(5)') $(if $(6),--package-version '$(6)') -o $(3) $(2)

$(3)/$(1).wasm: $(call wasmgen_outputs,$(1),$(3)) $(3)/package.json $(4) $(WASMGEN_LIBDIR)/libwasmgen.a $(WASMGEN_MK)
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $(WASMGEN_RELEASE_CFLAGS) $(WASMGEN_LINK) \
	  -I$(WASMGEN_INCLUDE) -I$(3) $(3)/$(1)_glue.c $(4) -L$(WASMGEN_LIBDIR) -lwasmgen -o $$@
endef
