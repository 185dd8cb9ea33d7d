
// ==== runtime.mjs - the Runtime: one object per instance that generated
// code reads fields from and calls (the marshalling hot path), and that
// users meet as `m.runtime`: the core every module has. Its other jobs are
// delegated: handle life to `life` (lifetime.mjs; only in a module whose JS
// can meet a handle: see handleFeature), WASI to `wasi` (wasi.mjs),
// instantiation to createRuntime() (instantiate.mjs); the methods only some
// modules call are feature objects (features.mjs).
//
// Every call into wasm that can run the module's code gives the C stack back
// when an exception crosses it (unwind) and first gives back what
// finalizers left (reap): generated functions inline, the runtime's own
// through guard() (resources' destructors). The runtime calls the raw exports
// (rt.exports) only for leaf calls, which run none of the module's code and call no
// import: the allocator (wg_alloc and wg_flush only free blocks from the
// queue, which holds no resources), wg_free, wg_adopt, the stack pointer.

import { badArity, describe, OUT_OF_MEMORY, paramOf, WasmgenError } from './errors.mjs';
import { createRuntime, moduleObject, refuse } from './instantiate.mjs';
import { ELEMENT_NAMES, RET_STACK_BYTES } from './tables.mjs';

const SCRATCH_MAX = 512;       // argument images up to this size go on that stack
export const MAX_BYTES = 0xfffffff0;  // the most one argument may take in wasm32 memory

/**
 * One instance's runtime: memory views, the temporaries of calls in
 * progress and the return-area stack. Generated code calls its methods;
 * users meet it as `m.runtime`.
 */
export class Runtime {
  /**
   * Compile and instantiate `source`, checking the exports the module
   * needs. `imports`, for modules that declare imports: { build }, where
   * build(rt, options.imports) checks them ($rt.imported) and returns the
   * wasm import functions that marshal to the user's options.imports.NAME.
   * `version` is the runtime version the generated module was made for.
   * `loadWasi()` resolves to the WASI part ({ wasiImports }), which is
   * loaded only for a module that imports WASI. `features`: the feature
   * objects (arrayFeature, ...) whose methods the module's generated code
   * calls on $rt (compiler/emit_js.c, FEATURES), put on this runtime.
   */
  static create(source, options, name, required, imports, version, loadWasi, features) {
    return createRuntime(source, options, name, required, imports, version, loadWasi, features);
  }

  /**
   * `features`: the feature objects (see create), whose methods become this
   * runtime's. With handleFeature, the handles' Lifetime (this.life; null
   * without: the module's JS never meets a handle).
   */
  constructor(name, options, features = []) {
    this.name = name;
    this.exports = null;
    this.memory = null;
    this.tmp = [];    // addresses allocated by calls in progress
    this.marks = [];  // per call in progress (enter): its stack pointer and pins.length, its tmp.length
    this.pins = [];   // handles in use by calls in progress (see handles.mjs), and HOLDs
    this.holdAll = 0; // calls in progress passing wasm memory no handle is known to own (see wasmView)
    this.held = [];   // handles freed meanwhile
    this.made = [];   // handles a call's results made, while it converts them (see begin())
    this.n = 0;       // the length (elements or bytes) of the last marshalled value
    this.sp = 0;      // the return-area stack pointer
    this.spEnd = 0;
    this.inImport = 0; // imports in progress: calls from wasm into JS (see unwind)
    this.waiting = false; // finalizers left something to give back: reap() at the next call
    this.buffer = null;
    this.buffers = new WeakSet(); // every buffer memory has had: views of old ones are stale
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder('utf-8');
    this.wasi = null;
    this.alloc = null; // m.alloc (see attach)
    this.debug = !!options.debug;
    this.statsAt = 0; // the address of the wg_stats
    this.sp0 = 0;     // the C stack pointer between calls
    this.cb = null;   // JS functions C calls through pointers (callbackFeature makes the registry)
    this.cbHeld = 0;  // the address of wg__cb_held (what the glue holds while callbacks run)
    this.onError = (error, what) => console.warn(`wasmgen (${name}): ${what} threw:`, error);
    const onError = options.onError;
    if (onError !== undefined) {
      if (typeof onError !== 'function') refuse(`options.onError must be a function; got ${describe(onError)}`);
      this.onError = onError;
    }
    Object.assign(this, ...features);
    this.life = this.lifetime?.(options) ?? null;
  }

