
// ==== lifetime.mjs - the life of handles in one instance: the
// FinalizationRegistry and the free-on-finalize queue it writes into,
// m.scope(), where destructors' errors go, and the diagnostics (m.stats(),
// m.leaks(), the warning).
//
// Nothing that can enter wasm runs inside a FinalizationRegistry callback:
// the callback only writes a block's address into the ring in wasm memory
// (C frees it at its next entry), or, when the ring is full, and for
// resources, remembers it here. What is remembered is given back at the next
// call into the module (the runtime's guard calls reap() first), by
// m.flush(), m.alloc() and m.from(). A finalized resource's destructor that
// throws is reported to options.onError, never to the unrelated call.

import { describe } from './errors.mjs';
import { collectHandles, isKept } from './handles.mjs';

/** Handles' ballast starts when those not yet freed hold this many bytes (see adopt). */
const BALLAST_FROM = 64 * 1024 * 1024;
/** An untouched ArrayBuffer of n bytes: resizable where there are some (ES2024; V8 maps its pages directly, no zeroing calloc). */
const untouched = /* @__PURE__ */ (() => typeof ArrayBuffer.prototype.resize === 'function'
  ? (n) => new ArrayBuffer(n, { maxByteLength: n }) : (n) => new ArrayBuffer(n))();
/** A collection is asked for once unfreed large handles grow by this many bytes (divided by gcPressure; see adopt). */
const COLLECT_EVERY = 2 ** 27; // 128 MiB
/** Large handles are watched once those not yet freed hold this many bytes: a WeakRef costs about 1 µs a handle. */
const WATCH_FROM = 2 ** 25; // 32 MiB

export class Lifetime {
  // Private fields, which a minifier shortens: the bookkeeping only this class reads.
  #scopes = [];          // open m.scope() calls, innermost last (without AsyncLocalStorage)
  #als;                  // AsyncLocalStorage, where the platform has it
  #explicitFrees = 0;    // handles freed by free() or a scope
  #queue = 0;            // the address of the wg_queue
  #queuedBytes = null;   // bytes of each queue slot, for pendingBytes
  #overflow = [];        // finalized blocks the full ring had no room for: ptr, bytes, ...
                         // (rt.waiting: it, or res.doomed, is not empty: reap() at the next call)
  #reaping = false;
  #warnBytes = 256 * 1024 * 1024;
  #warned = false;
  #onWarning = (message) => console.warn(message);

  /** The lifetime options of instantiate() (see InstantiateOptions), checked. */
  constructor(rt, options, ALS) {
    this.rt = rt;
    this.registry = new FinalizationRegistry((held) => this.enqueue(held));
    this.res = null;           // with resources, their bookkeeping (see resourceLife)
    this.#als = ALS ? new ALS() : null;
    this.handleBytes = 0;      // bytes in handles not yet freed or finalized
    this.pulse = -1;           // see #collect: bytes of the pulse (0: none here, the ballast instead; -1: not known yet)
    this.watch = [];           // the held of the large handles a collection may clear, with [4] a WeakRef to each (with the pulse)
    this.heldOf = new WeakMap(); // their handle -> its held (marked given back by free())
                               // collectAt: handleBytes beyond which a collection is asked for (Infinity while one is scheduled)
    this.settled = 0;          // watch's length after the last collection (those outlived it)
    this.pruneAt = 2048;       // watch's length at which what was given back is dropped from it
    this.debug = options.debug ? new Map() : null; // ptr -> { ref, bytes, stack } with options.debug
    this.gcPressure = 1;       // see adopt()
    this.ballastFrom = BALLAST_FROM; // ... once handles hold this many bytes (0 when gcPressure is given)
    // Each option: its check, and what it must be.
    const check = (k, ok, what) => {
      const v = options[k];
      if (v !== undefined && !ok(v))
        throw new TypeError(`instantiate: options.${k} must be ${what}; got ${describe(v)}`);
      return v;
    };
    const fn = (v) => typeof v === 'function';
    this.#warnBytes = check('warnBytes', (v) => typeof v === 'number' && v >= 0, 'a number of bytes') ?? this.#warnBytes;
    const gcPressure = check('gcPressure', (v) => typeof v === 'number' && v >= 0 && v <= 1, 'a number from 0 to 1');
    if (gcPressure !== undefined) {
      this.gcPressure = gcPressure;
      this.ballastFrom = 0;
    }
    this.#onWarning = check('onWarning', fn, 'a function') ?? this.#onWarning;
  }

