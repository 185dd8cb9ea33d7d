// wasmgen-unfreed.mjs - what the JS runtime needs only for handles nobody
// frees (the warning, the help V8 needs to collect them in time) and
// options.debug's tools (m.leaks()). The runtime loads it once unfreed
// handles hold 16 MiB, or at instantiate() for options.debug, a
// gcPressure above 0 or a warnBytes under 16 MiB: a program that frees its
// handles never loads it.
//@ Joined by runtime/js/join.sh from the part unfreed.mjs; the other parts
//@ are checked (it uses none of their names: the Lifetime gives it what it
//@ needs), not copied. --js-runtime=inline pastes this text after the
//@ runtime's, with the loadUnfreed() the runtime calls; the file
//@ wasmgen-unfreed.mjs is it then runtime/js/unfreed-file-tail.mjs, loaded
//@ by the loadUnfreed() of the runtime file's tail (runtime/js/file-exports.mjs).
//@check tables.mjs
//@check types.mjs
//@check errors.mjs
//@check handles.mjs
//@check callbacks.mjs
//@check lifetime.mjs
//@check runtime.mjs
//@check features.mjs
//@check handle-features.mjs
//@check instantiate.mjs
//@include unfreed.mjs
