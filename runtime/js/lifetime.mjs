
// ==== lifetime.mjs - the life of handles in one instance: the
// FinalizationRegistry and the free-on-finalize queue it writes into,
// m.scope(), where destructors' errors go, and m.stats(). What only handles
// nobody frees need (the warning, the help V8 needs to collect them in
// time) and options.debug's tools (m.leaks()) are the part unfreed.mjs,
// loaded on demand (see Lifetime.adopt).
//
// Nothing that can enter wasm runs inside a FinalizationRegistry callback:
// the callback only writes a block's address into the ring in wasm memory
// (C frees it at its next entry), or, when the ring is full, and for
// resources, remembers it here. What is remembered is given back at the next
// call into the module (the runtime's guard calls reap() first), by
// m.flush(), m.alloc() and m.from(). A finalized resource's destructor that
// throws is reported to options.onError, never to the unrelated call.

import { describe } from './errors.mjs';
import { refuse } from './instantiate.mjs';
import { collectHandles, isFreed, isKept } from './handles.mjs';

/**
 * Unfreed handles' bytes from which the part wasmgen-unfreed.mjs (unfreed.mjs)
 * is loaded: half of those from which it starts acting (WATCH_FROM, 32 MiB;
 * BALLAST_FROM, 64 MiB). See adopt.
 */
const UNFREED_FROM = 2 ** 24; // 16 MiB
/** Until the part arrives, a collection is asked for once unfreed handles grow by this many bytes (see #meanwhile). */
const PULSE_EVERY = 2 ** 26; // 64 MiB: half the part's COLLECT_EVERY
/**
 * The bytes of the pulse: an untouched ArrayBuffer, dropped at once, that
 * makes V8 collect at once (it costs no resident memory: pages this large
 * are mapped, never written). V8 does when
 * ArrayBuffers grow by more than half its heap limit
 * (Heap::ReportExternalMemoryPressure, its "hard limit"), which node:v8
 * tells. Measured in Node (V8 11.3); Deno's V8 15 collects too but its
 * WeakRefs are not all cleared: there, and where the limit is unknown
 * (browsers, Bun), 0: no pulse (the part's ballast instead).
 */
