/*
 * wasmgen.h - the wasmgen C runtime.
 *
 * Every header wasmgen generates includes this file, and every module links
 * libwasmgen.a, which supplies:
 *   - the allocator (wg_malloc and friends; on wasm32 also malloc, free, ...
 *     so that JavaScript can free whatever C allocates),
 *   - the free-on-finalize queue that JavaScript's FinalizationRegistry
 *     writes into without calling into wasm,
 *   - the handful of exports the JavaScript runtime uses.
 *
 * The same sources build natively, so the allocator and the queue can be
 * unit-tested with Check.
 */
#ifndef WASMGEN_H
#define WASMGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* WASMGEN_RUNTIME_VERSION, and the type lists WG_ARRAY_TYPES and
 * WG_OPT_TYPES, generated from the compiler's table of types. */
#include "wasmgen_tables.h"

/* ---- Arrays returned by C: ptr comes from malloc, JS owns it afterwards. */
#define WG_DECLARE_ARRAY(name, ctype) \
    typedef struct wg_##name##_array { ctype *ptr; size_t len; } wg_##name##_array;
WG_ARRAY_TYPES(WG_DECLARE_ARRAY)
#undef WG_DECLARE_ARRAY

/* ---- Lists: string[] and struct arrays. A wg_str is NUL-terminated; len
 * excludes the NUL. Returned ones come from malloc (array and strings). */
typedef struct wg_str { const char *ptr; size_t len; } wg_str;
typedef struct wg_str_array { wg_str *ptr; size_t len; } wg_str_array;

/* ---- Optional scalar results (T? returned): has says whether there is one. */
#define WG_DECLARE_OPT(name, ctype) \
    typedef struct wg_opt_##name { bool has; ctype value; } wg_opt_##name;
WG_OPT_TYPES(WG_DECLARE_OPT)
#undef WG_DECLARE_OPT

/* ---- Errors of functions declared `throws`: call wg_fail and return. */
typedef struct wg_error {
    int32_t code;
    int32_t failed;
    char *message; /* from malloc, or NULL */
} wg_error;

/* Record a failure: JS throws a WasmgenError with .code and the message
 * (printf-style). Returns false, so that `return wg_fail(...)` reads well in
 * functions that return bool. Defined in wg_error.c (needs vsnprintf). */
