/*
 * wasmgen-host-glue.h - the host runtime's side of generated NAME_host.c:
 * the sandbox each instance embeds, the call trampoline, and the checked
 * helpers that move values in and out of linear memory. Users include
 * NAME_host.h instead; nothing here is a stable API.
 *
 * The model: every call into the module goes through wg_host_call(), which
 * sets a cheap jump point (no signal-mask syscall) that traps, memory faults
 * inside the sandbox and wg_host_fail() return to. A body function, run
 * inside, copies the arguments into linear memory, calls the wasm2c export
 * and reads the results back, checking every pointer and length against the
 * memory in 64-bit arithmetic. Whatever the body made before a failure -
 * temporaries in the sandbox, result blocks on the host - is freed by the
 * trampoline, and the module's stack pointer is restored.
 */
#ifndef WASMGEN_HOST_GLUE_H
#define WASMGEN_HOST_GLUE_H

#include <stdarg.h>

#include "wasm-rt.h"
#include "wasmgen-host.h"
#include "wasmgen-wasi.h"
#include "wasmgen_host_tables.h" /* WG_HOST_FROM_T, _TO_T, _LOAD_T, _STORE_T: from compiler/types.def */

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime is built for one configuration of wasm-rt.h: memory checked by
 * guard pages, stack overflow caught by the signal handler. Translated code
 * must be compiled the same way; generated code references this symbol,
 * which only a runtime built that way defines, so a mismatch fails to link. */
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER && !WASM_RT_USE_STACK_DEPTH_COUNT
#define WG_HOST_RT_CONFIG wasmgen_host_rt_guard_pages
#else
#define WG_HOST_RT_CONFIG wasmgen_host_rt_needs_WASM_RT_MEMCHECK_SIGNAL_HANDLER_1_and_no_stack_depth_count
#endif
extern const int WG_HOST_RT_CONFIG;

/* Argument images up to this size go on that stack; larger ones are
 * allocated in the module (SCRATCH_MAX in the JS runtime). */
#define WG_HOST_SCRATCH_MAX 512u
/* Linear memory stops one page short of 4 GiB: wasm_rt_memory_t.size is 32-bit. */
#define WG_HOST_MAX_PAGES 65535u
/* Tables stop at this many elements (V8's limit). */
#define WG_HOST_MAX_TABLE 10000000u

/* What the runtime needs from one translated module; the generated code
 * fills one per module with adapters around the wasm2c functions. */
typedef struct wg_sandbox_ops {
    const char *name;
    void (*instantiate)(void *inst, struct Z_wasi_snapshot_preview1_instance_t *wasi, void *imports);
    void (*initialize)(void *inst); /* _initialize, or NULL when the module has none */
    void (*free_instance)(void *inst);
    wasm_rt_memory_t *(*memory)(void *inst);
    u32 (*alloc)(void *inst, u32 bytes);
    void (*free)(void *inst, u32 ptr);
    u32 (*stack_get)(void *inst);
    void (*stack_set)(void *inst, u32 sp);
    u32 (*ret_stack)(void *inst);
    u32 (*stats)(void *inst);
    u32 (*version)(void *inst); /* wg_version: the libwasmgen.a the module was linked with */
} wg_sandbox_ops;

/* A growable array of plain values, for the sandbox's bookkeeping. */
typedef struct wg_host_vec {
    void *data;
    size_t len, cap;
} wg_host_vec;

/* An output stream's partial line. */
typedef struct wg_host_stream {
    char *buf;
    size_t len, cap;
    bool cut; /* a flush sent a partial line: a newline first adds no empty line */
} wg_host_stream;

/* A host function registered for a call that passed it (a C callback): the
 * calls in progress' registrations, a stack (calls nest). Its id, which C
 * gets as the callback's user data, is its index + 1 and a generation, so
 * that an id kept past its call is refused instead of calling another
 * call's function (runtime/js/callbacks.mjs does the same). */
typedef struct wg_host_cb {
    void (*fn)(void); /* the host's function, cast back to its type by the thunk */
    void *user;
    uint32_t type;    /* the callback type: the module's numbering, from 1 */
    uint32_t gen;
} wg_host_cb;

typedef struct wg_host_cbs {
    wg_host_cb *v;
    uint32_t n, cap; /* n: live (the stack's top); v[n..cap) keep their generations */
} wg_host_cbs;

/* Callbacks kept past the call that passed them: a wg_host_callback's
 * (`stored`), or a resource handle's (`stored(self)`: one per callback type,
 * in the handle). Their ids have the top bit set; a released entry keeps its
 * generation, so that C calling a released one is refused. */
typedef struct wg_host_kept_entry {
    wg_host_cb cb;             /* a wg_host_callback's function (type 0: free) */
    struct wg_host_res *owner; /* or the resource handle whose functions these are */
    uint32_t next_free;        /* index + 1 of the next free entry, 0 for none */
} wg_host_kept_entry;

typedef struct wg_host_kept {
    wg_host_kept_entry *v;
    uint32_t n, cap, free_head;
    struct wg_host_callback *list; /* the wg_host_callbacks made, freed with the instance */
    uint32_t live; /* the functions kept: the wg_host_callbacks', the handles' */
} wg_host_kept;

struct wg_host_res;

/* The resource handles C lends the callbacks running (a callback parameter
 * that is a resource): a stack (callbacks nest), each entry the serial of
 * the token the host got and the handle behind it. The host never sees the
 * handle's address: a token is an address in a reservation of the process
 * that nothing is mapped at (wg_host_res_of decodes it), so that when the
 * callback returns its handle goes back to `pool`, to be reused by the next
 * one, while a token kept past its callback is refused (its serial is no
 * live entry's) instead of naming another object. */
typedef struct wg_host_lent_entry {
    uint32_t serial;
    struct wg_host_res *res; /* NULL: ended (a callback returned), not yet popped */
} wg_host_lent_entry;

typedef struct wg_host_lent {
    wg_host_lent_entry *v;
    uint32_t n, cap;         /* n: the stack's top */
    uint32_t live;           /* entries not ended */
    struct wg_host_res *pool; /* handles to reuse, linked by `next` */
    /* Ended handles that keep callbacks (stored(self)), which C may still
     * call: kept until the host frees their tokens, or the instance's end. */
    wg_host_lent_entry *kept;
    uint32_t nkept, capkept;
} wg_host_lent;

