/*
 * wg_queue.c - the free-on-finalize queue, and the exports the JavaScript
 * runtime calls.
 *
 * A FinalizationRegistry callback runs outside wasm, between tasks. Calling
 * into wasm from there is what made earlier libraries fragile, so the
 * callback only stores an address in this ring (plain memory writes through
 * a typed array). The runtime frees what is queued at the next allocation
 * and on entry to every generated export; JavaScript can also flush it.
 */
#include "wg_internal.h"

wg_queue wg__queue = {0, 0, WG_QUEUE_CAPACITY - 1u, 0, {0}, {0}};

/* Overridden by the glue of modules that declare resources. */
__attribute__((weak)) void wg__drop_resource(uint32_t kind, void *ptr) {
    (void)kind;
    wg_free(ptr);
}

size_t wg_queue_drain(void) {
    size_t n = 0;
    /* Read tail once per pass: frees never push, but be exact anyway. */
    while (wg__queue.head != wg__queue.tail) {
        uint32_t tail = wg__queue.tail;
        while (wg__queue.head != tail) {
            uint32_t i = wg__queue.head & wg__queue.mask;
            uintptr_t p = wg__queue.slots[i];
            uint32_t kind = wg__queue.kinds[i];
            wg__queue.head++;
            if (p == 0)
                continue;
            if (kind == 0) {
                if (wg__free_checked((void *)p))
                    wg__stats.queue_frees++;
            } else {
                wg__drop_resource(kind, (void *)p);
            }
            n++;
        }
    }
    return n;
}

void wg_queue_push(void *ptr) {
    if (ptr == NULL)
        return;
    if (wg_queue_pending() >= WG_QUEUE_CAPACITY)
        (void)wg_queue_drain(); /* full: flush, never drop */
    wg__queue.slots[wg__queue.tail & wg__queue.mask] = (uintptr_t)ptr;
    wg__queue.kinds[wg__queue.tail & wg__queue.mask] = 0;
    wg__queue.tail++;
}

/* ---- Exports for the JavaScript runtime (plain functions natively). */

/* What the JS runtime checks before it uses anything else here. */
WG_EXPORT("wg_version") uint32_t wg_export_version(void) { return WASMGEN_RUNTIME_VERSION; }

WG_EXPORT("wg_alloc") void *wg_export_alloc(size_t size) { return wg_malloc(size); }

/* 1 when freed (or NULL), 0 when the allocator refused the pointer. */
WG_EXPORT("wg_free") int wg_export_free(void *ptr) { return wg__free_checked(ptr); }

/* How a JS handle takes a block (see wg__adopt): checked before JS owns
 * what C returns, and marked so that C's free() refuses it. */
WG_EXPORT("wg_adopt") int wg_export_adopt(void *ptr, size_t bytes) { return wg__adopt(ptr, bytes); }

WG_EXPORT("wg_flush") size_t wg_export_flush(void) { return wg_queue_drain(); }

WG_EXPORT("wg_stats") const wg_stats *wg_export_stats(void) { return wg_get_stats(); }

WG_EXPORT("wg_queue") wg_queue *wg_export_queue(void) { return &wg__queue; }

/* Return areas for calls in progress, a stack the JS runtime manages. It is
 * static, so it never shows in the allocator's counters. */
static _Alignas(8) unsigned char ret_stack[WG_RET_STACK_BYTES];

WG_EXPORT("wg_ret_stack") void *wg_export_ret_stack(void) { return ret_stack; }

/* The C stack pointer. When a JS exception (from an import, or exit())
 * unwinds wasm frames, their stack space is not given back; the JS runtime
 * restores the pointer it had before the outermost call. */
#if defined(__wasm__)
WG_EXPORT("wg_stack_get") uintptr_t wg_export_stack_get(void) {
    uintptr_t sp;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\tlocal.set %0"
                     : "=r"(sp));
    return sp;
}

WG_EXPORT("wg_stack_set") void wg_export_stack_set(uintptr_t sp) {
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\tglobal.set __stack_pointer"
                     :
                     : "r"(sp));
}
#endif

/* Blocks the glue of a call that passes callbacks allocated (a binding's out
 * arrays), held until the call returns: a JS exception thrown by a callback
 * crosses the glue without its freeing them. A call that ends frees what the
 * calls nested in it left there (they were aborted); JS frees everything
 * after an exception leaves the outermost call (wg_cb_unwind). */
wg_cb_held wg__cb_held;

bool wg_cb_hold(void *ptr) {
    if (wg__cb_held.n >= WG_CB_HELD_MAX)
        return false;
    wg__cb_held.ptr[wg__cb_held.n++] = ptr;
    return true;
}

void wg_cb_release(uint32_t mine, uint32_t after) {
    while (wg__cb_held.n > after)
        wg_free(wg__cb_held.ptr[--wg__cb_held.n]);
    if (wg__cb_held.n > mine)
        wg__cb_held.n = mine;
}

WG_EXPORT("wg_cb_held") wg_cb_held *wg_export_cb_held(void) { return &wg__cb_held; }

WG_EXPORT("wg_cb_unwind") void wg_export_cb_unwind(void) { wg_cb_release(0, 0); }
