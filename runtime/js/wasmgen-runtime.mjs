// wasmgen-runtime.mjs - the JS runtime every wasmgen-generated module uses.
//
// It owns the instance's memory views (rebuilt when memory grows), the
// FinalizationRegistry, the handle classes for buffers and C objects, and
// the marshalling helpers generated code calls. Generated code stays short
// and leans on this file; see compiler/emit_js.c for the other half.
//
// Conventions: every address is an unsigned 32-bit number (`>>> 0`), every
// error names the JS function and parameter, and every temporary wasm
// allocation a call makes is registered between enter() and release() so
// that a throw anywhere frees it.
//
// This file is joined from the parts in runtime/js/ by runtime/js/join.sh,
// one part per job, in this order; edit the parts, not the joined file.
// The codecs (structs, enums, lists, optionals) and WASI are joined apart
// (wasmgen-codecs.mjs, wasmgen-wasi.mjs): --js-runtime=inline pastes the
// codecs only into a module that has some, and instantiate() loads WASI (and
// the import object) only for a wasm module that imports WASI or raw imports.
//@public WasmArray WasmgenError Resource
//@include tables.mjs
//@include types.mjs
//@include errors.mjs
//@include handles.mjs
//@include callbacks.mjs
//@include lifetime.mjs
//@include runtime.mjs
//@include features.mjs
//@include handle-features.mjs
//@include instantiate.mjs
