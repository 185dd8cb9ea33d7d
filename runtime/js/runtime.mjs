
// ==== runtime.mjs - the Runtime: one object per instance that generated
// code reads fields from and calls (the marshalling hot path), and that
// users meet as `m.runtime`: the core every module has. Its other jobs are
// delegated: handle life to `life` (lifetime.mjs; only in a module whose JS
// can meet a handle: see handleFeature), WASI to `wasi` (wasi.mjs, which
// also makes the import object of a module importing WASI or raw imports),
// instantiation to createRuntime() (instantiate.mjs); the methods only some
// modules call are feature objects (features.mjs).
//
// Every call into wasm that can run the module's code gives the C stack back
// when an exception crosses it (unwind) and first gives back what
// finalizers left (reap): generated functions inline, the runtime's own
// through guard() (resources' destructors). The runtime calls the raw exports
// (rt.exports) only for leaf calls, which run none of the module's code and call no
// import: the allocator (wg_alloc and wg_flush only free blocks from the
// queue, which holds no resources), wg_free, wg_adopt, the stack pointer,
// the addresses of wg_stats and wg__cb_held.
//
// Written for the minifier, which shortens local names and private fields
// but never property names: the fields no other part reads are private, the
// others class fields; what only some modules use is a feature object.

import { badArity, badParam, badReturn, describe, OUT_OF_MEMORY } from './errors.mjs';
import { createRuntime, refuse } from './instantiate.mjs';
import { MEMBERS, METHOD_MEMBER, RET_STACK_BYTES, VALUE_MEMBER } from './tables.mjs';

const SCRATCH_MAX = 512;       // argument images up to this size go on that stack
export const MAX_BYTES = 0xfffffff0;  // the most one argument may take in wasm32 memory
// What stats() reports: the fields of struct wg_stats (runtime/wasmgen.h) in
// their order, then the handles' (Lifetime.stats; 0 without handles).
const STATS = 'liveAllocations liveBytes peakBytes heapBytes totalAllocations totalFrees queueFrees invalidFrees ' +
  'pendingFrees pendingBytes handleBytes explicitFrees';

/**
 * One instance's runtime: memory views, the temporaries of calls in
 * progress and the return-area stack. Generated code calls its methods;
 * users meet it as `m.runtime`.
 */
export class Runtime {
  // Fields (the constructor sets name, debug, onError and life, attach()
  // exports, memory, buffer and the views, and alloc (m.alloc); the WASI
  // part's importObject sets wasi: none without WASI).
  tmp = [];         // addresses allocated by calls in progress
  #marks = [];      // per call in progress (enter): its stack pointer and pins.length, its tmp.length
  pins = [];        // handles in use by calls in progress (see handles.mjs), and HOLDs
  holdAll = 0;      // calls in progress passing wasm memory no handle is known to own (see wasmView)
  held = [];        // handles freed meanwhile
  made = [];        // handles a call's results made, while it converts them (see begin())
  n = 0;            // the length (elements or bytes) of the last marshalled value
  #sp = 0;          // the return-area stack pointer, and its end
  #spEnd = 0;
  inImport = 0;     // imports in progress: calls from wasm into JS (see unwind)
  waiting = false;  // finalizers left something to give back: reap() at the next call
  buffers = new WeakSet(); // every buffer memory has had: views of old ones are stale
  encoder = new TextEncoder();
  #decoder = new TextDecoder();
  #sp0 = 0;         // the C stack pointer between calls
  cb;               // JS functions C calls through pointers (callbackFeature makes the registry)

  /**
   * Compile and instantiate `source`, checking the exports the module
   * needs. `imports`, for modules that declare imports: { build }, where
   * build(rt, options.imports) checks them ($rt.imported) and returns the
   * wasm import functions that marshal to the user's options.imports.NAME.
   * `version` is the runtime version the generated module was made for.
   * `loadWasi()` resolves to the WASI part ({ importObject }), which is
   * loaded only for a module that imports WASI or raw imports, or is given
   * options.wasi. `features`: the feature objects (arrayFeature, ...) whose
   * methods the module's generated code calls on $rt (compiler/emit_js.c,
   * FEATURES), put on this runtime. (createRuntime in instantiate.mjs.)
   */
  static create = createRuntime;

  /**
   * `features`: the feature objects (see create), whose methods become this
   * runtime's. With handleFeature, the handles' Lifetime (this.life; none
   * without: the module's JS never meets a handle).
   */
  constructor(name, options, features) {
    this.name = name;
    this.debug = !!options.debug;
    const onError = options.onError;
    if (onError !== undefined && typeof onError !== 'function') refuse(`options.onError must be a function; got ${describe(onError)}`);
    this.onError = onError ?? ((error, what) => console.warn(`wasmgen (${name}): ${what} threw:`, error)); // (see report)
    Object.assign(this, ...features);
    this.life = this.lifetime?.(options);
  }

