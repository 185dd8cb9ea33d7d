
// ==== runtime.mjs - the Runtime: one object per instance that generated
// code reads fields from and calls (the marshalling hot path), and that
// users meet as `m.runtime`. Its other jobs are delegated: handle life to
// `life` (lifetime.mjs), WASI to `wasi` (wasi.mjs), instantiation to
// createRuntime() (instantiate.mjs).

import { badArity, badArityOpt, badArityRange, badResult, badScalar, describe, OUT_OF_MEMORY, WasmgenError } from './errors.mjs';
import { ADOPT, freeAll, resourceType, WasmArray } from './handles.mjs';
import { arrayCodec, enumCodec, listCodec, optionalCodec, stringCodec, structCodec } from './codecs.mjs';
import { checkElements, types } from './types.mjs';
import { createRuntime, moduleObject } from './instantiate.mjs';
import { Lifetime } from './lifetime.mjs';
import { RET_STACK_BYTES } from './tables.mjs';

const SCRATCH_MAX = 512;       // argument images up to this size go on that stack

/**
 * One instance's runtime: memory views, the temporaries of calls in
 * progress and the return-area stack. Generated code calls its methods;
 * users meet it as `m.runtime`.
 */
export class Runtime {
  /**
   * Compile and instantiate `source`, checking the exports the module
   * needs. `imports`, for modules that declare imports: { names, build },
   * where build(rt, user) returns the wasm import functions that marshal to
   * the user's options.imports.NAME. `version` is the runtime version the
   * generated module was made for.
   */
  static create(source, options, name, required, imports, version) {
    return createRuntime(source, options, name, required, imports, version);
  }

  constructor(name, options, ALS) {
    this.name = name;
    this.exports = null;
    this.memory = null;
    this.tmp = [];    // addresses allocated by calls in progress
    this.marks = [];  // the stack pointer at each mark() of calls in progress
    this.n = 0;       // the length (elements or bytes) of the last marshalled value
    this.sp = 0;      // the return-area stack pointer
    this.spEnd = 0;
    this.buffer = null;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder('utf-8');
    this.life = new Lifetime(this, options, ALS);
    this.wasi = null;
    this.alloc = null;
    this.inImport = 0;         // import calls in progress
    this.sp0 = 0;              // the C stack pointer between calls
    this.ADOPT = ADOPT;
  }

  /** Take over an instance whose exports were checked (see createRuntime), and initialize it. */
  attach(instance) {
    const x = instance.exports;
    this.exports = x;
    this.memory = x.memory;
    this.#rebuild();
    this.wasi.initialize(instance);
    this.sp0 = x.wg_stack_get() >>> 0;
    this.life.attach(x);
    const alloc = (type, n) => this.allocArray(type, n, 'alloc');
    for (const name of Object.keys(types)) alloc[name] = (n) => this.allocArray(name, n, `alloc.${name}`);
    /** m.alloc(type, n) or m.alloc.f64(n): a zeroed array in wasm memory. */
    this.alloc = Object.freeze(alloc);
    this.sp = x.wg_ret_stack() >>> 0;
    this.spEnd = this.sp + RET_STACK_BYTES;
  }

  /**
   * Freeze the object instantiate() resolves to: the module's functions and
   * the runtime's members. A function named like a member (stats, memory,
   * ...) wins; the member stays reachable as m.runtime.NAME.
   */
  finish(funcs) { return moduleObject(this, funcs); }

  // ---- The members of every module object (see finish)

  /** The allocator's counters, and the handles'. */
  stats() { return this.life.stats(); }
  /** Free everything finalizers have queued; returns how many. */
  flush() { return this.life.flush(); }
  /** See Lifetime.scope. */
  scope(fn) { return this.life.scope(fn); }
  /** With options.debug: the live handles and where each was made. */
  leaks() { return this.life.leaks(); }

  /**
   * Print the partial lines the module wrote to stdout and stderr (text
   * without its newline yet). Text still in C's stdio buffer is C's to
   * fflush() first.
   */
  flushOutput() { this.wasi.flush(); }

