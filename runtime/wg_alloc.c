/*
 * wg_alloc.c - the wasmgen allocator.
 *
 * A two-level segregated-fit (TLSF) allocator with boundary tags and
 * immediate coalescing: malloc and free take O(1) time (a few bit scans and
 * list operations), independent of how many blocks exist. Single-threaded,
 * like wasm32 modules; natively it is only used by tests.
 *
 * ---- Blocks
 * The heap is a sequence of physically adjacent blocks. W = sizeof(size_t).
 * A block starting at address b looks like this:
 *
 *   b + 0     prev_size  size of the previous block. Only meaningful while
 *                        the previous block is free; while that block is in
 *                        use, this word is the last word of its payload.
 *   b + W     size       this block's size (from b to the next block's b),
 *                        a multiple of ALIGN, with flags in the low bits:
 *                        FREE_BIT (this block is free), PREV_FREE_BIT
 *                        (the previous block is free) and OWNED_BIT (a used
 *                        block a JS handle owns: see wg__adopt).
 *   b + 2W    payload    for a used block: what malloc returned, up to and
 *                        including the next block's prev_size word, so the
 *                        usable size is size - W;
 *                        for a free block: next_free, prev_free, the links of
 *                        its free list.
 *
 * Payloads are ALIGN (16) aligned, so every b is 16-aligned minus 2W (b is
 * 16-aligned natively, 8 mod 16 on wasm32). The overhead is one word per
 * used block. The smallest block (MIN_BLOCK) is 32 bytes natively (24
 * usable) and 16 bytes on wasm32 (12 usable).
 *
 * ---- Invariants
 *   - No two free blocks are adjacent: free() merges with both neighbours.
 *     Hence the block before a free block is always in use.
 *   - For every block, PREV_FREE_BIT equals the previous block's FREE_BIT,
 *     and when it is set, prev_size equals the previous block's size.
 *   - Each memory segment ends with a sentinel: a used block of size 0
 *     occupying the last 2W bytes, so nothing merges past the end.
 *   - The free block just before the newest segment's sentinel, if any, is
 *     `top` (the "wilderness", which heap growth extends) and is on no
 *     list. Every other free block is on exactly one free list, the one its
 *     size maps to, and the bitmaps have a bit set exactly for the
 *     non-empty lists.
 *
 * ---- Free lists (the two levels)
 * Sizes below SMALL_LIMIT (512) have one list per 16-byte size (first level
 * 0). Larger sizes are split first by power of two [2^f, 2^(f+1)), then into
 * SL_COUNT (32) equal sub-ranges. fl_bitmap marks non-empty first levels and
 * sl_bitmap[fl] the non-empty lists within one. malloc rounds the request up
 * to the next list boundary so that any block on any list at or above that
 * one fits (a "good fit", found with two bit scans); failing that it carves
 * the block from top, and only when top is too small does it take more
 * memory from the system. The excess of the block found is split off as a
 * new free block. Keeping top off the lists makes the common
 * allocate-then-free-in-reverse pattern cheap: blocks are carved from top
 * and merge back into it.
 *
 * ---- Memory from the system
 * wasm32: the heap starts at __heap_base, first using the rest of the
 * current memory, and grows with memory.grow in 64 KiB pages, by a fifth of
 * the memory there is (at most 96 MiB) when that is more than the block
 * needs: few grows for a run of large blocks (Emscripten's growth step is
 * the same idea). Natively, a
 * large range is reserved once with mmap (inaccessible) and a break pointer
 * moves through it in 64 KiB steps, making pages accessible with mprotect,
 * so tests exercise the same growth logic. Growth that
 * continues the previous segment turns the old sentinel into a free block
 * that merges with top; memory that is not contiguous (someone else grew
 * memory) starts a new segment, and the old top goes on a list. Memory is
 * never given back.
 *
 * ---- API notes
 *   - malloc(0) returns a unique minimal block.
 *   - realloc(p, 0) frees p and returns a new minimal block (as malloc(0)),
 *     which cannot fail, so NULL from realloc always means failure and p is
 *     then untouched. realloc grows in place into a free next block,
 *     shrinks in place, and otherwise moves (counted as an allocation and a
 *     free in the stats; in-place resizing changes only live_bytes).
 *   - Every allocating entry point first frees what the free-on-finalize
 *     queue holds (WG_ENTER); wg_free never drains, so there is no recursion.
 *   - Sizes beyond MAX_REQUEST (and any overflow) yield NULL up front.
 *   - free, realloc and malloc_usable_size refuse a pointer that is not a
 *     block in use (see used_block): nothing changes, and
 *     wg_stats.invalid_frees counts it (realloc then returns NULL,
 *     malloc_usable_size 0). free and realloc also refuse a block a JS
 *     handle owns (OWNED_BIT, set by wg__adopt): only JS gives it back.
 */
