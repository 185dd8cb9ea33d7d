
// ==== handles.mjs - what JS owns in wasm: WasmArray (a buffer) and Resource
// (a C object with a destructor), on one base class that gives either back
// exactly once, however it ends (see lifetime.mjs for the bookkeeping).

import { describe, WasmgenError } from './errors.mjs';
import { Runtime } from './runtime.mjs';

// A view's reference to its handle: while the view lives, so does the handle
// (a WeakMap entry is held by its key; a property on the typed array would
// take V8 off its fast path).
const KEEP = new WeakMap();
const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/**
 * The base of WasmArray and Resource: something at `ptr` in one instance
 * that JS owns. free() and [Symbol.dispose]() give it back (once), a scope
 * frees it unless keep() exempts it, and finalization is the backstop.
 * `kind` 0 is a block for wg_free; k > 0 is an object of the module's
 * k-th resource type, for its destructor.
 */
class Handle {
  #rt; #ptr; #bytes; #kind; #freed = false; #kept = false;
  #ballast = null; // with options.gcPressure: memory V8 counts, so it collects sooner

  constructor(rt, ptr, bytes, kind) {
    this.#rt = rt;
    this.#ptr = ptr;
    this.#bytes = bytes;
    this.#kind = kind;
    if (ptr !== 0) this.#ballast = rt.life.adopt(this, ptr, bytes, kind);
  }

