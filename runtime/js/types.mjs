
// ==== types.mjs - the scalar types, from their rows in tables.mjs (that is,
// compiler/types.def): ranges, element types of arrays, checking elements.
// Its tables are built by calls marked pure (/* @__PURE__ */), so that a
// bundler drops them from a module that uses none.

import { badScalar } from './errors.mjs';
import { BIG, SCALAR_TYPES } from './tables.mjs';

/**
 * Every scalar type by IDL name: its row (with `min` and `max`, which
 * gen_tables.c computed, and checked its size against its typed array) and
 * `big` (a BigInt type).
 */
export const scalarTypes = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.fromEntries(/* @__PURE__ */ SCALAR_TYPES.map(
  (row) => [row.name, Object.freeze({ ...row, big: row.kind === BIG })])));

/** Element types of arrays, by IDL name: the scalar types with a typed array (the same objects). */
export const types = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ Object.entries(scalarTypes).filter(([, s]) => s.Array !== null)));

/** Check the `n` elements of a JS array `v` passed as an array of `t`. */
export function checkElements(t, v, n, fn, param) {
  for (let i = 0; i < n; i++) checkElement(t, v[i], i, fn, param);
}

/**
 * Check element `i`, value `e`, of an array-like passed as an array of `t`:
 * as a scalar parameter is checked, and refused with the same message
 * (badScalar), naming the element `param[i]`.
 */
export function checkElement(t, e, i, fn, param) {
  if (t.big ? typeof e !== 'bigint' || e < t.min || e > t.max
    : typeof e !== 'number' || (t.min !== -Infinity && (!Number.isInteger(e) || e < t.min || e > t.max)))
    badScalar(t.name, e, fn, `${param}[${i}]`);
}

// ---- Typed arrays, by their internal slots: a typed array's own `length`
// (or a subclass's getter) is not what it holds, and a getter must not run
// while an argument is copied. These are %TypedArray%.prototype's own.
const TYPED_ARRAY = /* @__PURE__ */ (() => Object.getPrototypeOf(Int8Array.prototype))();
const intrinsic = (key, get = true) => Object.getOwnPropertyDescriptor(TYPED_ARRAY, key)[get ? 'get' : 'value'];
const TA_LENGTH = /* @__PURE__ */ intrinsic('length'), TA_BUFFER = /* @__PURE__ */ intrinsic('buffer');
const TA_OFFSET = /* @__PURE__ */ intrinsic('byteOffset'), TA_TAG = /* @__PURE__ */ intrinsic(Symbol.toStringTag);
const TA_SET = /* @__PURE__ */ intrinsic('set', false);

/** A typed array's length, its buffer, its offset in it: from its internal slots. */
export function taLength(v) { return TA_LENGTH.call(v); }
export function taBuffer(v) { return TA_BUFFER.call(v); }
export function taOffset(v) { return TA_OFFSET.call(v); }
/** dst.set(src) with the intrinsic method (a subclass may override set). */
export function taCopy(dst, src) { TA_SET.call(dst, src); }

/**
 * The element type of `types` whose layout typed array `v` has: its own
 * class, a subclass of it or a Buffer (a Uint8Array), and Uint8ClampedArray
 * for u8 (the same bytes). undefined for other values.
 */
export function layoutOf(v) {
  const tag = TA_TAG.call(v);
  return tag === undefined ? undefined : LAYOUTS.get(tag);
}
const LAYOUTS = /* @__PURE__ */ (() => new Map([...Object.values(types).map((t) => [t.Array.name, t]),
  ['Uint8ClampedArray', types.u8]]))();