  /** Take over an instance whose exports were checked (see createRuntime), and initialize it. */
  attach(instance) {
    const x = instance.exports;
    this.exports = x;
    this.memory = x.memory;
    this.#rebuild();
    this.wasi.initialize(instance);
    this.sp0 = x.wg_stack_get() >>> 0;
    this.statsAt = x.wg_stats() >>> 0;
    this.life?.attach(x);
    this.alloc = this.allocator?.() ?? noAlloc(this); // handleFeature's, or one that throws
    this.sp = x.wg_ret_stack() >>> 0;
    this.spEnd = this.sp + RET_STACK_BYTES;
    this.cbHeld = typeof x.wg_cb_held === 'function' ? x.wg_cb_held() >>> 0 : 0;
  }

  /**
   * Freeze the object instantiate() resolves to: the module's functions and
   * the runtime's members. A function named like a member (stats, memory,
   * ...) wins; the member stays reachable as m.runtime.NAME.
   */
  finish(funcs) { return moduleObject(this, funcs); }

  // ---- The members of every module object (see finish)

  /** The allocator's counters, and the handles' (see Lifetime.stats). */
  stats() {
    this.sync();
    const s = this.statsAt >>> 2, u = this.u32;
    const out = {
      liveAllocations: u[s],
      liveBytes: u[s + 1],
      peakBytes: u[s + 2],
      heapBytes: u[s + 3],
      totalAllocations: u[s + 4],
      totalFrees: u[s + 5],
      queueFrees: u[s + 6],
      invalidFrees: u[s + 7],
      pendingFrees: 0,
      pendingBytes: 0,
      handleBytes: 0,
      explicitFrees: 0,
      memoryBytes: this.memory.buffer.byteLength,
      liveCallbacks: this.cb?.live ?? 0,
    };
    this.life?.stats(out);
    return out;
  }

  /** Free everything finalizers have queued; returns how many. */
  flush() { return (this.life?.reap() ?? 0) + (this.exports.wg_flush() >>> 0); }

  /** See Lifetime.scope (without handles, there is nothing to free: fn's result). */
  scope(fn) {
    if (typeof fn !== 'function') throw new TypeError(`scope: expected a function; got ${describe(fn)}`);
    return this.life !== null ? this.life.scope(fn) : fn();
  }

  /** With options.debug: the live handles and where each was made. */
  leaks() {
    if (!this.debug) throw new Error(`leaks: instantiate with { debug: true } to record where handles are made`);
    return this.life !== null ? this.life.leaks() : [];
  }

  /**
   * An error nobody called for: a finalized resource's destructor, one
   * deferred to the end of the call that used it, an output hook's. It goes
   * to options.onError (default: console.warn); if that throws too, to
   * console.error.
   */
  report(error, what) {
    try {
      this.onError(error, what);
    } catch (e) {
      try { console.error(`wasmgen (${this.name}): options.onError threw:`, e, 'reporting:', error); } catch { /* nothing left */ }
    }
  }
  /** A handle registering `fn` for as long as a library keeps it (`stored` parameters). */
  callback(fn) {
    if (this.cb === null) throw new TypeError(`callback: module ${this.name} takes no callbacks`);
    return this.cb.handle(fn);
  }

  /**
   * Print the partial lines the module wrote to stdout and stderr (text
   * without its newline yet). Text still in C's stdio buffer is C's to
   * fflush() first.
   */
  flushOutput() { this.wasi.flush(); }

  /** A WasmArray holding a copy of a typed array. */
  from(typedArray) { return this.copyArray(typedArray, 'from'); }

  /** from() of a module without handles (handleFeature has the real one). */
  copyArray(ta, fn) { throw noArrays(this, fn); }

  // ---- Memory views

