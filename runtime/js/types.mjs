
// ==== types.mjs - the element types of arrays, and checking elements.

import { describe } from './errors.mjs';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // Wasm memory is little-endian; typed arrays use the host's byte order.
  throw new Error('wasmgen: this JavaScript engine is big-endian, which is not supported');
}

// ORDER TYPES: keep in step with compiler/types.def.
function elementType(name, Array, big, min, max) {
  return Object.freeze({
    name, Array, big, min, max,
    size: Array.BYTES_PER_ELEMENT,
    shift: Math.log2(Array.BYTES_PER_ELEMENT),
  });
}

/** Element types of arrays, by IDL name. */
export const types = Object.freeze({
  i8: elementType('i8', Int8Array, false, -0x80, 0x7f),
  u8: elementType('u8', Uint8Array, false, 0, 0xff),
  i16: elementType('i16', Int16Array, false, -0x8000, 0x7fff),
  u16: elementType('u16', Uint16Array, false, 0, 0xffff),
  i32: elementType('i32', Int32Array, false, -0x80000000, 0x7fffffff),
  u32: elementType('u32', Uint32Array, false, 0, 0xffffffff),
  i64: elementType('i64', BigInt64Array, true, -(2n ** 63n), 2n ** 63n - 1n),
  u64: elementType('u64', BigUint64Array, true, 0n, 2n ** 64n - 1n),
  f32: elementType('f32', Float32Array, false, -Infinity, Infinity),
  f64: elementType('f64', Float64Array, false, -Infinity, Infinity),
});

export const INTEGER_RANGES = {
  bool: null,
  i8: types.i8, u8: types.u8, i16: types.i16, u16: types.u16,
  i32: types.i32, u32: types.u32, i64: types.i64, u64: types.u64,
};

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
