
// ==== features.mjs - the feature objects a module may have without handles:
// the methods only some modules' generated code calls on its runtime ($rt),
// which a generated module imports when its code calls them
// (compiler/emit_js.c, FEATURES) and Runtime.create puts on its runtime, so
// that a bundler drops the others: scalars' checks, calls of scalars, what C
// returns beyond strings and arrays, throws, large struct results. The
// features of handles are handle-features.mjs; the Runtime (runtime.mjs) is
// the core every module has. This part uses no handles: the runtime a module
// without handles inlines (--js-runtime=inline) is the core and this part.

import { badArity, badReturn, badScalar, OUT_OF_MEMORY, WasmgenError } from './errors.mjs';
import { lacks, MAX_BYTES, refused, takeString } from './runtime.mjs';
import { ELEMENT_NAMES } from './tables.mjs';

/**
 * o[k], unless o only inherits k from Object.prototype: `toString` is not
 * an import, a field or a destination the user gave.
 */
export function member(o, k) {
  const v = o[k];
  if (v !== undefined && k in Object.prototype && v === Object.prototype[k]) {
    for (let p = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p))
      if (Object.hasOwn(p, k)) return v;
    return undefined;
  }
  return v;
}

/**
 * Take `bytes` at `p`, which C returned, for JS: it must be a block the
 * allocator gave out, big enough, that JS does not own already (a live
 * handle's, or an argument's, which the call copied and will free: C
 * returning what it was given); the allocator marks it, so C's free()
 * refuses it from now on. Otherwise a WasmgenError naming the function; a
 * block nobody owns is freed first.
 */
export function ownBlock(rt, p, bytes, fn, what) {
  const r = bytes <= MAX_BYTES ? rt.exports.wg_adopt(p, bytes) : 3;
  if (r === 0) return;
  if (r === 3) rt.exports.wg_free(p); // (C's, too small: given back)
  refused(fn, what, p, r);
}

/** A resource pointer C returned: not one a live handle owns already. Returns p. */
export function fresh(rt, p, fn, what) {
  if (rt.life?.res?.owned.has(p))
    badReturn(fn, `${what} at ${p}, already owned by a live handle`);
  return p;
}

/** The length of the NUL-terminated string at p. */
export function utf8Strlen(u8, p, most = Infinity) {
  let n = 0;
  while (p + n < u8.length && u8[p + n] !== 0 && n <= most) n++;
  return n;
}

/**
 * What a module whose JS can meet no handle has instead of handleFeature
 * (the compiler gives it one or the other): m.alloc, each m.alloc.TYPE,
 * m.from and WasmArray.from throw a TypeError naming the module.
 */
export const noHandleFeature = {
  /** m.alloc (made by attach): it and each m.alloc.TYPE throw. */
  allocator() {
    const no = (fn) => () => lacks(this, fn, 'arrays');
    const alloc = no('alloc');
    for (const t of ELEMENT_NAMES.split(' ')) alloc[t] = no(`alloc.${t}`);
    return Object.freeze(alloc);
  },
  /** from() and WasmArray.from. */
  copyArray(ta, fn) { lacks(this, fn, 'arrays'); },
};

/** Scalar parameters: the message of a failed check (the check itself is the generated code's). */
export const scalarFeature = {
  /** A scalar argument failed its check: say why. */
  bad(type, v, fn, param) { badScalar(type, v, fn, param); },
};

/** `string?` parameters. */
export const strOptFeature = {
  /** str(), or NULL for null and undefined. */
  strOpt(s, fn, param) {
    if (s == null) { this.n = 0; return 0; }
    return this.str(s, fn, param);
  },
};

/** Calls of generated functions that have no temporaries nor return area (scalars only). */
export const scalarCallFeature = {
  /** enter(), without the mark: the argument count, then what finalizers left. */
  start(fn, got, expected) {
    if (got !== expected) badArity(fn, expected, got);
    if (this.waiting) this.reap();
  },
};

/**
 * What C returns besides a string or a number (checked before JS owns it),
 * a failed call's results, and the rarer results: i53, borrowed strings.
 */
