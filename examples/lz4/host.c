// host.c - demo.mjs again, natively: Debian's LZ4, unmodified, compiled to
// wasm and run sandboxed through wasm2c, called through the generated C API
// (`make run-host` here; make check compares its output with demo.mjs's).
// A failure is a status and a message: WG_HOST_FAILED when LZ4 reports one
// (JS's WasmgenError), WG_HOST_BAD_ARGUMENT when the glue's own check refuses
// a length (JS's RangeError); printed here under the JS names so that the two
// demos' outputs compare line for line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz4_host.h"

static void print_error(lz4_host *m, int status) {
    const char *name = status == WG_HOST_FAILED ? "WasmgenError" : status == WG_HOST_BAD_ARGUMENT ? "RangeError" : "?";
    if (status == WG_HOST_FAILED)
        printf("error      %s: %s (code %d)\n", name, lz4_host_error(m), (int)lz4_host_error_code(m));
    else
        printf("error      %s: %s\n", name, lz4_host_error(m));
}

int main(void) {
    lz4_host *m = NULL;
    if (lz4_host_new(&m, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", lz4_host_error(NULL));
        return 1;
    }
    char *version = NULL;
    int32_t number = 0;
    if (lz4_host_version(m, &version) != WG_HOST_OK || lz4_host_version_number(m, &number) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", lz4_host_error(m));
        return 1;
    }
    printf("version    %s %d\n", version, (int)number);
    free(version);

    const char *phrase = "LZ4 is fast. ";
    size_t n = strlen(phrase) * 1000;
    uint8_t *text = malloc(n);
    for (size_t i = 0; i < 1000; i++)
        memcpy(text + i * strlen(phrase), phrase, strlen(phrase));
    wg_u8_array block = {0}, back = {0};
    int32_t bound = 0;
    if (lz4_host_compress(m, text, n, &block) != WG_HOST_OK ||
        lz4_host_compress_bound(m, (int32_t)n, &bound) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", lz4_host_error(m));
        return 1;
    }
    printf("compress   %zu -> %zu bytes (bound %d)\n", n, block.len, (int)bound);
    if (lz4_host_decompress(m, block.ptr, block.len, &back, (int32_t)n) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", lz4_host_error(m));
        return 1;
    }
    printf("decompress %zu bytes, same: %s\n", back.len,
           back.len == n && memcmp(back.ptr, text, n) == 0 ? "true" : "false");
    free(block.ptr);
    free(back.ptr);
    free(text);

    const uint8_t bad[] = {0xf0, 1, 2}, zeros[4] = {0};
    wg_u8_array none = {0};
    print_error(m, lz4_host_decompress(m, bad, sizeof bad, &none, 100));
    print_error(m, lz4_host_decompress(m, zeros, sizeof zeros, &none, -1));

    wg_host_stats stats;
    lz4_host_stats(m, &stats);
    printf("max input  %d liveAllocations: %llu\n", LZ4_MAX_INPUT_SIZE, (unsigned long long)stats.live_count);
    lz4_host_free(m);
    return 0;
}
