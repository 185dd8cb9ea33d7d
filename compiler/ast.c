/* ast.c - the arena that owns the tree, and the table of scalar types. */
#include "ast.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Arena: a list of chunks; everything is freed at once. */

typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    max_align_t data[]; /* aligned for anything */
} Chunk;

struct Arena {
    Chunk *head;
    size_t next_size; /* of the next chunk: doubling, from CHUNK_MIN to CHUNK_MAX */
    Buf scratch; /* arena_printf formats here: no allocation per string */
};

static void *xcalloc(size_t n) {
    void *p = calloc(1, n);
    if (!p) {
        fputs("wasmgen: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

Arena *arena_new(void) { return xcalloc(sizeof(Arena)); }

void arena_free(Arena *a) {
    if (!a)
        return;
    for (Chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    buf_free(&a->scratch);
    free(a);
}

/* Chunks are calloc'ed, and no byte of one is handed out twice: the arena's
 * memory is zero until written, so arena_alloc need not clear it. Chunks
 * are large (from 256 KiB, doubling up to 8 MiB: above malloc's mmap
 * threshold): fresh pages, which calloc knows to be zero and does not clear
 * either, a page touched only when the tree reaches it, and few chunks to
 * map and unmap (a dozen for 10,000 functions). */
#define CHUNK_MIN ((size_t)256 * 1024 - sizeof(Chunk) - 64) /* with malloc's header: whole pages */
#define CHUNK_MAX ((size_t)8 * 1024 * 1024 - sizeof(Chunk) - 64)

/* Room for `size` bytes at a multiple of `align`, zero. */
static void *arena_take(Arena *a, size_t size, size_t align) {
    Chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0; /* align: a power of 2 */
    if (!c || at > c->size || c->size - at < size) {
        size_t chunk = a->next_size ? a->next_size : CHUNK_MIN;
        a->next_size = chunk < CHUNK_MAX / 2 ? 2 * chunk + sizeof(Chunk) + 64 : CHUNK_MAX;
        if (chunk < size)
            chunk = size;
        c = xcalloc(sizeof(Chunk) + chunk);
        c->size = chunk;
        c->next = a->head;
        a->head = c;
        at = 0;
    }
    c->used = at + size;
    return (char *)c->data + at;
}

void *arena_alloc(Arena *a, size_t size) { return arena_take(a, size, sizeof(max_align_t)); }

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_take(a, n + 1, 1); /* a string needs no alignment */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    a->scratch.len = 0;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&a->scratch, fmt, ap);
    va_end(ap);
    return arena_strndup(a, a->scratch.data, a->scratch.len);
}

/* ---- Scalar types, from types.def. */

static const ScalarInfo scalars[] = {
#define X(id, idl, c, size, kind, ta, wasm, glue, chk, to, from, ts) \
    {idl, c, size, K_##kind, ta, wasm, glue, chk, to, from, ts},
#include "types.def"
#undef X
};

const ScalarInfo *scalar_info(ScalarId id) {
    return (size_t)id < sizeof scalars / sizeof scalars[0] ? &scalars[id] : NULL;
}

ScalarId scalar_lookup(const char *name) {
    /* The first characters settle most names (structs, enums, ...) without
     * a string comparison, whatever names the table holds. */
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (scalars[i].idl[0] == name[0] && strcmp(scalars[i].idl, name) == 0)
            return (ScalarId)i;
    if (strcmp(name, "string") == 0)
        return T_STRING;
    if (strcmp(name, "void") == 0)
        return T_VOID;
    return T_UNRESOLVED;
}
