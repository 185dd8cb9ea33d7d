/*
 * wg_host_rt.c - wasmgen's implementation of wabt's wasm-rt.h (the runtime
 * wasm2c's output calls), and the call trampoline.
 *
 * Written for hosts that embed modules, unlike the reference runtime:
 *   - memory is a reservation of 8 GiB + 64 KiB of address space, inaccessible,
 *     opened page by page as the module grows it; any 32-bit address plus
 *     32-bit offset lands inside it, so guard pages replace bounds checks.
 *     Freeing unmaps the whole reservation;
 *   - the SIGSEGV/SIGBUS handler claims a fault only when this thread is
 *     inside a call into a module (not in a host import) and the address is
 *     inside that module's reservation (a trap) or at the end of this
 *     thread's stack (stack exhausted); any other fault goes to the handler
 *     that was there before, or kills the process as it would have;
 *   - state is per thread: the frame of the innermost call, the alternate
 *     signal stack; one instance per thread at a time, any number of threads;
 *   - calls nest: a host import may call back into a module, and a trap
 *     returns to the innermost call;
 *   - the jump point is __builtin_setjmp (a few registers, no signal-mask
 *     syscall); the handler runs with SA_NODEFER and an empty mask, so the
 *     mask after a jump out of it is the one the call started with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wg_host_internal.h"

#if !(WASM_RT_MEMCHECK_SIGNAL_HANDLER && !WASM_RT_USE_STACK_DEPTH_COUNT)
#error "the wasmgen host runtime needs WASM_RT_MEMCHECK_SIGNAL_HANDLER=1 and WASM_RT_USE_STACK_DEPTH_COUNT=0 (wasm-rt.h's defaults on 64-bit)"
#endif
#if UINTPTR_MAX <= 0xffffffffu
#error "the wasmgen host runtime needs a 64-bit address space"
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WG_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WG_ASAN 1
#endif
#ifdef WG_ASAN
void __asan_handle_no_return(void);
#endif

const int WG_HOST_RT_CONFIG = 1;

#define PAGE 65536u
/* A 32-bit address plus a 32-bit offset, plus the widest access (8 bytes). */
#define RESERVE (((size_t)8 << 30) + PAGE)
/* Native stack a call into a module, and a host import, start with at least. */
#define CALL_STACK_MIN ((size_t)64 << 10)
#define IMPORT_STACK_MIN ((size_t)32 << 10)
/* Faults this far below this thread's stack are the stack running out. */
#define STACK_GUARD_ZONE ((size_t)1 << 20)
#define ALT_STACK_SIZE ((size_t)64 << 10)

_Thread_local wg_frame *wg__top;

/* ---- Traps */

void wg__unwind(wg_frame *f, int reason) {
    f->reason = reason;
#ifdef WG_ASAN
    __asan_handle_no_return();
#endif
    __builtin_longjmp(f->jb, 1);
}

void wasm_rt_trap(wasm_rt_trap_t code) {
    wg_frame *f = wg__top;
    if (f == NULL) {
        fprintf(stderr, "wasmgen host: a wasm trap (%s) outside any call into a module\n",
                wasm_rt_strerror(code));
        abort();
    }
    wg__unwind(f, (int)code);
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
    switch (trap) {
    case WASM_RT_TRAP_NONE: return "no trap";
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "invalid indirect call";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
#endif
    }
    return "unknown trap";
}

/* ---- Function types: interned signatures, shared by every module. */

typedef struct FuncType {
    uint32_t params, results;
    unsigned char *types;
} FuncType;

static pthread_mutex_t types_lock = PTHREAD_MUTEX_INITIALIZER;
static FuncType *types;
static uint32_t ntypes, captypes;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
    size_t n = (size_t)params + results;
    unsigned char *sig = malloc(n ? n : 1);
    if (sig == NULL) {
        fputs("wasmgen host: out of memory registering a function type\n", stderr);
        abort();
    }
    va_list ap;
    va_start(ap, results);
    for (size_t i = 0; i < n; i++)
        sig[i] = (unsigned char)va_arg(ap, int); /* wasm_rt_type_t, promoted */
    va_end(ap);

    pthread_mutex_lock(&types_lock);
    for (uint32_t i = 0; i < ntypes; i++) {
        if (types[i].params == params && types[i].results == results && memcmp(types[i].types, sig, n) == 0) {
            pthread_mutex_unlock(&types_lock);
            free(sig);
            return i + 1;
        }
    }
    if (ntypes == captypes) {
        uint32_t cap = captypes ? captypes * 2 : 32;
        FuncType *t = realloc(types, cap * sizeof *t);
        if (t == NULL) {
            fputs("wasmgen host: out of memory registering a function type\n", stderr);
            abort();
        }
        types = t;
        captypes = cap;
    }
    types[ntypes] = (FuncType){params, results, sig};
    uint32_t index = ++ntypes;
    pthread_mutex_unlock(&types_lock);
    return index;
}

