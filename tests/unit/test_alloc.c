/*
 * test_alloc.c - unit tests for the allocator (runtime/wg_alloc.c).
 *
 * Check runs each test in a forked child (its default), so every test starts
 * with an untouched heap; the layout tests (in-place realloc, coalescing)
 * rely on that. They use the documented block layout: one size_t header word
 * per block, block sizes multiples of 16, blocks carved in address order
 * from a fresh heap.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"
#include "wg_alloc_test.h"
#include "wg_internal.h"

#define MAX_ALIGN _Alignof(max_align_t)
#define WORD sizeof(size_t)
#define MIB ((size_t)1 << 20)

static const wg_stats *st(void) { return wg_get_stats(); }

static void heap_ok(void) { ck_assert_int_eq(wg__heap_check(), 0); }

static int aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static int all_bytes(const void *p, size_t n, unsigned char v) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != v)
            return 0;
    return 1;
}

/* The request whose block is exactly `block` bytes (a multiple of 16). */
static size_t request_for_block(size_t block) { return block - WORD; }

/* ---- malloc / free */

START_TEST(test_malloc_free_basic) {
    char *a = wg_malloc(100), *b = wg_malloc(1000), *c = wg_malloc(100000);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_ne(a, b);
    ck_assert_ptr_ne(b, c);
    memset(a, 1, 100);
    memset(b, 2, 1000);
    memset(c, 3, 100000);
    ck_assert(all_bytes(a, 100, 1));
    ck_assert(all_bytes(b, 1000, 2));
    ck_assert(all_bytes(c, 100000, 3));
    ck_assert_uint_eq(st()->live_count, 3);
    heap_ok();
    wg_free(b);
    ck_assert(all_bytes(a, 100, 1));
    ck_assert(all_bytes(c, 100000, 3));
    heap_ok();
    wg_free(a);
    wg_free(c);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->live_bytes, 0);
    heap_ok();
}
END_TEST