  /** Take over an instance whose exports were checked (see createRuntime), and initialize it. */
  attach(instance) {
    const x = instance.exports;
    this.exports = x;
    this.memory = x.memory;
    this.#rebuild();
    if (this.wasi) this.wasi.initialize(instance);
    else x._initialize?.(); // (a reactor's)
    this.#sp0 = x.wg_stack_get() >>> 0;
    this.life?.attach(x);
    this.alloc = this.allocator(); // handleFeature's, or noHandleFeature's, which throws
    this.#sp = x.wg_ret_stack() >>> 0;
    this.#spEnd = this.#sp + RET_STACK_BYTES;
  }

  /**
   * Freeze the object instantiate() resolves to: the module's functions and
   * the runtime's members. A function named like a member (stats, memory,
   * ...) wins; the member stays reachable as m.runtime.NAME.
   */
  finish(funcs) {
    const members = {};
    // MEMBERS (compiler/runtime.def: tests/e2e/features.test.mjs checks the Runtime has each).
    for (const [name, kind] of Object.entries(MEMBERS))
      members[name] = kind === METHOD_MEMBER ? this[name].bind(this) : kind === VALUE_MEMBER ? this[name] : this;
    return Object.freeze(Object.assign(members, funcs));
  }

  // ---- The members of every module object (see finish)

  /** The allocator's counters and the handles' (STATS), memory's size, the callbacks registered. */
  stats() {
    this.sync();
    const out = {}, s = this.exports.wg_stats() >>> 2; // (the address of the allocator's wg_stats)
    STATS.split(' ').forEach((k, i) => { out[k] = i < 8 ? this.u32[s + i] : 0; });
    out.memoryBytes = this.memory.buffer.byteLength;
    out.liveCallbacks = this.cb?.live ?? 0;
    this.life?.stats(out);
    return out;
  }

  /** Free everything finalizers have queued; returns how many. */
  flush() { return (this.life?.reap() ?? 0) + (this.exports.wg_flush() >>> 0); }

  /** See Lifetime.scope (without handles, there is nothing to free: fn's result). */
  scope(fn) {
    if (typeof fn !== 'function') throw new TypeError(`scope: expected a function; got ${describe(fn)}`);
    return this.life ? this.life.scope(fn) : fn();
  }

  /** With options.debug: the live handles and where each was made. */
  leaks() {
    if (!this.debug) throw new Error('leaks: instantiate with { debug: true } first');
    return this.life?.leaks() ?? [];
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
    return (this.cb ?? lacks(this, 'callback', 'callbacks')).handle(fn);
  }

  /**
   * Print the partial lines the module wrote to stdout and stderr (text
   * without its newline yet). Text still in C's stdio buffer is C's to
   * fflush() first.
   */
  flushOutput() { this.wasi?.flush(); }