  /** Once instantiated: where the queue and the counters are. */
  attach(x) {
    const rt = this.rt;
    this.#queue = x.wg_queue() >>> 0;
    this.#queuedBytes = new Float64Array(rt.u32[(this.#queue >>> 2) + 2] + 1);
  }

  /** An error nobody called for: see Runtime.report. */
  report(error, what) { this.rt.report(error, what); }

  // ---- Handles

  /**
   * A new handle owns `bytes` at `ptr` (kind 0), or the C object at `ptr` of
   * resource kind `kind`: register it for finalization and with the open
   * scope (an empty array, ptr 0, only with the scope). V8 does not see wasm
   * memory when it decides to collect, so dropped handles of 64 KiB or more
   * get help (unless options.gcPressure is 0). Where node:v8 tells V8's heap
   * limit (Node, Deno), each is watched through a WeakRef once unfreed ones
   * hold more than 32 MiB (WATCH_FROM), and once unfreed
   * ones grew by 128 MiB / gcPressure (COLLECT_EVERY) since the last
   * collection, #collect runs at the next task: a collection, and the blocks
   * of what it cleared given back at once. Elsewhere, returns the handle's
   * ballast: once unfreed handles hold more than 64 MiB (BALLAST_FROM; from
   * the first byte when options.gcPressure is given), an untouched
   * ArrayBuffer of gcPressure (default 1) times its size, which V8 counts;
   * resizable where there are some (mapped directly, no zeroing calloc).
   * Programs that free their handles never reach either threshold and never
   * pay. Measured in tests/e2e/finalization.test.mjs and BENCHMARKS.md.
   */
  adopt(h, ptr, bytes, kind) {
    this.#inScope(h); // an empty array too: the scope marks it freed
    if (ptr === 0) return null;
    const held = [ptr, bytes, kind, 0]; // [3]: 1 once given back (free(), finalizer or #collect)
    this.registry.register(h, held, h);
    if (kind !== 0) this.res.owned.add(ptr);
    if (this.rt.made.length) this.rt.made.push(h); // a call is converting its results: see Runtime.begin
    this.handleBytes += bytes;
    if (this.debug && kind === 0) {
      this.debug.set(ptr, {
        ref: new WeakRef(h), bytes,
        stack: (new Error().stack ?? '').split('\n').slice(3).join('\n'),
      });
    }
    if (this.handleBytes > this.#warnBytes && !this.#warned) {
      this.#warned = true;
      this.#warn(`wasmgen (${this.rt.name}): ${(this.handleBytes / 1048576).toFixed(1)} MiB of wasm memory is held ` +
        'by WasmArray handles that were not freed. Finalizers free them only after a garbage collection, ' +
        'which may come late: call .free() (or `using`) on handles you are done with, or run the work in m.scope(). ' +
        '(options.warnBytes sets this threshold.)');
    }
    if (!(this.gcPressure > 0 && bytes >= 65536)) return null;
    if (this.pulse < 0) {
      // V8 collects at once when ArrayBuffers grow by more than half its heap
      // limit (Heap::ReportExternalMemoryPressure, its "hard limit"), which
      // node:v8 tells. Measured in Node (V8 11.3); Deno's V8 15 collects too
      // but its WeakRefs are not all cleared: there, and where the limit is
      // unknown (browsers, Bun), the ballast.
      const limit = globalThis.Bun || globalThis.Deno ? 0 : globalThis.process?.getBuiltinModule?.('node:v8')?.getHeapStatistics().heap_size_limit;
      this.pulse = limit > 0 ? limit / 2 + 2 ** 20 : 0;
      this.collectAt = COLLECT_EVERY / this.gcPressure;
    }
    if (this.pulse > 0) {
      if (!(this.handleBytes > WATCH_FROM)) return null; // (freed soon after: never watched, never pays)
      if (this.watch.length > this.pruneAt) { // handles freed while no collection was needed
        this.watch = this.watch.filter((e) => e[3] === 0); // (settled stays: at worst no second collection once)
        this.pruneAt = 2 * this.watch.length + 2048; // (what is still live: not scanned again at each handle)
      }
      held.push(new WeakRef(h));
      this.watch.push(held);
      this.heldOf.set(h, held);
      if (this.handleBytes > this.collectAt) {
        this.collectAt = Infinity;
        (globalThis.setImmediate ?? setTimeout)(() => this.#collect());
      }
      return null;
    }
    if (!(this.handleBytes > this.ballastFrom)) return null;
    const n = Math.floor(bytes * this.gcPressure);
    return untouched(n);
  }

