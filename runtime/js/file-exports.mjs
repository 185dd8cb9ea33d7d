
// ---- What only the file has. What a generated module (and wasmgen-wasi.mjs) imports from it
// besides the classes above; --js-runtime=inline pastes everything but these lines, so that an
// inlined module exports what a module importing this file exports.
export { Runtime, types, scalars, describe, handleFeature, noHandleFeature, codecFeature, flagsFeature, resourceFeature, scalarFeature,
  scalarCallFeature, arrayFeature, arrayResultFeature, arrayOptFeature, inoutFeature, outFeature, strOptFeature, resultFeature, throwsFeature,
  heapFeature, importFeature, callbackFeature,
  cstrsFeature, followFeature };
/** The part unfreed.mjs, beside this file (see Lifetime.#loadPart; inline mode pastes it); bundlers make it a chunk. */
function loadUnfreed() { return import('./wasmgen-unfreed.mjs'); }
