/*
 * wg_host_wasi.c - WASI preview 1 for modules run natively, mirroring the JS
 * runtime's WASI (runtime/wasmgen-runtime.mjs, wasiImports):
 *
 * - fd_write to 1 and 2 goes to the options' line callbacks (default: the
 *   host's own stdout and stderr) one line at a time, without its "\n" or
 *   "\r\n". A partial line waits for its newline, for
 *   wg_sandbox_flush_output(), for exit(), or for the instance's end. After
 *   a flush sent a partial line, the newline that ends it adds no empty line.
 *   A line longer than 64 KiB is passed on in pieces.
 * - fd 0 reads as empty; fds 0-2 are character devices (so libc
 *   line-buffers stdout, as on a terminal); there are no preopened
 *   directories, and every other fd is EBADF.
 * - clocks: realtime, monotonic, process and thread CPU time, from the host.
 * - random_get: getrandom(2).
 * - the environment is options->env and nothing else; argv is empty.
 * - proc_exit passes on partial lines, marks the instance dead and ends the
 *   call with WG_HOST_EXITED.
 * - poll_oneoff (sleep) and every other function: ENOSYS.
 *
 * Every pointer and length the module passes is checked against its memory
 * (EFAULT), so nothing here can fault.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "wg_host_internal.h"

enum { SUCCESS = 0, EBADF_ = 8, EFAULT_ = 21, EINVAL_ = 28, EIO_ = 29, ENOSYS_ = 52, ESPIPE_ = 70 };

#define LINE_MAX_BYTES ((size_t)64 << 10)

#define SB(w) ((w)->sandbox)

static unsigned char *at(wg_sandbox *sb, uint64_t p, uint64_t n) {
    return wg_host_in_bounds(sb, p, n) ? sb->mem->data + p : NULL;
}

static bool put32(wg_sandbox *sb, uint32_t p, uint32_t v) {
    unsigned char *d = at(sb, p, 4);
    if (d == NULL)
        return false;
    memcpy(d, &v, 4);
    return true;
}

static bool put64(wg_sandbox *sb, uint32_t p, uint64_t v) {
    unsigned char *d = at(sb, p, 8);
    if (d == NULL)
        return false;
    memcpy(d, &v, 8);
    return true;
}

/* ---- Output */

static void default_line(FILE *to, const char *line, size_t len) {
    fwrite(line, 1, len, to);
    fputc('\n', to);
    fflush(to);
}

static void emit(wg_sandbox *sb, int fd, const char *line, size_t len) {
    if (len > 0 && line[len - 1] == '\r')
        len--;
    /* The callback gets a NUL after the line: the buffer has room for it. */
    ((char *)line)[len] = '\0';
    wg_host_line_fn f = fd == 1 ? sb->out : sb->err;
    if (f != NULL)
        f(sb->user, line, len);
    else
        default_line(fd == 1 ? stdout : stderr, line, len);
}

/* Send the stream's first `len` bytes as a line, and empty it. The line
 * leaves the stream first: the callback may call back into the module,
 * whose output then goes into a buffer of its own, not over the line the
 * callback reads, nor into one it frees growing it. */
static void send_line(wg_sandbox *sb, int fd, size_t len) {
    wg_host_stream *s = &sb->streams[fd - 1];
    char *line = s->buf;
    size_t cap = s->cap;
    s->buf = NULL;
    s->len = s->cap = 0;
    emit(sb, fd, line, len);
    if (s->buf == NULL) { /* nothing written meanwhile: the buffer back */
        s->buf = line;
        s->cap = cap;
    } else {
        free(line);
    }
}

/* Send the partial line now. */
static void end_stream(wg_sandbox *sb, int fd) {
    wg_host_stream *s = &sb->streams[fd - 1];
    if (s->len == 0)
        return;
    s->cut = true;
    send_line(sb, fd, s->len);
}

