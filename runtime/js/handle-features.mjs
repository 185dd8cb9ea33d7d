
// ==== handle-features.mjs - the feature objects of modules whose JS can meet
// a handle (a WasmArray or a resource): the handles themselves
// (handleFeature: the Lifetime, m.alloc, m.from, pins), arrays, optional and
// out arrays, imports, callbacks, string arrays (compiler/emit_js.c, FEATURES,
// marks them `handles`). See features.mjs for the others.

import { badArity, badParam, badResult, describe, handleClasses, OUT_OF_MEMORY, WasmgenError } from './errors.mjs';
import { arrayLength, isFreed, isWasmArray, newArray, passArray, pin, resourceFollows, resourceParts, unpin, viewHandle, WasmArray } from './handles.mjs';
import { CallOwner, Callbacks } from './callbacks.mjs';
import { checkElement, checkElements, layoutOf, taBuffer, taCopy, taLength, taOffset, types } from './types.mjs';
import { refuse } from './instantiate.mjs';
import { Lifetime, resourceLife } from './lifetime.mjs';
import { MAX_BYTES, noRoom, utf8Length } from './runtime.mjs';
import { member, ownBlock, utf8Strlen } from './features.mjs';

/**
 * `n` more bytes of wasm memory a read of what C passes a JS function
 * decodes (a struct, cbStruct, and codecs.mjs's reads with own false; a
 * string[], cbStrs): past rt.readLeft (the memory's size, which what shares
 * no parts cannot exceed), a WasmgenError naming the function and the
 * parameter (rt.readWhat) and what is shared, before the bytes are read.
 */
export function budget(rt, n, shared = 'its lists share elements') {
  if ((rt.readLeft -= n) < 0)
    throw new WasmgenError(`${rt.readWhat} holds more than wasm memory's ${rt.buffer.byteLength} bytes: ${shared}, ` +
      'which reading would repeat without bound');
}

const HOLD = /* @__PURE__ */ Object.freeze({}); // in rt.pins: a call holds every free (see wasmView)

/** Is this (empty) buffer detached? (A view of a detached buffer cannot be made.) */
function isDetached(buffer) {
  try { new Uint8Array(buffer); return false; } catch { return true; }
}

/**
 * What a module whose JS can meet a handle (a WasmArray or a resource) has
 * besides the core: the handles' Lifetime, m.alloc and m.from, the pins of
 * calls in progress. The compiler puts it in the features of such a module
 * (compiler/lower.c, module_has_handles); the others ship none of
 * handles.mjs and lifetime.mjs, and their m.alloc and m.from throw.
 */
export const handleFeature = {
  /** The Lifetime of this runtime's handles (called by the constructor). */
  lifetime(options) {
    handleClasses.WasmArray = WasmArray;
    return new Lifetime(this, options);
  },

  /** m.alloc(type, n) or m.alloc.f64(n): a zeroed array in wasm memory (made by attach). */
  allocator() {
    const alloc = (type, n) => allocArray(this, type, n, 'alloc');
    for (const name of Object.keys(types)) alloc[name] = (n) => allocArray(this, name, n, `alloc.${name}`);
    return Object.freeze(alloc);
  },

  /**
   * from(), for the function `fn`: any typed array, its element type by its
   * layout (a subclass or a Buffer like its class, Uint8ClampedArray as u8),
   * copied in one go.
   */
  copyArray(ta, fn) {
    const t = layoutOf(ta);
    if (t === undefined) throw new TypeError(`${fn}: expected a typed array (Float64Array, Uint8Array, ...); got ${describe(ta)}`);
    const n = taLength(ta);
    // A view of this instance's memory is read first: allocating may grow memory, detaching it.
    const src = n !== 0 && this.buffers.has(taBuffer(ta)) ? new t.Array(ta) : ta;
    const h = allocArray(this, t, n, fn);
    if (n) taCopy(h.view, src);
    return h;
  },

  /** release(): unpin what the call used, down to `pinned` pins. */
  unpinTo(pinned) {
    const pins = this.pins;
    while (pins.length > pinned) {
      const h = pins.pop();
      if (h !== HOLD) unpin(h);
      else if (--this.holdAll === 0) { // the handles freed meanwhile (see Handle.free)
        const held = this.held;
        this.held = [];
        for (const x of held) unpin(x);
      }
    }
  },
};

