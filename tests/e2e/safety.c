/* safety.c - the implementation of safety.idl: correct C (apart from the
 * results JS must refuse, marked as such), so that every misuse the tests
 * show comes from JavaScript. */
#include "safety.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *copy(const char *s, size_t n) {
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static double *doubles(size_t n, double first) {
    double *d = malloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; d && i < n; i++)
        d[i] = first + (double)i;
    return d;
}

/* ---- Probes */

static uintptr_t probe_at;
uint32_t safety_stack_probe(void) {
    volatile char here = 0;
    probe_at = (uintptr_t)&here;
    return (uint32_t)probe_at;
}

static uint32_t dropped, live;
uint32_t safety_drops(void) { return dropped; }
uint32_t safety_live_things(void) { return live; }

/* ---- The resource */

struct safety_thing {
    int32_t id;
};

safety_thing *safety_thing_new(int32_t id) {
    safety_thing *t = malloc(sizeof *t);
    if (t) {
        t->id = id;
        live++;
    }
    return t;
}

int32_t safety_thing_id(safety_thing *self) { return self->id; }

int32_t safety_thing_touch(safety_thing *self) {
    safety_poke(self->id);
    return self->id; /* self must still be alive here */
}

/* Frees the thing first, then tells JS, with 256 bytes of C stack in use:
 * if the import throws, only that stack frame is left behind. */
void safety_thing_drop(safety_thing *self) {
    volatile char pad[256];
    int32_t id = self->id;
    pad[0] = (char)id;
    self->id = -1;
    free(self);
    live--;
    dropped++;
    safety_dropping(id);
    pad[1] = pad[0];
}

/* ---- Arguments */

void safety_fill(double v, uint32_t n, double *result) {
    for (uint32_t i = 0; i < n; i++)
        result[i] = v;
}

void safety_add_to(double *dst, size_t dst_len, const double *src, size_t src_len) {
    for (size_t i = 0; i < dst_len && i < src_len; i++)
        dst[i] += src[i];
}

void safety_poke_add(double *dst, size_t dst_len, double v) {
    safety_poke(1);
    for (size_t i = 0; i < dst_len; i++)
        dst[i] += v;
}

static double sum(const double *a, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

double safety_poke_sum(const double *a, size_t a_len) {
    safety_poke(2);
    return sum(a, a_len);
}

double safety_sum_with(const double *a, size_t a_len, safety_holder h) {
    return sum(a, a_len) + sum(h.data, h.data_len);
}

double safety_sum_f64(const double *a, size_t a_len) { return sum(a, a_len); }

double safety_sum_i32(const int32_t *a, size_t a_len) {
    double s = 0;
    for (size_t i = 0; i < a_len; i++)
        s += a[i];
    return s;
}

uint32_t safety_len_f64(const double *a, size_t a_len) {
    (void)a;
    return (uint32_t)a_len;
}

uint32_t safety_sum_u8(const uint8_t *a, size_t a_len) {
    uint32_t s = 0;
    for (size_t i = 0; i < a_len; i++)
        s += a[i];
    return s;
}

wg_f64_array safety_ramp(uint32_t n) { return (wg_f64_array){doubles(n, 0), n}; }

/* ---- Copy-back and views */

static uint32_t bumped;
uint32_t safety_bumps(void) { return bumped; }

void safety_bump(double *a, size_t a_len) {
    bumped++;
    for (size_t i = 0; i < a_len; i++)
        a[i] += 1;
}

double safety_sum_after(const char *pad, size_t pad_len, const double *a, size_t a_len) {
    (void)pad;
    (void)pad_len;
    return sum(a, a_len);
}

void safety_bump_after(const char *pad, size_t pad_len, double *a, size_t a_len) {
    (void)pad;
    (void)pad_len;
    safety_bump(a, a_len);
}

/* ---- throws: on failure the result is junk that JS must not convert. */

safety_kind safety_fail_kind(bool fail, wg_error *err) {
    if (fail) {
        wg_fail(err, 21, "no kind");
        return (safety_kind)0;
    }
    return SAFETY_KIND_TWO;
}

int64_t safety_fail_i53(bool fail, wg_error *err) {
    if (fail) {
        wg_fail(err, 22, "no i53");
        return (int64_t)1 << 60;
    }
    return 53;
}

static safety_holder make_holder(safety_kind k, size_t n) {
    return (safety_holder){k, doubles(n, 1), n, copy("label", 5), 5};
}

safety_holder safety_fail_holder(bool fail, wg_error *err) {
    if (fail) {
        wg_fail(err, 23, "no holder");
        return make_holder((safety_kind)0, 4); /* owned fields JS must free */
    }
    return make_holder(SAFETY_KIND_ONE, 2);
}

safety_thing *safety_fail_thing(bool fail, wg_error *err) {
    if (fail) {
        wg_fail(err, 24, "no thing");
        return NULL;
    }
    return safety_thing_new(24);
}

/* ---- Results JS must not trust */

safety_holder safety_bad_holder(void) { return make_holder((safety_kind)7, 3); }

safety_holder_array safety_holders(uint32_t n, bool bad_last) {
    safety_holder *h = malloc((n ? n : 1) * sizeof *h);
    for (uint32_t i = 0; h && i < n; i++)
        h[i] = make_holder(bad_last && i + 1 == n ? (safety_kind)9 : SAFETY_KIND_TWO, 2);
    return (safety_holder_array){h, n};
}

/* Wrong on purpose: what a buggy C function might return. */
static double static_doubles[4] = {1, 2, 3, 4};

wg_f64_array safety_bad_array(uint32_t how) {
    switch (how) {
    case 0: return (wg_f64_array){(double *)(uintptr_t)0xfffffff0u, 4};
    case 1: return (wg_f64_array){(double *)((char *)doubles(4, 0) + 4), 2};
    case 2: return (wg_f64_array){doubles(4, 0), (size_t)1 << 30};
    default: return (wg_f64_array){static_doubles, 4};
    }
}

static double *same;
wg_f64_array safety_same_array(void) {
    if (!same)
        same = doubles(4, 10);
    return (wg_f64_array){same, 4};
}

char *safety_static_string(void) { return (char *)"a string literal"; }

wg_f64_array safety_echo_array(const double *a, size_t a_len) { return (wg_f64_array){(double *)a, a_len}; }

char *safety_echo_string(const char *s, size_t s_len) {
    (void)s_len;
    return (char *)s;
}

char *safety_as_string(const uint8_t *a, size_t a_len) {
    (void)a_len;
    return (char *)a;
}

static void *kept;
static size_t kept_bytes;

void safety_free_arg(const double *a, size_t a_len) {
    free((void *)a);
    kept_bytes = a_len * sizeof *a;
    kept = malloc(kept_bytes);
}

void safety_drop_kept(void) {
    if (kept)
        memset(kept, 0x55, kept_bytes);
    free(kept);
    kept = NULL;
}

int32_t safety_nest(int32_t depth) {
    volatile char pad[1024]; /* C stack in use while JS runs (indexed by a variable: kept whole) */
    for (int32_t i = 0; i < 1024; i++)
        pad[i] = (char)(i + depth);
    safety_poke(depth);
    int32_t sum = 0;
    for (int32_t i = 0; i < 1024; i++)
        sum += pad[i] != (char)(i + depth); /* what C left there is still there */
    return sum == 0 ? depth : -1;
}

/* ---- Output */

void safety_say(const char *s, size_t s_len) {
    (void)s_len;
    printf("%s\n", s);
}
