
// ==== handles.mjs - what JS owns in wasm: WasmArray (a buffer) and Resource
// (a C object with a destructor), on one base class that gives either back
// exactly once, however it ends (see lifetime.mjs for the bookkeeping).
//
// A handle in use by a call is pinned: passing it (or its view) as an
// argument, or calling a method on it, pins it until the call returns, and
// free() of a pinned handle marks it freed at once but gives the memory back
// (or runs the destructor) only when the last call using it returns.

import { badParam, describe, WasmgenError } from './errors.mjs';
import { resourceLife } from './lifetime.mjs';
import { fresh } from './features.mjs';
import { guard, Runtime } from './runtime.mjs';
import { layoutOf, taBuffer, taLength, taOffset } from './types.mjs';

// A view's reference to its handle: while the view lives, so does the handle
// (a WeakMap entry is held by its key; a property on the typed array would
// take V8 off its fast path).
const KEEP = new WeakMap();
const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');

// What the other parts do to a handle's private state, set by Handle's static
// block (functions, not static methods: a minifier shortens their names, and
// no subclass inherits them):
/** Was keep() called on h? (Not a member: resources' methods may be called anything.) */
export let isKept;
/** A call in progress uses h: remember it in rt.pins. */
export let pin;
/** A call that used h returned. */
export let unpin;
/** The runtime's and the address of a live handle h (for ranges), or null. */
let liveSpan;
/** Handle#freed, from h's private state (a WasmArray's, a callback's: all there is). */
let baseFreed;
/** A resource handle's freed state from its private state, or undefined for any other handle. */
let resourceFreed;
/** A WasmArray's length, from its private state. */
export let arrayLength;
/**
 * Is v a WasmArray? By its private state, not `instanceof` (which a
 * Symbol.hasInstance JS defines on the class may answer either way).
 */
export let isWasmArray;
/** Is v a handle (a WasmArray, a resource, a callback)? The same, for Handle. */
let isHandle;

/** Set by newArray() for the WasmArray constructor it calls, which takes it. */
let making = false;

/**
 * The address of WasmArray h to pass for a parameter, after checks; its
 * length goes to rt.n (the handle's own: never a `length` property JS
 * defined). Pins h for the call.
 */
export let passArray;

// (Functions of the runtime's, not static methods: JS must not reach a
// resource's type, which makes handles over any pointer, nor mark one taken.)
/** A resource handle's type, pointer and owner (see resourcePtr), or null for anything else. */
export let resourceParts;
/** res.f's access to a resource handle (followFeature, in handle-features.mjs). */
export let resourceFollows;
/**
 * C took h's object (a `given` parameter, after the call): h is borrowed
 * from `owner` from now on, or, for null, spent (C consumed it).
 */
let takeResource;

/**
 * Is handle h freed? What the runtime's checks ask: only private state, so
 * that a `freed` property on a handle or on a prototype (a getter JS
 * defined) cannot make a freed handle pass for a live one.
 */
export function isFreed(h) { return resourceFreed?.(h) ?? (isHandle(h) ? baseFreed(h) : true); }

/**
 * The base of WasmArray and Resource: something at `ptr` in one instance
 * that JS owns. free() and [Symbol.dispose]() give it back (once), a scope
 * frees it unless keep() exempts it, and finalization is the backstop.
 * `kind` 0 is a block for wg_free; k > 0 is an object of the module's
 * k-th resource type, for its destructor.
 */