typedef struct wg_sandbox {
    const wg_sandbox_ops *ops;
    void *inst;    /* the wasm2c instance */
    void *imports; /* passed to instantiate for the module's own imports */
    wasm_rt_memory_t *mem;
    struct Z_wasi_snapshot_preview1_instance_t wasi;
    bool instantiated;
    bool dead;         /* exit() was called */
    int exit_code;     /* its status, -1 while alive */
    int32_t error_code;
    uint32_t depth;    /* calls in progress */
    uint32_t sp0;      /* the module's stack pointer between calls */
    uint32_t ret_base, ret_top, ret_end; /* return-area stack, in linear memory */
    uint32_t limit_pages;
    wg_host_vec tmp;   /* u32: module allocations of calls in progress */
    wg_host_vec own;   /* void *: host blocks of results being made */
    wg_host_vec views; /* u32: module buffers behind views handed out */
    wg_host_cbs cbs;   /* callbacks of calls in progress */
    wg_host_kept kept; /* callbacks kept past their call */
    struct wg_host_res *handles; /* the resource handles the host holds */
    uint64_t nhandles;  /* how many */
    /* Those handles by ptr (all but the orphaned): an open-addressing table
     * (linear probing) of the first handle of each ptr's list, for the
     * handles borrowed for an object that gets a new owner or is destroyed. */
    struct {
        struct wg_host_res **v; /* NULL: an empty slot */
        uint32_t cap, n;        /* cap: 0 or a power of 2; n <= cap / 2 */
    } byptr;
    /* Handles and slots visited by the bookkeeping of owners (the table's
     * probes, the lists walked): a count, for tests that check it stays a
     * constant per operation. */
    uint64_t handle_steps;
    uint32_t hash_seed; /* sb->byptr's hash's, random per instance */
    /* The bytes of the module's memory the struct argument being copied for
     * a callback or an import, or the results being taken, may still read
     * (wg_host_copy_start: the memory's size), and what (for the message). */
    uint64_t copy_left;
    const char *copy_what;
    /* Blocks wg_host_release looked past to find the one it gives back (0
     * when copies are given back newest first): a count, for tests. */
    uint64_t release_steps;
    wg_host_lent lent;  /* the handles C lends the callbacks running */
    char *env;         /* "K=V\0" strings, one after another */
    uint32_t env_count, env_bytes;
    wg_host_line_fn out, err;
    void *user;
    wg_host_stream streams[2];
    char error[512];
} wg_sandbox;

/* ---- Life cycle */

/* Once per process per module: runs init_module (under a lock). */
void wg_host_init_module(int *done, void (*init_module)(void));

/* Instantiate the module in `sb` (zeroed by the caller, `inst` zeroed too) and
 * run its _initialize. On failure the sandbox is destroyed except for its
 * message, and the status is returned. */
int wg_sandbox_init(wg_sandbox *sb, const wg_sandbox_ops *ops, void *inst, void *imports,
                    const wg_host_options *options);
/* The message of the last NAME_host_new that failed on this thread. */
const char *wg_host_last_error(void);

/* Flush partial output lines, free the module's memory (the whole
 * reservation) and everything the sandbox holds, the resource handles left
 * among it. */
void wg_sandbox_destroy(wg_sandbox *sb);

/* The module's allocator counters. */
int wg_sandbox_stats(wg_sandbox *sb, wg_host_stats *out);

/* Pass on partial lines of stdout and stderr now. */
void wg_sandbox_flush_output(wg_sandbox *sb);

/* ---- Calls */

#if !defined(__GNUC__)
#error "wasmgen's native host needs GCC or Clang (__builtin_setjmp)"
#endif

/* Why a call was abandoned, beside wasm_rt_trap_t's: wg_host_fail. */
#define WG_HOST_FAIL_REASON 0x100

/* One call into a sandbox in progress on this thread: where traps, faults
 * and failures jump to, and the sandbox's state to put back. Calls nest (an
 * import calling back into a module) through `prev`. */
typedef struct wg_host_frame {
    void *jb[5]; /* __builtin_setjmp's buffer */
    struct wg_host_frame *prev;
    wg_sandbox *sb;
    int reason;  /* why it was abandoned: a wasm_rt_trap_t, or WG_HOST_FAIL_REASON */
    int status;  /* its WG_HOST_* status, once abandoned or refused */
    int in_host; /* host code (an import) is running */
    const char *fn; /* the function called (an import's while it runs), for messages */
    size_t tmp0, own0, views0;
    uint32_t ret0, sp, cbs0, lent0;
} wg_host_frame;

/* A call, as generated code makes one, its jump point in its own frame:
 *
 *   wg_host_frame f;
 *   if (wg_host_begin(sb, &f, "F") != WG_HOST_OK)
 *       return f.status;                     (refused: exited, no stack left)
 *   if (__builtin_setjmp(f.jb) == 0) {
 *       ... copy arguments in, call the export, read results ...
 *       return wg_host_end(&f);
 *   }
 *   return wg_host_trapped(&f);              (after a trap, fault or failure)
 *
 * begin makes f the innermost call of this thread; end and trapped free the
 * call's temporaries (and, after a failure, its result blocks), put the
 * module's stack pointer back, and return the status. begin and end are
 * inline for the common case; the rest is in the runtime. */
int wg_host_begin_slow(wg_sandbox *sb, wg_host_frame *f, const char *fn);
/* A frame's sp when there is none to put back (reading it failed). */
#define WG_HOST_SP_UNKNOWN UINT32_MAX
int wg_host_end_slow(wg_host_frame *f);
int wg_host_trapped(wg_host_frame *f);

/* The innermost call of this thread, and the lowest frame address a call may
 * start from (0 before the thread's first call: the slow path sets it up). */
extern _Thread_local wg_host_frame *wg__top;
extern _Thread_local uintptr_t wg__call_limit;

/* Enter the call: the sandbox's state into f, f the innermost call. */
static inline void wg_host_enter(wg_sandbox *sb, wg_host_frame *f, const char *fn) {
    f->prev = wg__top;
    f->sb = sb;
    f->in_host = 0;
    f->fn = fn;
    f->ret0 = sb->ret_top;
    f->tmp0 = sb->tmp.len;
    f->own0 = sb->own.len;
    f->cbs0 = sb->cbs.n;
    f->lent0 = sb->lent.n;
    if (sb->depth == 0) {
        /* At rest the module's stack pointer is always sp0; the views handed
         * out before stay valid through this call and are freed after it. */
        f->sp = sb->sp0;
        f->views0 = sb->views.len;
    } else { /* nested in an import: the views are the outer call's, and
              * wg_host_begin_slow reads the stack pointer, inside the call */
        f->sp = sb->sp0;
        f->views0 = 0;
    }
    sb->depth++;
    /* f is a local of the caller, and leaves wg__top when its call ends
     * (end or trapped); the asm hides that from -Wdangling-pointer. */
    __asm__("" : "+r"(f));
    wg__top = f;
}

