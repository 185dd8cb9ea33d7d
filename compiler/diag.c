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

/* Print the source line holding `offset`, then a caret under its column.
 * Control bytes print as spaces so the caret stays put; tabs stay tabs. */
static void show_line(Diag *d, Loc loc) {
    size_t start = loc.offset < d->src_len ? loc.offset : d->src_len;
    while (start > 0 && d->src[start - 1] != '\n')
        start--;
    size_t end = start;
    while (end < d->src_len && d->src[end] != '\n' && d->src[end] != '\r')
        end++;
    enum { MAX_SHOWN = 200 };
    size_t shown_from = start;
    /* On a very long line, show a window around the column. */
    if (loc.offset > start + MAX_SHOWN / 2)
        shown_from = loc.offset - MAX_SHOWN / 2;
    size_t shown_to = end - shown_from > MAX_SHOWN ? shown_from + MAX_SHOWN : end;
    while (shown_from > start && ((unsigned char)d->src[shown_from] & 0xC0) == 0x80)
        shown_from++; /* do not start inside a UTF-8 sequence */
    while (shown_to < end && ((unsigned char)d->src[shown_to] & 0xC0) == 0x80)
        shown_to++;
    buf_puts(d->out, "  ");
    if (shown_from > start)
        buf_puts(d->out, "...");
    for (size_t i = shown_from; i < shown_to; i++) {
        unsigned char c = (unsigned char)d->src[i];
        buf_putc(d->out, (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : (char)c);
    }
    if (shown_to < end)
        buf_puts(d->out, "...");
    buf_puts(d->out, "\n  ");
    if (shown_from > start)
        buf_puts(d->out, "   ");
    size_t caret = loc.offset < shown_to ? loc.offset : shown_to;
    for (size_t i = shown_from; i < caret; i++) {
        unsigned char c = (unsigned char)d->src[i];
        if ((c & 0xC0) == 0x80)
            continue; /* one column per code point */
        buf_putc(d->out, c == '\t' ? '\t' : ' ');
    }
    buf_puts(d->out, "^\n");
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
        buf_printf(d->out, "%s:%d:%d: error: ", d->file, loc.line, loc.col);
    else
        buf_printf(d->out, "%s: error: ", d->file);
    buf_vprintf(d->out, fmt, ap);
    va_end(ap);
    buf_putc(d->out, '\n');
    if (loc.line > 0)
        show_line(d, loc);
}

void diag_error_file(Diag *d, const char *fmt, ...) {
    if (!count(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    buf_printf(d->out, "%s: error: ", d->file);
    buf_vprintf(d->out, fmt, ap);
    va_end(ap);
    buf_putc(d->out, '\n');
}
