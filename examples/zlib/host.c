// host.c - demo.mjs again, natively: Debian's zlib, unmodified, compiled to
// wasm and run sandboxed through wasm2c, called through the generated C API
// (`make run-host` here; make check compares its output with demo.mjs's).
// Having no other zlib, it checks zlib against itself (compress, then
// inflate through a stream) and the CRC against a bitwise one of its own.
// The z_stream of a Deflater or Inflater lives in the sandbox; the host
// holds a handle.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib_host.h"

static zlib_host *z;

static void die(void) {
    fprintf(stderr, "%s\n", zlib_host_error(z));
    exit(1);
}

typedef struct bytes {
    uint8_t *ptr;
    size_t len;
} bytes;

static void append(bytes *b, const wg_u8_array *part) {
    b->ptr = realloc(b->ptr, b->len + part->len + 1);
    memcpy(b->ptr + b->len, part->ptr, part->len);
    b->len += part->len;
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* Deflate `data` through a Deflater, `chunk` bytes at a time (demo.mjs's deflateAll). */
static bytes deflate_all(const uint8_t *data, size_t n, int level, int window_bits, size_t chunk) {
    zlib_host_deflater *d = NULL;
    bytes out = {0};
    if (zlib_host_deflater_new(z, level, window_bits, &d) != WG_HOST_OK)
        die();
    for (size_t off = 0;;) {
        bool last = off + chunk >= n;
        size_t len = last ? n - off : chunk;
        wg_u8_array part = {0};
        uint32_t unused = 0;
        int ret = 0;
        if (zlib_host_deflater_deflate(z, d, last ? Z_FINISH : Z_NO_FLUSH, data + off, len, &part, &unused, &ret) !=
            WG_HOST_OK)
            die();
        append(&out, &part);
        free(part.ptr);
        off = off + len - unused;
        if (ret == Z_STREAM_END)
            break;
    }
    zlib_host_deflater_free(z, d);
    return out;
}

/* Inflate `data` through an Inflater (demo.mjs's inflateAll); false and
 * zlib's status when it fails. */
static int inflate_all(const uint8_t *data, size_t n, int window_bits, bytes *out) {
    zlib_host_inflater *s = NULL;
    int status = WG_HOST_OK;
    if (zlib_host_inflater_new(z, window_bits, &s) != WG_HOST_OK)
        die();
    for (size_t off = 0;;) {
        wg_u8_array part = {0};
        uint32_t unused = 0;
        int ret = 0;
        status = zlib_host_inflater_inflate(z, s, Z_NO_FLUSH, data + off, n - off, &part, &unused, &ret);
        if (status != WG_HOST_OK)
            break;
        append(out, &part);
        free(part.ptr);
        off = n - unused;
        if (ret == Z_STREAM_END)
            break;
        if (ret == Z_BUF_ERROR && off == n) {
            fprintf(stderr, "truncated input\n");
            exit(1);
        }
    }
    zlib_host_inflater_free(z, s);
    return status;
}

static bool same(const bytes *b, const uint8_t *text, size_t n) { return b->len == n && memcmp(b->ptr, text, n) == 0; }

int main(void) {
    if (zlib_host_new(&z, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", zlib_host_error(NULL));
        return 1;
    }
    const char *phrase = "wasmgen binds zlib as it is. ";
    size_t k = strlen(phrase), n = k * 2000;
    uint8_t *text = malloc(n);
    for (size_t i = 0; i < 2000; i++)
        memcpy(text + i * k, phrase, k);

    char *version = NULL;
    uint32_t crc = 0;
    if (zlib_host_version(z, &version) != WG_HOST_OK || zlib_host_crc32(z, 0, text, n, &crc) != WG_HOST_OK)
        die();
    printf("version   %s\n", version);
    free(version);
    printf("crc32     %s\n", crc == crc32_bitwise(text, n) ? "true" : "false");

    wg_u8_array packed = {0}, unpacked = {0};
    if (zlib_host_compress(z, &packed, text, n, Z_BEST_COMPRESSION) != WG_HOST_OK)
        die();
    bytes back = {0};
    if (inflate_all(packed.ptr, packed.len, 15, &back) != WG_HOST_OK)
        die();
    printf("compress  %zu -> %zu bytes; inflates back: %s\n", n, packed.len, same(&back, text, n) ? "true" : "false");
    free(back.ptr);
    // The size is the caller's to give: the zlib format does not record it.
    if (zlib_host_uncompress(z, &unpacked, packed.ptr, packed.len, (uint32_t)n) != WG_HOST_OK)
        die();
    bytes u = {unpacked.ptr, unpacked.len};
    printf("uncompress zlib uncompress of it: %s\n", same(&u, text, n) ? "true" : "false");
    free(unpacked.ptr);
    free(packed.ptr);

    bytes gz = deflate_all(text, n, 6, 31, 4096), gunzipped = {0};
    if (inflate_all(gz.ptr, gz.len, 31, &gunzipped) != WG_HOST_OK)
        die();
    printf("gzip      %zu bytes; gunzips back: %s\n", gz.len, same(&gunzipped, text, n) ? "true" : "false");
    free(gz.ptr);
    free(gunzipped.ptr);
    bytes stream = deflate_all(text, n, 6, 15, 1 << 16), inflated = {0};
    if (inflate_all(stream.ptr, stream.len, 15, &inflated) != WG_HOST_OK)
        die();
    printf("inflate   of a deflate stream: %s\n", same(&inflated, text, n) ? "true" : "false");
    free(stream.ptr);
    free(inflated.ptr);

    bytes none = {0};
    const char *bad = "not zlib data";
    int status = inflate_all((const uint8_t *)bad, strlen(bad), 15, &none);
    printf("error     %s %d %s\n", status == WG_HOST_FAILED ? "true" : "false", (int)zlib_host_error_code(z),
           zlib_host_error(z));
    free(none.ptr);
    free(text);

    wg_host_stats stats;
    zlib_host_stats(z, &stats);
    printf("liveAllocations: %llu\n", (unsigned long long)stats.live_count);
    zlib_host_free(z);
    return 0;
}
