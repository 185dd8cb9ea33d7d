/*
 * jco.c - bench.c's functions behind hand-written Component Model exports
 * (jco.wit's world, canonical ABI, UTF-8 strings), for the jco peer. No
 * bindings generator: what each export's core signature is comes from the
 * canonical ABI's flattening rules.
 *
 *   add(s32, s32) -> s32         (i32, i32) -> i32
 *   reverse(string) -> string    (ptr, len) -> retptr; cabi_post_reverse(retptr)
 *   sum(list<f64>) -> f64        (ptr, len) -> f64
 *   make(u32) -> list<u8>        (i32) -> retptr; cabi_post_make(retptr)
 *
 * Arguments that live in memory (a string's bytes, a list's elements) were
 * allocated by the host through cabi_realloc and belong to the callee, which
 * frees them. A result with more than one flat value is returned through a
 * return area, a static (ptr, len) pair here, whose memory the host reads and
 * then hands back through cabi_post_<name>, where it is freed. The heap is
 * wasmgen's allocator (libwasmgen.a), as in the module the other peers call.
 */
#include "bench.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CM_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

/* A result area: a pointer and a length, each an i32 (wasm32). */
typedef struct {
    void *ptr;
    size_t len;
} cm_slice;
static cm_slice ret_area;

CM_EXPORT(cabi_realloc) void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size);
CM_EXPORT(add) int32_t cm_add(int32_t a, int32_t b);
CM_EXPORT(reverse) cm_slice *cm_reverse(char *s, size_t len);
CM_EXPORT(cabi_post_reverse) void cm_post_reverse(cm_slice *r);
CM_EXPORT(sum) double cm_sum(double *xs, size_t len);
CM_EXPORT(make) cm_slice *cm_make(uint32_t n);
CM_EXPORT(cabi_post_make) void cm_post_make(cm_slice *r);

/* The host's allocator: for an argument's bytes (old is NULL then). The
 * allocator aligns to 16, more than any canonical-ABI type needs. An empty
 * string or list has no bytes: its pointer (whatever the host passes, 1 from
 * jco, or `align` from here) is never freed, so a request for 0 bytes
 * touches no heap. */
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) {
        if (old_size)
            free(old);
        return (void *)align;
    }
    void *p = realloc(old_size ? old : NULL, new_size);
    if (!p)
        __builtin_trap();
    return p;
}

int32_t cm_add(int32_t a, int32_t b) {
    return bench_add(a, b);
}

cm_slice *cm_reverse(char *s, size_t len) {
    char *r = bench_reverse(s, len);
    if (len)
        free(s);
    if (!r)
        __builtin_trap();
    ret_area = (cm_slice){r, len};
    return &ret_area;
}

void cm_post_reverse(cm_slice *r) {
    free(r->ptr);
}

double cm_sum(double *xs, size_t len) {
    double s = bench_sum(xs, len);
    if (len)
        free(xs);
    return s;
}

cm_slice *cm_make(uint32_t n) {
    wg_u8_array a = bench_make(n);
    if (!a.ptr)
        __builtin_trap();
    ret_area = (cm_slice){a.ptr, a.len};
    return &ret_area;
}

void cm_post_make(cm_slice *r) {
    free(r->ptr);
}