export const resultFeature = {

  /** An i53 from C (a BigInt) as a Number; outside ±(2^53 - 1) is an error. */
  i53(v, fn = 'wasmgen') {
    if (v > 9007199254740991n || v < -9007199254740991n)
      badReturn(fn, `${v} for an i53, which is not a safe integer`);
    return Number(v);
  },

  // ---- What C returns: checked before JS owns it

  /** See ownBlock(). */
  owns(p, bytes, fn, what) { ownBlock(this, p, bytes, fn, what); },

  /** Is `bytes` at p a block C may give away (for freeing a failed call's result)? Then it is JS's. */
  givable(p, bytes) { return bytes <= MAX_BYTES && this.exports.wg_adopt(p, bytes) === 0; },

  /** See fresh(). */
  fresh(p, fn, what) { return fresh(this, p, fn, what); },

  // ---- Results, exception-safe

  /** Start converting a call's results: handles made from here on are the call's (see abort). */
  begin() { return this.made.push(null) - 1; },

  /** The results are the caller's now. */
  end(k) { this.made.length = k; },

  /** Converting the results failed: free the handles made since begin(k). */
  abort(k) {
    const made = this.made;
    for (let i = made.length - 1; i > k; i--) {
      const h = made[i];
      if (h === null) continue;
      try { h.free(); } catch (e) { this.report(e, 'a destructor run for a call that failed'); }
    }
    made.length = k;
  },

  /** A string C returned at `p`, `len` bytes: decoded, then freed, after the checks of takeString(). */
  ownStr(p, len, fn) { return takeString(this, p, len, fn); },

  /**
   * A string a bound library returned in slot `at` (NULL: null), freed by
   * `free`, an export of the glue calling the library's own function
   * (unchecked: the library's). See takeStr.
   */
  takeStrBy(at, fn, free) {
    this.sync();
    const i = at >>> 2, p = this.u32[i];
    if (p === 0) return null;
    this.u32[i] = 0;
    try {
      return this.decode(p, this.u32[i + 1]);
    } finally {
      free(p);
    }
  },

  /** A borrowed string C returned in slot `at` (static, or inside an object): copy it only. */
  peekStr(at) {
    this.sync();
    const p = this.u32[at >>> 2], len = this.u32[(at >>> 2) + 1];
    return p === 0 ? null : this.decode(p, len);
  },

  /**
   * A failed call's string result, in slot `at`: freed unread (by `free`,
   * when given: see takeStrBy), if it is C's to give (see givable).
   */
  dropStr(at, free = null) {
    this.sync();
    const i = at >>> 2, p = this.u32[i];
    this.u32[i] = 0;
    if (p === 0) return;
    if (free !== null) free(p);
    else if (this.givable(p, 1)) this.exports.wg_free(p);
  },

  /** A failed call's array result, in slot `at`: freed unread. */
  dropArr(at) { this.dropStr(at); },
  arityRange(fn, min, max, got) { badArity(fn, `${min} to ${max}`, got, ' (the last ones are optional)'); },
};

/** Functions declared `throws` (and bindings' checked calls). */
export const throwsFeature = {
  /** Did the call at return area `a` fail (wg_error: code, failed, message)? */
  failed(a) { this.sync(); return this.dv.getInt32(a + 4, true) !== 0; },

  /** If the call at `a` failed, raise() its error (a call with no result to free unread). */
  raiseIf(a, fn) { if (this.failed(a)) this.raise(a, fn, null); },

  /**
   * Throw the WasmgenError recorded at `a`, after freeing the message and,
   * with drop(), whatever result C returned besides: no result is converted.
   */
  raise(a, fn, drop) {
    this.sync();
    const code = this.dv.getInt32(a, true), p = this.dv.getUint32(a + 8, true);
    let message = 'failed';
    if (p !== 0 && p < this.u8.length) message = this.decode(p, utf8Strlen(this.u8, p));
    if (p !== 0) this.exports.wg_free(p);
    if (typeof drop === 'function') {
      try { drop(); } catch { /* the failure is the error to report */ }
    }
    // A binding's glue found an argument out of range (WG_BIND_RANGE).
    if (this.dv.getInt32(a + 4, true) === 2) throw new RangeError(`${fn}: ${message}`);
    throw new WasmgenError(`${fn}: ${message}`, code);
  },
};

/** Struct results too large for the return-area stack. */
export const heapFeature = {
  /** A return area too large for the stack (a big struct result): a temporary of the call (see enter). */
  pushHeap(slots, fn) {
    const p = this.exports.wg_alloc(8 * slots) >>> 0;
    if (p === 0) throw new RangeError(`${fn}: ${OUT_OF_MEMORY} (its result needs ${8 * slots} bytes)`);
    this.exports.wg_adopt(p, 8 * slots); // (JS's, as every temporary: see Runtime.temp)
    this.tmp.push(p);
    this.sync(); // allocating may have grown memory
    return p;
  },
};
