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
};

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("wasmgen: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

Arena *arena_new(void) {
    Arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    return a;
}

void arena_free(Arena *a) {
    if (!a)
        return;
    for (Chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *arena_alloc(Arena *a, size_t size) {
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    Chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t chunk = size > 16384 ? size : 16384;
        c = xmalloc(sizeof(Chunk) + chunk);
        c->size = chunk;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *p = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return p;
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
