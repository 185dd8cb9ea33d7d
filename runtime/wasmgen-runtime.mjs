// wasmgen-runtime.mjs - the JS runtime every wasmgen-generated module uses.
//
// It owns the instance's memory views (rebuilt when memory grows), the
// FinalizationRegistry, the handle class for buffers C returns, and the
// marshalling helpers generated code calls. Generated code stays short and
// leans on this file; see compiler/emit_js.c for the other half.
//
// Conventions: every address is an unsigned 32-bit number (`>>> 0`), every
// error names the JS function and parameter, and every temporary wasm
// allocation a call makes is registered with mark()/release() so that a
// throw anywhere frees it.

// A view's reference to its handle: while the view lives, so does the handle
// (a WeakMap entry is held by its key; a property on the typed array would
// take V8 off its fast path).
const KEEP = new WeakMap();
const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const RET_STACK_BYTES = 16384; // WG_RET_STACK_BYTES in runtime/wg_internal.h
const SCRATCH_MAX = 512;       // argument images up to this size go on that stack
const OUT_OF_MEMORY = 'out of wasm memory';

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

const INTEGER_RANGES = {
  bool: null,
  i8: types.i8, u8: types.u8, i16: types.i16, u16: types.u16,
  i32: types.i32, u32: types.u32, i64: types.i64, u64: types.u64,
};

/** An error a wasmgen module reports (as opposed to a TypeError or RangeError about arguments). */
export class WasmgenError extends Error {
  constructor(message, code = 0) {
    super(message);
    this.name = 'WasmgenError';
    this.code = code;
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an Array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v instanceof WasmArray) return `a WasmArray of ${v.type}`;
  switch (typeof v) {
    case 'string': return `a string`;
    case 'number': return `the number ${v}`;
    case 'bigint': return `the BigInt ${v}n`;
    case 'object': return `an object (${v.constructor?.name ?? 'null prototype'})`;
    default: return `${typeof v === 'undefined' ? '' : 'a '}${typeof v}`;
  }
}

function isDetached(buffer) {
  if (buffer.byteLength !== 0) return false;
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  try { new Uint8Array(buffer); return false; } catch { return true; }
}

/**
 * A buffer in wasm memory that JS owns: an array C returned, or an out
 * array. Reading it never copies: `.view` is a typed array over wasm memory.
 * It is freed by free(), by [Symbol.dispose](), or, as a backstop, after it
 * is garbage-collected.
 */
export class WasmArray {
  #rt; #type; #ptr; #len; #view = null; #freed = false; #kept = false;
  #ballast = null; // with options.gcPressure: memory V8 counts, so it collects sooner

  /** @internal Handles are made by generated functions, m.alloc() and WasmArray.from(). */
  constructor(rt, type, ptr, len) {
    if (!(rt instanceof Runtime)) throw new TypeError('WasmArray: handles are made by wasmgen modules');
    this.#rt = rt;
    this.#type = type;
    this.#ptr = ptr;
    this.#len = len;
    if (ptr !== 0) this.#ballast = rt.adopt(this, ptr, len * type.size);
  }

  /**
   * A new array of `typedArray.length` elements in the wasm memory of module
   * `m`, holding a copy of `typedArray`; its element type follows the typed
   * array's class. Fill it in place and pass it to any function without a copy.
   */
  static from(typedArray, m) {
    const rt = m?.runtime;
    if (!(rt instanceof Runtime)) throw new TypeError('WasmArray.from: the second argument must be a wasmgen module object');
    return rt.from(typedArray, 'WasmArray.from');
  }

