// wasmgen-wasi.mjs - WASI preview 1 for wasmgen modules whose C uses it
// (stdio, clocks, randomness, the environment, exit), or node:wasi's through
// options.wasi, and the import object of a wasm module that imports more
// than its declared imports (WASI, options.wasmImports). instantiate() loads
// it only when the wasm module imports such or options.wasi is given: a
// module importing nothing else never loads it.
//@ Joined by runtime/js/join.sh from the part wasi.mjs; the other parts are
//@ checked (it imports from them), not copied. --js-runtime=inline pastes
//@ this text after the runtime's; the file wasmgen-wasi.mjs is it between
//@ runtime/js/wasi-file-head.mjs and runtime/js/wasi-file-tail.mjs.
//@check tables.mjs
//@check types.mjs
//@check errors.mjs
//@check handles.mjs
//@check lifetime.mjs
//@check runtime.mjs
//@check features.mjs
//@check handle-features.mjs
//@check instantiate.mjs
//@include wasi.mjs