/* ---- Exceptions (the exception-handling proposal; wasmgen's wasm2c step
 * does not enable it, but the interface is complete). Per thread. */

#define MAX_EXCEPTION 256u
static _Thread_local struct {
    uint32_t tag, size;
    unsigned char data[MAX_EXCEPTION];
    WASM_RT_UNWIND_TARGET *target;
} exc;
static atomic_uint tags;

uint32_t wasm_rt_register_tag(uint32_t size) {
    if (size > MAX_EXCEPTION)
        wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    return atomic_fetch_add(&tags, 1);
}

void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void *values) {
    if (size > MAX_EXCEPTION)
        wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    exc.tag = tag;
    exc.size = size;
    if (size)
        memcpy(exc.data, values, size);
}

void wasm_rt_throw(void) {
    if (exc.target == NULL)
        wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
    siglongjmp(*exc.target, WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
}

WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void) { return exc.target; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target) { exc.target = target; }
uint32_t wasm_rt_exception_tag(void) { return exc.tag; }
uint32_t wasm_rt_exception_size(void) { return exc.size; }
void *wasm_rt_exception(void) { return exc.data; }

/* ---- Memory */

/* Out of memory while making the instance: a failure of the call in
 * progress (instantiation runs inside one). */
static WASM_RT_NO_RETURN void no_memory(const char *what, uint64_t n) {
    wg_frame *f = wg__top;
    if (f == NULL) {
        fprintf(stderr, "wasmgen host: out of memory (%s, %llu)\n", what, (unsigned long long)n);
        abort();
    }
    wg_host_fail(f->sb, WG_HOST_NO_MEMORY, "%s (%llu)", what, (unsigned long long)n);
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *m, uint32_t initial, uint32_t max) {
    m->data = NULL;
    m->pages = m->size = 0;
    uint32_t limit = WG_HOST_MAX_PAGES;
    wg_frame *f = wg__top;
    if (f != NULL && f->sb->limit_pages < limit)
        limit = f->sb->limit_pages;
    if (max > limit)
        max = limit;
    m->max_pages = max;
    if (initial > max)
        no_memory("the module's memory starts larger than its limit allows, in pages", initial);
    void *p = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        no_memory("cannot reserve address space for the module's memory, bytes", RESERVE);
    if (initial != 0 && mprotect(p, (size_t)initial * PAGE, PROT_READ | PROT_WRITE) != 0) {
        munmap(p, RESERVE);
        no_memory("cannot map the module's initial memory, pages", initial);
    }
    m->data = p;
    m->pages = initial;
    m->size = initial * PAGE; /* at most 65535 pages: fits in 32 bits */
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *m, uint32_t delta) {
    uint32_t old = m->pages;
    if (delta == 0)
        return old;
    uint64_t want = (uint64_t)old + delta;
    if (want > m->max_pages || m->data == NULL)
        return UINT32_MAX;
    /* Pages never opened before read as zero, as memory.grow requires. */
    if (mprotect(m->data + (size_t)old * PAGE, (size_t)delta * PAGE, PROT_READ | PROT_WRITE) != 0)
        return UINT32_MAX;
    m->pages = (uint32_t)want;
    m->size = (uint32_t)(want * PAGE);
    return old;
}

void wasm_rt_free_memory(wasm_rt_memory_t *m) {
    if (m->data != NULL)
        munmap(m->data, RESERVE); /* the whole reservation */
    m->data = NULL;
    m->pages = m->size = 0;
}

/* ---- Tables */