  /** The element type's IDL name: 'f64', 'u8', ... */
  get type() { return this.#type.name; }
  /** The number of elements. */
  get length() { return this.#len; }
  /** The size in bytes. */
  get byteLength() { return this.#len * this.#type.size; }
  /** The address in wasm memory (0 for an empty array). */
  get ptr() { this.#live('ptr'); return this.#ptr; }
  /** True once freed. */
  get freed() { return this.#freed; }

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
    if (this.#freed) return;
    this.#freed = true;
    this.#view = null;
    this.#ballast = null;
    if (this.#ptr !== 0) this.#rt.release1(this, this.#ptr, this.byteLength);
  }

  /** Exempt this handle from the enclosing m.scope(): it lives until freed or collected. */
  keep() {
    this.#kept = true;
    return this;
  }

  /** @internal */
  get kept() { return this.#kept; }

  [DISPOSE]() { this.free(); }

  #live(what) {
    if (this.#freed) throw new Error(`WasmArray: .${what} used after free()`);
  }

  /** @internal The address to pass for a parameter, after checks. */
  static pass(h, rt, type, fn, param) {
    if (h.#rt !== rt)
      throw new TypeError(`${fn}: parameter '${param}' is a WasmArray of another module instance`);
    if (h.#freed) throw new TypeError(`${fn}: parameter '${param}' is a WasmArray that was freed`);
    if (h.#type !== type)
      throw new TypeError(`${fn}: parameter '${param}' must hold ${type.name} elements; got a WasmArray of ${h.#type.name}`);
    return h.#ptr;
  }
}

// ---- Codecs: how values of IDL types lie in wasm memory (the wasm32
// layout the glue pins with _Static_assert). A codec has `size`, `align`,
//   write(rt, addr, v, fn, path): check v and store it at addr, allocating
//       call temporaries for what it points to;
//   read(rt, addr, own): the JS value at addr; with `own`, the memory it
//       points to is the caller's to free (strings and lists are decoded and
//       freed, numeric arrays become WasmArray handles).
// Generated modules declare codecs for their structs, enums and lists.

function scalarCodec(name, size, get, set, valid) {
  return Object.freeze({
    name, size, align: size,
    write(rt, a, v, fn, path) {
      if (!valid(v)) rt.bad(name, v, fn, path);
      set(rt.dv, a, v);
    },
    read(rt, a) { return get(rt, a); },
  });
}

const isInt = (lo, hi) => (v) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const isBig = (lo, hi) => (v) => typeof v === 'bigint' && v >= lo && v <= hi;
const isNum = (v) => typeof v === 'number';

/** Codecs of the scalar types, by IDL name. */
export const scalars = Object.freeze({
  bool: scalarCodec('bool', 1, (rt, a) => rt.dv.getUint8(a) !== 0, (d, a, v) => d.setUint8(a, v ? 1 : 0), (v) => typeof v === 'boolean'),
  i8: scalarCodec('i8', 1, (rt, a) => rt.dv.getInt8(a), (d, a, v) => d.setInt8(a, v), isInt(-0x80, 0x7f)),
  u8: scalarCodec('u8', 1, (rt, a) => rt.dv.getUint8(a), (d, a, v) => d.setUint8(a, v), isInt(0, 0xff)),
  i16: scalarCodec('i16', 2, (rt, a) => rt.dv.getInt16(a, true), (d, a, v) => d.setInt16(a, v, true), isInt(-0x8000, 0x7fff)),
  u16: scalarCodec('u16', 2, (rt, a) => rt.dv.getUint16(a, true), (d, a, v) => d.setUint16(a, v, true), isInt(0, 0xffff)),
  i32: scalarCodec('i32', 4, (rt, a) => rt.dv.getInt32(a, true), (d, a, v) => d.setInt32(a, v, true), isInt(-0x80000000, 0x7fffffff)),
  u32: scalarCodec('u32', 4, (rt, a) => rt.dv.getUint32(a, true), (d, a, v) => d.setUint32(a, v, true), isInt(0, 0xffffffff)),
  i64: scalarCodec('i64', 8, (rt, a) => rt.dv.getBigInt64(a, true), (d, a, v) => d.setBigInt64(a, v, true), isBig(-(2n ** 63n), 2n ** 63n - 1n)),
  u64: scalarCodec('u64', 8, (rt, a) => rt.dv.getBigUint64(a, true), (d, a, v) => d.setBigUint64(a, v, true), isBig(0n, 2n ** 64n - 1n)),
  i53: scalarCodec('i53', 8, (rt, a) => rt.i53(rt.dv.getBigInt64(a, true)), (d, a, v) => d.setBigInt64(a, BigInt(v), true), Number.isSafeInteger),
  f32: scalarCodec('f32', 4, (rt, a) => rt.dv.getFloat32(a, true), (d, a, v) => d.setFloat32(a, v, true), isNum),
  f64: scalarCodec('f64', 8, (rt, a) => rt.dv.getFloat64(a, true), (d, a, v) => d.setFloat64(a, v, true), isNum),
});

/** An enum: JS sees the value names as strings. */
function enumCodec(name, values) {
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
function stringCodec(optional) {
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
function arrayCodec(t, optional) {
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
function listCodec(elem, optional) {
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
function structCodec(name, size, align) {
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
function optionalCodec(scalar) {
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

/**
 * The handle of a resource instance (a C object with a destructor). Its
 * generated subclass (m.Canvas, ...) adds the methods. Freed by free(),
 * [Symbol.dispose](), a scope, or finalization, which runs the destructor
 * in wasm through the free-on-finalize queue.
 */
export class Resource {
  #type; #ptr; #freed = false; #kept = false;

  /** @internal Made by the generated subclass. */
  constructor(type, ptr) {
    if (ptr === 0) throw new WasmgenError(`${type.js}: the constructor returned NULL`);
    this.#type = type;
    this.#ptr = ptr;
    type.rt.adoptResource(this, ptr, type.kind);
  }

  /** True once freed. */
  get freed() { return this.#freed; }

  /** Run the destructor now. Safe to call more than once. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    this.#type.rt.releaseResource(this, this.#ptr, this.#type.drop);
  }

  /** Exempt this handle from the enclosing m.scope(); returns this. */
  keep() {
    this.#kept = true;
    return this;
  }

  /** @internal */
  get kept() { return this.#kept; }

  [DISPOSE]() { this.free(); }

  /** @internal The pointer to pass for `h`, after checks. */
  static ptr(h, type, fn, what) {
    if (!(h instanceof Resource) || h.#type.js !== type.js)
      throw new TypeError(`${fn}: ${what} must be a ${type.js}; got ${describe(h)}`);
    if (h.#type !== type) throw new TypeError(`${fn}: ${what} is a ${type.js} of another module instance`);
    if (h.#freed) throw new TypeError(`${fn}: ${what} is a ${type.js} that was freed`);
    return h.#ptr;
  }
}

/** Passed to a generated resource class's constructor to wrap a pointer C returned. */
const ADOPT = Symbol('wasmgen.adopt');

/** The runtime's side of one resource type of one instance. */
function resourceType(rt, name, js, kind, drop) {
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

// Output streams holding a partial line, of every instance: the one process
// 'exit' hook wasiImports() registers in Node flushes them. See wasiImports.
let unflushedOutput = null;

/**
 * WASI preview 1 for the module's imports: stdio, clocks, randomness, the
 * environment and exit, in Node and in browsers; or, with options.wasi (a
 * WASI instance from node:wasi), node:wasi's own functions.
 *
 * - fd_write to 1 and 2 is decoded as UTF-8 (a character may be split across
 *   writes) and handed to options.stdout/options.stderr (default console.log
 *   and console.error) one line at a time, without its '\n' or '\r\n'. A
 *   partial line waits for its newline, for flush() (m.flushOutput()), for
 *   proc_exit, or for the Node process to exit. After a flush sent a partial
 *   line, the newline that ends it does not make an empty line.
 * - fd 0 reads as empty; fds 0-2 are character devices (so libc line-buffers
 *   stdout, as on a terminal); there are no preopened directories, and every
 *   other fd is EBADF.
 * - clock 0 is Date.now(); 1 is process.hrtime in Node, performance.now()
 *   elsewhere; 2 and 3 are process.cpuUsage() in Node, elsewhere the
 *   monotonic time since instantiation. random_get is crypto.getRandomValues.
 * - the environment is options.env and nothing else; argv is empty.
 * - proc_exit flushes partial lines, then throws a WasmgenError whose .code
 *   is the exit status. poll_oneoff (sleep) and what is not listed: ENOSYS.
 *
 * Returns { funcs, fallback, flush, initialize }: the import functions, the
 * one for any other name, flush(final) for partial lines, and initialize(instance),
 * which runs the reactor's _initialize.
 */
function wasiImports(rt, options) {
  const SUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, ENOSYS = 52, ESPIPE = 70;
  const proc = globalThis.process;
  const inNode = typeof proc?.versions?.node === 'string';
  const fail = (what) => { throw new TypeError(`instantiate: ${what}`); };

  if (options.wasi !== undefined && options.wasi !== null) {
    // node:wasi: `new WASI({ version: 'preview1', env, args, preopens })`.
    const wasi = options.wasi;
    if (typeof wasi !== 'object' || typeof wasi.wasiImport !== 'object' || wasi.wasiImport === null ||
        typeof wasi.initialize !== 'function')
      fail(`options.wasi must be a WASI instance from node:wasi (new WASI({ version: 'preview1' })); got ${describe(wasi)}`);
    for (const k of ['stdout', 'stderr', 'env'])
      if (options[k] !== undefined) fail(`options.${k} does not apply with options.wasi: give node:wasi's WASI its own options`);
    const funcs = {};
    for (const name in wasi.wasiImport) funcs[name] = wasi.wasiImport[name];
    const exit = funcs.proc_exit;
    if (typeof exit === 'function') {
      // node:wasi's returnOnExit (the default) throws a symbol only wasi.start()
      // catches; a reactor's caller gets a WasmgenError instead.
      funcs.proc_exit = (code) => {
        try {
          exit(code);
        } catch (e) {
          if (typeof e === 'symbol') throw new WasmgenError(`the wasm module called exit(${code})`, code);
          throw e;
        }
        throw new WasmgenError(`the wasm module called exit(${code})`, code);
      };
    }
    return {
      funcs,
      fallback: () => ENOSYS,
      flush: () => {}, // node:wasi writes straight to the process's file descriptors
      initialize: (instance) => wasi.initialize(instance),
    };
  }

  // ---- stdout and stderr, line by line
  const sinkOf = (k, dflt) => {
    const f = options[k];
    if (f === undefined) return dflt;
    if (typeof f !== 'function') fail(`options.${k} must be a function that takes a line; got ${describe(f)}`);
    return f;
  };
  const stream = (sink) => ({ sink, text: '', decoder: new TextDecoder('utf-8'), cut: false });
  const streams = [
    null,
    stream(sinkOf('stdout', (line) => console.log(line))),
    stream(sinkOf('stderr', (line) => console.error(line))),
  ];
  const chomp = (line) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  // Remember which streams hold a partial line, for the exit hook.
  const track = (s) => {
    if (s.text === '') { unflushedOutput?.delete(s); return; }
    if (unflushedOutput === null) {
      unflushedOutput = new Set();
      // One hook for every instance of this runtime file (listeners per
      // instance would pile up); 'exit' listeners do not keep Node alive,
      // and the set holds only streams with text still to print.
      if (inNode && typeof proc.once === 'function') {
        proc.once('exit', () => {
          for (const t of unflushedOutput) {
            try { end(t, true); } catch { /* a sink's error must not stop the others */ }
          }
        });
      }
    }
    unflushedOutput.add(s);
  };
  // Send a partial line now; `final` also ends a character left incomplete.
  const end = (s, final) => {
    if (final) s.text += s.decoder.decode();
    const text = s.text;
    if (text === '') return;
    s.text = '';
    s.cut = true;
    track(s);
    s.sink(chomp(text));
  };
  const flush = (final = false) => {
    let error = null;
    for (const s of streams) {
      if (s === null) continue;
      try { end(s, final); } catch (e) { error ??= e; }
    }
    if (error !== null) throw error;
  };

  // ---- The environment and arguments, encoded once
  const env = options.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env))
    fail(`options.env must be an object of strings; got ${describe(env)}`);
  const encoder = new TextEncoder();
  const entries = Object.entries(env).map(([k, v]) => {
    if (typeof v !== 'string') fail(`options.env.${k} must be a string; got ${describe(v)}`);
    if (k === '' || k.includes('=') || k.includes('\0')) fail(`options.env: ${JSON.stringify(k)} is not a valid variable name`);
    if (v.includes('\0')) fail(`options.env.${k} contains a NUL character`);
    return encoder.encode(`${k}=${v}\0`);
  });
  const sizes = (list) => (countPtr, sizePtr) => {
    rt.sync();
    rt.u32[(countPtr >>> 0) >>> 2] = list.length;
    rt.u32[(sizePtr >>> 0) >>> 2] = list.reduce((n, e) => n + e.length, 0);
    return SUCCESS;
  };
  const fill = (list) => (ptrsPtr, bufPtr) => {
    rt.sync();
    let at = bufPtr >>> 0;
    list.forEach((e, i) => {
      rt.u32[((ptrsPtr >>> 0) >>> 2) + i] = at;
      rt.u8.set(e, at);
      at += e.length;
    });
    return SUCCESS;
  };

  // ---- Clocks
  const hrtime = inNode && typeof proc.hrtime?.bigint === 'function' ? () => proc.hrtime.bigint() : null;
  const monotonic = hrtime ?? (() => BigInt(Math.round(performance.now() * 1e6)));
  const start = monotonic();
  const cpu = inNode && typeof proc.cpuUsage === 'function'
    ? () => { const u = proc.cpuUsage(); return BigInt(u.user + u.system) * 1000n; }
    : () => monotonic() - start;
  const clocks = [
    { now: () => BigInt(Date.now()) * 1000000n, res: 1000000n },
    { now: monotonic, res: hrtime ? 1n : globalThis.crossOriginIsolated ? 5000n : 100000n },
    { now: cpu, res: inNode ? 1000n : 100000n },
    { now: cpu, res: inNode ? 1000n : 100000n },
  ];

  const inBounds = (p, n) => p + n <= rt.u8.length;
  const setU64 = (p, v) => {
    if ((p & 7) === 0) rt.i64[p >>> 3] = v;
    else new DataView(rt.buffer).setBigUint64(p, v, true);
  };
  const fdOk = (fd) => (fd >>> 0) <= 2;
  const funcs = {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      const s = streams[fd >>> 0];
      if (s === undefined || s === null) return EBADF;
      rt.sync();
      const u32 = rt.u32, base = (iovs >>> 0) >>> 2;
      let total = 0, text = '';
      for (let i = 0; i < iovsLen >>> 0; i++) {
        const p = u32[base + 2 * i], n = u32[base + 2 * i + 1];
        if (!inBounds(p, n)) return EFAULT;
        text += s.decoder.decode(rt.u8.subarray(p, p + n), { stream: true });
        total += n;
      }
      u32[(nwrittenPtr >>> 0) >>> 2] = total;
      if (s.cut && text !== '') {
        s.cut = false;
        if (text.startsWith('\n')) text = text.slice(1);
        else if (text.startsWith('\r\n')) text = text.slice(2);
      }
      text = s.text + text;
      const last = text.lastIndexOf('\n');
      if (last < 0) {
        s.text = text;
        track(s);
        return SUCCESS;
      }
      s.text = text.slice(last + 1);
      track(s);
      // The sinks run last: one may call into the module and grow memory.
      for (const line of text.slice(0, last).split('\n')) s.sink(chomp(line));
      return SUCCESS;
    },
    fd_read(fd, iovs, iovsLen, nreadPtr) {
      if ((fd >>> 0) !== 0) return EBADF;
      rt.sync();
      rt.u32[(nreadPtr >>> 0) >>> 2] = 0; // stdin is empty
      return SUCCESS;
    },
    fd_fdstat_get(fd, statPtr) {
      if (!fdOk(fd)) return EBADF;
      const p = statPtr >>> 0;
      rt.sync();
      if (!inBounds(p, 24)) return EFAULT;
      // struct fdstat: u8 filetype, u16 flags at 2, u64 rights_base at 8, u64 rights_inheriting at 16.
      rt.u8.fill(0, p, p + 24);
      rt.u8[p] = 2; // character device; without the seek and tell rights, isatty() is true
      const FD_READ = 1n << 1n, FD_WRITE = 1n << 6n, POLL_FD_READWRITE = 1n << 27n;
      setU64(p + 8, ((fd >>> 0) === 0 ? FD_READ : FD_WRITE) | POLL_FD_READWRITE);
      return SUCCESS;
    },
    fd_close: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    fd_seek: (fd) => (fdOk(fd) ? ESPIPE : EBADF),
    fd_tell: (fd) => (fdOk(fd) ? ESPIPE : EBADF),
    fd_sync: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    fd_datasync: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    // No preopened directories: EBADF ends libc's scan of fds 3, 4, ...
    fd_prestat_get: () => EBADF,
    fd_prestat_dir_name: () => EBADF,
    environ_sizes_get: sizes(entries),
    environ_get: fill(entries),
    args_sizes_get: sizes([]),
    args_get: fill([]),
    clock_time_get(id, precision, timePtr) {
      const c = clocks[id >>> 0];
      if (c === undefined) return EINVAL;
      const t = c.now();
      rt.sync();
      setU64(timePtr >>> 0, t);
      return SUCCESS;
    },
    clock_res_get(id, resPtr) {
      const c = clocks[id >>> 0];
      if (c === undefined) return EINVAL;
      rt.sync();
      setU64(resPtr >>> 0, c.res);
      return SUCCESS;
    },
    random_get(ptr, len) {
      const p = ptr >>> 0, n = len >>> 0;
      rt.sync();
      if (!inBounds(p, n)) return EFAULT;
      const crypto = globalThis.crypto;
      if (typeof crypto?.getRandomValues !== 'function') return ENOSYS;
      // getRandomValues fills at most 65536 bytes a call.
      for (let at = 0; at < n; at += 65536) crypto.getRandomValues(rt.u8.subarray(p + at, p + Math.min(n, at + 65536)));
      return SUCCESS;
    },
    sched_yield: () => SUCCESS,
    poll_oneoff: () => ENOSYS,
    proc_exit(code) {
      flush(true);
      throw new WasmgenError(`the wasm module called exit(${code})`, code);
    },
  };
  return {
    funcs,
    fallback: () => ENOSYS,
    flush,
    initialize(instance) {
      const init = instance.exports._initialize;
      if (typeof init === 'function') init();
    },
  };
}

/**
 * One instance's runtime: memory views, the registry, the temporaries of
 * calls in progress and the return-area stack. Generated code calls its
 * methods; users meet it as `m.runtime`.
 */
export class Runtime {
  constructor(name) {
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
    this.registry = new FinalizationRegistry((held) => this.enqueue(held));
    this.wasi = null;
    this.alloc = null;
    this.scopes = [];          // open m.scope() calls, innermost last (without AsyncLocalStorage)
    this.als = null;           // AsyncLocalStorage, where the platform has it
    this.handleBytes = 0;      // bytes in handles not yet freed or finalized
    this.explicitFrees = 0;    // handles freed by free() or a scope
    this.queuedBytes = null;   // bytes of each queue slot, for pendingBytes
    this.warnBytes = 256 * 1024 * 1024;
    this.warned = false;
    this.onWarning = (message) => console.warn(message);
    this.debug = null;         // ptr -> { ref, stack, type, length } with options.debug
    this.gcPressure = 0;       // see adopt()
    this.inImport = 0;         // import calls in progress
    this.sp0 = 0;              // the C stack pointer between calls
    this.ADOPT = ADOPT;
  }

  /** Compile and instantiate `source`, checking the exports the module needs. */
  /**
   * `imports`, for modules that declare imports: { names, build }, where
   * build(rt, user) returns the wasm import functions that marshal to the
   * user's options.imports.NAME.
   */
  static async create(source, options, name, required, imports = null) {
    options ??= {};
    if (typeof options !== 'object') throw new TypeError(`instantiate: options must be an object; got ${describe(options)}`);
    const module = await compile(await source);
    const rt = new Runtime(name);
    rt.#configure(options, await asyncLocalStorage());
    const instance = await WebAssembly.instantiate(module, rt.#imports(module, options, imports));
    rt.#attach(instance, required);
    return rt;
  }

  #configure(options, ALS) {
    if (ALS) this.als = new ALS();
    if (options.debug) this.debug = new Map();
    if (options.warnBytes !== undefined) {
      if (typeof options.warnBytes !== 'number' || !(options.warnBytes >= 0))
        throw new TypeError(`instantiate: options.warnBytes must be a number of bytes; got ${describe(options.warnBytes)}`);
      this.warnBytes = options.warnBytes;
    }
    if (options.gcPressure !== undefined) {
      if (typeof options.gcPressure !== 'number' || !(options.gcPressure >= 0 && options.gcPressure <= 1))
        throw new TypeError(`instantiate: options.gcPressure must be a number from 0 to 1; got ${describe(options.gcPressure)}`);
      this.gcPressure = options.gcPressure;
    }
    if (options.onWarning !== undefined) {
      if (typeof options.onWarning !== 'function')
        throw new TypeError(`instantiate: options.onWarning must be a function; got ${describe(options.onWarning)}`);
      this.onWarning = options.onWarning;
    }
  }

  #imports(module, options, declared) {
    const given = { ...options.wasmImports };
    if (declared) given[`wasmgen:${this.name}`] = declared.build(this, userImports(options, declared.names));
    this.wasi = wasiImports(this, options);
    const imports = {};
    const missing = [];
    for (const imp of WebAssembly.Module.imports(module)) {
      const ns = (imports[imp.module] ??= {});
      if (given[imp.module] && imp.name in given[imp.module]) {
        ns[imp.name] = given[imp.module][imp.name];
      } else if (imp.module === 'wasi_snapshot_preview1' && imp.kind === 'function') {
        ns[imp.name] = this.wasi.funcs[imp.name] ?? this.wasi.fallback;
      } else {
        missing.push(`${imp.module}.${imp.name} (${imp.kind})`);
      }
    }
    if (missing.length)
      throw new TypeError(`instantiate: the wasm module imports what was not provided: ${missing.join(', ')}`);
    return imports;
  }

  #attach(instance, required) {
    const x = instance.exports;
    const lacking = ['memory', 'wg_alloc', 'wg_free', 'wg_flush', 'wg_stats', 'wg_queue', 'wg_ret_stack',
      'wg_stack_get', 'wg_stack_set', ...required]
      .filter((e) => !(e in x));
    if (lacking.length) {
      const hint = lacking.some((e) => e.startsWith('wg_f_'))
        ? `was ${this.name}_glue.c compiled into it?`
        : 'was it linked with libwasmgen.a (-lwasmgen)?';
      throw new TypeError(`instantiate: the wasm module lacks the exports ${lacking.join(', ')}: ${hint}`);
    }
    this.exports = x;
    this.memory = x.memory;
    this.#rebuild();
    this.wasi.initialize(instance);
    this.sp0 = x.wg_stack_get() >>> 0;
    this.queue = x.wg_queue() >>> 0;
    this.queuedBytes = new Float64Array(this.u32[(this.queue >>> 2) + 2] + 1);
    this.statsPtr = x.wg_stats() >>> 0;
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
  finish(funcs) {
    // ORDER MEMBERS: keep in step with runtime_members in compiler/sema.c.
    const members = {
      stats: () => this.stats(),
      flush: () => this.flush(),
      scope: (fn) => this.scope(fn),
      alloc: this.alloc,
      from: (typedArray) => this.from(typedArray),
      leaks: () => this.leaks(),
      flushOutput: () => this.flushOutput(),
      memory: this.memory,
      exports: this.exports,
      runtime: this,
    };
    return Object.freeze(Object.assign(members, funcs));
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

  // ---- Errors

  arity(fn, expected, got) {
    throw new TypeError(`${fn}: expected ${expected} argument${expected === 1 ? '' : 's'}, got ${got}`);
  }

  arityRange(fn, min, max, got) {
    throw new TypeError(`${fn}: expected ${min} to ${max} arguments (the last ones are optional), got ${got}`);
  }

  /** A scalar argument failed its check: say why. */
  bad(type, v, fn, param) {
    const where = `${fn}: parameter '${param}'`;
    if (type === 'bool') throw new TypeError(`${where} must be a boolean; got ${describe(v)}`);
    if (type === 'i53') {
      if (typeof v !== 'number') throw new TypeError(`${where} must be a number (i53); got ${describe(v)}`);
      throw new RangeError(`${where} must be a safe integer (i53), within ±(2^53 - 1); got ${v}`);
    }
    const range = INTEGER_RANGES[type];
    if (range?.big) {
      if (typeof v !== 'bigint') throw new TypeError(`${where} must be a BigInt (${type}); got ${describe(v)}`);
      throw new RangeError(`${where} must be a ${type} in [${range.min}, ${range.max}]; got ${v}`);
    }
    if (typeof v !== 'number') throw new TypeError(`${where} must be a number (${type}); got ${describe(v)}`);
    if (!Number.isInteger(v)) throw new RangeError(`${where} must be an integer (${type}); got ${v}`);
    throw new RangeError(`${where} must be a ${type} in [${range.min}, ${range.max}]; got ${v}`);
  }

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

  // ---- Codecs, for the generated module's declarations

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
    dispose(partial);
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

  /** An import returned the wrong kind of value. */
  badResult(fn, v, type) {
    throw new TypeError(`${fn} must return ${type === 'bool' ? 'a boolean' : `a ${type}`}; got ${describe(v)}`);
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

  /** A string C returned in return-area slot `at`: decode it, free it. */
  takeStr(at) {
    this.sync();
    const p = this.u32[at >>> 2], len = this.u32[(at >>> 2) + 1];
    if (p === 0) return null;
    try {
      return this.decode(p, len);
    } finally {
      this.exports.wg_free(p);
    }
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

  /** Arity of a function whose last argument may be an options object. */
  arityOpt(fn, expected, got) {
    throw new TypeError(`${fn}: expected ${expected} argument${expected === 1 ? '' : 's'} and an optional object of destinations, got ${got}`);
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

  // ---- The free-on-finalize queue

  // ---- Handles and their life cycle

  /**
   * A new handle owns `bytes` at `ptr`: register it for finalization and
   * with the open scope. Returns its ballast: V8 does not see wasm memory
   * when it decides to collect, but it does count ArrayBuffers. With
   * options.gcPressure = f, a handle of 64 KiB or more carries an untouched
   * ArrayBuffer of f times its size (untouched pages cost no RSS), so dropped
   * handles are collected sooner. Measured in tests/e2e/finalization.test.mjs.
   */
  adopt(h, ptr, bytes) {
    this.registry.register(h, [ptr, bytes], h);
    this.handleBytes += bytes;
    this.#inScope(h);
    if (this.debug) {
      this.debug.set(ptr, {
        ref: new WeakRef(h), bytes,
        stack: (new Error().stack ?? '').split('\n').slice(2).join('\n'),
      });
    }
    if (this.handleBytes > this.warnBytes && !this.warned) {
      this.warned = true;
      this.onWarning(`wasmgen (${this.name}): ${(this.handleBytes / 1048576).toFixed(1)} MiB of wasm memory is held ` +
        'by WasmArray handles that were not freed. Finalizers free them only after a garbage collection, ' +
        'which may come late: call .free() (or `using`) on handles you are done with, or run the work in m.scope(). ' +
        '(options.warnBytes sets this threshold.)');
    }
    return this.gcPressure > 0 && bytes >= 65536 ? new ArrayBuffer(Math.floor(bytes * this.gcPressure)) : null;
  }

  /** free() of a live handle. */
  release1(h, ptr, bytes) {
    this.registry.unregister(h);
    this.handleBytes -= bytes;
    this.explicitFrees++;
    this.debug?.delete(ptr);
    this.exports.wg_free(ptr);
  }

  /** A new resource handle owns the C object at `ptr`. */
  adoptResource(h, ptr, kind) {
    this.registry.register(h, [ptr, 0, kind], h);
    this.#inScope(h);
  }

  /** free() of a live resource handle: run its destructor. */
  releaseResource(h, ptr, drop) {
    this.registry.unregister(h);
    this.explicitFrees++;
    drop(ptr);
  }

  /** Called by the FinalizationRegistry: queue the address for freeing (kind 0) or
   * for its resource's destructor, without entering wasm. */
  enqueue([ptr, bytes, kind = 0]) {
    this.handleBytes -= bytes;
    this.debug?.delete(ptr);
    this.sync();
    const q = this.queue >>> 2;
    const head = this.u32[q], tail = this.u32[q + 1], mask = this.u32[q + 2];
    if (((tail - head) >>> 0) > mask) {
      // Full: flush rather than drop. Finalizers run between tasks, never
      // while wasm is running, so entering wasm here is safe.
      this.exports.wg_flush();
      this.sync();
    }
    const t = this.u32[q + 1];
    this.u32[q + 4 + (t & mask)] = ptr;
    this.u32[q + 4 + mask + 1 + (t & mask)] = kind;
    this.queuedBytes[t & mask] = bytes;
    this.u32[q + 1] = (t + 1) >>> 0;
  }

  // ---- Scopes

  /**
   * Run `fn` (sync or async) and free every handle made inside it when it
   * ends, except those reachable from its result and those kept with
   * .keep(). Handles it returns move to the enclosing scope, if any.
   */
  scope(fn) {
    if (typeof fn !== 'function') throw new TypeError(`scope: expected a function; got ${describe(fn)}`);
    const parent = this.#openScope();
    const s = { handles: [], open: true };
    const close = (value) => this.#close(s, parent, value);
    let result;
    try {
      if (this.als) {
        result = this.als.run(s, fn);
      } else {
        this.scopes.push(s);
        try { result = fn(); } finally { if (!isThenable(result)) this.#unstack(s); }
      }
    } catch (e) {
      close(undefined);
      throw e;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (v) => { this.#unstack(s); close(v); return v; },
        (e) => { this.#unstack(s); close(undefined); throw e; });
    }
    close(result);
    return result;
  }

  /** The innermost m.scope() in progress for the running code, if any. */
  #openScope() {
    return this.als ? this.als.getStore() : this.scopes[this.scopes.length - 1];
  }

  /** A new handle belongs to the open scope, if any. */
  #inScope(h) {
    const scope = this.#openScope();
    if (scope !== undefined && scope.open) scope.handles.push(h);
  }

  #unstack(s) {
    const i = this.scopes.lastIndexOf(s);
    if (i >= 0) this.scopes.splice(i, 1);
  }

  #close(s, parent, value) {
    s.open = false;
    const escaping = new Set();
    collectHandles(value, escaping, new Set(), 0);
    for (const h of s.handles) {
      if (h.freed) continue;
      if (escaping.has(h)) {
        if (parent !== undefined && parent.open && !h.kept) parent.handles.push(h);
      } else if (!h.kept) {
        h.free();
      }
    }
    s.handles.length = 0;
  }

  // ---- Arrays the caller makes

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
  from(ta, fn = 'from') {
    const t = ArrayBuffer.isView(ta) ? Object.values(types).find((e) => ta instanceof e.Array) : undefined;
    if (t === undefined) throw new TypeError(`${fn}: expected a typed array (Float64Array, Uint8Array, ...); got ${describe(ta)}`);
    const h = this.allocArray(t, ta.length, fn);
    if (ta.length) h.view.set(ta);
    return h;
  }

  // ---- Diagnostics

  /** With options.debug: the live handles and where each was made. */
  leaks() {
    if (!this.debug) throw new Error(`leaks: instantiate with { debug: true } to record where handles are made`);
    const out = [];
    for (const [ptr, e] of this.debug) {
      const h = e.ref.deref();
      if (h !== undefined && !h.freed) out.push({ ptr, type: h.type, length: h.length, bytes: e.bytes, stack: e.stack });
    }
    return out;
  }

  /** Free everything finalizers have queued; returns how many. */
  flush() { return this.exports.wg_flush() >>> 0; }

  /**
   * Print the partial lines the module wrote to stdout and stderr (text
   * without its newline yet). Text still in C's stdio buffer is C's to
   * fflush() first.
   */
  flushOutput() { this.wasi.flush(); }

  /** The allocator's counters, and the handles'. */
  stats() {
    this.sync();
    const s = this.statsPtr >>> 2, u = this.u32, q = this.queue >>> 2;
    const head = u[q], tail = u[q + 1], mask = u[q + 2];
    let pendingBytes = 0;
    for (let i = head; i !== tail; i = (i + 1) >>> 0) pendingBytes += this.queuedBytes[i & mask];
    return {
      liveAllocations: u[s],
      liveBytes: u[s + 1],
      peakBytes: u[s + 2],
      heapBytes: u[s + 3],
      totalAllocations: u[s + 4],
      totalFrees: u[s + 5],
      queueFrees: u[s + 6],
      pendingFrees: (tail - head) >>> 0,
      pendingBytes,
      handleBytes: this.handleBytes,
      explicitFrees: this.explicitFrees,
      memoryBytes: this.memory.buffer.byteLength,
    };
  }
}

function checkElements(t, v, n, fn, param) {
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

/** The functions of options.imports the module declares, all checked present. */
function userImports(options, names) {
  const given = options.imports ?? {};
  if (typeof given !== 'object') throw new TypeError(`instantiate: options.imports must be an object; got ${describe(given)}`);
  const missing = names.filter((n) => typeof given[n] !== 'function');
  if (missing.length)
    throw new TypeError(`instantiate: the module imports ${names.join(', ')}; options.imports lacks ${missing.join(', ')}`);
  return given;
}

/** Free every handle reachable from `v` (the partial results of a failed call). */
function dispose(v) {
  const found = new Set();
  collectHandles(v, found, new Set(), 0);
  for (const h of found) h.free();
}

/** The length of the NUL-terminated string at p. */
function utf8Strlen(u8, p) {
  let n = 0;
  while (u8[p + n] !== 0) n++;
  return n;
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

/** The handles reachable from a scope's result through arrays and plain objects. */
function collectHandles(v, into, seen, depth) {
  if (v === null || typeof v !== 'object' || depth > 64 || seen.has(v)) return;
  seen.add(v);
  if (v instanceof WasmArray || v instanceof Resource) { into.add(v); return; }
  if (Array.isArray(v)) { for (const e of v) collectHandles(e, into, seen, depth + 1); return; }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null)
    for (const k of Object.keys(v)) collectHandles(v[k], into, seen, depth + 1);
  else if (v instanceof Map) for (const e of v.values()) collectHandles(e, into, seen, depth + 1);
  else if (v instanceof Set) for (const e of v) collectHandles(e, into, seen, depth + 1);
}

/** Node's AsyncLocalStorage, so that scopes follow async code; elsewhere, a stack. */
let alsPromise = null;
function asyncLocalStorage() {
  if (alsPromise === null) {
    alsPromise = globalThis.process?.versions?.node
      ? import('node:async_hooks').then((m) => m.AsyncLocalStorage).catch(() => null)
      : Promise.resolve(null);
  }
  return alsPromise;
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

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new TypeError(`instantiate: fetching the wasm module failed: HTTP ${source.status}`);
    const type = source.headers.get('content-type') ?? '';
    if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function')
      return WebAssembly.compileStreaming(source);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  throw new TypeError(`instantiate: source must be a BufferSource, a WebAssembly.Module, a Response or a promise of one; got ${describe(source)}`);
}
