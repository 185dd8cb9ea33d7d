/*
 * wg_host_sandbox.c - an instance's life cycle, and the checked helpers
 * generated NAME_host.c uses to move values in and out of linear memory.
 *
 * Nothing the module hands back is trusted: pointers and lengths are checked
 * against the memory's size in 64-bit arithmetic before anything is read,
 * views are checked for alignment, and host pointers into linear memory are
 * made at the moment of use, never kept across a call into the module.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include "wg_host_internal.h"

static _Thread_local char last_error[512];

const char *wg_host_last_error(void) { return last_error; }

/* ---- Bookkeeping */

static void vec_push(wg_sandbox *sb, wg_host_vec *v, const void *item, size_t size) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *d = realloc(v->data, cap * size);
        if (d == NULL)
            wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory");
        v->data = d;
        v->cap = cap;
    }
    memcpy((char *)v->data + v->len * size, item, size);
    v->len++;
}

void *wg_host_alloc(wg_sandbox *sb, size_t n) {
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory (%zu bytes for a result)", n);
    if (sb->own.len == sb->own.cap) {
        size_t cap = sb->own.cap ? sb->own.cap * 2 : 16;
        void *d = realloc(sb->own.data, cap * sizeof(void *));
        if (d == NULL) {
            free(p);
            wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory");
        }
        sb->own.data = d;
        sb->own.cap = cap;
    }
    ((void **)sb->own.data)[sb->own.len++] = p;
    return p;
}

void wg_host_release(wg_sandbox *sb, void *p) {
    void **own = sb->own.data;
    for (size_t i = sb->own.len; i-- > 0;)
        if (own[i] == p) {
            sb->release_steps += sb->own.len - i - 1;
            memmove(own + i, own + i + 1, (sb->own.len - i - 1) * sizeof *own);
            sb->own.len--;
            break;
        }
    free(p);
}

void wg_host_copy_start(wg_sandbox *sb, const char *what) {
    sb->copy_left = wg_host_mem_size(sb);
    sb->copy_what = what;
}

void wg_host_copied(wg_sandbox *sb, uint64_t n, const char *field) {
    if (n > sb->copy_left)
        wg_host_fail(sb, WG_HOST_BAD_RESULT,
                     "the module gave %s holding more than its memory's %llu bytes (at %s): its lists share "
                     "elements, which a copy would repeat without bound",
                     sb->copy_what, (unsigned long long)wg_host_mem_size(sb), field);
    sb->copy_left -= n;
}

/* ---- Memory */

void *wg_host_ptr(wg_sandbox *sb, uint64_t p, uint64_t n, const char *what) {
    if (!wg_host_in_bounds(sb, p, n))
        wg_host_fail(sb, WG_HOST_BAD_RESULT,
                     "the module gave %s out of bounds (address 0x%llx, %llu bytes; its memory is %llu bytes)",
                     what, (unsigned long long)p, (unsigned long long)n,
                     (unsigned long long)wg_host_mem_size(sb));
    return sb->mem->data + p;
}

#define LOAD_STORE(name, type)                                                 \
    type wg_host_ld_##name(wg_sandbox *sb, uint32_t p) {                       \
        type v;                                                                \
        memcpy(&v, wg_host_ptr(sb, p, sizeof v, "a value"), sizeof v);         \
        return v;                                                              \
    }                                                                          \
    void wg_host_st_##name(wg_sandbox *sb, uint32_t p, type v) {               \
        memcpy(wg_host_ptr(sb, p, sizeof v, "a value"), &v, sizeof v);         \
    }
LOAD_STORE(u8, uint8_t)
LOAD_STORE(u16, uint16_t)
LOAD_STORE(u32, uint32_t)
LOAD_STORE(u64, uint64_t)
LOAD_STORE(f32, float)
LOAD_STORE(f64, double)
#undef LOAD_STORE

uint32_t wg_host_module_alloc(wg_sandbox *sb, uint64_t n, const char *what) {
    if (n > UINT32_MAX)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "%s needs %llu bytes, more than wasm memory holds", what,
                     (unsigned long long)n);
    uint32_t p = sb->ops->alloc(sb->inst, (uint32_t)(n ? n : 1));
    if (p == 0)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of wasm memory (%s needs %llu bytes)", what,
                     (unsigned long long)n);
    (void)wg_host_ptr(sb, p, n, "an allocation");
    return p;
}

void wg_host_module_free(wg_sandbox *sb, uint32_t p) {
    if (p != 0)
        sb->ops->free(sb->inst, p);
}

void wg_host_view(wg_sandbox *sb, uint32_t p) {
    if (p != 0)
        vec_push(sb, &sb->views, &p, sizeof p);
}

uint32_t wg_host_scratch(wg_sandbox *sb, uint64_t n, const char *param) {
    uint32_t p = sb->ret_top;
    if (n <= WG_HOST_SCRATCH_MAX && n <= sb->ret_end - p) {
        sb->ret_top = (uint32_t)((p + n + 7) & ~(uint64_t)7);
        memset(sb->mem->data + p, 0, (size_t)n);
        return p;
    }
    p = wg_host_module_alloc(sb, n, param);
    /* Freed when the call ends; if the list cannot grow, free it now. */
    if (sb->tmp.len == sb->tmp.cap) {
        size_t cap = sb->tmp.cap ? sb->tmp.cap * 2 : 16;
        void *d = realloc(sb->tmp.data, cap * sizeof(uint32_t));
        if (d == NULL) {
            sb->ops->free(sb->inst, p);
            wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory");
        }
        sb->tmp.data = d;
        sb->tmp.cap = cap;
    }
    ((uint32_t *)sb->tmp.data)[sb->tmp.len++] = p;
    memset(sb->mem->data + p, 0, (size_t)n);
    return p;
}

