/*
 * test_host_rt.c - the native host runtime (runtime/host/) on a real module:
 * tests/host/rt.c built by clang for wasm32-wasi, translated by wasm2c, and
 * called here through the runtime by hand (rt_harness.h), without generated
 * code. Each test runs in a forked child (Check's default), so a crash is
 * one failed test; the crash tests expect their signal.
 */
#define _GNU_SOURCE
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_harness.h"

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

static rt_host *fresh(const wg_host_options *o) {
    rt_host *h = NULL;
    int st = rt_new(&h, o);
    ck_assert_msg(st == WG_HOST_OK, "rt_new: %d %s", st, wg_host_last_error());
    return h;
}

static u32 add(rt_host *h, u32 a, u32 b) {
    u32 r = 0;
    ck_assert_int_eq(RT_CALL(h, add, a, b, &r), WG_HOST_OK);
    return r;
}

/* ---- Calls and traps */

START_TEST(test_scalar_call) {
    rt_host *h = fresh(NULL);
    ck_assert_uint_eq(add(h, 2, 3), 5);
    ck_assert_uint_eq(add(h, 0xffffffffu, 1), 0);
    u32 r;
    ck_assert_int_eq(RT_CALL(h, divide, (u32)-7, 2, &r), WG_HOST_OK);
    ck_assert_int_eq((int32_t)r, -3);
    rt_free_host(h);
}
END_TEST

/* Every kind of trap: its status and message, and the instance goes on
 * (its static state kept: the counter counts on). */
START_TEST(test_traps_leave_instance_usable) {
    rt_host *h = fresh(NULL);
    u32 r;
    ck_assert_int_eq(RT_CALL(h, counter, 0, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 1);
    static const struct {
        const char *what;
        u32 (*fn)(Z_rt_instance_t *, u32, u32);
        u32 a, b;
        const char *message;
    } traps[] = {
        {"divide", rt_x_divide, 1, 0, "divide: the module trapped: integer divide by zero"},
        {"divide", rt_x_divide, 0x80000000u, (u32)-1, "divide: the module trapped: integer overflow"},
        {"crash", rt_x_crash, 0, 0, "crash: the module trapped: unreachable executed"},
        {"load", rt_x_load, 0xfffffffcu, 0, "load: the module trapped: out of bounds memory access"},
        {"store", rt_x_store, 0x7fffff00u, 1, "store: the module trapped: out of bounds memory access"},
        {"recurse", rt_x_recurse, 1, 0, "recurse: the module trapped: call stack exhausted"},
        {"trap_in_frame", rt_x_trap_in_frame, 1, 0, "trap_in_frame: the module trapped: unreachable executed"},
    };
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
            ck_assert_int_eq(rt_call(h, traps[i].what, traps[i].fn, traps[i].a, traps[i].b, &r), WG_HOST_TRAP);
            ck_assert_str_eq(h->sb.error, traps[i].message);
            /* The module's stack pointer is back where it is between calls. */
            ck_assert_uint_eq(Z_rtZ_wg_stack_get(&h->inst), h->sb.sp0);
            ck_assert_uint_eq(add(h, 40, 2), 42);
        }
    }
    ck_assert_int_eq(RT_CALL(h, counter, 0, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 2);
    rt_free_host(h);
}
END_TEST

/* A trap through the signal handler leaves SIGSEGV unblocked, so the next
 * fault is caught again. */
START_TEST(test_signal_mask_after_trap) {
    rt_host *h = fresh(NULL);
    for (int i = 0; i < 5; i++) {
        u32 r;
        ck_assert_int_eq(RT_CALL(h, load, 0xfffffff0u, 0, &r), WG_HOST_TRAP);
        sigset_t set;
        sigprocmask(SIG_BLOCK, NULL, &set);
        ck_assert(!sigismember(&set, SIGSEGV));
        ck_assert(!sigismember(&set, SIGBUS));
    }
    rt_free_host(h);
}
END_TEST

/* Loads and stores at the edge of memory: the last word works, the next
 * traps; growing opens more. */
