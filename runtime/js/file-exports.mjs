
// ---- What a generated module imports from this file besides the classes
// above. --js-runtime=inline pastes everything but these lines, so that an
// inlined module exports what a module importing this file exports.
export { Runtime, types, scalars };
