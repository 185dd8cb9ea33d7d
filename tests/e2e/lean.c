#include <stdlib.h>
#include <string.h>

#include "lean.h"

char *lean_repeat(const char *text, size_t text_len, uint32_t times, const char *sep, size_t sep_len,
                  wg_error *err) {
    size_t n = times == 0 ? 0 : (size_t)times * text_len + (size_t)(times - 1) * sep_len;
    if (n > (1u << 20)) {
        wg_fail(err, 7, "the result would pass 1 MiB (%zu bytes)", n);
        return NULL;
    }
    char *out = malloc(n + 1);
    if (!out) {
        wg_fail(err, 12, "out of memory");
        return NULL;
    }
    size_t at = 0;
    for (uint32_t i = 0; i < times; i++) {
        if (i) {
            memcpy(out + at, sep, sep_len);
            at += sep_len;
        }
        memcpy(out + at, text, text_len);
        at += text_len;
    }
    out[at] = '\0';
    return out;
}

char *lean_first_word(const char *text, size_t text_len) {
    size_t i = 0;
    while (i < text_len && text[i] == ' ')
        i++;
    size_t j = i;
    while (j < text_len && text[j] != ' ')
        j++;
    if (j == i)
        return NULL;
    char *out = malloc(j - i + 1);
    if (!out)
        return NULL;
    memcpy(out, text + i, j - i);
    out[j - i] = '\0';
    return out;
}

double lean_half(double x) { return x / 2; }
