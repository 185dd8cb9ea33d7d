
// ==== callbacks.mjs - JS functions C calls through function pointers. C
// gets a callback type's trampoline (a C function in the glue) and, as the
// user data, a small integer: an id into this registry, never a pointer to
// anything of JS. A trampoline's import finds the function by the id, or,
// for a callback type without user data (qsort's comparator), takes the
// innermost call in progress that passed one (calls nest, so a stack).
//
// Lifetimes: a call's callbacks are released when it returns or throws
// (listed in the call's temporaries as negative ids, see Runtime.release);
// stored ones live until their m.callback() handle is freed; a resource's
// (`stored(self)`) live as long as its handle, one per callback type.

import { badParam, describe, WasmgenError } from './errors.mjs';
import { Handle, isFreed } from './handles.mjs';

// (Literals, not expressions of each other: a bundler drops unused literals.)
const INDEX_BITS = 20;
const INDEX_MASK = 0xfffff; // (1 << INDEX_BITS) - 1
const GENERATIONS = 0x1000; // 1 << (32 - INDEX_BITS): an id's generation, so a released id goes stale

/** The registry of one instance: rt.cb. */
export class Callbacks {
  constructor(rt) {
    this.rt = rt;
    this.entries = [null]; // by index: { id, fn, type, owner (a WeakRef), count, stack }
    this.gens = [0];
    this.unused = [];      // indexes to reuse
    this.live = 0;         // functions registered: calls in progress, handles, resources'
    this.ntypes = 0;
    this.owners = new WeakMap(); // a resource handle -> { id, fns: [by type] }
    this.finalized = new FinalizationRegistry((id) => this.drop(id));
  }

  /** A callback type of the module; `ud`: its C signature passes user data. */
  type(name, ud) {
    return { name, ud, index: this.ntypes++, stack: [] };
  }

  /** @internal */
  add(entry) {
    let i = this.unused.pop();
    if (i === undefined) {
      i = this.entries.length;
      if (i > INDEX_MASK) throw new RangeError(`wasmgen: more than ${INDEX_MASK} callbacks registered at once`);
      this.entries.push(null);
      this.gens.push(0);
    }
    const gen = this.gens[i] = (this.gens[i] + 1) % GENERATIONS || 1;
    entry.id = ((gen << INDEX_BITS) | i) >>> 0;
    this.entries[i] = entry;
    if (this.rt.debug) entry.stack = (new Error().stack ?? '').split('\n').slice(3).join('\n');
    return entry.id;
  }

  /** @internal */
  drop(id) {
    const i = id & INDEX_MASK, e = this.entries[i];
    if (e === null || e === undefined || e.id !== id) return;
    this.live -= e.count;
    this.entries[i] = null;
    this.unused.push(i);
  }

  /** A function for one call: registered until the call's temporaries are released. */
  call(t, fn, where, param, optional) {
    fn = this.#fn(fn, where, param, optional);
    if (fn === null) return 0;
    const id = this.add({ id: 0, fn, type: t, owner: null, count: 1, stack: '' });
    this.live++;
    if (!t.ud) t.stack.push(fn);
    this.rt.tmp.push(-id);
    return id;
  }

  /** Release a call's callback (Runtime.release). */
  release(id) {
    const e = this.entries[id & INDEX_MASK];
    if (e !== null && e !== undefined && e.id === id && e.type !== null && !e.type.ud) e.type.stack.pop();
    this.drop(id);
  }

  /** A callback the library keeps: a handle from m.callback(), its id. */
  stored(t, cb, where, param, optional) {
    if (cb == null && optional) return 0;
    if (!(cb instanceof Callback))
      badParam(where, param, 'must be a callback handle from m.callback(fn) (the library keeps it after the ' +
        `call; free the handle when it no longer calls it); got ${describe(cb)}`);
    return callbackId(cb, this.rt, where, param);
  }

  /** A callback a resource keeps: its handle's id; `fn` replaces its callback of type t. */
  owned(t, owner, fn, where, param, optional) {
    fn = this.#fn(fn, where, param, optional);
    let rec = this.owners.get(owner);
    if (rec === undefined) {
      if (fn === null) return 0;
      // The entry holds the owner weakly: the functions it keeps may refer to it.
      const entry = { id: 0, fn: null, type: null, owner: new WeakRef(owner), count: 0, stack: '' };
      rec = { id: this.add(entry), entry, fns: [] };
      this.owners.set(owner, rec);
      this.finalized.register(owner, rec.id, rec);
    }
    const had = rec.fns[t.index] !== undefined;
    if (fn === null) {
      if (had) { rec.fns[t.index] = undefined; rec.entry.count--; this.live--; }
      return 0;
    }
    if (!had) { rec.entry.count++; this.live++; }
    rec.fns[t.index] = fn;
    return rec.id;
  }