static inline int wg_host_begin(wg_sandbox *sb, wg_host_frame *f, const char *fn) {
    uintptr_t limit = wg__call_limit;
    if (__builtin_expect(sb->dead || sb->depth != 0 || limit == 0 || (uintptr_t)__builtin_frame_address(0) < limit, 0))
        return wg_host_begin_slow(sb, f, fn);
    wg_host_enter(sb, f, fn);
    return WG_HOST_OK;
}

static inline int wg_host_end(wg_host_frame *f) {
    wg_sandbox *sb = f->sb;
    if (__builtin_expect(sb->tmp.len != f->tmp0 || f->views0 != 0 || sb->lent.n != f->lent0, 0))
        return wg_host_end_slow(f); /* temporaries or views to free in the module, handles lent to end */
    wg__top = f->prev;
    /* What did not change is not stored again: the next call's loads then
     * never wait on a store they overlap. */
    if (sb->own.len != f->own0)
        sb->own.len = f->own0; /* the results are the caller's now */
    if (sb->ret_top != f->ret0)
        sb->ret_top = f->ret0;
    if (sb->cbs.n != f->cbs0)
        sb->cbs.n = f->cbs0; /* the call's callbacks end with it */
    sb->depth--;
    return WG_HOST_OK;
}

/* The call of a generated API function, as above, in one line:
 *
 *   int status;
 *   WG_HOST_CALL(status, sb, "F", hs_b_F(sb, &c));
 *
 * runs the body call inside, the jump point in the caller's frame, and sets
 * status to WG_HOST_OK or the status of the refusal, trap or failure. */
#define WG_HOST_CALL(status_, sb_, fn_, body_)                \
    do {                                                      \
        wg_host_frame wg_f;                                   \
        if (wg_host_begin((sb_), &wg_f, (fn_)) != WG_HOST_OK) \
            (status_) = wg_f.status;                          \
        else if (__builtin_setjmp(wg_f.jb) == 0) {            \
            body_;                                            \
            (status_) = wg_host_end(&wg_f);                   \
        } else                                                \
            (status_) = wg_host_trapped(&wg_f);               \
    } while (0)

typedef void (*wg_host_body)(wg_sandbox *sb, void *ctx);

/* Run body(sb, ctx) as one call into the module named `fn` (the same, with
 * the jump point in the runtime). Returns
 * WG_HOST_OK or the status of the trap or failure, with the message in
 * sb->error. Blocks registered with wg_host_own() during a successful call
 * belong to the caller afterwards; after a failure they are freed. */
int wg_host_call(wg_sandbox *sb, const char *fn, wg_host_body body, void *ctx);

/* Abandon the call in progress with `status` and a message (prefixed with
 * the function's name). Only inside a body, or an import the module called. */
