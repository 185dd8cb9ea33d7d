/* bench.c - the C functions every peer calls (see bench.idl). */
#include "bench.h"

#include <stdlib.h>

int32_t bench_add(int32_t a, int32_t b) {
    return a + b;
}

char *bench_reverse(const char *text, size_t text_len) {
    char *r = malloc(text_len + 1);
    if (!r)
        return NULL;
    for (size_t i = 0; i < text_len; i++)
        r[i] = text[text_len - 1 - i];
    r[text_len] = '\0';
    return r;
}

double bench_sum(const double *values, size_t values_len) {
    double s = 0;
    for (size_t i = 0; i < values_len; i++)
        s += values[i];
    return s;
}

/* The cost measured is handing the buffer over, not filling it. */
wg_u8_array bench_make(uint32_t n) {
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        return (wg_u8_array){NULL, 0};
    if (n) {
        p[0] = 1;
        p[n - 1] = 2;
    }
    return (wg_u8_array){p, n};
}

wg_f64_array bench_vadd(const double *a, size_t a_len, const double *b, size_t b_len) {
    size_t n = a_len < b_len ? a_len : b_len;
    double *r = malloc(n * sizeof *r + 1);
    if (!r)
        return (wg_f64_array){NULL, 0};
    for (size_t i = 0; i < n; i++)
        r[i] = a[i] + b[i];
    return (wg_f64_array){r, n};
}

wg_f64_array bench_vscale(const double *a, size_t a_len, double k) {
    double *r = malloc(a_len * sizeof *r + 1);
    if (!r)
        return (wg_f64_array){NULL, 0};
    for (size_t i = 0; i < a_len; i++)
        r[i] = a[i] * k;
    return (wg_f64_array){r, a_len};
}

bench_item_array bench_items(uint32_t n) {
    bench_item *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return (bench_item_array){NULL, 0};
    for (uint32_t i = 0; i < n; i++) {
        char *s = malloc(16);
        if (!s) {
            for (uint32_t j = 0; j < i; j++)
                free((void *)v[j].label);
            free(v);
            return (bench_item_array){NULL, 0};
        }
        /* "item-" and the decimal digits of i */
        char digits[12];
        int k = 0;
        uint32_t x = i;
        do {
            digits[k++] = (char)('0' + x % 10);
            x /= 10;
        } while (x);
        int len = 0;
        for (const char *p = "item-"; *p; p++)
            s[len++] = *p;
        while (k)
            s[len++] = digits[--k];
        s[len] = '\0';
        v[i].score = i * 0.5;
        v[i].label = s;
        v[i].label_len = (size_t)len;
        v[i].grade = (bench_grade)(i % 3);
    }
    return (bench_item_array){v, n};
}

wg_u8_array bench_image(uint32_t width, uint32_t height) {
    size_t n = (size_t)width * height * 4;
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        return (wg_u8_array){NULL, 0};
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7);
    return (wg_u8_array){p, n};
}

uint32_t bench_bytesum(const uint8_t *data, size_t data_len) {
    uint32_t s = 0;
    for (size_t i = 0; i < data_len; i++)
        s += data[i];
    return s;
}