  /** A WasmArray holding a copy of a typed array (copyArray: handleFeature's, or noHandleFeature's, which throws). */
  from(typedArray) { return this.copyArray(typedArray, 'from'); }

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
   * between calls, and, in a module with callbacks, frees what the glue of
   * calls passing them allocated (callbackFeature.cbUnwind). Every path into
   * wasm does this: generated functions in their catch, the runtime's own
   * calls through guard().
   */
  unwind(e) {
    if (this.inImport === 0 && this.#sp0 !== 0) {
      this.exports.wg_stack_set(this.#sp0);
      this.cbUnwind?.();
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
    const r = this.#sp;
    if (r + 8 * slots > this.#spEnd) throw new RangeError('wasmgen: calls nested too deeply (return-area stack is full)');
    this.#marks.push(r + this.pins.length * 4294967296, this.tmp.length); // sp and pins in one (exact) number
    this.#sp = r + 8 * slots;
    return r;
  }

  /**
   * End the innermost call (see enter): free its temporaries, unpin what it
   * used. Its marks are taken first and its pins let go whatever happens, so
   * that a free that throws cannot leave the next calls another call's marks
   * (what it did not free stays listed: the outer call's release frees it).
   */
  release() {
    const marks = this.#marks, m = marks.pop(), mark = marks.pop(), sp = mark >>> 0, tmp = this.tmp;
    this.#sp = sp;
    try {
      while (tmp.length > m) {
        const p = tmp.pop();
        if (p > 0) this.exports.wg_free(p);
        else if (p < 0) this.cb.release(-p); // a callback registered for the call
      }
    } finally {
      if (this.pins.length !== 0) this.unpinTo((mark - sp) / 4294967296);
    }
  }

  /** Room for an argument's image for the current call: on the stack if small and there is room. */
  arg(bytes, fn, param) {
    const p = this.#sp;
    if (bytes <= SCRATCH_MAX && p + bytes <= this.#spEnd) {
      this.#sp = (p + bytes + 7) & ~7;
      return p;
    }
    return this.temp(bytes, fn, param);
  }

  /**
   * Allocate `bytes` for the duration of the current call: owned by JS
   * (wg_adopt), so that C can neither free it nor give it back as a result
   * (release() frees it).
   */
  temp(bytes, fn, param) {
    const p = bytes <= MAX_BYTES ? this.exports.wg_alloc(bytes) >>> 0 : 0;
    if (p === 0) noRoom(fn, param, bytes);
    this.exports.wg_adopt(p, bytes);
    this.tmp.push(p);
    this.sync(); // allocating may have grown memory
    return p;
  }

  // ---- Strings

  /** Copy a string into wasm memory as NUL-terminated UTF-8; its byte length goes to this.n. */
  str(s, fn, param) {
    if (typeof s !== 'string') badParam(fn, param, `must be a string; got ${describe(s)}`);
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
    if (i < n) len += this.encoder.encodeInto(i === 0 ? s : s.slice(i), new Uint8Array(this.buffer, p + i, cap - 1 - i)).written;
    u8[p + len] = 0;
    this.n = len;
    return p;
  }

  /** Decode `len` bytes of UTF-8 at `p`. */
  decode(p, len) {
    const u8 = this.u8;
    if (len <= 32) {
      // Short ASCII strings: a plain loop beats TextDecoder's call overhead.
      let s = '', i = 0;
      for (; i < len && u8[p + i] < 0x80; i++) s += String.fromCharCode(u8[p + i]);
      if (i === len) return s;
    }
    return this.#decoder.decode(new Uint8Array(this.buffer, p, len));
  }

  /**
   * A string C returned in return-area slot `at`: decode it, free it (the
   * slot is emptied). NULL is null for a `string?` result; for a `string`
   * one (`must`), an error, unless the call failed (`err`: its error slot),
   * which is raised next. (A bound library's string, freed by its own
   * function: resultFeature.takeStrBy.)
   */
  takeStr(at, fn, must, err) {
    this.sync();
    const i = at >>> 2, u32 = this.u32;
    const p = u32[i], len = u32[i + 1];
    if (p === 0) {
      if (must && !(err !== undefined && this.failed(err))) badReturn(fn, 'NULL for a string (declare it string? where it may be)');
      return null;
    }
    u32[i] = 0;
    return takeString(this, p, len, fn);
  }
}

/**
 * The string of `len` bytes at `p`, which C returned for JS: decoded, then
 * freed. It must be a block of malloc's, big enough for its NUL, that JS
 * does not own (a live handle's, or an argument's: C returning what it was
 * given), and be NUL-terminated; otherwise a WasmgenError naming the
 * function (C's block is freed all the same). (The hot path of every
 * string result: one check, wg_adopt, which also marks the block JS's.)
 */
export function takeString(rt, p, len, fn) {
  const r = rt.exports.wg_adopt(p, len + 1); // (a length past memory: no NUL to find there)
  if (r !== 0 || rt.u8[p + len] !== 0) {
    if (r % 3 === 0) rt.exports.wg_free(p); // (0 or 3: C's block, given back)
    refused(fn, `a string of ${len} bytes`, p, r);
  }
  const s = rt.decode(p, len);
  rt.exports.wg_free(p);
  return s;
}

/**
 * What C returned at `p` (`what`) that JS cannot take, by wg_adopt's
 * answer `r` (0: it could, but a string is not NUL-terminated): a
 * WasmgenError naming the function.
 */
export function refused(fn, what, p, r) {
  badReturn(fn, `${what} at ${p}, ${['not NUL-terminated', 'not a block from malloc', 'already owned by JS'][r] ??
    'in a smaller block'}`);
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
 * What a member needing what the module lacks throws: m.alloc, m.from and
 * WasmArray.from without handles (`what`: arrays), m.callback without callbacks.
 */
export function lacks(rt, fn, what) {
  throw new TypeError(`${fn}: module ${rt.name} takes no ${what}`);
}


/** Wasm memory has no room for an argument of `bytes`. */
export function noRoom(fn, param, bytes) {
  throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (parameter '${param}' needs ${bytes} bytes)`);
}

/** The length of `s` in UTF-8 (a lone surrogate: 3 bytes, as U+FFFD). */
export function utf8Length(s) {
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    len += c < 0x80 ? 1 : c < 0x800 ? 2
      : (c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? (i++, 4) : 3;
  }
  return len;
}
