// host.c - demo.mjs again, natively: the strings module through the
// generated C API (strings_host.h), sandboxed by wasm2c. It prints what
// demo.mjs prints (`make run-host` here; make check compares).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strings_host.h"

int main(void) {
    strings_host *m = NULL;
    if (strings_host_new(&m, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", strings_host_error(NULL));
        return 1;
    }
    const char *texts[] = {"abcdefg", "h\xc3\xa9llo w\xc3\xb6rld", "he\xcc\x81llo wo\xcc\x88rld",
                           "\xf0\x9f\x8c\x8d earth"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *reversed;
        uint32_t count;
        if (strings_host_reverse(m, texts[i], strlen(texts[i]), &reversed) != WG_HOST_OK ||
            strings_host_count_chars(m, texts[i], strlen(texts[i]), &count) != WG_HOST_OK) {
            fprintf(stderr, "%s\n", strings_host_error(m));
            return 1;
        }
        printf("reverse(\"%s\") = \"%s\"  (%u code points)\n", texts[i], reversed, count);
        free(reversed);
    }
    strings_host_free(m);
    return 0;
}