START_TEST(test_malloc_zero) {
    void *a = wg_malloc(0), *b = wg_malloc(0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert(aligned(a, MAX_ALIGN));
    ck_assert(aligned(b, MAX_ALIGN));
    ck_assert_uint_eq(st()->live_count, 2);
    wg_free(a);
    wg_free(b);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

START_TEST(test_alignment_and_usable_size) {
    enum { N = 3000 };
    static unsigned char *ptrs[N];
    for (size_t i = 0; i < N; i++) {
        size_t n = i < 2048 ? i : (i - 2048) * 97;
        ptrs[i] = wg_malloc(n);
        ck_assert_ptr_nonnull(ptrs[i]);
        ck_assert_msg(aligned(ptrs[i], MAX_ALIGN), "malloc(%zu) misaligned", n);
        ck_assert_uint_ge(wg_malloc_usable_size(ptrs[i]), n);
        memset(ptrs[i], (int)(i & 0xFF), wg_malloc_usable_size(ptrs[i]));
    }
    for (size_t i = 0; i < N; i++) {
        ck_assert(all_bytes(ptrs[i], wg_malloc_usable_size(ptrs[i]), (unsigned char)i));
        wg_free(ptrs[i]);
    }
    ck_assert_uint_eq(wg_malloc_usable_size(NULL), 0);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

START_TEST(test_free_null) {
    wg_stats s0 = *st();
    wg_free(NULL);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees);
    ck_assert_uint_eq(st()->live_count, s0.live_count);
}
END_TEST

/* ---- calloc */

START_TEST(test_calloc_zeroes) {
    for (size_t n = 1; n <= MIB; n *= 3) {
        unsigned char *p = wg_malloc(n);
        ck_assert_ptr_nonnull(p);
        memset(p, 0xAB, n);
        wg_free(p); /* the calloc below reuses this dirty memory */
        unsigned char *q = wg_calloc(1, n);
        ck_assert_ptr_eq(q, p);
        ck_assert(all_bytes(q, n, 0));
        wg_free(q);
    }
    unsigned *v = wg_calloc(1000, sizeof(unsigned));
    ck_assert_ptr_nonnull(v);
    ck_assert(all_bytes(v, 1000 * sizeof(unsigned), 0));
    wg_free(v);
    void *z = wg_calloc(0, 10);
    ck_assert_ptr_nonnull(z);
    wg_free(z);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

START_TEST(test_calloc_overflow) {
    wg_stats s0 = *st();
    size_t half = (size_t)1 << (sizeof(size_t) * 4);
    ck_assert_ptr_null(wg_calloc(SIZE_MAX / 2 + 1, 2));
    ck_assert_ptr_null(wg_calloc(2, SIZE_MAX / 2 + 1));
    ck_assert_ptr_null(wg_calloc(SIZE_MAX, SIZE_MAX));
    ck_assert_ptr_null(wg_calloc(half, half));
    ck_assert_ptr_null(wg_calloc(1, SIZE_MAX));
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    ck_assert_uint_eq(st()->heap_bytes, s0.heap_bytes);
    heap_ok();
}
END_TEST

/* ---- realloc */

START_TEST(test_realloc_null_is_malloc) {
    char *p = wg_realloc(NULL, 40);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(wg_malloc_usable_size(p), 40);
    ck_assert_uint_eq(st()->live_count, 1);
    ck_assert_uint_eq(st()->total_allocs, 1);
    wg_free(p);
    heap_ok();
}
END_TEST

START_TEST(test_realloc_grow_in_place) {
    char *a = wg_malloc(200), *b = wg_malloc(1000), *guard = wg_malloc(16);
    ck_assert_ptr_eq(a + wg_malloc_usable_size(a) + WORD, b); /* neighbours */
    memset(a, 7, 200);
    wg_free(b);
    wg_stats s0 = *st();
    size_t old = wg_malloc_usable_size(a);
    char *a2 = wg_realloc(a, 1000);
    ck_assert_ptr_eq(a2, a);
    ck_assert_uint_ge(wg_malloc_usable_size(a2), 1000);
    ck_assert(all_bytes(a2, 200, 7));
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees);
    ck_assert_uint_eq(st()->live_count, s0.live_count);
    ck_assert_uint_eq(st()->live_bytes, s0.live_bytes - old + wg_malloc_usable_size(a2));
    heap_ok();
    wg_free(a2);
    wg_free(guard);
    heap_ok();
}
END_TEST

START_TEST(test_realloc_shrink_in_place) {
    char *a = wg_malloc(10000), *guard = wg_malloc(16);
    for (size_t i = 0; i < 10000; i++)
        a[i] = (char)(i * 31);
    wg_stats s0 = *st();
    size_t old = wg_malloc_usable_size(a);
    char *a2 = wg_realloc(a, 100);
    ck_assert_ptr_eq(a2, a);
    size_t now = wg_malloc_usable_size(a2);
    ck_assert_uint_ge(now, 100);
    ck_assert_uint_lt(now, 200);
    for (size_t i = 0; i < 100; i++)
        ck_assert_int_eq(a2[i], (char)(i * 31));
    ck_assert_uint_eq(st()->live_bytes, s0.live_bytes - old + now);
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    /* The freed tail is reusable: a block that fits in it lands there. */
    char *c = wg_malloc(5000);
    ck_assert_ptr_eq(c, a2 + now + WORD);
    heap_ok();
    wg_free(c);
    wg_free(a2);
    wg_free(guard);
    heap_ok();
}
END_TEST

START_TEST(test_realloc_move) {
    unsigned char *a = wg_malloc(300), *b = wg_malloc(300);
    for (size_t i = 0; i < 300; i++)
        a[i] = (unsigned char)(i ^ 0x5A);
    wg_stats s0 = *st();
    unsigned char *a2 = wg_realloc(a, 50000); /* b is in the way */
    ck_assert_ptr_nonnull(a2);
    ck_assert_ptr_ne(a2, a);
    for (size_t i = 0; i < 300; i++)
        ck_assert_uint_eq(a2[i], (unsigned char)(i ^ 0x5A));
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs + 1);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees + 1);
    ck_assert_uint_eq(st()->live_count, s0.live_count);
    /* Shrinking a moved block keeps the prefix too. */
    unsigned char *a3 = wg_realloc(a2, 10);
    for (size_t i = 0; i < 10; i++)
        ck_assert_uint_eq(a3[i], (unsigned char)(i ^ 0x5A));
    wg_free(a3);
    wg_free(b);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->live_bytes, 0);
    heap_ok();
}
END_TEST

START_TEST(test_realloc_zero) {
    void *a = wg_malloc(1000);
    wg_stats s0 = *st();
    void *b = wg_realloc(a, 0); /* frees a, returns a minimal block */
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees + 1);
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs + 1);
    ck_assert_uint_eq(st()->live_count, 1);
    ck_assert_uint_lt(wg_malloc_usable_size(b), 64);
    wg_free(b);
    ck_assert_uint_eq(st()->live_bytes, 0);
    heap_ok();
}
END_TEST