uint32_t wg_host_ret(wg_sandbox *sb, uint32_t slots) {
    uint32_t p = sb->ret_top;
    uint64_t n = (uint64_t)slots * 8;
    if (n > sb->ret_end - p)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "calls nested too deeply (the return-area stack is full)");
    memset(sb->mem->data + p, 0, (size_t)n);
    sb->ret_top = p + (uint32_t)n;
    return p;
}

/* ---- Arguments in */

uint32_t wg_host_len(wg_sandbox *sb, size_t n, const char *param) {
    if ((uint64_t)n > UINT32_MAX)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is too long (%zu; at most 4294967295)", param, n);
    return (uint32_t)n;
}

uint32_t wg_host_out_len(wg_sandbox *sb, int64_t n, const char *param) {
    if (n < 0 || n > (int64_t)UINT32_MAX)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s: an out array of %lld elements", param, (long long)n);
    return (uint32_t)n;
}

uint32_t wg_host_put_str(wg_sandbox *sb, const char *s, size_t len, bool optional, const char *param) {
    if (s == NULL) {
        if (optional)
            return 0;
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", param);
    }
    uint32_t n = wg_host_len(sb, len, param);
    uint32_t p = wg_host_scratch(sb, (uint64_t)n + 1, param); /* zeroed: the NUL is there */
    memcpy(sb->mem->data + p, s, n);
    return p;
}

uint32_t wg_host_put_arr(wg_sandbox *sb, const void *a, size_t n, size_t elem, bool optional,
                         const char *param) {
    if (wg_host_none(sb, a, n, optional, param))
        return 0;
    uint64_t bytes = (uint64_t)wg_host_len(sb, n, param) * elem;
    uint32_t p = wg_host_scratch(sb, bytes, param); /* an empty array is not NULL */
    if (bytes)
        memcpy(sb->mem->data + p, a, (size_t)bytes);
    return p;
}

uint32_t wg_host_put_strs(wg_sandbox *sb, const wg_str *l, size_t n, bool optional, const char *what) {
    if (wg_host_none(sb, l, n, optional, what))
        return 0;
    uint32_t count = wg_host_len(sb, n, what);
    uint32_t p = wg_host_scratch(sb, (uint64_t)(count ? count : 1) * 8, what); /* an empty list is not NULL */
    for (uint32_t i = 0; i < count; i++) {
        uint32_t q = wg_host_put_str(sb, l[i].ptr, l[i].len, false, what);
        wg_host_st_u32(sb, p + 8 * i, q);
        wg_host_st_u32(sb, p + 8 * i + 4, (uint32_t)l[i].len);
    }
    return p;
}

uint32_t wg_host_put_cstrs(wg_sandbox *sb, const char *const *l, size_t n, bool optional, const char *what) {
    if (wg_host_none(sb, l, n, optional, what))
        return 0;
    uint32_t count = wg_host_len(sb, n, what);
    if (count == UINT32_MAX)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is too long (%u)", what, count);
    uint32_t p = wg_host_scratch(sb, ((uint64_t)count + 1) * 4, what); /* zeroed: the NULL after the last */
    for (uint32_t i = 0; i < count; i++) {
        if (l[i] == NULL) { /* parameter 'parts[1]', as JS names it */
            size_t w = strlen(what), q = w > 0 && what[w - 1] == '\'';
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%.*s[%u]%s is NULL", (int)(w - q), what, i, q ? "'" : "");
        }
        wg_host_st_u32(sb, p + 4 * i, wg_host_put_str(sb, l[i], strlen(l[i]), false, what));
    }
    return p;
}

/* ---- Results out */

char *wg_host_take_str(wg_sandbox *sb, uint32_t at, bool own, const char *what) {
    uint32_t p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);
    if (p == 0)
        return NULL;
    const char *src = wg_host_ptr(sb, p, n, what);
    if (own)
        wg_host_copied(sb, n, what);
    char *d = wg_host_alloc(sb, (size_t)n + 1);
    memcpy(d, src, n);
    d[n] = '\0';
    if (own)
        sb->ops->free(sb->inst, p);
    return d;
}

/* A string field at `at`, copied with its length; C's block freed when `own`
 * (a NULL not `optional` is "", as JS gets it). */
static char *take_strn(wg_sandbox *sb, uint32_t at, bool optional, bool own, size_t *len, const char *what) {
    uint32_t p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);
    *len = 0;
    if (p == 0) {
        if (optional)
            return NULL;
        char *empty = wg_host_alloc(sb, 1);
        empty[0] = '\0';
        return empty;
    }
    if (!own)
        wg_host_copied(sb, n, what);
    char *d = wg_host_take_str(sb, at, own, what);
    *len = n;
    return d;
}

char *wg_host_take_strn(wg_sandbox *sb, uint32_t at, bool optional, size_t *len, const char *what) {
    return take_strn(sb, at, optional, true, len, what);
}

char *wg_host_arg_strn(wg_sandbox *sb, uint32_t at, bool optional, size_t *len, const char *what) {
    return take_strn(sb, at, optional, false, len, what);
}

/* A string[] at `at` (its array, each string) copied into host memory:
 * `own`, the module's (freed here, as each string), else C's (left alone);
 * NULL for NULL. */
