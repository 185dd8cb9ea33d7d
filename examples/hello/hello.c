/* hello.c - the implementation of hello.idl: plain stdio. The JS runtime's
 * WASI turns what C writes into lines for console.log and console.error. */
#include "hello.h"

#include <stdio.h>

void hello_send_to_stdout(const char *text, size_t text_len) { printf("%.*s\n", (int)text_len, text); }

void hello_send_to_stderr(const char *text, size_t text_len) {
    fprintf(stderr, "%.*s\n", (int)text_len, text);
}
