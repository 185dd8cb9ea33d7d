
// ==== codecs.mjs - how values of IDL types lie in wasm memory (the wasm32
// layout the glue pins with _Static_assert). A codec has `size`, `align`,
//   write(rt, addr, v, fn, path): check v and store it at addr, allocating
//       call temporaries for what it points to;
//   read(rt, addr, own): the JS value at addr; with `own`, the memory it
//       points to is the caller's to free (strings and lists are decoded and
//       freed, numeric arrays become WasmArray handles).
// Generated modules declare codecs for their structs, enums and lists.

import { badScalar, describe, WasmgenError } from './errors.mjs';
import { WasmArray } from './handles.mjs';
import { scalarTypes } from './types.mjs';

/** The codec of a scalar type (a row of scalarTypes). */
function scalarCodec(s) {
  const { name, kind, size, min, max } = s;
  let get, set, valid;
  switch (kind) {
    case 'BOOL':
      get = (rt, a) => rt.dv.getUint8(a) !== 0;
      set = (d, a, v) => d.setUint8(a, v ? 1 : 0);
      valid = (v) => typeof v === 'boolean';
      break;
    case 'INT53':
      get = (rt, a) => rt.i53(rt.dv.getBigInt64(a, true));
      set = (d, a, v) => d.setBigInt64(a, BigInt(v), true);
      valid = Number.isSafeInteger;
      break;
    default: {
      // The DataView accessors: getInt8, getBigUint64, getFloat32, ...
      const view = kind === 'FLOAT' ? `Float${8 * size}` : `${kind === 'BIG' ? 'Big' : ''}${s.signed ? 'Int' : 'Uint'}${8 * size}`;
      const getter = DataView.prototype[`get${view}`], setter = DataView.prototype[`set${view}`];
      get = (rt, a) => getter.call(rt.dv, a, true);
      set = (d, a, v) => setter.call(d, a, v, true);
      valid = kind === 'FLOAT' ? (v) => typeof v === 'number'
        : kind === 'BIG' ? (v) => typeof v === 'bigint' && v >= min && v <= max
          : (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
    }
  }
  return Object.freeze({
    name, size, align: size,
    write(rt, a, v, fn, path) {
      if (!valid(v)) badScalar(name, v, fn, path);
      set(rt.dv, a, v);
    },
    read(rt, a) { return get(rt, a); },
  });
}

/** Codecs of the scalar types, by IDL name. */
export const scalars = Object.freeze(Object.fromEntries(
  Object.values(scalarTypes).map((s) => [s.name, scalarCodec(s)])));

/** An enum: JS sees the value names as strings. */
export function enumCodec(name, values) {
  const byName = new Map(Object.entries(values));
  const byValue = new Map(Object.entries(values).map(([k, v]) => [v, k]));
  const list = [...byName.keys()].map((k) => `'${k}'`).join(', ');
  const codec = {
    name, size: 4, align: 4,
    /** The C value of a JS argument. */
    in(v, fn, path) {
      const n = typeof v === 'string' ? byName.get(v) : undefined;
      if (n === undefined)
        throw new TypeError(`${fn}: parameter '${path}' must be one of ${list} (enum ${name}); got ${describe(v)}`);
      return n;
    },
    /** The JS value of a C value. */
    out(n, fn) {
      const v = byValue.get(n);
      if (v === undefined) throw new WasmgenError(`${fn}: the module returned ${n}, which is not a value of enum ${name}`);
      return v;
    },
    write(rt, a, v, fn, path) { rt.dv.setInt32(a, codec.in(v, fn, path), true); },
    read(rt, a) { return codec.out(rt.dv.getInt32(a, true), name); },
  };
  return Object.freeze(codec);
}

/** A string field: pointer and length. */
export function stringCodec(optional) {
  return Object.freeze({
    size: 8, align: 4,
    write(rt, a, v, fn, path) {
      if (optional && v == null) { rt.dv.setUint32(a, 0, true); rt.dv.setUint32(a + 4, 0, true); return; }
      const p = rt.str(v, fn, path), n = rt.n;
      rt.dv.setUint32(a, p, true);
      rt.dv.setUint32(a + 4, n, true);
    },
    read(rt, a, own) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : '';
      const s = rt.decode(p, n);
      if (own) rt.exports.wg_free(p);
      return s;
    },
  });
}

