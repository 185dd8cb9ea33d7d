/*
 * wg_alloc_test.h - hooks into the allocator for native unit tests only.
 * Nothing here exists in wasm builds.
 */
#ifndef WG_ALLOC_TEST_H
#define WG_ALLOC_TEST_H

#include <stddef.h>

#if !defined(__wasm__)

/* Cap the bytes the allocator may take from the system (wg_stats.heap_bytes
 * never grows past it), so a test can make allocation fail. Bytes already
 * taken stay in use. WG_HEAP_NO_LIMIT removes the cap. */
#define WG_HEAP_NO_LIMIT ((size_t)-1)
void wg__heap_set_limit(size_t bytes);

/* Walk the whole heap and the free lists and check every invariant the
 * allocator relies on. O(heap blocks): for tests only. Returns 0 when the
 * heap is consistent, otherwise a positive number naming the first broken
 * invariant (see the function in wg_alloc.c). */
int wg__heap_check(void);

#endif /* !__wasm__ */

#endif /* WG_ALLOC_TEST_H */