static wg_str *strs_of(wg_sandbox *sb, uint32_t at, bool own, size_t *len, const char *what) {
    uint32_t p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);
    *len = 0;
    if (p == 0)
        return NULL;
    (void)wg_host_ptr(sb, p, (uint64_t)n * 8, what);
    wg_host_copied(sb, (uint64_t)n * 8, what);
    wg_str *v = wg_host_alloc(sb, (size_t)n * sizeof *v);
    for (uint32_t i = 0; i < n; i++)
        v[i].ptr = take_strn(sb, p + 8 * i, false, own, &v[i].len, what);
    if (own)
        sb->ops->free(sb->inst, p);
    *len = n;
    return v;
}

void wg_host_take_strs(wg_sandbox *sb, uint32_t at, wg_str_array *out, const char *what) {
    out->ptr = strs_of(sb, at, true, &out->len, what);
}

const wg_str *wg_host_arg_strs_of(wg_sandbox *sb, uint32_t at, size_t *len, const char *what) {
    return strs_of(sb, at, false, len, what);
}

void wg_host_arg_strs_end(wg_sandbox *sb, const wg_str *l, size_t n) {
    if (l == NULL)
        return;
    for (size_t i = n; i-- > 0;)
        wg_host_release(sb, (void *)(uintptr_t)l[i].ptr);
    wg_host_release(sb, (void *)(uintptr_t)l);
}

void wg_host_free_strs_of(const wg_str *l, size_t n) {
    if (l == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free((void *)(uintptr_t)l[i].ptr);
    free((void *)(uintptr_t)l);
}

void wg_host_free_strs(wg_str_array *list) {
    if (list == NULL)
        return;
    wg_host_free_strs_of(list->ptr, list->len);
    list->ptr = NULL;
    list->len = 0;
}

void *wg_host_take_arr(wg_sandbox *sb, uint32_t at, size_t elem, bool own, size_t *len, const char *what) {
    uint32_t p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);
    *len = 0;
    if (p == 0)
        return NULL;
    uint64_t bytes = (uint64_t)n * elem;
    const void *src = wg_host_ptr(sb, p, bytes, what);
    wg_host_copied(sb, bytes, what);
    void *d = wg_host_alloc(sb, (size_t)bytes);
    memcpy(d, src, (size_t)bytes);
    if (own)
        sb->ops->free(sb->inst, p);
    *len = n;
    return d;
}

const void *wg_host_view_arr(wg_sandbox *sb, uint32_t at, size_t elem, size_t *len, const char *what) {
    uint32_t p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);
    *len = 0;
    if (p == 0)
        return NULL;
    const void *src = wg_host_ptr(sb, p, (uint64_t)n * elem, what);
    if (p % elem != 0)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module gave %s misaligned (address 0x%x, %zu-byte elements)",
                     what, p, elem);
    wg_host_view(sb, p);
    *len = n;
    return src;
}

void wg_host_get(wg_sandbox *sb, uint32_t p, void *dst, uint64_t n, const char *what) {
    memcpy(dst, wg_host_ptr(sb, p, n, what), (size_t)n);
}

char *wg_host_take_cstr(wg_sandbox *sb, uint32_t p, size_t max) {
    if (p == 0 || !wg_host_in_bounds(sb, p, 0))
        return NULL;
    uint64_t avail = wg_host_mem_size(sb) - p;
    size_t n = avail < max ? (size_t)avail : max;
    const char *src = (const char *)sb->mem->data + p;
    const char *nul = memchr(src, 0, n);
    if (nul != NULL)
        n = (size_t)(nul - src);
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, src, n);
        d[n] = '\0';
    }
    sb->ops->free(sb->inst, p);
    return d;
}

void wg_host_check_error(wg_sandbox *sb, uint32_t at) {
    /* wg_error in wasm32: int32_t code, int32_t failed, char *message. */
    int32_t code = (int32_t)wg_host_ld_u32(sb, at);
    uint32_t failed = wg_host_ld_u32(sb, at + 4), msg = wg_host_ld_u32(sb, at + 8);
    if (failed == 0)
        return;
    char *m = wg_host_take_cstr(sb, msg, 400);
    sb->error_code = code;
    char text[416];
    snprintf(text, sizeof text, "%s", m != NULL ? m : "failed");
    free(m);
    /* failed == 2: a binding's own check (a length, a capacity, a range:
     * WG_BIND_RANGE in wasmgen.h), the caller's to fix, as JS's RangeError. */
    wg_host_fail(sb, failed == 2 ? WG_HOST_BAD_ARGUMENT : WG_HOST_FAILED, "%s", text);
}

int64_t wg_host_i53(wg_sandbox *sb, int64_t v, const char *what) {
    if (v > 9007199254740991LL || v < -9007199254740991LL)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module returned %lld for %s, an i53, which is not a safe integer",
                     (long long)v, what);
    return v;
}

int64_t wg_host_i53_arg(wg_sandbox *sb, int64_t v, const char *what) {
    if (v > 9007199254740991LL || v < -9007199254740991LL)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is %lld, an i53, which is not a safe integer", what,
                     (long long)v);
    return v;
}

int wg_host_refuse(wg_sandbox *sb, const char *fn, const char *message) {
    if (sb == NULL)
        snprintf(last_error, sizeof last_error, "%s: %s", fn, message);
    else
        snprintf(sb->error, sizeof sb->error, "%s: %s", fn, message);
    return WG_HOST_BAD_ARGUMENT;
}

