/*
 * test_alloc_model.c - randomized test of the allocator against a model.
 *
 * Runs WG_MODEL_OPS operations (default 1,000,000) chosen by a PRNG seeded
 * from WG_MODEL_SEED (default 12345; printed so a failure can be replayed):
 * malloc, calloc, realloc, aligned_alloc, posix_memalign and free, with
 * sizes from 0 to 16 MiB (mostly small, 2% from 64 KiB to 16 MiB) and
 * every power-of-two alignment up to 1 MiB.
 *
 * The model keeps every live block (pointer, requested and usable size, a
 * per-block pattern key) in an array, and the blocks' address ranges in a
 * treap, so checking a new block against its neighbours for overlap takes
 * O(log n). Block contents follow the block's pattern: small blocks in full,
 * big ones only at their first and last 64 bytes and at a 64 KiB grid, so
 * checking stays cheap. After every operation the allocator's live_count
 * and live_bytes must equal the model's; the whole heap is checked
 * (wg__heap_check) every CHECK_EVERY operations and at the end.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"
#include "wg_alloc_test.h"
#include "wg_internal.h"

#define MIB ((size_t)1 << 20)
#define MAX_LIVE 20000
#define LIVE_BYTES_CAP (256 * MIB) /* requested bytes; one block may exceed it */
#define FULL_LIMIT 4096            /* blocks up to this size are filled in full */
#define EDGE 64
#define GRID 65536
#define CHECK_EVERY 25000

/* ck_assert logs every passing check; in hot loops only report failures. */
#define REQUIRE(cond, ...)               \
    do {                                 \
        if (!(cond))                     \
            ck_abort_msg(__VA_ARGS__);   \
    } while (0)

static uint64_t rng_state;
static unsigned long op_no;

static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t rnd_below(size_t n) { return (size_t)(rnd() % n); }

static size_t rnd_size(void) {
    unsigned r = (unsigned)rnd_below(1000);
    if (r < 700)
        return rnd_below(257);
    if (r < 900)
        return 257 + rnd_below(4096 - 256);
    if (r < 980)
        return 4097 + rnd_below(65536 - 4096);
    unsigned e = 16 + (unsigned)rnd_below(8); /* [64 KiB, 16 MiB) */
    return ((size_t)1 << e) + rnd_below((size_t)1 << e);
}

/* ---- Live blocks */

typedef struct {
    unsigned char *p;
    size_t size;   /* requested */
    size_t usable; /* wg_malloc_usable_size when allocated */
    uint32_t key;  /* content pattern */
} live_block;

static live_block live[MAX_LIVE];
static size_t n_live, live_req_bytes, live_usable_bytes;

/* ---- A treap of address ranges [start, end), keyed by start */

typedef struct {
    uintptr_t start, end;
    uint32_t prio;
    int left, right;
} tnode;

static tnode nodes[MAX_LIVE + 1]; /* node 0 is "none" */
static int free_nodes[MAX_LIVE];
static int n_free_nodes, root;

static void split(int t, uintptr_t key, int *lo, int *hi) { /* lo: < key */
    if (!t) {
        *lo = *hi = 0;
    } else if (nodes[t].start < key) {
        split(nodes[t].right, key, &nodes[t].right, hi);
        *lo = t;
    } else {
        split(nodes[t].left, key, lo, &nodes[t].left);
        *hi = t;
    }
}

static int merge(int a, int b) { /* every key in a < every key in b */
    if (!a || !b)
        return a ? a : b;
    if (nodes[a].prio > nodes[b].prio) {
        nodes[a].right = merge(nodes[a].right, b);
        return a;
    }
    nodes[b].left = merge(a, nodes[b].left);
    return b;
}

/* The node with the greatest start <= key, or 0. */
static int floor_node(uintptr_t key) {
    int t = root, best = 0;
    while (t) {
        if (nodes[t].start <= key) {
            best = t;
            t = nodes[t].right;
        } else {
            t = nodes[t].left;
        }
    }
    return best;
}