/* Checking bytes one ck_assert at a time is slow (Check logs each one). */
static int pattern_ok(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 13))
            return 0;
    return 1;
}

START_TEST(test_realloc_many_sizes) {
    unsigned char *p = NULL;
    size_t have = 0;
    for (size_t n = 1; n < 4 * MIB; n = n * 5 / 3 + 1) {
        p = wg_realloc(p, n);
        ck_assert_ptr_nonnull(p);
        ck_assert(pattern_ok(p, have));
        for (size_t i = have; i < n; i++)
            p[i] = (unsigned char)(i * 13);
        have = n;
    }
    for (size_t n = have; n > 0; n /= 3) {
        p = wg_realloc(p, n);
        ck_assert(pattern_ok(p, n));
    }
    wg_free(p);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

/* ---- aligned_alloc / posix_memalign */

START_TEST(test_aligned_alloc) {
    static void *ptrs[64];
    size_t k = 0;
    for (size_t a = 1; a <= MIB; a *= 2) {
        size_t sizes[3] = {1, a, 3 * a + 5};
        for (size_t j = 0; j < 3; j++) {
            unsigned char *p = wg_aligned_alloc(a, sizes[j]);
            ck_assert_ptr_nonnull(p);
            ck_assert_msg(aligned(p, a > MAX_ALIGN ? a : MAX_ALIGN), "align %zu", a);
            ck_assert_uint_ge(wg_malloc_usable_size(p), sizes[j]);
            memset(p, (int)k, sizes[j]);
            ptrs[k++] = p;
        }
    }
    heap_ok();
    for (size_t i = 0; i < k; i++)
        wg_free(ptrs[i]);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->live_bytes, 0);
    heap_ok();
}
END_TEST

START_TEST(test_aligned_alloc_bad_alignment) {
    wg_stats s0 = *st();
    size_t bad[] = {0, 3, 6, 24, 48, 100, 4097, SIZE_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_ptr_null(wg_aligned_alloc(bad[i], 16));
    ck_assert_ptr_null(wg_aligned_alloc(MIB, SIZE_MAX));
    ck_assert_ptr_null(wg_aligned_alloc(MIB, SIZE_MAX - 2 * MIB));
    ck_assert_ptr_null(wg_aligned_alloc(SIZE_MAX / 2 + 1, 16));
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    heap_ok();
}
END_TEST

START_TEST(test_posix_memalign) {
    for (size_t a = sizeof(void *); a <= MIB; a *= 2) {
        void *p = NULL;
        ck_assert_int_eq(wg_posix_memalign(&p, a, 100), 0);
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, a));
        memset(p, 1, 100);
        wg_free(p);
    }
    void *sentinel = (void *)&sentinel, *p = sentinel;
    ck_assert_int_eq(wg_posix_memalign(&p, 0, 16), EINVAL);
    ck_assert_int_eq(wg_posix_memalign(&p, sizeof(void *) / 2, 16), EINVAL);
    ck_assert_int_eq(wg_posix_memalign(&p, 1, 16), EINVAL);
    ck_assert_int_eq(wg_posix_memalign(&p, 24, 16), EINVAL);
    ck_assert_int_eq(wg_posix_memalign(&p, 3 * sizeof(void *), 16), EINVAL);
    ck_assert_int_eq(wg_posix_memalign(&p, 64, SIZE_MAX), ENOMEM);
    ck_assert_int_eq(wg_posix_memalign(&p, 64, SIZE_MAX / 2), ENOMEM);
    ck_assert_ptr_eq(p, sentinel); /* untouched on failure */
    ck_assert_int_eq(wg_posix_memalign(&p, 64, 0), 0);
    ck_assert_ptr_ne(p, sentinel);
    wg_free(p);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

/* ---- stats */

