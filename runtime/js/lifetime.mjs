
// ==== lifetime.mjs - the life of handles in one instance: the
// FinalizationRegistry and the free-on-finalize queue it writes into,
// m.scope(), and the diagnostics (m.stats(), m.leaks(), the warning).

import { describe } from './errors.mjs';
import { collectHandles } from './handles.mjs';

export class Lifetime {
  /** The lifetime options of instantiate() (see InstantiateOptions), checked. */
  constructor(rt, options, ALS) {
    this.rt = rt;
    this.registry = new FinalizationRegistry((held) => this.enqueue(held));
    this.drops = [null];       // the destructor of each resource kind (1, 2, ...)
    this.scopes = [];          // open m.scope() calls, innermost last (without AsyncLocalStorage)
    this.als = ALS ? new ALS() : null; // AsyncLocalStorage, where the platform has it
    this.handleBytes = 0;      // bytes in handles not yet freed or finalized
    this.explicitFrees = 0;    // handles freed by free() or a scope
    this.queue = 0;            // the address of the wg_queue
    this.queuedBytes = null;   // bytes of each queue slot, for pendingBytes
    this.statsPtr = 0;         // the address of the wg_stats
    this.warnBytes = 256 * 1024 * 1024;
    this.warned = false;
    this.onWarning = (message) => console.warn(message);
    this.debug = options.debug ? new Map() : null; // ptr -> { ref, bytes, stack } with options.debug
    this.gcPressure = 0;       // see adopt()
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

  /** Once instantiated: where the queue and the counters are. */
  attach(x) {
    const rt = this.rt;
    this.queue = x.wg_queue() >>> 0;
    this.queuedBytes = new Float64Array(rt.u32[(this.queue >>> 2) + 2] + 1);
    this.statsPtr = x.wg_stats() >>> 0;
  }

  // ---- Handles

  /**
   * A new handle owns `bytes` at `ptr` (kind 0), or the C object at `ptr` of
   * resource kind `kind`: register it for finalization and with the open
   * scope. Returns its ballast: V8 does not see wasm memory when it decides
   * to collect, but it does count ArrayBuffers. With options.gcPressure = f,
   * a handle of 64 KiB or more carries an untouched ArrayBuffer of f times
   * its size (untouched pages cost no RSS), so dropped handles are collected
   * sooner. Measured in tests/e2e/finalization.test.mjs.
   */
  adopt(h, ptr, bytes, kind) {
    this.registry.register(h, [ptr, bytes, kind], h);
    this.handleBytes += bytes;
    this.#inScope(h);
    if (this.debug && kind === 0) {
      this.debug.set(ptr, {
        ref: new WeakRef(h), bytes,
        stack: (new Error().stack ?? '').split('\n').slice(3).join('\n'),
      });
    }
    if (this.handleBytes > this.warnBytes && !this.warned) {
      this.warned = true;
      this.onWarning(`wasmgen (${this.rt.name}): ${(this.handleBytes / 1048576).toFixed(1)} MiB of wasm memory is held ` +
        'by WasmArray handles that were not freed. Finalizers free them only after a garbage collection, ' +
        'which may come late: call .free() (or `using`) on handles you are done with, or run the work in m.scope(). ' +
        '(options.warnBytes sets this threshold.)');
    }
    return this.gcPressure > 0 && bytes >= 65536 ? new ArrayBuffer(Math.floor(bytes * this.gcPressure)) : null;
  }

  /** free() of a live handle: give the block back, or run the destructor. */
  release(h, ptr, bytes, kind) {
    this.registry.unregister(h);
    this.handleBytes -= bytes;
    this.explicitFrees++;
    if (kind === 0) {
      this.debug?.delete(ptr);
      this.rt.exports.wg_free(ptr);
    } else {
      this.drops[kind](ptr);
    }
  }

  /**
   * Called by the FinalizationRegistry: queue the address for freeing (kind
   * 0) or for its resource's destructor, without entering wasm.
   */
  enqueue([ptr, bytes, kind]) {
    const rt = this.rt;
    this.handleBytes -= bytes;
    if (kind === 0) this.debug?.delete(ptr);
    rt.sync();
    const q = this.queue >>> 2;
    const head = rt.u32[q], tail = rt.u32[q + 1], mask = rt.u32[q + 2];
    if (((tail - head) >>> 0) > mask) {
      // Full: flush rather than drop. Finalizers run between tasks, never
      // while wasm is running, so entering wasm here is safe.
      rt.exports.wg_flush();
      rt.sync();
    }
    const u32 = rt.u32, t = u32[q + 1];
    u32[q + 4 + (t & mask)] = ptr;
    u32[q + 4 + mask + 1 + (t & mask)] = kind;
    this.queuedBytes[t & mask] = bytes;
    u32[q + 1] = (t + 1) >>> 0;
  }

  /** Free everything finalizers have queued; returns how many. */
  flush() { return this.rt.exports.wg_flush() >>> 0; }

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
    collectHandles(value, escaping);
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

  /** The allocator's counters, and the handles'. */
  stats() {
    const rt = this.rt;
    rt.sync();
    const s = this.statsPtr >>> 2, u = rt.u32, q = this.queue >>> 2;
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
      memoryBytes: rt.memory.buffer.byteLength,
    };
  }
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

/** Node's AsyncLocalStorage, so that scopes follow async code; elsewhere, null (scopes use a stack). */
let alsPromise = null;
export function asyncLocalStorage() {
  if (alsPromise === null) {
    alsPromise = globalThis.process?.versions?.node
      ? import('node:async_hooks').then((m) => m.AsyncLocalStorage).catch(() => null)
      : Promise.resolve(null);
  }
  return alsPromise;
}