bool wg_fail(wg_error *err, int32_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- The allocator. On wasm32 these also back malloc/free/...; natively
 * they are separate functions so tests can run beside the host's malloc. */
void *wg_malloc(size_t size);
void wg_free(void *ptr);
void *wg_calloc(size_t count, size_t size);
void *wg_realloc(void *ptr, size_t size);
void *wg_aligned_alloc(size_t align, size_t size);
int wg_posix_memalign(void **out, size_t align, size_t size);
size_t wg_malloc_usable_size(const void *ptr);

/* Allocation counters. live_bytes and peak_bytes count usable sizes
 * (what wg_malloc_usable_size reports), so they match what callers can use.
 * The layout is read by the JavaScript runtime: keep every field size_t and
 * append new fields at the end. */
typedef struct wg_stats {
    size_t live_count;   /* blocks allocated and not yet freed */
    size_t live_bytes;   /* usable bytes in those blocks */
    size_t peak_bytes;   /* highest live_bytes ever seen */
    size_t heap_bytes;   /* bytes the allocator has taken from the system */
    size_t total_allocs; /* successful allocations, ever */
    size_t total_frees;  /* frees of non-NULL pointers, ever */
    size_t queue_frees;  /* of those, frees done by draining the queue */
    size_t invalid_frees; /* frees (and reallocs) refused: not a block in use */
} wg_stats;

const wg_stats *wg_get_stats(void);

/* ---- The free-on-finalize queue: a ring of addresses in linear memory.
 * JavaScript writes slots[tail & mask] and then increments tail; C frees
 * from head to tail. Counters wrap; tail - head is the number pending.
 * JavaScript relies on this layout: head, tail, mask, then the slots. */
#define WG_QUEUE_CAPACITY 1024u /* a power of two */
typedef struct wg_queue {
    uint32_t head;
    uint32_t tail;
    uint32_t mask;
    uint32_t reserved;
    uintptr_t slots[WG_QUEUE_CAPACITY];
    /* What to do with each slot: 0 frees it; k > 0 runs the destructor of
     * the module's k-th resource (wg__drop_resource). */
    uint32_t kinds[WG_QUEUE_CAPACITY];
} wg_queue;

/* Run the destructor of resource kind `kind` on `ptr`. The glue of a module
 * with resources defines it; the runtime's weak default frees. */
void wg__drop_resource(uint32_t kind, void *ptr);

extern wg_queue wg__queue;

/* Push an address (what JS does, for tests and for C callers).
 * A full ring is drained first, never dropped. */
void wg_queue_push(void *ptr);
/* Free every queued address; returns how many were freed. */
size_t wg_queue_drain(void);
static inline size_t wg_queue_pending(void) {
    return (size_t)(uint32_t)(wg__queue.tail - wg__queue.head);
}

/* ---- What generated glue uses. */
#if defined(__wasm__)
#define WG_EXPORT(name) __attribute__((export_name(name), visibility("default")))
#else
#define WG_EXPORT(name)
#endif

/* On entry to every generated export: free what finalizers queued. */
#define WG_ENTER()                               \
    do {                                         \
        if (wg__queue.head != wg__queue.tail)    \
            (void)wg_queue_drain();              \
    } while (0)

/* Results beyond a single scalar go to a return area the JS runtime
 * provides: one 8-byte slot per result. A string or array result stores its
 * pointer at +0 and its length at +4 of its slot. */
#define WG_RET_SLOT(ret, i) ((unsigned char *)(ret) + 8u * (size_t)(i))
#define WG_RET(ret, i, ctype, value)                                   \
    do {                                                               \
        ctype wg_v_ = (value);                                         \
        __builtin_memcpy(WG_RET_SLOT(ret, i), &wg_v_, sizeof wg_v_);   \
    } while (0)
#define WG_RET_BUF(ret, i, ptr, len)                                   \
    do {                                                               \
        uint32_t wg_pl_[2] = {(uint32_t)(uintptr_t)(ptr), (uint32_t)(len)}; \
        __builtin_memcpy(WG_RET_SLOT(ret, i), wg_pl_, sizeof wg_pl_);  \
    } while (0)

/* Returned strings: the length the JS side decodes (NULL stays NULL). A
 * loop rather than strlen, so that a module built with -nostdlib links. */
static inline size_t wg_strlen(const char *s) {
    size_t n = 0;
    if (s)
        while (s[n])
            n++;
    return n;
}

/* ---- What callbacks' trampolines use (and imports called through the glue).
 * The C stack pointer is saved before calling JavaScript and restored after:
 * an exception JS caught after it crossed wasm frames (a nested call that
 * threw) left their stack in use. */
#if defined(__wasm__)
#define WG_CB_ENTER()                                                                           \
    uintptr_t wg_sp_;                                                                           \
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\tlocal.set %0" \
                     : "=r"(wg_sp_))
#define WG_CB_LEAVE() \
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\tglobal.set __stack_pointer" : : "r"(wg_sp_))
#else
#define WG_CB_ENTER() do { } while (0)
#define WG_CB_LEAVE() do { } while (0)
#endif
/* A length C passes (any integer type), as JS gets it: negative is 0. */
#define WG_CB_LEN(n) ((n) > 0 ? (uint32_t)(n) : 0u)
/* A NUL-terminated string's length (NULL: 0). */
#define WG_CB_STRLEN(s) ((uint32_t)wg_strlen((const char *)(s)))
/* The pointers of a NULL-terminated array (argv-style), before the NULL. */
static inline uint32_t wg_cb_count(const void *const *list) {
    uint32_t n = 0;
    if (list)
        while (list[n])
            n++;
    return n;
}

/* Blocks the glue allocated for a call that passes callbacks, held while
 * it runs (wg_queue.c): WG_CB_CALL() at its start, WG_CB_HOLD(p) for each,
 * WG_CB_DONE() after the C function returned; JS reads n. */
#define WG_CB_HELD_MAX 256u
typedef struct wg_cb_held {
    uint32_t n;
    void *ptr[WG_CB_HELD_MAX];
} wg_cb_held;
extern wg_cb_held wg__cb_held;
bool wg_cb_hold(void *ptr);
void wg_cb_release(uint32_t mine, uint32_t after);
#define WG_CB_CALL() uint32_t wg_cb_l0 = wg__cb_held.n, wg_cb_l1 = wg_cb_l0
#define WG_CB_HOLD(p)                                                        \
    do {                                                                     \
        if (!wg_cb_hold(p))                                                  \
            WG_BIND_FAIL_RANGE("calls passing callbacks nested too deeply"); \
        wg_cb_l1 = wg__cb_held.n;                                            \
    } while (0)
#define WG_CB_DONE() wg_cb_release(wg_cb_l0, wg_cb_l1)

/* ---- What the glue of a library binding uses (idl/binding.md). A bound
 * wrapper declares `wg_error wg_e` and ends with the label `wg_failed`;
 * these record a failure there and jump to it. failed = 2 makes JS throw a
 * RangeError (an argument out of range), 1 a WasmgenError. */
#define WG_BIND_RANGE 2
/* A length the C function may not take (it has no parameter for it). */
#ifndef WG_UNUSED
#define WG_UNUSED __attribute__((unused))
#endif
#define WG_BIND_FAIL_RANGE(...)                 \
    do {                                        \
        (void)wg_fail(&wg_e, 0, __VA_ARGS__);   \
        wg_e.failed = WG_BIND_RANGE;            \
        goto wg_failed;                         \
    } while (0)
/* The C function reported failure (`fails when`): code, and its message or NULL. */
#define WG_BIND_FAILED(code, msg, fn)                                                      \
    do {                                                                                   \
        const char *wg_m_ = (msg);                                                         \
        if (wg_m_)                                                                         \
            (void)wg_fail(&wg_e, (code), "%s", wg_m_);                                     \
        else                                                                               \
            (void)wg_fail(&wg_e, (code), "%s failed (%ld)", fn, (long)(code));             \
        goto wg_failed;                                                                    \
    } while (0)

/* Checked 64-bit arithmetic of binding expressions: overflow sets *bad. */
static inline int64_t wg_x_add(int64_t a, int64_t b, bool *bad) {
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) *bad = true;
    return r;
}
static inline int64_t wg_x_sub(int64_t a, int64_t b, bool *bad) {
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) *bad = true;
    return r;
}
static inline int64_t wg_x_mul(int64_t a, int64_t b, bool *bad) {
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) *bad = true;
    return r;
}
static inline int64_t wg_x_div(int64_t a, int64_t b, bool *bad) {
    if (b == 0 || (a == INT64_MIN && b == -1)) {
        *bad = true;
        return 0;
    }
    return a / b;
}

