
// ==== errors.mjs - WasmgenError, and the errors about arguments: each a
// TypeError or RangeError naming the function and the parameter.

import { scalarTypes } from './types.mjs';

export const OUT_OF_MEMORY = 'out of wasm memory';

/**
 * The WasmArray class, for describe(), once a module with handles is
 * instantiated (handleFeature.lifetime): a module without handles ships none.
 */
export const handleClasses = { WasmArray: null };

/** An error a wasmgen module reports (as opposed to a TypeError or RangeError about arguments). */
export class WasmgenError extends Error {
  constructor(message, code = 0) {
    super(message);
    this.name = 'WasmgenError';
    this.code = code;
  }
}

/** The start of a message about parameter `param` of the function `fn`. */
export function paramOf(fn, param) { return `${fn}: parameter '${param}'`; }

/** What a value is, for error messages. */
export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an Array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (handleClasses.WasmArray !== null && v instanceof handleClasses.WasmArray) return `a WasmArray of ${v.type}`;
  switch (typeof v) {
    case 'string': return `a string`;
    case 'number': return `the number ${v}`;
    case 'bigint': return `the BigInt ${v}n`;
    case 'object': return `an object (${v.constructor?.name ?? 'null prototype'})`;
    default: return `${typeof v === 'undefined' ? '' : 'a '}${typeof v}`;
  }
}

/** A call with the wrong number of arguments. */
export function badArity(fn, expected, got) {
  throw new TypeError(`${fn}: expected ${expected} argument${expected === 1 ? '' : 's'}, got ${got}`);
}

/** The same, for a function whose last parameters are optional. */
export function badArityRange(fn, min, max, got) {
  throw new TypeError(`${fn}: expected ${min} to ${max} arguments (the last ones are optional), got ${got}`);
}

/** The same, for a function whose last argument may be an options object. */
export function badArityOpt(fn, expected, got) {
  throw new TypeError(`${fn}: expected ${expected} argument${expected === 1 ? '' : 's'} and an optional object of destinations, got ${got}`);
}

/** A scalar argument failed its check (the generated test, from types.def): say why. */
export function badScalar(type, v, fn, param) {
  const where = paramOf(fn, param);
  const { kind, min, max } = scalarTypes[type];
  // The wrong kind of value: a TypeError (a number is never the wrong kind for FLOAT).
  const want = kind === 'BOOL' ? 'boolean' : kind === 'BIG' ? 'bigint' : 'number';
  if (typeof v !== want) {
    throw new TypeError(`${where} must be ${kind === 'BOOL' ? 'a boolean'
      : `a ${kind === 'BIG' ? 'BigInt' : 'number'} (${type})`}; got ${describe(v)}`);
  }
  // The right kind, out of range: a RangeError.
  throw new RangeError(`${where} must be ${kind === 'INT53' ? `a safe integer (${type}), within ±(2^53 - 1)`
    : kind === 'INT' && !Number.isInteger(v) ? `an integer (${type})` : `a ${type} in [${min}, ${max}]`}; got ${v}`);
}

/** An import returned the wrong kind of value. */
export function badResult(fn, v, type) {
  throw new TypeError(`${fn} must return ${type === 'bool' ? 'a boolean' : `a ${type}`}; got ${describe(v)}`);
}
