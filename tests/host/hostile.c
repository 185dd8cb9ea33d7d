/* hostile.c - the exports of hostile.idl written by hand, each handing back
 * what `how` asks for (0 is always an honest answer). Linked without the
 * generated glue: nothing checks what it returns. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"

#define EXPORT(name) WG_EXPORT(name)

/* The end of linear memory now. */
static uint32_t mem_end(void) { return (uint32_t)__builtin_wasm_memory_size(0) * 65536u; }

static char *dup(const char *s) {
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    memcpy(r, s, n + 1);
    return r;
}

/* A (pointer, length) pair for `how`: 0 honest, 1 outside memory, 2 a
 * length too large for memory, 3 crossing the end of memory, 4 a length
 * whose byte size overflows 32 bits (for elements of `elem` bytes). */
static void bad_pair(void *ret, uint32_t how, uint32_t p, uint32_t n, uint32_t elem) {
    switch (how) {
    case 1: p = 0xfffffff0u; n = 4; break;
    case 2: n = 0xffffffffu; break;
    case 3: p = mem_end() - 2; n = 8; break;
    case 4: n = (uint32_t)(((uint64_t)1 << 32) / elem + 1); break; /* n * elem wraps to elem */
    default: break;
    }
    WG_RET_BUF(ret, 0, p, n);
}

EXPORT("wg_f_text") void wg_f_text(void *ret, uint32_t how);
void wg_f_text(void *ret, uint32_t how) {
    WG_ENTER();
    char *s = dup("honest");
    bad_pair(ret, how, (uint32_t)(uintptr_t)s, 6, 1);
}

EXPORT("wg_f_numbers") void wg_f_numbers(void *ret, uint32_t how);
void wg_f_numbers(void *ret, uint32_t how) {
    WG_ENTER();
    double *v = malloc(4 * sizeof *v);
    v[0] = 1, v[1] = 2, v[2] = 3, v[3] = 4;
    if (how == 5) { /* misaligned: fine to copy, refused as a view */
        WG_RET_BUF(ret, 0, (uintptr_t)v + 1, 3);
        return;
    }
    bad_pair(ret, how, (uint32_t)(uintptr_t)v, 3, 8);
}

EXPORT("wg_f_words") void wg_f_words(void *ret, uint32_t how);
void wg_f_words(void *ret, uint32_t how) {
    WG_ENTER();
    uint32_t *list = malloc(16);
    list[0] = (uint32_t)(uintptr_t)dup("one"), list[1] = 3;
    list[2] = (uint32_t)(uintptr_t)dup("two"), list[3] = 3;
    if (how == 5) /* an element outside memory */
        list[2] = 0xfffffff0u, list[3] = 16;
    bad_pair(ret, how == 5 ? 0 : how, (uint32_t)(uintptr_t)list, 2, 8);
}

/* pair in wasm32: name (ptr, len) at 0, values (ptr, len) at 8. */
static uint32_t make_pair(uint32_t *at, uint32_t how) {
    double *v = malloc(2 * sizeof *v);
    v[0] = 0.5, v[1] = 1.5;
    at[0] = (uint32_t)(uintptr_t)dup("pair"), at[1] = 4;
    at[2] = (uint32_t)(uintptr_t)v, at[3] = 2;
    if (how == 1)
        at[0] = mem_end(), at[1] = 1; /* the name just past the end */
    if (how == 4)
        at[3] = 0x20000001u; /* values: 8 * n wraps to 8 bytes */
    return 16;
}

EXPORT("wg_f_record") void wg_f_record(void *ret, uint32_t how);
void wg_f_record(void *ret, uint32_t how) {
    WG_ENTER();
    make_pair(ret, how);
}

EXPORT("wg_f_records") void wg_f_records(void *ret, uint32_t how);
void wg_f_records(void *ret, uint32_t how) {
    WG_ENTER();
    if (how == 3) { /* two elements whose last byte is just past the end of memory */
        WG_RET_BUF(ret, 0, mem_end() - 31, 2);
        return;
    }
    uint32_t *list = malloc(32);
    make_pair(list, 0);
    make_pair(list + 4, how == 4 ? 0 : how);
    uint32_t n = how == 4 ? 0x10000001u : 2; /* 16 * n wraps to 16 bytes */
    WG_RET_BUF(ret, 0, (uintptr_t)list, n);
}

EXPORT("wg_f_pick") int32_t wg_f_pick(uint32_t how);
int32_t wg_f_pick(uint32_t how) { return how == 0 ? 1 : 7; }

EXPORT("wg_f_truth") int32_t wg_f_truth(uint32_t how);
int32_t wg_f_truth(uint32_t how) { return how == 0 ? 1 : 2; }

EXPORT("wg_f_big") int64_t wg_f_big(uint32_t how);
int64_t wg_f_big(uint32_t how) { return how == 0 ? -9007199254740991LL : (int64_t)1 << 60; }