  /** A new zeroed array of `n` elements of `type` ('f64', ...) in wasm memory. */
  allocArray(type, n, fn) {
    const t = typeof type === 'string' ? types[type] : Object.values(types).includes(type) ? type : undefined;
    if (t === undefined || !Object.hasOwn(types, t.name))
      throw new TypeError(`${fn}: unknown element type ${describe(type)}; one of ${Object.keys(types).join(', ')}`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n * t.size > 0xfffffff0)
      throw new RangeError(`${fn}: the length must be an integer from 0 to ${Math.floor(0xfffffff0 / t.size)}; got ${describe(n)}`);
    if (n === 0) return new WasmArray(this, t, 0, 0);
    const bytes = n * t.size;
    const p = this.exports.wg_alloc(bytes) >>> 0;
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (${bytes} bytes)`);
    this.sync();
    this.u8.fill(0, p, p + bytes);
    return new WasmArray(this, t, p, n);
  }

  /** A WasmArray holding a copy of a typed array. */
  from(typedArray) { return this.copyArray(typedArray, 'from'); }

  /** from(), for the function `fn`. */
  copyArray(ta, fn) {
    const t = ArrayBuffer.isView(ta) ? Object.values(types).find((e) => ta instanceof e.Array) : undefined;
    if (t === undefined) throw new TypeError(`${fn}: expected a typed array (Float64Array, Uint8Array, ...); got ${describe(ta)}`);
    const h = this.allocArray(t, ta.length, fn);
    if (ta.length) h.view.set(ta);
    return h;
  }

  // ---- Memory views

  #rebuild() {
    const b = this.memory.buffer;
    this.buffer = b;
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

  arity(fn, expected, got) { badArity(fn, expected, got); }
  arityRange(fn, min, max, got) { badArityRange(fn, min, max, got); }
  /** Arity of a function whose last argument may be an options object. */
  arityOpt(fn, expected, got) { badArityOpt(fn, expected, got); }
  /** A scalar argument failed its check: say why. */
  bad(type, v, fn, param) { badScalar(type, v, fn, param); }
  /** An import returned the wrong kind of value. */
  badResult(fn, v, type) { badResult(fn, v, type); }

  /** An i53 from C (a BigInt) as a Number; outside ±(2^53 - 1) is an error. */
  i53(v) {
    if (v > 9007199254740991n || v < -9007199254740991n)
      throw new WasmgenError(`the module returned ${v} for an i53, which is not a safe integer`);
    return Number(v);
  }

  /** After an exception crossed wasm frames: give back the C stack they held. */
  unwind(e) {
    if (this.inImport === 0 && this.sp0 !== 0) this.exports.wg_stack_set(this.sp0);
    return e;
  }

  // ---- Codecs, for the generated module's declarations (see codecs.mjs)

  enumType(name, values) { return enumCodec(name, values); }
  structType(name, size, align) { return structCodec(name, size, align); }
  listType(elem, optional = false) { return listCodec(elem, optional); }
  stringField(optional = false) { return stringCodec(optional); }
  arrayField(t, optional = false) { return arrayCodec(t, optional); }
  optType(scalar) { return optionalCodec(scalar); }
  resourceType(name, js, kind) { return resourceType(this, name, js, kind, this.exports[`wg_r_${name}_drop`]); }

  // ---- Functions declared `throws`

  /** Did the call at return area `a` fail (wg_error: code, failed, message)? */
  failed(a) { this.sync(); return this.dv.getInt32(a + 4, true) !== 0; }

  /** Throw the WasmgenError recorded at `a`, after freeing what `partial` holds. */
  raise(a, fn, partial) {
    this.sync();
    const code = this.dv.getInt32(a, true), p = this.dv.getUint32(a + 8, true);
    const message = p === 0 ? 'failed' : this.decode(p, utf8Strlen(this.u8, p));
    if (p !== 0) this.exports.wg_free(p);
    freeAll(partial);
    // A binding's glue found an argument out of range (WG_BIND_RANGE).
    if (this.dv.getInt32(a + 4, true) === 2) throw new RangeError(`${fn}: ${message}`);
    throw new WasmgenError(`${fn}: ${message}`, code);
  }

  // ---- Temporaries of calls in progress

  /**
   * Start a call's temporaries. Small argument images go on the return-area
   * stack (no allocation, no call into wasm); the rest are malloc'ed and
   * listed in tmp. release(m) ends them, in the reverse order of mark().
   */
  mark() {
    this.marks.push(this.sp);
    return this.tmp.length;
  }

  /** Free every temporary allocated since mark `m`. */
  release(m) {
    const tmp = this.tmp, free = this.exports.wg_free;
    while (tmp.length > m) {
      const p = tmp.pop();
      if (p !== 0) free(p);
    }
    this.sp = this.marks.pop();
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
    const p = bytes <= 0xfffffff0 ? this.exports.wg_alloc(bytes) >>> 0 : 0;
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (parameter '${param}' needs ${bytes} bytes)`);
    this.tmp.push(p);
    this.sync(); // allocating may have grown memory
    return p;
  }

  /** Reserve `slots` 8-byte return-area slots; pop() with the address returned. */
  push(slots) {
    const r = this.sp;
    if (r + 8 * slots > this.spEnd) throw new RangeError('wasmgen: calls nested too deeply (return-area stack is full)');
    this.sp = r + 8 * slots;
    return r;
  }

  pop(r) { this.sp = r; }

  /** A return area too large for the stack (a big struct result), for one call; popHeap(r) frees it. */
  pushHeap(slots, fn) {
    const p = this.exports.wg_alloc(8 * slots) >>> 0;
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (its result needs ${8 * slots} bytes)`);
    this.sync(); // allocating may have grown memory
    return p;
  }

  popHeap(r) { this.exports.wg_free(r); }

  // ---- Strings

  /** Copy a string into wasm memory as NUL-terminated UTF-8; its byte length goes to this.n. */
  str(s, fn, param) {
    if (typeof s !== 'string') throw new TypeError(`${fn}: parameter '${param}' must be a string; got ${describe(s)}`);
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

  /** A string an import returns: a copy C owns (and frees). */
  owned(s, fn) {
    if (typeof s !== 'string') throw new TypeError(`${fn} must return a string; got ${describe(s)}`);
    const cap = utf8Length(s) + 1;
    const p = this.exports.wg_alloc(cap) >>> 0; // not a temporary: C owns it
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (the result needs ${cap} bytes)`);
    this.sync();
    const len = this.encoder.encodeInto(s, this.u8.subarray(p, p + cap - 1)).written;
    this.u8[p + len] = 0;
    return p;
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

  /** A string C returned in return-area slot `at`: decode it, free it (with `free`, an
   * export of the glue calling the library's own function, when given). */
  takeStr(at, free = this.exports.wg_free) {
    this.sync();
    const p = this.u32[at >>> 2], len = this.u32[(at >>> 2) + 1];
    if (p === 0) return null;
    try {
      return this.decode(p, len);
    } finally {
      free(p);
    }
  }

  /** A borrowed string C returned in slot `at` (static, or inside an object): copy it only. */
  peekStr(at) {
    this.sync();
    const p = this.u32[at >>> 2], len = this.u32[(at >>> 2) + 1];
    return p === 0 ? null : this.decode(p, len);
  }

  // ---- Arrays

  /** arr(), or NULL for null and undefined (T[]? parameters); an empty array is not NULL. */
  arrOpt(t, v, fn, param) {
    if (v == null) { this.n = 0; return 0; }
    const p = this.arr(t, v, fn, param);
    return p !== 0 ? p : this.arg(t.size, fn, param);
  }

  /** The address of an array argument: a WasmArray as it is, anything else copied. Length to this.n. */
  arr(t, v, fn, param) {
    if (v instanceof WasmArray) {
      const p = WasmArray.pass(v, this, t, fn, param);
      this.n = v.length;
      return p;
    }
    let n;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      n = v.length;
      if (n === 0 && isDetached(v.buffer))
        throw new TypeError(`${fn}: parameter '${param}' is a ${v.constructor.name} whose buffer is detached`);
    } else if (v !== null && typeof v === 'object' && typeof v.length === 'number' && v.length >= 0) {
      n = v.length;
    } else {
      throw new TypeError(`${fn}: parameter '${param}' must be a ${t.Array.name}, an array of ${t.big ? 'BigInts' : 'numbers'} or a WasmArray; got ${describe(v)}`);
    }
    this.n = n;
    if (n === 0) return 0;
    if (v.constructor !== t.Array) checkElements(t, v, n, fn, param);
    const p = this.arg(n * t.size, fn, param);
    this.sync();
    new t.Array(this.buffer, p, n).set(v);
    return p;
  }

  /** After the call: copy an inout array back into the JS-owned array it came from. */
  back(t, v, p, n) {
    if (v instanceof WasmArray || n === 0) return;
    this.sync();
    const src = new t.Array(this.buffer, p, n);
    if (ArrayBuffer.isView(v)) v.set(src);
    else for (let i = 0; i < n; i++) v[i] = src[i];
  }

  /** The length of an out array given by an integer parameter. */
  len(v, fn, param) {
    if (v < 0) throw new RangeError(`${fn}: out array '${param}' would have a negative length (${v})`);
    return v;
  }

  /**
   * Room for an out array of `n` elements. With a WasmArray destination
   * `into`, its own memory (no allocation); otherwise a zeroed temporary,
   * which own() turns into a handle or copies into a typed array `into`.
   */
  out(t, n, fn, param, into) {
    if (into !== undefined) {
      const what = `${fn}: destination '${param}'`;
      if (into instanceof WasmArray) {
        const p = WasmArray.pass(into, this, t, fn, param);
        if (into.length < n) throw new RangeError(`${what} has ${into.length} elements; ${n} are needed`);
        return p;
      }
      if (!(into instanceof t.Array))
        throw new TypeError(`${what} must be a ${t.Array.name} or a WasmArray of ${t.name}; got ${describe(into)}`);
      if (into.length < n) throw new RangeError(`${what} has ${into.length} elements; ${n} are needed`);
    }
    if (n === 0) return 0;
    const bytes = n * t.size;
    const p = this.temp(bytes, fn, param);
    this.sync();
    this.u8.fill(0, p, p + bytes);
    return p;
  }

  /** After the call: the value of an out array made by out(). */
  own(t, p, n, into) {
    if (into instanceof WasmArray) return into;
    if (into !== undefined) {
      if (n !== 0) {
        this.sync();
        into.set(new t.Array(this.buffer, p, n));
      }
      return into; // the temporary is freed with the call's others
    }
    if (p !== 0) {
      const tmp = this.tmp;
      for (let i = tmp.length - 1; i >= 0; i--) if (tmp[i] === p) { tmp[i] = 0; break; }
    }
    return new WasmArray(this, t, p, n);
  }

  /** Check a call's trailing options object (destinations for out arrays). */
  opts(o, fn, keys) {
    if (o === undefined) return undefined;
    if (o === null || typeof o !== 'object' || Array.isArray(o) || ArrayBuffer.isView(o) || o instanceof WasmArray)
      throw new TypeError(`${fn}: the optional last argument must be an object of destinations { ${keys.join(', ')} }; got ${describe(o)}`);
    for (const k of Object.keys(o))
      if (!keys.includes(k)) throw new TypeError(`${fn}: unknown destination '${k}'; the out arrays are: ${keys.join(', ')}`);
    return o;
  }

  /** An array C returned in return-area slot `at`, as a handle (no copy); optional: NULL is null. */
  takeArr(t, at, optional = false) {
    this.sync();
    const p = this.u32[at >>> 2], n = this.u32[(at >>> 2) + 1];
    if (p === 0 && optional) return null;
    if (p !== 0 && n === 0) {
      this.exports.wg_free(p);
      return new WasmArray(this, t, 0, 0);
    }
    return new WasmArray(this, t, p, p === 0 ? 0 : n);
  }
}

function isDetached(buffer) {
  if (buffer.byteLength !== 0) return false;
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  try { new Uint8Array(buffer); return false; } catch { return true; }
}

/** The length of the NUL-terminated string at p. */
function utf8Strlen(u8, p) {
  let n = 0;
  while (u8[p + n] !== 0) n++;
  return n;
}

function utf8Length(s) {
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