/* ---- Resource handles */

static void orphan_borrowers(wg_sandbox *sb, wg_host_res *v, uint32_t destroyed);

/* ---- The indexes of handles, so that no operation walks them all: each
 * handle's kids (the handles whose owner it is), and the linked handles by
 * ptr (sb->byptr: each ptr's list, but the orphaned handles, which nothing
 * re-parents or orphans again). sb->handle_steps counts what they visit. */

/* Seeded per instance (hash_seed, random): the module chooses its objects'
 * addresses, and with a hash it could predict, it could make every one of
 * them land in one probe sequence (each handle's bookkeeping then visits
 * all the others: quadratic). */
static inline uint32_t ptr_hash(const wg_sandbox *sb, uint32_t p) {
    p ^= sb->hash_seed;
    p ^= p >> 16;
    p *= 0x7feb352du;
    p ^= p >> 15;
    p *= 0x846ca68bu;
    return p ^ (p >> 16);
}

/* The slot of p's list in sb->byptr (cap > 0), or the empty one where it would go. */
static uint32_t byptr_find(wg_sandbox *sb, uint32_t p) {
    uint32_t mask = sb->byptr.cap - 1;
    for (uint32_t i = ptr_hash(sb, p) & mask;; i = (i + 1) & mask) {
        sb->handle_steps++;
        if (sb->byptr.v[i] == NULL || sb->byptr.v[i]->ptr == p)
            return i;
    }
}

/* Room for one more ptr in sb->byptr, reserved as a handle is made (where
 * failing is its call's), so that linking it never fails: byptr.n counts
 * the lists and the reservations not yet used (some never are: a call that
 * fails, a ptr that has a list), recounted as the table is rebuilt. */
static void byptr_reserve(wg_sandbox *sb, const char *type) {
    if ((uint64_t)(sb->byptr.n + 1) * 2 <= sb->byptr.cap) {
        sb->byptr.n++;
        return;
    }
    uint32_t live = 0, cap = 16;
    for (uint32_t i = 0; i < sb->byptr.cap; i++)
        live += sb->byptr.v[i] != NULL;
    sb->handle_steps += sb->byptr.cap;
    while (cap < UINT32_MAX / 8 && cap < 4 * (uint64_t)(live + 1))
        cap *= 2;
    wg_host_res **v = (uint64_t)(live + 1) * 2 <= cap ? calloc(cap, sizeof *v) : NULL;
    if (v == NULL)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory (a %s handle)", type);
    wg_host_res **old = sb->byptr.v;
    uint32_t ocap = sb->byptr.cap;
    sb->byptr.v = v;
    sb->byptr.cap = cap;
    for (uint32_t i = 0; i < ocap; i++)
        if (old[i] != NULL)
            v[byptr_find(sb, old[i]->ptr)] = old[i];
    free(old);
    sb->byptr.n = live + 1;
}

/* v joins its ptr's list (a slot reserved by byptr_reserve). */
static void byptr_add(wg_sandbox *sb, wg_host_res *v) {
    uint32_t i = byptr_find(sb, v->ptr);
    v->pprev = NULL;
    v->pnext = sb->byptr.v[i];
    if (v->pnext != NULL)
        v->pnext->pprev = v;
    sb->byptr.v[i] = v;
    v->indexed = true;
}

/* v leaves its ptr's list; an empty list's slot is freed (the entries
 * after it shifted back, so that no probe stops short of them). */
static void byptr_remove(wg_sandbox *sb, wg_host_res *v) {
    if (!v->indexed)
        return;
    v->indexed = false;
    if (v->pnext != NULL)
        v->pnext->pprev = v->pprev;
    if (v->pprev != NULL) {
        v->pprev->pnext = v->pnext;
        return;
    }
    uint32_t i = byptr_find(sb, v->ptr), mask = sb->byptr.cap - 1;
    wg_host_res **t = sb->byptr.v;
    if ((t[i] = v->pnext) != NULL)
        return;
    sb->byptr.n--;
    for (uint32_t j = (i + 1) & mask; t[j] != NULL; j = (j + 1) & mask) {
        sb->handle_steps++;
        if (((j - ptr_hash(sb, t[j]->ptr)) & mask) >= ((j - i) & mask)) { /* the hole is on its probe's way */
            t[i] = t[j];
            t[j] = NULL;
            i = j;
        }
    }
}

/* v leaves its owner's kids (its owner is not changed). */
static void kid_remove(wg_host_res *v) {
    wg_host_res *o = (wg_host_res *)v->hd.owner;
    if (o == NULL)
        return;
    if (v->kprev != NULL)
        v->kprev->knext = v->knext;
    else
        o->kids = v->knext;
    if (v->knext != NULL)
        v->knext->kprev = v->kprev;
}

/* v joins its owner's kids. */
static void kid_add(wg_host_res *v) {
    wg_host_res *o = (wg_host_res *)v->hd.owner;
    if (o == NULL)
        return;
    v->kprev = NULL;
    v->knext = o->kids;
    if (o->kids != NULL)
        o->kids->kprev = v;
    o->kids = v;
}

/* v is borrowed from `to` from now on (NULL: from no handle). */
static void set_owner(wg_host_res *v, wg_host_res *to) {
    kid_remove(v);
    v->hd.owner = to != NULL ? &to->hd : NULL;
    kid_add(v);
}

/* v's owner was freed, or its object is gone: refused from now on. */
static void orphan(wg_sandbox *sb, wg_host_res *v) {
    set_owner(v, NULL);
    v->hd.orphaned = true;
    byptr_remove(sb, v);
}