/** A new zeroed array of `n` elements of `type` ('f64', ...) in the wasm memory of `rt`. */
function allocArray(rt, type, n, fn) {
  const t = Object.values(types).find((e) => e === type || e.name === type);
  if (t === undefined)
    throw new TypeError(`${fn}: unknown element type ${describe(type)}; one of ${Object.keys(types).join(', ')}`);
  if (!(Number.isInteger(n) && n >= 0 && n * t.size <= MAX_BYTES))
    throw new RangeError(`${fn}: the length must be an integer from 0 to ${Math.floor(MAX_BYTES / t.size)}; got ${describe(n)}`);
  if (rt.waiting) rt.reap();
  if (n === 0) return newArray(rt, t, 0, 0);
  const bytes = n * t.size;
  const p = rt.exports.wg_alloc(bytes) >>> 0;
  if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (${bytes} bytes)`);
  rt.exports.wg_adopt(p, bytes);
  rt.sync();
  rt.u8.fill(0, p, p + bytes);
  return newArray(rt, t, p, n);
}

/** Array parameters (T[]; inout and optional arrays are features of their own, with this one's method). */
export const arrayFeature = {
  /**
   * The address of an array argument; its length goes to this.n. A
   * WasmArray, or a typed array over this instance's memory (a handle's
   * .view, or a part of one), goes by pointer, pinned for the call. Any
   * other typed array of the element type's layout (a subclass, a Buffer, a
   * Uint8ClampedArray for u8) is copied in one go; other typed arrays and
   * array-likes are read once, element by element, and checked (and, with
   * `unwritable`, for inout(), written back at once: see readAll).
   */
  arr(t, v, fn, param, unwritable) {
    if (isWasmArray(v)) return passArray(v, this, t, fn, param); // (its length to this.n)
    const layout = layoutOf(v);
    if (layout !== undefined) {
      const n = taLength(v);
      const b = taBuffer(v);
      if (this.buffers.has(b) && (layout === t || b !== this.memory.buffer))
        return wasmView(this, t, v, b, n, layout, fn, param);
      if (n === 0 && isDetached(b))
        badParam(fn, param, `is ${describe(v)} whose buffer is detached`);
      if (layout !== t) checkElements(t, v, n, fn, param); // no getter runs: these are the typed array's own elements
      return copyIn(this, t, v, n, fn, param);
    }
    // An array-like: its length and each element read once, checked, then copied.
    return copyIn(this, t, readAll(t, v, fn, param, unwritable), -1, fn, param);
  },
};

/** Array results (T[]): handles, no copy. A module whose arrays only go in ships none of this, nor ownBlock. */
export const arrayResultFeature = {
  /**
   * An array C returned in return-area slot `at`, as a handle (no copy);
   * optional: NULL is null. Checked first (see ownBlock); the slot is emptied.
   */
  takeArr(t, at, optional, fn) {
    this.sync();
    const i = at >>> 2, u32 = this.u32;
    const p = u32[i], n = u32[i + 1];
    u32[i] = 0;
    if (p === 0) return optional ? null : newArray(this, t, 0, 0);
    return this.ownArr(t, p, n, fn);
  },

  /** A handle for `n` elements C returned at `p`, after the checks of owns(). */
  ownArr(t, p, n, fn) {
    const bytes = n * t.size;
    ownBlock(this, p, bytes, fn, `an array of ${n} ${t.name}`); // (malloc's blocks are aligned for any element)
    if (n === 0) {
      this.exports.wg_free(p);
      return newArray(this, t, 0, 0);
    }
    return newArray(this, t, p, n);
  },
};

/**
 * The length of a list JS passes (string[], S[]), read once: -1 for anything
 * but an object with a length that is a safe integer ≥ 0, or for a typed
 * array or a WasmArray (numbers, not a list).
 */
export function listLength(v) {
  const n = v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !(isWasmArray(v)) ? v.length : -1;
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

/** After the call: copy `n` elements at `p` into the typed array `v` (an inout array, a destination: `what`). */
function copyOut(rt, v, t, p, n, fn, what) {
  rt.sync();
  if (taLength(v) < n) throw new TypeError(`${fn}: the ${what} changed size or was detached during the call`);
  taCopy(v, new t.Array(rt.buffer, p, n));
}

/**
 * Copy `n` checked elements of a typed array (-1: all of a snapshot
 * readAll made) into wasm memory for the call; their count goes to rt.n.
 * (arg() refuses more than MAX_BYTES.)
 */
function copyIn(rt, t, v, n, fn, param) {
  if (n < 0) n = v.length;
  rt.n = n;
  if (n === 0) return 0;
  if (rt.buffers.has(taBuffer(v))) v = new t.Array(v); // (of another layout: allocating may detach it)
  const p = rt.arg(n * t.size, fn, param);
  rt.sync();
  taCopy(new t.Array(rt.buffer, p, n), v);
  return p;
}

/**
 * An array-like's elements, each read once and checked, into a new typed
 * array of t. With `unwritable` (inout), each is written back at once, and
 * unwritable(fn, param) throws if it cannot be.
 */
function readAll(t, v, fn, param, unwritable) {
  const n = v !== null && typeof v === 'object' ? v.length : -1;
  if (!(Number.isSafeInteger(n) && n >= 0)) // none of what arr() takes
    badParam(fn, param, `must be a ${t.Array.name}, an array of ${t.big ? 'BigInts' : 'numbers'} or a WasmArray; got ${describe(v)}`);
  if (n > MAX_BYTES / t.size) noRoom(fn, param, n * t.size);
  if (unwritable && Object.isFrozen(v) && n > 0) unwritable(fn, param);
  const out = new t.Array(n);
  for (let i = 0; i < n; i++) {
    const e = v[i];
    checkElement(t, e, i, fn, param);
    out[i] = e;
    if (unwritable) {
      try { v[i] = e; } catch { unwritable(fn, param); }
    }
  }
  return out;
}

/**
 * A typed array over memory of this instance: by pointer, so that C
 * reads and writes that memory itself (growth during marshalling cannot
 * detach what was copied). A handle's own .view pins the handle; any other
 * view (a part of one, or one the user made) holds every free until the
 * call returns, since its owner is not known. A stale view (memory grew
 * since it was made) is a handle's view or an error.
 */
function wasmView(rt, t, v, buffer, n, layout, fn, param) {
  const h = viewHandle(v);
  if (h !== undefined && isFreed(h)) badParam(fn, param, 'is a view of a WasmArray that was freed');
  if (buffer !== rt.memory.buffer) {
    if (h === undefined)
      badParam(fn, param, 'is a view of wasm memory that went stale when memory grew: pass the WasmArray, or take .view again');
    return rt.arr(t, h, fn, param);
  }
  rt.n = n;
  if (n === 0) return 0;
  if (h !== undefined) {
    pin(h, rt);
  } else {
    rt.pins.push(HOLD);
    rt.holdAll++;
  }
  return taOffset(v);
}

/** `pass` (arr or inout) of an optional array: NULL for null and undefined; an empty array is not NULL. */
function orNull(rt, pass, t, v, fn, param) {
  if (v == null) { rt.n = 0; return 0; }
  const p = pass.call(rt, t, v, fn, param);
  return p !== 0 ? p : rt.arg(t.size, fn, param);
}

function notWritable(fn, param) {
  badParam(fn, param, 'is an inout array that cannot be written (frozen, or a read-only element)');
}

/** Inout arrays (inout T[], and a binding's optional one), with the array feature. */
export const inoutFeature = /* @__PURE__ */ Object.assign({}, arrayFeature, {
  /**
   * An inout array: as arr(), but a JS array (not a typed array, nor memory
   * of this instance) must be writable, element by element, before C runs:
   * each is written back with the value just read. back() copies C's
   * changes after the call.
   */
  inout(t, v, fn, param) { return this.arr(t, v, fn, param, notWritable); },

  /** After the call: copy an inout array back into the JS-owned array it came from. */
  back(t, v, p, n, fn) {
    if (isWasmArray(v) || n === 0) return;
    if (layoutOf(v) !== undefined) {
      if (!this.buffers.has(taBuffer(v))) copyOut(this, v, t, p, n, fn, 'inout array'); // (by pointer: C wrote in place)
      return;
    }
    this.sync();
    const src = new t.Array(new t.Array(this.buffer, p, n)); // a copy: a setter may grow memory, detaching a view
    try {
      for (let i = 0; i < n; i++) v[i] = src[i];
    } catch (e) {
      throw new TypeError(`${fn}: the inout array could not be written back: ${e?.message ?? e}`);
    }
  },

});

/** Optional arrays (T[]? parameters, a binding's optional inout array), with the array and inout features. */
export const arrayOptFeature = /* @__PURE__ */ Object.assign({}, inoutFeature, {
  /** arr(), or NULL for null and undefined (T[]? parameters); an empty array is not NULL. */
  arrOpt(t, v, fn, param) { return orNull(this, this.arr, t, v, fn, param); },
  /** inout(), or NULL for null and undefined (a binding's optional inout array). */
  inoutOpt(t, v, fn, param) { return orNull(this, this.inout, t, v, fn, param); },
});

/** Out arrays (`out T[]`): their room, their value, and the trailing object of destinations. */
export const outFeature = {
  /**
   * Room for an out array of `n` elements (an integer parameter may give a
   * negative length: refused). With a WasmArray destination `into`, or a
   * typed array over this instance's memory (a handle's .view, a part of
   * one), that memory itself, pinned as an argument is (no allocation, no
   * copy: JS running during the call cannot free it under C, nor under the
   * copy); otherwise a zeroed temporary, which own() turns
   * into a handle or copies into a typed array `into`.
   */
  out(t, n, fn, param, into) {
    if (n < 0) throw new RangeError(`${fn}: out array '${param}' would have a negative length (${n})`);
    if (into !== undefined) {
      const what = `${fn}: destination '${param}'`, h = isWasmArray(into);
      if (!h && layoutOf(into) !== t)
        throw new TypeError(`${what} must be a ${t.Array.name} or a WasmArray of ${t.name}; got ${describe(into)}`);
      const has = h ? arrayLength(into) : taLength(into);
      if (has < n) throw new RangeError(`${what} has ${has} elements; ${n} are needed`);
      if (h) return passArray(into, this, t, fn, param);
      const b = taBuffer(into);
      if (this.buffers.has(b)) return n === 0 ? 0 : wasmView(this, t, into, b, has, t, fn, param);
    }
    if (n === 0) return 0;
    const bytes = n * t.size;
    const p = this.temp(bytes, fn, param);
    this.sync();
    this.u8.fill(0, p, p + bytes);
    return p;
  },

  /** After the call: the value of an out array made by out(). */
  own(t, p, n, into, fn) {
    if (isWasmArray(into)) return into;
    if (into !== undefined) {
      if (n !== 0 && !this.buffers.has(taBuffer(into))) copyOut(this, into, t, p, n, fn, 'destination'); // (else C wrote in place)
      return into; // the temporary is freed with the call's others
    }
    if (p !== 0) {
      const tmp = this.tmp, i = tmp.lastIndexOf(p); // (out() made it a temporary, owned by JS: the handle's now)
      if (i >= 0) tmp[i] = 0;
    }
    return newArray(this, t, p, n);
  },

  /**
   * Check the argument count of a call with out arrays (`got`: `n`, or `n`
   * and a trailing object of destinations, `o`), then that object, and read
   * it once: the result is a snapshot of `keys` (the out arrays), so a
   * getter cannot give one value to out() and another to own().
   */
  opts(fn, got, n, o, keys) {
    if (got !== n && got !== n + 1) badArity(fn, n, got, ' and an optional object of destinations');
    if (o === undefined) return undefined;
    if (o === null || typeof o !== 'object' || Array.isArray(o) || ArrayBuffer.isView(o) || isWasmArray(o))
      throw new TypeError(`${fn}: the optional last argument must be an object of destinations { ${keys.join(', ')} }; got ${describe(o)}`);
    for (const k of Object.keys(o))
      if (!keys.includes(k)) throw new TypeError(`${fn}: unknown destination '${k}'; the out arrays are: ${keys.join(', ')}`);
    const snapshot = Object.create(null);
    for (const k of keys) snapshot[k] = member(o, k);
    return snapshot;
  },
};

/** Imports (JS functions C calls): the user's functions, their results. */
export const importFeature = {
  /**
   * options.imports (`given`), checked before the module is instantiated:
   * an object with every function the module imports (`names`), each read
   * once. What an object only inherits from Object.prototype (an import
   * `to_string` is `toString`) is not given.
   */
  imported(given, names) {
    given ??= {};
    if (typeof given !== 'object') refuse(`options.imports must be an object; got ${describe(given)}`);
    const funcs = Object.create(null);
    for (const n of names) funcs[n] = member(given, n);
    const missing = names.filter((n) => typeof funcs[n] !== 'function');
    if (missing.length)
      refuse(`the module imports ${names.join(', ')}; options.imports lacks ${missing.join(', ')}`);
    return given;
  },

  /** A string an import returns: a copy C owns (and frees). */
  owned(s, fn) {
    if (typeof s !== 'string') throw new TypeError(`${fn} must return a string; got ${describe(s)}`);
    const cap = utf8Length(s) + 1;
    const p = this.exports.wg_alloc(cap) >>> 0; // not a temporary: C owns it
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (the result needs ${cap} bytes)`);
    this.sync();
    const len = this.encoder.encodeInto(s, new Uint8Array(this.buffer, p, cap - 1)).written;
    this.u8[p + len] = 0;
    return p;
  },
  /** An import returned the wrong kind of value. */
  badResult(fn, v, type) { badResult(fn, v, type); },
  /** owned(), or NULL for null and undefined (string? results). */
  ownedOpt(s, fn) { return s == null ? 0 : this.owned(s, fn); },

  // What C passes a JS function it calls (an import through the glue, a callback).

  /** A string C passed (NULL: null if optional, else ''). */
  cbStr(p, n, optional) {
    p >>>= 0;
    if (p === 0) return optional ? null : '';
    return this.decode(p, n >>> 0);
  },

  /** A view of a numeric array C passed, valid during the call. */
  cbArr(t, p, n, optional) {
    p >>>= 0;
    n >>>= 0;
    if (p === 0) return optional ? null : new t.Array(0);
    if (p % t.size !== 0) throw new WasmgenError(`C passed a ${t.name} array at ${p}, which is not aligned for it`);
    if (p + n * t.size > this.buffer.byteLength)
      throw new WasmgenError(`C passed a ${t.name} array of ${n} elements at ${p}, beyond wasm memory`);
    return new t.Array(this.buffer, p, n);
  },

  /**
   * A string[] C passed JS function `fn` (parameter `param`): `n` pointers
   * to NUL-terminated strings. What it reads adds up to at most the
   * memory's size, as a struct's (cbStruct), which strings sharing no bytes
   * cannot exceed: C passing one long string many times would be decoded as
   * often.
   */
  cbStrs(p, n, optional, fn, param) {
    p >>>= 0;
    n >>>= 0;
    if (p === 0) return optional ? null : [];
    this.readWhat = `${fn}: C passed parameter '${param}' (string[])`;
    this.readLeft = this.buffer.byteLength - 4 * n;
    if (this.readLeft < p) throw new WasmgenError(`${this.readWhat} of ${n} pointers at ${p}, beyond wasm memory`);
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const s = this.dv.getUint32(p + 4 * i, true), len = s === 0 ? 0 : utf8Strlen(this.u8, s, this.readLeft);
      budget(this, len + 1, 'its strings share bytes');
      out[i] = s === 0 ? '' : this.decode(s, len);
    }
    return out;
  },

  /**
   * A struct C passed by pointer (parameter `param`). What its reading
   * decodes of wasm memory (strings, arrays, list elements, at any depth)
   * adds up to at most the memory's size (rt.readLeft, see
   * `budget`), which a struct without shared parts cannot exceed: C's
   * lists sharing elements, level after level, would be read as often as
   * reached (2^depth).
   */
  cbStruct(c, p, optional, fn, param = '') {
    p >>>= 0;
    if (p === 0) {
      if (optional) return null;
      throw new WasmgenError(`${fn}: C passed NULL for a struct ${c.name}`);
    }
    this.sync();
    this.readLeft = this.buffer.byteLength;
    this.readWhat = `${fn}: C passed parameter '${param}' (struct ${c.name})`;
    return c.read(this, p, false, fn);
  },

  /** A struct a JS function returned, written where C wants it (its fields are numbers). */
  cbWrite(c, v, fn, at) {
    this.sync();
    c.write(this, at >>> 0, v, fn, 'result');
  },

  /** A numeric array a JS function returned: copied into memory C owns; ptr and len at `at`. */
  ownedArr(t, v, fn, at) {
    if (isWasmArray(v)) v = v.view;
    // What is checked is what C gets: a typed array of t's layout as it is
    // (its own length), anything else read once, element by element.
    let src = v;
    if (layoutOf(v) !== t) {
      const n = v !== null && typeof v === 'object' && !(v instanceof DataView) ? v.length : undefined;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        throw new TypeError(`${fn} must return a ${t.Array.name} or an array of ${t.big ? 'BigInts' : 'numbers'}; got ${describe(v)}`);
      if (n > MAX_BYTES / t.size) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (the result needs ${n * t.size} bytes)`);
      src = new t.Array(n);
      for (let i = 0; i < n; i++) {
        const e = v[i];
        checkElement(t, e, i, fn, 'result');
        src[i] = e;
      }
    }
    if (this.buffers.has(taBuffer(src))) src = new t.Array(src); // a view of wasm memory: allocating may detach it
    const n = taLength(src);
    let p = 0;
    if (n !== 0) {
      const bytes = n * t.size;
      p = bytes <= MAX_BYTES ? this.exports.wg_alloc(bytes) >>> 0 : 0; // not a temporary: C owns it
      if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (the result needs ${bytes} bytes)`);
      this.sync();
      taCopy(new t.Array(this.buffer, p, n), src);
    }
    this.sync();
    this.dv.setUint32(at >>> 0, p, true);
    this.dv.setUint32((at >>> 0) + 4, n, true);
  },
};

