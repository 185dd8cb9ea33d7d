/*
 * wasmgen-host.h - what a native program sees of a wasmgen module it runs
 * through wasm2c (`wasmgen --emit host`): the statuses every NAME_host_*
 * function returns, and the options of NAME_host_new.
 *
 * The module runs in a sandbox: its own linear memory (a reservation of
 * 8 GiB of address space, guard pages around what it uses), its own stack
 * pointer, and nothing from it is trusted. See the README, "Native host".
 */
#ifndef WASMGEN_HOST_H
#define WASMGEN_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasmgen.h" /* wg_str, wg_T_array, wg_opt_T: the types results come in */

#ifdef __cplusplus
extern "C" {
#endif

/* What a NAME_host_* function returns; NAME_host_error() gives the message. */
enum {
    WG_HOST_OK = 0,
    /* The module trapped: an out-of-bounds access, unreachable, a division
     * by zero, an invalid indirect call, its stack exhausted. The call is
     * abandoned (its temporaries freed); the instance stays usable. */
    WG_HOST_TRAP = 1,
    /* The module returned something the host refuses: a pointer or length
     * outside its memory, a byte size that overflows, a misaligned view, an
     * enum value the enum does not have, a NULL resource, an i53 that is
     * not a safe integer. Nothing of the result is kept. */
    WG_HOST_BAD_RESULT = 2,
    /* A function declared `throws` failed: NAME_host_error_code() is the
     * code C passed to wg_fail, NAME_host_error() its message. */
    WG_HOST_FAILED = 3,
    /* The module called exit(): NAME_host_exit_code() is its status. The
     * instance is dead; every later call returns WG_HOST_EXITED again. */
    WG_HOST_EXITED = 4,
    /* Memory ran out: the module's (its limit, or 4 GiB) or the host's. */
    WG_HOST_NO_MEMORY = 5,
    /* The host passed something invalid: NULL where a value is needed, a
     * length above 2^32 - 1, an enum value out of range, a resource handle
     * of another instance or already freed, a missing import. */
    WG_HOST_BAD_ARGUMENT = 6
};

/* Receives one line the module printed, without its "\n" (or "\r\n"). The
 * bytes are the module's, not necessarily UTF-8; line[len] is a NUL the
 * host adds. */
typedef void (*wg_host_line_fn)(void *user, const char *line, size_t len);

typedef struct wg_host_options {
    /* The whole environment getenv() sees in the module: "NAME=value"
     * strings, NULL-terminated (copied). NULL: an empty environment. */
    const char *const *env;
    /* stdout and stderr, line by line. NULL: written to the host's own
     * stdout and stderr, with a newline. */
    wg_host_line_fn out;
    wg_host_line_fn err;
    void *user; /* passed to out and err */
    /* The most linear memory the module may have, in bytes (rounded down to
     * 64 KiB pages). 0: the module's own maximum, at most 4 GiB - 64 KiB. */
    uint64_t memory_limit;
} wg_host_options;

/* The module's allocator counters (runtime/wasmgen.h's wg_stats, from
 * inside the sandbox: as trustworthy as the module). */
typedef struct wg_host_stats {
    uint64_t live_count;   /* blocks allocated and not yet freed */
    uint64_t live_bytes;   /* usable bytes in those blocks */
    uint64_t peak_bytes;   /* highest live_bytes ever seen */
    uint64_t heap_bytes;   /* bytes the allocator has taken from linear memory */
    uint64_t total_allocs; /* successful allocations, ever */
    uint64_t total_frees;  /* frees of non-NULL pointers, ever */
    uint64_t queue_frees;  /* of those, frees through the free-on-finalize queue */
    uint64_t live_callbacks; /* host functions C may call: the calls in progress', the
                                wg_host_callbacks', the resource handles' (stored(self)) */
    uint64_t live_handles;   /* resource handles the host holds: made and not yet freed,
                                those C lends the callbacks running, and lent ones kept
                                for the callbacks they hold (until their token is freed) */
} wg_host_stats;

/* A host function C may call after the call that passed it (a `stored`
 * callback parameter): made by NAME_host_callback_T(), passed to the calls
 * that store it, and released by NAME_host_callback_free() (or the
 * instance's end). Once released, C calling it fails that call
 * (WG_HOST_BAD_RESULT) instead of calling the function. */
typedef struct wg_host_callback wg_host_callback;

/* The name of a status ("trap", "bad result", ...). */
const char *wg_host_status_name(int status);

/* Free a string[] a NAME_host_* function returned: every string, then the
 * array. */
void wg_host_free_strs(wg_str_array *list);

#ifdef __cplusplus
}
#endif
#endif /* WASMGEN_HOST_H */