#if !defined(__wasm__)
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_NORESERVE */
#endif

#include <errno.h>
#include <limits.h>

#include "wg_alloc_test.h"
#include "wg_internal.h"

#if !defined(__wasm__)
#include <sys/mman.h>
#endif

/* ---- Geometry */

#define W sizeof(size_t)
#define ALIGN_LOG 4
#define ALIGN ((size_t)1 << ALIGN_LOG)
_Static_assert(_Alignof(max_align_t) <= ALIGN, "malloc must align to max_align_t");

#define FREE_BIT ((size_t)1)
#define PREV_FREE_BIT ((size_t)2)
#define OWNED_BIT ((size_t)4) /* a used block JS owns (a handle's): C's free() refuses it */
#define FLAG_BITS (FREE_BIT | PREV_FREE_BIT | OWNED_BIT)

typedef struct block {
    size_t prev_size;
    size_t size;
    struct block *next_free; /* only while free */
    struct block *prev_free; /* only while free */
} block;

#define HDR offsetof(block, next_free) /* block start to payload: 2W */
#define MIN_BLOCK ((sizeof(block) + ALIGN - 1) & ~(ALIGN - 1))

#define SL_LOG 5
#define SL_COUNT (1u << SL_LOG)
#define SMALL_LIMIT ((size_t)SL_COUNT << ALIGN_LOG) /* 512 */
#define FL_SHIFT (SL_LOG + ALIGN_LOG)              /* log2(SMALL_LIMIT) */
#if SIZE_MAX > 0xFFFFFFFFu
#define FL_MAX_LOG 38 /* blocks below 512 GiB */
#else
#define FL_MAX_LOG 31 /* any 32-bit size */
#endif
#define FL_COUNT (FL_MAX_LOG - FL_SHIFT + 2)
_Static_assert(FL_COUNT <= 31, "first-level bitmap and shifts need fl + 1 < 32");

/* The largest block: rounding it up to a list boundary stays in range. */
#define MAX_BLOCK ((size_t)7 << (FL_MAX_LOG - 2))
#define MAX_REQUEST (MAX_BLOCK - 4 * ALIGN)

#define PAGE ((size_t)65536)

/* The few functions on the malloc/free fast paths are forced inline
 * (measurably faster on wasm); rare paths are kept out of line. */
#define HOT static inline __attribute__((always_inline))
#define COLD static __attribute__((noinline))

/* ---- State */

wg_stats wg__stats;

static struct {
    uint32_t fl_bitmap;
    uint32_t sl_bitmap[FL_COUNT];
    block *heads[FL_COUNT][SL_COUNT];
} ctl;

static char *top_end; /* end of the newest segment (its sentinel ends here) */
static block *top;    /* the free block ending at that sentinel, if any */
static char *heap_lo; /* the first block of the first segment */

const wg_stats *wg_get_stats(void) { return &wg__stats; }

/* ---- Block helpers */

static inline size_t bsize(const block *b) { return b->size & ~FLAG_BITS; }
static inline block *at(const void *p, size_t off) { return (block *)((char *)p + off); }
static inline block *prev_block(const block *b) {
    return (block *)((char *)b - b->prev_size);
}
static inline void *payload(const block *b) { return (char *)b + HDR; }
static inline block *from_payload(const void *p) { return (block *)((char *)p - HDR); }

