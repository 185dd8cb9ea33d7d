// wasi_bad.c - a module importing WASI's fd_write with the wrong signature.
// Host code for it must not compile (check-host): wasmgen-wasi.h declares
// every WASI function, so the mismatch is a compile error.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) int bad_write(int fd);
__attribute__((export_name("f"))) int f(void) { return bad_write(1); }