void wg_sandbox_flush_output(wg_sandbox *sb) {
    end_stream(sb, 1);
    end_stream(sb, 2);
}

static bool stream_append(wg_host_stream *s, const char *p, size_t n) {
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (b == NULL)
            return false;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return true;
}

/* Bytes for stream fd: whole lines go out; the rest waits. */
static bool write_bytes(wg_sandbox *sb, int fd, const char *p, size_t n) {
    wg_host_stream *s = &sb->streams[fd - 1];
    if (s->cut && n > 0) {
        /* A flush sent the start of this line: its newline adds nothing. */
        s->cut = false;
        if (p[0] == '\n') {
            p++;
            n--;
        } else if (n >= 2 && p[0] == '\r' && p[1] == '\n') {
            p += 2;
            n -= 2;
        }
    }
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t chunk = nl ? (size_t)(nl - p) : n;
        if (s->len + chunk > LINE_MAX_BYTES) {
            /* Too long for one line: pass on what fits. */
            size_t fit = LINE_MAX_BYTES - s->len;
            if (!stream_append(s, p, fit))
                return false;
            p += fit;
            n -= fit;
            send_line(sb, fd, s->len);
            continue;
        }
        if (!stream_append(s, p, chunk))
            return false;
        if (nl == NULL)
            return true;
        p += chunk + 1;
        n -= chunk + 1;
        send_line(sb, fd, s->len);
    }
    return true;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 iovs,
                                       u32 iovs_len, u32 nwritten) {
    wg_sandbox *sb = SB(w);
    if (fd != 1 && fd != 2)
        return EBADF_;
    const unsigned char *iov = at(sb, iovs, (uint64_t)iovs_len * 8);
    if (iov == NULL || at(sb, nwritten, 4) == NULL)
        return EFAULT_;
    /* Check every buffer before writing any. */
    uint64_t total = 0;
    for (uint32_t i = 0; i < iovs_len; i++) {
        uint32_t p, n;
        memcpy(&p, iov + 8 * (size_t)i, 4);
        memcpy(&n, iov + 8 * (size_t)i + 4, 4);
        if (at(sb, p, n) == NULL)
            return EFAULT_;
        total += n;
    }
    if (total > UINT32_MAX)
        return EINVAL_;
    wg_host_import_enter(sb); /* the callbacks are host code */
    bool ok = true;
    for (uint32_t i = 0; i < iovs_len && ok; i++) {
        /* Read and check again: a callback may have called back into the
         * module, which may have changed its memory. */
        uint32_t p, n;
        memcpy(&p, iov + 8 * (size_t)i, 4);
        memcpy(&n, iov + 8 * (size_t)i + 4, 4);
        const unsigned char *d = at(sb, p, n);
        ok = d != NULL && write_bytes(sb, (int)fd, (const char *)d, n);
    }
    wg_host_import_leave(sb);
    if (!ok)
        return EIO_;
    put32(sb, nwritten, (uint32_t)total);
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_read(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 iovs,
                                      u32 iovs_len, u32 nread) {
    (void)iovs;
    (void)iovs_len;
    if (fd != 0)
        return EBADF_;
    return put32(SB(w), nread, 0) ? SUCCESS : EFAULT_; /* stdin is empty */
}

static bool std_fd(u32 fd) { return fd <= 2; }

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 stat) {
    if (!std_fd(fd))
        return EBADF_;
    unsigned char *d = at(SB(w), stat, 24);
    if (d == NULL)
        return EFAULT_;
    /* fdstat: u8 filetype, u16 flags at 2, u64 rights_base at 8, u64
     * rights_inheriting at 16. A character device without the seek and tell
     * rights: isatty() is true. */
    memset(d, 0, 24);
    d[0] = 2;
    uint64_t rights = (fd == 0 ? (uint64_t)1 << 1 : (uint64_t)1 << 6) | (uint64_t)1 << 27;
    memcpy(d + 8, &rights, 8);
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd) {
    (void)w;
    return std_fd(fd) ? SUCCESS : EBADF_;
}
u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u64 off, u32 whence,
                                      u32 out) {
    (void)w, (void)off, (void)whence, (void)out;
    return std_fd(fd) ? ESPIPE_ : EBADF_;
}
u32 Z_wasi_snapshot_preview1Z_fd_tell(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 out) {
    (void)w, (void)out;
    return std_fd(fd) ? ESPIPE_ : EBADF_;
}
u32 Z_wasi_snapshot_preview1Z_fd_sync(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd) {
    (void)w;
    return std_fd(fd) ? SUCCESS : EBADF_;
}
u32 Z_wasi_snapshot_preview1Z_fd_datasync(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd) {
    (void)w;
    return std_fd(fd) ? SUCCESS : EBADF_;
}
/* No preopened directories: EBADF ends libc's scan of fds 3, 4, ... */
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 out) {
    (void)w, (void)fd, (void)out;
    return EBADF_;
}
u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 p,
                                                  u32 n) {
    (void)w, (void)fd, (void)p, (void)n;
    return EBADF_;
}