// (Made by a call marked pure, as its computed key would otherwise keep it
// in every bundle: a module without handles ships none of this file.)
export const Handle = /* @__PURE__ */ (() => class Handle {
  #rt; #ptr; #bytes; #kind; #freed = false; #kept = false;
  #pins = 0;        // calls in progress using it
  #later = false;   // freed while pinned: give it back when the last call returns
  #ballast = null;  // with options.gcPressure: memory V8 counts, so it collects sooner

  constructor(rt, ptr, bytes, kind) {
    this.#rt = rt;
    this.#ptr = ptr;
    this.#bytes = bytes;
    this.#kind = kind;
    this.#ballast = rt.life.adopt(this, ptr, bytes, kind);
  }

  /** True once freed. */
  get freed() { return this.#freed; }

  /**
   * Give it back now, or, while a call in progress uses it, when that call
   * returns. Safe to call more than once. A destructor's exception reaches
   * the caller (after the handle is freed all the same).
   */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    this.#ballast = null;
    if (this.#ptr === 0) return;
    const rt = this.#rt;
    if (this.#pins === 0 && rt.holdAll > 0) {
      // A call holds every free (see wasmView): pinned by the hold, until it returns (see unpinTo).
      this.#pins = 1;
      rt.held.push(this);
    }
    if (this.#pins > 0) this.#later = true;
    else rt.life.release(this, this.#ptr, this.#bytes, this.#kind, false);
  }

  /** Exempt this handle from the enclosing m.scope(): it lives until freed or collected. */
  keep() {
    this.#kept = true;
    return this;
  }

  [DISPOSE]() { this.free(); }

  static {
    isKept = (h) => h.#kept;
    isHandle = (v) => v !== null && typeof v === 'object' && #freed in v;
    baseFreed = (h) => h.#freed;
    liveSpan = (h) => h.#freed ? null : [h.#rt, h.#ptr, h.#bytes];
    pin = (h, rt) => {
      h.#pins++;
      rt.pins.push(h);
    };
    unpin = (h) => {
      if (--h.#pins === 0 && h.#later) {
        h.#later = false;
        h.#rt.life.release(h, h.#ptr, h.#bytes, h.#kind, true);
      }
    };
  }
})();

/**
 * A buffer in wasm memory that JS owns: an array C returned, or an out
 * array. Reading it never copies: `.view` is a typed array over wasm memory.
 * It is freed by free(), by [Symbol.dispose](), or, as a backstop, after it
 * is garbage-collected.
 */
// (Made by a call marked pure, as its static block would otherwise keep it in
// every bundle.)
export const WasmArray = /* @__PURE__ */ (() => class WasmArray extends Handle {
  #rt; #type; #ptr; #len; #view = null;

  /**
   * @internal Handles are made by generated functions, m.alloc() and
   * WasmArray.from(), through newArray(): JS cannot make one over memory
   * of its choosing (whose free() would give back another's block).
   */
  constructor(rt, type, ptr, len) {
    if (!making || !(rt instanceof Runtime)) throw new TypeError('WasmArray: handles are made by wasmgen modules');
    making = false; // (before anything that may run JS: the hooks the new handle may call)
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

  /** Give the memory back now (or when the calls using it return). Safe to call more than once. */
  free() {
    this.#view = null;
    super.free();
  }

  #live(what) {
    if (isFreed(this)) throw new Error(`WasmArray: .${what} used after free()`);
  }

  static {
    arrayLength = (h) => h.#len;
    isWasmArray = (v) => v !== null && typeof v === 'object' && #len in v;
    passArray = (h, rt, type, fn, param) => {
      const wrong = h.#rt !== rt ? 'is a WasmArray of another module instance'
        : isFreed(h) ? 'is a WasmArray that was freed'
          : h.#type !== type ? `must hold ${type.name} elements; got a WasmArray of ${h.#type.name}` : '';
      if (wrong !== '') badParam(fn, param, wrong);
      if (h.#ptr !== 0) pin(h, rt);
      rt.n = h.#len;
      return h.#ptr;
    };
  }
})();

/** A new WasmArray handle: `len` elements of `type` at `ptr` (the runtime's only way to make one). */
export function newArray(rt, type, ptr, len) {
  making = true;
  try {
    return new WasmArray(rt, type, ptr, len);
  } finally {
    making = false;
  }
}

/** The handle whose .view `v` is (or was), if any. */
export function viewHandle(v) { return KEEP.get(v); }

/**
 * The handle of the instance `rt` that owns the bytes a typed array over its
 * memory sees, among `candidates` (live WasmArrays), if any: for subarrays
 * of views.
 */
export function ownerOfView(v, rt, candidates) {
  const at = taOffset(v), end = at + taLength(v) * (layoutOf(v)?.size ?? 1);
  for (const h of candidates) {
    const w = liveSpan(h);
    if (w !== null && w[0] === rt && w[1] <= at && end <= w[1] + w[2] && w[2] > 0) return h;
  }
  return undefined;
}

/**
 * The handle of a resource instance (a C object with a destructor). Its
 * generated subclass (m.Canvas, ...) adds the methods. Freed by free(),
 * [Symbol.dispose](), a scope, or finalization, which runs the destructor
 * at the next call into the module (never inside the finalizer).
 */
// (Made by a call marked pure, as Handle is: its static block would keep it in every bundle.)
export const Resource = /* @__PURE__ */ (() => class Resource extends Handle {
  #type; #ptr; #owner;
  #taken = false; // C took its object (a `given` parameter): never given back by this handle
  #gone = false;  // ... and this handle let go of it, or C consumed it
  #born = 0;      // borrowed: the clock (res.clock) when it was made, or last followed its object (res.f)
  #died = Infinity; // the clock when it was freed (or C consumed its object)

  /**
   * @internal Made by the generated subclass. With `owner` (a handle, or
   * null), the handle is borrowed: the C object belongs to the library or to
   * `owner`, which this handle keeps alive; it is never given back (free()
   * only lets go). A handle made to own a pointer some borrowed handle has
   * is a new owner of that object: res.f (followFeature, in handle-features.mjs,
   * which only a module that borrows has) notes it, for them to follow it.
   */
  constructor(type, ptr, owner) {
    if (ptr === 0) throw new WasmgenError(`${type.js}: the constructor returned NULL`);
    if (owner === undefined) fresh(type.rt, ptr, type.js, `a ${type.js}`);
    super(type.rt, owner === undefined ? ptr : 0, 0, type.kind);
    this.#type = type;
    this.#ptr = ptr;
    this.#owner = owner;
    type.res.f?.made(this, ptr, type, owner);
  }

  /** A borrowed handle follows its object to the handle that owns it now, if any (res.f). */
  #follow() {
    if (this.#owner !== undefined) this.#type.res.f.follow(this, this.#ptr, this.#born);
  }

  /** True once freed (a borrowed handle: once it or its owner was freed). */
  get freed() { return isFreed(this); }

  /** Give it back now (see Handle#free); a handle whose object C took only lets go. */
  free() {
    if (this.#died === Infinity) this.#died = this.#type.res.clock;
    if (this.#taken) this.#gone = true;
    else super.free();
  }

  static {
    resourceFreed = (h) => {
      if (!(#type in h)) return undefined;
      h.#follow();
      return h.#gone || baseFreed(h) || (h.#owner != null && isFreed(h.#owner));
    };
    resourceParts = (h) => {
      if (!(#type in h)) return null;
      h.#follow();
      return [h.#type, h.#ptr, h.#owner];
    };
    // res.f's access to resource handle h (null for anything else): its type,
    // owner and when it died, after setting its owner and born when `born` is given.
    resourceFollows = (h, owner, born) => {
      if (!(#type in h)) return null;
      if (born !== undefined) {
        h.#owner = owner;
        h.#born = born;
      }
      return [h.#type, h.#owner, h.#died];
    };
    takeResource = (h, owner) => {
      h.#taken = true;
      if (owner !== null) {
        h.#owner = owner;
        h.#type.res.f.made(h, h.#ptr, h.#type, owner);
      } else {
        h.#gone = true;
        h.#died = h.#type.res.clock;
      }
    };
  }
})();

/**
 * The pointer to pass for resource handle `h` of `type`, after checks; pins
 * h (and a borrowed handle's owner) for the call.
 */
function resourcePtr(h, type, fn, what) {
  const parts = h !== null && typeof h === 'object' ? resourceParts(h) : null;
  const is = `${fn}: ${what} is a ${type.js}`;
  if (parts === null || parts[0].js !== type.js) throw new TypeError(`${fn}: ${what} must be a ${type.js}; got ${describe(h)}`);
  const [t, ptr, owner] = parts;
  if (t !== type) throw new TypeError(`${is} of another module instance`);
  if (owner != null && isFreed(owner)) throw new TypeError(`${is} whose owner was freed`);
  if (isFreed(h)) throw new TypeError(`${is} that was freed`);
  pin(owner ?? h, type.rt);
  return ptr;
}

/** Passed to a generated resource class's constructor to wrap a pointer C returned. */
export const ADOPT = Symbol('wasmgen.adopt');

/** The runtime's side of one resource type of one instance; `drop` is its destructor. */
export function resourceType(rt, name, js, kind, drop) {
  const res = (rt.life.res ??= resourceLife(rt.life));
  res.drops[kind] = drop;
  res.names[kind] = js;
  const type = {
    rt, res, name, js, kind, drop,
    /** `this` of a method call. */
    self(h, fn) { return resourcePtr(h, type, fn, 'this'); },
    /** A borrowed parameter (optional: null passes NULL). */
    borrow(h, fn, param, optional) {
      if (optional && h == null) return 0;
      return resourcePtr(h, type, fn, `parameter '${param}'`);
    },
    /**
     * A parameter whose object C takes (`given`): checked after the call's
     * other handles are pinned, h must own its object, be used by no other
     * argument (nor by a call in progress), and not be what `to` (where the
     * object goes; null: C consumes it) belongs to. Pinned for the call.
     */
    give(h, fn, param, optional, to) {
      if (optional && h == null) return 0;
      const parts = h !== null && typeof h === 'object' ? resourceParts(h) : null;
      if (parts?.[0] === type && !isFreed(h)) { // (anything else: resourcePtr's error)
        const is = `${fn}: parameter '${param}' is a ${type.js}`;
        if (parts[2] !== undefined) throw new TypeError(`${is} that does not own its object (a borrowed handle): only an owner can give it`);
        for (let o = to; o != null; o = resourceParts(o)?.[2])
          if (o === h) throw new TypeError(`${is} that its new owner belongs to: it would own itself`);
        // (a pinned handle borrowed from h, at any depth, uses h's object too)
        const uses = (p) => { for (let o = p; o != null; o = resourceParts(o)?.[2]) if (o === h) return true; return false; };
        if (rt.pins.some(uses)) throw new TypeError(`${is} in use by another argument of this call, or by a call in progress: it cannot be given`);
      }
      return resourcePtr(h, type, fn, `parameter '${param}'`);
    },
    /** After the call succeeded: C has h's object; h is borrowed from `to` now, or spent (null). */
    given(h, to) {
      if (h == null) return;
      rt.life.registry.unregister(h); // no finalizer: C has the object
      res.owned.delete(resourceParts(h)[1]);
      (res.taken ??= new WeakSet()).add(h); // freed during this call: see resourceLife.releaseLater
      takeResource(h, to);
      if (to === null) rt.cb?.ownerFreed(h); // consumed: the callbacks it kept end
    },
    /** A pointer C returned that no handle will own (the call failed): destroy it. */
    discard(p) {
      if (p !== 0 && !res.owned.has(p)) res.destroy(kind, p, `the destructor of a ${js} (a failed call's result)`);
    },
  };
  return Object.freeze(type);
}

/**
 * The handles reachable from `v`: through arrays, objects (their own data
 * properties: no getter runs), Maps (keys and values) and Sets, and the
 * handles of views (a handle's .view, or, among `candidates`, the handle a
 * view over the instance `rt`'s memory lies in). No depth limit; what cannot
 * be read (a Proxy that throws) reaches nothing.
 */
export function collectHandles(v, into, rt = null, candidates = []) {
  const seen = new Set();
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seen.has(x)) continue;
    seen.add(x);
    if (isHandle(x)) { into.add(x); continue; }
    try {
      if (ArrayBuffer.isView(x)) {
        const h = KEEP.get(x);
        if (h !== undefined) into.add(h);
        else if (rt !== null && candidates.length && taBuffer(x) === rt.memory.buffer) {
          const o = ownerOfView(x, rt, candidates);
          if (o !== undefined) into.add(o);
        }
        continue;
      }
      if (x instanceof Map || x instanceof Set) { // (a Map's entries: [key, value] arrays, walked next)
        for (const e of x) stack.push(e);
        continue;
      }
      if (Array.isArray(x)) {
        for (let i = 0, n = x.length; i < n; i++) stack.push(x[i]);
        continue;
      }
      for (const d of Object.values(Object.getOwnPropertyDescriptors(x)))
        if ('value' in d) stack.push(d.value);
    } catch {
      // a revoked or throwing Proxy: nothing more through it
    }
  }
}

/** Free every handle reachable from `v` (the partial results of a failed call). */
export function freeAll(v) {
  const found = new Set();
  collectHandles(v, found);
  for (const h of found) {
    try { h.free(); } catch { /* a destructor's error: the call's own error wins */ }
  }
}

/** The resource feature: what the generated code of a module with resources calls on $rt. */
export const resourceFeature = {
  ADOPT,
  resourceType(name, js, kind) { return resourceType(this, name, js, kind, guard(this, this.exports[`wg_r_${name}_drop`])); },
};