/* Tables stop at WG_HOST_MAX_TABLE elements, whatever maximum the module
 * declares (V8's limit, so as in JS): growing one writes every new element,
 * host memory that memory_limit does not count. */
#define DEFINE_TABLE(kind, elem_t)                                                            \
    void wasm_rt_allocate_##kind##_table(wasm_rt_##kind##_table_t *t, uint32_t n, uint32_t max) { \
        t->data = NULL;                                                                       \
        t->size = 0;                                                                          \
        t->max_size = max < WG_HOST_MAX_TABLE ? max : WG_HOST_MAX_TABLE;                      \
        if (n > t->max_size)                                                                  \
            no_memory("a table starts larger than the host allows, elements", n);             \
        if (n != 0 && (t->data = calloc(n, sizeof(elem_t))) == NULL)                          \
            no_memory("cannot allocate a table, elements", n);                                \
        t->size = n; /* calloc's zeros are the null reference */                              \
    }                                                                                         \
    uint32_t wasm_rt_grow_##kind##_table(wasm_rt_##kind##_table_t *t, uint32_t delta, elem_t init) { \
        uint32_t old = t->size;                                                               \
        if (delta == 0)                                                                       \
            return old;                                                                       \
        uint64_t want = (uint64_t)old + delta;                                                \
        if (want > t->max_size)                                                               \
            return UINT32_MAX;                                                                \
        elem_t *d = realloc(t->data, (size_t)want * sizeof(elem_t));                          \
        if (d == NULL)                                                                        \
            return UINT32_MAX;                                                                \
        for (uint64_t i = old; i < want; i++)                                                 \
            d[i] = init;                                                                      \
        t->data = d;                                                                          \
        t->size = (uint32_t)want;                                                             \
        return old;                                                                           \
    }                                                                                         \
    void wasm_rt_free_##kind##_table(wasm_rt_##kind##_table_t *t) {                           \
        free(t->data);                                                                        \
        t->data = NULL;                                                                       \
        t->size = 0;                                                                          \
    }

DEFINE_TABLE(funcref, wasm_rt_funcref_t)
DEFINE_TABLE(externref, wasm_rt_externref_t)

/* ---- Signals */

static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
static atomic_bool handlers_installed;
static struct sigaction prev_segv, prev_bus;
static pthread_key_t altstack_key;

static _Thread_local bool t_ready;
static _Thread_local uintptr_t t_stack_lo; /* lowest address of this thread's stack, 0 if unknown */
_Thread_local uintptr_t wg__call_limit;   /* the lowest frame a call may start from; 0 before setup */

/* Not ours: what would have happened without us. */
static void chain(int sig, siginfo_t *si, void *uc) {
    const struct sigaction *p = sig == SIGBUS ? &prev_bus : &prev_segv;
    if (p->sa_flags & SA_SIGINFO) {
        if (p->sa_sigaction != NULL) {
            p->sa_sigaction(sig, si, uc);
            return;
        }
    } else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
        p->sa_handler(sig);
        return;
    }
    /* The default action: back to it, and let the faulting instruction run
     * again (a signal someone sent is sent again). */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    if (si->si_code <= 0)
        raise(sig);
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
    int saved = errno;
    wg_frame *f = wg__top;
    if (f != NULL && !f->in_host && si->si_code > 0) {
        uintptr_t a = (uintptr_t)si->si_addr;
        const wasm_rt_memory_t *m = f->sb->mem;
        uintptr_t base = m != NULL ? (uintptr_t)m->data : 0;
        if (base != 0 && a - base < RESERVE)
            wg__unwind(f, WASM_RT_TRAP_OOB);
        uintptr_t lo = t_stack_lo;
        if (lo != 0 && a < lo + 4096 && lo - a <= STACK_GUARD_ZONE)
            wg__unwind(f, WASM_RT_TRAP_EXHAUSTION);
    }
    errno = saved;
    chain(sig, si, uc);
}

static void free_altstack(void *p) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == p && !(cur.ss_flags & SS_ONSTACK)) {
        stack_t off;
        memset(&off, 0, sizeof off);
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, NULL);
    }
    munmap(p, ALT_STACK_SIZE);
}