START_TEST(test_memory_edges_and_growth) {
    rt_host *h = fresh(NULL);
    u32 pages, r;
    ck_assert_int_eq(RT_CALL(h, pages, 0, 0, &pages), WG_HOST_OK);
    u32 end = pages * 65536u;
    ck_assert_int_eq(RT_CALL(h, store, end - 4, 1234, &r), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, load, end - 4, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 1234);
    ck_assert_int_eq(RT_CALL(h, load, end - 2, 0, &r), WG_HOST_TRAP);
    ck_assert_int_eq(RT_CALL(h, load, end, 0, &r), WG_HOST_TRAP);
    ck_assert_int_eq(RT_CALL(h, grow, 2, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, pages);
    ck_assert_int_eq(RT_CALL(h, load, end, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 0); /* new pages read as zero */
    ck_assert_int_eq(RT_CALL(h, load, end + 2 * 65536 - 4, 0, &r), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, load, end + 2 * 65536, 0, &r), WG_HOST_TRAP);
    ck_assert_uint_eq(h->sb.mem->size, end + 2 * 65536u);
    rt_free_host(h);
}
END_TEST

/* wasm_rt_memory_t.size is 32-bit: memory stops at 65535 pages, where the
 * size is 0xffff0000 and has not wrapped to 0. */
START_TEST(test_memory_stops_before_4gib) {
    rt_host *h = fresh(NULL);
    u32 pages, r;
    ck_assert_int_eq(RT_CALL(h, pages, 0, 0, &pages), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, grow, 65535 - pages, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, pages);
    ck_assert_uint_eq(h->sb.mem->pages, 65535);
    ck_assert_uint_eq(h->sb.mem->size, 0xffff0000u);
    ck_assert_int_eq(RT_CALL(h, grow, 1, 0, &r), WG_HOST_OK);
    ck_assert_int_eq((int32_t)r, -1);
    ck_assert_int_eq(RT_CALL(h, store, 0xffff0000u - 4, 7, &r), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, load, 0xffff0000u - 4, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 7);
    ck_assert_int_eq(RT_CALL(h, load, 0xffff0000u, 0, &r), WG_HOST_TRAP);
    ck_assert_uint_eq(add(h, 1, 1), 2);
    rt_free_host(h);
}
END_TEST

/* options.memory_limit: growth stops there; a limit below the module's
 * initial memory fails new() with NO_MEMORY and a message. */
START_TEST(test_memory_limit) {
    wg_host_options o = {0};
    o.memory_limit = (uint64_t)64 << 20;
    rt_host *h = fresh(&o);
    u32 pages, r;
    ck_assert_int_eq(RT_CALL(h, pages, 0, 0, &pages), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, grow, 1024 - pages, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, pages);
    ck_assert_int_eq(RT_CALL(h, grow, 1, 0, &r), WG_HOST_OK);
    ck_assert_int_eq((int32_t)r, -1);
    rt_free_host(h);

    o.memory_limit = 65536; /* one page: less than the module starts with */
    rt_host *none = (rt_host *)1;
    ck_assert_int_eq(rt_new(&none, &o), WG_HOST_NO_MEMORY);
    ck_assert_ptr_null(none);
    ck_assert_has(wg_host_last_error(), "memory starts larger than its limit allows");
}
END_TEST

/* ---- exit() */

typedef struct {
    char lines[32][256];
    int n;
    int fd[32];
} Lines;

static void take_out(void *user, const char *line, size_t len) {
    Lines *l = user;
    ck_assert_uint_eq(strlen(line), len); /* the host's own NUL */
    if (l->n < 32) {
        l->fd[l->n] = 1;
        snprintf(l->lines[l->n++], 256, "%s", line);
    }
}

static void take_err(void *user, const char *line, size_t len) {
    Lines *l = user;
    (void)len;
    if (l->n < 32) {
        l->fd[l->n] = 2;
        snprintf(l->lines[l->n++], 256, "%s", line);
    }
}

START_TEST(test_exit_kills_instance) {
    Lines l = {0};
    wg_host_options o = {0};
    o.out = take_out;
    o.user = &l;
    rt_host *h = fresh(&o);
    ck_assert_int_eq(rt_say(h, "partial"), WG_HOST_OK);
    ck_assert_int_eq(l.n, 0); /* still in C's stdio buffer */
    u32 r;
    ck_assert_int_eq(RT_CALL(h, quit, 7, 0, &r), WG_HOST_EXITED);
    ck_assert_str_eq(h->sb.error, "quit: the module called exit(7)");
    ck_assert_int_eq(h->sb.exit_code, 7);
    ck_assert_int_eq(l.n, 1); /* exit flushed stdio, then the partial line */
    ck_assert_str_eq(l.lines[0], "partial");
    ck_assert_int_eq(RT_CALL(h, add, 1, 2, &r), WG_HOST_EXITED);
    ck_assert_str_eq(h->sb.error, "add: the module called exit(7) earlier; make a new instance");
    rt_free_host(h);
}
END_TEST

/* ---- WASI: output, environment, clocks, randomness */

START_TEST(test_output_lines) {
    Lines l = {0};
    wg_host_options o = {0};
    o.out = take_out;
    o.err = take_err;
    o.user = &l;
    rt_host *h = fresh(&o);
    u32 r;
    ck_assert_int_eq(rt_say(h, "one\ntwo\r\nthr"), WG_HOST_OK); /* line-buffered: up to "two" */
    ck_assert_int_eq(l.n, 2);
    ck_assert_str_eq(l.lines[0], "one");
    ck_assert_str_eq(l.lines[1], "two"); /* without its \r\n */
    ck_assert_int_eq(RT_CALL(h, flush_out, 0, 0, &r), WG_HOST_OK);
    ck_assert_int_eq(l.n, 2); /* "thr" reached the host: a partial line */
    wg_sandbox_flush_output(&h->sb);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.lines[2], "thr");
    ck_assert_int_eq(rt_say(h, "ee\nfour\n"), WG_HOST_OK);
    ck_assert_int_eq(l.n, 5);
    ck_assert_str_eq(l.lines[3], "ee");
    ck_assert_str_eq(l.lines[4], "four");
    ck_assert_int_eq(rt_shout(h, "bad\n"), WG_HOST_OK); /* stderr: unbuffered */
    ck_assert_int_eq(l.n, 6);
    ck_assert_int_eq(l.fd[5], 2);
    ck_assert_str_eq(l.lines[5], "bad");
    ck_assert_int_eq(rt_shout(h, "\n"), WG_HOST_OK); /* an empty line is a line */
    ck_assert_str_eq(l.lines[6], "");
    rt_free_host(h);
}
END_TEST