/* The block size for a request of n <= MAX_REQUEST bytes. */
static inline size_t block_size(size_t n) {
    size_t s = (n + W + ALIGN - 1) & ~(ALIGN - 1);
    return s < MIN_BLOCK ? MIN_BLOCK : s;
}

static inline unsigned log2_floor(size_t x) {
#if SIZE_MAX > 0xFFFFFFFFu
    return 63u - (unsigned)__builtin_clzll((unsigned long long)x);
#else
    return 31u - (unsigned)__builtin_clz((unsigned)x);
#endif
}

static inline unsigned lowest_bit(uint32_t x) { return (unsigned)__builtin_ctz(x); }

/* ---- Free lists */

static inline void mapping(size_t s, unsigned *fl, unsigned *sl) {
    if (s < SMALL_LIMIT) {
        *fl = 0;
        *sl = (unsigned)(s >> ALIGN_LOG);
    } else {
        unsigned f = log2_floor(s);
        *fl = f - (FL_SHIFT - 1);
        *sl = (unsigned)(s >> (f - SL_LOG)) - SL_COUNT;
    }
}

/* Round s up to the start of the next list, so every block on that list or
 * a higher one is at least s. */
static inline size_t round_to_list(size_t s) {
    if (s >= SMALL_LIMIT) {
        size_t r = ((size_t)1 << (log2_floor(s) - SL_LOG)) - 1;
        s = (s + r) & ~r;
    }
    return s;
}

HOT void insert(block *b) {
    unsigned fl, sl;
    mapping(bsize(b), &fl, &sl);
    block *h = ctl.heads[fl][sl];
    b->next_free = h;
    b->prev_free = NULL;
    if (h)
        h->prev_free = b;
    ctl.heads[fl][sl] = b;
    ctl.fl_bitmap |= 1u << fl;
    ctl.sl_bitmap[fl] |= 1u << sl;
}

HOT void unlink_block(block *b) {
    block *n = b->next_free, *p = b->prev_free;
    if (n)
        n->prev_free = p;
    if (p) {
        p->next_free = n;
    } else {
        unsigned fl, sl;
        mapping(bsize(b), &fl, &sl);
        ctl.heads[fl][sl] = n;
        if (!n) {
            ctl.sl_bitmap[fl] &= ~(1u << sl);
            if (!ctl.sl_bitmap[fl])
                ctl.fl_bitmap &= ~(1u << fl);
        }
    }
}

/* Take the head off the first non-empty list at or above (fl, sl); NULL if
 * there is none. The block stays marked free. */
HOT block *take_first(unsigned fl, unsigned sl) {
    uint32_t m = ctl.sl_bitmap[fl] & (~(uint32_t)0 << sl);
    if (!m) {
        uint32_t f = ctl.fl_bitmap & (~(uint32_t)0 << (fl + 1));
        if (!f)
            return NULL;
        fl = lowest_bit(f);
        m = ctl.sl_bitmap[fl];
    }
    sl = lowest_bit(m);
    block *b = ctl.heads[fl][sl], *n = b->next_free;
    ctl.heads[fl][sl] = n;
    if (n) {
        n->prev_free = NULL;
    } else {
        ctl.sl_bitmap[fl] &= ~(1u << sl);
        if (!ctl.sl_bitmap[fl])
            ctl.fl_bitmap &= ~(1u << fl);
    }
    return b;
}

/* File free block b (tags set): the block at the end of the heap becomes
 * top, any other goes on its list. */
static inline void put_free(block *b) {
    if ((char *)b + bsize(b) + HDR == top_end)
        top = b;
    else
        insert(b);
}

/* Take free block b off its list (or out of top). */
static inline void take_free(block *b) {
    if (b == top)
        top = NULL;
    else
        unlink_block(b);
}

/* Make used block b (whose size word and flags are set) free: merge it with
 * free neighbours, update the next block's tag, put it on its list. */