/* Lent handles' tokens: addresses in a reservation of the process (nothing
 * is ever mapped there, so no handle the host got any other way is one),
 * 8 bytes apart, each a serial. Serials are the process's, one after
 * another, so that a token kept past its callback names no entry of any
 * instance until they wrap around (after 2^29 - 1 lent handles). */
#define LENT_STEP 8u
#define LENT_SERIALS ((uint32_t)(WG_HOST_LENT_SPAN / LENT_STEP))

static pthread_once_t lent_once = PTHREAD_ONCE_INIT;
uintptr_t wg__lent_base;
/* (64 bits: a 32-bit count wraps at 2^32, which is no multiple of the
 * serials' 2^29 - 1, and gave serials 1 - 8 again 8 lends after their use) */
atomic_ullong wg__lent_next;

static void lent_reserve(void) {
    void *p = mmap(NULL, WG_HOST_LENT_SPAN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED)
        __atomic_store_n(&wg__lent_base, (uintptr_t)p, __ATOMIC_RELEASE);
}

/* v's serial when it is a token (0: none issued), -1 when it is not one. */
static inline int64_t lent_serial(const void *v) {
    uintptr_t base = __atomic_load_n(&wg__lent_base, __ATOMIC_ACQUIRE);
    uintptr_t d = (uintptr_t)v - base;
    return base != 0 && d < WG_HOST_LENT_SPAN ? (int64_t)(d / LENT_STEP) : -1;
}

/* The live entry of serial in sb->lent (newest first: the innermost
 * callback's are the ones used), or NULL. */
static wg_host_lent_entry *lent_find(wg_sandbox *sb, int64_t serial) {
    wg_host_lent *l = &sb->lent;
    for (uint32_t i = l->n; i > 0; i--)
        if (l->v[i - 1].serial == serial && l->v[i - 1].res != NULL)
            return &l->v[i - 1];
    return NULL;
}

wg_host_res *wg_host_res_lent(wg_sandbox *sb, const void *v, const char *type, const char *what) {
    int64_t serial = lent_serial(v);
    if (serial < 0)
        return (wg_host_res *)(uintptr_t)v;
    const wg_host_lent_entry *e = lent_find(sb, serial);
    if (e == NULL)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s C lent to a callback that has returned (a lent handle "
                     "is valid only while its callback runs, in its instance)", what, type);
    if (e->res->hd.lent == 2)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s C lent to a callback, which the host freed", what, type);
    return e->res;
}

uint32_t wg_host_borrow(wg_sandbox *sb, const wg_host_res *v, bool optional, const char *type, const char *what) {
    if (v == NULL) {
        if (optional)
            return 0;
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", what);
    }
    v = wg_host_res_of(sb, v, type, what);
    if (v->sb != sb)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s of another instance", what, type);
    if (v->hd.spent)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s that was given to the module, which consumed it", what,
                     type);
    if (wg_host_orphaned(&v->hd))
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s whose owner was freed", what, type);
    return v->ptr;
}

uint32_t wg_host_give(wg_sandbox *sb, const wg_host_res *v, bool optional, const wg_host_res *to, const char *type,
                      const char *what) {
    uint32_t p = wg_host_borrow(sb, v, optional, type, what);
    if (v == NULL)
        return p;
    v = wg_host_res_of(sb, v, type, what);
    if (v->hd.borrowed)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s that does not own its object (a borrowed handle): only "
                     "an owner can give it", what, type);
    for (const wg_host_handle *o = to ? &to->hd : NULL; o != NULL; o = o->owner)
        if (o == &v->hd)
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a %s that its new owner belongs to: it would own itself",
                         what, type);
    return p;
}

void wg_host_given(wg_host_res *v, wg_host_res *to) {
    if (v == NULL)
        return;
    v->hd.borrowed = true;
    if (to != NULL) {
        set_owner(v, to);
    } else {
        v->hd.spent = true;
        wg_host_cb_disown(v->sb, v); /* consumed: the callbacks it kept end */
    }
}

wg_host_res *wg_host_adopt(wg_sandbox *sb, uint32_t p, bool optional, const char *type) {
    if (p == 0) {
        if (optional)
            return NULL;
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module returned NULL for a %s", type);
    }
    byptr_reserve(sb, type);
    wg_host_res *v = wg_host_alloc(sb, sizeof *v);
    *v = (wg_host_res){.sb = sb, .ptr = p, .type = type};
    return v;
}

wg_host_res *wg_host_lend(wg_sandbox *sb, uint32_t p, bool optional, const char *type, const char *what) {
    if (p == 0) {
        if (optional)
            return NULL;
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "C passed NULL for %s, a %s", what, type);
    }
    pthread_once(&lent_once, lent_reserve);
    uintptr_t base = __atomic_load_n(&wg__lent_base, __ATOMIC_ACQUIRE);
    if (base == 0)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "cannot reserve address space for the handles C lends callbacks");
    wg_host_lent *l = &sb->lent;
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        wg_host_lent_entry *v = l->cap < UINT32_MAX / 2 ? realloc(l->v, (size_t)cap * sizeof *v) : NULL;
        if (v == NULL)
            wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory (a %s handle)", type);
        l->v = v;
        l->cap = cap;
    }
    wg_host_res *v = l->pool;
    if (v != NULL)
        l->pool = v->next;
    else if ((v = malloc(sizeof *v)) == NULL)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory (a %s handle)", type);
    *v = (wg_host_res){.hd = {.borrowed = true, .lent = 1}, .sb = sb, .ptr = p, .type = type};
    uint32_t serial = (uint32_t)(atomic_fetch_add_explicit(&wg__lent_next, 1, memory_order_relaxed) % (LENT_SERIALS - 1) + 1);
    l->v[l->n++] = (wg_host_lent_entry){serial, v};
    l->live++;
    return (wg_host_res *)(base + (uintptr_t)serial * LENT_STEP);
}