static void install_handlers(void) {
    if (pthread_key_create(&altstack_key, free_altstack) != 0) {
        fputs("wasmgen host: pthread_key_create failed\n", stderr);
        abort();
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &prev_segv) != 0 || sigaction(SIGBUS, &sa, &prev_bus) != 0) {
        perror("wasmgen host: sigaction");
        abort();
    }
    atomic_store(&handlers_installed, true);
}

void wasm_rt_init(void) {
    pthread_once(&handlers_once, install_handlers);
    if (!atomic_load(&handlers_installed))
        install_handlers(); /* after wasm_rt_free */
}

bool wasm_rt_is_initialized(void) { return atomic_load(&handlers_installed); }

/* Puts back the handlers that were there before. Only when no module runs. */
void wasm_rt_free(void) {
    if (!atomic_exchange(&handlers_installed, false))
        return;
    sigaction(SIGSEGV, &prev_segv, NULL);
    sigaction(SIGBUS, &prev_bus, NULL);
}

void wg__thread_setup(void) {
    if (t_ready)
        return;
    wasm_rt_init();
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0)
            t_stack_lo = (uintptr_t)addr;
        pthread_attr_destroy(&attr);
    }
    /* A stack overflow faults with no stack left: the handler needs its own.
     * Keep one the thread already has. */
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
        void *p = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            stack_t ss;
            memset(&ss, 0, sizeof ss);
            ss.ss_sp = p;
            ss.ss_size = ALT_STACK_SIZE;
            if (sigaltstack(&ss, NULL) == 0)
                pthread_setspecific(altstack_key, p); /* unmapped when the thread exits */
            else
                munmap(p, ALT_STACK_SIZE);
        }
    }
    wg__call_limit = t_stack_lo != 0 ? t_stack_lo + CALL_STACK_MIN : 1;
    t_ready = true;
}

size_t wg__stack_left(void) {
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t lo = t_stack_lo;
    if (lo == 0 || sp < lo)
        return SIZE_MAX;
    return sp - lo;
}

/* ---- Calls */

void wg__message(wg_sandbox *sb, const char *fn, const char *fmt, va_list ap) {
    int n = snprintf(sb->error, sizeof sb->error, "%s: ", fn ? fn : sb->ops->name);
    if (n < 0 || (size_t)n >= sizeof sb->error)
        n = 0;
    vsnprintf(sb->error + n, sizeof sb->error - (size_t)n, fmt, ap);
}

void wg__messagef(wg_sandbox *sb, const char *fn, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    wg__message(sb, fn, fmt, ap);
    va_end(ap);
}

void wg_host_fail(wg_sandbox *sb, int status, const char *fmt, ...) {
    wg_frame *f = wg__top;
    if (f == NULL || f->sb != sb) {
        fprintf(stderr, "wasmgen host: wg_host_fail outside a call into the module\n");
        abort();
    }
    va_list ap;
    va_start(ap, fmt);
    wg__message(sb, f->fn, fmt, ap);
    va_end(ap);
    f->status = status;
    wg__unwind(f, WG_TRAP_HOST);
}

/* Run body inside `f` (its own jump point): 0, or why it was abandoned. */
static __attribute__((noinline)) int run(wg_frame *f, wg_sandbox *sb, wg_host_body body, void *ctx) {
    wg_frame *volatile vf = f;
    if (__builtin_setjmp(f->jb) == 0) {
        wg__top = f;
        body(sb, ctx);
        wg__top = f->prev;
        return 0;
    }
    f = vf;
    wg__top = f->prev;
    return f->reason;
}

/* Free the call's temporaries in the module, newest first; each is taken off
 * the list before it is freed, so a trap loses only that one. The list is
 * read again after each free: the module's free() may call an import that
 * calls back into the module, whose temporaries grow (move) the list. */
static void release_tmp(wg_sandbox *sb, void *ctx) {
    size_t mark = *(const size_t *)ctx;
    while (sb->tmp.len > mark) {
        uint32_t p = ((const uint32_t *)sb->tmp.data)[--sb->tmp.len];
        sb->ops->free(sb->inst, p);
    }
}

/* Free the module buffers behind the first `old` views (those handed out
 * before this call), keeping the views this call made. Each is taken off
 * the list before it is freed (the list read again each time, as above:
 * views handed out by calls nested in free() grow it). */
