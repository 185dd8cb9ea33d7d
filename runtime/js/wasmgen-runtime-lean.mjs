// ---- The wasmgen JS runtime without handles: what --js-runtime=inline pastes
// into a module whose JS can meet no handle (numbers and strings only).
//@ Joined by runtime/js/join.sh from the parts of wasmgen-runtime.mjs that
//@ do not lean on handles: the core and the features without them. join.sh
//@ refuses an import from a part not listed here, so none of these parts can
//@ come to need a handle's part unnoticed.
//@public WasmgenError
//@include tables.mjs
//@include types.mjs
//@include errors.mjs
//@include runtime.mjs
//@include features.mjs
//@include instantiate.mjs
