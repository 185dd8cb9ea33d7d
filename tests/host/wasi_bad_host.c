// wasi_bad_host.c - host code for wasi_bad.c's module: must fail to compile.
#include "wasi_bad.wasm2c.h"
#include "wasmgen-host-glue.h"