/* After a flush sent a partial line, the newline that ends it adds no
 * empty line; a line with no newline at the end of the instance is sent. */
START_TEST(test_output_flush_and_free) {
    Lines l = {0};
    wg_host_options o = {0};
    o.err = take_err;
    o.user = &l;
    rt_host *h = fresh(&o);
    ck_assert_int_eq(rt_shout(h, "abc"), WG_HOST_OK);
    wg_sandbox_flush_output(&h->sb);
    ck_assert_int_eq(rt_shout(h, "\nnext"), WG_HOST_OK);
    ck_assert_int_eq(l.n, 1);
    ck_assert_str_eq(l.lines[0], "abc");
    rt_free_host(h);
    ck_assert_int_eq(l.n, 2);
    ck_assert_str_eq(l.lines[1], "next");
}
END_TEST

static size_t long_total;
static int long_lines;
static void take_long(void *user, const char *line, size_t len) {
    (void)user;
    for (size_t i = 0; i < len; i++)
        ck_assert_int_eq(line[i], 'x');
    long_total += len;
    long_lines++;
}

/* A line longer than 64 KiB is passed on in pieces: host memory stays bounded. */
START_TEST(test_output_long_line) {
    wg_host_options o = {0};
    o.err = take_long;
    rt_host *h = fresh(&o);
    size_t n = 200000;
    char *s = malloc(n + 2);
    memset(s, 'x', n);
    s[n] = '\n';
    s[n + 1] = '\0';
    ck_assert_int_eq(rt_shout(h, s), WG_HOST_OK);
    ck_assert_uint_eq(long_total, n);
    ck_assert_int_eq(long_lines, 4); /* 3 x 65536 + 3392 */
    free(s);
    rt_free_host(h);
}
END_TEST

/* A line callback may call back into the module, which may write more
 * output: the line the callback was given stays what it was, in a buffer
 * nothing else writes into or frees while it runs (the nested write went
 * into the stream's buffer, over the line, or moved the buffer and freed
 * the line under the callback: a use after free ASan reports). */
static rt_host *nest_h;
static const char *nest_text;
static int nest_depth;
static Lines nest_lines;

