/* cbs.c - the implementation of cbs.idl: C calling the host's callbacks. */
#include "cbs.h"

#include <string.h>

double cbs_fold(const double *xs, size_t xs_len, double init, cbs_op how, cbs_reducer fn, void *fn_data) {
    double acc = init;
    for (size_t i = 0; i < xs_len; i++)
        acc = fn(fn_data, acc, xs[i], how);
    return acc;
}

uint32_t cbs_count(const int32_t *xs, size_t xs_len, cbs_keep fn) {
    uint32_t n = 0;
    for (size_t i = 0; i < xs_len; i++)
        n += fn(xs[i]) ? 1 : 0;
    return n;
}

uint32_t cbs_count_opt(const int32_t *xs, size_t xs_len, cbs_keep fn) {
    return fn ? cbs_count(xs, xs_len, fn) : (uint32_t)xs_len;
}

cbs_op cbs_choose_for(const char *name, size_t name_len, cbs_choose fn, void *fn_data) {
    if (name_len == 5 && memcmp(name, "null!", 5) == 0) /* as a buggy library might: NULL for a string */
        return fn(fn_data, NULL, NULL, 0);
    if (name_len >= 256 && memcmp(name, "misalign", 8) == 0) { /* a long name, then a misaligned array */
        static int32_t parts[3];
        return fn(fn_data, name, (const int32_t *)(const void *)((const char *)parts + 1), 2);
    }
    int32_t parts[2] = {(int32_t)name_len, name_len ? (unsigned char)name[0] : -1};
    char copy[64];
    size_t n = name_len < sizeof copy - 1 ? name_len : sizeof copy - 1;
    memcpy(copy, name, n);
    copy[n] = '\0';
    return fn(fn_data, copy, parts, 2);
}

uint32_t cbs_each(uint32_t n, cbs_visit fn, void *fn_data) {
    for (uint32_t i = 0; i < n; i++)
        fn(fn_data, i);
    return n;
}

static cbs_reducer kept;
static void *kept_data;

double cbs_keep_for_later(cbs_reducer fn, void *fn_data) {
    kept = fn;
    kept_data = fn_data;
    return fn(fn_data, 0, 1, CBS_OP_ADD);
}

double cbs_recall(double acc, double x) { return kept ? kept(kept_data, acc, x, CBS_OP_ADD) : __builtin_nan(""); }

double cbs_fold_recall(double acc, double x, cbs_reducer fn, void *fn_data) {
    acc = fn(fn_data, acc, x, CBS_OP_ADD);
    return cbs_recall(acc, x);
}
