/* browser.c - the implementation of browser.idl: plain C and libc, nothing
 * browser-specific. */
#include "browser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *browser_greet(const char *name, size_t name_len) {
    printf("greet(%.*s)\n", (int)name_len, name);
    size_t n = name_len + sizeof "Hello, !";
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "Hello, %.*s!", (int)name_len, name);
    return r;
}

char *browser_reverse(const char *text, size_t text_len) {
    char *r = malloc(text_len + 1);
    if (!r)
        return NULL;
    size_t o = text_len;
    for (size_t i = 0; i < text_len;) {
        size_t n = 1; /* the length of the UTF-8 sequence at i */
        while (i + n < text_len && ((unsigned char)text[i + n] & 0xC0) == 0x80)
            n++;
        o -= n;
        memcpy(r + o, text + i, n);
        i += n;
    }
    r[text_len] = '\0';
    return r;
}

wg_f64_array browser_add(const double *a, size_t a_len, const double *b, size_t b_len) {
    size_t n = a_len < b_len ? a_len : b_len;
    wg_f64_array r = {malloc(n ? n * sizeof(double) : 1), n};
    if (!r.ptr)
        r.len = 0;
    for (size_t i = 0; i < r.len; i++)
        r.ptr[i] = a[i] + b[i];
    return r;
}

double browser_sum(const double *values, size_t values_len) {
    double s = 0;
    for (size_t i = 0; i < values_len; i++)
        s += values[i];
    return s;
}

void browser_scale(float *data, size_t data_len, float factor) {
    for (size_t i = 0; i < data_len; i++)
        data[i] *= factor;
}

int32_t browser_divide(int32_t numerator, int32_t denominator, int32_t *remainder) {
    if (denominator == 0) {
        *remainder = 0;
        return 0;
    }
    *remainder = numerator % denominator;
    return numerator / denominator;
}

void browser_log_lines(uint32_t count) {
    for (uint32_t i = 1; i <= count; i++)
        printf("line %u of %u\n", (unsigned)i, (unsigned)count);
    fprintf(stderr, "log_lines: printed %u lines\n", (unsigned)count);
}

char *browser_env(const char *name, size_t name_len) {
    (void)name_len;
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

double browser_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

wg_u8_array browser_random_bytes(uint32_t n) {
    wg_u8_array r = {malloc(n ? n : 1), n};
    if (!r.ptr)
        r.len = 0;
    else
        arc4random_buf(r.ptr, n);
    return r;
}

browser_point browser_midpoint(browser_point a, browser_point b) {
    return (browser_point){(a.x + b.x) / 2, (a.y + b.y) / 2};
}

struct browser_tally {
    double total;
};

browser_tally *browser_tally_new(double start) {
    browser_tally *t = malloc(sizeof *t);
    if (t)
        t->total = start;
    return t;
}

double browser_tally_add(browser_tally *self, double amount) { return self->total += amount; }

browser_shade browser_tally_mood(browser_tally *self) {
    return self->total < 0 ? BROWSER_SHADE_DARK : BROWSER_SHADE_LIGHT;
}

void browser_tally_drop(browser_tally *self) { free(self); }