static void release_views(wg_sandbox *sb, void *ctx) {
    size_t *old = ctx;
    while (*old > 0) {
        uint32_t *v = sb->views.data;
        uint32_t p = v[0];
        memmove(v, v + 1, (sb->views.len - 1) * sizeof *v);
        sb->views.len--;
        (*old)--;
        sb->ops->free(sb->inst, p);
    }
}

/* The module's stack pointer, and putting it back: module code, run inside
 * a call like the rest (it may trap, or call an import). */
static void read_sp(wg_sandbox *sb, void *ctx) { *(uint32_t *)ctx = sb->ops->stack_get(sb->inst); }
static void restore_sp(wg_sandbox *sb, void *ctx) { sb->ops->stack_set(sb->inst, *(const uint32_t *)ctx); }

static int finish(wg_frame *f, int reason);

/* Refused before it starts: the message, as if from inside the call. */
static int refuse(wg_sandbox *sb, wg_frame *f, const char *fn, int status, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int refuse(wg_sandbox *sb, wg_frame *f, const char *fn, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    wg__message(sb, fn, fmt, ap);
    va_end(ap);
    f->status = status;
    return status;
}

int wg_host_begin_slow(wg_sandbox *sb, wg_frame *f, const char *fn) {
    if (__builtin_expect(!t_ready, 0))
        wg__thread_setup();
    if (sb->dead)
        return refuse(sb, f, fn, WG_HOST_EXITED, "the module called exit(%d) earlier; make a new instance",
                      sb->exit_code);
    if (wg__stack_left() < CALL_STACK_MIN)
        return refuse(sb, f, fn, WG_HOST_TRAP, "not enough native stack left to call into the module (%s)",
                      wasm_rt_strerror(WASM_RT_TRAP_EXHAUSTION));
    wg_host_enter(sb, f, fn);
    if (sb->depth > 1 && sb->instantiated) {
        /* Nested in an import: the stack pointer to put back if this call
         * fails is the module's now, which its own code tells, inside this
         * call (a trap there, or an import it calls, is this call's, not
         * the import's it nests in). */
        f->sp = WG_HOST_SP_UNKNOWN;
        int reason = run(f, sb, read_sp, &f->sp);
        if (reason != 0)
            return finish(f, reason);
        wg__top = f;
    }
    return WG_HOST_OK;
}

/* After the body, or after a jump out of it for `reason`: the cleanup, the
 * status. */
static int finish(wg_frame *f, int reason) {
    wg_sandbox *sb = f->sb;
    wg__top = f->prev;
    if (reason == 0 && sb->tmp.len > f->tmp0)
        reason = run(f, sb, release_tmp, &f->tmp0);
    if (reason == 0 && f->views0 != 0)
        reason = run(f, sb, release_views, &f->views0);

    int status = WG_HOST_OK;
    if (reason == 0) {
        sb->own.len = f->own0; /* the results are the caller's now */
    } else {
        if (reason == WG_TRAP_HOST) {
            status = f->status;
        } else {
            status = WG_HOST_TRAP;
            wg__messagef(sb, f->fn, "the module trapped: %s", wasm_rt_strerror((wasm_rt_trap_t)reason));
        }
        void **own = sb->own.data;
        while (sb->own.len > f->own0)
            free(own[--sb->own.len]);
        if (sb->dead) {
            sb->tmp.len = f->tmp0; /* the module runs no more */
            sb->views.len = 0;
        } else {
            if (sb->instantiated && f->sp != WG_HOST_SP_UNKNOWN)
                (void)run(f, sb, restore_sp, &f->sp);
            while (sb->tmp.len > f->tmp0 && !sb->dead)
                (void)run(f, sb, release_tmp, &f->tmp0);
            /* this call's views too: its results are gone */
            size_t views = sb->depth == 1 ? sb->views.len : 0;
            while (views > 0 && !sb->dead)
                (void)run(f, sb, release_views, &views);
            if (sb->dead) {
                sb->tmp.len = f->tmp0;
                sb->views.len = 0;
            }
        }
    }
    sb->ret_top = f->ret0;
    sb->cbs.n = f->cbs0; /* the call's callbacks end with it */
    if (sb->lent.n > f->lent0)
        wg__lent_unwind(sb, f->lent0); /* and the handles lent to them */
    sb->depth--;
    f->status = status;
    return status;
}

int wg_host_end_slow(wg_frame *f) { return finish(f, 0); }

int wg_host_trapped(wg_frame *f) { return finish(f, f->reason); }

int wg_host_call(wg_sandbox *sb, const char *fn, wg_host_body body, void *ctx) {
    wg_host_frame f;
    if (wg_host_begin(sb, &f, fn) != WG_HOST_OK)
        return f.status;
    return finish(&f, run(&f, sb, body, ctx));
}

/* ---- Callbacks: ids are (generation << 20) | (index + 1), as in JS, with
 * the top bit set for the kept ones (sb->kept), clear for calls' (sb->cbs). */

#define CB_INDEX_BITS 20
#define CB_INDEX_MASK ((1u << CB_INDEX_BITS) - 1)
#define CB_KEPT 0x80000000u
#define CB_GENERATIONS (1u << (31 - CB_INDEX_BITS))

/* The next generation of an entry: never 0, so that no id is 0 (NULL). */
static uint32_t next_gen(uint32_t gen) {
    gen = (gen + 1) % CB_GENERATIONS;
    return gen == 0 ? 1 : gen;
}

/* A callback table (`v`: `*cap` entries of `size` bytes, `n` in use) with
 * room for one more: doubled, the new entries zeroed (their generations
 * start at 0), at most CB_INDEX_MASK entries (`kind`: "registered", "kept"). */
static void *cb_room(wg_sandbox *sb, void *v, uint32_t n, uint32_t *cap, size_t size, const char *kind,
                     const char *what) {
    if (n < *cap)
        return v;
    if (*cap >= CB_INDEX_MASK)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "more than %u callbacks %s at once", CB_INDEX_MASK, kind);
    uint32_t grown = *cap ? *cap * 2 : 8;
    if (grown > CB_INDEX_MASK)
        grown = CB_INDEX_MASK;
    char *w = realloc(v, (size_t)grown * size);
    if (w == NULL)
        wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory for %s", what);
    memset(w + (size_t)*cap * size, 0, (size_t)(grown - *cap) * size);
    *cap = grown;
    return w;
}

