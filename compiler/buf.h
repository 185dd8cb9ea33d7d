/* buf.h - a growable byte buffer; emitters and diagnostics print into it. */
#ifndef COMPILER_BUF_H
#define COMPILER_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct Buf {
    char *data; /* always NUL-terminated once anything is written */
    size_t len;
    size_t cap;
} Buf;

void buf_free(Buf *b);
/* Empty it, keeping its memory for what is printed next. */
static inline void buf_clear(Buf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}
/* Room for `extra` more bytes and the NUL (out of memory exits). */
void buf_grow(Buf *b, size_t extra);
/* Insert n bytes at offset `at` (at most b->len); s must not point into b. */
void buf_insert(Buf *b, size_t at, const char *s, size_t n);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Print `count` spaces. */
void buf_indent(Buf *b, int count);

/* The three the emitters call millions of times are inline: no call, and
 * a string literal's length is known where it is printed. */
static inline void buf_putn(Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap)
        buf_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void buf_puts(Buf *b, const char *s) { buf_putn(b, s, strlen(s)); }

static inline void buf_putc(Buf *b, char c) {
    if (b->len + 2 > b->cap)
        buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

#endif