HOT void release(block *b) {
    size_t s = bsize(b);
    block *n = at(b, s);
    if (n->size & FREE_BIT) {
        take_free(n);
        s += bsize(n);
    }
    if (b->size & PREV_FREE_BIT) {
        block *p = prev_block(b);
        take_free(p);
        s += bsize(p);
        b = p;
    }
    b->size = s | FREE_BIT; /* the block before a free block is used */
    n = at(b, s);
    n->prev_size = s;
    n->size |= PREV_FREE_BIT;
    put_free(b);
}

COLD void release_cold(block *b) { release(b); }

/* ---- Memory from the system */

#if defined(__wasm__)

extern char __heap_base[];

#define GROW_CAP ((size_t)96 << 20) /* the most memory grows by beyond what is needed */

/* Take at least `need` more bytes; store the new range in [*lo, *hi). */
static int sys_grow(size_t need, char **lo, char **hi) {
    static int started;
    if (!started) { /* first, the rest of the initial memory */
        started = 1;
        size_t end = __builtin_wasm_memory_size(0) * PAGE;
        if (end > (uintptr_t)__heap_base) {
            *lo = __heap_base;
            *hi = (char *)end;
            return 1;
        }
    }
    size_t pages = need / PAGE + 1, have = __builtin_wasm_memory_size(0);
    /* Keep the end of memory representable (below 4 GiB). */
    if (pages > SIZE_MAX / PAGE - have)
        return 0;
    /* Grow by a fifth of what there is (at most 96 MiB) when that is more:
     * each memory.grow costs the engine, and JS rebuilds its views of the
     * memory, so a run of large allocations would otherwise pay that at
     * every one (250 us a 64 KiB block in Node). Past what the engine
     * allows, just what is needed. */
    size_t step = have / 5 < GROW_CAP / PAGE ? have / 5 : GROW_CAP / PAGE;
    size_t old = (size_t)-1;
    if (step > pages && step <= SIZE_MAX / PAGE - have) {
        old = __builtin_wasm_memory_grow(0, step);
        if (old != (size_t)-1)
            pages = step;
    }
    if (old == (size_t)-1)
        old = __builtin_wasm_memory_grow(0, pages);
    if (old == (size_t)-1)
        return 0;
    *lo = (char *)(old * PAGE);
    *hi = *lo + pages * PAGE;
    return 1;
}

#else /* native: a reserved range and a break pointer */

static char *res_base;
static size_t res_size, res_used, res_limit = WG_HEAP_NO_LIMIT;

void wg__heap_set_limit(size_t bytes) { res_limit = bytes; }

static int sys_grow(size_t need, char **lo, char **hi) {
    if (!res_base) {
        /* 64 GiB of address space, or less where that cannot be had. It is
         * inaccessible beyond the break, like wasm memory beyond its end
         * (and so that tools such as valgrind do not scan all of it). */
        for (size_t sz = (size_t)64 << 30; sz >= ((size_t)64 << 20); sz /= 2) {
            void *p = mmap(NULL, sz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                           -1, 0);
            if (p != MAP_FAILED) {
                res_base = p;
                res_size = sz;
                break;
            }
        }
        if (!res_base)
            return 0;
    }
    size_t cap = res_size < res_limit ? res_size : res_limit;
    size_t bytes = (need / PAGE + 1) * PAGE;
    if (res_used > cap || bytes > cap - res_used ||
        mprotect(res_base + res_used, bytes, PROT_READ | PROT_WRITE) != 0)
        return 0;
    *lo = res_base + res_used;
    res_used += bytes;
    *hi = res_base + res_used;
    return 1;
}

#endif

