/* corners.c - the implementation of corners.idl, for the end-to-end tests. */
#include "corners.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- Padded structs */

corners_padded_array corners_reverse_padded(const corners_padded *list, size_t list_len) {
    corners_padded_array r = {malloc(list_len ? list_len * sizeof *list : 1), list_len};
    for (size_t i = 0; r.ptr && i < list_len; i++)
        r.ptr[i] = list[list_len - 1 - i];
    return r;
}

uint32_t corners_padding_sum(const corners_padded *list, size_t list_len) {
    const unsigned char *b = (const unsigned char *)list;
    uint32_t sum = 0;
    for (size_t i = 0; i < list_len * sizeof *list; i++) {
        size_t at = i % sizeof *list;
        int field = at == offsetof(corners_padded, tag) || at == offsetof(corners_padded, last) ||
                    (at >= offsetof(corners_padded, value) && at < offsetof(corners_padded, value) + sizeof(double));
        if (!field)
            sum += b[i];
    }
    return sum;
}

corners_small_array corners_make_smalls(uint32_t n) {
    corners_small_array r = {malloc(n ? n * sizeof(corners_small) : 1), n};
    for (uint32_t i = 0; r.ptr && i < n; i++)
        r.ptr[i] = (corners_small){(uint16_t)(65535 - i), (uint8_t)(i * 3 + 1)};
    return r;
}

static void *dup_bytes(const void *p, size_t n) {
    void *r = malloc(n ? n : 1);
    if (r && n)
        memcpy(r, p, n);
    return r;
}

corners_holder corners_echo_holder(corners_holder h) {
    corners_holder r = h;
    r.items = dup_bytes(h.items, h.items_len * sizeof *h.items);
    r.smalls = dup_bytes(h.smalls, h.smalls_len * sizeof *h.smalls);
    r.mark = (uint8_t)(h.mark + 1);
    return r;
}

/* ---- 64-bit optional results beside out parameters */

wg_opt_i64 corners_opt_i64_outs(bool give, int64_t v, int32_t *count, double *ratio) {
    *count = give ? 7 : -7;
    *ratio = (double)v / 4;
    return (wg_opt_i64){give, v};
}

wg_opt_u64 corners_opt_u64_outs(bool give, uint64_t v, uint64_t *twice, bool *odd) {
    *twice = v * 2;
    *odd = v & 1;
    return (wg_opt_u64){give, ~v};
}

wg_opt_f64 corners_opt_f64_outs(bool give, double v, int64_t *bits) {
    memcpy(bits, &v, sizeof *bits);
    return (wg_opt_f64){give, -v};
}

/* ---- Two resource types */

struct corners_tally { uint32_t n; };
struct corners_meter { double v; };

corners_tally *corners_tally_new(uint32_t start) {
    corners_tally *t = malloc(sizeof *t);
    if (t)
        t->n = start;
    return t;
}
uint32_t corners_tally_count(corners_tally *self) { return ++self->n; }
void corners_tally_drop(corners_tally *self) { free(self); }
uint32_t corners_tally_peek(corners_tally *t) { return t->n; }

corners_meter *corners_meter_new(double start) {
    corners_meter *m = malloc(sizeof *m);
    if (m)
        m->v = start;
    return m;
}
void corners_meter_drop(corners_meter *self) { free(self); }

/* ---- Several out arrays */

void corners_two_out_arrays(uint32_t n, double *first, int32_t *second) {
    for (uint32_t i = 0; i < n; i++) {
        first[i] = i + 0.5;
        second[i] = -(int32_t)i;
    }
}

void corners_out_before_in(double *r, const double *a, size_t a_len) {
    for (size_t i = 0; i < 4; i++)
        r[i] = i < a_len ? a[i] * 2 : -1;
}

void corners_signed_len(int32_t n, int16_t *r) {
    for (int32_t i = 0; i < n; i++)
        r[i] = (int16_t)i;
}

/* ---- What imports return */

char *corners_relay_wide(uint32_t n) { return corners_wide(n); }
char *corners_relay_lone(uint32_t n) { return corners_lone(n); }

uint32_t corners_wide_bytes(uint32_t n) {
    char *s = corners_wide(n);
    uint32_t len = s ? (uint32_t)strlen(s) : 0;
    free(s);
    return len;
}

/* ---- A digest of every kind of argument (FNV-1a, 32 bits) */