/** Callbacks (see callbacks.mjs): the registrations of JS functions C calls through pointers. */
export const callbackFeature = {
  callbackType(name, ud) { return (this.cb ??= new Callbacks(this)).type(name, ud); },
  /**
   * unwind(), in a module with callbacks: free what the glue of the calls
   * passing callbacks held (see wg_cb_hold) when an exception crossed them.
   */
  cbUnwind() {
    const x = this.exports, held = x.wg_cb_held() >>> 0; // the address of wg__cb_held
    this.sync();
    if (this.u32[held >>> 2] !== 0) x.wg_cb_unwind();
  },
  cbCall(t, fn, where, param, optional) { return this.cb.call(t, fn, where, param, optional); },
  cbStored(t, cb, where, param, optional) { return this.cb.stored(t, cb, where, param, optional); },
  cbOwned(t, owner, fn, where, param, optional) { return this.cb.owned(t, owner, fn, where, param, optional); },
  cbFind(t, ud) { return this.cb.find(t, ud); },
  /** The owner of the resources C passes one callback's call (see CallOwner). */
  cbOwner() { return new CallOwner(this); },

  // A `deferred callback` that throws does not unwind C: its exception is
  // held, by the import level the callback ran at (this.inImport), until C
  // returns to the call that ran it, which throws it (cbSettle) before
  // converting anything; meanwhile C calling a deferred callback at that
  // level skips JS (cbSkip). The first exception of a call wins (cbFirst).
  /** Is a deferred callback's exception held for the call whose C is about to call one? */
  cbSkip() { return this.deferredAt?.[this.inImport + 1] !== undefined; },
  /** Hold a deferred callback's exception (inside its import: this.inImport is its level). */
  cbDefer(e) {
    const at = (this.deferredAt ??= []);
    at[this.inImport] ??= { e };
  },
  /** What a deferred callback held for the call whose C has just returned, taken ({ e }, or undefined). */
  cbTake() {
    const at = this.deferredAt, held = at?.[this.inImport + 1];
    if (held !== undefined) at[this.inImport + 1] = undefined;
    return held;
  },
  /** After a call's export: throw what a deferred callback held, having run `drop` (what C returned). */
  cbSettle(drop) {
    const held = this.cbTake();
    if (held === undefined) return;
    if (drop) try { drop(); } catch { /* (the held exception is the call's) */ }
    throw held.e;
  },
  /** A call's exception, or the one a deferred callback held before it (which came first). */
  cbFirst(e) {
    const held = this.cbTake();
    return held === undefined ? e : held.e;
  },
};