/* Add the range [lo, hi) to the heap as one free block. */
COLD void add_region(char *lo, char *hi) {
    block *b;
    hi = (char *)((uintptr_t)hi & ~(uintptr_t)(ALIGN - 1));
    if (lo == top_end) {
        b = (block *)(lo - HDR); /* the old sentinel keeps its PREV_FREE_BIT */
    } else {
        uintptr_t start = (((uintptr_t)lo + HDR + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1)) - HDR;
        if ((uintptr_t)hi < start || (uintptr_t)hi - start < HDR + MIN_BLOCK)
            return; /* too small to hold a block and a sentinel */
        if (top) { /* no longer at the end of the heap */
            insert(top);
            top = NULL;
        }
        b = (block *)start;
        b->size = 0; /* nothing before it to merge with */
        if (!heap_lo)
            heap_lo = (char *)b;
    }
    block *sentinel = (block *)(hi - HDR);
    b->size = (size_t)((char *)sentinel - (char *)b) | (b->size & PREV_FREE_BIT);
    sentinel->size = 0;
    top_end = hi;
    wg__stats.heap_bytes += (size_t)(hi - lo);
    release_cold(b);
}

/* Grow the heap until top has at least bs bytes, and take it. */
COLD block *take_grown(size_t bs) {
    for (;;) {
        size_t have = top ? bsize(top) : 0;
        if (have >= bs) {
            block *b = top;
            top = NULL;
            return b;
        }
        char *lo, *hi; /* new memory merges with top, or becomes top */
        if (!sys_grow(bs - have, &lo, &hi))
            return NULL;
        add_region(lo, hi);
    }
}

/* Take a free block of at least bs bytes (it stays marked free): the best
 * list's, else top, else top after growing the heap; NULL when out of
 * memory. */
HOT block *take(size_t bs) {
    if (ctl.fl_bitmap) {
        unsigned fl, sl;
        mapping(round_to_list(bs), &fl, &sl);
        block *b = take_first(fl, sl);
        if (b)
            return b;
    }
    if (top && bsize(top) >= bs) {
        block *b = top;
        top = NULL;
        return b;
    }
    return take_grown(bs);
}

COLD block *take_cold(size_t bs) { return take(bs); }

/* Turn free block b (off its list) into a used block of size bs, returning
 * the excess as a free block, and count it. */
HOT void *finish(block *b, size_t bs) {
    size_t s = bsize(b);
    size_t prev_flag = b->size & PREV_FREE_BIT;
    if (s - bs >= MIN_BLOCK) {
        block *r = at(b, bs);
        r->size = (s - bs) | FREE_BIT; /* the next block's tag already says
                                          "previous free" */
        at(r, s - bs)->prev_size = s - bs;
        put_free(r);
        s = bs;
    } else {
        at(b, s)->size &= ~PREV_FREE_BIT;
    }
    b->size = s | prev_flag;
    wg__stats.live_count++;
    wg__stats.total_allocs++;
    wg__stats.live_bytes += s - W;
    if (wg__stats.live_bytes > wg__stats.peak_bytes)
        wg__stats.peak_bytes = wg__stats.live_bytes;
    return payload(b);
}

static void *alloc(size_t n) {
    if (n > MAX_REQUEST)
        return NULL;
    size_t bs = block_size(n);
    block *b = take(bs);
    return b ? finish(b, bs) : NULL;
}

static void *alloc_aligned(size_t align, size_t n) {
    if (align == 0 || (align & (align - 1)))
        return NULL;
    if (align <= ALIGN)
        return alloc(n);
    if (n > MAX_REQUEST || align > MAX_BLOCK)
        return NULL;
    size_t bs = block_size(n);
    if (align + MIN_BLOCK > MAX_BLOCK - bs)
        return NULL;
    /* Room to move the payload up to the boundary, leaving a free block
     * of at least MIN_BLOCK in front. */
    block *b = take_cold(bs + align + MIN_BLOCK);
    if (!b)
        return NULL;
    uintptr_t p = (uintptr_t)payload(b);
    uintptr_t q = (p + align - 1) & ~(uintptr_t)(align - 1);
    if (q != p) {
        if (q - p < MIN_BLOCK)
            q += align; /* align > ALIGN, so align >= MIN_BLOCK */
        size_t gap = (size_t)(q - p);
        block *nb = at(b, gap);
        nb->size = (bsize(b) - gap) | FREE_BIT | PREV_FREE_BIT;
        nb->prev_size = gap;
        b->size = gap | FREE_BIT; /* the block before b is used */
        insert(b);
        b = nb;
    }
    return finish(b, bs);
}