uint32_t wg_host_cb_add(wg_sandbox *sb, uint32_t type, void (*fn)(void), void *user, bool optional,
                        const char *what) {
    if (fn == NULL) {
        if (optional)
            return 0;
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", what);
    }
    wg_host_cbs *c = &sb->cbs;
    c->v = cb_room(sb, c->v, c->n, &c->cap, sizeof *c->v, "registered", what);
    wg_host_cb *e = &c->v[c->n++];
    e->gen = next_gen(e->gen);
    e->fn = fn;
    e->user = user;
    e->type = type;
    return (e->gen << CB_INDEX_BITS) | c->n;
}

/* A kept entry: its id (entries are reused; their generations go on). */
static uint32_t kept_add(wg_sandbox *sb, const wg_host_cb *cb, wg_host_res *owner, const char *what) {
    wg_host_kept *k = &sb->kept;
    uint32_t i = k->free_head;
    if (i != 0) {
        k->free_head = k->v[i - 1].next_free;
    } else {
        k->v = cb_room(sb, k->v, k->n, &k->cap, sizeof *k->v, "kept", what);
        i = ++k->n;
    }
    wg_host_kept_entry *e = &k->v[i - 1];
    uint32_t gen = next_gen(e->cb.gen);
    e->cb = *cb;
    e->cb.gen = gen;
    e->owner = owner;
    e->next_free = 0;
    return CB_KEPT | (gen << CB_INDEX_BITS) | i;
}

/* The live kept entry of id, or NULL. */
static wg_host_kept_entry *kept_entry(wg_sandbox *sb, uint32_t id) {
    wg_host_kept *k = &sb->kept;
    uint32_t i = id & CB_INDEX_MASK;
    if (!(id & CB_KEPT) || i == 0 || i > k->n)
        return NULL;
    wg_host_kept_entry *e = &k->v[i - 1];
    if (e->cb.gen != ((id & ~CB_KEPT) >> CB_INDEX_BITS) || (e->cb.type == 0 && e->owner == NULL))
        return NULL;
    return e;
}

