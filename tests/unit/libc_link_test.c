/*
 * libc_link_test.c - checks that, on wasm32, libwasmgen replaces wasi-libc's
 * allocator: this module links wg_libc.o instead of dlmalloc.o (no duplicate
 * symbols), and allocations made through libc (malloc, strdup, printf, ...)
 * land in the wasmgen heap, visible in wg_stats.
 *
 * Build as a reactor; tests/unit/libc_link_test.mjs instantiates it and
 * calls run(), which returns 0 on success or the number of the failed check.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"

int posix_memalign(void **out, size_t align, size_t size); /* hidden in ISO C */

__attribute__((export_name("run"))) int run(void);

int run(void) {
    /* volatile: the compiler assumes malloc and strdup touch no memory the
     * program can see, but ours update these counters. */
    const volatile wg_stats *st = wg_get_stats();
    /* The first allocation frees whatever JavaScript queued. */
    size_t live0 = st->live_count - wg_queue_pending(), allocs0 = st->total_allocs;

    char *s = strdup("hello from wasmgen"); /* libc allocates via malloc */
    if (!s || strcmp(s, "hello from wasmgen") != 0)
        return 1;
    if (st->live_count != live0 + 1 || wg_malloc_usable_size(s) < strlen(s) + 1)
        return 2; /* strdup's block is not in our heap */

    char *buf = malloc(64);
    if (!buf)
        return 3;
    snprintf(buf, 64, "%s %d", s, 42);
    buf = realloc(buf, 100000);
    if (!buf || strcmp(buf, "hello from wasmgen 42") != 0)
        return 4;
    if (malloc_usable_size(buf) < 100000 || malloc_usable_size(buf) != wg_malloc_usable_size(buf))
        return 5;

    int *zeros = calloc(1000, sizeof(int));
    if (!zeros)
        return 6;
    for (int i = 0; i < 1000; i++)
        if (zeros[i] != 0)
            return 7;

    void *al = NULL;
    if (posix_memalign(&al, 4096, 1000) != 0 || ((uintptr_t)al & 4095) != 0)
        return 8;
    void *aa = aligned_alloc(65536, 10);
    if (!aa || ((uintptr_t)aa & 65535) != 0)
        return 9;
    void *empty = malloc(0);
    if (!empty || ((uintptr_t)empty & 15) != 0 || wg_malloc_usable_size(empty) == 0)
        return 10;

    printf("libc_link_test: %s, %zu blocks live\n", buf, st->live_count - live0);
    fflush(stdout);

    /* Free through every path: libc, wg_, and the queue JavaScript uses. */
    free(s);
    wg_free(zeros);
    free(al);
    free(empty);
    free(realloc(buf, 0));
    wg_queue_push(aa);
    if (st->live_count != live0 + 1) /* aa, queued */
        return 11;
    void *p = malloc(1); /* drains the queue */
    /* Using p keeps the compiler from dropping the malloc/free pair. */
    if (wg_malloc_usable_size(p) == 0 || wg_queue_pending() != 0 || st->live_count != live0 + 1)
        return 12;
    free(p);
    return st->total_allocs > allocs0 ? 0 : 13;
}
