/*
 * wasmgen-wasi.h - every function of WASI preview 1, as wasm2c names and
 * types the imports of module "wasi_snapshot_preview1".
 *
 * The host runtime defines all of them (wg_host_wasi.c). Generated host code
 * includes this header after the wasm2c header of the module: a module
 * importing a WASI function with another signature is then a compile error,
 * not a call with the wrong arguments.
 */
#ifndef WASMGEN_WASI_H
#define WASMGEN_WASI_H

#include <stdint.h>

#ifndef WASM_RT_CORE_TYPES_DEFINED
#define WASM_RT_CORE_TYPES_DEFINED
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct wg_sandbox;

/* The "instance" of the WASI module, which wasm2c passes to every WASI
 * import: the sandbox whose module called. */
struct Z_wasi_snapshot_preview1_instance_t {
    struct wg_sandbox *sandbox;
};

#define WG_WASI_I struct Z_wasi_snapshot_preview1_instance_t *

/* X(result, name, parameters after the instance), in the order of the WASI
 * preview 1 specification. A result of void is proc_exit's. */
#define WG_WASI_FUNCTIONS(X)                                                        \
    X(u32, args_get, (WG_WASI_I, u32, u32))                                         \
    X(u32, args_sizes_get, (WG_WASI_I, u32, u32))                                   \
    X(u32, environ_get, (WG_WASI_I, u32, u32))                                      \
    X(u32, environ_sizes_get, (WG_WASI_I, u32, u32))                                \
    X(u32, clock_res_get, (WG_WASI_I, u32, u32))                                    \
    X(u32, clock_time_get, (WG_WASI_I, u32, u64, u32))                              \
    X(u32, fd_advise, (WG_WASI_I, u32, u64, u64, u32))                              \
    X(u32, fd_allocate, (WG_WASI_I, u32, u64, u64))                                 \
    X(u32, fd_close, (WG_WASI_I, u32))                                              \
    X(u32, fd_datasync, (WG_WASI_I, u32))                                           \
    X(u32, fd_fdstat_get, (WG_WASI_I, u32, u32))                                    \
    X(u32, fd_fdstat_set_flags, (WG_WASI_I, u32, u32))                              \
    X(u32, fd_fdstat_set_rights, (WG_WASI_I, u32, u64, u64))                        \
    X(u32, fd_filestat_get, (WG_WASI_I, u32, u32))                                  \
    X(u32, fd_filestat_set_size, (WG_WASI_I, u32, u64))                             \
    X(u32, fd_filestat_set_times, (WG_WASI_I, u32, u64, u64, u32))                  \
    X(u32, fd_pread, (WG_WASI_I, u32, u32, u32, u64, u32))                          \
    X(u32, fd_prestat_get, (WG_WASI_I, u32, u32))                                   \
    X(u32, fd_prestat_dir_name, (WG_WASI_I, u32, u32, u32))                         \
    X(u32, fd_pwrite, (WG_WASI_I, u32, u32, u32, u64, u32))                         \
    X(u32, fd_read, (WG_WASI_I, u32, u32, u32, u32))                                \
    X(u32, fd_readdir, (WG_WASI_I, u32, u32, u32, u64, u32))                        \
    X(u32, fd_renumber, (WG_WASI_I, u32, u32))                                      \
    X(u32, fd_seek, (WG_WASI_I, u32, u64, u32, u32))                                \
    X(u32, fd_sync, (WG_WASI_I, u32))                                               \
    X(u32, fd_tell, (WG_WASI_I, u32, u32))                                          \
    X(u32, fd_write, (WG_WASI_I, u32, u32, u32, u32))                               \
    X(u32, path_create_directory, (WG_WASI_I, u32, u32, u32))                       \
    X(u32, path_filestat_get, (WG_WASI_I, u32, u32, u32, u32, u32))                 \
    X(u32, path_filestat_set_times, (WG_WASI_I, u32, u32, u32, u32, u64, u64, u32)) \
    X(u32, path_link, (WG_WASI_I, u32, u32, u32, u32, u32, u32, u32))               \
    X(u32, path_open, (WG_WASI_I, u32, u32, u32, u32, u32, u64, u64, u32, u32))     \
    X(u32, path_readlink, (WG_WASI_I, u32, u32, u32, u32, u32, u32))                \
    X(u32, path_remove_directory, (WG_WASI_I, u32, u32, u32))                       \
    X(u32, path_rename, (WG_WASI_I, u32, u32, u32, u32, u32, u32))                  \
    X(u32, path_symlink, (WG_WASI_I, u32, u32, u32, u32, u32))                      \
    X(u32, path_unlink_file, (WG_WASI_I, u32, u32, u32))                            \
    X(u32, poll_oneoff, (WG_WASI_I, u32, u32, u32, u32))                            \
    X(void, proc_exit, (WG_WASI_I, u32))                                            \
    X(u32, proc_raise, (WG_WASI_I, u32))                                            \
    X(u32, sched_yield, (WG_WASI_I))                                                \
    X(u32, random_get, (WG_WASI_I, u32, u32))                                       \
    X(u32, sock_accept, (WG_WASI_I, u32, u32, u32))                                 \
    X(u32, sock_recv, (WG_WASI_I, u32, u32, u32, u32, u32, u32))                    \
    X(u32, sock_send, (WG_WASI_I, u32, u32, u32, u32, u32))                         \
    X(u32, sock_shutdown, (WG_WASI_I, u32, u32))

#define WG_WASI_DECLARE(result, name, params) result Z_wasi_snapshot_preview1Z_##name params;
WG_WASI_FUNCTIONS(WG_WASI_DECLARE)
#undef WG_WASI_DECLARE

#ifdef __cplusplus
}
#endif
#endif /* WASMGEN_WASI_H */
