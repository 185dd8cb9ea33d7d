/* arrays.c - the implementation of arrays.idl. */
#include "arrays.h"

#include <stdlib.h>

wg_f64_array arrays_add(const double *a, size_t a_len, const double *b, size_t b_len) {
    size_t n = a_len < b_len ? a_len : b_len;
    wg_f64_array r = {malloc(n * sizeof(double)), n};
    if (!r.ptr)
        return (wg_f64_array){NULL, 0};
    for (size_t i = 0; i < n; i++)
        r.ptr[i] = a[i] + b[i];
    return r;
}

double arrays_sum(const double *values, size_t values_len) {
    double s = 0;
    for (size_t i = 0; i < values_len; i++)
        s += values[i];
    return s;
}

void arrays_add_into(const double *a, size_t a_len, const double *b, size_t b_len, double *result) {
    for (size_t i = 0; i < a_len; i++)
        result[i] = a[i] + (i < b_len ? b[i] : 0);
}

void arrays_scale(float *data, size_t data_len, float factor) {
    for (size_t i = 0; i < data_len; i++)
        data[i] *= factor;
}

int32_t arrays_divide(int32_t numerator, int32_t denominator, int32_t *remainder) {
    if (denominator == 0 || (numerator == INT32_MIN && denominator == -1)) {
        *remainder = 0;
        return 0;
    }
    *remainder = numerator % denominator;
    return numerator / denominator;
}

/* Reverses bytes; see examples/strings for a reverse that respects UTF-8. */
char *arrays_reverse(const char *text, size_t text_len) {
    char *r = malloc(text_len + 1);
    if (!r)
        return NULL;
    for (size_t i = 0; i < text_len; i++)
        r[i] = text[text_len - 1 - i];
    r[text_len] = '\0';
    return r;
}

uint64_t arrays_checksum(const uint8_t *bytes, size_t bytes_len) {
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < bytes_len; i++)
        h = (h ^ bytes[i]) * 1099511628211u;
    return h;
}

bool arrays_is_ascii(const char *text, size_t text_len) {
    for (size_t i = 0; i < text_len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return false;
    return true;
}