START_TEST(test_stats_exact) {
    const wg_stats *s = st();
    ck_assert_uint_eq(s->live_count, 0);
    ck_assert_uint_eq(s->live_bytes, 0);
    ck_assert_uint_eq(s->heap_bytes, 0);
    void *a = wg_malloc(10);
    size_t ua = wg_malloc_usable_size(a);
    ck_assert_uint_eq(s->live_count, 1);
    ck_assert_uint_eq(s->live_bytes, ua);
    ck_assert_uint_eq(s->peak_bytes, ua);
    ck_assert_uint_eq(s->total_allocs, 1);
    ck_assert_uint_gt(s->heap_bytes, 0);
    ck_assert_uint_eq(s->heap_bytes % 65536, 0);
    void *b = wg_calloc(3, 1000);
    size_t ub = wg_malloc_usable_size(b);
    void *c = wg_aligned_alloc(4096, 50);
    size_t uc = wg_malloc_usable_size(c);
    ck_assert_uint_eq(s->live_count, 3);
    ck_assert_uint_eq(s->live_bytes, ua + ub + uc);
    ck_assert_uint_eq(s->peak_bytes, ua + ub + uc);
    ck_assert_uint_eq(s->total_allocs, 3);
    wg_free(b);
    ck_assert_uint_eq(s->live_count, 2);
    ck_assert_uint_eq(s->live_bytes, ua + uc);
    ck_assert_uint_eq(s->peak_bytes, ua + ub + uc);
    ck_assert_uint_eq(s->total_frees, 1);
    void *d = wg_malloc(10);
    size_t ud = wg_malloc_usable_size(d);
    ck_assert_uint_eq(s->peak_bytes, ua + ub + uc); /* smaller than b */
    wg_free(NULL);
    ck_assert_uint_eq(s->total_frees, 1);
    wg_free(a);
    wg_free(c);
    wg_free(d);
    ck_assert_uint_eq(s->live_count, 0);
    ck_assert_uint_eq(s->live_bytes, 0);
    ck_assert_uint_eq(s->total_allocs, 4);
    ck_assert_uint_eq(s->total_frees, 4);
    ck_assert_uint_eq(s->queue_frees, 0);
    ck_assert_uint_ge(ud, 10);
    heap_ok();
}
END_TEST

/* ---- coalescing and growth */

START_TEST(test_coalesce_three) {
    /* Three 1 KiB blocks merge into one 3 KiB block (a list boundary). */
    size_t n = request_for_block(1024);
    char *a = wg_malloc(n), *b = wg_malloc(n), *c = wg_malloc(n), *guard = wg_malloc(16);
    ck_assert_ptr_eq(b, a + 1024);
    ck_assert_ptr_eq(c, b + 1024);
    size_t heap = st()->heap_bytes;
    wg_free(a);
    wg_free(c);
    wg_free(b); /* merges with both neighbours */
    heap_ok();
    char *big = wg_malloc(request_for_block(3 * 1024));
    ck_assert_ptr_eq(big, a);
    ck_assert_uint_eq(st()->heap_bytes, heap);
    wg_free(big);
    wg_free(guard);
    heap_ok();
}
END_TEST

START_TEST(test_coalesce_many_no_growth) {
    enum { N = 64 };
    char *p[N];
    for (size_t i = 0; i < N; i++)
        p[i] = wg_malloc(request_for_block(16384)); /* 64 x 16 KiB = 1 MiB */
    void *guard = wg_malloc(16);
    size_t heap = st()->heap_bytes;
    for (size_t i = 0; i < N; i += 2) /* odd ones, then even ones */
        wg_free(p[i + 1]);
    heap_ok();
    for (size_t i = 0; i < N; i += 2)
        wg_free(p[i]);
    heap_ok();
    char *big = wg_malloc(request_for_block(MIB));
    ck_assert_ptr_eq(big, p[0]);
    ck_assert_uint_eq(st()->heap_bytes, heap);
    memset(big, 9, request_for_block(MIB));
    wg_free(big);
    wg_free(guard);
    heap_ok();
}
END_TEST

START_TEST(test_heap_growth) {
    void *small = wg_malloc(16);
    size_t h0 = st()->heap_bytes;
    ck_assert_uint_gt(h0, 0);
    char *big = wg_malloc(8 * MIB);
    ck_assert_ptr_nonnull(big);
    memset(big, 1, 8 * MIB);
    size_t h1 = st()->heap_bytes;
    ck_assert_uint_ge(h1, 8 * MIB);
    ck_assert_uint_eq(h1 % 65536, 0);
    /* Growth extends the heap: the end block merges with new memory, so a
     * series of growing blocks does not take much more than it needs. */
    wg_free(big);
    char *bigger = wg_malloc(16 * MIB);
    ck_assert_ptr_eq(bigger, big);
    size_t h2 = st()->heap_bytes;
    ck_assert_uint_lt(h2, 17 * MIB + h0);
    wg_free(bigger);
    ck_assert_uint_eq(st()->heap_bytes, h2); /* memory is never returned */
    wg_free(small);
    heap_ok();
}
END_TEST

