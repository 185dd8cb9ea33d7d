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

# $(call wasmgen_outputs,NAME,OUTDIR): what wasmgen writes for module NAME.
# (It also writes OUTDIR/wasmgen-runtime.mjs, which modules in one directory
# share, so it is not a target of any one module.)
wasmgen_outputs = $(2)/$(or $(3),$(1)).h $(2)/$(1)_glue.c $(2)/$(1).mjs $(2)/$(1).d.ts $(2)/$(1).d.mts

# $(call wasmgen_module,NAME,IDL,OUTDIR,SOURCES[,C_PREFIX]): rules for OUTDIR/NAME.wasm.
define wasmgen_module
$(call wasmgen_outputs,$(1),$(3),$(5)) &: $(2) $(WASMGEN)
	@mkdir -p $(3)
	$(WASMGEN) $(WASMGEN_FLAGS) -o $(3) $(2)

$(3)/$(1).wasm: $(call wasmgen_outputs,$(1),$(3),$(5)) $(4) $(WASMGEN_LIBDIR)/libwasmgen.a
	$(WASMGEN_CC) --target=wasm32-wasi -mexec-model=reactor $$(WASMGEN_CFLAGS) \
	  -I$(WASMGEN_INCLUDE) -I$(3) $(3)/$(1)_glue.c $(4) -L$(WASMGEN_LIBDIR) -lwasmgen -o $$@
endef
