/*
 * raw.c - plain C-ABI exports of bench.c, linked into the same module as
 * wasmgen's glue. The hand-written peer calls them directly; the
 * @jetblack/wasi-marshalling peer calls them through its FunctionPrototypes
 * (which pass strings NUL-terminated and arrays as pointer + length, and
 * read array results by a length it is told).
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define RAW(name) __attribute__((export_name(#name), visibility("default")))

RAW(raw_malloc) void *raw_malloc(size_t n);
RAW(raw_free) void raw_free(void *p);
RAW(raw_add) int32_t raw_add(int32_t a, int32_t b);
RAW(raw_reverse) char *raw_reverse(const char *s, size_t n);
RAW(raw_reverse_z) char *raw_reverse_z(const char *s);
RAW(raw_sum) double raw_sum(const double *v, size_t n);
RAW(raw_make) uint8_t *raw_make(uint32_t n);
RAW(raw_vadd) double *raw_vadd(const double *a, const double *b, size_t n);
RAW(raw_vscale) double *raw_vscale(const double *a, size_t n, double k);

void *raw_malloc(size_t n) { return malloc(n); }
void raw_free(void *p) { free(p); }
int32_t raw_add(int32_t a, int32_t b) { return bench_add(a, b); }
char *raw_reverse(const char *s, size_t n) { return bench_reverse(s, n); }
char *raw_reverse_z(const char *s) { return bench_reverse(s, strlen(s)); }
double raw_sum(const double *v, size_t n) { return bench_sum(v, n); }
uint8_t *raw_make(uint32_t n) { return bench_make(n).ptr; }
double *raw_vadd(const double *a, const double *b, size_t n) { return bench_vadd(a, n, b, n).ptr; }
double *raw_vscale(const double *a, size_t n, double k) { return bench_vscale(a, n, k).ptr; }

/* The struct list's C side alone: build the n items, then free them. */
RAW(raw_items_free) uint32_t raw_items_free(uint32_t n);
uint32_t raw_items_free(uint32_t n) {
    bench_item_array a = bench_items(n);
    for (size_t i = 0; i < a.len; i++)
        free((void *)a.ptr[i].label);
    free(a.ptr);
    return (uint32_t)a.len;
}
RAW(raw_image) uint8_t *raw_image(uint32_t w, uint32_t h);
uint8_t *raw_image(uint32_t w, uint32_t h) { return bench_image(w, h).ptr; }
