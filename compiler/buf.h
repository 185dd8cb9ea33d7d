/* buf.h - a growable byte buffer; emitters and diagnostics print into it. */
#ifndef COMPILER_BUF_H
#define COMPILER_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct Buf {
    char *data; /* always NUL-terminated once anything is written */
    size_t len;
    size_t cap;
} Buf;

void buf_free(Buf *b);
void buf_putn(Buf *b, const char *s, size_t n);
/* Insert n bytes at offset `at` (at most b->len); s must not point into b. */
void buf_insert(Buf *b, size_t at, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Print `count` spaces. */
void buf_indent(Buf *b, int count);

#endif