/* Cut used block b down to bs bytes, freeing the rest if big enough. */
static void shrink(block *b, size_t bs) {
    size_t s = bsize(b);
    if (s - bs < MIN_BLOCK)
        return;
    block *r = at(b, bs);
    r->size = s - bs; /* used, previous used: release() sets the rest */
    b->size = bs | (b->size & PREV_FREE_BIT);
    release_cold(r);
}

/* ---- Pointers the allocator did not hand out
 *
 * free, realloc and malloc_usable_size first check, in O(1), that a pointer
 * is the payload of a block in use, as glibc does ("free(): invalid
 * pointer"): inside the heap, aligned, a sane size that ends inside the
 * heap, not free, the next block's tag agreeing that it is in use, and, when
 * its tag says the previous block is free, that block's header agreeing.
 * A pointer into static memory or the stack, one that is not the start of a
 * payload, and a second free of the same block (whether or not it merged
 * with a neighbour since) all fail; such a call changes nothing and counts
 * in wg_stats.invalid_frees. The checks read only heap words; a pointer
 * into the middle of a live block whose data happens to look like a block
 * header could still pass, but not one the allocator or JS ever produces. */
static inline block *used_block(const void *ptr) {
    char *p = (char *)ptr, *lo = heap_lo;
    if (((uintptr_t)p & (ALIGN - 1)) || !lo || p < lo + HDR || p >= top_end)
        return NULL;
    block *b = from_payload(p);
    size_t s = bsize(b), room = (size_t)(top_end - HDR - (char *)b);
    if ((b->size & FREE_BIT) || s < MIN_BLOCK || (s & (ALIGN - 1)) || s > room)
        return NULL;
    block *n = at(b, s);
    size_t ns = bsize(n);
    if ((n->size & PREV_FREE_BIT) || (ns != 0 && (ns < MIN_BLOCK || ns > room - s)))
        return NULL;
    if (b->size & PREV_FREE_BIT) {
        size_t ps = b->prev_size;
        if (ps < MIN_BLOCK || (ps & (ALIGN - 1)) || ps > (size_t)((char *)b - lo) ||
            prev_block(b)->size != (ps | FREE_BIT))
            return NULL;
    }
    return b;
}

COLD void invalid_free(void) { wg__stats.invalid_frees++; }

/* ---- The API */

void *wg_malloc(size_t size) {
    WG_ENTER();
    return alloc(size);
}

/* Free the block at ptr; a block JS owns only when `js` (JS's own frees,
 * and the free-on-finalize queue's). */
static bool free_block(void *ptr, bool js) {
    if (!ptr)
        return true;
    block *b = used_block(ptr);
    if (!b || (!js && (b->size & OWNED_BIT))) {
        invalid_free();
        return false;
    }
    wg__stats.live_count--;
    wg__stats.live_bytes -= bsize(b) - W;
    wg__stats.total_frees++;
    release(b);
    return true;
}

void wg_free(void *ptr) { (void)free_block(ptr, false); }

bool wg__free_checked(void *ptr) { return free_block(ptr, true); }

int wg__adopt(void *ptr, size_t bytes) {
    block *b = ptr ? used_block(ptr) : NULL;
    if (!b)
        return 1;
    if (b->size & OWNED_BIT)
        return 2;
    if (bsize(b) - W < bytes)
        return 3;
    b->size |= OWNED_BIT;
    return 0;
}