function pulseBytes() {
  const limit = globalThis.Bun || globalThis.Deno ? 0 : builtin('node:v8')?.getHeapStatistics().heap_size_limit;
  return limit > 0 ? limit / 2 + 2 ** 20 : 0;
}

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
  #pulseAt = PULSE_EVERY; // until the part arrives: handleBytes beyond which a collection is asked for (see #meanwhile)
  #pulse;                // pulseBytes(), once asked
  #handleBytes = 0;      // bytes in handles not yet freed or finalized (the part reads it: handleBytes)
  #help = null;          // the part (an Unfreed) once loaded
  registry = new FinalizationRegistry((held) => this.enqueue(held));
  res = null;            // with resources, their bookkeeping (see resourceLife)
  debug = null;          // with options.debug, the part's map: ptr -> { ref, bytes, stack }
  loading = null;        // the promise of the part, once asked for

  /**
   * The lifetime options of instantiate() (see InstantiateOptions), checked.
   * What only a program that does not free its handles needs (the warning,
   * the large handles' help) and options.debug's tools are the part
   * unfreed.mjs, loaded on demand (see #loadPart): `loading` is set when
   * instantiate() must wait for it (options.debug, a gcPressure above 0,
   * a warnBytes below UNFREED_FROM), which createRuntime does. (gcPressure 0
   * turns the help off: the part is loaded as by default, for the warning.
   * Loading it during instantiate() also delays, in some runs of Node 20,
   * the first finalizers after a collection by a task.)
   */
  constructor(rt, options) {
    this.rt = rt;
    // Node's AsyncLocalStorage, so that scopes follow async code; elsewhere, a stack.
    const ALS = builtin('node:async_hooks')?.AsyncLocalStorage;
    this.#als = ALS ? new ALS() : null;
    // Each option, checked: a number from 0 to `max`, or without max a function. (The part reads them.)
    const check = (k, what, max) => {
      const v = options[k];
      if (v !== undefined && !(max === undefined ? typeof v === 'function' : typeof v === 'number' && v >= 0 && v <= max))
        refuse(`options.${k} must be ${what}; got ${describe(v)}`);
      return v;
    };
    this.warnBytes = check('warnBytes', 'a number of bytes', Infinity) ?? 2 ** 28; // 256 MiB
    this.gcPressure = check('gcPressure', 'a number from 0 to 1', 1);
    this.onWarning = check('onWarning', 'a function') ?? ((message) => console.warn(message));
    if (options.debug || this.gcPressure > 0 || this.warnBytes < UNFREED_FROM) this.#loadPart(!!options.debug, true);
  }

  /**
   * Load the part unfreed.mjs: through loadUnfreed(), which what holds this
   * text declares (the runtime file's tail, file-exports.mjs: an import() of
   * wasmgen-unfreed.mjs beside it, which bundlers make a chunk of its own;
   * with --js-runtime=inline, the generated module, which pastes the part).
   * `now`: instantiate() waits for it and fails if it cannot be loaded;
   * otherwise a failure goes to options.onError, and the handles go without.
   */
  #loadPart(debug, now) {
    const loading = loadUnfreed().then(({ Unfreed }) => { this.#help = new Unfreed(this, debug, this.#pulseBytes(), this.#pulseAt); });
    this.loading = loading.catch((e) => now
      ? refuse(`options.debug, gcPressure and warnBytes need wasmgen-unfreed.mjs beside ` +
        `wasmgen-runtime.mjs, which could not be loaded: ${e?.message ?? e}`)
      : this.rt.report(e, 'loading wasmgen-unfreed.mjs'));
  }

  /** Bytes in handles not yet freed or finalized. */
  get handleBytes() { return this.#handleBytes; }

  /** Once instantiated: where the queue and the counters are. */
  attach(x) {
    const rt = this.rt;
    this.#queue = x.wg_queue() >>> 0;
    this.#queuedBytes = new Float64Array(rt.u32[(this.#queue >>> 2) + 2] + 1);
  }

  // ---- Handles

  /**
   * A new handle owns `bytes` at `ptr` (kind 0), or the C object at `ptr` of
   * resource kind `kind`: register it for finalization and with the open
   * scope (an empty array, ptr 0, only with the scope). Returns what the
   * handle must hold (a ballast, or null): the part's, once loaded (see
   * Unfreed.adopt: options.debug's stacks, the warning, and the help V8
   * needs to collect dropped large handles in time).
   *
   * Where it must act from the first handle (options.debug, a gcPressure
   * above 0, a warnBytes under 16 MiB), instantiate() loads the part before
   * anything runs. Otherwise it is asked for once unfreed handles hold
   * UNFREED_FROM (16 MiB), half the bytes from which its help starts (it
   * watches handles from 32 MiB, gives them a ballast from 64 MiB); a
   * program that frees its handles never loads it. It arrives some tasks
   * later (see #meanwhile): the handles made before are not watched and
   * carry no ballast. That costs little: neither could give anything back
   * inside a synchronous stretch (finalizers, and the part's collections,
   * which a new WeakRef would defeat there, run only between tasks), and
   * what a program dropping handles faster than the part arrives needs
   * then, a collection, #meanwhile asks for itself. On arrival, the part
   * warns if unfreed handles already hold more than options.warnBytes.
   */
  adopt(h, ptr, bytes, kind) {
    this.scoped(h); // an empty array too: the scope marks it freed
    if (ptr === 0) return null;
    const held = [ptr, bytes, kind, 0]; // [3]: 1 once given back (free(), finalizer or the part's collection)
    this.registry.register(h, held, h);
    if (kind !== 0) this.res.owned.add(ptr);
    if (this.rt.made.length) this.rt.made.push(h); // a call is converting its results: see Runtime.begin
    this.#handleBytes += bytes;
    if (this.#help !== null) return this.#help.adopt(h, held);
    if (this.#handleBytes > UNFREED_FROM) this.#meanwhile(this.#handleBytes - bytes);
    return null;
  }

  /**
   * Unfreed handles past UNFREED_FROM, the part not here: ask for it. Its
   * import takes a few tasks, and more (2 to 8 in bench/finalize.mjs) under
   * the load of many dropped handles: Node reads the file in several steps,
   * one a task, and such a program does little else between its stretches.
   * Dropping 100 MiB a task, it would outrun the part by hundreds of MiB.
   * So meanwhile, as the part would (see Unfreed#collect), once unfreed
   * handles grew by PULSE_EVERY (64 MiB) from the fewest they held
   * since the last collection (`before`: before the newest handle), the
   * pulse: a collection. At once, not at the next task as the part's: no
   * WeakRef holds these handles; and twice as often, since the finalizer
   * gives their blocks back only a task later (the part's collections give
   * the watched ones back at once). Only with the default gcPressure: any
   * other loads the part at instantiate(), and 0 asks for no collection.
   */
  /** pulseBytes(), found once (it asks node:v8 for the heap limit). */
  #pulseBytes() { return this.#pulse ??= pulseBytes(); }

  #meanwhile(before) {
    if (this.loading === null) this.#loadPart(false, false);
    if (this.gcPressure === 0) return;
    this.#pulseAt = Math.min(this.#pulseAt, before + PULSE_EVERY);
    if (!(this.#handleBytes > this.#pulseAt)) return;
    const pulse = this.#pulseBytes();
    if (pulse > 0) {
      try { new ArrayBuffer(pulse); } catch { /* refused: the finalizer alone */ }
    }
    this.#pulseAt = this.#handleBytes + PULSE_EVERY;
  }

  /**
   * A handle given back by JS (not by finalization): free() of a live
   * handle gives the block back, or runs the destructor, whose error
   * reaches the caller; `later`, for a handle freed while a call used it,
   * when that call returns: a destructor's error is reported.
   */
  release(h, ptr, bytes, kind, later) {
    this.registry.unregister(h);
    this.#handleBytes -= bytes;
    this.#explicitFrees++;
    this.#help?.forget(h, ptr, bytes, kind);
    if (kind === 0) this.rt.exports.wg_free(ptr); // a leaf: calls nothing
    else {
      this.res.owned.delete(ptr);
      if (later) this.res.releaseLater(h, ptr, kind);
      else this.res.release(h, ptr, kind);
    }
  }

  /**
   * Called by the FinalizationRegistry: without entering wasm, queue the
   * block for C to free (in the ring, or here when the ring is full), or the
   * resource for its destructor at the next call. Never throws.
   */
  enqueue(held) {
    const [ptr, bytes, kind, done] = held;
    if (done !== 0) return; // given back already (by the part's collection)
    held[3] = 1;
    try {
      this.#handleBytes -= bytes;
      if (kind !== 0) {
        this.res.finalized(ptr, kind);
        this.rt.waiting = true;
        return;
      }
      this.debug?.delete(ptr);
      this.rt.sync();
      if (!this.#push(ptr, bytes)) {
        this.#overflow.push(ptr, bytes);
        this.rt.waiting = true;
      }
    } catch (e) {
      this.rt.report(e, 'the finalizer');
    }
  }

  /**
   * Put a block in the ring for C to free (wasmgen.h: head, tail, mask,
   * then the slots and their kinds, 0 to free), unless it is full: then
   * false. (Its caller synced the views.)
   */
  #push(ptr, bytes) {
    const u32 = this.rt.u32, q = this.#queue >>> 2, tail = u32[q + 1], mask = u32[q + 2], i = tail & mask;
    if (((tail - u32[q]) >>> 0) > mask) return false;
    u32[q + 4 + i] = ptr;
    u32[q + 5 + mask + i] = 0;
    this.#queuedBytes[i] = bytes;
    u32[q + 1] = tail + 1; // (a Uint32Array wraps)
    return true;
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
        n += rt.exports.wg_flush() >>> 0; // a leaf: the ring holds blocks only (and is empty after)
        rt.sync();
        while (overflow.length && this.#push(overflow[overflow.length - 2], overflow[overflow.length - 1]))
          overflow.length -= 2;
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
    // The end of fn (or of what it returned, a thenable), with its value or (threw) not.
    const end = (v, threw) => {
      this.#unstack(s);
      this.#close(s, parent, v, threw);
      return v;
    };
    let result, later;
    try {
      if (this.#als) {
        result = this.#als.run(s, fn);
      } else {
        this.#scopes.push(s);
        result = fn();
      }
      later = isThenable(result);
    } catch (e) {
      end(undefined, true);
      throw e;
    }
    return later ? Promise.resolve(result).then(end, (e) => { end(undefined, true); throw e; }) : end(result, false);
  }

  /** The innermost m.scope() in progress for the running code, if any. */
  #openScope() {
    return this.#als ? this.#als.getStore() : this.#scopes[this.#scopes.length - 1];
  }

  /** A new handle belongs to the open scope, if any (a handle that is not memory, a callback, only to it). */
  scoped(h) {
    const scope = this.#openScope();
    if (scope?.open) scope.handles.push(h);
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
      if (isFreed(h) || isKept(h)) continue; // (a kept handle belongs to no scope)
      if (escaping.has(h)) {
        if (parent?.open) parent.handles.push(h);
      } else {
        try { h.free(); } catch (e) { errors.push(e); }
      }
    }
    s.handles.length = 0;
    if (errors.length === 0) return;
    if (threw) {
      for (const e of errors) this.rt.report(e, 'a destructor run as a scope that threw ended');
      return;
    }
    throw errors.length === 1 ? errors[0]
      : new AggregateError(errors, `scope: ${errors.length} destructors threw as the scope ended`);
  }

  // ---- Diagnostics

  /** With options.debug (Runtime.leaks checks; instantiate() loaded the part): the live handles and where each was made. */
  leaks() { return this.#help.leaks(); }

  /** m.stats(): the handles' counters, into `out` (the allocator's, from Runtime.stats). */
  stats(out) {
    const rt = this.rt, u = rt.u32, q = this.#queue >>> 2;
    const head = u[q], tail = u[q + 1], mask = u[q + 2];
    let pendingBytes = 0;
    for (let i = head; i !== tail; i = (i + 1) >>> 0) pendingBytes += this.#queuedBytes[i & mask];
    for (let i = 1; i < this.#overflow.length; i += 2) pendingBytes += this.#overflow[i];
    out.pendingFrees = ((tail - head) >>> 0) + (this.#overflow.length + (this.res?.doomed.length ?? 0)) / 2;
    out.pendingBytes = pendingBytes;
    out.handleBytes = this.#handleBytes;
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
    taken: null,      // handles whose object C took (`given`), once one was (a WeakSet)
    // (f: in a module that borrows, the bookkeeping of borrowed handles whose object a handle comes
    // to own, or destroys: followFeature, handle-features.mjs)
    clock: 0,         // counts those new owners (a resource handle's #died: the clock when it was freed)

    /** Run a destructor whose error has no caller to go to. */
    destroy(kind, ptr, what) {
      res.f?.over(ptr); // (destroyed: no new owner)
      try {
        res.drops[kind](ptr);
      } catch (e) {
        rt.report(e, what);
      }
    },

    /** free(): run the destructor; its error reaches the caller. */
    release(h, ptr, kind) {
      res.f?.over(ptr); // (destroyed: no new owner)
      try {
        res.drops[kind](ptr);
      } finally {
        rt.cb?.ownerFreed(h); // its callbacks end after its destructor (which may call them)
      }
    },

    /** Freed while a call used it, when that call returns: its error is reported. */
    releaseLater(h, ptr, kind) {
      if (res.taken?.has(h)) return; // ... a call that gave C its object (a `given` parameter)
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
  return Object(v) === v && typeof v.then === 'function';
}

/**
 * A built-in module of Node (Node, Deno, Bun), or undefined elsewhere:
 * looked up through process.getBuiltinModule, not imported, so that
 * bundlers never see a node: module.
 */
function builtin(name) { return globalThis.process?.getBuiltinModule?.(name); }