  /** A resource handle was freed (after its destructor ran): its callbacks end. */
  ownerFreed(owner) {
    const rec = this.owners.get(owner);
    if (rec === undefined) return;
    this.owners.delete(owner);
    this.finalized.unregister(rec);
    this.drop(rec.id);
  }

  /** The function a trampoline of type t calls, given the user data C passed. */
  find(t, ud) {
    if (!t.ud) {
      const s = t.stack;
      if (s.length !== 0) return s[s.length - 1];
      throw new WasmgenError(`callback ${t.name}: C called it when no call in progress had passed one ` +
        '(a library may not keep a callback that has no user data past the call)');
    }
    ud >>>= 0;
    const e = this.entries[ud & INDEX_MASK];
    if (e !== null && e !== undefined && e.id === ud) {
      if (e.fn !== null) return e.fn;
      const owner = e.owner.deref();
      const f = owner === undefined ? undefined : this.owners.get(owner)?.fns[t.index];
      if (f !== undefined) return f;
      throw new WasmgenError(`callback ${t.name}: C called it for a ${owner?.constructor.name ?? 'resource'} ` +
        `that has no ${t.name} callback set`);
    }
    throw new WasmgenError(`callback ${t.name}: C called it with user data ${ud}, which is no live callback's ` +
      '(it was released: its call returned, its handle or its owner was freed)');
  }

  #fn(fn, where, param, optional) {
    if (typeof fn === 'function') return fn;
    if (fn instanceof Callback) return callbackFn(fn, this.rt, where, param);
    if (fn == null && optional) return null;
    badParam(where, param, `must be a function${optional ? ' or null' : ''}; got ${describe(fn)}`);
  }

  /** m.callback(fn): a handle keeping fn registered until freed. */
  handle(fn) { return new Callback(this.rt, fn); }
}

// (Not static methods: m.callback(fn).constructor reaches the class.)
/** The id of callback handle h, after checks. */
let callbackId;
/** The function of callback handle h, after checks. */
let callbackFn;

/**
 * A JS function registered with a module for as long as a library keeps it
 * (m.callback(fn)): pass it where the IDL says `stored`. It lives until
 * free() (or `using`, or the end of an m.scope()), never finalized: C may
 * still hold its id when JS holds nothing.
 */
// (Made by a call marked pure, as its static block would otherwise keep it in
// every bundle.)
export const Callback = /* @__PURE__ */ (() => class Callback extends Handle {
  #rt; #fn; #id;

  /** @internal Made by m.callback(fn). */
  constructor(rt, fn) {
    if (typeof fn !== 'function') throw new TypeError(`callback: expected a function; got ${describe(fn)}`);
    super(rt, 0, 0, 0);
    this.#rt = rt;
    this.#fn = fn;
    const cb = rt.cb;
    const entry = { id: 0, fn, type: null, owner: null, count: 1, stack: '', handle: new WeakRef(this) };
    this.#id = cb.add(entry);
    cb.live++;
    rt.life.scoped(this);
  }

  /** The function. */
  get fn() { return this.#fn; }

  /** Unregister it now: C calling it afterwards throws. Safe to call more than once. */
  free() {
    if (!isFreed(this)) this.#rt.cb.drop(this.#id);
    super.free();
  }

  static {
    callbackId = (h, rt, where, param) => {
      if (h.#rt !== rt) badParam(where, param, 'is a callback of another module instance');
      if (isFreed(h)) badParam(where, param, 'is a callback that was freed');
      return h.#id;
    };
    callbackFn = (h, rt, where, param) => {
      callbackId(h, rt, where, param);
      return h.#fn;
    };
  }
})();

/**
 * The owner of the resources C passes a callback: borrowed handles, refused
 * once the callback has returned (free() at its end), since the object is
 * the library's and may not outlive the call.
 */
export class CallOwner extends Handle {
  /** @internal */
  constructor(rt) { super(rt, 0, 0, 0); }
}
