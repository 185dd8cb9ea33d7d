/*
 * host_handles.c - workload 10's handles (BENCHMARKS.md): what the native
 * host's bookkeeping of owners costs as handles pile up. A host builds a
 * cJSON array of N numbers through the generated C API (examples/cjson,
 * cJSON sandboxed through wasm2c): each number made (an owned handle, in a
 * module that borrows: wg_host_own), given to the array (`append`: its
 * handle borrowed from the array's), every 16th taken out again
 * (`detach_item`: a new owner) and freed; then every handle freed, the
 * borrowed ones first, the array last. The time per number at N = 100,000
 * over that at N = 10,000 is 1 when each operation costs the same however
 * many handles are live (10 if each walked them all). Rounds alternate the
 * two sizes; the ratio is the median of each round's. Prints one JSON
 * object per line on stdout, as host_bench does, for run.mjs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cjson_host.h"

static cjson_host *j;

static void check(int status) {
    if (status != WG_HOST_OK) {
        fprintf(stderr, "host_handles: %s (%s)\n", cjson_host_error(j), wg_host_status_name(status));
        exit(1);
    }
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ns per number for a tree of n. */
static double build(long n, cjson_host_node **h) {
    double t0 = now_ms();
    cjson_host_node *root = NULL;
    check(cjson_host_node_array(j, &root));
    long k = 0;
    for (long i = 0; i < n; i++) {
        check(cjson_host_node_number(j, (double)i, &h[k]));
        check(cjson_host_node_append(j, root, h[k++]));
        if (i % 16 == 15) { /* the first element taken out: a new owner, then freed with its other handle */
            cjson_host_node *taken = NULL;
            check(cjson_host_node_detach_item(j, root, 0, &taken));
            check(cjson_host_node_free(j, taken));
        }
    }
    for (long i = 0; i < k; i++)
        check(cjson_host_node_free(j, h[i]));
    check(cjson_host_node_free(j, root));
    return (now_ms() - t0) * 1e6 / (double)n;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    const char *q = getenv("QUICK");
    int rounds = q != NULL && strcmp(q, "1") == 0 ? 3 : 9;
    if (cjson_host_new(&j, NULL) != WG_HOST_OK) {
        fprintf(stderr, "host_handles: %s\n", cjson_host_error(NULL));
        return 1;
    }
    enum { SMALL = 10000, LARGE = 100000 };
    cjson_host_node **h = malloc(LARGE * sizeof *h);
    if (h == NULL)
        return 1;
    build(SMALL, h); /* warm-up */
    double r[16], a[16], b[16];
    for (int i = 0; i < rounds; i++) {
        double s, l;
        if (i % 2 == 0) {
            s = build(SMALL, h);
            l = build(LARGE, h);
        } else {
            l = build(LARGE, h);
            s = build(SMALL, h);
        }
        r[i] = l / s;
        a[i] = l;
        b[i] = s;
    }
    double sorted[16];
    memcpy(sorted, r, sizeof r);
    qsort(sorted, (size_t)rounds, sizeof *sorted, cmp);
    qsort(a, (size_t)rounds, sizeof *a, cmp);
    qsort(b, (size_t)rounds, sizeof *b, cmp);
    printf("{\"key\":\"host_handles_100k_over_10k\",\"median\":%.4f,\"min\":%.4f,\"max\":%.4f,\"rounds\":%d,"
           "\"nsPerOpA\":%.2f,\"nsPerOpB\":%.2f}\n",
           sorted[rounds / 2], sorted[0], sorted[rounds - 1], rounds, a[rounds / 2], b[rounds / 2]);
    free(h);
    cjson_host_free(j);
    return 0;
}