/* End a lent handle: what was borrowed from it is orphaned; the handle goes
 * back to the pool, or, when it keeps callbacks C may still call (a lent
 * object's destructor calling the handler the host set, ...), to
 * sb->lent.kept (without room there, its callbacks are released). */
static void lent_release(wg_sandbox *sb, wg_host_lent_entry *e) {
    wg_host_res *v = e->res;
    wg_host_lent *l = &sb->lent;
    orphan_borrowers(sb, v, 0);
    e->res = NULL;
    l->live--;
    if (v->ncbs > 0 && v->hd.lent == 1) {
        if (l->nkept == l->capkept) {
            uint32_t cap = l->capkept ? l->capkept * 2 : 4;
            wg_host_lent_entry *k = l->capkept < UINT32_MAX / 2 ? realloc(l->kept, (size_t)cap * sizeof *k) : NULL;
            if (k != NULL) {
                l->kept = k;
                l->capkept = cap;
            }
        }
        if (l->nkept < l->capkept) {
            l->kept[l->nkept++] = (wg_host_lent_entry){e->serial, v};
            return;
        }
    }
    wg_host_cb_disown(sb, v);
    v->next = l->pool;
    l->pool = v;
}

/* Free the ended handle kept at l->kept[i], releasing its callbacks. */
static void lent_kept_free(wg_sandbox *sb, uint32_t i) {
    wg_host_lent *l = &sb->lent;
    wg_host_res *v = l->kept[i].res;
    l->kept[i] = l->kept[--l->nkept];
    wg_host_cb_disown(sb, v);
    free(v);
}

void wg_host_lent_end(wg_sandbox *sb, const void *token) {
    if (token == NULL)
        return;
    wg_host_lent_entry *e = lent_find(sb, lent_serial(token));
    if (e != NULL)
        lent_release(sb, e);
    wg_host_lent *l = &sb->lent;
    while (l->n > 0 && l->v[l->n - 1].res == NULL)
        l->n--;
}

void wg__lent_unwind(wg_sandbox *sb, uint32_t mark) {
    wg_host_lent *l = &sb->lent;
    while (l->n > mark) {
        wg_host_lent_entry *e = &l->v[--l->n];
        if (e->res != NULL)
            lent_release(sb, e);
    }
}

void wg_host_link(wg_sandbox *sb, wg_host_res *v) {
    v->prev = NULL;
    v->next = sb->handles;
    if (v->next)
        v->next->prev = v;
    sb->handles = v;
    sb->nhandles++;
    kid_add(v); /* (a borrowed handle's owner, set by its call) */
    byptr_add(sb, v);
}

void wg_host_own(wg_sandbox *sb, wg_host_res *v) {
    wg_host_link(sb, v);
    for (wg_host_res *o = sb->byptr.v[byptr_find(sb, v->ptr)], *next; o != NULL; o = next) {
        sb->handle_steps++;
        next = o->pnext;
        if (o != v && o->hd.borrowed && !wg_host_orphaned(&o->hd)) {
            if (strcmp(o->type, v->type) == 0)
                set_owner(o, v);
            else
                orphan(sb, o);
        }
    }
}

static void unlink_handle(wg_sandbox *sb, wg_host_res *v) {
    if (v->prev)
        v->prev->next = v->next;
    else
        sb->handles = v->next;
    if (v->next)
        v->next->prev = v->prev;
    sb->nhandles--;
    kid_remove(v);
    byptr_remove(sb, v);
    while (v->kids != NULL) /* (none left where the module borrows: orphan_borrowers) */
        orphan(sb, v->kids);
}

/* Orphan what was borrowed from v, and, for a `destroyed` object (v's,
 * whose destructor ran), every handle borrowed for it. */
static void orphan_borrowers(wg_sandbox *sb, wg_host_res *v, uint32_t destroyed) {
    while (v->kids != NULL) {
        sb->handle_steps++;
        orphan(sb, v->kids);
    }
    if (destroyed == 0 || sb->byptr.cap == 0)
        return;
    for (wg_host_res *w = sb->byptr.v[byptr_find(sb, destroyed)], *next; w != NULL; w = next) {
        sb->handle_steps++;
        next = w->pnext;
        if (w != v && w->hd.borrowed)
            orphan(sb, w);
    }
}