/* ---- Environment and arguments */

u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 count,
                                                u32 size) {
    wg_sandbox *sb = SB(w);
    if (at(sb, count, 4) == NULL || at(sb, size, 4) == NULL)
        return EFAULT_;
    put32(sb, count, sb->env_count);
    put32(sb, size, sb->env_bytes);
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 ptrs, u32 buf) {
    wg_sandbox *sb = SB(w);
    if (at(sb, ptrs, (uint64_t)sb->env_count * 4) == NULL || at(sb, buf, sb->env_bytes) == NULL)
        return EFAULT_;
    if (sb->env_bytes != 0)
        memcpy(sb->mem->data + buf, sb->env, sb->env_bytes);
    uint32_t off = 0;
    for (uint32_t i = 0; i < sb->env_count; i++) {
        put32(sb, ptrs + 4 * i, buf + off);
        off += (uint32_t)strlen(sb->env + off) + 1;
    }
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 count, u32 size) {
    wg_sandbox *sb = SB(w);
    if (at(sb, count, 4) == NULL || at(sb, size, 4) == NULL)
        return EFAULT_;
    put32(sb, count, 0);
    put32(sb, size, 0);
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 ptrs, u32 buf) {
    (void)w, (void)ptrs, (void)buf;
    return SUCCESS; /* argv is empty */
}

/* ---- Clocks and randomness */

