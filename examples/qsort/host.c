// host.c - demo.mjs again, natively: wasi-libc's qsort, compiled to wasm and
// run sandboxed through wasm2c, called through the generated C API with C
// comparators (`make run-host` here; make check compares its output with
// demo.mjs's). A comparator is a plain C function given the `void *` passed
// beside it; it may call into the instance again (the digit-sum comparator
// sorts each number's digits with the same instance).
#include <stdio.h>
#include <stdlib.h>

#include "qsort_host.h"

static int fail(qsort_host *m) {
    fprintf(stderr, "%s\n", qsort_host_error(m));
    return 1;
}

static int32_t ascending(void *user, int32_t a, int32_t b) {
    (void)user;
    return a < b ? -1 : a > b;
}

static int32_t descending(void *user, double a, double b) {
    (void)user;
    return b < a ? -1 : b > a; /* Math.sign(b - a) */
}

/* A number as JS prints it: the shortest decimal that reads back the same. */
static void print_number(double v) {
    char text[32];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    fputs(text, stdout);
}

/* The digit-sum comparator's state: the instance it sorts with, its count. */
typedef struct {
    qsort_host *m;
    int calls;
    int status; /* the first failure of a nested sort */
} digit_sort;

static int32_t digit_sum(digit_sort *s, int32_t n) {
    int32_t digits[12];
    size_t count = 0;
    char text[16];
    snprintf(text, sizeof text, "%d", (int)n);
    for (const char *c = text; *c; c++)
        digits[count++] = *c - '0';
    int status = qsort_host_sort_i32(s->m, digits, count, ascending, NULL); /* a sort inside the sort */
    if (status != WG_HOST_OK && s->status == WG_HOST_OK)
        s->status = status;
    int32_t sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += digits[i];
    return sum;
}

static int32_t by_digit_sum(void *user, int32_t a, int32_t b) {
    digit_sort *s = user;
    s->calls++;
    int32_t d = digit_sum(s, a) - digit_sum(s, b);
    return d != 0 ? d : a - b;
}

int main(void) {
    qsort_host *m = NULL;
    if (qsort_host_new(&m, NULL) != WG_HOST_OK)
        return fail(NULL);

    int32_t numbers[] = {42, -7, 19, 0, 3, 3, -100};
    size_t n = sizeof numbers / sizeof numbers[0];
    if (qsort_host_sort_i32(m, numbers, n, ascending, NULL) != WG_HOST_OK)
        return fail(m);
    printf("ascending:");
    for (size_t i = 0; i < n; i++)
        printf(" %d", (int)numbers[i]);
    printf("\n");

    double prices[] = {9.99, 0.5, 3.25, 12, 0.05};
    n = sizeof prices / sizeof prices[0];
    if (qsort_host_sort_f64(m, prices, n, descending, NULL) != WG_HOST_OK)
        return fail(m);
    printf("descending: ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            printf(" ");
        print_number(prices[i]);
    }
    printf("\n");

    digit_sort s = {m, 0, WG_HOST_OK};
    int32_t by_digits[] = {91, 18, 5, 230, 44};
    n = sizeof by_digits / sizeof by_digits[0];
    if (qsort_host_sort_i32(m, by_digits, n, by_digit_sum, &s) != WG_HOST_OK || s.status != WG_HOST_OK)
        return fail(m);
    printf("by digit sum:");
    for (size_t i = 0; i < n; i++)
        printf(" %d", (int)by_digits[i]);
    printf(" (%d comparisons)\n", s.calls);

    qsort_host_free(m);
    return 0;
}
