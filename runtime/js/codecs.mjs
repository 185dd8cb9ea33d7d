
// ==== codecs.mjs - how values of IDL types lie in wasm memory (the wasm32
// layout the glue pins with _Static_assert). A codec has `size`, `align`,
//   write(rt, addr, v, fn, path): check v and store it at addr, allocating
//       call temporaries for what it points to. Each JS value is read once
//       (a getter may run, and grow memory: views are synced after);
//   read(rt, addr, own, fn): the JS value at addr; with `own`, the memory it
//       points to is the caller's to free: strings and lists are decoded and
//       freed, numeric arrays become WasmArray handles, each after the
//       checks of rt.owns (ownBlock), and every pointer taken is zeroed at addr.
//       A read that throws has freed everything at addr first, and its
//       error names the function `fn`;
//   drop(rt, addr): free, unread, what an owned value at addr still points
//       to (for a failed call's result).
// Generated modules declare codecs for their structs, enums and lists.

import { badParam, badScalar, describe, WasmgenError } from './errors.mjs';
import { freeAll, newArray } from './handles.mjs';
import { member, resultFeature } from './features.mjs';
import { arrayFeature, arrayResultFeature, budget, listLength } from './handle-features.mjs';
import { scalarTypes } from './types.mjs';
import { BIG, BOOL, FLOAT, INT53 } from './tables.mjs';

/** The codec of a scalar type (a row of scalarTypes). */
function scalarCodec(s) {
  const { name, kind, size, min, max } = s;
  let get, set, valid;
  switch (kind) {
    case BOOL:
      get = (rt, a) => rt.dv.getUint8(a) !== 0;
      set = (d, a, v) => d.setUint8(a, v ? 1 : 0);
      valid = (v) => typeof v === 'boolean';
      break;
    case INT53:
      get = (rt, a, fn) => rt.i53(rt.dv.getBigInt64(a, true), fn);
      set = (d, a, v) => d.setBigInt64(a, BigInt(v), true);
      valid = Number.isSafeInteger;
      break;
    default: {
      // The DataView accessors: getInt8, getBigUint64, getFloat32, ...
      const view = kind === FLOAT ? `Float${8 * size}` : `${kind === BIG ? 'Big' : ''}${min < 0 ? 'Int' : 'Uint'}${8 * size}`;
      const getter = DataView.prototype[`get${view}`], setter = DataView.prototype[`set${view}`];
      get = (rt, a) => getter.call(rt.dv, a, true);
      set = (d, a, v) => setter.call(d, a, v, true);
      valid = kind === FLOAT ? (v) => typeof v === 'number'
        : kind === BIG ? (v) => typeof v === 'bigint' && v >= min && v <= max
          : (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
    }
  }
  return Object.freeze({
    name, size, align: size,
    write(rt, a, v, fn, path) {
      if (!valid(v)) badScalar(name, v, fn, path);
      rt.sync();
      set(rt.dv, a, v);
    },
    read(rt, a, own, fn) { return get(rt, a, fn); },
  });
}

/** Codecs of the scalar types, by IDL name. (Pure: a bundler drops them from a module without codecs.) */
export const scalars = /* @__PURE__ */ (() => Object.freeze(Object.fromEntries(
  Object.values(scalarTypes).map((s) => [s.name, scalarCodec(s)]))))();

/**
 * `codec` (an enum's, a flag set's: in() and out() over a 32-bit C value)
 * with its field's write and read, frozen. (A flag set's bits are written
 * and read as an int32: out() takes them unsigned.)
 */
function word(codec) {
  codec.write = (rt, a, v, fn, path) => {
    const n = codec.in(v, fn, path);
    rt.sync();
    rt.dv.setInt32(a, n, true);
  };
  codec.read = (rt, a, own, fn) => codec.out(rt.dv.getInt32(a, true), fn);
  return Object.freeze(codec);
}

/** An enum: JS sees the value names as strings. */
export function enumCodec(name, values) {
  const byName = new Map(Object.entries(values));
  const byValue = new Map(Object.entries(values).map(([k, v]) => [v, k]));
  // Values 0 .. k-1 (the common case) by index: no Map lookup.
  const dense = [];
  while (byValue.has(dense.length) && dense.length < 4096) dense.push(byValue.get(dense.length));
  const list = [...byName.keys()].map((k) => `'${k}'`).join(', ');
  const codec = {
    name, size: 4, align: 4,
    /** The C value of a JS argument. */
    in(v, fn, path) {
      const n = typeof v === 'string' ? byName.get(v) : undefined;
      if (n === undefined)
        badParam(fn, path, `must be one of ${list} (enum ${name}); got ${describe(v)}`);
      return n;
    },
    /** The JS value of a C value. */
    out(n, fn) {
      const v = n >= 0 && n < dense.length ? dense[n] : byValue.get(n);
      if (v === undefined) throw new WasmgenError(`${fn}: the module returned ${n}, which is not a value of enum ${name}`);
      return v;
    },
  };
  return word(codec);
}

/**
 * A flag set: JS passes a list of the flags' names (or a number of their
 * bits) and gets back the list of those set, in declaration order (a flag
 * of several bits when all of them are set; a flag of none, never).
 */
export function flagsCodec(name, values) {
  const entries = Object.entries(values), byName = new Map(entries);
  let mask = 0;
  for (const [, b] of entries) mask = (mask | b) >>> 0;
  const list = entries.map(([k]) => `'${k}'`).join(', ');
  const codec = {
    name, size: 4, align: 4,
    /** The C value of a JS argument: its bits. */
    in(v, fn, path) {
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff || ((v & ~mask) >>> 0) !== 0)
          badParam(fn, path, `must be a number of the bits of flags ${name} (0x${mask.toString(16)}); got ${v}`, RangeError);
        return v;
      }
      // A list: its length and each element read once.
      const n = v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) ? v.length : undefined;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        badParam(fn, path, `must be a list of ${list} (flags ${name}), or a number; got ${describe(v)}`);
      let bits = 0;
      for (let i = 0; i < n; i++) {
        const e = v[i], b = typeof e === 'string' ? byName.get(e) : undefined;
        if (b === undefined)
          badParam(fn, `${path}[${i}]`, `must be one of ${list} (flags ${name}); got ${describe(e)}`);
        bits |= b;
      }
      return bits >>> 0;
    },
    /** The JS value of a C value: the names of the flags set. */
    out(n, fn) {
      n >>>= 0;
      const unknown = (n & ~mask) >>> 0;
      if (unknown !== 0)
        throw new WasmgenError(`${fn}: the module returned 0x${n.toString(16)}, with bits flags ${name} does not ` +
          `have (0x${unknown.toString(16)})`);
      const names = [];
      for (const [k, b] of entries) if (b !== 0 && ((n & b) >>> 0) === b) names.push(k);
      return names;
    },
  };
  return word(codec);
}


