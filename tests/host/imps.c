/* imps.c - the implementation of imps.idl: C calling the host's imports. */
#include "imps.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

uint32_t imps_read_sum(uint32_t cap) {
    if (cap == 999) /* a buffer out of wasm memory, as a buggy library might pass */
        return imps_fill((uint8_t *)(uintptr_t)0xfffffff0u, 64);
    uint8_t buf[64] = {0};
    if (cap > sizeof buf)
        cap = sizeof buf;
    uint32_t n = imps_fill(buf, cap);
    uint32_t sum = 1000 * n;
    for (uint32_t i = 0; i < n && i < cap; i++)
        sum += buf[i];
    return sum;
}

wg_f64_array imps_scaled(const double *v, size_t v_len, double k) {
    wg_f64_array r = {malloc(v_len ? v_len * sizeof *v : 1), v_len};
    if (r.ptr == NULL) {
        r.len = 0;
        return r;
    }
    for (size_t i = 0; i < v_len; i++)
        r.ptr[i] = v[i];
    imps_scale(r.ptr, r.len, k);
    return r;
}

double imps_norm_of(double x, double y, int32_t mode) {
    imps_vec v = {x, y};
    if (mode == 1)
        return imps_norm(v, NULL, 0);
    if (mode == 2)
        return imps_norm(v, (const char *)(uintptr_t)0xfffffff0u, 100);
    return imps_norm(v, "abc", 3);
}

double imps_make_of(double x, double y) {
    imps_vec v = imps_make(x, y);
    return v.x * 10 + v.y;
}

double imps_series_sum(uint32_t n) {
    wg_f64_array s = imps_series(n);
    double sum = 1000.0 * (double)s.len;
    for (size_t i = 0; i < s.len; i++)
        sum += s.ptr[i];
    free(s.ptr);
    return sum;
}

int32_t imps_mark_all(const double *xs, size_t xs_len) {
    int32_t marks[16] = {0};
    size_t n = xs_len < 16 ? xs_len : 16;
    imps_vec at = {1, 2};
    int32_t r = imps_mark(at, xs, n, marks, n);
    for (size_t i = 0; i < n; i++)
        r += 100 * marks[i];
    return r;
}

double imps_weigh_of(int32_t mode) {
    if (mode == 2) { /* nothing of C's heap: the failed call does not return here to free it */
        static double w2[1] = {1};
        imps_tag bad = {(char *)(uintptr_t)0xfffffff0u, 100, w2, 1, NULL, 0, {1, 2}};
        return imps_weigh(bad);
    }
    char *name = malloc(4);
    double *w = malloc(3 * sizeof *w);
    if (name == NULL || w == NULL)
        return -2;
    memcpy(name, "abc", 4);
    w[0] = 1, w[1] = 2, w[2] = 3;
    imps_tag t = {name, 3, w, 3, NULL, 0, {1, 2}};
    if (mode == 1)
        t.name = NULL, t.name_len = 0, t.w = NULL, t.w_len = 0;
    double r = imps_weigh(t);
    bool same = memcmp(name, "abc", 4) == 0 && w[0] == 1 && w[1] == 2 && w[2] == 3;
    free(name);
    free(w);
    return same ? r : -1;
}

double imps_pack_of(int32_t mode) {
    if (mode == 2) { /* nothing of C's heap: the failed call does not return here to free it */
        static wg_str bad[1] = {{(const char *)(uintptr_t)0xfffffff0u, 4}};
        imps_crate c = {bad, 1, NULL, 0, NULL, 0};
        return imps_pack(c);
    }
    wg_str *labels = malloc(2 * sizeof *labels);
    char *a = malloc(2), *bc = malloc(3), *t = malloc(2);
    double *w = malloc(2 * sizeof *w);
    imps_tag *tags = malloc(sizeof *tags);
    imps_vec *path = malloc(2 * sizeof *path);
    if (!labels || !a || !bc || !t || !w || !tags || !path)
        return -2;
    memcpy(a, "a", 2), memcpy(bc, "bc", 3), memcpy(t, "t", 2);
    labels[0] = (wg_str){a, 1}, labels[1] = (wg_str){bc, 2};
    w[0] = 1, w[1] = 2;
    tags[0] = (imps_tag){t, 1, w, 2, NULL, 0, {5, 6}};
    path[0] = (imps_vec){1, 2}, path[1] = (imps_vec){3, 4};
    imps_crate c = {labels, 2, tags, 1, path, 2};
    if (mode == 1)
        c = (imps_crate){NULL, 0, NULL, 0, NULL, 0};
    double r = imps_pack(c);
    bool same = strcmp(a, "a") == 0 && strcmp(bc, "bc") == 0 && strcmp(t, "t") == 0 && w[1] == 2 &&
                tags[0].w_len == 2 && path[1].y == 4 && labels[1].len == 2;
    free(labels), free(a), free(bc), free(t), free(w), free(tags), free(path);
    return same ? r : -1;
}
