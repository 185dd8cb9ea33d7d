// host.c - demo.mjs again, natively: C's printf reaches the host's stdout
// and stderr through the host runtime's WASI, or a callback of your own
// (`make run-host` here; make check compares with demo.mjs).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_host.h"

static void capture(void *user, const char *line, size_t len) {
    snprintf(user, 256, "%.*s", (int)len, line);
}

int main(void) {
    hello_host *m = NULL, *quiet = NULL;
    if (hello_host_new(&m, NULL) != WG_HOST_OK) { // options NULL: the host's own stdout and stderr
        fprintf(stderr, "%s\n", hello_host_error(NULL));
        return 1;
    }
    hello_host_send_to_stdout(m, "Hello, World!", 13); // printf: a line on stdout
    hello_host_send_to_stderr(m, "Hello, World!", 13); // fprintf(stderr): a line on stderr

    // Or take the lines yourself.
    char line[256] = "";
    wg_host_options options = {.out = capture, .user = line};
    if (hello_host_new(&quiet, &options) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", hello_host_error(NULL));
        return 1;
    }
    hello_host_send_to_stdout(quiet, "Hello, captured World!", 22);
    printf("captured [\"%s\"]\n", line);
    hello_host_free(quiet);
    hello_host_free(m);
    return 0;
}