  #rebuild() {
    const b = this.memory.buffer;
    this.buffer = b;
    this.buffers.add(b);
    this.u8 = new Uint8Array(b);
    this.u32 = new Uint32Array(b);
    this.i32 = new Int32Array(b);
    this.i64 = new BigInt64Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.dv = new DataView(b);
  }

  /** Rebuild the views if memory has grown (the old buffer is then detached). */
  sync() {
    if (this.u8.byteLength === 0 || this.buffer !== this.memory.buffer) this.#rebuild();
  }

  // ---- Errors (see errors.mjs)


  /**
   * After an exception crossed wasm frames (an import threw, C called
   * exit(), a trap): they never gave their C stack back. The outermost call
   * (no import in progress) restores the stack pointer the instance has
   * between calls. Every path into wasm does this: generated functions in
   * their catch, the runtime's own calls through guard().
   */
  unwind(e) {
    if (this.inImport === 0) {
      if (this.sp0 !== 0) this.exports.wg_stack_set(this.sp0);
      // What the glue of calls passing callbacks allocated (see wg_cb_hold).
      if (this.cbHeld !== 0) {
        this.sync();
        if (this.u32[this.cbHeld >>> 2] !== 0) this.exports.wg_cb_unwind();
      }
    }
    return e;
  }

  /** At a safe point (a call starting): give back what finalizers left (see Lifetime.reap). */
  reap() { this.life.reap(); }

  // ---- Temporaries of calls in progress

  /**
   * Start a call of the generated function `fn`: check its argument count
   * (`got` against `expected`; a function with optional arguments checks
   * its own and passes neither), give back what finalizers left (reap:
   * nothing of the call has started), mark its temporaries and reserve its
   * return area of `slots` 8-byte slots, whose address it returns. Small
   * argument images go on the return-area stack too (no allocation, no
   * call into wasm); the rest are malloc'ed and listed in tmp; handles the
   * call uses are pinned. release() ends the innermost call's (calls nest).
   */
  enter(fn, slots, got, expected) {
    if (got !== expected) badArity(fn, expected, got);
    if (this.waiting) this.reap();
    const r = this.sp;
    if (r + 8 * slots > this.spEnd) throw new RangeError('wasmgen: calls nested too deeply (return-area stack is full)');
    this.marks.push(r + this.pins.length * 4294967296, this.tmp.length); // sp and pins in one (exact) number
    this.sp = r + 8 * slots;
    return r;
  }

  /** End the innermost call (see enter): free its temporaries, unpin what it used. */
  release() {
    const marks = this.marks, m = marks.pop(), tmp = this.tmp, free = this.exports.wg_free;
    while (tmp.length > m) {
      const p = tmp.pop();
      if (p > 0) free(p);
      else if (p < 0) this.cb.release(-p); // a callback registered for the call
    }
    const mark = marks.pop(), sp = mark >>> 0;
    this.sp = sp;
    if (this.pins.length !== 0) this.unpinTo((mark - sp) / 4294967296);
  }

  /** Room for an argument's image for the current call: on the stack if small and there is room. */
  arg(bytes, fn, param) {
    const p = this.sp;
    if (bytes <= SCRATCH_MAX && p + bytes <= this.spEnd) {
      this.sp = (p + bytes + 7) & ~7;
      return p;
    }
    return this.temp(bytes, fn, param);
  }

  /** Allocate `bytes` for the duration of the current call. */
  temp(bytes, fn, param) {
    const p = bytes <= MAX_BYTES ? this.exports.wg_alloc(bytes) >>> 0 : 0;
    if (p === 0) noRoom(fn, param, bytes);
    this.tmp.push(p);
    this.sync(); // allocating may have grown memory
    return p;
  }



  // ---- Strings

  /** Copy a string into wasm memory as NUL-terminated UTF-8; its byte length goes to this.n. */
  str(s, fn, param) {
    if (typeof s !== 'string') throw new TypeError(`${paramOf(fn, param)} must be a string; got ${describe(s)}`);
    const n = s.length;
    // UTF-8 needs at most 3 bytes per UTF-16 unit. Huge strings are measured first.
    const cap = n <= 0x100000 ? 3 * n + 1 : utf8Length(s) + 1;
    const p = this.arg(cap, fn, param);
    this.sync();
    const u8 = this.u8;
    let i = 0;
    if (n <= 64) {
      // Short ASCII strings: a plain loop beats TextEncoder's call overhead.
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        u8[p + i] = c;
      }
    }
    let len = i;
    if (i < n) len += this.encoder.encodeInto(i === 0 ? s : s.slice(i), u8.subarray(p + i, p + cap - 1)).written;
    u8[p + len] = 0;
    this.n = len;
    return p;
  }

  /** str(), or NULL for null and undefined (string? parameters). */
  strOpt(s, fn, param) {
    if (s == null) { this.n = 0; return 0; }
    return this.str(s, fn, param);
  }

  /** Decode `len` bytes of UTF-8 at `p`. */
  decode(p, len) {
    if (len <= 32) {
      const u8 = this.u8;
      let s = '';
      for (let i = 0; i < len; i++) {
        const c = u8[p + i];
        if (c >= 0x80) return this.decoder.decode(u8.subarray(p, p + len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.decoder.decode(this.u8.subarray(p, p + len));
  }

  /**
   * A string C returned in return-area slot `at`: decode it, free it (the
   * slot is emptied). With `free`, an export of the glue calling the
   * library's own function, that frees it instead (unchecked: the library's).
   * NULL is null for a `string?` result and a bound library's; for a
   * `string` one (`must`), an error, unless the call failed (`err`: its
   * error slot), which is raised next.
   */
  takeStr(at, fn = 'wasmgen', free = null, must = false, err = undefined) {
    this.sync();
    const i = at >>> 2, u32 = this.u32;
    const p = u32[i], len = u32[i + 1];
    if (p === 0) {
      if (!must || (err !== undefined && this.failed(err))) return null;
      throw new WasmgenError(`${fn}: the module returned NULL for a string (declare the result string? where it may be NULL)`);
    }
    u32[i] = 0;
    if (free !== null) {
      try {
        return this.decode(p, len);
      } finally {
        free(p);
      }
    }
    // ownStr(), inline: this is the hot path of every string result.
    const u8 = this.u8;
    if (!(p + len < u8.length) || u8[p + len] !== 0) badString(p, len, fn);
    const s = this.decode(p, len);
    if (this.exports.wg_free(p) === 0) notMalloc(p, fn, 'a string');
    return s;
  }

}

/**
 * The guard of an export the runtime itself calls (a destructor, above all):
 * the outermost call first gives back what finalizers left (reap), and an
 * exception crossing wasm frames gives the C stack back (unwind). Generated
 * functions do the same with their own code (enter() or start(), and
 * `catch ($e) { throw $rt.unwind($e); }`), calling the raw export: a shared
 * closure would make that call site megamorphic.
 */
export function guard(rt, f) {
  return (...args) => {
    if (rt.waiting) rt.reap();
    try {
      return f(...args);
    } catch (e) {
      throw rt.unwind(e);
    }
  };
}

/**
 * A wasm import (WASI's, or options.wasmImports'): counted in rt.inImport
 * while it runs, so that unwind() knows a call from it into the module is
 * not the outermost. (The declared imports count themselves.)
 */
export function countedImport(rt, f) {
  if (typeof f !== 'function') return f;
  return function (...args) {
    rt.inImport++;
    try {
      return f.apply(this, args);
    } finally {
      rt.inImport--;
    }
  };
}

/** m.alloc in a module without handles: it and each m.alloc.TYPE throw. */
function noAlloc(rt) {
  const alloc = () => { throw noArrays(rt, 'alloc'); };
  for (const t of ELEMENT_NAMES.split(' ')) alloc[t] = () => { throw noArrays(rt, `alloc.${t}`); };
  return Object.freeze(alloc);
}

/** What m.alloc, m.from and WasmArray.from throw in a module without handles. */
function noArrays(rt, fn) {
  return new TypeError(`${fn}: module ${rt.name} takes and returns no arrays (no WasmArray can be passed to it)`);
}

export function badString(p, len, fn) {
  throw new WasmgenError(`${fn}: the module returned a string at ${p} of ${len} bytes, outside memory or not NUL-terminated`);
}

/** The allocator refused to free what C returned. */
export function notMalloc(p, fn, what) {
  throw new WasmgenError(`${fn}: the module returned ${what} at ${p}, which is not a block from malloc`);
}

/** Wasm memory has no room for an argument of `bytes`. */
export function noRoom(fn, param, bytes) {
  throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (parameter '${param}' needs ${bytes} bytes)`);
}

export function utf8Length(s) {
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { len += 4; i++; }
    else len += 3;
  }
  return len;
}
