
// ---- What a generated module (and wasmgen-wasi.mjs) imports from this file
// besides the classes above. --js-runtime=inline pastes everything but these lines, so that an
// inlined module exports what a module importing this file exports.
export { Runtime, types, scalars, describe, handleFeature, codecFeature, resourceFeature, scalarFeature, arrayFeature,
  arrayOptFeature, outFeature, resultFeature, throwsFeature, heapFeature, importFeature, callbackFeature, cstrsFeature };