/** A numeric array field: pointer and length; read back as a handle. */
export function arrayCodec(t, optional) {
  return Object.freeze({
    size: 8, align: 4,
    write(rt, a, v, fn, path) {
      const p = optional && v == null ? 0 : rt.arr(t, v, fn, path), n = p === 0 ? 0 : rt.n;
      rt.sync();
      rt.dv.setUint32(a, p, true);
      rt.dv.setUint32(a + 4, n, true);
    },
    read(rt, a, own) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : new WasmArray(rt, t, 0, 0);
      if (own) return new WasmArray(rt, t, p, n);
      return new t.Array(rt.buffer, p, n).slice();
    },
  });
}

/** A list: string[] or struct[], elements laid out one after another. */
export function listCodec(elem, optional) {
  const codec = {
    size: 8, align: 4,
    /** Build the list for a parameter; its length goes to rt.n. */
    pass(rt, v, fn, path) {
      if (optional && v == null) { rt.n = 0; return 0; }
      if (v === null || typeof v !== 'object' || typeof v.length !== 'number' || ArrayBuffer.isView(v) || v instanceof WasmArray)
        throw new TypeError(`${fn}: parameter '${path}' must be an array; got ${describe(v)}`);
      const n = v.length;
      const p = rt.arg(Math.max(n, 1) * elem.size, fn, path); // an empty list is not NULL
      rt.u8.fill(0, p, p + n * elem.size);
      for (let i = 0; i < n; i++) elem.write(rt, p + i * elem.size, v[i], fn, `${path}[${i}]`);
      rt.n = n;
      return p;
    },
    write(rt, a, v, fn, path) {
      const p = codec.pass(rt, v, fn, path), n = rt.n;
      rt.dv.setUint32(a, p, true);
      rt.dv.setUint32(a + 4, n, true);
    },
    read(rt, a, own) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : [];
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = elem.read(rt, p + i * elem.size, own);
      if (own) rt.exports.wg_free(p);
      return out;
    },
    /** A list C returned, in the return area at `a`. */
    take(rt, a) { rt.sync(); return codec.read(rt, a, true); },
  };
  return Object.freeze(codec);
}

/** A struct: declared first (so structs can refer to each other), then defined. */
export function structCodec(name, size, align) {
  let fields = [];
  const codec = {
    name, size, align,
    define(list) { fields = list.map(([js, c, offset]) => ({ js, c, offset })); },
    write(rt, a, v, fn, path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw new TypeError(`${fn}: parameter '${path}' must be an object (struct ${name}); got ${describe(v)}`);
      for (const f of fields) f.c.write(rt, a + f.offset, v[f.js], fn, `${path}.${f.js}`);
    },
    read(rt, a, own) {
      const o = {};
      for (const f of fields) o[f.js] = f.c.read(rt, a + f.offset, own);
      return o;
    },
    /** Build a struct for a parameter: its address. */
    pass(rt, v, fn, path) {
      const p = rt.arg(size, fn, path);
      rt.sync();
      rt.u8.fill(0, p, p + size);
      codec.write(rt, p, v, fn, path);
      return p;
    },
    /** A struct C returned by value, in the return area at `a`. */
    take(rt, a) {
      rt.sync();
      return codec.read(rt, a, true);
    },
    /** struct?: null passes NULL; a result comes by a pointer (NULL: null). */
    nullable() {
      return Object.freeze({
        pass: (rt, v, fn, path) => (v == null ? 0 : codec.pass(rt, v, fn, path)),
        take(rt, a) {
          rt.sync();
          const p = rt.dv.getUint32(a, true);
          if (p === 0) return null;
          const o = codec.read(rt, p, true);
          rt.exports.wg_free(p);
          return o;
        },
      });
    },
  };
  return codec;
}

/** T? of a scalar: a pointer to the value (or NULL) in; { has, value } out. */
export function optionalCodec(scalar) {
  const offset = scalar.align; // wg_opt_T: bool has; T value;
  return Object.freeze({
    pass(rt, v, fn, path) {
      if (v == null) return 0;
      const p = rt.arg(8, fn, path);
      rt.sync();
      scalar.write(rt, p, v, fn, path);
      return p;
    },
    take(rt, a) {
      rt.sync();
      return rt.dv.getUint8(a) !== 0 ? scalar.read(rt, a + offset) : null;
    },
  });
}