WASM_RT_NO_RETURN void wg_host_fail(wg_sandbox *sb, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A result pointer the host passed: a BAD_ARGUMENT failure when NULL. */
static inline void wg_host_need(wg_sandbox *sb, const void *p, const char *name) {
    if (p == NULL)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL", name);
}

/* Around a host import the module calls: checks that enough native stack is
 * left (or traps with "stack exhausted"), and marks host code as running, so
 * that a fault in it is the host's own and is not taken for the module's. */
void wg_host_import_enter(wg_sandbox *sb);
void wg_host_import_leave(wg_sandbox *sb);

/* Register a callback argument for the call in progress (released when the
 * call ends, however it ends): its id, 0 for a NULL `fn` when `optional`
 * (else a BAD_ARGUMENT failure naming `what`). */
uint32_t wg_host_cb_add(wg_sandbox *sb, uint32_t type, void (*fn)(void), void *user, bool optional,
                        const char *what);
/* Set (or, for a NULL `fn`, remove) the resource handle `owner`'s callback
 * of `type` (`stored(self)`: kept until the handle is freed, after its
 * destructor), replacing the one it had; `ntypes` callback types, `rtype`
 * the resource's name and `owner_what` the parameter owner is (a NULL,
 * freed or another instance's owner: BAD_ARGUMENT). Returns the handle's
 * id, 0 for NULL. */
uint32_t wg_host_cb_own(wg_sandbox *sb, struct wg_host_res *owner, const char *rtype, const char *owner_what,
                        uint32_t type, uint32_t ntypes, void (*fn)(void), void *user, bool optional,
                        const char *what);
/* A `stored` callback argument: the id of `cb` (0 for NULL when `optional`);
 * NULL, another instance's or another type's: BAD_ARGUMENT. (A released one
 * was freed: the host passing it is a use after free, as for any handle.) */
uint32_t wg_host_cb_kept(wg_sandbox *sb, const wg_host_callback *cb, uint32_t type, bool optional,
                         const char *what);
/* NAME_host_callback_T: keep fn and user as a callback of `type`, in *out. */
int wg_host_callback_new(wg_sandbox *sb, const char *fn_name, uint32_t type, void (*fn)(void), void *user,
                         wg_host_callback **out);
/* NAME_host_callback_free: release cb (NULL does nothing). */
int wg_host_callback_free(wg_sandbox *sb, wg_host_callback *cb);
/* The registration a callback thunk of `type` calls: the one whose id C
 * passed as the user data (`ud`: a call's, a wg_host_callback's or a
 * resource handle's), or, for a type without user data, the innermost
 * call's that passed one. None (an id kept past its call, released, another
 * type's, a handle's without one of this type) fails the call with
 * BAD_RESULT. */
const wg_host_cb *wg_host_cb_find(wg_sandbox *sb, uint32_t type, bool ud, uint32_t id);

/* The sandbox of the innermost call on this thread (NULL outside calls). */
wg_sandbox *wg_host_current(void);

/* ---- Memory, always checked */

/* Bytes of linear memory now. */
static inline uint64_t wg_host_mem_size(const wg_sandbox *sb) {
    return (uint64_t)sb->mem->pages * 65536u;
}
/* Is [p, p + n) inside linear memory? n is 64-bit: no wrap-around. */
static inline bool wg_host_in_bounds(const wg_sandbox *sb, uint64_t p, uint64_t n) {
    uint64_t size = wg_host_mem_size(sb);
    return p <= size && n <= size - p;
}
/* A host pointer to [p, p + n), or a BAD_RESULT failure naming `what`. */
void *wg_host_ptr(wg_sandbox *sb, uint64_t p, uint64_t n, const char *what);

/* Loads and stores at a checked address (little-endian, any alignment). */
uint8_t wg_host_ld_u8(wg_sandbox *sb, uint32_t p);
uint16_t wg_host_ld_u16(wg_sandbox *sb, uint32_t p);
uint32_t wg_host_ld_u32(wg_sandbox *sb, uint32_t p);
uint64_t wg_host_ld_u64(wg_sandbox *sb, uint32_t p);
float wg_host_ld_f32(wg_sandbox *sb, uint32_t p);
double wg_host_ld_f64(wg_sandbox *sb, uint32_t p);
void wg_host_st_u8(wg_sandbox *sb, uint32_t p, uint8_t v);
void wg_host_st_u16(wg_sandbox *sb, uint32_t p, uint16_t v);
void wg_host_st_u32(wg_sandbox *sb, uint32_t p, uint32_t v);
void wg_host_st_u64(wg_sandbox *sb, uint32_t p, uint64_t v);
void wg_host_st_f32(wg_sandbox *sb, uint32_t p, float v);
void wg_host_st_f64(wg_sandbox *sb, uint32_t p, double v);

/* n bytes of the module's memory for an argument image, zeroed: on the
 * return-area stack up to WG_HOST_SCRATCH_MAX, else a temporary allocation
 * freed when the call ends. n may be 0 (a valid, non-NULL address). */
uint32_t wg_host_scratch(wg_sandbox *sb, uint64_t n, const char *param);
/* `slots` 8-byte return-area slots, zeroed. */
uint32_t wg_host_ret(wg_sandbox *sb, uint32_t slots);

/* A register of host blocks made by the call: freed if it fails. */
void *wg_host_alloc(wg_sandbox *sb, size_t n);
/* Free p, from wg_host_alloc in this call, and forget it (a copy the call
 * used and no longer needs, such as a long string argument of an import). */
void wg_host_release(wg_sandbox *sb, void *p);
/* The module's own allocation of n bytes (not freed at the end of the call). */
uint32_t wg_host_module_alloc(wg_sandbox *sb, uint64_t n, const char *what);
/* Free p (0 is ignored) in the module. */
void wg_host_module_free(wg_sandbox *sb, uint32_t p);
/* Remember a module buffer behind a view: freed at the next call. */
void wg_host_view(wg_sandbox *sb, uint32_t p);

/* Arguments in: each returns the address in linear memory (0 for NULL, which
 * only an optional parameter accepts). Lengths above UINT32_MAX are a
 * BAD_ARGUMENT failure. */

/* A NULL array or list the host passes, with `n` elements: refused when n is
 * not 0; true when it is none (0 for the module: `optional`), false when it
 * is to be passed (an empty one, or `l` is not NULL). */
static inline bool wg_host_none(wg_sandbox *sb, const void *l, size_t n, bool optional, const char *what) {
    if (l != NULL)
        return false;
    if (n != 0)
        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is NULL with %zu elements", what, n);
    return optional;
}
uint32_t wg_host_put_str(wg_sandbox *sb, const char *s, size_t len, bool optional, const char *param);
uint32_t wg_host_put_arr(wg_sandbox *sb, const void *a, size_t n, size_t elem, bool optional,
                         const char *param);
/* Check a length or count the host passes. */
uint32_t wg_host_len(wg_sandbox *sb, size_t n, const char *param);
/* An out array's length (an integer parameter, or a literal): 0 to 2^32 - 1. */
uint32_t wg_host_out_len(wg_sandbox *sb, int64_t n, const char *param);
/* A string[] in: an array of (pointer, length) pairs, each string copied. */
uint32_t wg_host_put_strs(wg_sandbox *sb, const wg_str *l, size_t n, bool optional, const char *what);
/* A C string array the host passes (`n` NUL-terminated strings, none NULL):
 * copies in scratch memory, the pointers followed by a NULL (argv-style);
 * 0 for a NULL list that is `optional`, else BAD_ARGUMENT. */
uint32_t wg_host_put_cstrs(wg_sandbox *sb, const char *const *l, size_t n, bool optional, const char *what);

/* Results out, from a (pointer, length) pair at `at` (a return-area slot or
 * a struct field). A string: copied with the host's own NUL into a block
 * from wg_host_alloc (NULL for a NULL pointer); the module's buffer is freed
 * when `own`. An array of n elements of `elem` bytes: the same, with NULL for
 * NULL (an empty array is a non-NULL block). */
char *wg_host_take_str(wg_sandbox *sb, uint32_t at, bool own, const char *what);
/* The same with its length (a struct field): the module's buffer freed; a
 * NULL that is not `optional` becomes "". */
char *wg_host_take_strn(wg_sandbox *sb, uint32_t at, bool optional, size_t *len, const char *what);
/* ... a struct field C passes a callback or an import: the same copy, C's
 * buffer left alone (the thunk gives the copy back with wg_host_release). */
char *wg_host_arg_strn(wg_sandbox *sb, uint32_t at, bool optional, size_t *len, const char *what);
/* A string[] field of a struct C passes a callback or an import: host
 * copies of the array and of each string (its own NUL; a NULL one is ""),
 * from wg_host_alloc, C's left alone; NULL for NULL. Given back, newest
 * first, by wg_host_arg_strs_end. */
const wg_str *wg_host_arg_strs_of(wg_sandbox *sb, uint32_t at, size_t *len, const char *what);
void wg_host_arg_strs_end(wg_sandbox *sb, const wg_str *l, size_t n);
/* Before reading a list that may hold lists (a struct's, C passing it a
 * callback or an import): a BAD_RESULT failure naming `what` when little
 * native stack is left (C's memory may nest lists without end). */
void wg_host_nest(wg_sandbox *sb, const char *what);
/* Copying a struct C passes a callback or an import (argument `what`), or
 * the results of a call (after it, "its results"): what the copies read out
 * of the module's memory (strings, arrays, list elements, at any depth) may
 * add up to the memory's size, which a structure without shared parts
 * cannot exceed; wg_host_copied counts `n` more bytes, a BAD_RESULT failure
 * naming `what` and `field` past it (C's lists sharing elements: copying
 * them without a bound would grow as 2^depth). */
void wg_host_copy_start(wg_sandbox *sb, const char *what);
void wg_host_copied(wg_sandbox *sb, uint64_t n, const char *field);
/* A string[] the module made: copied (NULL for NULL) and freed. */
void wg_host_take_strs(wg_sandbox *sb, uint32_t at, wg_str_array *out, const char *what);
/* Free the strings of a string[] field, then its array. */
void wg_host_free_strs_of(const wg_str *l, size_t n);
void *wg_host_take_arr(wg_sandbox *sb, uint32_t at, size_t elem, bool own, size_t *len, const char *what);
/* Zero-copy: a pointer into linear memory, checked for bounds and alignment,
 * valid until the next call into the instance (the module's buffer is freed
 * then). */
const void *wg_host_view_arr(wg_sandbox *sb, uint32_t at, size_t elem, size_t *len, const char *what);
/* A copy of the n bytes at p, into `dst`. */
void wg_host_get(wg_sandbox *sb, uint32_t p, void *dst, uint64_t n, const char *what);
/* A NUL-terminated string the module made (an error message): a copy of at
 * most `max` bytes, freed with free(); the module's buffer is freed. */
char *wg_host_take_cstr(wg_sandbox *sb, uint32_t p, size_t max);

/* The error record of a `throws` function at `at`: if it failed, the call
 * fails with WG_HOST_FAILED, the code in sb->error_code. */
void wg_host_check_error(wg_sandbox *sb, uint32_t at);

/* An i53 result: a safe integer, or BAD_RESULT. */
int64_t wg_host_i53(wg_sandbox *sb, int64_t v, const char *what);
/* An i53 the host passes: a safe integer, or BAD_ARGUMENT. */
int64_t wg_host_i53_arg(wg_sandbox *sb, int64_t v, const char *what);

/* Refuse a call before it starts: the message (in sb, or this thread's last
 * error for NULL), and WG_HOST_BAD_ARGUMENT. */
int wg_host_refuse(wg_sandbox *sb, const char *fn, const char *message);

/* The scalars' conversions (WG_HOST_FROM_T, _TO_T, _LOAD_T, _STORE_T for
 * each IDL scalar type T) are in wasmgen_host_tables.h, printed at build
 * time from compiler/types.def by runtime/gen_tables.c: a new type is one
 * row there. */

/* string[] in and out under the names generated code gives lists
 * (hs_put_L_point, ...); no struct may be called `string`. */
#define hs_put_L_string wg_host_put_strs
#define hs_take_L_string wg_host_take_strs

/* ---- Resources: a handle (NAME_host_R, a struct whose one member is a
 * wg_host_res) is the module's pointer and its instance, in the instance's
 * list of live handles until it is freed, or the instance is
 * (wg_sandbox_destroy frees those left).
 *
 * A module that returns borrowed objects (`borrowed R f()`) marks them: a
 * borrowed handle never destroys its object, and is refused once a handle
 * it was borrowed from was freed (the object may be gone with it), as JS
 * refuses a handle "whose owner was freed". */
typedef struct wg_host_handle {
    /* the handle it was borrowed from, NULL for none; when that is a lent
     * handle, its callback's end orphans this one before the lent handle is
     * reused */
    struct wg_host_handle *owner;
    bool borrowed;
    bool orphaned; /* the handle it was borrowed from was freed */
    bool spent;    /* its object was given to the module, which consumed it (`given`) */
    uint8_t lent;  /* C lent it to a callback that runs: 1, 2 once the host freed it (refused) */
} wg_host_handle;

typedef struct wg_host_res {
    wg_host_handle hd; /* first: owner points here */
    wg_sandbox *sb;    /* its instance's */
    uint32_t ptr;      /* the module's object */
    const char *type;  /* its resource type's name (wg_host_own: a new owner of another type ends it) */
    struct wg_host_res *prev, *next; /* sb->handles */
    uint32_t cb_id;    /* its callbacks' id (stored(self)), 0 until one is set */
    wg_host_cb *cbs;   /* those callbacks, by type - 1 */
    uint32_t ncbs;     /* how many are set */
    /* The runtime's indexes (wg_host_sandbox.c), so that making, re-parenting
     * and freeing a handle cost the same with 10 or 100,000 others: */
    struct wg_host_res *kids;            /* the handles whose owner is this one */
    struct wg_host_res *kprev, *knext;   /* ... siblings, in its owner's kids */
    struct wg_host_res *pprev, *pnext;   /* linked handles of the same ptr not orphaned (sb->byptr) */
    bool indexed;                        /* in sb->byptr */
} wg_host_res;

/* Is h the handle `of`, or borrowed from it (at any depth)? */
static inline bool wg_host_reaches(const wg_host_res *h, const wg_host_res *of) {
    for (const wg_host_handle *o = h != NULL ? &h->hd : NULL; o != NULL; o = o->owner)
        if (o == &of->hd)
            return true;
    return false;
}

/* Was h, or a handle it was borrowed from, orphaned, or given to the
 * module, which consumed it (then what was borrowed from it is gone too)? */
static inline bool wg_host_orphaned(const wg_host_handle *h) {
    for (; h != NULL; h = h->owner)
        if (h->orphaned || h->spent)
            return true;
    return false;
}

/* The handle behind v, a handle the host passes for a resource of type
 * `type` (`what`: the parameter): v itself, or, for the token of a handle C
 * lent to a callback that runs, that handle. The token of a callback that
 * returned, or of a lent handle the host freed, is a BAD_ARGUMENT failure.
 * Generated code passes every handle argument through it before anything
 * else reads it. */
static inline wg_host_res *wg_host_res_of(wg_sandbox *sb, const void *v, const char *type, const char *what);
/* Where lent handles' tokens are: WG_HOST_LENT_SPAN bytes from wg__lent_base
 * (0 until a handle is first lent in the process). */
#define WG_HOST_LENT_SPAN ((uintptr_t)1 << 32)
extern uintptr_t wg__lent_base;
/* wg_host_res_of for a token. */
wg_host_res *wg_host_res_lent(wg_sandbox *sb, const void *v, const char *type, const char *what);
static inline wg_host_res *wg_host_res_of(wg_sandbox *sb, const void *v, const char *type, const char *what) {
    uintptr_t base = __atomic_load_n(&wg__lent_base, __ATOMIC_RELAXED);
    if (__builtin_expect(base == 0 || (uintptr_t)v - base >= WG_HOST_LENT_SPAN, 1))
        return (wg_host_res *)(uintptr_t)v; /* not a token: the handle itself */
    return wg_host_res_lent(sb, v, type, what);
}
/* A handle the host passes for a resource of type `type`: its pointer (0
 * for a NULL that is `optional`); NULL, another instance's or an orphaned
 * handle is a BAD_ARGUMENT failure naming `what` (a lent handle's token as
 * wg_host_res_of judges it). */
uint32_t wg_host_borrow(wg_sandbox *sb, const wg_host_res *v, bool optional, const char *type, const char *what);
/* A handle whose object the module takes (`given`): as wg_host_borrow, and
 * it must own its object and not be what `to` (where the object goes, NULL
 * when consumed) belongs to. */
uint32_t wg_host_give(wg_sandbox *sb, const wg_host_res *v, bool optional, const wg_host_res *to, const char *type,
                      const char *what);
/* After the call succeeded: the module has v's object; v is borrowed from
 * `to` now, or spent (NULL). v NULL: nothing was given. */
void wg_host_given(wg_host_res *v, wg_host_res *to);
/* A pointer the module returned: a new handle (from wg_host_alloc: freed if
 * the call fails; NULL for 0 when `optional`, else BAD_RESULT). */
wg_host_res *wg_host_adopt(wg_sandbox *sb, uint32_t p, bool optional, const char *type);
/* A resource C passes a callback (`R *`): a borrowed handle, pushed on
 * sb->lent, and the token the host gets for it (NULL for 0 when `optional`,
 * else BAD_RESULT naming `what`). wg_host_lent_end(token), as the callback
 * returns, ends it: what was borrowed from it is orphaned (refused, as JS
 * refuses what was borrowed from a callback's resources), and the handle is
 * reused, unless it keeps callbacks (stored(self)) C may still call: then
 * it stays until the host frees its token. The token is refused from then
 * on. A call that fails ends the handles lent during it. */
wg_host_res *wg_host_lend(wg_sandbox *sb, uint32_t p, bool optional, const char *type, const char *what);
void wg_host_lent_end(wg_sandbox *sb, const void *token);
/* After the call that made it succeeded: v joins the instance's handles. */
void wg_host_link(wg_sandbox *sb, wg_host_res *v);
/* The same for a handle that owns its object, in a module that borrows: the
 * live handles borrowed for that object (from the handle it was taken from,
 * a `detach`) are borrowed from v from then on, so that freeing v orphans
 * them; those of another resource type are orphaned at once. */
void wg_host_own(wg_sandbox *sb, wg_host_res *v);
/* NAME_host_R_free: run the destructor (`drop`, as a call named `fn`; not
 * for a borrowed handle), orphan what was borrowed from it when the module
 * `borrows`, and free the handle (also when the destructor traps). A lent
 * handle's token: the handle is refused from then on, and given back as its
 * callback returns; after that, freeing its token releases the callbacks
 * the handle kept, if any, and does nothing more. */
int wg_host_res_free(wg_sandbox *sb, wg_host_res *self, const char *fn, const char *type, wg_host_body drop,
                     bool borrows);

/* The helpers generated code defines per type; some go unused. */
#if defined(__GNUC__)
#define WG_HOST_HELPER static __attribute__((unused))
#else
#define WG_HOST_HELPER static
#endif

/* ---- What every NAME_host.c says once, with its module's names */

/* The translated module: WG_HOST_MODULE(Z_hello, Z_wasmgenZ3Ahello, "hello")
 * with M wasm2c's prefix of the module (wasm2c -n NAME), I that of the
 * import module "wasmgen:NAME" (NAME_host.c defines its instance struct, the
 * module's way back to its host), and the module's name. It defines the
 * adapters the runtime calls the translation through (wg_sandbox_ops) and
 *
 *   static const wg_sandbox_ops *hs_module(void);
 *
 * which initialises the translation once per process and gives the ops
 * (with _initialize when the module is a reactor: a weak reference, NULL
 * otherwise).
 *
 * wasm2c's instantiate takes an instance for each module the .wasm imports
 * from (WASI's, the module's own imports), in the order of their names, and
 * only those it uses: _Generic picks the adapter of the translation's type,
 * the only one called. */
#define WG_HOST_MODULE(M, I, NAME)                                                                            \
    typedef struct Z_wasi_snapshot_preview1_instance_t *hs_wasi_t;                                            \
    typedef struct I##_instance_t *hs_imp_t;                                                                  \
    WG_HOST_HELPER void hs_inst0(void (*f)(M##_instance_t *), void *i, hs_wasi_t w, hs_imp_t p) {           \
        (void)w;                                                                                              \
        (void)p;                                                                                              \
        f(i);                                                                                                 \
    }                                                                                                         \
    WG_HOST_HELPER void hs_inst1(void (*f)(M##_instance_t *, hs_wasi_t), void *i, hs_wasi_t w, hs_imp_t p) { \
        (void)p;                                                                                              \
        f(i, w);                                                                                              \
    }                                                                                                         \
    WG_HOST_HELPER void hs_inst2(void (*f)(M##_instance_t *, hs_imp_t), void *i, hs_wasi_t w, hs_imp_t p) {  \
        (void)w;                                                                                              \
        f(i, p);                                                                                              \
    }                                                                                                         \
    WG_HOST_HELPER void hs_inst3(void (*f)(M##_instance_t *, hs_wasi_t, hs_imp_t), void *i, hs_wasi_t w,    \
                                 hs_imp_t p) {                                                                \
        f(i, w, p);                                                                                           \
    }                                                                                                         \
    WG_HOST_HELPER void hs_inst4(void (*f)(M##_instance_t *, hs_imp_t, hs_wasi_t), void *i, hs_wasi_t w,    \
                                 hs_imp_t p) {                                                                \
        f(i, p, w);                                                                                           \
    }                                                                                                         \
    static void hs_instantiate(void *inst, hs_wasi_t w, void *imp) {                                          \
        _Generic(&M##_instantiate,                                                                            \
            void (*)(M##_instance_t *): hs_inst0,                                                             \
            void (*)(M##_instance_t *, hs_wasi_t): hs_inst1,                                                  \
            void (*)(M##_instance_t *, hs_imp_t): hs_inst2,                                                   \
            void (*)(M##_instance_t *, hs_wasi_t, hs_imp_t): hs_inst3,                                        \
            void (*)(M##_instance_t *, hs_imp_t, hs_wasi_t): hs_inst4)                                        \
        (M##_instantiate, inst, w, imp);                                                                      \
    }                                                                                                         \
    void M##Z__initialize(M##_instance_t *) __attribute__((weak));                                            \
    static void hs_initialize(void *inst) { M##Z__initialize(inst); }                                         \
    static void hs_free_instance(void *inst) { M##_free(inst); }                                              \
    static wasm_rt_memory_t *hs_memory(void *inst) { return M##Z_memory(inst); }                              \
    static u32 hs_alloc(void *inst, u32 n) { return M##Z_wg_alloc(inst, n); }                                 \
    static void hs_free(void *inst, u32 p) { M##Z_wg_free(inst, p); }                                         \
    static u32 hs_stack_get(void *inst) { return M##Z_wg_stack_get(inst); }                                   \
    static void hs_stack_set(void *inst, u32 sp) { M##Z_wg_stack_set(inst, sp); }                             \
    static u32 hs_ret_stack(void *inst) { return M##Z_wg_ret_stack(inst); }                                   \
    static u32 hs_stats(void *inst) { return M##Z_wg_stats(inst); }                                           \
    static u32 hs_version(void *inst) { return M##Z_wg_version(inst); }                                       \
    static const wg_sandbox_ops *hs_module(void) {                                                            \
        static const wg_sandbox_ops ops[2] = {                                                                \
            {NAME, hs_instantiate, NULL, hs_free_instance, hs_memory, hs_alloc, hs_free, hs_stack_get,        \
             hs_stack_set, hs_ret_stack, hs_stats, hs_version},                                               \
            {NAME, hs_instantiate, hs_initialize, hs_free_instance, hs_memory, hs_alloc, hs_free,             \
             hs_stack_get, hs_stack_set, hs_ret_stack, hs_stats, hs_version},                                 \
        };                                                                                                    \
        static int done;                                                                                      \
        wg_host_init_module(&done, M##_init_module);                                                          \
        return &ops[M##Z__initialize != NULL];                                                                \
    }                                                                                                         \
    typedef int hs_module_defined_ /* the macro's use ends with a semicolon */

/* The functions NAME_host.h declares that are the same for every module:
 * NAME_host_free, _error, _error_code, _exit_code, _stats and _flush_output,
 * for the module NAME (its NAME_host struct has the sandbox as `sb`, and is
 * from malloc). */
#define WG_HOST_INSTANCE_API(NAME)                                                                        \
    void NAME##_host_free(NAME##_host *h) {                                                               \
        if (h == NULL)                                                                                    \
            return;                                                                                       \
        wg_sandbox_destroy(&h->sb);                                                                       \
        free(h);                                                                                          \
    }                                                                                                     \
    const char *NAME##_host_error(const NAME##_host *h) { return h ? h->sb.error : wg_host_last_error(); } \
    int32_t NAME##_host_error_code(const NAME##_host *h) { return h ? h->sb.error_code : 0; }             \
    int NAME##_host_exit_code(const NAME##_host *h) { return h ? h->sb.exit_code : -1; }                  \
    int NAME##_host_stats(NAME##_host *h, wg_host_stats *out) {                                           \
        return h ? wg_sandbox_stats(&h->sb, out) : WG_HOST_BAD_ARGUMENT;                                  \
    }                                                                                                     \
    void NAME##_host_flush_output(NAME##_host *h) {                                                       \
        if (h != NULL)                                                                                    \
            wg_sandbox_flush_output(&h->sb);                                                              \
    }                                                                                                     \
    typedef int NAME##_host_api_defined_ /* the macro's use ends with a semicolon */

/* An enum E of C type T, whose hs_enum_ok_E(int64_t) NAME_host.c defines:
 * hs_enum_in_E, a value the host passes (one of the enum's, or a
 * BAD_ARGUMENT failure), and hs_enum_out_E, a value the module gives (or a
 * BAD_RESULT failure). */
#define WG_HOST_ENUM(T, E)                                                                                  \
    WG_HOST_HELPER int32_t hs_enum_in_##E(wg_sandbox *sb, T v, const char *what) {                          \
        if (!hs_enum_ok_##E((int64_t)v))                                                                    \
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is %lld, not a value of enum " #E, what, (long long)v); \
        return (int32_t)v;                                                                                  \
    }                                                                                                       \
    WG_HOST_HELPER T hs_enum_out_##E(wg_sandbox *sb, u32 v, const char *what) {                             \
        if (!hs_enum_ok_##E((int32_t)v))                                                                    \
            wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module gave %d for %s, not a value of enum " #E,       \
                         (int)(int32_t)v, what);                                                            \
        return (T)(int32_t)v;                                                                               \
    }                                                                                                       \
    typedef int hs_enum_defined_##E /* the macro's use ends with a semicolon */

/* The same for a flag set E of C type T whose flags' bits are MASK: a value
 * with another bit (or, for a signed T, negative past 32 bits) is refused. */
#define WG_HOST_FLAGS(T, E, MASK)                                                                            \
    WG_HOST_HELPER int32_t hs_enum_in_##E(wg_sandbox *sb, T v, const char *what) {                          \
        int64_t w = (int64_t)v;                                                                             \
        if (w < INT32_MIN || w > (int64_t)UINT32_MAX || ((uint32_t)w & ~(uint32_t)(MASK)) != 0)             \
            wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, "%s is 0x%llx, with bits flags " #E " does not have (0x%x)", \
                         what, (unsigned long long)(uint32_t)w, (unsigned)((uint32_t)w & ~(uint32_t)(MASK)));    \
        return (int32_t)(uint32_t)w;                                                                        \
    }                                                                                                       \
    WG_HOST_HELPER T hs_enum_out_##E(wg_sandbox *sb, u32 v, const char *what) {                             \
        if ((v & ~(uint32_t)(MASK)) != 0)                                                                   \
            wg_host_fail(sb, WG_HOST_BAD_RESULT, "the module gave 0x%x for %s, with bits flags " #E " does not " \
                         "have (0x%x)", (unsigned)v, what, (unsigned)(v & ~(uint32_t)(MASK)));               \
        return (T)v;                                                                                        \
    }                                                                                                       \
    typedef int hs_flags_defined_##E /* the macro's use ends with a semicolon */

/* A struct S of C type T, SIZE bytes in wasm32, whose hs_write_S_S (host
 * value -> linear memory) and hs_read_S_S (linear memory -> host value, its
 * insides copied) NAME_host.c defines: hs_put_S_S, an argument image in
 * scratch memory; hs_take_S_S, a result read back; hs_take_SO_S, a struct
 * the module returned by pointer (NULL: none), read, then freed. */
#define WG_HOST_STRUCT(T, S, SIZE)                                             \
    WG_HOST_HELPER u32 hs_put_S_##S(wg_sandbox *sb, const T *v, const char *what) { \
        u32 p = wg_host_scratch(sb, (SIZE), what);                             \
        hs_write_S_##S(sb, p, v, what);                                        \
        return p;                                                              \
    }                                                                          \
    WG_HOST_HELPER void hs_take_S_##S(wg_sandbox *sb, u32 at, T *v, const char *what) { \
        hs_read_S_##S(sb, at, v, what);                                        \
    }                                                                          \
    WG_HOST_HELPER T *hs_take_SO_##S(wg_sandbox *sb, u32 p, const char *what) { \
        if (p == 0)                                                            \
            return NULL;                                                       \
        T *v = wg_host_alloc(sb, sizeof *v);                                   \
        (void)wg_host_ptr(sb, p, (SIZE), what);                                \
        hs_read_S_##S(sb, p, v, what);                                         \
        wg_host_module_free(sb, p);                                            \
        return v;                                                              \
    }                                                                          \
    typedef int hs_struct_defined_##S /* the macro's use ends with a semicolon */

/* Lists of that struct (S[], C type T_array) in the module NAME: hs_put_L_S,
 * the host's array copied in (NULL only when `optional`; an empty list is
 * not NULL), hs_take_L_S, the module's list copied out and freed, and
 * NAME_host_free_S_array, which frees what the host got. */
#define WG_HOST_LIST(NAME, T, S, SIZE)                                                                           \
    WG_HOST_HELPER u32 hs_put_L_##S(wg_sandbox *sb, const T *l, size_t n, bool optional, const char *what) {   \
        if (wg_host_none(sb, l, n, optional, what))                                                            \
            return 0;                                                                                          \
        u32 count = wg_host_len(sb, n, what);                                                                  \
        u32 p = wg_host_scratch(sb, (uint64_t)(count ? count : 1) * (SIZE), what);                            \
        for (u32 i = 0; i < count; i++)                                                                        \
            hs_write_S_##S(sb, p + i * (u32)(SIZE), &l[i], what);                                              \
        return p;                                                                                              \
    }                                                                                                          \
    WG_HOST_HELPER void hs_take_L_##S(wg_sandbox *sb, u32 at, T##_array *out, const char *what) {              \
        u32 p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);                                        \
        out->ptr = NULL;                                                                                       \
        out->len = 0;                                                                                          \
        if (p == 0)                                                                                            \
            return;                                                                                            \
        (void)wg_host_ptr(sb, p, (uint64_t)n * (SIZE), what);                                                  \
        wg_host_nest(sb, what);                                                                                \
        wg_host_copied(sb, (uint64_t)n * (SIZE), what);                                                        \
        T *v = wg_host_alloc(sb, (size_t)n * sizeof *v);                                                       \
        memset(v, 0, (size_t)n * sizeof *v);                                                                   \
        for (u32 i = 0; i < n; i++)                                                                            \
            hs_read_S_##S(sb, p + i * (u32)(SIZE), &v[i], what);                                               \
        wg_host_module_free(sb, p);                                                                            \
        out->ptr = v;                                                                                          \
        out->len = n;                                                                                          \
    }                                                                                                          \
    void NAME##_host_free_##S##_array(T##_array *list) {                                                       \
        if (list == NULL)                                                                                      \
            return;                                                                                            \
        for (size_t i = 0; i < list->len; i++)                                                                 \
            NAME##_host_free_##S(&list->ptr[i]);                                                               \
        free(list->ptr);                                                                                       \
        list->ptr = NULL;                                                                                      \
        list->len = 0;                                                                                         \
    }                                                                                                          \
    typedef int hs_list_defined_##S /* the macro's use ends with a semicolon */

/* ---- Imports: what a host import thunk needs */

/* A string argument the module passed: a host copy with its own NUL, in
 * `buf` when it fits (`cap` bytes), else from wg_host_alloc (the caller
 * gives it back with wg_host_release when it is not buf; if the call fails
 * first, the call's failure frees it). A bad pointer or length fails the
 * call (BAD_RESULT). */
char *wg_host_arg_str(wg_sandbox *sb, uint32_t p, uint32_t n, char *buf, size_t cap, const char *what);
/* A string[] argument (`n` pointers at `p`, each to a NUL-terminated string;
 * a NULL one is ""): host copies, as an array of `n` pointers and a NULL,
 * from wg_host_alloc (wg_host_release it). NULL for a NULL `p` when
 * `optional`, else an empty array. A bad pointer, or a string without its
 * NUL inside linear memory, fails the call (BAD_RESULT). */
char **wg_host_arg_strs(wg_sandbox *sb, uint32_t p, uint32_t n, bool optional, const char *what);
/* A numeric array argument: a pointer into linear memory, checked for bounds
 * and alignment, for the duration of the import. */
const void *wg_host_arg_arr(wg_sandbox *sb, uint32_t p, uint32_t n, size_t elem, const char *what);
/* A string an import or a callback returns: a NUL-terminated copy in the
 * module's memory (from its allocator: C frees it), or 0 for a NULL that is
 * `optional` (else a BAD_ARGUMENT failure, as JS throws a TypeError). */
uint32_t wg_host_ret_str(wg_sandbox *sb, const char *s, bool optional, const char *what);
/* A numeric array a callback returns (n elements of `elem` bytes at a, which
 * the host keeps): copied into the module's memory (from its allocator: C
 * frees it), its pointer and length stored at `at` (where C wants them; 0
 * and 0 for an empty array). NULL with n > 0 is a BAD_ARGUMENT failure; `at`
 * out of bounds a BAD_RESULT one, checked before anything is allocated. */
void wg_host_ret_arr(wg_sandbox *sb, uint32_t at, const void *a, size_t n, size_t elem, const char *what);

#ifdef __cplusplus
}
#endif
#endif /* WASMGEN_HOST_GLUE_H */
