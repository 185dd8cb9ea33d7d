/* calls.c - the implementation of calls.idl (own convention: callbacks and imports). */
#include "calls.h"

#include <stdlib.h>
#include <string.h>

double calls_fold(const double *xs, size_t xs_len, double init, calls_op how, calls_reducer fn, void *fn_data) {
    double acc = init;
    for (size_t i = 0; i < xs_len; i++)
        acc = fn(fn_data, acc, xs[i], how);
    return acc;
}

wg_i32_array calls_filter(const int32_t *xs, size_t xs_len, calls_keep fn) {
    wg_i32_array r = {malloc(xs_len ? xs_len * sizeof *xs : 1), 0};
    for (size_t i = 0; r.ptr && i < xs_len; i++)
        if (fn(xs[i]))
            r.ptr[r.len++] = xs[i];
    return r;
}

char *calls_labels(const wg_str *names, size_t names_len, calls_label fn, void *fn_data) {
    char *out = calloc(1, 1);
    size_t len = 0;
    for (size_t i = 0; i < names_len && out; i++) {
        int32_t parts[2] = {(int32_t)i, (int32_t)names[i].len};
        char *s = fn(fn_data, names[i].ptr, parts, 2);
        size_t k = s ? strlen(s) : 0;
        char *bigger = realloc(out, len + k + 2);
        if (bigger) {
            out = bigger;
            if (len)
                out[len++] = ' ';
            memcpy(out + len, s ? s : "", k + 1);
            len += k;
        }
        free(s);
    }
    return out;
}

static calls_reducer kept;
static void *kept_data;

void calls_remember(calls_reducer fn, void *fn_data) {
    kept = fn;
    kept_data = fn_data;
}

double calls_recall(double acc, double x) { return kept ? kept(kept_data, acc, x, CALLS_OP_ADD) : __builtin_nan(""); }

void calls_forget(void) {
    kept = NULL;
    kept_data = NULL;
}

char *calls_read_all(uint32_t chunk) {
    size_t len = 0;
    char *out = malloc(1);
    unsigned char *buf = malloc(chunk ? chunk : 1);
    for (;;) {
        memset(buf, 0xAA, chunk);
        uint32_t got = calls_read(buf, chunk);
        if (got == 0 || got > chunk || !out)
            break;
        char *bigger = realloc(out, len + got + 1);
        if (!bigger)
            break;
        out = bigger;
        memcpy(out + len, buf, got);
        len += got;
    }
    free(buf);
    if (out)
        out[len] = '\0';
    return out;
}

wg_f64_array calls_scaled(const double *v, size_t v_len, double k) {
    wg_f64_array r = {malloc(v_len ? v_len * sizeof *v : 1), v_len};
    if (r.ptr) {
        memcpy(r.ptr, v, v_len * sizeof *v);
        calls_scale(r.ptr, v_len, k);
    }
    return r;
}

double calls_norm_of(double x, double y) { return calls_norm(calls_make(x, y)); }

double calls_series_sum(uint32_t n, uint32_t *count) {
    wg_f64_array s = calls_series(n);
    double sum = 0;
    for (size_t i = 0; i < s.len; i++)
        sum += s.ptr[i];
    *count = (uint32_t)s.len;
    free(s.ptr);
    return sum;
}

char *calls_lookup_or(const char *key, size_t key_len) {
    char *s = calls_lookup(key, key_len);
    if (s)
        return s;
    char *none = malloc(7);
    if (none)
        memcpy(none, "(none)", 7);
    return none;
}

char *calls_tag_text(const char *name, size_t name_len, double x, double y) {
    calls_tag t = {name, name_len, {x, y}};
    return calls_describe(t);
}