/* Release the kept entry of id: its id goes stale (its generation stays). */
static void kept_release(wg_sandbox *sb, uint32_t id) {
    wg_host_kept_entry *e = kept_entry(sb, id);
    if (e == NULL)
        return;
    e->cb.fn = NULL;
    e->cb.type = 0;
    e->owner = NULL;
    e->next_free = sb->kept.free_head;
    sb->kept.free_head = id & CB_INDEX_MASK;
}

uint32_t wg_host_cb_own(wg_sandbox *sb, wg_host_res *owner, const char *rtype, const char *owner_what,
                        uint32_t type, uint32_t count, void (*fn)(void), void *user, bool optional,
                        const char *what) {
    (void)wg_host_borrow(sb, owner, false, rtype, owner_what);
    if (fn == NULL) {
        if (!optional)
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", what);
        if (owner->cbs != NULL && owner->cbs[type - 1].fn != NULL) {
            owner->cbs[type - 1] = (wg_host_cb){NULL, NULL, 0, 0};
            owner->ncbs--;
            sb->kept.live--;
        }
        return 0;
    }
    if (owner->cbs == NULL) {
        wg_host_cb *cbs = calloc(count, sizeof *cbs);
        if (cbs == NULL)
            wg_host_fail(sb, WG_HOST_NO_MEMORY, "out of host memory keeping %s", what);
        owner->cbs = cbs;
    }
    if (owner->cb_id == 0) {
        wg_host_cb none = {NULL, NULL, 0, 0};
        owner->cb_id = kept_add(sb, &none, owner, what);
    }
    if (owner->cbs[type - 1].fn == NULL) {
        owner->ncbs++;
        sb->kept.live++;
    }
    owner->cbs[type - 1] = (wg_host_cb){fn, user, type, 0};
    return owner->cb_id;
}

void wg_host_cb_disown(wg_sandbox *sb, wg_host_res *owner) {
    if (owner->cb_id != 0)
        kept_release(sb, owner->cb_id);
    owner->cb_id = 0;
    sb->kept.live -= owner->ncbs;
    owner->ncbs = 0;
    free(owner->cbs);
    owner->cbs = NULL;
}

struct wg_host_callback {
    wg_sandbox *sb;
    uint32_t id, type;
    struct wg_host_callback *prev, *next; /* sb->kept.list */
};

uint32_t wg_host_cb_kept(wg_sandbox *sb, const wg_host_callback *cb, uint32_t type, bool optional,
                         const char *what) {
    if (cb == NULL) {
        if (optional)
            return 0;
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", what);
    }
    if (cb->sb != sb)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a callback of another instance", what);
    if (cb->type != type)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is a callback of another type", what);
    return cb->id;
}

/* The body of NAME_host_callback_T, inside a call (for wg_host_fail). */
typedef struct {
    uint32_t type;
    void (*fn)(void);
    void *user;
    wg_host_callback *cb;
} keep_ctx;

static void keep_body(wg_sandbox *sb, void *ctx) {
    keep_ctx *c = ctx;
    if (c->fn == NULL)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "fn is NULL");
    wg_host_callback *cb = wg_host_alloc(sb, sizeof *cb); /* freed if keeping it fails, the caller's after */
    wg_host_cb e = {c->fn, c->user, c->type, 0};
    cb->id = kept_add(sb, &e, NULL, "the callback");
    cb->sb = sb;
    cb->type = c->type;
    cb->prev = NULL;
    cb->next = sb->kept.list;
    if (cb->next)
        cb->next->prev = cb;
    sb->kept.list = cb;
    sb->kept.live++;
    c->cb = cb;
}

int wg_host_callback_new(wg_sandbox *sb, const char *fn_name, uint32_t type, void (*fn)(void), void *user,
                         wg_host_callback **out) {
    if (out == NULL)
        return wg_host_refuse(sb, fn_name, "out is NULL");
    *out = NULL;
    keep_ctx c = {type, fn, user, NULL};
    int status = wg_host_call(sb, fn_name, keep_body, &c);
    if (status == WG_HOST_OK)
        *out = c.cb;
    return status;
}

static void callback_unlink(wg_sandbox *sb, wg_host_callback *cb) {
    if (cb->prev)
        cb->prev->next = cb->next;
    else
        sb->kept.list = cb->next;
    if (cb->next)
        cb->next->prev = cb->prev;
}

