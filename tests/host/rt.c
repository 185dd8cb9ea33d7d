// rt.c - the host runtime's test module (see rt.idl).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <wasi/api.h>

#include "rt.h"

int32_t rt_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

int32_t rt_divide(int32_t a, int32_t b) { return a / b; } // traps on b == 0 and INT32_MIN / -1

void rt_crash(void) { __builtin_trap(); }

int32_t rt_load(uint32_t addr) { return *(volatile int32_t *)(uintptr_t)addr; }

void rt_store(uint32_t addr, int32_t value) { *(volatile int32_t *)(uintptr_t)addr = value; }

// Unbounded recursion that keeps only wasm locals (nothing on the shadow
// stack in linear memory): each level is a native frame once translated, so
// the native stack runs out. The indirect call keeps clang from turning the
// recursion into a loop.
static uint32_t (*volatile self)(uint32_t);
uint32_t rt_recurse(uint32_t depth) {
    if (depth == 0)
        return 0;
    self = rt_recurse;
    return self(depth + 1) + 1;
}

// A trap with a frame on the shadow stack (linear memory): the host must
// put the module's stack pointer back.
uint32_t rt_trap_in_frame(uint32_t n) {
    volatile char buf[1024];
    buf[n % 1024] = 1;
    if (n != 12345)
        __builtin_trap();
    return buf[0];
}

int32_t rt_grow(uint32_t pages) { return (int32_t)__builtin_wasm_memory_grow(0, pages); }

uint32_t rt_pages(void) { return (uint32_t)__builtin_wasm_memory_size(0); }

void rt_quit(int32_t code) { exit(code); }

void rt_say(const char *text, size_t text_len) {
    (void)text_len;
    printf("%s", text);
}

void rt_shout(const char *text, size_t text_len) {
    (void)text_len;
    fprintf(stderr, "%s", text);
}

void rt_flush_out(void) { fflush(stdout); }

char *rt_env(const char *name, size_t name_len) {
    (void)name_len;
    const char *v = getenv(name);
    if (v == NULL)
        return NULL;
    size_t n = 0;
    while (v[n])
        n++;
    char *r = malloc(n + 1);
    for (size_t i = 0; i <= n; i++)
        r[i] = v[i];
    return r;
}

int64_t rt_clock(uint32_t id) {
    struct timespec ts;
    if (clock_gettime((clockid_t)id, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint32_t rt_random_u32(void) { return arc4random(); }

uint32_t rt_callback(uint32_t n) { return rt_reenter(n) + 1; }

int32_t rt_sum(const int32_t *values, size_t values_len) {
    int32_t s = 0;
    for (size_t i = 0; i < values_len; i++)
        s += values[i];
    return s;
}

static uint32_t calls;
uint32_t rt_counter(void) { return ++calls; }

static uint8_t scratch[256] __attribute__((aligned(16)));
#define P ((void *)scratch)
uint32_t rt_wasi_probe(uint32_t i) {
    __wasi_size_t n = 0;
    __wasi_ciovec_t ciov = {scratch, 0};
    __wasi_iovec_t iov = {scratch, 0};
    switch (i) {
    case 0: return __wasi_args_get(P, P);
    case 1: return __wasi_args_sizes_get(&n, &n);
    case 2: return __wasi_environ_get(P, P);
    case 3: return __wasi_environ_sizes_get(&n, &n);
    case 4: return __wasi_clock_res_get(0, P);
    case 5: return __wasi_clock_time_get(0, 1, P);
    case 6: return __wasi_fd_advise(1, 0, 0, 0);
    case 7: return __wasi_fd_allocate(1, 0, 0);
    case 8: return __wasi_fd_close(99);
    case 9: return __wasi_fd_datasync(1);
    case 10: return __wasi_fd_fdstat_get(1, P);
    case 11: return __wasi_fd_fdstat_set_flags(1, 0);
    case 12: return __wasi_fd_fdstat_set_rights(1, 0, 0);
    case 13: return __wasi_fd_filestat_get(1, P);
    case 14: return __wasi_fd_filestat_set_size(1, 0);
    case 15: return __wasi_fd_filestat_set_times(1, 0, 0, 0);
    case 16: return __wasi_fd_pread(1, &iov, 1, 0, &n);
    case 17: return __wasi_fd_prestat_get(3, P);
    case 18: return __wasi_fd_prestat_dir_name(3, P, 0);
    case 19: return __wasi_fd_pwrite(1, &ciov, 1, 0, &n);
    case 20: return __wasi_fd_read(0, &iov, 1, &n);
    case 21: return __wasi_fd_readdir(3, P, 0, 0, &n);
    case 22: return __wasi_fd_renumber(1, 2);
    case 23: return __wasi_fd_seek(1, 0, 0, P);
    case 24: return __wasi_fd_sync(1);
    case 25: return __wasi_fd_tell(1, P);
    case 26: return __wasi_fd_write(5, &ciov, 1, &n);
    case 27: return __wasi_path_create_directory(3, "d");
    case 28: return __wasi_path_filestat_get(3, 0, "f", P);
    case 29: return __wasi_path_filestat_set_times(3, 0, "f", 0, 0, 0);
    case 30: return __wasi_path_link(3, 0, "a", 3, "b");
    case 31: return __wasi_path_open(3, 0, "f", 0, 0, 0, 0, P);
    case 32: return __wasi_path_readlink(3, "l", P, 0, &n);
    case 33: return __wasi_path_remove_directory(3, "d");
    case 34: return __wasi_path_rename(3, "a", 3, "b");
    case 35: return __wasi_path_symlink("a", 3, "b");
    case 36: return __wasi_path_unlink_file(3, "f");
    case 37: return __wasi_poll_oneoff(P, P, 0, &n);
    case 38: return __wasi_sched_yield();
    case 39: return __wasi_random_get(scratch, 16);
    case 40: return __wasi_sock_accept(3, 0, P);
    case 41: return __wasi_sock_recv(3, &iov, 1, 0, &n, P);
    case 42: return __wasi_sock_send(3, &ciov, 1, 0, &n);
    case 43: return __wasi_sock_shutdown(3, 0);
    case 44: return __wasi_fd_write(1, &ciov, 1, &n); /* 0 bytes to stdout */
    default: return 0xffff;
    }
}
