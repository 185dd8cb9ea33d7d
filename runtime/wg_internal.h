/* wg_internal.h - what the runtime's own files share; not for users. */
#ifndef WG_INTERNAL_H
#define WG_INTERNAL_H
#include "wasmgen.h"

/* The allocator's counters; wg_get_stats() returns a pointer to this. */
extern wg_stats wg__stats;

/* wg_free that says whether it freed: false when the allocator refused the
 * pointer (not a block in use; counted in invalid_frees). */
bool wg__free_checked(void *ptr);

/* A JS handle takes the block at ptr, of at least `bytes` usable bytes:
 * 0 done (the block is marked: C's free() refuses it from now on); 1 not a
 * block in use; 2 a handle owns it already; 3 it is smaller than `bytes`. */
int wg__adopt(void *ptr, size_t bytes);

/* The exports the JavaScript runtime calls (wg_queue.c). The size of the
 * return-area stack, WG_RET_STACK_BYTES, is in wasmgen_tables.h. */
uint32_t wg_export_version(void);
void *wg_export_alloc(size_t size);
int wg_export_free(void *ptr);
int wg_export_adopt(void *ptr, size_t bytes);
size_t wg_export_flush(void);
const wg_stats *wg_export_stats(void);
wg_queue *wg_export_queue(void);
void *wg_export_ret_stack(void);
uintptr_t wg_export_stack_get(void);
void wg_export_stack_set(uintptr_t sp);
wg_cb_held *wg_export_cb_held(void);
void wg_export_cb_unwind(void);

#endif
