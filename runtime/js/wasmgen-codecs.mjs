// ---- The codecs: how structs, enums, lists and optional values lie in wasm
// memory (codecs.mjs).
//@ Joined by runtime/js/join.sh apart from the rest of the runtime: the file
//@ wasmgen-runtime.mjs holds it, and --js-runtime=inline pastes it only into
//@ a module with structs, enums, lists or optional values.
//@check tables.mjs
//@check types.mjs
//@check errors.mjs
//@check handles.mjs
//@check lifetime.mjs
//@check runtime.mjs
//@check features.mjs
//@check handle-features.mjs
//@check instantiate.mjs
//@include codecs.mjs