/** Bindings' string[] parameters: C's argv-style arrays. */
export const cstrsFeature = {
  /** A string[] as C has it: pointers to NUL-terminated strings, then NULL; the count to this.n. */
  cstrs(v, fn, param) {
    const n = listLength(v);
    if (n < 0) badParam(fn, param, `must be an array of strings; got ${describe(v)}`);
    if (n >= MAX_BYTES / 4) noRoom(fn, param, 4 * (n + 1)); // (its pointers alone could not fit)
    const strs = new Array(n); // each element read once: what is checked is what C gets
    for (let i = 0; i < n; i++) {
      const s = strs[i] = v[i];
      if (typeof s !== 'string') throw new TypeError(`${fn}: parameter '${param}[${i}]' must be a string; got ${describe(s)}`);
    }
    const p = this.arg(4 * (n + 1), fn, param);
    for (let i = 0; i < n; i++) {
      const s = this.str(strs[i], fn, param);
      this.dv.setUint32(p + 4 * i, s, true);
    }
    this.dv.setUint32(p + 4 * n, 0, true);
    this.n = n;
    return p;
  },

  /** cstrs(), or NULL for null and undefined. */
  cstrsOpt(v, fn, param) {
    if (v == null) { this.n = 0; return 0; }
    return this.cstrs(v, fn, param);
  },
};

