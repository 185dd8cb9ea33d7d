/* bare.c - bare.idl's module with the runtime's exports written by hand
 * (linked with -nostdlib, no libwasmgen.a): a bump allocator, the stack
 * pointer, and `arm`, after which wg_stack_get (how 1) or wg_stack_set
 * (how 2) traps, or wg_stack_set calls the import back() (how 3). */
#include <stddef.h>
#include <stdint.h>

#include "wasmgen.h"
#include "wasmgen_tables.h"

#define EXPORT(name) WG_EXPORT(name)

static _Alignas(8) unsigned char heap[1 << 16];
static uint32_t used;
static _Alignas(8) unsigned char ret_stack[WG_RET_STACK_BYTES];
static uint32_t stats[8];
static volatile uint32_t armed;

__attribute__((import_module("wasmgen:bare"), import_name("back"))) uint32_t bare_back(uint32_t n);

EXPORT("wg_version") uint32_t bare_version(void);
uint32_t bare_version(void) { return WASMGEN_RUNTIME_VERSION; }

EXPORT("wg_alloc") void *bare_alloc(size_t n);
void *bare_alloc(size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (n > sizeof heap - used)
        return NULL;
    used += (uint32_t)n;
    return heap + used - n;
}

EXPORT("wg_free") int bare_free(void *p);
int bare_free(void *p) { return p != NULL; }

EXPORT("wg_stats") void *bare_stats(void);
void *bare_stats(void) { return stats; }

EXPORT("wg_ret_stack") void *bare_ret_stack(void);
void *bare_ret_stack(void) { return ret_stack; }

EXPORT("wg_stack_get") uintptr_t bare_stack_get(void);
uintptr_t bare_stack_get(void) {
    if (armed == 1)
        __builtin_trap();
    uintptr_t sp;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\tlocal.set %0" : "=r"(sp));
    return sp;
}

EXPORT("wg_stack_set") void bare_stack_set(uintptr_t sp);
void bare_stack_set(uintptr_t sp) {
    if (armed == 2)
        __builtin_trap();
    if (armed == 3) {
        armed = 0;
        bare_back(7);
    }
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\tglobal.set __stack_pointer" : : "r"(sp));
}

EXPORT("wg_f_add") uint32_t wg_f_add(uint32_t a, uint32_t b);
uint32_t wg_f_add(uint32_t a, uint32_t b) { return a + b; }

EXPORT("wg_f_boom") void wg_f_boom(void);
void wg_f_boom(void) { __builtin_trap(); }

EXPORT("wg_f_via") uint32_t wg_f_via(uint32_t n);
uint32_t wg_f_via(uint32_t n) { return bare_back(n) + 1; }

EXPORT("wg_f_arm") void wg_f_arm(uint32_t how);
void wg_f_arm(uint32_t how) { armed = how; }