static void take_out_nesting(void *user, const char *line, size_t len) {
    (void)user;
    if (nest_depth == 0 && nest_text != NULL) {
        char before[64];
        snprintf(before, sizeof before, "%s", line);
        nest_depth++;
        ck_assert_int_eq(rt_say(nest_h, nest_text), WG_HOST_OK);
        ck_assert_int_eq(RT_CALL(nest_h, flush_out, 0, 0, NULL), WG_HOST_OK);
        nest_depth--;
        ck_assert_uint_eq(strlen(line), len);
        ck_assert_str_eq(line, before);
    }
    take_out(&nest_lines, line, len);
}

START_TEST(test_output_callback_reenters) {
    wg_host_options o = {0};
    o.out = take_out_nesting;
    rt_host *h = nest_h = fresh(&o);
    memset(&nest_lines, 0, sizeof nest_lines);
    nest_text = "inner\n"; /* written where the line was */
    ck_assert_int_eq(rt_say(h, "outer\n"), WG_HOST_OK);
    ck_assert_int_eq(nest_lines.n, 2);
    ck_assert_str_eq(nest_lines.lines[0], "inner");
    ck_assert_str_eq(nest_lines.lines[1], "outer");
    static char big[5000]; /* grows the buffer: realloc moved it */
    memset(big, 'b', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    nest_text = big;
    ck_assert_int_eq(rt_say(h, "second\n"), WG_HOST_OK);
    ck_assert_int_eq(nest_lines.n, 4);
    ck_assert_uint_eq(strlen(nest_lines.lines[2]), 255); /* (Lines keeps 255 bytes of it) */
    ck_assert_str_eq(nest_lines.lines[3], "second");
    nest_text = NULL;
    rt_free_host(h);
}
END_TEST

/* A table grows to at most WG_HOST_MAX_TABLE elements (10,000,000, V8's
 * limit, as in JS), whatever maximum the module declares: table.grow took
 * every element up to 2^32 - 1 (24 bytes each), written at once, so that a
 * module could make the host touch tens of GiB, which memory_limit does
 * not count. Called as wasm2c's translation calls it for table.grow. */
START_TEST(test_table_growth_bounded) {
    wasm_rt_funcref_table_t t;
    wasm_rt_allocate_funcref_table(&t, 1, UINT32_MAX);
    ck_assert_uint_eq(wasm_rt_grow_funcref_table(&t, 10000000u, wasm_rt_funcref_null_value), UINT32_MAX);
    ck_assert_uint_eq(t.size, 1);
    ck_assert_uint_eq(wasm_rt_grow_funcref_table(&t, 999, wasm_rt_funcref_null_value), 1);
    ck_assert_uint_eq(t.size, 1000);
    wasm_rt_free_funcref_table(&t);
    wasm_rt_externref_table_t e;
    wasm_rt_allocate_externref_table(&e, 0, UINT32_MAX);
    ck_assert_uint_eq(wasm_rt_grow_externref_table(&e, 10000001u, wasm_rt_externref_null_value), UINT32_MAX);
    ck_assert_uint_eq(wasm_rt_grow_externref_table(&e, 10000000u, wasm_rt_externref_null_value), 0);
    ck_assert_uint_eq(e.size, 10000000u);
    wasm_rt_free_externref_table(&e);
}
END_TEST

START_TEST(test_environment) {
    const char *env[] = {"GREETING=hello there", "EMPTY=", "EQ=a=b", NULL};
    wg_host_options o = {0};
    o.env = env;
    rt_host *h = fresh(&o);
    char *v;
    ck_assert_int_eq(rt_env(h, "GREETING", &v), WG_HOST_OK);
    ck_assert_str_eq(v, "hello there");
    free(v);
    ck_assert_int_eq(rt_env(h, "EMPTY", &v), WG_HOST_OK);
    ck_assert_str_eq(v, "");
    free(v);
    ck_assert_int_eq(rt_env(h, "EQ", &v), WG_HOST_OK);
    ck_assert_str_eq(v, "a=b");
    free(v);
    ck_assert_int_eq(rt_env(h, "HOME", &v), WG_HOST_OK);
    ck_assert_ptr_null(v); /* the host's own environment is not there */
    rt_free_host(h);

    const char *bad[] = {"NOEQUALS", NULL};
    o.env = bad;
    ck_assert_int_eq(rt_new(&h, &o), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(wg_host_last_error(), "\"NOEQUALS\" is not NAME=value");
}
END_TEST

typedef struct {
    u32 id;
    u64 r;
} ClockCall;

static void clock_body(wg_sandbox *sb, void *ctx) {
    ClockCall *c = ctx;
    rt_host *h = (rt_host *)((char *)sb - offsetof(rt_host, sb));
    c->r = Z_rtZ_wg_f_clock(&h->inst, c->id);
}

static int64_t module_clock(rt_host *h, u32 id) {
    ClockCall c = {id, 0};
    ck_assert_int_eq(wg_host_call(&h->sb, "clock", clock_body, &c), WG_HOST_OK);
    return (int64_t)c.r;
}

START_TEST(test_clocks_and_random) {
    rt_host *h = fresh(NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t host = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    int64_t real = module_clock(h, 0);
    ck_assert(real >= host && real - host < (int64_t)10000000000);
    int64_t m1 = module_clock(h, 1), m2 = module_clock(h, 1);
    ck_assert(m1 > 0 && m2 >= m1);
    ck_assert(module_clock(h, 2) > 0);
    ck_assert(module_clock(h, 3) > 0);
    u32 a, b, c;
    ck_assert_int_eq(RT_CALL(h, random_u32, 0, 0, &a), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, random_u32, 0, 0, &b), WG_HOST_OK);
    ck_assert_int_eq(RT_CALL(h, random_u32, 0, 0, &c), WG_HOST_OK);
    ck_assert(a != b || b != c);
    rt_free_host(h);
}
END_TEST

/* Every WASI function answers: the few the shim implements as the JS
 * runtime does, the rest ENOSYS (52). EBADF 8, ESPIPE 70. */
START_TEST(test_every_wasi_function) {
    static const u32 expect[] = {
        0, 0, 0, 0, 0, 0, 52, 52, 8, 0,       /* args, environ, clocks, advise, allocate, close, datasync */
        0, 52, 52, 52, 52, 52, 52, 8, 8, 52,  /* fdstat, set_*, filestat*, pread, prestat*, pwrite */
        0, 52, 52, 70, 0, 70, 8,              /* read, readdir, renumber, seek, sync, tell, write(5) */
        52, 52, 52, 52, 52, 52, 52, 52, 52, 52, /* path_* */
        52, 0, 0, 52, 52, 52, 52, 0,          /* poll, yield, random, sock_*, write(1) */
    };
    rt_host *h = fresh(NULL);
    for (u32 i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        u32 r;
        ck_assert_int_eq(RT_CALL(h, wasi_probe, i, 0, &r), WG_HOST_OK);
        ck_assert_msg(r == expect[i], "WASI function %u returned %u, expected %u", i, r, expect[i]);
    }
    rt_free_host(h);
}
END_TEST

/* ---- Re-entrant calls: an import that calls back into the module */

static int nested_traps;

static uint32_t reenter_add(rt_host *h, uint32_t n) {
    u32 r = 0;
    ck_assert_int_eq(RT_CALL(h, add, n, 100, &r), WG_HOST_OK);
    return r;
}

static uint32_t reenter_trap(rt_host *h, uint32_t n) {
    u32 r;
    /* A trap in the nested call comes back here; the outer call goes on. */
    ck_assert_int_eq(RT_CALL(h, crash, 0, 0, &r), WG_HOST_TRAP);
    ck_assert_str_eq(h->sb.error, "crash: the module trapped: unreachable executed");
    ck_assert_int_eq(RT_CALL(h, recurse, 1, 0, &r), WG_HOST_TRAP);
    nested_traps++;
    return n * 2;
}

static uint32_t reenter_deep(rt_host *h, uint32_t n) {
    u32 r = 0;
    if (n == 0)
        return 0;
    ck_assert_int_eq(RT_CALL(h, callback, n - 1, 0, &r), WG_HOST_OK);
    return r;
}

static uint32_t reenter_exit(rt_host *h, uint32_t n) {
    u32 r;
    ck_assert_int_eq(RT_CALL(h, quit, n, 0, &r), WG_HOST_EXITED);
    return 0;
}

START_TEST(test_reentrant_calls) {
    rt_host *h = fresh(NULL);
    u32 r;
    h->reenter = reenter_add;
    ck_assert_int_eq(RT_CALL(h, callback, 5, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 106);
    h->reenter = reenter_trap;
    ck_assert_int_eq(RT_CALL(h, callback, 21, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 43);
    ck_assert_int_eq(nested_traps, 1);
    h->reenter = reenter_deep; /* module -> host -> module ... 50 deep, +1 each */
    ck_assert_int_eq(RT_CALL(h, callback, 50, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 51);
    ck_assert_uint_eq(h->sb.depth, 0);
    ck_assert_uint_eq(Z_rtZ_wg_stack_get(&h->inst), h->sb.sp0);
    /* exit() in a nested call ends the outer call too. */
    h->reenter = reenter_exit;
    ck_assert_int_eq(RT_CALL(h, callback, 3, 0, &r), WG_HOST_EXITED);
    ck_assert_str_eq(h->sb.error, "callback: the module called exit(3)");
    ck_assert_int_eq(RT_CALL(h, add, 1, 1, &r), WG_HOST_EXITED);
    rt_free_host(h);
}
END_TEST

/* ---- Life cycle */

static size_t mappings(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* Each instance reserves 8 GiB of address space; freeing gives all of it
 * back, so cycles never run out (the reference runtime aborts near 16,000). */
START_TEST(test_create_free_cycles) {
    rt_host *h = fresh(NULL);
    rt_free_host(h);
    size_t before = mappings();
    for (int i = 0; i < 20000; i++) {
        h = fresh(NULL);
        if (i % 1000 == 0)
            ck_assert_uint_eq(add(h, (u32)i, 1), (u32)i + 1);
        rt_free_host(h);
    }
    ck_assert_uint_le(mappings(), before + 2);
}
END_TEST

/* Two threads, an instance each, calls and traps interleaved. */
static void *worker(void *arg) {
    u32 seed = (u32)(uintptr_t)arg;
    rt_host *h = NULL;
    if (rt_new(&h, NULL) != WG_HOST_OK)
        return (void *)1;
    uintptr_t bad = 0;
    for (u32 i = 0; i < 20000; i++) {
        u32 r = 0;
        if (i % 100 == 7) {
            if (RT_CALL(h, load, 0xfffffff0u, 0, &r) != WG_HOST_TRAP)
                bad++;
        } else if (i % 1000 == 9) {
            if (RT_CALL(h, recurse, 1, 0, &r) != WG_HOST_TRAP || !strstr(h->sb.error, "stack exhausted"))
                bad++;
        } else if (RT_CALL(h, add, i, seed, &r) != WG_HOST_OK || r != i + seed) {
            bad++;
        }
    }
    u32 calls = 0;
    if (RT_CALL(h, counter, 0, 0, &calls) != WG_HOST_OK || calls != 1)
        bad++;
    rt_free_host(h);
    return (void *)bad;
}

START_TEST(test_two_threads) {
    pthread_t t[2];
    for (uintptr_t i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, (void *)(i * 1000000)), 0);
    for (int i = 0; i < 2; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        ck_assert_ptr_null(bad);
    }
}
END_TEST

/* ---- Faults that are not the module's stay the host's */

/* Under ASan, its handler is the one there before ours: a host fault
 * reaches it, and it reports and exits with 1 instead of dying by SIGSEGV.
 * The report is expected: keep it out of the log. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
static void expect_crash(void) {
#ifdef UNDER_ASAN
    FILE *devnull = freopen("/dev/null", "w", stderr);
    (void)devnull;
#endif
}

/* After calls (and a trap), a NULL write in the host kills it with SIGSEGV. */
START_TEST(test_host_null_write_crashes) {
    rt_host *h = fresh(NULL);
    u32 r;
    ck_assert_int_eq(RT_CALL(h, load, 0xfffffff0u, 0, &r), WG_HOST_TRAP);
    ck_assert_uint_eq(add(h, 1, 2), 3);
    expect_crash();
    *(volatile int *)(uintptr_t)0 = 1;
}
END_TEST

/* A host write into the module's reservation outside any call is the
 * host's bug too. */
START_TEST(test_host_write_into_guard_crashes) {
    rt_host *h = fresh(NULL);
    ck_assert_uint_eq(add(h, 1, 2), 3);
    expect_crash();
    h->sb.mem->data[(size_t)h->sb.mem->size + 100] = 1;
}
END_TEST

/* A NULL write in a host import, inside a call: host code, so a crash. */
static uint32_t reenter_null(rt_host *h, uint32_t n) {
    (void)h;
    *(volatile uint32_t *)(uintptr_t)0 = n;
    return n;
}

START_TEST(test_import_null_write_crashes) {
    rt_host *h = fresh(NULL);
    h->reenter = reenter_null;
    u32 r;
    expect_crash();
    RT_CALL(h, callback, 1, 0, &r);
}
END_TEST

/* Even a write into the module's own guard pages, by a host import during a
 * call, is the host's bug: not taken for a trap of the module. */
static uint32_t reenter_guard(rt_host *h, uint32_t n) {
    h->sb.mem->data[(size_t)h->sb.mem->size + 100] = 1;
    return n;
}

START_TEST(test_import_guard_write_crashes) {
    rt_host *h = fresh(NULL);
    h->reenter = reenter_guard;
    u32 r;
    expect_crash();
    RT_CALL(h, callback, 1, 0, &r);
}
END_TEST

/* A handler the host had before is still called for its faults. */
static void host_handler(int sig) {
    (void)sig;
    _exit(42);
}

START_TEST(test_previous_handler_chained) {
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGSEGV, host_handler);
        rt_host *h = NULL;
        if (rt_new(&h, NULL) != WG_HOST_OK)
            _exit(1);
        u32 r;
        if (RT_CALL(h, load, 0xfffffff0u, 0, &r) != WG_HOST_TRAP) /* still the module's */
            _exit(2);
        *(volatile int *)(uintptr_t)0 = 1;
        _exit(3);
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 42);
}
END_TEST

/* Stack exhaustion in a thread with a small stack. */
static void *small_stack_worker(void *arg) {
    (void)arg;
    rt_host *h = NULL;
    if (rt_new(&h, NULL) != WG_HOST_OK)
        return (void *)1;
    u32 r;
    int st = RT_CALL(h, recurse, 1, 0, &r);
    uintptr_t bad = st != WG_HOST_TRAP || !strstr(h->sb.error, "call stack exhausted");
    bad += add(h, 2, 2) != 4;
    rt_free_host(h);
    return (void *)bad;
}

START_TEST(test_small_thread_stack) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 << 10);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, &a, small_stack_worker, NULL), 0);
    void *bad;
    pthread_join(t, &bad);
    ck_assert_ptr_null(bad);
    pthread_attr_destroy(&a);
}
END_TEST

