/* strings.c - the implementation of strings.idl. */
#include "strings.h"

#include <stdlib.h>
#include <string.h>

/* The length of the UTF-8 sequence starting at s[i], and its code point. */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > len)
        n = len - i;
    uint32_t v = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; k++)
        v = (v << 6) | (s[i + k] & 0x3F);
    *cp = v;
    return n;
}

static bool is_combining(uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

char *strings_reverse(const char *text, size_t text_len) {
    const unsigned char *s = (const unsigned char *)text;
    char *out = malloc(text_len + 1);
    if (!out)
        return NULL;
    /* Walk forward cluster by cluster (a base and its combining marks), and
     * copy each cluster to the mirrored position at the end of `out`. */
    size_t i = 0, end = text_len;
    while (i < text_len) {
        uint32_t cp;
        size_t start = i;
        i += decode(s, text_len, i, &cp);
        while (i < text_len) {
            size_t n = decode(s, text_len, i, &cp);
            if (!is_combining(cp))
                break;
            i += n;
        }
        end -= i - start;
        memcpy(out + end, s + start, i - start);
    }
    out[text_len] = '\0';
    return out;
}

uint32_t strings_count_chars(const char *text, size_t text_len) {
    uint32_t n = 0;
    for (size_t i = 0; i < text_len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}