/* The node with the least start > key, or 0. */
static int above_node(uintptr_t key) {
    int t = root, best = 0;
    while (t) {
        if (nodes[t].start > key) {
            best = t;
            t = nodes[t].left;
        } else {
            t = nodes[t].right;
        }
    }
    return best;
}

static void range_insert(const void *p, size_t len) {
    uintptr_t s = (uintptr_t)p, e = s + len;
    int f = floor_node(s), a = above_node(s);
    REQUIRE(!f || nodes[f].end <= s, "op %lu: block %p overlaps one at %p", op_no, p,
            (void *)nodes[f].start);
    REQUIRE(!a || e <= nodes[a].start, "op %lu: block %p+%zu overlaps one at %p", op_no, p,
            len, (void *)nodes[a].start);
    int n = free_nodes[--n_free_nodes];
    nodes[n] = (tnode){s, e, (uint32_t)rnd(), 0, 0};
    int lo, hi;
    split(root, s, &lo, &hi);
    root = merge(merge(lo, n), hi);
}

static void range_remove(const void *p) {
    uintptr_t s = (uintptr_t)p;
    int lo, mid, hi;
    split(root, s, &lo, &hi);
    split(hi, s + 1, &mid, &hi);
    REQUIRE(mid && !nodes[mid].left && !nodes[mid].right, "op %lu: %p not in the model",
            op_no, p);
    free_nodes[n_free_nodes++] = mid;
    root = merge(lo, hi);
}

/* ---- Contents */

static inline unsigned char pattern(uint32_t key, size_t i) {
    return (unsigned char)(key + i * 167u + (i >> 8) * 59u);
}

/* Call f on each written position of a block of n bytes below `limit`. */
#define FOR_WRITTEN(n, limit, i, body)                                        \
    do {                                                                      \
        size_t lim_ = (limit) < (n) ? (limit) : (n);                          \
        if ((n) <= FULL_LIMIT) {                                              \
            for (size_t i = 0; i < lim_; i++)                                 \
                body;                                                         \
        } else {                                                              \
            for (size_t i = 0; i < EDGE && i < lim_; i++)                     \
                body;                                                         \
            for (size_t i = GRID - 1; i < lim_; i += GRID)                    \
                body;                                                         \
            for (size_t i = (n) - EDGE; i < lim_; i++)                        \
                body;                                                         \
        }                                                                     \
    } while (0)

static void fill(live_block *b) {
    unsigned char *p = b->p;
    uint32_t key = b->key;
    FOR_WRITTEN(b->size, b->size, i, p[i] = pattern(key, i));
}

/* Check the pattern a block of `n` bytes was filled with, below `limit`. */
static void verify(const unsigned char *p, size_t n, uint32_t key, size_t limit) {
    size_t bad = SIZE_MAX;
    FOR_WRITTEN(n, limit, i, if (p[i] != pattern(key, i) && bad == SIZE_MAX) bad = i);
    REQUIRE(bad == SIZE_MAX, "op %lu: block %p (%zu bytes) corrupted at %zu", op_no,
            (const void *)p, n, bad);
}

static void verify_zero(const unsigned char *p, size_t n) {
    size_t bad = SIZE_MAX;
    FOR_WRITTEN(n, n, i, if (p[i] != 0 && bad == SIZE_MAX) bad = i);
    REQUIRE(bad == SIZE_MAX, "op %lu: calloc block %p not zero at %zu", op_no,
            (const void *)p, bad);
}

/* ---- Operations */

static void check_new(const void *p, size_t size, size_t align) {
    REQUIRE(p != NULL, "op %lu: allocation of %zu (align %zu) failed", op_no, size, align);
    if (align < _Alignof(max_align_t))
        align = _Alignof(max_align_t);
    REQUIRE(((uintptr_t)p & (align - 1)) == 0, "op %lu: %p not aligned to %zu", op_no, p,
            align);
    REQUIRE(wg_malloc_usable_size(p) >= size, "op %lu: usable %zu < %zu", op_no,
            wg_malloc_usable_size(p), size);
}

