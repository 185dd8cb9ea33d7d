/* diag.c - the one error reporter, with the source line and a caret. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_init(Diag *d, const char *file, const char *src, size_t len, Buf *out) {
    d->file = file;
    d->src = src;
    d->src_len = len;
    d->out = out;
    d->errors = 0;
    d->max_errors = DIAG_MAX_ERRORS;
}

bool diag_full(const Diag *d) { return d->errors > d->max_errors; }

int diag_col(const Diag *d, Loc loc) {
    const unsigned char *src = (const unsigned char *)d->src;
    size_t off = loc.offset < d->src_len ? loc.offset : d->src_len, start = off;
    while (start > 0 && src[start - 1] != '\n')
        start--;
    int col = 1;
    for (size_t i = start; i < off; i++)
        col += (src[i] & 0xC0) != 0x80; /* continuation bytes do not move it */
    return col;
}

/* The length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one:
 * no overlong forms, surrogates or code points past U+10FFFF (the second
 * byte's range depends on the first, as in Unicode's table 3-7). */
static size_t utf8_len(const unsigned char *s, size_t n) {
    size_t need = s[0] < 0x80 ? 0 : s[0] >= 0xC2 && s[0] <= 0xDF ? 1
                : s[0] >= 0xE0 && s[0] <= 0xEF ? 2 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 3 : 99;
    if (need == 0)
        return 1;
    if (need == 99 || need >= n)
        return 0;
    unsigned lo = s[0] == 0xE0 ? 0xA0 : s[0] == 0xF0 ? 0x90 : 0x80;
    unsigned hi = s[0] == 0xED ? 0x9F : s[0] == 0xF4 ? 0x8F : 0xBF;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k <= need; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return need + 1;
}

/* Print the source line holding `loc.offset`, then a caret under its column.
 * Control bytes print as spaces and invalid UTF-8 as '?', so the caret stays
 * put and the message stays valid UTF-8; tabs stay tabs. A very long line is
 * shown as a window around the column. */
static void show_line(Diag *d, Loc loc) {
    const unsigned char *src = (const unsigned char *)d->src;
    size_t off = loc.offset < d->src_len ? loc.offset : d->src_len;
    size_t start = off, end = off;
    while (start > 0 && src[start - 1] != '\n')
        start--;
    while (end < d->src_len && src[end] != '\n')
        end++;
    if (end > off && src[end - 1] == '\r')
        end--; /* CRLF */
    enum { MAX_SHOWN = 200 };
    size_t from = off - start > MAX_SHOWN / 2 ? off - MAX_SHOWN / 2 : start;
    while (from < off && (src[from] & 0xC0) == 0x80)
        from++; /* do not start inside a UTF-8 sequence */
    size_t to = end - from > MAX_SHOWN ? from + MAX_SHOWN : end;
    if (to < off)
        to = off;

    Buf carets = {0};
    buf_puts(d->out, from > start ? "  ..." : "  ");
    buf_puts(&carets, from > start ? "     " : "  ");
    size_t i = from;
    while (i < to) {
        size_t n = utf8_len(src + i, end - i);
        bool before = i < off;
        if (n == 0 || (src[i] < 0x20 && src[i] != '\t') || src[i] == 0x7f) {
            buf_putc(d->out, n == 0 ? '?' : ' ');
            n = 1;
        } else {
            buf_putn(d->out, (const char *)src + i, n);
        }
        if (before)
            buf_putc(&carets, src[i] == '\t' ? '\t' : ' ');
        i += n;
    }
    if (to < end)
        buf_puts(d->out, "...");
    buf_putc(d->out, '\n');
    buf_puts(d->out, carets.data);
    buf_puts(d->out, "^\n");
    buf_free(&carets);
}

static bool count(Diag *d) {
    d->errors++;
    if (d->errors == d->max_errors + 1) {
        buf_printf(d->out, "%s: error: too many errors; stopping after %d\n", d->file,
                   d->max_errors);
        return false;
    }
    return d->errors <= d->max_errors;
}

void diag_error(Diag *d, Loc loc, const char *fmt, ...) {
    if (!count(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    if (loc.line > 0)
        buf_printf(d->out, "%s:%d:%d: error: ", d->file, loc.line, diag_col(d, loc));
    else
        buf_printf(d->out, "%s: error: ", d->file);
    buf_vprintf(d->out, fmt, ap);
    va_end(ap);
    buf_putc(d->out, '\n');
    if (loc.line > 0)
        show_line(d, loc);
}
