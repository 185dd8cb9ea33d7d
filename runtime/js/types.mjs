
// ==== types.mjs - the scalar types, from their rows in tables.mjs (that is,
// compiler/types.def): ranges, element types of arrays, checking elements.

import { describe } from './errors.mjs';
import { SCALAR_TYPES } from './tables.mjs';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // Wasm memory is little-endian; typed arrays use the host's byte order.
  throw new Error('wasmgen: this JavaScript engine is big-endian, which is not supported');
}

/** The values a scalar type holds: [min, max] (BigInts for BIG; null for BOOL). */
function limits({ kind, size, signed }) {
  const bits = 8 * size;
  switch (kind) {
    case 'INT': return signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
    case 'BIG': {
      const b = BigInt(bits);
      return signed ? [-(2n ** (b - 1n)), 2n ** (b - 1n) - 1n] : [0n, 2n ** b - 1n];
    }
    case 'INT53': return [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    case 'FLOAT': return [-Infinity, Infinity];
    default: return [null, null];
  }
}

/** Every scalar type by IDL name: its row with `min` and `max`. */
export const scalarTypes = Object.freeze(Object.fromEntries(SCALAR_TYPES.map((row) => {
  const [min, max] = limits(row);
  if (row.Array !== null && row.Array.BYTES_PER_ELEMENT !== row.size)
    throw new Error(`wasmgen: compiler/types.def gives ${row.name} ${row.size} bytes but ${row.Array.name}`);
  return [row.name, Object.freeze({ ...row, min, max })];
})));

/** Element types of arrays, by IDL name: the scalar types with a typed array. */
export const types = Object.freeze(Object.fromEntries(Object.values(scalarTypes)
  .filter((s) => s.Array !== null)
  .map((s) => [s.name, Object.freeze({
    name: s.name, Array: s.Array, big: s.kind === 'BIG', min: s.min, max: s.max, size: s.size,
  })])));

/** Check the `n` elements of a JS array `v` passed as an array of `t`. */
export function checkElements(t, v, n, fn, param) {
  for (let i = 0; i < n; i++) {
    const e = v[i];
    if (t.big) {
      if (typeof e !== 'bigint') throw new TypeError(`${fn}: parameter '${param}'[${i}] must be a BigInt; got ${describe(e)}`);
      if (e < t.min || e > t.max) throw new RangeError(`${fn}: parameter '${param}'[${i}] must be in [${t.min}, ${t.max}]; got ${e}`);
    } else {
      if (typeof e !== 'number') throw new TypeError(`${fn}: parameter '${param}'[${i}] must be a number; got ${describe(e)}`);
      if (t.min !== -Infinity && (!Number.isInteger(e) || e < t.min || e > t.max))
        throw new RangeError(`${fn}: parameter '${param}'[${i}] must be a ${t.name} in [${t.min}, ${t.max}]; got ${e}`);
    }
  }
}
