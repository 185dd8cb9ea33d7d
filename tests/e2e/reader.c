/* reader.c - the implementation of reader.idl, for the end-to-end tests. */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *str(const char *fmt, int seed, size_t *len) {
    char buf[64];
    int n = snprintf(buf, sizeof buf, fmt, seed);
    char *s = malloc((size_t)n + 1);
    if (s)
        memcpy(s, buf, (size_t)n + 1);
    *len = (size_t)n;
    return s;
}

static reader_inner inner(int seed, bool bad) {
    reader_inner r = {(uint8_t)(200 + seed), bad ? (reader_mood)5 : READER_MOOD_GONE, seed & 1,
                      (int16_t)(-300 - seed), NULL, 0};
    if (seed % 2 == 0)
        r.note = str("note %d", seed, &r.note_len);
    return r;
}

static reader_every every(int seed, bool bad_last, bool bad_inner) {
    reader_every e;
    memset(&e, 0, sizeof e);
    e.b = seed % 2 == 0;
    e.i8v = (int8_t)(-100 - seed % 20);
    e.u8v = (uint8_t)(250 + seed % 5);
    e.i16v = (int16_t)(-30000 - seed);
    e.u16v = (uint16_t)(65000 + seed);
    e.i32v = -2000000000 - seed;
    e.u32v = 4000000000u + (uint32_t)seed;
    e.i64v = -9000000000000000000LL - seed;
    e.u64v = 18000000000000000000ULL + (uint64_t)seed;
    e.i53v = -9007199254740991LL + seed;
    e.f32v = 1.1f * (float)seed;
    e.f64v = -0.1 * seed;
    e.m = READER_MOOD_BUSY;
    e.s = str("s%d", seed, &e.s_len);
    e.some = str("some é %d", seed, &e.some_len);
    e.bytes_len = 3;
    uint8_t *b = malloc(3);
    if (b) {
        b[0] = (uint8_t)seed;
        b[1] = 1;
        b[2] = 255;
    }
    e.bytes = b;
    e.in1 = inner(seed, false);
    e.inners_len = 2;
    reader_inner *in = malloc(2 * sizeof *in);
    if (in) {
        in[0] = inner(seed + 1, false);
        in[1] = inner(seed + 2, bad_inner);
    }
    e.inners = in;
    e.words_len = 2;
    wg_str *w = malloc(2 * sizeof *w);
    if (w) {
        w[0].ptr = str("w%d", seed, &w[0].len);
        w[1].ptr = str("%d", seed * 10, &w[1].len);
    }
    e.words = w;
    e.last = bad_last ? (reader_mood)-7 : READER_MOOD_CALM;
    return e;
}

reader_every reader_one(int32_t seed, bool bad) { return every(seed, bad, false); }

reader_every_array reader_many(uint32_t n, bool bad) {
    reader_every *v = malloc((n ? n : 1) * sizeof *v);
    for (uint32_t i = 0; v && i < n; i++)
        v[i] = every((int)i, false, bad && i + 1 == n);
    return (reader_every_array){v, n};
}

reader_wide reader_wide_one(uint8_t base) {
    reader_wide w;
    uint8_t *p = (uint8_t *)&w;
    for (size_t i = 0; i < sizeof w; i++)
        p[i] = (uint8_t)(base + i);
    return w;
}