static void add_live(unsigned char *p, size_t size, int zeroed) {
    live_block *b = &live[n_live++];
    *b = (live_block){p, size, wg_malloc_usable_size(p), (uint32_t)rnd()};
    range_insert(p, b->usable);
    if (zeroed)
        verify_zero(p, size);
    fill(b);
    live_req_bytes += size;
    live_usable_bytes += b->usable;
}

static void drop_live(size_t k) {
    live_req_bytes -= live[k].size;
    live_usable_bytes -= live[k].usable;
    live[k] = live[--n_live];
}

static size_t rnd_align(size_t min) {
    size_t a;
    do
        a = (size_t)1 << rnd_below(21); /* 1 .. 1 MiB */
    while (a < min);
    return a;
}

static void op_malloc(void) {
    size_t n = rnd_size();
    unsigned char *p = wg_malloc(n);
    check_new(p, n, 1);
    add_live(p, n, 0);
}

static void op_calloc(void) {
    size_t n = rnd_size(), count = 1 + rnd_below(8), each = n / count;
    unsigned char *p = wg_calloc(count, each);
    check_new(p, count * each, 1);
    add_live(p, count * each, 1);
}

static void op_aligned_alloc(void) {
    size_t n = rnd_size(), a = rnd_align(1);
    unsigned char *p = wg_aligned_alloc(a, n);
    check_new(p, n, a);
    add_live(p, n, 0);
}

static void op_posix_memalign(void) {
    size_t n = rnd_size(), a = rnd_align(sizeof(void *));
    void *p = NULL;
    int rc = wg_posix_memalign(&p, a, n);
    REQUIRE(rc == 0, "op %lu: posix_memalign(%zu, %zu) = %d", op_no, a, n, rc);
    check_new(p, n, a);
    add_live(p, n, 0);
}

/* Recently freed pointers, for frees the allocator must refuse. */
#define FREED_RING 64
static unsigned char *freed_ring[FREED_RING];
static size_t freed_at;
static size_t bad_frees;
static const char static_bytes[32] = "not from the heap";

static void op_free(void) {
    size_t k = rnd_below(n_live);
    verify(live[k].p, live[k].size, live[k].key, SIZE_MAX);
    range_remove(live[k].p);
    wg_free(live[k].p);
    freed_ring[freed_at++ % FREED_RING] = live[k].p;
    drop_live(k);
}

/* Is p inside a live block of the model? */
static int in_live_block(const unsigned char *p) {
    int f = floor_node((uintptr_t)p);
    return f && (uintptr_t)p < nodes[f].end;
}

/* A free the allocator must refuse: a second free of a block (unless its
 * memory is live again), a pointer into a live block's payload, a pointer
 * into static memory or the stack. Nothing may change but the counter. */
static void op_bad_free(void) {
    unsigned char local[32];
    unsigned char *p;
    unsigned r = (unsigned)rnd_below(4);
    if (r == 0 && freed_at > 0) {
        p = freed_ring[rnd_below(freed_at < FREED_RING ? freed_at : FREED_RING)];
        if (in_live_block(p))
            return;
    } else if (r <= 1 && n_live > 0) {
        live_block *b = &live[rnd_below(n_live)];
        if (b->usable < 32)
            return;
        p = b->p + 16 * (1 + rnd_below(b->usable / 16 - 1));
    } else if (r == 2) {
        p = (unsigned char *)static_bytes + 16 * rnd_below(2);
    } else {
        p = local + rnd_below(16);
    }
    size_t before = wg_get_stats()->invalid_frees;
    if (rnd_below(2))
        wg_free(p);
    else
        REQUIRE(wg_realloc(p, 16) == NULL, "op %lu: realloc of a bad pointer %p succeeded", op_no, (void *)p);
    REQUIRE(wg_get_stats()->invalid_frees == before + 1, "op %lu: the free of %p was not refused", op_no,
            (void *)p);
    bad_frees++;
}