void *wg_calloc(size_t count, size_t size) {
    size_t n;
    WG_ENTER();
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    void *p = alloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *wg_realloc(void *ptr, size_t size) {
    WG_ENTER();
    if (!ptr)
        return alloc(size);
    if (size == 0) {
        if (!free_block(ptr, false))
            return NULL;
        return alloc(0); /* reuses the block just freed: cannot fail */
    }
    block *b = used_block(ptr);
    if (!b || (b->size & OWNED_BIT)) {
        invalid_free();
        return NULL;
    }
    if (size > MAX_REQUEST)
        return NULL;
    size_t bs = block_size(size), old = bsize(b), s = old;
    if (s < bs) {
        block *n = at(b, s);
        if (!(n->size & FREE_BIT) || s + bsize(n) < bs) {
            void *q = alloc(size);
            if (q) {
                memcpy(q, ptr, s - W);
                wg_free(ptr);
            }
            return q;
        }
        take_free(n); /* grow into the free next block */
        s += bsize(n);
        b->size = s | (b->size & PREV_FREE_BIT);
        at(b, s)->size &= ~PREV_FREE_BIT;
    }
    shrink(b, bs);
    wg__stats.live_bytes = wg__stats.live_bytes - old + bsize(b);
    if (wg__stats.live_bytes > wg__stats.peak_bytes)
        wg__stats.peak_bytes = wg__stats.live_bytes;
    return ptr;
}

void *wg_aligned_alloc(size_t align, size_t size) {
    WG_ENTER();
    return alloc_aligned(align, size);
}

int wg_posix_memalign(void **out, size_t align, size_t size) {
    WG_ENTER();
    if (align == 0 || align % sizeof(void *) != 0 || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = alloc_aligned(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

size_t wg_malloc_usable_size(const void *ptr) {
    const block *b = ptr ? used_block(ptr) : NULL;
    return b ? bsize(b) - W : 0;
}

/* ---- Consistency check for tests (native only; one segment there) */

#if !defined(__wasm__)
int wg__heap_check(void) {
    size_t free_blocks = 0, listed = 0, live = 0, live_bytes = 0;
    if (res_base) {
        uintptr_t start = (((uintptr_t)res_base + HDR + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1)) - HDR;
        block *b = (block *)start, *end = (block *)(top_end - HDR);
        int prev_free = 0;
        size_t prev_size = 0;
        block *last = NULL;
        for (; b != end; last = b, b = at(b, bsize(b))) {
            size_t s = bsize(b);
            if (s < MIN_BLOCK || s % ALIGN || (char *)b + s > (char *)end)
                return 1; /* bad size */
            if (!!(b->size & PREV_FREE_BIT) != prev_free)
                return 2; /* tag disagrees with the previous block */
            if (prev_free && b->prev_size != prev_size)
                return 3; /* wrong prev_size */
            if (b->size & FREE_BIT) {
                if (prev_free)
                    return 4; /* two adjacent free blocks */
                free_blocks++;
            } else {
                live++;
                live_bytes += s - W;
            }
            prev_free = (b->size & FREE_BIT) != 0;
            prev_size = s;
        }
        if (end->size != (prev_free ? PREV_FREE_BIT : 0) ||
            (prev_free && end->prev_size != prev_size))
            return 5; /* bad sentinel */
        if (top != (prev_free ? last : NULL))
            return 12; /* the free block at the end is not top */
    }
    for (unsigned fl = 0; fl < FL_COUNT; fl++) {
        if (!!(ctl.fl_bitmap & (1u << fl)) != (ctl.sl_bitmap[fl] != 0))
            return 6; /* first-level bitmap wrong */
        for (unsigned sl = 0; sl < SL_COUNT; sl++) {
            block *h = ctl.heads[fl][sl];
            if (!!(ctl.sl_bitmap[fl] & (1u << sl)) != (h != NULL))
                return 7; /* second-level bitmap wrong */
            for (block *p = NULL; h; p = h, h = h->next_free) {
                unsigned f, s;
                mapping(bsize(h), &f, &s);
                if (!(h->size & FREE_BIT) || f != fl || s != sl || h->prev_free != p || h == top)
                    return 8; /* list entry not free, on the wrong list, or bad link */
                listed++;
            }
        }
    }
    if (listed + (top != NULL) != free_blocks)
        return 9; /* free blocks not on a list */
    if (live != wg__stats.live_count || live_bytes != wg__stats.live_bytes)
        return 10; /* stats disagree with the heap */
    if (res_used != wg__stats.heap_bytes)
        return 11;
    return 0;
}
#endif
