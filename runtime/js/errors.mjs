
// ==== errors.mjs - WasmgenError, and the errors about arguments: each a
// TypeError or RangeError naming the function and the parameter.

import { scalarTypes } from './types.mjs';
import { BIG, BOOL, INT, INT53 } from './tables.mjs';

export const OUT_OF_MEMORY = 'out of wasm memory';

/**
 * The WasmArray class, for describe(), once a module with handles is
 * instantiated (handleFeature.lifetime): a module without handles ships none
 * (and no value is an instance of the class here until then).
 */
export const handleClasses = { WasmArray: class {} };

/** An error a wasmgen module reports (as opposed to a TypeError or RangeError about arguments). */
export class WasmgenError extends Error {
  constructor(message, code = 0) {
    super(message);
    this.name = 'WasmgenError';
    this.code = code;
  }
}

/** C returned what JS cannot take (`what`, and why): a WasmgenError naming the function. */
export function badReturn(fn, what) {
  throw new WasmgenError(`${fn}: the module returned ${what}`);
}

/** Parameter `param` of the function `fn` is refused: "FN: parameter 'PARAM' WHAT", a TypeError (or `E`). */
export function badParam(fn, param, what, E = TypeError) {
  throw new E(`${fn}: parameter '${param}' ${what}`);
}

/** What a value is, for error messages. */
export function describe(v) {
  const t = typeof v;
  return v === null ? 'null' : Array.isArray(v) ? 'an Array' : ArrayBuffer.isView(v) ? `a ${v.constructor.name}`
    : v instanceof handleClasses.WasmArray ? `a WasmArray of ${v.type}`
    : t === 'number' ? `the number ${v}` : t === 'bigint' ? `the BigInt ${v}n`
    : t === 'object' ? `an object (${v.constructor?.name ?? 'null prototype'})` : t === 'undefined' ? t : `a ${t}`;
}

/**
 * A call with the wrong number of arguments: `expected`, a count (or a
 * range, as text), and `more`, what the call also takes (text).
 */
export function badArity(fn, expected, got, more = '') {
  throw new TypeError(`${fn}: expected ${expected} argument${expected === 1 ? '' : 's'}${more}, got ${got}`);
}

/** A scalar argument failed its check (the generated test, from types.def): say why. */
export function badScalar(type, v, fn, param) {
  const { kind, min, max } = scalarTypes[type];
  // The wrong kind of value: a TypeError (a number is never the wrong kind for FLOAT).
  const want = kind === BOOL ? 'boolean' : kind === BIG ? 'bigint' : 'number';
  if (typeof v !== want) {
    badParam(fn, param, `must be ${kind === BOOL ? 'a boolean'
      : `a ${kind === BIG ? 'BigInt' : 'number'} (${type})`}; got ${describe(v)}`);
  }
  // The right kind, out of range: a RangeError.
  badParam(fn, param, `must be ${kind === INT53 ? `a safe integer (${type}), within ±(2^53 - 1)`
    : kind === INT && !Number.isInteger(v) ? `an integer (${type})` : `a ${type} in [${min}, ${max}]`}; got ${v}`, RangeError);
}

/** An import returned the wrong kind of value. */
export function badResult(fn, v, type) {
  throw new TypeError(`${fn} must return ${type === 'bool' ? 'a boolean' : `a ${type}`}; got ${describe(v)}`);
}