/** Zero the pointer and length at a (what an owned read took). */
function taken(rt, a) {
  rt.dv.setUint32(a, 0, true);
  rt.dv.setUint32(a + 4, 0, true);
}

/** A string field: pointer and length. */
export function stringCodec(optional) {
  return Object.freeze({
    size: 8, align: 4,
    write(rt, a, v, fn, path) {
      let p = 0, n = 0;
      if (!(optional && v == null)) {
        p = rt.str(v, fn, path);
        n = rt.n;
      }
      rt.sync();
      rt.dv.setUint32(a, p, true);
      rt.dv.setUint32(a + 4, n, true);
    },
    read(rt, a, own, fn) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : '';
      if (!own) {
        budget(rt, n);
        return rt.decode(p, n);
      }
      taken(rt, a);
      return rt.ownStr(p, n, fn);
    },
    drop(rt, a) {
      const p = rt.dv.getUint32(a, true);
      taken(rt, a);
      if (p !== 0 && rt.givable(p, 1)) rt.exports.wg_free(p); // (not JS's: a handle's, an argument's)
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
    read(rt, a, own, fn) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : newArray(rt, t, 0, 0);
      if (!own) {
        budget(rt, n * t.size);
        return new t.Array(new t.Array(rt.buffer, p, n));
      }
      taken(rt, a);
      return rt.ownArr(t, p, n, fn);
    },
    drop(rt, a) {
      const p = rt.dv.getUint32(a, true);
      taken(rt, a);
      if (p !== 0 && rt.givable(p, 1)) rt.exports.wg_free(p); // (not JS's: a handle's, an argument's)
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
      const n = listLength(v);
      if (n < 0) badParam(fn, path, `must be an array; got ${describe(v)}`);
      const p = rt.arg(Math.max(n, 1) * elem.size, fn, path); // an empty list is not NULL
      rt.sync();
      rt.u8.fill(0, p, p + n * elem.size);
      for (let i = 0; i < n; i++) elem.write(rt, p + i * elem.size, v[i], fn, `${path}[${i}]`);
      rt.n = n;
      return p;
    },
    write(rt, a, v, fn, path) {
      const p = codec.pass(rt, v, fn, path), n = rt.n;
      rt.sync();
      rt.dv.setUint32(a, p, true);
      rt.dv.setUint32(a + 4, n, true);
    },
    read(rt, a, own, fn) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      if (p === 0) return optional ? null : [];
      if (!own) budget(rt, n * elem.size);
      const out = new Array(n);
      if (!own) {
        for (let i = 0; i < n; i++) out[i] = elem.read(rt, p + i * elem.size, false, fn);
        return out;
      }
      taken(rt, a);
      rt.owns(p, n * elem.size, fn, `a list of ${n}`);
      let i = 0;
      try {
        for (; i < n; i++) out[i] = elem.read(rt, p + i * elem.size, true, fn);
      } catch (e) {
        // Element i cleaned up after itself; the rest were never read.
        out.length = i;
        freeAll(out);
        if (elem.drop) for (let j = i + 1; j < n; j++) elem.drop(rt, p + j * elem.size);
        rt.exports.wg_free(p);
        throw e;
      }
      rt.exports.wg_free(p);
      return out;
    },
    drop(rt, a) {
      const p = rt.dv.getUint32(a, true), n = rt.dv.getUint32(a + 4, true);
      taken(rt, a);
      if (p === 0 || !rt.givable(p, n * elem.size)) return; // not C's list to give
      if (elem.drop) for (let j = 0; j < n; j++) elem.drop(rt, p + j * elem.size);
      rt.exports.wg_free(p);
    },
    /** A list C returned, in the return area at `a`. */
    take(rt, a, fn = 'wasmgen') { rt.sync(); return codec.read(rt, a, true, fn); },
  };
  return Object.freeze(codec);
}