/** The owner of a borrowed handle whose object went to a handle no longer there (see follower). */
const ENDED = /* @__PURE__ */ Object.freeze({ freed: true });

/**
 * Borrowed resource handles that follow their object to a new owner: what
 * only a module that borrows (a `borrowed` result, a `given(NAME)`
 * parameter, a resource passed to a callback or an import) calls, once,
 * before its resource types (compiler/lower.c, module_borrows). The others
 * never make a borrowed handle, and ship none of it.
 */
export const followFeature = {
  follows() {
    const res = (this.life.res ??= resourceLife(this.life));
    res.f ??= follower(res);
  },
};

/** res.f: the bookkeeping of borrowed handles whose object a handle comes to own, or destroys. */
function follower(res) {
  // When a handle's chain of owners ended (its clock; Infinity: alive). A non-resource owner (a callback's call): ended from the start.
  const ended = (o) => {
    if (o == null) return Infinity;
    const parts = resourceParts(o); // (o follows its object first)
    if (parts === null) return isFreed(o) ? -Infinity : Infinity;
    return Math.min(resourceFollows(o)[2], parts[2] === undefined ? Infinity : ended(parts[2]));
  };
  const f = {
    lent: null,  // the pointers of borrowed handles, once one was made (a Set): bounded by the addresses used
    moved: null, // ptr -> { at, before, type, to: a WeakRef, or null: destroyed } for a lent pointer since
    /** Handle h made for `ptr`: borrowed from `owner`, noted (for a new owner of its object to record it); else its owner. */
    made(h, ptr, type, owner) {
      if (owner === undefined) return f.over(ptr, type, h);
      (f.lent ??= new Set()).add(ptr);
      resourceFollows(h, owner, res.clock);
    },
    /**
     * The object at `ptr` is owned by a new handle `to` of `type` (none: a
     * handle's destructor destroys it): if a borrowed handle has it, note
     * it, for them to follow it, or end.
     */
    over(ptr, type, to) {
      if (!f.lent?.delete(ptr)) return;
      const was = (f.moved ??= new Map()).get(ptr);
      f.moved.set(ptr, { at: ++res.clock, before: was?.at ?? 0, type, to: to && new WeakRef(to) });
    },
    // Borrowed h (of `ptr`, last followed at `born`): if a handle came to own
    // its object since, h is borrowed from that handle from now on, as long
    // as h was alive then; it ends instead if it ended before, if the object
    // was owned anew more than once since (the owner between is not known),
    // if that handle is of another type, or was collected, or if a handle's
    // destructor destroyed the object.
    follow(h, ptr, born) {
      const m = f.moved?.get(ptr);
      if (m === undefined || m.at <= born) return;
      const [type, owner] = resourceFollows(h);
      resourceFollows(h, owner, m.at);
      if (ended(owner) < m.at) return; // ended before: stays ended
      const to = m.before > born || m.type !== type ? undefined : m.to?.deref();
      resourceFollows(h, to ?? ENDED, m.at);
    },
  };
  return f;
}
