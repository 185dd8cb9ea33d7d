/*
 * host_bench.c - workload 10 of BENCHMARKS.md: calls through the native host
 * (bench_host.h: bench.wasm translated by wasm2c, sandboxed) against the
 * same C functions compiled natively and called directly (bench.c, in its
 * own object file, as a library would be). Like bench/harness.mjs: each
 * round times the two sides back to back (A B, then B A), each a batch of
 * about 15 ms (4 ms with QUICK=1) after a warm-up; the ratio is the median
 * over rounds. Prints one JSON object per workload on stdout, for run.mjs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bench_host.h"

static bench_host *h;
static volatile double sink;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef void (*workload)(long n);

static char text16[17] = "0123456789abcdef";
static double values[1024];

static void host_add(long n) {
    int32_t r, acc = 0;
    for (long i = 0; i < n; i++) {
        bench_host_add(h, (int32_t)i, 1, &r);
        acc += r;
    }
    sink += acc;
}
static void native_add(long n) {
    int32_t acc = 0;
    for (long i = 0; i < n; i++)
        acc += bench_add((int32_t)i, 1);
    sink += acc;
}
static void host_reverse(long n) {
    for (long i = 0; i < n; i++) {
        char *r;
        bench_host_reverse(h, text16, 16, &r);
        sink += r[0];
        free(r);
    }
}
static void host_reverse_view(long n) {
    for (long i = 0; i < n; i++) {
        const char *r;
        size_t len;
        bench_host_reverse_view(h, text16, 16, &r, &len);
        sink += r[0];
    }
}
static void native_reverse(long n) {
    for (long i = 0; i < n; i++) {
        char *r = bench_reverse(text16, 16);
        sink += r[0];
        free(r);
    }
}
static void host_sum(long n) {
    for (long i = 0; i < n; i++) {
        double d;
        bench_host_sum(h, values, 1024, &d);
        sink += d;
    }
}
static void native_sum(long n) {
    for (long i = 0; i < n; i++)
        sink += bench_sum(values, 1024);
}

static double run(workload w, long n) {
    double t0 = now_ms();
    w(n);
    return now_ms() - t0;
}

static long calibrate(workload w, double ms) {
    for (long n = 1;; n *= 4) {
        double t = run(w, n);
        if (t >= ms / 4 || n >= 1L << 28)
            return (long)fmax(1, n * ms / fmax(t, 1e-3));
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A against B: per-op times and the median ratio, as a JSON line. */
static void pair(const char *key, workload a, workload b, int quick) {
    int rounds = quick ? 9 : 31;
    double batch = quick ? 4 : 15, warm = quick ? 30 : 150;
    for (double end = now_ms() + warm; now_ms() < end;) {
        run(a, 8);
        run(b, 8);
    }
    long na = calibrate(a, batch), nb = calibrate(b, batch);
    double ratios[64], ta[64], tb[64];
    for (int r = 0; r < rounds; r++) {
        double x, y;
        if (r % 2 == 0) {
            x = run(a, na);
            y = run(b, nb);
        } else {
            y = run(b, nb);
            x = run(a, na);
        }
        ta[r] = x / na * 1e6;
        tb[r] = y / nb * 1e6;
        ratios[r] = ta[r] / tb[r];
    }
    double lo = ratios[0], hi = ratios[0];
    for (int r = 1; r < rounds; r++) {
        lo = fmin(lo, ratios[r]);
        hi = fmax(hi, ratios[r]);
    }
    printf("{\"key\":\"%s\",\"median\":%.4f,\"min\":%.4f,\"max\":%.4f,\"rounds\":%d,\"nsPerOpA\":%.3f,\"nsPerOpB\":%.3f}\n",
           key, median(ratios, rounds), lo, hi, rounds, median(ta, rounds), median(tb, rounds));
    fflush(stdout);
}

int main(void) {
    int quick = getenv("QUICK") && strcmp(getenv("QUICK"), "1") == 0;
    if (bench_host_new(&h, NULL) != WG_HOST_OK) {
        fprintf(stderr, "host_bench: %s\n", bench_host_error(NULL));
        return 1;
    }
    for (int i = 0; i < 1024; i++)
        values[i] = (i % 1000) / 7.0;
    /* The two sides agree before anything is timed. */
    int32_t r;
    double d;
    char *s;
    if (bench_host_add(h, 40, 2, &r) || r != bench_add(40, 2) || bench_host_sum(h, values, 1024, &d) ||
        d != bench_sum(values, 1024) || bench_host_reverse(h, text16, 16, &s) || strcmp(s, "fedcba9876543210")) {
        fprintf(stderr, "host_bench: the host and the native functions disagree\n");
        return 1;
    }
    free(s);
    pair("host_scalar_vs_native", host_add, native_add, quick);
    pair("host_string_16_vs_native", host_reverse, native_reverse, quick);
    pair("host_string_16_view_vs_native", host_reverse_view, native_reverse, quick);
    pair("host_array_in_1k_vs_native", host_sum, native_sum, quick);
    bench_host_free(h);
    return 0;
}
