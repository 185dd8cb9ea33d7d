/* wg_host_internal.h - what the host runtime's files share; not for users. */
#ifndef WG_HOST_INTERNAL_H
#define WG_HOST_INTERNAL_H

#include <stdatomic.h>

#include "wasmgen-host-glue.h"

#define WG_TRAP_HOST WG_HOST_FAIL_REASON

typedef wg_host_frame wg_frame;


/* Jump to `f` for `reason`; never returns. */
WASM_RT_NO_RETURN void wg__unwind(wg_frame *f, int reason);

/* Before the first call on a thread: the signal handlers (once per process),
 * this thread's alternate signal stack and stack bounds. */
void wg__thread_setup(void);
/* Bytes of native stack left below the caller, on this thread. */
size_t wg__stack_left(void);

/* The WASI side of a sandbox (wg_host_wasi.c). */
int wg__wasi_init(wg_sandbox *sb, const wg_host_options *o);
void wg__wasi_free(wg_sandbox *sb);

/* Callbacks kept past their call (wg_host_rt.c): a resource handle's,
 * released as it is freed; all of them, with the instance. */
void wg_host_cb_disown(wg_sandbox *sb, wg_host_res *owner);
void wg__kept_free(wg_sandbox *sb);

/* End the handles lent above `mark` on sb->lent (wg_host_sandbox.c): a
 * call that ends with some still lent failed inside a callback's thunk. */
void wg__lent_unwind(wg_sandbox *sb, uint32_t mark);

/* The count of handles lent in the process, whose serials the tokens are
 * (wg_host_sandbox.c; tests set it to reach where it wraps around). */
extern atomic_ullong wg__lent_next;

/* Format into sb->error, after "fn: " (the module's name for NULL). */
void wg__message(wg_sandbox *sb, const char *fn, const char *fmt, va_list ap);
void wg__messagef(wg_sandbox *sb, const char *fn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