int wg_host_res_free(wg_sandbox *sb, wg_host_res *self, const char *fn, const char *type, wg_host_body drop,
                     bool borrows) {
    if (self == NULL)
        return WG_HOST_OK;
    int64_t serial = lent_serial(self);
    if (serial >= 0) { /* a lent handle: its callback's to give back */
        wg_host_lent_entry *e = lent_find(sb, serial);
        if (e != NULL && e->res->hd.lent == 1) {
            wg_host_cb_disown(sb, e->res);
            if (borrows)
                orphan_borrowers(sb, e->res, 0);
            e->res->hd.lent = 2;
        }
        for (uint32_t i = 0; e == NULL && i < sb->lent.nkept; i++)
            if (sb->lent.kept[i].serial == serial) {
                lent_kept_free(sb, i);
                break;
            }
        return WG_HOST_OK;
    }
    if (self->sb != sb) {
        char message[160];
        snprintf(message, sizeof message, "self is a %s of another instance", type);
        return wg_host_refuse(sb, fn, message);
    }
    /* a borrowed object is its owner's to destroy; what was borrowed from this one is refused from now on */
    int status = self->hd.borrowed ? WG_HOST_OK : wg_host_call(sb, fn, drop, self);
    wg_host_cb_disown(sb, self); /* its callbacks end after its destructor, which may still call them */
    /* ... and, when it destroyed its object, every handle borrowed for that object */
    if (borrows)
        orphan_borrowers(sb, self, self->hd.borrowed ? 0 : self->ptr);
    unlink_handle(sb, self);
    free(self);
    return status;
}

/* ---- Imports */

char *wg_host_arg_str(wg_sandbox *sb, uint32_t p, uint32_t n, char *buf, size_t cap, const char *what) {
    const char *src = p == 0 && n == 0 ? "" : wg_host_ptr(sb, p, n, what);
    /* a long one from wg_host_alloc: freed if a later argument's check fails
     * (the thunk gives it back with wg_host_release once the import returned) */
    char *d = (size_t)n + 1 <= cap ? buf : wg_host_alloc(sb, (size_t)n + 1);
    memcpy(d, src, n);
    d[n] = '\0';
    return d;
}

/* The length of the NUL-terminated string at s in linear memory. */
static uint32_t module_strlen(wg_sandbox *sb, uint32_t s, const char *what) {
    const char *base = wg_host_ptr(sb, s, 0, what);
    const char *nul = memchr(base, 0, (size_t)(wg_host_mem_size(sb) - s));
    if (nul == NULL)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "%s: a string at %u has no NUL inside the module's memory", what, s);
    return (uint32_t)(nul - base);
}

char **wg_host_arg_strs(wg_sandbox *sb, uint32_t p, uint32_t n, bool optional, const char *what) {
    if (p == 0) {
        if (optional)
            return NULL;
        n = 0;
    } else {
        (void)wg_host_ptr(sb, p, (uint64_t)n * 4, what);
    }
    /* each pointer read, and its string measured (a NUL searched for in the
     * module's memory), once: at[2i], at[2i + 1] */
    uint32_t *at = wg_host_alloc(sb, (size_t)n * 2 * sizeof *at);
    uint64_t bytes = ((uint64_t)n + 1) * sizeof(char *), strings = 0, most = wg_host_mem_size(sb);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s = at[2 * i] = wg_host_ld_u32(sb, p + 4 * i);
        at[2 * i + 1] = s != 0 ? module_strlen(sb, s, what) : 0;
        /* strings that share no bytes hold at most the module's memory;
         * more is one string reached again and again (a copy, and the
         * measuring, would grow without bound) */
        strings += at[2 * i + 1] + 1u;
        if (strings > most)
            wg_host_fail(sb, WG_HOST_BAD_RESULT,
                         "the module gave %s holding more than its memory's %llu bytes: its strings share bytes, "
                         "which a copy would repeat without bound", what, (unsigned long long)most);
    }
    bytes += strings;
    if (bytes > SIZE_MAX)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "%s: %llu bytes", what, (unsigned long long)bytes);
    char **v = wg_host_alloc(sb, (size_t)bytes);
    char *d = (char *)(v + n + 1);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = at[2 * i + 1];
        if (len)
            memcpy(d, wg_host_ptr(sb, at[2 * i], len, what), len);
        d[len] = '\0';
        v[i] = d;
        d += len + 1;
    }
    v[n] = NULL;
    wg_host_release(sb, at);
    return v;
}

const void *wg_host_arg_arr(wg_sandbox *sb, uint32_t p, uint32_t n, size_t elem, const char *what) {
    if (n == 0)
        return NULL;
    const void *src = wg_host_ptr(sb, p, (uint64_t)n * elem, what);
    if (p % elem != 0)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module gave %s misaligned (address 0x%x, %zu-byte elements)",
                     what, p, elem);
    return src;
}

uint32_t wg_host_ret_str(wg_sandbox *sb, const char *s, bool optional, const char *what) {
    if (s == NULL) {
        if (!optional)
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", what);
        return 0;
    }
    size_t n = strlen(s);
    uint32_t p = wg_host_module_alloc(sb, (uint64_t)n + 1, what);
    memcpy(sb->mem->data + p, s, n + 1);
    return p;
}

void wg_host_ret_arr(wg_sandbox *sb, uint32_t at, const void *a, size_t n, size_t elem, const char *what) {
    (void)wg_host_ptr(sb, at, 8, what); /* where C wants it, before allocating */
    if (a == NULL && n != 0)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL with %zu elements", what, n);
    uint32_t count = wg_host_len(sb, n, what), p = 0;
    if (count != 0) {
        p = wg_host_module_alloc(sb, (uint64_t)count * elem, what);
        memcpy(sb->mem->data + p, a, (size_t)count * elem);
    }
    wg_host_st_u32(sb, at, p);
    wg_host_st_u32(sb, at + 4, count);
}

/* ---- Life cycle */