#ifdef UNDER_ASAN
#define add_crash_test(tc, t) tcase_add_exit_test(tc, t, 1)
#else
#define add_crash_test(tc, t) tcase_add_test_raise_signal(tc, t, SIGSEGV)
#endif

static Suite *suite(void) {
    Suite *s = suite_create("host runtime");
    TCase *tc = tcase_create("calls");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_scalar_call);
    tcase_add_test(tc, test_traps_leave_instance_usable);
    tcase_add_test(tc, test_signal_mask_after_trap);
    tcase_add_test(tc, test_memory_edges_and_growth);
    tcase_add_test(tc, test_memory_stops_before_4gib);
    tcase_add_test(tc, test_memory_limit);
    tcase_add_test(tc, test_exit_kills_instance);
    tcase_add_test(tc, test_output_lines);
    tcase_add_test(tc, test_output_flush_and_free);
    tcase_add_test(tc, test_output_long_line);
    tcase_add_test(tc, test_output_callback_reenters);
    tcase_add_test(tc, test_table_growth_bounded);
    tcase_add_test(tc, test_environment);
    tcase_add_test(tc, test_clocks_and_random);
    tcase_add_test(tc, test_every_wasi_function);
    tcase_add_test(tc, test_reentrant_calls);
    tcase_add_test(tc, test_create_free_cycles);
    tcase_add_test(tc, test_two_threads);
    tcase_add_test(tc, test_small_thread_stack);
    tcase_add_test(tc, test_previous_handler_chained);
    add_crash_test(tc, test_host_null_write_crashes);
    add_crash_test(tc, test_host_write_into_guard_crashes);
    add_crash_test(tc, test_import_null_write_crashes);
    add_crash_test(tc, test_import_guard_write_crashes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