START_TEST(test_out_of_memory) {
    void *keep = wg_malloc(1000);
    wg__heap_set_limit(st()->heap_bytes);
    wg_stats s0 = *st();
    ck_assert_ptr_null(wg_malloc(4 * MIB));
    ck_assert_ptr_null(wg_calloc(1, 4 * MIB));
    ck_assert_ptr_null(wg_aligned_alloc(MIB, MIB));
    void *p = (void *)&p;
    ck_assert_int_eq(wg_posix_memalign(&p, 4096, 4 * MIB), ENOMEM);
    ck_assert_ptr_eq(p, (void *)&p);
    memset(keep, 3, 1000);
    ck_assert_ptr_null(wg_realloc(keep, 4 * MIB));
    ck_assert(all_bytes(keep, 1000, 3)); /* untouched */
    ck_assert_uint_eq(st()->heap_bytes, s0.heap_bytes);
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    ck_assert_uint_eq(st()->live_count, s0.live_count);
    heap_ok();
    /* Still usable within the memory it has. */
    void *q = wg_malloc(100);
    ck_assert_ptr_nonnull(q);
    wg_free(q);
    /* Fill the heap up to the limit, then fail, then free and reuse. */
    void *ptrs[4096];
    size_t k = 0;
    while (k < 4096 && (ptrs[k] = wg_malloc(1000)) != NULL)
        k++;
    ck_assert_uint_lt(k, 4096);
    ck_assert_uint_eq(st()->heap_bytes, s0.heap_bytes);
    heap_ok();
    for (size_t i = 0; i < k; i++)
        wg_free(ptrs[i]);
    heap_ok();
    wg__heap_set_limit(WG_HEAP_NO_LIMIT);
    void *big = wg_malloc(4 * MIB);
    ck_assert_ptr_nonnull(big);
    memset(big, 0, 4 * MIB);
    wg_free(big);
    wg_free(keep);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

START_TEST(test_huge_requests) {
    void *keep = wg_malloc(100);
    memset(keep, 5, 100);
    wg_stats s0 = *st();
    size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4096, SIZE_MAX / 2 + 1, SIZE_MAX / 2,
                     SIZE_MAX / 4, (size_t)1 << 40, (size_t)100 << 30};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        ck_assert_ptr_null(wg_malloc(huge[i]));
        ck_assert_ptr_null(wg_calloc(1, huge[i]));
        ck_assert_ptr_null(wg_realloc(keep, huge[i]));
        ck_assert_ptr_null(wg_aligned_alloc(64, huge[i]));
    }
    ck_assert(all_bytes(keep, 100, 5));
    ck_assert_uint_eq(st()->total_allocs, s0.total_allocs);
    ck_assert_uint_eq(st()->live_count, s0.live_count);
    heap_ok();
    void *ok = wg_malloc(1000);
    ck_assert_ptr_nonnull(ok);
    wg_free(ok);
    wg_free(keep);
    heap_ok();
}
END_TEST

/* ---- the free-on-finalize queue is drained by allocation */

START_TEST(test_malloc_drains_queue) {
    void *p[5];
    for (size_t i = 0; i < 5; i++)
        p[i] = wg_malloc(64);
    for (size_t i = 0; i < 5; i++)
        wg_queue_push(p[i]);
    ck_assert_uint_eq(wg_queue_pending(), 5);
    ck_assert_uint_eq(st()->live_count, 5);
    void *q = wg_malloc(10);
    ck_assert_uint_eq(wg_queue_pending(), 0);
    ck_assert_uint_eq(st()->queue_frees, 5);
    ck_assert_uint_eq(st()->total_frees, 5);
    ck_assert_uint_eq(st()->live_count, 1);
    wg_free(q);
    heap_ok();
}
END_TEST

