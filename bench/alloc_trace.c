/*
 * alloc_trace.c - replays a trace of marshalling-sized malloc/free pairs.
 * Built twice (bench.mk): linked with libwasmgen.a, whose malloc replaces
 * wasi-libc's, and without it, so wasi-libc's dlmalloc serves it.
 *
 * The trace: 64 slots; each step picks a slot, frees what it holds or
 * allocates into it. Sizes are log-uniform from 16 B to 1 MiB, as strings and
 * arrays crossing the JS boundary are; every block is written at both ends.
 */
#include <stdint.h>
#include <stdlib.h>

#define SLOTS 64u

static uint32_t rng;
static unsigned char *slot[SLOTS];

static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* 16 B .. 1 MiB, log-uniform: 2^(4..20) times a random factor in [1, 2). */
static size_t size_of_step(void) {
    uint32_t r = next();
    unsigned shift = 4 + r % 16;
    size_t base = (size_t)1 << shift;
    return base + (size_t)((r >> 8) & (base - 1));
}

__attribute__((export_name("run"))) uint32_t run(uint32_t steps, uint32_t seed);
uint32_t run(uint32_t steps, uint32_t seed) {
    uint32_t check = 0;
    rng = seed ? seed : 1;
    for (uint32_t i = 0; i < steps; i++) {
        uint32_t k = next() % SLOTS;
        if (slot[k]) {
            check += slot[k][0];
            free(slot[k]);
            slot[k] = NULL;
        } else {
            size_t n = size_of_step();
            unsigned char *p = malloc(n);
            if (!p)
                return 0;
            p[0] = (unsigned char)i;
            p[n - 1] = (unsigned char)k;
            slot[k] = p;
        }
    }
    for (uint32_t k = 0; k < SLOTS; k++) {
        free(slot[k]);
        slot[k] = NULL;
    }
    return check;
}
