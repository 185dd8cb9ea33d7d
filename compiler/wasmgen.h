/*
 * wasmgen.h - the compiler as a library: IDL text in, generated files out,
 * all in memory. main.c is a thin CLI over this; tests and the fuzzer call
 * it directly.
 */
#ifndef WASMGEN_LIB_H
#define WASMGEN_LIB_H

#include <stdbool.h>
#include <stddef.h>

#define WASMGEN_VERSION "0.1.0"

/* Which outputs to produce: bit i selects emit_targets[i] (see emit.h). */
#define WASMGEN_EMIT_ALL 0xffu /* every output but those made on request (the native host's) */
#define WASMGEN_EMIT_EVERY 0x1ffu /* every output, those made on request too */

/* Where each output goes as soon as it is made, instead of res->files (so
 * that only one is in memory at a time). A nonzero return stops the
 * compilation, which then returns that value. */
typedef int (*wasmgen_sink)(void *ctx, const char *name, const char *data, size_t len);

typedef struct wasmgen_options {
    unsigned emit;        /* WASMGEN_EMIT_ALL or a mask */
    bool inline_runtime;  /* paste the JS runtime into the .mjs */
    bool runtime_file;    /* also output wasmgen-runtime.mjs (when not inlined) */
    bool package;         /* also output package.json (see emit_pkg.c) */
    const char *package_name;    /* NULL: the module's name, lowercased */
    const char *package_version; /* NULL: WASMGEN_PACKAGE_VERSION */
    wasmgen_sink sink;         /* NULL: keep the outputs in res->files */
    void *sink_ctx;
} wasmgen_options;

typedef struct wasmgen_file {
    char *name; /* a file name, no directory: arrays.h, arrays.mjs, ... */
    char *data;
    size_t len;
} wasmgen_file;

#define WASMGEN_MAX_FILES 12

typedef struct wasmgen_result {
    int nfiles;
    wasmgen_file files[WASMGEN_MAX_FILES];
    char *diagnostics; /* NUL-terminated; empty when there are none */
    int errors;
} wasmgen_result;

/* The longest source wasmgen_compile reads, in bytes (1 GiB - 1): a longer
 * one is an error, WASMGEN_TOO_LARGE, before any of it is read. So every
 * position in it (a 32-bit byte offset, an int line and column) and its
 * length as the lexer takes it (an int) fit. */
#define WASMGEN_MAX_SOURCE (((size_t)1 << 30) - 1)
#define WASMGEN_TOO_LARGE "too large: a source must be under 1 GiB"

/* Compile `src` (len bytes, may hold NUL bytes) named `file` in messages.
 * Returns 0 and fills res->files (or feeds opt->sink) on success; 1 with
 * res->diagnostics and no files on any error in the input; the sink's value
 * if it fails. Always call wasmgen_result_free afterwards. */
int wasmgen_compile(const char *file, const char *src, size_t len, const wasmgen_options *opt,
               wasmgen_result *res);
void wasmgen_result_free(wasmgen_result *res);

/* The JS runtime and its declarations, embedded at build time (joined from
 * runtime/js/). wasmgen_runtime_js is what --js-runtime=inline pastes; the file
 * WASMGEN_RUNTIME_JS_NAME is it followed by wasmgen_runtime_js_exports. */
extern const char wasmgen_runtime_js[];
/* What --js-runtime=inline pastes into a module whose JS can meet no handle:
 * the same without the handles' parts (runtime/js/wasmgen-runtime-lean.mjs). */
extern const char wasmgen_runtime_lean_js[];
extern const char wasmgen_runtime_js_exports[];
/* The codecs, joined apart (runtime/js/wasmgen-codecs.mjs): in the file
 * between the two above; inline mode pastes them only where used. */
extern const char wasmgen_runtime_codecs_js[];
/* WASI, joined apart (runtime/js/wasmgen-wasi.mjs): the text inline mode
 * pastes after the runtime's, and the file WASMGEN_RUNTIME_WASI_NAME. */
extern const char wasmgen_runtime_wasi_js[];
extern const char wasmgen_runtime_wasi_file[];
#define WASMGEN_RUNTIME_WASI_NAME "wasmgen-wasi.mjs"
/* What only handles nobody frees need, and options.debug's tools, joined
 * apart (runtime/js/wasmgen-unfreed.mjs): the text inline mode pastes after
 * the runtime's, and the file WASMGEN_RUNTIME_UNFREED_NAME, which the
 * runtime file loads on demand. */
extern const char wasmgen_runtime_unfreed_js[];
extern const char wasmgen_runtime_unfreed_file[];
#define WASMGEN_RUNTIME_UNFREED_NAME "wasmgen-unfreed.mjs"
extern const char wasmgen_runtime_dts[];
#define WASMGEN_RUNTIME_JS_NAME "wasmgen-runtime.mjs"
#define WASMGEN_PACKAGE_VERSION "1.0.0"

/* Whether `name` is a valid npm package name, `version` a semantic version. */
bool wasmgen_valid_package_name(const char *name);
bool wasmgen_valid_version(const char *version);

#endif
