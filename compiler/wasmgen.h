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

/* Which outputs to produce: bit i selects wg_emitters[i] (see emit.h). */
#define WG_EMIT_ALL 0xffu

/* Where each output goes as soon as it is made, instead of res->files (so
 * that only one is in memory at a time). A nonzero return stops the
 * compilation, which then returns that value. */
typedef int (*wg_sink)(void *ctx, const char *name, const char *data, size_t len);

typedef struct wg_options {
    unsigned emit;        /* WG_EMIT_ALL or a mask */
    bool inline_runtime;  /* paste the JS runtime into the .mjs */
    bool runtime_file;    /* also output wasmgen-runtime.mjs (when not inlined) */
    wg_sink sink;         /* NULL: keep the outputs in res->files */
    void *sink_ctx;
} wg_options;

typedef struct wg_file {
    char *name; /* a file name, no directory: arrays.h, arrays.mjs, ... */
    char *data;
    size_t len;
} wg_file;

#define WG_MAX_FILES 8

typedef struct wg_result {
    int nfiles;
    wg_file files[WG_MAX_FILES];
    char *diagnostics; /* NUL-terminated; empty when there are none */
    int errors;
} wg_result;

/* Compile `src` (len bytes, may hold NUL bytes) named `file` in messages.
 * Returns 0 and fills res->files (or feeds opt->sink) on success; 1 with
 * res->diagnostics and no files on any error in the input; the sink's value
 * if it fails. Always call wg_result_free afterwards. */
int wg_compile(const char *file, const char *src, size_t len, const wg_options *opt,
               wg_result *res);
void wg_result_free(wg_result *res);

/* The JS runtime and its declarations, embedded at build time. */
extern const char wg_runtime_js[];
extern const char wg_runtime_dts[];
#define WG_RUNTIME_JS_NAME "wasmgen-runtime.mjs"

#endif