static void instantiate_body(wg_sandbox *sb, void *ctx) {
    (void)ctx;
    sb->ops->instantiate(sb->inst, &sb->wasi, sb->imports);
    sb->instantiated = true;
    /* Before anything else runs in it: are the exports and layouts this
     * runtime assumes the library's? */
    uint32_t version = sb->ops->version(sb->inst);
    if (version != WASMGEN_RUNTIME_VERSION)
        wg_host_fail(sb, WG_HOST_BAD_RESULT,
                     "the module was linked with a libwasmgen.a of runtime version %u, but this host runtime is "
                     "version %u: build the module and its host code with one wasmgen",
                     version, WASMGEN_RUNTIME_VERSION);
    sb->sp0 = sb->ops->stack_get(sb->inst);
    /* Linked with the C stack first (-Wl,--stack-first), as instantiate() in
     * JS requires: a stack that overflows then traps below address 0; after
     * the data, it would run over the allocator's state unseen. */
    if (sb->ops->stats(sb->inst) < sb->sp0)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module was linked without -Wl,--stack-first (its data lies below "
                     "the C stack, which would run over it): link it with wasmgen.mk's WASMGEN_LINK");
    uint32_t rs = sb->ops->ret_stack(sb->inst);
    if (rs % 8 != 0 || !wg_host_in_bounds(sb, rs, WG_RET_STACK_BYTES))
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module's return-area stack is out of bounds or misaligned (0x%x)",
                     rs);
    sb->ret_base = sb->ret_top = rs;
    sb->ret_end = rs + WG_RET_STACK_BYTES;
}

static void initialize_body(wg_sandbox *sb, void *ctx) {
    (void)ctx;
    sb->ops->initialize(sb->inst);
}

int wg_sandbox_init(wg_sandbox *sb, const wg_sandbox_ops *ops, void *inst, void *imports,
                    const wg_host_options *o) {
    sb->ops = ops;
    sb->inst = inst;
    sb->imports = imports;
    sb->exit_code = -1;
    sb->copy_left = UINT64_MAX; /* (no copy counted yet) */
    sb->wasi.sandbox = sb;
    if (getrandom(&sb->hash_seed, sizeof sb->hash_seed, GRND_NONBLOCK) != (ssize_t)sizeof sb->hash_seed)
        sb->hash_seed = (uint32_t)((uintptr_t)sb >> 4) ^ (uint32_t)time(NULL) * 0x9e3779b9u;
    sb->mem = ops->memory(inst);
    uint64_t limit = o != NULL && o->memory_limit != 0 ? o->memory_limit / 65536 : WG_HOST_MAX_PAGES;
    sb->limit_pages = limit < WG_HOST_MAX_PAGES ? (uint32_t)limit : WG_HOST_MAX_PAGES;
    int status = wg__wasi_init(sb, o);
    if (status == WG_HOST_OK)
        status = wg_host_call(sb, "new", instantiate_body, NULL);
    sb->ret_top = sb->ret_base; /* the call put back what it found, before the stack existed */
    if (status == WG_HOST_OK && ops->initialize != NULL)
        status = wg_host_call(sb, "new", initialize_body, NULL);
    if (status == WG_HOST_OK)
        return WG_HOST_OK;
    snprintf(last_error, sizeof last_error, "%s", sb->error);
    wg_sandbox_destroy(sb);
    return status;
}

static void stats_body(wg_sandbox *sb, void *ctx) {
    wg_host_stats *out = ctx;
    uint32_t p = sb->ops->stats(sb->inst);
    uint64_t *fields[] = {&out->live_count, &out->live_bytes, &out->peak_bytes, &out->heap_bytes,
                          &out->total_allocs, &out->total_frees, &out->queue_frees};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        *fields[i] = wg_host_ld_u32(sb, p + 4 * (uint32_t)i); /* size_t in wasm32 */
    out->live_callbacks = sb->cbs.n + sb->kept.live;
    out->live_handles = sb->nhandles + sb->lent.live + sb->lent.nkept;
}

int wg_sandbox_stats(wg_sandbox *sb, wg_host_stats *out) {
    if (out == NULL)
        return wg_host_refuse(sb, "stats", "out is NULL");
    memset(out, 0, sizeof *out);
    return wg_host_call(sb, "stats", stats_body, out);
}

void wg_sandbox_destroy(wg_sandbox *sb) {
    for (wg_host_res *v = sb->handles, *next; v != NULL; v = next) {
        next = v->next;
        free(v->cbs);
        free(v);
    }
    sb->handles = NULL;
    sb->nhandles = 0;
    free(sb->byptr.v);
    sb->byptr.v = NULL;
    sb->byptr.cap = sb->byptr.n = 0;
    wg__lent_unwind(sb, 0);
    while (sb->lent.nkept > 0)
        lent_kept_free(sb, sb->lent.nkept - 1);
    for (wg_host_res *v = sb->lent.pool, *next; v != NULL; v = next) {
        next = v->next;
        free(v);
    }
    free(sb->lent.v);
    free(sb->lent.kept);
    sb->lent = (wg_host_lent){NULL, 0, 0, 0, NULL, NULL, 0, 0};
    wg__kept_free(sb);
    if (sb->ops == NULL)
        return;
    wg_sandbox_flush_output(sb);
    sb->ops->free_instance(sb->inst); /* memory (the whole reservation) and tables */
    sb->instantiated = false;
    wg__wasi_free(sb);
    free(sb->tmp.data);
    free(sb->own.data);
    free(sb->views.data);
    sb->tmp = sb->own = sb->views = (wg_host_vec){NULL, 0, 0};
    free(sb->cbs.v);
    sb->cbs = (wg_host_cbs){NULL, 0, 0};
    sb->ops = NULL;
}
