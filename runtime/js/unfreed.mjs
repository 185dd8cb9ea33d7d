
// ==== unfreed.mjs - what a Lifetime (lifetime.mjs) needs only for handles
// nobody frees, and options.debug's tools: the warning past
// options.warnBytes, the help V8 needs to collect dropped large handles in
// time (the watch and its collection where V8's heap limit is known, the
// ballast elsewhere), and the stacks m.leaks() lists. The Lifetime loads it
// once unfreed handles hold 16 MiB, or at instantiate() when an option asks
// for it from the first handle (see Lifetime.adopt); a program that frees
// its handles never loads it. It reads the Lifetime's checked options
// (warnBytes, onWarning, gcPressure) and calls back its enqueue() (and the
// runtime's report()), and is given lifetime.mjs's pulse (pulseBytes).

/** Handles' ballast starts when those not yet freed hold this many bytes (see adopt). */
const BALLAST_FROM = 64 * 1024 * 1024;
/** An untouched ArrayBuffer of n bytes: resizable where there are some (ES2024; V8 maps its pages directly, no zeroing calloc). */
const untouched = typeof ArrayBuffer.prototype.resize === 'function'
  ? (n) => new ArrayBuffer(n, { maxByteLength: n }) : (n) => new ArrayBuffer(n);
/** A collection is asked for once unfreed large handles grow by this many bytes (divided by gcPressure; see adopt). */
const COLLECT_EVERY = 2 ** 27; // 128 MiB
/** Large handles are watched once those not yet freed hold this many bytes: a WeakRef costs about 1 µs a handle. */
const WATCH_FROM = 2 ** 25; // 32 MiB

export class Unfreed {
  /**
   * The part for `life`, arriving while its handles hold life.handleBytes;
   * `debug`: options.debug; `pulse`: the bytes of an untouched ArrayBuffer
   * that makes V8 collect at once (0 where that is not known: the ballast
   * instead), from lifetime.mjs, which asks for collections itself until
   * this part arrives (`pulseAt`: the unfreed bytes at which it would have
   * asked for the next, from which the first here is counted).
   */
  constructor(life, debug, pulse, pulseAt) {
    this.life = life;
    this.warned = false;
    this.gcPressure = life.gcPressure ?? 1; // see adopt()
    this.ballastFrom = life.gcPressure === undefined ? BALLAST_FROM : 0; // ... once handles hold this many bytes
    this.pulse = pulse;        // see #collect
    this.watch = [];           // the held of the large handles a collection may clear, with [4] a WeakRef to each (with the pulse)
    this.heldOf = new WeakMap(); // their handle -> its held (marked given back by free())
    this.collectAt = Math.min(COLLECT_EVERY / this.gcPressure, pulseAt); // handleBytes beyond which a collection is asked for
    this.scheduled = false;    // one is
    this.settled = 0;          // watch's length after the last collection (those outlived it)
    this.pruneAt = 2048;       // watch's length at which what was given back is dropped from it
    if (debug) life.debug = new Map(); // ptr -> { ref, bytes, stack }
    // Arriving late (see Lifetime.adopt): the warning the handles made
    // meanwhile would have had, and, when they grew past collectAt, the
    // pulse now, between tasks (their blocks go back through the finalizer,
    // a task later, so it cannot wait for the next large handle's collection).
    this.#warnPast();
    if (this.gcPressure > 0 && pulse > 0 && life.handleBytes > this.collectAt) {
      try { untouched(pulse); } catch { this.pulse = 0; }
    }
  }