static uint32_t fnv(uint32_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t fnv_u32(uint32_t h, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    return fnv(h, b, 4);
}

static uint32_t fnv_str(uint32_t h, const char *s, size_t n) {
    h = fnv_u32(h, s ? (uint32_t)n : 0xffffffffu);
    return s ? fnv(h, s, n) : h;
}

static uint32_t fnv_padded(uint32_t h, const corners_padded *p) {
    h = fnv_u32(h, p->tag);
    int64_t bits;
    memcpy(&bits, &p->value, sizeof bits);
    h = fnv_u32(h, (uint32_t)bits);
    h = fnv_u32(h, (uint32_t)(bits >> 32));
    return fnv_u32(h, p->last);
}

static uint32_t fnv_bag(uint32_t h, const corners_bag *b) {
    h = fnv_str(h, b->s, b->s_len);
    h = fnv_str(h, (const char *)b->bytes, b->bytes_len);
    h = fnv_str(h, b->note, b->note_len);
    h = fnv_u32(h, b->at.a);
    h = fnv_u32(h, b->at.b);
    h = fnv_u32(h, (uint32_t)b->names_len);
    for (size_t i = 0; i < b->names_len; i++)
        h = fnv_str(h, b->names[i].ptr, b->names[i].len);
    h = fnv_u32(h, (uint32_t)b->pads_len);
    for (size_t i = 0; i < b->pads_len; i++)
        h = fnv_padded(h, &b->pads[i]);
    return fnv_u32(h, b->tag);
}

uint32_t corners_digest(corners_bag b, const char *extra, size_t extra_len, const uint8_t *more, size_t more_len,
                        const corners_bag *many, size_t many_len, const char *last, size_t last_len) {
    uint32_t h = 2166136261u;
    h = fnv_bag(h, &b);
    h = fnv_str(h, extra, extra_len);
    h = fnv_str(h, (const char *)more, more_len);
    h = fnv_u32(h, (uint32_t)many_len);
    for (size_t i = 0; i < many_len; i++)
        h = fnv_bag(h, &many[i]);
    return fnv_str(h, last, last_len);
}

/* ---- Errors */

uint32_t corners_fail_with(uint32_t kind, wg_error *err) {
    if (kind == 0)
        wg_fail(err, 40, "%s", "");
    else
        wg_fail(err, 41, "kind %u of %s", kind, "errors");
    return 0;
}

/* ---- Memory grown behind the allocator's back */

uint32_t corners_foreign_grow(uint32_t pages) { return (uint32_t)__builtin_wasm_memory_grow(0, pages); }

double corners_sum_doubled(double *a, size_t a_len) {
    double sum = 0;
    for (size_t i = 0; i < a_len; i++)
        sum += a[i] *= 2;
    return sum;
}

uint32_t corners_knot_of(uint32_t mode) {
    enum { DEPTH = 40 };
    static char name[] = "k"; /* every node's: shared */
    static corners_knot level[DEPTH][2];
    int depth = mode == 1 ? DEPTH : 4;
    for (int k = depth - 1; k >= 0; k--)
        for (int j = 0; j < 2; j++)
            level[k][j] = (corners_knot){name, 1, k + 1 < depth ? level[k + 1] : NULL, k + 1 < depth ? 2u : 0u};
    return corners_count_knot((corners_knot){name, 1, level[0], 2});
}

uint32_t corners_words_of(uint32_t copies, uint32_t size, corners_words_seen fn, void *fn_data) {
    enum { MOST = 1500, LONGEST = 1 << 20 };
    static char word[LONGEST + 1]; /* static: a call the callback unwinds leaves nothing allocated */
    static const char *words[MOST + 1];
    if (copies > MOST)
        copies = MOST;
    if (size > LONGEST)
        size = LONGEST;
    memset(word, 'w', size);
    word[size] = '\0';
    for (uint32_t i = 0; i < copies; i++)
        words[i] = word; /* every one the same string */
    words[copies] = NULL;
    return fn(fn_data, words);
}

uint32_t corners_sack_of(uint32_t n) {
    static const char *const names[] = {"w0", "w1", "w2", "w3"};
    wg_str words[4];
    corners_padded items[4];
    if (n > 4)
        n = 4;
    for (uint32_t i = 0; i < n; i++) {
        words[i].ptr = names[i];
        words[i].len = 2;
        items[i].tag = (uint8_t)i;
        items[i].value = 0.5 * i;
        items[i].last = (uint8_t)(10 + i);
    }
    corners_sack b = {words, n, items, n};
    return corners_count_sack(b);
}
