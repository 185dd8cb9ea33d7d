/* wasi.c - the implementation of wasi.idl: plain libc calls, and a few
 * direct WASI calls where libc would hide what the host returned. */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

void wasi_print_out(const char *text, size_t text_len) { fwrite(text, 1, text_len, stdout); }

void wasi_print_err(const char *text, size_t text_len) { fwrite(text, 1, text_len, stderr); }

void wasi_print_out_flush(const char *text, size_t text_len) {
    fwrite(text, 1, text_len, stdout);
    fflush(stdout);
}

int32_t wasi_write_fd(int32_t fd, const uint8_t *bytes, size_t bytes_len) {
    return (int32_t)write(fd, bytes, bytes_len);
}

int32_t wasi_writev_bytes(int32_t fd, const uint8_t *bytes, size_t bytes_len) {
    struct iovec iov[64];
    if (bytes_len > 64)
        return -1;
    for (size_t i = 0; i < bytes_len; i++) {
        iov[i].iov_base = (void *)(bytes + i);
        iov[i].iov_len = 1;
    }
    return (int32_t)writev(fd, iov, (int)bytes_len);
}

void wasi_print_lines(uint32_t count) {
    for (uint32_t i = 0; i < count; i++)
        printf(i % 2 ? "line %u\r\n" : "line %u\n", (unsigned)i);
    fflush(stdout);
}

char *wasi_get_env(const char *name, size_t name_len) {
    (void)name_len;
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

uint32_t wasi_env_count(void) {
    uint32_t n = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    return n;
}

double wasi_realtime_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return -1;
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int64_t wasi_clock_ns(uint32_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_errno_t e = __wasi_clock_time_get(id, 1, &t);
    return e ? -(int64_t)e : (int64_t)t;
}

int64_t wasi_clock_res(uint32_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_errno_t e = __wasi_clock_res_get(id, &t);
    return e ? -(int64_t)e : (int64_t)t;
}

wg_u8_array wasi_random_bytes(uint32_t n) {
    wg_u8_array r = {calloc(n ? n : 1, 1), n};
    if (!r.ptr)
        r.len = 0;
    else
        arc4random_buf(r.ptr, n);
    return r;
}

wg_u8_array wasi_entropy(uint32_t n) {
    wg_u8_array r = {calloc(n ? n : 1, 1), n};
    if (!r.ptr || getentropy(r.ptr, n) != 0)
        r.len = 0;
    return r;
}

int32_t wasi_is_tty(int32_t fd) { return isatty(fd); }

int32_t wasi_open_errno(const char *path, size_t path_len) {
    (void)path_len;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

int32_t wasi_yield_now(void) { return sched_yield(); }

int32_t wasi_sleep_errno(void) {
    struct timespec ts = {0, 1000000};
    return nanosleep(&ts, NULL) == 0 ? 0 : errno;
}

void wasi_exit_with(const char *partial, size_t partial_len, int32_t code) {
    fwrite(partial, 1, partial_len, stdout);
    exit(code);
}