static bool clock_of(u32 id, clockid_t *out) {
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 id, u64 precision,
                                             u32 out) {
    (void)precision;
    clockid_t c;
    struct timespec ts;
    if (!clock_of(id, &c) || clock_gettime(c, &ts) != 0)
        return EINVAL_;
    return put64(SB(w), out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ? SUCCESS : EFAULT_;
}

u32 Z_wasi_snapshot_preview1Z_clock_res_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 id, u32 out) {
    clockid_t c;
    struct timespec ts;
    if (!clock_of(id, &c) || clock_getres(c, &ts) != 0)
        return EINVAL_;
    return put64(SB(w), out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ? SUCCESS : EFAULT_;
}

u32 Z_wasi_snapshot_preview1Z_random_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 buf, u32 len) {
    unsigned char *d = at(SB(w), buf, len);
    if (d == NULL)
        return EFAULT_;
    for (size_t done = 0; done < len;) {
        ssize_t n = getrandom(d + done, len - done, 0);
        if (n < 0)
            return EIO_;
        done += (size_t)n;
    }
    return SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(struct Z_wasi_snapshot_preview1_instance_t *w) {
    (void)w;
    return SUCCESS;
}

/* ---- Exit */

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *w, u32 code) {
    wg_sandbox *sb = SB(w);
    sb->dead = true;
    sb->exit_code = (int)code;
    wg_host_import_enter(sb);
    wg_sandbox_flush_output(sb);
    wg_host_import_leave(sb); /* ends the call: the instance is dead */
    wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

/* ---- Everything else: ENOSYS */

u32 Z_wasi_snapshot_preview1Z_proc_raise(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a) {
    (void)w, (void)a;
    return ENOSYS_;
}

u32 Z_wasi_snapshot_preview1Z_fd_advise(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u64 b, u64 c, u32 d) {
    (void)w, (void)a, (void)b, (void)c, (void)d;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_allocate(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u64 b, u64 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b) {
    (void)w, (void)a, (void)b;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u64 b,
                                                   u64 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b) {
    (void)w, (void)a, (void)b;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u64 b) {
    (void)w, (void)a, (void)b;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u64 b,
                                                    u64 c, u32 d) {
    (void)w, (void)a, (void)b, (void)c, (void)d;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_pread(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u64 d,
                                       u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_pwrite(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u64 d,
                                        u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_readdir(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u64 d,
                                         u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_fd_renumber(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b) {
    (void)w, (void)a, (void)b;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_create_directory(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b,
                                                    u32 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_filestat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c,
                                                u32 d, u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b,
                                                      u32 c, u32 d, u64 e, u64 f, u32 g) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_link(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u32 d,
                                        u32 e, u32 f, u32 g) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_open(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u32 d,
                                        u32 e, u64 f, u64 g, u32 h, u32 i) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_readlink(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c,
                                            u32 d, u32 e, u32 f) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_remove_directory(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b,
                                                    u32 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_rename(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u32 d,
                                          u32 e, u32 f) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_symlink(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c,
                                           u32 d, u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_path_unlink_file(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_poll_oneoff(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c,
                                          u32 d) {
    (void)w, (void)a, (void)b, (void)c, (void)d;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_sock_accept(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c) {
    (void)w, (void)a, (void)b, (void)c;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_sock_recv(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u32 d,
                                        u32 e, u32 f) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_sock_send(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b, u32 c, u32 d,
                                        u32 e) {
    (void)w, (void)a, (void)b, (void)c, (void)d, (void)e;
    return ENOSYS_;
}
u32 Z_wasi_snapshot_preview1Z_sock_shutdown(struct Z_wasi_snapshot_preview1_instance_t *w, u32 a, u32 b) {
    (void)w, (void)a, (void)b;
    return ENOSYS_;
}

/* ---- Setup */

int wg__wasi_init(wg_sandbox *sb, const wg_host_options *o) {
    sb->out = o ? o->out : NULL;
    sb->err = o ? o->err : NULL;
    sb->user = o ? o->user : NULL;
    size_t bytes = 0, count = 0;
    for (const char *const *e = o ? o->env : NULL; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL || eq == *e) {
            wg__messagef(sb, "new", "options.env: \"%s\" is not NAME=value", *e);
            return WG_HOST_BAD_ARGUMENT;
        }
        bytes += strlen(*e) + 1;
        count++;
    }
    if (bytes > UINT32_MAX / 2 || count > UINT32_MAX / 8) {
        wg__messagef(sb, "new", "options.env is too large");
        return WG_HOST_BAD_ARGUMENT;
    }
    if (count != 0) {
        if ((sb->env = malloc(bytes)) == NULL) {
            wg__messagef(sb, "new", "out of memory copying the environment");
            return WG_HOST_NO_MEMORY;
        }
        size_t off = 0;
        for (const char *const *e = o->env; *e; e++) {
            size_t n = strlen(*e) + 1;
            memcpy(sb->env + off, *e, n);
            off += n;
        }
    }
    sb->env_count = (uint32_t)count;
    sb->env_bytes = (uint32_t)bytes;
    return WG_HOST_OK;
}

void wg__wasi_free(wg_sandbox *sb) {
    free(sb->env);
    sb->env = NULL;
    for (int i = 0; i < 2; i++) {
        free(sb->streams[i].buf);
        sb->streams[i] = (wg_host_stream){NULL, 0, 0, false};
    }
}
