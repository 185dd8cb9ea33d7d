/*
 * wg_libc.c - on wasm32, the C library's allocator entry points, backed by
 * wg_alloc.c.
 *
 * wasi-libc puts its allocator (dlmalloc) in one archive member, dlmalloc.o,
 * which defines exactly the functions below. Defining all of them here means
 * the linker never pulls that member in, so there are no duplicate symbols
 * and one heap serves C code, libc internals (strdup, printf buffers, ...)
 * and JavaScript alike. Natively this file is empty: tests use the wg_
 * names beside the host's malloc.
 */
#if defined(__wasm__)

#include <malloc.h>
#include <stdlib.h>

#include "wasmgen.h"

/* libc-internal names with no public declaration, and posix_memalign,
 * which <stdlib.h> hides in strict ISO C modes. */
int posix_memalign(void **out, size_t align, size_t size);
void *__libc_malloc(size_t size);
void __libc_free(void *ptr);
void *__libc_calloc(size_t count, size_t size);

void *malloc(size_t size) { return wg_malloc(size); }
void free(void *ptr) { wg_free(ptr); }
void *calloc(size_t count, size_t size) { return wg_calloc(count, size); }
void *realloc(void *ptr, size_t size) { return wg_realloc(ptr, size); }
void *aligned_alloc(size_t align, size_t size) { return wg_aligned_alloc(align, size); }
int posix_memalign(void **out, size_t align, size_t size) {
    return wg_posix_memalign(out, align, size);
}
size_t malloc_usable_size(void *ptr) { return wg_malloc_usable_size(ptr); }

void *__libc_malloc(size_t size) { return wg_malloc(size); }
void __libc_free(void *ptr) { wg_free(ptr); }
void *__libc_calloc(size_t count, size_t size) { return wg_calloc(count, size); }

#else
/* ISO C forbids an empty translation unit. */
typedef int wg_libc_native_empty;
#endif