  /**
   * At the first task after unfreed large handles grew by COLLECT_EVERY /
   * gcPressure bytes (setImmediate where there is one: in Node it runs while
   * a program waiting on a timer would idle anyway): a collection, made by
   * an untouched ArrayBuffer over V8's hard limit (the pulse, dropped at
   * once; it costs no resident memory), then the blocks of the
   * handles it cleared given back at once through their WeakRefs (the next
   * call reuses them) instead of a task later by the finalizer. It runs
   * between tasks because a new WeakRef keeps its target alive until the job
   * that made it ends. A collection that only finishes a marking V8 had
   * started keeps what was made during it; and reading a WeakRef keeps its
   * target alive until this job ends. So the scan stops at 8 live handles in
   * a row among those made since the last collection, and a second
   * collection is made before the rest are read. Where the engine refuses
   * the pulse: the ballast from then on.
   */
  #collect() {
    const w = this.watch, live = [];
    let i = 0;
    try {
      for (let round = 0; round < 2 && i < w.length; round++) {
        untouched(this.pulse); // dropped at once
        for (let alive = 0; i < w.length;) {
          const held = w[i++];
          if (held[3] !== 0) continue;
          if (held[4].deref() === undefined) { this.enqueue(held); alive = 0; continue; }
          live.push(held);
          if (i > this.settled && ++alive === 8) break;
        }
      }
    } catch {
      this.pulse = 0; // (what is watched stays with the finalizer; no more is)
    }
    this.watch = live.concat(w.slice(i));
    this.settled = this.watch.length;
    this.pruneAt = this.settled + 2048;
    this.collectAt = this.handleBytes + COLLECT_EVERY / this.gcPressure;
  }

  /** options.onWarning(message); what it throws goes to options.onError, not into the call making a handle. */
  #warn(message) {
    try {
      this.#onWarning(message);
    } catch (e) {
      this.report(e, 'options.onWarning');
    }
  }

  /** The bookkeeping of a handle given back by JS (not by finalization). */
  #forget(h, ptr, bytes, kind) {
    this.registry.unregister(h);
    if (kind !== 0) this.res.owned.delete(ptr);
    this.handleBytes -= bytes;
    this.#explicitFrees++;
    const held = bytes >= 65536 && this.heldOf.get(h);
    if (held) held[3] = 1;
    if (kind === 0) this.debug?.delete(ptr);
  }

  /** free() of a live handle: give the block back, or run the destructor (its error reaches the caller). */
  release(h, ptr, bytes, kind) {
    this.#forget(h, ptr, bytes, kind);
    if (kind === 0) this.rt.exports.wg_free(ptr); // a leaf: calls nothing
    else this.res.release(h, ptr, kind);
  }

  /** The same for a handle freed while a call used it, when that call returns: errors are reported. */
  releaseLater(h, ptr, bytes, kind) {
    this.#forget(h, ptr, bytes, kind);
    if (kind === 0) this.rt.exports.wg_free(ptr);
    else this.res.releaseLater(h, ptr, kind);
  }

  /** A handle that is not memory (a callback): only the open scope takes it. */
  scoped(h) { this.#inScope(h); }

  /**
   * Called by the FinalizationRegistry: without entering wasm, queue the
   * block for C to free (in the ring, or here when the ring is full), or the
   * resource for its destructor at the next call. Never throws.
   */
  enqueue(held) {
    const [ptr, bytes, kind, done] = held;
    if (done !== 0) return; // given back already (by #collect)
    held[3] = 1;
    try {
      this.handleBytes -= bytes;
      if (kind !== 0) {
        this.res.finalized(ptr, kind);
        this.rt.waiting = true;
        return;
      }
      this.debug?.delete(ptr);
      const rt = this.rt;
      rt.sync();
      const u32 = rt.u32, q = this.#queue >>> 2;
      const head = u32[q], tail = u32[q + 1], mask = u32[q + 2];
      if (((tail - head) >>> 0) > mask) {
        this.#overflow.push(ptr, bytes);
        this.rt.waiting = true;
        return;
      }
      u32[q + 4 + (tail & mask)] = ptr;
      u32[q + 4 + mask + 1 + (tail & mask)] = 0;
      this.#queuedBytes[tail & mask] = bytes;
      u32[q + 1] = (tail + 1) >>> 0;
    } catch (e) {
      this.report(e, 'the finalizer');
    }
  }

  /**
   * At a safe point (no call in progress, or m.flush()): give back what
   * finalizers left here. Blocks go through the ring; destructors run one by
   * one, each error reported. Returns how many were given back.
   */
  reap() {
    if (this.#reaping) return 0;
    this.#reaping = true;
    let n = 0;
    try {
      const rt = this.rt, overflow = this.#overflow;
      while (overflow.length) {
        n += rt.exports.wg_flush() >>> 0; // a leaf: the ring holds blocks only
        rt.sync();
        const u32 = rt.u32, q = this.#queue >>> 2, mask = u32[q + 2];
        let tail = u32[q + 1];
        for (let room = mask + 1; room > 0 && overflow.length; room--) {
          u32[q + 4 + (tail & mask)] = overflow[overflow.length - 2];
          u32[q + 4 + mask + 1 + (tail & mask)] = 0;
          this.#queuedBytes[tail & mask] = overflow[overflow.length - 1];
          overflow.length -= 2;
          tail = (tail + 1) >>> 0;
        }
        u32[q + 1] = tail;
      }
      if (this.res) n += this.res.reap();
    } finally {
      this.rt.waiting = this.#overflow.length > 0 || this.res?.doomed.length > 0;
      this.#reaping = false;
    }
    return n;
  }

  // ---- Scopes

  /**
   * Run `fn` (sync or async) and free every handle made inside it when it
   * ends, except those reachable from its result (views included) and those
   * kept with .keep(). Handles it returns move to the enclosing scope, if
   * any. When destructors throw as the scope ends, every other handle is
   * freed first; then the caller gets the error (an AggregateError when
   * several threw), unless fn itself threw: then fn's error wins and the
   * destructors' go to options.onError.
   */
  scope(fn) {
    const parent = this.#openScope();
    const s = { handles: [], open: true };
    let result;
    try {
      if (this.#als) {
        result = this.#als.run(s, fn);
      } else {
        this.#scopes.push(s);
        try { result = fn(); } finally { if (!isThenable(result)) this.#unstack(s); }
      }
    } catch (e) {
      this.#close(s, parent, undefined, true);
      throw e;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (v) => { this.#unstack(s); this.#close(s, parent, v, false); return v; },
        (e) => { this.#unstack(s); this.#close(s, parent, undefined, true); throw e; });
    }
    this.#close(s, parent, result, false);
    return result;
  }

  /** The innermost m.scope() in progress for the running code, if any. */
  #openScope() {
    return this.#als ? this.#als.getStore() : this.#scopes[this.#scopes.length - 1];
  }

  /** A new handle belongs to the open scope, if any. */
  #inScope(h) {
    const scope = this.#openScope();
    if (scope !== undefined && scope.open) scope.handles.push(h);
  }

  #unstack(s) {
    const i = this.#scopes.lastIndexOf(s);
    if (i >= 0) this.#scopes.splice(i, 1);
  }

  /** End scope s: free what does not escape; throw what the destructors threw (see scope()). */
  #close(s, parent, value, threw) {
    s.open = false;
    const escaping = new Set();
    if (!threw) collectHandles(value, escaping, this.rt, s.handles);
    const errors = [];
    for (const h of s.handles) {
      if (h.freed) continue;
      if (escaping.has(h)) {
        if (parent !== undefined && parent.open && !isKept(h)) parent.handles.push(h);
      } else if (!isKept(h)) {
        try { h.free(); } catch (e) { errors.push(e); }
      }
    }
    s.handles.length = 0;
    if (errors.length === 0) return;
    if (threw) {
      for (const e of errors) this.report(e, 'a destructor run as a scope that threw ended');
      return;
    }
    throw errors.length === 1 ? errors[0]
      : new AggregateError(errors, `scope: ${errors.length} destructors threw as the scope ended`);
  }

  // ---- Diagnostics

  /** With options.debug (Runtime.leaks checks): the live handles and where each was made. */
  leaks() {
    const out = [];
    for (const [ptr, e] of this.debug) {
      const h = e.ref.deref();
      if (h !== undefined && !h.freed) out.push({ ptr, type: h.type, length: h.length, bytes: e.bytes, stack: e.stack });
    }
    return this.rt.cb ? out.concat(this.rt.cb.leaks()) : out;
  }

  /** m.stats(): the handles' counters, into `out` (the allocator's, from Runtime.stats). */
  stats(out) {
    const rt = this.rt, u = rt.u32, q = this.#queue >>> 2;
    const head = u[q], tail = u[q + 1], mask = u[q + 2];
    let pendingBytes = 0;
    for (let i = head; i !== tail; i = (i + 1) >>> 0) pendingBytes += this.#queuedBytes[i & mask];
    for (let i = 1; i < this.#overflow.length; i += 2) pendingBytes += this.#overflow[i];
    out.pendingFrees = ((tail - head) >>> 0) + (this.#overflow.length + (this.res?.doomed.length ?? 0)) / 2;
    out.pendingBytes = pendingBytes;
    out.handleBytes = this.handleBytes;
    out.explicitFrees = this.#explicitFrees;
  }
}

/**
 * The bookkeeping of resources (C objects with destructors), life.res: made
 * by a module's first resourceType (resourceFeature), so that a module
 * without resources ships none of it. Destructors run through the guard.
 */
export function resourceLife(life) {
  const rt = life.rt;
  const res = {
    drops: [null],    // the destructor of each resource kind (1, 2, ...)
    names: [null],    // the JS class name of each resource kind
    owned: new Set(), // resources live handles own: C returning one again is an error
                      // (blocks are marked by the allocator: see ownBlock)
    doomed: [],       // finalized resources whose destructor is still to run: ptr, kind, ...

    /** Run a destructor whose error has no caller to go to. */
    destroy(kind, ptr, what) {
      try {
        res.drops[kind](ptr);
      } catch (e) {
        life.report(e, what);
      }
    },

    /** free(): run the destructor; its error reaches the caller. */
    release(h, ptr, kind) {
      try {
        res.drops[kind](ptr);
      } finally {
        rt.cb?.ownerFreed(h); // its callbacks end after its destructor (which may call them)
      }
    },

    /** Freed while a call used it, when that call returns: its error is reported. */
    releaseLater(h, ptr, kind) {
      res.destroy(kind, ptr, `the destructor of a ${res.names[kind]} (freed during a call that used it)`);
      rt.cb?.ownerFreed(h);
    },

    /** Finalized (in the FinalizationRegistry's callback): its destructor runs at reap(). */
    finalized(ptr, kind) {
      res.owned.delete(ptr);
      res.doomed.push(ptr, kind);
    },

    /** At a safe point: run the finalized resources' destructors, each error reported; how many. */
    reap() {
      const doomed = res.doomed;
      res.doomed = []; // (finalizers do not run while this loop does)
      for (let i = 0; i < doomed.length; i += 2)
        res.destroy(doomed[i + 1], doomed[i], `the destructor of a ${res.names[doomed[i + 1]]} (finalized)`);
      return doomed.length / 2;
    },
  };
  return res;
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

/**
 * Node's AsyncLocalStorage (Node, Deno, Bun), so that scopes follow async
 * code; elsewhere, null (scopes use a stack). Looked up through
 * process.getBuiltinModule, not imported: bundlers never see a node: module.
 */
export function asyncLocalStorage() {
  return globalThis.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage ?? null;
}
