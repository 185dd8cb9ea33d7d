/* alltypes.c - the implementation of alltypes.idl, for the end-to-end tests. */
#include "alltypes.h"

#include <stdlib.h>
#include <string.h>

bool alltypes_id_bool(bool v) { return v; }
void alltypes_out_bool(bool v, bool *r) { *r = v; }

#define SCALAR_FUNCS(T, CT)                                                 \
    CT alltypes_id_##T(CT v) { return v; }                                  \
    void alltypes_out_##T(CT v, CT *r) { *r = v; }                          \
    wg_##T##_array alltypes_copy_##T(const CT *a, size_t a_len) {           \
        wg_##T##_array r = {malloc(a_len * sizeof(CT) + 1), a_len};         \
        if (!r.ptr)                                                         \
            r.len = 0;                                                      \
        else if (a_len)                                                     \
            memcpy(r.ptr, a, a_len * sizeof(CT));                           \
        return r;                                                           \
    }                                                                       \
    void alltypes_inc_##T(CT *a, size_t a_len) {                            \
        for (size_t i = 0; i < a_len; i++)                                  \
            a[i] = (CT)(a[i] + 1);                                          \
    }                                                                       \
    void alltypes_fill_##T(CT v, uint32_t n, CT *r) {                       \
        for (uint32_t i = 0; i < n; i++)                                    \
            r[i] = v;                                                       \
    }                                                                       \
    void alltypes_twice_##T(const CT *a, size_t a_len, CT *r) {             \
        for (size_t i = 0; i < a_len; i++)                                  \
            r[i] = (CT)(a[i] * 2);                                          \
    }
WG_ARRAY_TYPES(SCALAR_FUNCS)

void alltypes_three(double v, double *r) {
    r[0] = v;
    r[1] = v + 1;
    r[2] = v + 2;
}

int64_t alltypes_split(int64_t v, int32_t *low, uint32_t *high, bool *negative, double *halves) {
    *low = (int32_t)(uint32_t)((uint64_t)v & 0xffffffffu);
    *high = (uint32_t)((uint64_t)v >> 32);
    *negative = v < 0;
    halves[0] = (double)v / 2;
    halves[1] = (double)v / 4;
    return -v;
}

void alltypes_minmax(const double *values, size_t values_len, double *min, double *max) {
    *min = values_len ? values[0] : 0;
    *max = *min;
    for (size_t i = 1; i < values_len; i++) {
        if (values[i] < *min) *min = values[i];
        if (values[i] > *max) *max = values[i];
    }
}

char *alltypes_echo(const char *s, size_t s_len) {
    char *r = malloc(s_len + 1);
    if (r)
        memcpy(r, s, s_len + 1); /* the NUL too: it must be there */
    return r;
}

uint32_t alltypes_byte_length(const char *s, size_t s_len) {
    (void)s;
    return (uint32_t)s_len;
}

bool alltypes_nul_terminated(const char *s, size_t s_len) { return s[s_len] == '\0'; }

char *alltypes_concat(const char *a, size_t a_len, const char *b, size_t b_len) {
    char *r = malloc(a_len + b_len + 1);
    if (r) {
        memcpy(r, a, a_len);
        memcpy(r + a_len, b, b_len + 1);
    }
    return r;
}

char *alltypes_maybe(bool give) {
    if (!give)
        return NULL;
    char *r = malloc(5);
    if (r)
        memcpy(r, "here", 5);
    return r;
}

char *alltypes_maybe_not(bool give) { return alltypes_maybe(give); }

int32_t alltypes_count_nul(const char *s, size_t s_len) {
    int32_t n = 0;
    for (size_t i = 0; i < s_len; i++)
        n += s[i] == '\0';
    return n;
}

wg_f64_array alltypes_ramp(uint32_t n) {
    wg_f64_array r = {malloc((size_t)n * sizeof(double)), n};
    for (uint32_t i = 0; i < n && r.ptr; i++)
        r.ptr[i] = i;
    return r;
}

wg_u8_array alltypes_empty_array(void) { return (wg_u8_array){malloc(8), 0}; }

wg_u8_array alltypes_blank(uint32_t bytes) {
    wg_u8_array r = {malloc(bytes), bytes};
    if (!r.ptr)
        r.len = 0;
    return r;
}

/* Allocate and free `mib` MiB, so that wasm memory grows under live handles.
 * The volatile pointer stops clang from eliding the malloc/free pair. */
static void *volatile grown;
uint32_t alltypes_grow_heap(uint32_t mib) {
    grown = malloc((size_t)mib << 20);
    if (!grown)
        return 0;
    free(grown);
    grown = NULL;
    return mib;
}

void alltypes_nothing(void) {}

int32_t alltypes_shadow(int32_t yield, int32_t malloc, int32_t free, const char *memory,
                        size_t memory_len) {
    (void)memory;
    return yield + malloc + free + (int32_t)memory_len;
}