int wg_host_callback_free(wg_sandbox *sb, wg_host_callback *cb) {
    if (cb == NULL)
        return WG_HOST_OK;
    if (cb->sb != sb)
        return wg_host_refuse(sb, "callback_free", "cb is a callback of another instance");
    kept_release(sb, cb->id);
    sb->kept.live--;
    callback_unlink(sb, cb);
    free(cb);
    return WG_HOST_OK;
}

void wg__kept_free(wg_sandbox *sb) {
    for (wg_host_callback *cb = sb->kept.list, *next; cb != NULL; cb = next) {
        next = cb->next;
        free(cb);
    }
    free(sb->kept.v);
    sb->kept = (wg_host_kept){NULL, 0, 0, 0, NULL, 0};
}

const wg_host_cb *wg_host_cb_find(wg_sandbox *sb, uint32_t type, bool ud, uint32_t id) {
    if (ud && (id & CB_KEPT)) {
        const wg_host_kept_entry *e = kept_entry(sb, id);
        if (e == NULL)
            wg_host_fail(sb, WG_HOST_BAD_RESULT,
                         "C called it with user data %u, which is no live callback's (it was released)", id);
        if (e->owner != NULL) {
            const wg_host_cb *cb = &e->owner->cbs[type - 1];
            if (cb->fn == NULL)
                wg_host_fail(sb, WG_HOST_BAD_RESULT, "C called it for a handle that has no such callback set");
            return cb;
        }
        if (e->cb.type != type)
            wg_host_fail(sb, WG_HOST_BAD_RESULT, "C called it with user data %u, a callback of another type", id);
        return &e->cb;
    }
    const wg_host_cbs *c = &sb->cbs;
    if (!ud) {
        for (uint32_t i = c->n; i > 0; i--)
            if (c->v[i - 1].type == type)
                return &c->v[i - 1];
        wg_host_fail(sb, WG_HOST_BAD_RESULT,
                     "C called it when no call in progress had passed one (a library may not keep a callback "
                     "that has no user data past the call)");
    }
    uint32_t i = id & CB_INDEX_MASK;
    if (i == 0 || i > c->n || c->v[i - 1].gen != id >> CB_INDEX_BITS || c->v[i - 1].type != type)
        wg_host_fail(sb, WG_HOST_BAD_RESULT,
                     "C called it with user data %u, which is no live callback's of this type (its call returned)",
                     id);
    return &c->v[i - 1];
}

wg_sandbox *wg_host_current(void) {
    wg_frame *f = wg__top;
    return f != NULL ? f->sb : NULL;
}

void wg_host_import_enter(wg_sandbox *sb) {
    wg_frame *f = wg__top;
    if (f == NULL || f->sb != sb) {
        fprintf(stderr, "wasmgen host: an import of module %s called outside a call into it\n", sb->ops->name);
        abort();
    }
    if (wg__stack_left() < IMPORT_STACK_MIN)
        wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    f->in_host++;
}

void wg_host_nest(wg_sandbox *sb, const char *what) {
    if (wg__stack_left() < IMPORT_STACK_MIN)
        wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module gave %s nesting lists deeper than the native stack allows",
                     what);
}

void wg_host_import_leave(wg_sandbox *sb) {
    wg_frame *f = wg__top;
    f->in_host--;
    if (sb->dead) /* a call back into the module from the import ended in exit() */
        wg_host_fail(sb, WG_HOST_EXITED, "the module called exit(%d)", sb->exit_code);
}

/* ---- Life cycle */

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

void wg_host_init_module(int *done, void (*init_module)(void)) {
    if (__atomic_load_n(done, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&init_lock);
    if (!*done) {
        wasm_rt_init();
        init_module();
        __atomic_store_n(done, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&init_lock);
}

const char *wg_host_status_name(int status) {
    switch (status) {
    case WG_HOST_OK: return "ok";
    case WG_HOST_TRAP: return "trap";
    case WG_HOST_BAD_RESULT: return "bad result";
    case WG_HOST_FAILED: return "failed";
    case WG_HOST_EXITED: return "exited";
    case WG_HOST_NO_MEMORY: return "no memory";
    case WG_HOST_BAD_ARGUMENT: return "bad argument";
    default: return "unknown status";
    }
}