/** A struct: declared first (so structs can refer to each other), then defined. */
export function structCodec(name, size, align) {
  let fields = [], owning = [];
  const codec = {
    name, size, align,
    /**
     * The fields, [js name, codec, offset] each; and the specialized reader
     * the module generated for this struct (straight-line reads at fixed
     * offsets, with read's contract), which replaces the generic loop.
     */
    define(list, reader) {
      fields = list.map(([js, c, offset]) => ({ js, c, offset }));
      owning = fields.filter((f) => f.c.drop);
      if (reader) codec.read = reader;
    },
    /** A specialized reader threw: with `own`, free the values read so far and what is left at a. */
    failed(rt, e, a, own, values) {
      if (own) {
        freeAll(values);
        codec.drop(rt, a); // what was not read yet (what was is zeroed)
      }
      return e;
    },
    write(rt, a, v, fn, path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        badParam(fn, path, `must be an object (struct ${name}); got ${describe(v)}`);
      for (const f of fields) f.c.write(rt, a + f.offset, member(v, f.js), fn, `${path}.${f.js}`);
    },
    read(rt, a, own, fn) {
      const o = {};
      try {
        for (const f of fields) o[f.js] = f.c.read(rt, a + f.offset, own, fn);
      } catch (e) {
        if (own) {
          freeAll(o);
          codec.drop(rt, a); // what was not read yet (what was is zeroed)
        }
        throw e;
      }
      return o;
    },
    drop(rt, a) {
      for (const f of owning) f.c.drop(rt, a + f.offset);
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
    take(rt, a, fn = 'wasmgen') {
      rt.sync();
      return codec.read(rt, a, true, fn);
    },
    /** struct?: null passes NULL; a result comes by a pointer (NULL: null). */
    nullable() {
      return Object.freeze({
        pass: (rt, v, fn, path) => (v == null ? 0 : codec.pass(rt, v, fn, path)),
        take(rt, a, fn = 'wasmgen') {
          rt.sync();
          const p = rt.dv.getUint32(a, true);
          if (p === 0) return null;
          rt.dv.setUint32(a, 0, true);
          rt.owns(p, size, fn, `a struct ${name}`);
          try {
            return codec.read(rt, p, true, fn);
          } finally {
            rt.exports.wg_free(p);
          }
        },
        drop(rt, a) {
          rt.sync();
          const p = rt.dv.getUint32(a, true);
          rt.dv.setUint32(a, 0, true);
          if (p === 0 || !rt.givable(p, size)) return;
          codec.drop(rt, p);
          rt.exports.wg_free(p);
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
      scalar.write(rt, p, v, fn, path);
      return p;
    },
    take(rt, a, fn = 'wasmgen') {
      rt.sync();
      return rt.dv.getUint8(a) !== 0 ? scalar.read(rt, a + offset, true, fn) : null;
    },
  });
}

/** The flags feature: a module with flag sets declares their codecs with it (see flagsCodec). */
export const flagsFeature = { flagsType(name, values) { return flagsCodec(name, values); } };

/**
 * The codec feature: what the generated code of a module with structs,
 * enums, lists or optional values calls on $rt to declare its codecs (see
 * Runtime.create's features).
 */
export const codecFeature = /* @__PURE__ */ Object.assign({}, arrayFeature, arrayResultFeature, resultFeature, {
  // (with the features whose methods the codecs call on rt: arr, ownArr, owns, givable, ownStr, i53)
  enumType(name, values) { return enumCodec(name, values); },
  structType(name, size, align) { return structCodec(name, size, align); },
  listType(elem, optional = false) { return listCodec(elem, optional); },
  stringField(optional = false) { return stringCodec(optional); },
  arrayField(t, optional = false) { return arrayCodec(t, optional); },
  optType(scalar) { return optionalCodec(scalar); },
});