/* wg_error in the slots after the result: code, failed, message. */
EXPORT("wg_f_fail") void wg_f_fail(void *ret, uint32_t how);
void wg_f_fail(void *ret, uint32_t how) {
    WG_ENTER();
    WG_RET(ret, 0, uint32_t, 42);
    uint32_t err[3] = {5, how != 0, 0};
    if (how == 1)
        err[2] = (uint32_t)(uintptr_t)dup("a message");
    if (how == 2)
        err[2] = 0xfffffff0u; /* a message outside memory */
    if (how == 3) { /* a message with no NUL before the end of memory */
        uint32_t end = mem_end();
        memset((char *)(uintptr_t)(end - 100), 'x', 100);
        err[2] = end - 100;
    }
    __builtin_memcpy(WG_RET_SLOT(ret, 1), err, sizeof err);
}

static uint32_t (*volatile self)(uint32_t);
static uint32_t deep(uint32_t n) {
    self = deep;
    return self(n + 1) + 1;
}

EXPORT("wg_f_trap") void wg_f_trap(uint32_t how);
void wg_f_trap(uint32_t how) {
    volatile int zero = 0, seven = 7, sink;
    switch (how) {
    case 0: __builtin_trap();
    case 1: *(volatile int *)(uintptr_t)0xfffffff0u = 1; break;
    case 2: deep(1); break;
    case 3: sink = seven / zero; (void)sink; break;
    default: break;
    }
}

EXPORT("wg_f_quit") void wg_f_quit(int32_t code);
void wg_f_quit(int32_t code) { exit(code); }

EXPORT("wg_f_make") uint32_t wg_f_make(uint32_t how);
uint32_t wg_f_make(uint32_t how) { return how == 0 ? (uint32_t)(uintptr_t)malloc(8) : how == 1 ? 0 : how; }

EXPORT("wg_r_thing_drop") void wg_r_thing_drop(void *self);
void wg_r_thing_drop(void *p) { free(p); }

__attribute__((import_module("wasmgen:hostile"), import_name("echo"))) uint32_t hostile_echo(uint32_t s, uint32_t sn,
                                                                                               uint32_t v, uint32_t vn);

EXPORT("wg_f_call_echo") uint32_t wg_f_call_echo(uint32_t how);
uint32_t wg_f_call_echo(uint32_t how) {
    static double v[3] = {1, 2, 3};
    uint32_t s = (uint32_t)(uintptr_t)"echo", sn = 4, vp = (uint32_t)(uintptr_t)v, vn = 3;
    if (how == 1)
        s = mem_end() - 2; /* the string crosses the end of memory */
    if (how == 2)
        vp += 1; /* a misaligned array */
    if (how == 3)
        vn = 0x20000001u; /* 8 * n wraps */
    return hostile_echo(s, sn, vp, vn);
}

EXPORT("wg_f_live") uint32_t wg_f_live(void);
uint32_t wg_f_live(void) { return (uint32_t)wg_get_stats()->live_count; }

EXPORT("wg_f_count") uint32_t wg_f_count(uint32_t l, uint32_t n);
uint32_t wg_f_count(uint32_t l, uint32_t n) { return l != 0 ? n : 0; }

/* The next n frees (wg_free, as the host frees a call's temporaries and the
 * buffers behind views) call the import poke() first: linked with
 * -Wl,--wrap=wg__free_checked (host.mk). */
__attribute__((import_module("wasmgen:hostile"), import_name("poke"))) void hostile_poke(void);
static uint32_t pokes;

EXPORT("wg_f_poke_on_free") void wg_f_poke_on_free(uint32_t n);
void wg_f_poke_on_free(uint32_t n) { pokes = n; }

bool __real_wg__free_checked(void *p);
bool __wrap_wg__free_checked(void *p);
bool __wrap_wg__free_checked(void *p) {
    if (pokes > 0) {
        pokes--;
        hostile_poke();
    }
    return __real_wg__free_checked(p);
}

__attribute__((import_module("wasmgen:hostile"), import_name("wg_cb_tally"))) uint32_t hostile_tally(uint32_t ud, uint32_t l,
                                                                                                     uint32_t n);

/* A string[] for the callback tally(): how 0, three strings; how 1, 1500
 * pointers to one string of 1 MiB, 1.5 GiB of strings from 1 MiB. */
EXPORT("wg_f_call_tally") uint32_t wg_f_call_tally(uint32_t how, uint32_t ud);
uint32_t wg_f_call_tally(uint32_t how, uint32_t ud) {
    static const char *const three[] = {"a", "bb", "ccc"};
    if (how == 0)
        return hostile_tally(ud, (uint32_t)(uintptr_t)three, 3);
    size_t big = (size_t)1 << 20, n = 1500;
    char *s = malloc(big + 1);
    const char **l = malloc(n * sizeof *l);
    if (s == NULL || l == NULL)
        return 0;
    memset(s, 's', big);
    s[big] = '\0';
    for (size_t i = 0; i < n; i++)
        l[i] = s;
    uint32_t r = hostile_tally(ud, (uint32_t)(uintptr_t)l, (uint32_t)n);
    free(l);
    free(s);
    return r;
}