  /**
   * A new handle of the life (see Lifetime.adopt, which made `held`:
   * [ptr, bytes, kind, given back]). With options.debug, where it was made;
   * once unfreed handles hold more than options.warnBytes, the warning. V8
   * does not see wasm memory when it decides to collect, so dropped handles
   * of 64 KiB or more get help (unless options.gcPressure is 0). Where
   * node:v8 tells V8's heap limit (Node), each is watched through a WeakRef
   * once unfreed ones hold more than 32 MiB (WATCH_FROM), and once unfreed
   * ones grew by 128 MiB / gcPressure (COLLECT_EVERY) since the last
   * collection, #collect runs at the next task: a collection, and the blocks
   * of what it cleared given back at once. Elsewhere, returns the handle's
   * ballast: once unfreed handles hold more than 64 MiB (BALLAST_FROM; from
   * the first byte when options.gcPressure is given), an untouched
   * ArrayBuffer of gcPressure (default 1) times its size, which V8 counts;
   * resizable where there are some (mapped directly, no zeroing calloc).
   * Measured in tests/e2e/finalization.test.mjs and BENCHMARKS.md.
   */
  adopt(h, held) {
    const life = this.life, [ptr, bytes, kind] = held;
    if (life.debug && kind === 0) {
      life.debug.set(ptr, {
        ref: new WeakRef(h), bytes,
        stack: (new Error().stack ?? '').split('\n').slice(4).join('\n'),
      });
    }
    this.#warnPast();
    if (!(this.gcPressure > 0 && bytes >= 65536)) return null;
    if (this.pulse > 0) {
      if (!(life.handleBytes > WATCH_FROM)) return null; // (freed soon after: never watched, never pays)
      if (this.watch.length > this.pruneAt) { // handles freed while no collection was needed
        this.watch = this.watch.filter((e) => e[3] === 0); // (settled stays: at worst no second collection once)
        this.pruneAt = 2 * this.watch.length + 2048; // (what is still live: not scanned again at each handle)
      }
      held.push(new WeakRef(h));
      this.watch.push(held);
      this.heldOf.set(h, held);
      this.#collectPast(life.handleBytes - bytes);
      return null;
    }
    if (!(life.handleBytes > this.ballastFrom)) return null;
    return untouched(Math.floor(bytes * this.gcPressure));
  }

  /** A handle given back by JS (not by finalization): what a collection must not give back again. */
  forget(h, ptr, bytes, kind) {
    const held = bytes >= 65536 && this.heldOf.get(h);
    if (held) held[3] = 1;
    if (kind === 0) this.life.debug?.delete(ptr);
  }

  /**
   * The collection at the next task, once unfreed handles grew by
   * COLLECT_EVERY / gcPressure since the last one, from the fewest they
   * held since (`before`: before the newest handle). They fall when handles
   * are freed, and when the finalizer gives back what a collection cleared
   * but did not watch (made before this part arrived: see Lifetime.adopt).
   */
  #collectPast(before) {
    if (this.scheduled) return;
    this.collectAt = Math.min(this.collectAt, before + COLLECT_EVERY / this.gcPressure);
    if (this.life.handleBytes > this.collectAt) {
      this.scheduled = true;
      (globalThis.setImmediate ?? setTimeout)(() => this.#collect());
    }
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
      for (let round = 0; round < 2 && (round === 0 || i < w.length); round++) {
        untouched(this.pulse); // dropped at once
        for (let alive = 0; i < w.length;) {
          const held = w[i++];
          if (held[3] !== 0) continue;
          if (held[4].deref() === undefined) { this.life.enqueue(held); alive = 0; continue; }
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
    this.collectAt = this.life.handleBytes + COLLECT_EVERY / this.gcPressure;
    this.scheduled = false;
  }

  /**
   * Once unfreed handles hold more than options.warnBytes: options.onWarning(message),
   * once; what it throws goes to options.onError, not into the call making a handle.
   */
  #warnPast() {
    const life = this.life;
    if (!(life.handleBytes > life.warnBytes) || this.warned) return;
    this.warned = true;
    try {
      life.onWarning(`wasmgen (${life.rt.name}): ${(life.handleBytes / 1048576).toFixed(1)} MiB of wasm memory is held ` +
        'by WasmArray handles that were not freed. Finalizers free them only after a garbage collection, ' +
        'which may come late: call .free() (or `using`) on handles you are done with, or run the work in m.scope(). ' +
        '(options.warnBytes sets this threshold.)');
    } catch (e) {
      life.rt.report(e, 'options.onWarning');
    }
  }

  /** m.leaks() (options.debug): the live handles and where each was made, then the callbacks kept. */
  leaks() {
    const out = [];
    for (const [ptr, e] of this.life.debug) {
      const h = e.ref.deref();
      if (h !== undefined && !h.freed) out.push({ ptr, type: h.type, length: h.length, bytes: e.bytes, stack: e.stack });
    }
    const cb = this.life.rt.cb;
    for (const e of cb?.entries ?? []) {
      if (e === null || e === undefined || e.count === 0) continue;
      if (e.handle !== undefined) {
        const h = e.handle.deref();
        out.push({ ptr: 0, type: 'callback', length: 0, bytes: 0, stack: e.stack, callback: h?.fn?.name ?? '' });
      } else if (e.owner !== null && e.owner.deref() !== undefined) {
        out.push({ ptr: 0, type: 'callback', length: e.count, bytes: 0, stack: e.stack,
          callback: `${e.count} of a ${e.owner.deref().constructor.name}` });
      }
    }
    return out;
  }
}