START_TEST(test_every_allocator_drains_queue) {
    for (int which = 0; which < 5; which++) {
        void *x = wg_malloc(32), *y = wg_malloc(32);
        size_t qf = st()->queue_frees;
        wg_queue_push(x);
        wg_queue_push(y);
        void *r = NULL;
        switch (which) {
        case 0: r = wg_calloc(2, 8); break;
        case 1: r = wg_realloc(NULL, 8); break;
        case 2: r = wg_aligned_alloc(256, 8); break;
        case 3: ck_assert_int_eq(wg_posix_memalign(&r, 256, 8), 0); break;
        default: r = wg_malloc(0); break;
        }
        ck_assert_ptr_nonnull(r);
        ck_assert_uint_eq(wg_queue_pending(), 0);
        ck_assert_uint_eq(st()->queue_frees, qf + 2);
        wg_free(r);
    }
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

/* ---- Pointers the allocator never handed out */

START_TEST(test_free_refuses_foreign_pointers) {
    static char static_string[] = "a string literal, say";
    char local[64];
    char *a = wg_malloc(100), *b = wg_malloc(100), *c = wg_malloc(100);
    memset(a, 0x41, 100);
    size_t live = st()->live_count, bytes = st()->live_bytes;
    void *bad[] = {static_string, static_string + 16, local, local + 16, a + 16, a + 1, b - 16,
                   (void *)(uintptr_t)16, (void *)UINTPTR_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wg_free(bad[i]);
        ck_assert_uint_eq(st()->invalid_frees, i + 1);
        ck_assert_uint_eq(wg_malloc_usable_size(bad[i]), 0);
    }
    ck_assert_uint_eq(st()->live_count, live);
    ck_assert_uint_eq(st()->live_bytes, bytes);
    ck_assert(all_bytes(a, 100, 0x41));
    heap_ok();
    wg_free(a);
    wg_free(b);
    wg_free(c);
    heap_ok();
    ck_assert_uint_eq(st()->live_count, 0);
}
END_TEST

START_TEST(test_double_free_refused) {
    /* Freed alone, merged with the next block, merged with the previous one,
     * and merged into top: each second free is refused. */
    char *a = wg_malloc(100), *b = wg_malloc(100), *c = wg_malloc(100), *d = wg_malloc(100);
    char *guard = wg_malloc(16);
    wg_free(b);
    wg_free(b); /* alone */
    ck_assert_uint_eq(st()->invalid_frees, 1);
    wg_free(a); /* merges with b */
    wg_free(b); /* b's stale header: its previous block is not what it says */
    wg_free(a);
    ck_assert_uint_eq(st()->invalid_frees, 3);
    wg_free(c); /* merges with a+b */
    wg_free(c);
    wg_free(guard);
    wg_free(d);
    wg_free(d); /* merged into top */
    wg_free(guard);
    ck_assert_uint_eq(st()->invalid_frees, 6);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->total_frees, 5);
    heap_ok();
    char *e = wg_malloc(1000); /* the heap still works */
    ck_assert_ptr_eq(e, a);
    wg_free(e);
    heap_ok();
}
END_TEST