static void op_realloc(void) {
    size_t k = rnd_below(n_live), old = live[k].size, n;
    unsigned r = (unsigned)rnd_below(100);
    if (r < 3)
        n = 0;
    else if (r < 40)
        n = old + rnd_below(old / 2 + 64); /* grow a little */
    else if (r < 70)
        n = rnd_below(old + 1); /* shrink */
    else
        n = rnd_size();
    if (n > 16 * MIB)
        n = 16 * MIB;
    live_block b = live[k];
    verify(b.p, old, b.key, SIZE_MAX);
    range_remove(b.p);
    drop_live(k);
    unsigned char *p = wg_realloc(b.p, n);
    check_new(p, n, 1);
    verify(p, old, b.key, n); /* the first min(old, n) bytes moved along */
    live[n_live] = (live_block){p, n, wg_malloc_usable_size(p), b.key};
    range_insert(p, live[n_live].usable);
    fill(&live[n_live]); /* rewrites what was kept, adds the rest */
    live_req_bytes += n;
    live_usable_bytes += live[n_live].usable;
    n_live++;
}

static void check_stats(void) {
    const wg_stats *s = wg_get_stats();
    REQUIRE(s->live_count == n_live, "op %lu: live_count %zu, model %zu", op_no,
            s->live_count, n_live);
    REQUIRE(s->live_bytes == live_usable_bytes, "op %lu: live_bytes %zu, model %zu", op_no,
            s->live_bytes, live_usable_bytes);
}

static unsigned long env_ulong(const char *name, unsigned long def) {
    const char *v = getenv(name);
    return v && *v ? strtoul(v, NULL, 0) : def;
}

START_TEST(test_model) {
    unsigned long ops = env_ulong("WG_MODEL_OPS", 1000000);
    uint64_t seed = (uint64_t)env_ulong("WG_MODEL_SEED", 12345);
    rng_state = seed;
    printf("test_alloc_model: WG_MODEL_SEED=%" PRIu64 " WG_MODEL_OPS=%lu\n", seed, ops);
    fflush(stdout);
    for (int i = 0; i < MAX_LIVE; i++)
        free_nodes[n_free_nodes++] = MAX_LIVE - i;
    size_t max_live = 0, peak_req = 0;
    for (op_no = 0; op_no < ops; op_no++) {
        unsigned r = (unsigned)rnd_below(100);
        if (n_live == 0)
            r = 0;
        else if (n_live >= MAX_LIVE || live_req_bytes > LIVE_BYTES_CAP)
            r = 99;
        if (r < 30)
            op_malloc();
        else if (r < 37)
            op_calloc();
        else if (r < 42)
            op_aligned_alloc();
        else if (r < 46)
            op_posix_memalign();
        else if (r < 59)
            op_realloc();
        else if (r < 61)
            op_bad_free();
        else
            op_free();
        check_stats();
        if (n_live > max_live)
            max_live = n_live;
        if (live_req_bytes > peak_req)
            peak_req = live_req_bytes;
        if (op_no % CHECK_EVERY == 0)
            REQUIRE(wg__heap_check() == 0, "op %lu: heap check %d", op_no, wg__heap_check());
    }
    while (n_live > 0)
        op_free();
    check_stats();
    const wg_stats *s = wg_get_stats();
    ck_assert_uint_eq(s->live_count, 0);
    ck_assert_uint_eq(s->live_bytes, 0);
    ck_assert_uint_eq(s->total_allocs, s->total_frees);
    ck_assert_int_eq(wg__heap_check(), 0);
    ck_assert_uint_eq(s->invalid_frees, bad_frees);
    printf("test_alloc_model: max live blocks %zu, max live bytes %zu, heap %zu bytes, "
           "%zu bad frees refused\n", max_live, peak_req, s->heap_bytes, bad_frees);
    fflush(stdout);
}
END_TEST

static Suite *model_suite(void) {
    Suite *s = suite_create("alloc_model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(model_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
