/* wasmgen.c - the pipeline: parse -> check -> emit, in memory. */
#include "wasmgen.h"

#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "parse.h"
#include "sema.h"

static void add_file(wg_result *res, const char *name, Buf *data) {
    wg_file *f = &res->files[res->nfiles++];
    f->name = strdup(name);
    f->len = data->len;
    f->data = data->data ? data->data : calloc(1, 1);
    data->data = NULL;
    data->len = data->cap = 0;
}

int wg_compile(const char *file, const char *src, size_t len, const wg_options *opt,
               wg_result *res) {
    memset(res, 0, sizeof *res);
    Buf diags = {0};
    Diag diag;
    diag_init(&diag, file, src, len, &diags);
    Arena *arena = arena_new();
    Module *m = arena_alloc(arena, sizeof *m);
    ParseCtx ctx = {.diag = &diag, .arena = arena, .module = m};

    bool ok = wg_parse(&ctx) && wg_check(m, arena, &diag);
    if (ok) {
        /* The display name: the file's base name. */
        const char *base = strrchr(file, '/');
        EmitOptions eo = {base ? base + 1 : file, opt->inline_runtime, wg_runtime_js,
                          wg_runtime_dts};
        for (size_t i = 0; i < wg_nemitters; i++) {
            if (!(opt->emit & (1u << i)))
                continue;
            Buf out = {0};
            wg_emitters[i].emit(m, &eo, &out);
            char *name = arena_printf(arena, "%s%s", m->name, wg_emitters[i].suffix);
            add_file(res, name, &out);
        }
        bool js = false;
        for (size_t i = 0; i < wg_nemitters; i++)
            if ((opt->emit & (1u << i)) && wg_emitters[i].emit == emit_js)
                js = true;
        if (js && opt->runtime_file && !opt->inline_runtime) {
            Buf rt = {0};
            buf_puts(&rt, wg_runtime_js);
            add_file(res, WG_RUNTIME_JS_NAME, &rt);
        }
    }
    res->errors = diag.errors;
    res->diagnostics = diags.data ? diags.data : calloc(1, 1);
    arena_free(arena);
    return ok ? 0 : 1;
}

void wg_result_free(wg_result *res) {
    for (int i = 0; i < res->nfiles; i++) {
        free(res->files[i].name);
        free(res->files[i].data);
    }
    free(res->diagnostics);
    memset(res, 0, sizeof *res);
}