  /** True once freed. */
  get freed() { return this.#freed; }

  /** Give it back now. Safe to call more than once. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    this.#ballast = null;
    if (this.#ptr !== 0) this.#rt.life.release(this, this.#ptr, this.#bytes, this.#kind);
  }

  /** Exempt this handle from the enclosing m.scope(): it lives until freed or collected. */
  keep() {
    this.#kept = true;
    return this;
  }

  /** @internal */
  get kept() { return this.#kept; }

  [DISPOSE]() { this.free(); }
}

/**
 * A buffer in wasm memory that JS owns: an array C returned, or an out
 * array. Reading it never copies: `.view` is a typed array over wasm memory.
 * It is freed by free(), by [Symbol.dispose](), or, as a backstop, after it
 * is garbage-collected.
 */
export class WasmArray extends Handle {
  #rt; #type; #ptr; #len; #view = null;

  /** @internal Handles are made by generated functions, m.alloc() and WasmArray.from(). */
  constructor(rt, type, ptr, len) {
    if (!(rt instanceof Runtime)) throw new TypeError('WasmArray: handles are made by wasmgen modules');
    super(rt, ptr, len * type.size, 0);
    this.#rt = rt;
    this.#type = type;
    this.#ptr = ptr;
    this.#len = len;
  }

  /**
   * A new array of `typedArray.length` elements in the wasm memory of module
   * `m`, holding a copy of `typedArray`; its element type follows the typed
   * array's class. Fill it in place and pass it to any function without a copy.
   */
  static from(typedArray, m) {
    const rt = m?.runtime;
    if (!(rt instanceof Runtime)) throw new TypeError('WasmArray.from: the second argument must be a wasmgen module object');
    return rt.copyArray(typedArray, 'WasmArray.from');
  }

  /** The element type's IDL name: 'f64', 'u8', ... */
  get type() { return this.#type.name; }
  /** The number of elements. */
  get length() { return this.#len; }
  /** The size in bytes. */
  get byteLength() { return this.#len * this.#type.size; }
  /** The address in wasm memory (0 for an empty array). */
  get ptr() { this.#live('ptr'); return this.#ptr; }

  /**
   * A typed array over the elements, in wasm memory. It is rebuilt when
   * memory grows (a view taken earlier goes stale: take .view again), and it
   * keeps this handle alive while you hold it.
   */
  get view() {
    this.#live('view');
    let v = this.#view;
    if (v === null || (v.byteLength === 0 && this.#len !== 0)) {
      v = this.#len === 0
        ? new this.#type.Array(0)
        : new this.#type.Array(this.#rt.memory.buffer, this.#ptr, this.#len);
      KEEP.set(v, this);
      this.#view = v;
    }
    return v;
  }

  /** A JS-owned copy of the elements. */
  toArray() { return this.view.slice(); }

  *[Symbol.iterator]() {
    // Index through .view each time: memory may grow between steps.
    for (let i = 0; i < this.#len; i++) yield this.view[i];
  }

  /** Give the memory back now. Safe to call more than once. */
  free() {
    this.#view = null;
    super.free();
  }

  #live(what) {
    if (this.freed) throw new Error(`WasmArray: .${what} used after free()`);
  }

  /** @internal The address to pass for a parameter, after checks. */
  static pass(h, rt, type, fn, param) {
    if (h.#rt !== rt)
      throw new TypeError(`${fn}: parameter '${param}' is a WasmArray of another module instance`);
    if (h.freed) throw new TypeError(`${fn}: parameter '${param}' is a WasmArray that was freed`);
    if (h.#type !== type)
      throw new TypeError(`${fn}: parameter '${param}' must hold ${type.name} elements; got a WasmArray of ${h.#type.name}`);
    return h.#ptr;
  }
}

/**
 * The handle of a resource instance (a C object with a destructor). Its
 * generated subclass (m.Canvas, ...) adds the methods. Freed by free(),
 * [Symbol.dispose](), a scope, or finalization, which runs the destructor
 * in wasm through the free-on-finalize queue.
 */
export class Resource extends Handle {
  #type; #ptr; #owner;

  /**
   * @internal Made by the generated subclass. With `owner` (a handle, or
   * null), the handle is borrowed: the C object belongs to the library or to
   * `owner`, which this handle keeps alive; it is never given back (free()
   * only lets go).
   */
  constructor(type, ptr, owner) {
    if (ptr === 0) throw new WasmgenError(`${type.js}: the constructor returned NULL`);
    super(type.rt, owner === undefined ? ptr : 0, 0, type.kind);
    this.#type = type;
    this.#ptr = ptr;
    this.#owner = owner;
  }

  /** True once freed (a borrowed handle: once it or its owner was freed). */
  get freed() { return super.freed || (this.#owner != null && this.#owner.freed); }

  /** @internal The pointer to pass for `h`, after checks. */
  static ptr(h, type, fn, what) {
    if (!(h instanceof Resource) || h.#type.js !== type.js)
      throw new TypeError(`${fn}: ${what} must be a ${type.js}; got ${describe(h)}`);
    if (h.#type !== type) throw new TypeError(`${fn}: ${what} is a ${type.js} of another module instance`);
    if (h.#owner != null && h.#owner.freed)
      throw new TypeError(`${fn}: ${what} is a ${type.js} whose owner was freed`);
    if (h.freed) throw new TypeError(`${fn}: ${what} is a ${type.js} that was freed`);
    return h.#ptr;
  }
}

/** Passed to a generated resource class's constructor to wrap a pointer C returned. */
export const ADOPT = Symbol('wasmgen.adopt');

/** The runtime's side of one resource type of one instance; `drop` is its destructor. */
export function resourceType(rt, name, js, kind, drop) {
  rt.life.drops[kind] = drop;
  const type = {
    rt, name, js, kind, drop,
    /** `this` of a method call. */
    self(h, fn) { return Resource.ptr(h, type, fn, 'this'); },
    /** A borrowed parameter (optional: null passes NULL). */
    borrow(h, fn, param, optional) {
      if (optional && h == null) return 0;
      return Resource.ptr(h, type, fn, `parameter '${param}'`);
    },
  };
  return Object.freeze(type);
}

/** The handles reachable from `v` through arrays, plain objects, Maps and Sets. */
export function collectHandles(v, into, seen = new Set(), depth = 0) {
  if (v === null || typeof v !== 'object' || depth > 64 || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Handle) { into.add(v); return; }
  if (Array.isArray(v)) { for (const e of v) collectHandles(e, into, seen, depth + 1); return; }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null)
    for (const k of Object.keys(v)) collectHandles(v[k], into, seen, depth + 1);
  else if (v instanceof Map) for (const e of v.values()) collectHandles(e, into, seen, depth + 1);
  else if (v instanceof Set) for (const e of v) collectHandles(e, into, seen, depth + 1);
}

/** Free every handle reachable from `v` (the partial results of a failed call). */
export function freeAll(v) {
  const found = new Set();
  collectHandles(v, found);
  for (const h of found) h.free();
}
