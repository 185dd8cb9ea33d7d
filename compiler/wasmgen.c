/* wasmgen.c - the pipeline: parse -> check -> lower -> emit, in memory. */
#include "wasmgen.h"

#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "lower.h"
#include "parse.h"
#include "sema.h"

/* An output is made: to the sink, or kept in res (taking the buffer). */
static int put_file(wasmgen_result *res, const wasmgen_options *opt, const char *name, Buf *data) {
    if (opt->sink)
        return opt->sink(opt->sink_ctx, name, data->data ? data->data : "", data->len);
    wasmgen_file *f = &res->files[res->nfiles++];
    f->name = strdup(name);
    f->len = data->len;
    f->data = data->data ? data->data : calloc(1, 1);
    data->data = NULL;
    data->len = data->cap = 0;
    return 0;
}

int wasmgen_compile(const char *file, const char *src, size_t len, const wasmgen_options *opt,
               wasmgen_result *res) {
    memset(res, 0, sizeof *res);
    Buf diags = {0};
    Diag diag;
    diag_init(&diag, file, src, len, &diags);
    Arena *arena = arena_new();
    Module *m = arena_alloc(arena, sizeof *m);
    ParseCtx ctx = {.diag = &diag, .arena = arena, .module = m};

    if (len > WASMGEN_MAX_SOURCE)
        diag_error(&diag, (Loc){0}, WASMGEN_TOO_LARGE);
    bool ok = len <= WASMGEN_MAX_SOURCE && parse_idl(&ctx) && sema_check(m, arena, &diag);
    int rc = ok ? 0 : 1;
    if (ok) {
        lower_module(m, arena);
        /* The display name: the file's base name. */
        const char *base = strrchr(file, '/');
        EmitOptions eo = {base ? base + 1 : file, opt->inline_runtime, wasmgen_runtime_js, wasmgen_runtime_lean_js,
                          wasmgen_runtime_codecs_js, wasmgen_runtime_wasi_js,
                          wasmgen_runtime_unfreed_js, wasmgen_runtime_dts};
        Buf out = {0}; /* reused from one output to the next when there is a sink */
        bool js = false;
        for (size_t i = 0; i < emit_ntargets && rc == 0; i++) {
            if (!(opt->emit & (1u << i)))
                continue;
            if (emit_targets[i].on_request && opt->emit == WASMGEN_EMIT_ALL)
                continue; /* made only when asked for by name */
            js |= emit_targets[i].js_runtime;
            out.len = 0;
            emit_targets[i].emit(m, &eo, &out);
            char *name = arena_printf(arena, "%s%s", emit_targets[i].c_named ? m->c_prefix : m->name,
                                      emit_targets[i].suffix);
            rc = put_file(res, opt, name, &out);
        }
        bool runtime_file = js && opt->runtime_file && !opt->inline_runtime;
        if (rc == 0 && runtime_file) {
            out.len = 0;
            buf_puts(&out, wasmgen_runtime_js);
            buf_puts(&out, wasmgen_runtime_codecs_js);
            buf_puts(&out, wasmgen_runtime_js_exports);
            rc = put_file(res, opt, WASMGEN_RUNTIME_JS_NAME, &out);
            if (rc == 0) {
                out.len = 0;
                buf_puts(&out, wasmgen_runtime_wasi_file);
                rc = put_file(res, opt, WASMGEN_RUNTIME_WASI_NAME, &out);
            }
            if (rc == 0) {
                out.len = 0;
                buf_puts(&out, wasmgen_runtime_unfreed_file);
                rc = put_file(res, opt, WASMGEN_RUNTIME_UNFREED_NAME, &out);
            }
        }
        if (rc == 0 && opt->package) {
            PackageOptions po = {opt->package_name ? opt->package_name : emit_package_name(m, arena),
                                 opt->package_version ? opt->package_version : WASMGEN_PACKAGE_VERSION,
                                 !opt->inline_runtime};
            out.len = 0;
            emit_package(m, &po, &out);
            rc = put_file(res, opt, "package.json", &out);
        }
        buf_free(&out);
    }
    res->errors = diag.errors;
    res->diagnostics = diags.data ? diags.data : calloc(1, 1);
    arena_free(arena);
    return rc;
}

void wasmgen_result_free(wasmgen_result *res) {
    for (int i = 0; i < res->nfiles; i++) {
        free(res->files[i].name);
        free(res->files[i].data);
    }
    free(res->diagnostics);
    memset(res, 0, sizeof *res);
}

/* npm's rules: at most 214 characters, lowercase, URL-safe, not starting
 * with '.' or '_'; optionally @scope/ with the same rules. */
static bool valid_name_part(const char *s, size_t n) {
    if (n == 0 || s[0] == '.' || s[0] == '_')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'))
            return false;
    }
    return true;
}

bool wasmgen_valid_package_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 214)
        return false;
    if (name[0] == '@') {
        const char *slash = strchr(name, '/');
        if (!slash)
            return false;
        return valid_name_part(name + 1, (size_t)(slash - name - 1)) &&
               valid_name_part(slash + 1, strlen(slash + 1));
    }
    return valid_name_part(name, n);
}

/* A number of semver: digits, no leading zero. */
static const char *semver_number(const char *s) {
    if (*s < '0' || *s > '9')
        return NULL;
    if (*s == '0')
        return s + 1;
    while (*s >= '0' && *s <= '9')
        s++;
    return s;
}

/* Dot-separated identifiers of [0-9A-Za-z-]. */
static const char *semver_ids(const char *s) {
    for (;;) {
        const char *start = s;
        while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-')
            s++;
        if (s == start)
            return NULL;
        if (*s != '.')
            return s;
        s++;
    }
}

bool wasmgen_valid_version(const char *v) {
    for (int i = 0; i < 3; i++) {
        if (!(v = semver_number(v)))
            return false;
        if (i < 2 && *v++ != '.')
            return false;
    }
    if (*v == '-' && !(v = semver_ids(v + 1)))
        return false;
    if (*v == '+' && !(v = semver_ids(v + 1)))
        return false;
    return *v == '\0';
}