/* dst = value, when value (an expression, or an integer of any type) fits
 * dst's C type. */
#define WG_BIND_INT(dst, value, what)                                                           \
    do {                                                                                        \
        bool wg_xb = false;                                                                     \
        __typeof__(dst) wg_t_;                                                                  \
        if (__builtin_add_overflow((value), 0, &wg_t_) || wg_xb)                                \
            WG_BIND_FAIL_RANGE("%s is out of range of its C type", what);                      \
        (dst) = wg_t_;                                                                          \
    } while (0)
/* An in array whose length an expression gives: they must agree. */
#define WG_BIND_LENGTH(len, expected, what)                                                     \
    do {                                                                                        \
        bool wg_xb = false;                                                                     \
        int64_t wg_n_ = (expected);                                                             \
        if (wg_xb || wg_n_ < 0 || (uint64_t)wg_n_ != (uint64_t)(len))                           \
            WG_BIND_FAIL_RANGE("%s has %lu elements; its length expression says %lld", what,    \
                               (unsigned long)(len), (long long)wg_n_);                         \
    } while (0)
/* An out array of `count` elements the glue allocates (zeroed). */
#define WG_BIND_ALLOC(ptr, len, count, what)                                                    \
    do {                                                                                        \
        bool wg_xb = false;                                                                     \
        int64_t wg_n_ = (count);                                                                \
        size_t wg_b_;                                                                           \
        if (wg_xb || wg_n_ < 0 || wg_n_ > 0x7fffffff ||                                         \
            __builtin_mul_overflow((size_t)wg_n_, sizeof *(ptr), &wg_b_))                       \
            WG_BIND_FAIL_RANGE("%s: a capacity of %lld elements is out of range", what,         \
                               (long long)wg_n_);                                               \
        (ptr) = (__typeof__(ptr))calloc(wg_b_ ? wg_b_ : 1, 1);                                  \
        if (!(ptr))                                                                             \
            WG_BIND_FAIL_RANGE("%s: out of wasm memory (%lu bytes)", what, (unsigned long)wg_b_); \
        (len) = (size_t)wg_n_;                                                                  \
    } while (0)
