/* shadow.c - the implementation of shadow.idl: the C names are prefixed
 * (shadow_malloc), so the real malloc and free stay usable. */
#include "shadow.h"

#include <stdlib.h>
#include <string.h>

wg_u8_array shadow_malloc(uint32_t size) {
    wg_u8_array r = {malloc(size ? size : 1), size};
    if (!r.ptr)
        r.len = 0;
    else
        memset(r.ptr, 0xAB, size);
    return r;
}

void shadow_free(const uint8_t *block, size_t block_len) {
    (void)block;
    (void)block_len;
}

int32_t shadow_memory(int32_t memory, int32_t stats) { return memory * stats; }

char *shadow_stats(const char *malloc_, size_t malloc_len) {
    char *r = malloc(malloc_len + 1);
    if (r)
        memcpy(r, malloc_, malloc_len + 1);
    return r;
}

wg_f64_array shadow_alloc(uint32_t n) {
    wg_f64_array r = {calloc(n ? n : 1, sizeof(double)), n};
    if (!r.ptr)
        r.len = 0;
    return r;
}

uint32_t shadow_from(const double *free_, size_t free_len) {
    (void)free_;
    return (uint32_t)free_len;
}
