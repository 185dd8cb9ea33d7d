/* buf.c - a growable byte buffer. Out of memory aborts: the compiler has no
 * sensible way to go on without memory, and saying so beats a crash. */
#include "buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_grow(Buf *b, size_t extra) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        fputs("wasmgen: out of memory\n", stderr);
        exit(2);
    }
    b->data = data;
    b->cap = cap;
}

static inline void reserve(Buf *b, size_t extra) {
    if (b->len + extra + 1 > b->cap)
        buf_grow(b, extra);
}

void buf_free(Buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* The rest of a format, from a conversion this file does not handle, by
 * the C library. */
static void fallback(Buf *b, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

static void put_unsigned(Buf *b, unsigned long long v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    reserve(b, (size_t)n);
    while (n)
        b->data[b->len++] = digits[--n];
    b->data[b->len] = '\0';
}

/* printf into the buffer. The conversions emitters use all the time (%s,
 * %.Ns, %d, %u, %zu, %lld, %llu, %c, %%) are done here: formatting with
 * the C library was most of the compiler's time on large inputs. Anything
 * else goes to vsnprintf. */
void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
    const char *p = fmt;
    reserve(b, 16);
    b->data[b->len] = '\0';
    for (;;) {
        /* Copy the literal text up to the next conversion. Most runs are a
         * few characters (", ", ": "), often none: found by a plain loop,
         * not by a call. */
        const char *pct = p;
        while (*pct && *pct != '%')
            pct++;
        if (pct > p)
            buf_putn(b, p, (size_t)(pct - p));
        if (!*pct)
            return;
        const char *q = pct + 1;
        if (*q == 's') { /* most conversions: first, without the flags' checks */
            const char *s = va_arg(ap, const char *);
            buf_puts(b, s ? s : "(null)");
            p = q + 1;
            continue;
        }
        long prec = -1;
        if (*q == '%') {
            buf_putc(b, '%');
            p = q + 1;
            continue;
        }
        if (*q == '.' && q[1] >= '0' && q[1] <= '9') {
            char *end;
            prec = strtol(q + 1, &end, 10);
            q = end;
        }
        int longs = 0;
        bool size = false;
        while (*q == 'l')
            longs++, q++;
        if (*q == 'z')
            size = true, q++;
        switch (*q) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            buf_putn(b, s, prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
            break;
        }
        case 'c':
            if (prec >= 0 || longs || size)
                goto other;
            buf_putc(b, (char)va_arg(ap, int));
            break;
        case 'd': {
            if (prec >= 0 || size)
                goto other;
            long long v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0) {
                buf_putc(b, '-');
                put_unsigned(b, 0ull - (unsigned long long)v);
            } else {
                put_unsigned(b, (unsigned long long)v);
            }
            break;
        }
        case 'u':
            if (prec >= 0)
                goto other;
            put_unsigned(b, size ? va_arg(ap, size_t)
                            : longs >= 2 ? va_arg(ap, unsigned long long)
                            : longs ? va_arg(ap, unsigned long)
                                    : va_arg(ap, unsigned));
            break;
        default:
        other:
            fallback(b, pct, ap);
            return;
        }
        p = q + 1;
    }
}

void buf_printf(Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_indent(Buf *b, int count) {
    if (count <= 0)
        return;
    reserve(b, (size_t)count);
    memset(b->data + b->len, ' ', (size_t)count);
    b->len += (size_t)count;
    b->data[b->len] = '\0';
}

void buf_insert(Buf *b, size_t at, const char *s, size_t n) {
    if (n == 0)
        return;
    size_t len = b->len;
    buf_putn(b, s, n); /* the room, and the NUL after it */
    memmove(b->data + at + n, b->data + at, len - at);
    memcpy(b->data + at, s, n);
}