/* C says how much of an out array it produced: at most its capacity. */
#define WG_BIND_PRODUCED(len, produced, what)                                                   \
    do {                                                                                        \
        if ((produced) < 0 || (uint64_t)(produced) > (uint64_t)(len)) {                         \
            (void)wg_fail(&wg_e, 0, "%s: the C function reports %lld elements for a capacity of %lu", \
                          what, (long long)(produced), (unsigned long)(len));                   \
            goto wg_failed;                                                                     \
        }                                                                                       \
        (len) = (size_t)(produced);                                                             \
    } while (0)
/* ... or how much room it left (a field such as avail_out). */
#define WG_BIND_LEFT(len, left, what)                                                           \
    do {                                                                                        \
        if ((uint64_t)(left) > (uint64_t)(len)) {                                               \
            (void)wg_fail(&wg_e, 0, "%s: the C function leaves more room than there was", what); \
            goto wg_failed;                                                                     \
        }                                                                                       \
        (len) -= (size_t)(left);                                                                \
    } while (0)
/* A caller-allocated struct: zeroed, sizeof its type. */
#define WG_BIND_NEW(self)                                                                       \
    do {                                                                                        \
        (self) = (__typeof__(self))calloc(1, sizeof *(self));                                   \
        if (!(self))                                                                            \
            WG_BIND_FAIL_RANGE("out of wasm memory (%lu bytes)", (unsigned long)sizeof *(self)); \
    } while (0)
/* Around each bound wrapper: what C converts silently becomes an error, so
 * that a binding that does not match the library's prototype does not build. */
#if defined(__clang__)
#define WG_BIND_BEGIN                                                                           \
    _Pragma("clang diagnostic push")                                                            \
    _Pragma("clang diagnostic error \"-Wincompatible-pointer-types\"")                          \
    _Pragma("clang diagnostic error \"-Wincompatible-pointer-types-discards-qualifiers\"")      \
    _Pragma("clang diagnostic error \"-Wpointer-sign\"")                                        \
    _Pragma("clang diagnostic error \"-Wint-conversion\"")                                      \
    _Pragma("clang diagnostic error \"-Wimplicit-function-declaration\"")                       \
    _Pragma("clang diagnostic error \"-Wshorten-64-to-32\"")                                    \
    _Pragma("clang diagnostic error \"-Wimplicit-int-conversion\"")                             \
    _Pragma("clang diagnostic error \"-Wfloat-conversion\"")                                    \
    _Pragma("clang diagnostic error \"-Wenum-conversion\"")                                     \
    _Pragma("clang diagnostic error \"-Wsign-conversion\"")                                     \
    _Pragma("clang diagnostic error \"-Wincompatible-function-pointer-types\"")
#define WG_BIND_END _Pragma("clang diagnostic pop")
/* A library call inside a length or parameter expression (`f(len(x))`):
 * its arguments convert as C converts them, signedness included, since the
 * IDL does not say f's parameter types; the value it gives is checked where
 * it is used (WG_BIND_INT, WG_BIND_ALLOC, WG_BIND_LENGTH). */
#define WG_BIND_CALL(call)                                                                      \
    (_Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wsign-conversion\"") \
         (call) _Pragma("clang diagnostic pop"))
#else
#define WG_BIND_BEGIN
#define WG_BIND_END
#define WG_BIND_CALL(call) (call)
#endif

#ifdef __cplusplus
}
#endif
#endif /* WASMGEN_H */