START_TEST(test_realloc_refuses_foreign_pointers) {
    static char static_string[32] = "static";
    char *a = wg_malloc(64);
    ck_assert_ptr_null(wg_realloc(static_string, 100));
    ck_assert_ptr_null(wg_realloc(a + 16, 100));
    ck_assert_ptr_null(wg_realloc(static_string, 0));
    ck_assert_uint_eq(st()->invalid_frees, 3);
    ck_assert_str_eq(static_string, "static");
    wg_free(a);
    ck_assert_ptr_null(wg_realloc(a, 100)); /* freed */
    ck_assert_uint_eq(st()->invalid_frees, 4);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

START_TEST(test_adopted_blocks) {
    /* A block JS adopts for a handle: C's free and realloc refuse it; JS's
     * free (and the queue's) give it back. */
    char *a = wg_malloc(100), *b = wg_malloc(100);
    size_t usable = wg_malloc_usable_size(a);
    ck_assert_int_eq(wg__adopt(a, 100), 0);
    ck_assert_int_eq(wg__adopt(a, 100), 2); /* already JS's */
    ck_assert_int_eq(wg__adopt(b, 4096), 3); /* too small */
    ck_assert_int_eq(wg__adopt(b + 16, 8), 1); /* not a block */
    ck_assert_uint_eq(wg_malloc_usable_size(a), usable); /* the mark is not part of the size */
    wg_free(a);
    ck_assert_ptr_null(wg_realloc(a, 200));
    ck_assert_uint_eq(st()->invalid_frees, 2);
    ck_assert_uint_eq(st()->live_count, 2);
    heap_ok();
    ck_assert(wg__free_checked(a));
    ck_assert_uint_eq(st()->live_count, 1);
    ck_assert_int_eq(wg__adopt(b, 100), 0);
    wg_queue_push(b);
    ck_assert_uint_eq(wg_queue_drain(), 1);
    ck_assert_uint_eq(st()->live_count, 0);
    char *c = wg_malloc(100); /* a new block is not JS's */
    ck_assert_ptr_eq(c, a);
    wg_free(c);
    ck_assert_uint_eq(st()->live_count, 0);
    heap_ok();
}
END_TEST

/* ---- The heap checker itself: each kind of corruption, its own code */

/* A block's header words, from its payload: the size (with the FREE and
 * PREV_FREE bits) just before it, and before that the previous block's
 * size when that block is free. A free block's list links start the payload. */
static size_t *size_word(void *p) { return (size_t *)p - 1; }
static size_t *prev_size_word(void *p) { return (size_t *)p - 2; }

START_TEST(test_heap_check_names_each_corruption) {
    ck_assert_uint_eq(st()->heap_bytes, 0); /* a fresh heap: the first block starts it */
    void *p[4];
    for (int i = 0; i < 4; i++)
        p[i] = wg_malloc(request_for_block(64));
    wg_free(p[1]); /* on a free list, between used blocks */
    heap_ok();

    size_t save = *size_word(p[2]);
    *size_word(p[2]) = save + 8; /* not a multiple of 16 */
    ck_assert_int_eq(wg__heap_check(), 1);
    *size_word(p[2]) = ((size_t)1 << 40) | (save & 3); /* runs past the end of the heap */
    ck_assert_int_eq(wg__heap_check(), 1);
    *size_word(p[2]) = save & ~(size_t)2; /* PREV_FREE cleared: disagrees with the free block before */
    ck_assert_int_eq(wg__heap_check(), 2);
    *size_word(p[2]) = save;
    heap_ok();

    save = *size_word(p[2]);
    *size_word(p[2]) = save | 1; /* marked free, next to the free block before it */
    ck_assert_int_eq(wg__heap_check(), 4);
    *size_word(p[2]) = save;
    heap_ok();

    save = *prev_size_word(p[2]);
    *prev_size_word(p[2]) = save - 16;
    ck_assert_int_eq(wg__heap_check(), 3);
    *prev_size_word(p[2]) = save;
    heap_ok();

    /* The sentinel ends the heap: its size word is the heap's last word. */
    size_t *sentinel = (size_t *)((char *)p[0] - 2 * WORD + st()->heap_bytes) - 1;
    save = *sentinel;
    *sentinel = save ^ 4;
    ck_assert_int_eq(wg__heap_check(), 5);
    *sentinel = save;
    heap_ok();

    void **links = p[1];
    void *prev = links[1];
    links[1] = p[0]; /* the free block's prev_free link */
    ck_assert_int_eq(wg__heap_check(), 8);
    links[1] = prev;
    heap_ok();
    for (int i = 0; i < 4; i++)
        if (i != 1)
            wg_free(p[i]);
    heap_ok();
}
END_TEST

/* A block whose payload is already on the boundary is returned as it is:
 * no gap block is cut in front of it. */
START_TEST(test_aligned_alloc_already_aligned) {
    ck_assert_uint_eq(st()->heap_bytes, 0);
    void *a = wg_malloc(request_for_block(48)); /* the heap's start + 16 */
    void *b = wg_malloc(request_for_block(48)); /* + 64: on a 64-byte boundary */
    ck_assert(aligned(b, 64));
    ck_assert(!aligned(a, 64));
    wg_free(b); /* merges with the free end of the heap */
    size_t blocks = st()->live_count;
    void *c = wg_aligned_alloc(64, 16);
    ck_assert_ptr_eq(c, b);
    ck_assert_uint_eq(st()->live_count, blocks + 1);
    wg_free(c);
    void *d = NULL;
    ck_assert_int_eq(wg_posix_memalign(&d, 64, 100), 0);
    ck_assert_ptr_eq(d, b);
    wg_free(d);
    wg_free(a);
    heap_ok();
}
END_TEST

/* An alignment malloc already gives is a plain malloc: it fills an exact hole. */
START_TEST(test_small_alignment_is_malloc) {
    void *a = wg_malloc(request_for_block(64));
    void *b = wg_malloc(request_for_block(64));
    void *c = wg_malloc(request_for_block(64));
    wg_free(b); /* a 64-byte hole between used blocks */
    void *d = wg_aligned_alloc(8, request_for_block(64));
    ck_assert_ptr_eq(d, b);
    wg_free(d);
    void *e = NULL;
    ck_assert_int_eq(wg_posix_memalign(&e, MAX_ALIGN, request_for_block(64)), 0);
    ck_assert_ptr_eq(e, b);
    wg_free(e);
    wg_free(a);
    wg_free(c);
    heap_ok();
}
END_TEST

/* Growing in place to a new high raises the peak. */
START_TEST(test_realloc_in_place_raises_peak) {
    char *a = wg_malloc(200);
    wg_free(wg_malloc(4000)); /* a free block after a */
    size_t peak = st()->peak_bytes;
    char *b = wg_realloc(a, 6000);
    ck_assert_ptr_eq(b, a);
    ck_assert_uint_gt(st()->live_bytes, peak);
    ck_assert_uint_eq(st()->peak_bytes, st()->live_bytes);
    wg_free(b);
    heap_ok();
}
END_TEST

/* A request that fits the free end of the heap exactly takes it without
 * growing the heap. */
START_TEST(test_exact_fit_at_the_end_does_not_grow) {
    ck_assert_uint_eq(st()->heap_bytes, 0);
    void *a = wg_malloc(request_for_block(64));
    size_t heap = st()->heap_bytes;
    /* The rest: the heap less a's block and the sentinel's header (2 words). */
    void *b = wg_malloc(request_for_block(heap - 64 - 2 * WORD));
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(st()->heap_bytes, heap);
    heap_ok();
    wg_free(b);
    wg_free(a);
    heap_ok();
}
END_TEST

/* A pointer into a live block, behind a header that looks right but is
 * followed by one too small to be a block: refused, nothing changes. */
START_TEST(test_free_refuses_fake_header_before_a_bad_one) {
    char *a = wg_malloc(256);
    char *q = a + 64;                         /* a payload-aligned address inside a */
    *(size_t *)(q - WORD) = 32;               /* its "block": 32 bytes, used */
    *(size_t *)(q - 2 * WORD + 32 + WORD) = 16; /* the next "block": 16 bytes, too small */
    size_t live = st()->live_count, invalid = st()->invalid_frees;
    wg_free(q);
    ck_assert_uint_eq(st()->invalid_frees, invalid + 1);
    ck_assert_uint_eq(st()->live_count, live);
    heap_ok();
    wg_free(a);
    heap_ok();
}
END_TEST

static Suite *alloc_suite(void) {
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_malloc_free_basic);
    tcase_add_test(tc, test_malloc_zero);
    tcase_add_test(tc, test_alignment_and_usable_size);
    tcase_add_test(tc, test_free_null);
    tcase_add_test(tc, test_calloc_zeroes);
    tcase_add_test(tc, test_calloc_overflow);
    tcase_add_test(tc, test_realloc_null_is_malloc);
    tcase_add_test(tc, test_realloc_grow_in_place);
    tcase_add_test(tc, test_realloc_shrink_in_place);
    tcase_add_test(tc, test_realloc_move);
    tcase_add_test(tc, test_realloc_zero);
    tcase_add_test(tc, test_realloc_many_sizes);
    tcase_add_test(tc, test_aligned_alloc);
    tcase_add_test(tc, test_aligned_alloc_bad_alignment);
    tcase_add_test(tc, test_posix_memalign);
    tcase_add_test(tc, test_stats_exact);
    tcase_add_test(tc, test_coalesce_three);
    tcase_add_test(tc, test_coalesce_many_no_growth);
    tcase_add_test(tc, test_heap_growth);
    tcase_add_test(tc, test_out_of_memory);
    tcase_add_test(tc, test_huge_requests);
    tcase_add_test(tc, test_malloc_drains_queue);
    tcase_add_test(tc, test_every_allocator_drains_queue);
    tcase_add_test(tc, test_free_refuses_foreign_pointers);
    tcase_add_test(tc, test_double_free_refused);
    tcase_add_test(tc, test_realloc_refuses_foreign_pointers);
    tcase_add_test(tc, test_adopted_blocks);
    tcase_add_test(tc, test_heap_check_names_each_corruption);
    tcase_add_test(tc, test_aligned_alloc_already_aligned);
    tcase_add_test(tc, test_small_alignment_is_malloc);
    tcase_add_test(tc, test_realloc_in_place_raises_peak);
    tcase_add_test(tc, test_exact_fit_at_the_end_does_not_grow);
    tcase_add_test(tc, test_free_refuses_fake_header_before_a_bad_one);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(alloc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
