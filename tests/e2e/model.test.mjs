// model.test.mjs - a model-based random test of the JS API (tests/e2e/model.idl):
// random sequences of calls (arrays in, out, inout and returned, through
// handles, their views, typed arrays and plain arrays), frees, drops to the
// garbage collector, scopes (sync and async, nested, returning handles in
// every form, throwing), keep(), m.alloc and m.from, a resource whose
// destructor calls JS (and may throw), an import that re-enters the module,
// throws, or frees the arguments of the call in progress, gc() and memory
// growth; callbacks (for a call, re-entrant with and without user data,
// throwing, kept by a box until replaced, removed or the box's end). After
// every step the module is checked against a model: each live
// handle's contents, no two live handles overlapping, freed flags, the
// handle bytes and C's live objects within what the model allows (exactly,
// at each settle), the C stack pointer back where it was; at the end nothing
// is leaked.
//
//   WG_MODEL_OPS=100000 WG_MODEL_SEED=1 node --test --expose-gc tests/e2e/model.test.mjs
//
// make check runs 100,000 operations; make fuzz runs a long one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, collect, gc } from './helpers.mjs';

const OPS = Number(process.env.WG_MODEL_OPS ?? 100000);
const SEED = Number(process.env.WG_MODEL_SEED ?? 1);

/** mulberry32: a small seeded generator. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

class VisitError extends Error {}
class DropError extends Error {
  constructor(v) { super(`drop ${v}`); this.value = v; }
}

test(`model: ${OPS} random operations on the JS API agree with a model (seed ${SEED})`, async () => {
  const R = generator(SEED);
  const env = { visit: (d) => 2 * d, dropThrows: false };
  const hookErrors = [];
  const { m, mod } = await load('model', {
    imports: {
      visit: (d) => env.visit(d),
      dropped: (v) => { if (env.dropThrows) throw new DropError(v); },
    },
    // (Not the error itself: V8 keeps the receivers of its stack frames until
    // .stack is read, and one may be a handle the test later drops.)
    onError: (e) => hookErrors.push({ drop: e instanceof DropError, text: String(e) }),
  });
  const { WasmArray } = mod;

  // ---- The model
  const live = new Map();  // handle -> { kind: 'arr', data } | { kind: 'box', value }
  const owner = new Map(); // handle -> the open scope it belongs to
  const scopes = [];       // open scopes, innermost last: { handles: Set }
  const recentlyFreed = [];
  const kept = new WeakSet(); // handles exempted from their scope with keep() (weak: they may be dropped)
  let droppedBytes = 0, droppedBoxes = 0, droppedHooks = 0; // given to the GC, maybe not finalized yet
  let ops = 0;

  const base = m.stats();
  const sp = m.stackProbe();

  function adopt(h, e) {
    live.set(h, e);
    const s = scopes[scopes.length - 1];
    if (s) { s.handles.add(h); owner.set(h, s); }
    return h;
  }
  function gone(h) {
    live.delete(h);
    owner.get(h)?.handles.delete(h);
    owner.delete(h);
    recentlyFreed.push(h);
    if (recentlyFreed.length > 64) recentlyFreed.shift();
  }
  const arrays = (type) => [...live].filter(([h, e]) => e.kind === 'arr' && (!type || h.type === type)).map(([h]) => h);
  const boxes = () => [...live].filter(([, e]) => e.kind === 'box').map(([h]) => h);
  const modelBytes = () => { let n = 0; for (const [h, e] of live) if (e.kind === 'arr') n += e.data.byteLength; return n; };
  const modelBoxes = () => boxes().length;
  const modelAllocations = () => { let n = 0; for (const [, e] of live) n += e.kind === 'box' || e.data.length > 0 ? 1 : 0; return n; };
  const modelHooks = () => { let n = 0; for (const [, e] of live) n += e.kind === 'box' && e.hook != null ? 1 : 0; return n; };

  function sameContents(view, data, what) {
    assert.equal(view.length, data.length, `${what}: length`);
    const step = data.length > 256 ? Math.floor(data.length / 61) : 1;
    for (let i = 0; i < data.length; i += step)
      if (view[i] !== data[i]) assert.fail(`${what}: element ${i} is ${view[i]}, the model says ${data[i]}`);
    if (data.length) assert.equal(view[data.length - 1], data[data.length - 1], `${what}: last element`);
  }

  function check(where) {
    const ranges = [];
    for (const [h, e] of live) {
      assert.equal(h.freed, false, `${where}: a live handle reads as freed`);
      if (e.kind === 'arr') {
        sameContents(h.view, e.data, `${where}: ${h.type}[${h.length}]`);
        if (h.length) ranges.push([h.ptr, h.ptr + h.byteLength]);
      } else {
        assert.equal(h.get(), e.value, `${where}: a box's value`);
        if (R.chance(0.05))
          assert.equal(h.getHooked(), e.hook == null ? e.value : e.value * e.hook + 1, `${where}: a box's hook`);
      }
    }
    for (const h of recentlyFreed) assert.equal(h.freed, true, `${where}: a freed handle reads as live`);
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++)
      assert.ok(ranges[i - 1][1] <= ranges[i][0], `${where}: live handles overlap at ${ranges[i][0]}`);
    const s = m.stats();
    const bytes = modelBytes();
    assert.ok(s.handleBytes >= bytes && s.handleBytes <= bytes + droppedBytes,
      `${where}: handleBytes ${s.handleBytes}, the model allows ${bytes} to ${bytes + droppedBytes}`);
    const lb = m.liveBoxes(), nb = modelBoxes();
    assert.ok(lb >= nb && lb <= nb + droppedBoxes, `${where}: ${lb} boxes in C, the model allows ${nb} to ${nb + droppedBoxes}`);
    const lc = s.liveCallbacks, nc = modelHooks();
    assert.ok(lc >= nc && lc <= nc + droppedHooks, `${where}: ${lc} live callbacks, the model allows ${nc} to ${nc + droppedHooks}`);
    assert.equal(m.stackProbe(), sp, `${where}: the C stack pointer moved`);
    for (const e of hookErrors) assert.ok(e.drop, `${where}: options.onError got ${e.text}`);
  }

  async function settle(where) {
    const done = () => {
      m.flush();
      return m.stats().handleBytes === modelBytes() && m.liveBoxes() === modelBoxes() &&
        m.stats().liveCallbacks === modelHooks();
    };
    if (!await collect(done, 500)) {
      const s = m.stats();
      assert.fail(`${where}: dropped handles were never finalized: handleBytes ${s.handleBytes}, the model ${modelBytes()}; ` +
        `${m.liveBoxes()} boxes in C, the model ${modelBoxes()}; pending ${s.pendingFrees}`);
    }
    droppedBytes = droppedBoxes = droppedHooks = 0;
    const s = m.stats();
    assert.equal(s.pendingFrees, 0, `${where}: pending frees`);
    assert.equal(s.liveAllocations, base.liveAllocations + modelAllocations(), `${where}: live allocations`);
  }

  // ---- Values

  const smallLength = () => (R.chance(0.1) ? 0 : 1 + R.int(R.chance(0.1) ? 300 : 24));
  const ints = (n, lo, hi) => Float64Array.from({ length: n }, () => lo + R.int(hi - lo + 1));
  function someString() {
    const parts = ['a', 'bc', 'é', '😀', 'x'.repeat(40), '∑', ' ']; // (no NUL: returned strings end at the first)
    let s = '';
    for (let i = R.int(8); i > 0; i--) s += R.pick(parts);
    return s;
  }

  /** An f64 argument and its model contents: a handle, its view, a typed array, an Array or an array-like. */
  function f64Arg() {
    const hs = arrays('f64');
    const form = R.int(5);
    if (hs.length && form < 2) {
      const h = R.pick(hs);
      return { v: form === 0 ? h : h.view, data: live.get(h).data, handle: h };
    }
    const data = ints(smallLength(), -50, 50);
    if (form === 2) return { v: Float64Array.from(data), data };
    if (form === 3) return { v: Array.from(data), data };
    const like = { length: data.length };
    data.forEach((x, i) => { like[i] = x; });
    return { v: like, data };
  }

  // ---- Imports' behaviours for one call

  function visitMode(mode, arg) {
    switch (mode) {
      case 'plain': return (d) => 2 * d;
      case 'throw': return () => { throw new VisitError('visit'); };
      case 'reenter': return (d) => {
        // Another call from inside C: its own handles come and go.
        const t = m.make(3, d);
        assert.equal(m.sum(t), 3 * d + 3);
        t.free();
        assert.equal(m.echo('inner'), 'inner');
        return 2 * d;
      };
      case 'free-arg': return (d) => {
        // Free the argument of the call in progress, and reuse its memory.
        arg.free();
        const victim = m.alloc.f64(Math.max(1, arg.length));
        victim.view.fill(700);
        adopt(victim, { kind: 'arr', data: new Float64Array(victim.length).fill(700) });
        return 2 * d;
      };
      default: throw new Error(mode);
    }
  }

  // ---- Operations. Each returns nothing, or a promise for async ones.

  const sync = {
    make() {
      const n = smallLength(), seed = R.int(1000) - 500;
      const h = m.make(n, seed);
      assert.ok(h instanceof WasmArray);
      adopt(h, { kind: 'arr', data: Float64Array.from({ length: n }, (_, i) => seed + i) });
    },
    alloc() {
      const type = R.pick(['f64', 'u8']), n = smallLength();
      const h = R.chance(0.5) ? m.alloc[type](n) : m.alloc(type, n);
      const data = type === 'f64' ? ints(n, -9, 9) : Uint8Array.from(ints(n, 0, 255));
      h.view.set(data);
      adopt(h, { kind: 'arr', data });
    },
    from() {
      const n = smallLength();
      const kind = R.int(4);
      const src = kind === 0 ? ints(n, -99, 99) : kind === 1 ? Uint8Array.from(ints(n, 0, 255))
        : kind === 2 ? new Uint8ClampedArray(ints(n, -10, 300)) : Buffer.from(Uint8Array.from(ints(n, 0, 255)));
      const h = m.from(src);
      assert.equal(h.type, kind === 0 ? 'f64' : 'u8');
      adopt(h, { kind: 'arr', data: kind === 0 ? Float64Array.from(src) : Uint8Array.from(src) });
    },
    sum() {
      const { v, data } = f64Arg();
      assert.equal(m.sum(v), data.reduce((a, b) => a + b, 0));
    },
    scale() {
      const { v, data, handle } = f64Arg();
      const k = R.int(5) - 2, add = R.int(7) - 3;
      const expect = data.map((x) => x * k + add);
      m.scale(v, k, add);
      if (handle) live.get(handle).data = Float64Array.from(expect);
      else if (v instanceof Float64Array || Array.isArray(v)) sameContents(v, expect, 'scale: copied back');
      else sameContents(Array.from({ length: data.length }, (_, i) => v[i]), expect, 'scale: an array-like copied back');
    },
    fill() {
      const n = R.int(12), x = R.int(100);
      const hs = arrays('f64').filter((h) => h.length >= n);
      const form = R.int(3);
      if (form === 0 && hs.length) {
        const dest = R.pick(hs);
        assert.equal(m.fill(x, n, { r: dest }), dest);
        live.get(dest).data.fill(x, 0, n);
      } else if (form === 1) {
        const dest = new Float64Array(n + R.int(3));
        assert.equal(m.fill(x, n, { r: dest }), dest);
        sameContents(dest.subarray(0, n), new Float64Array(n).fill(x), 'fill into a typed array');
      } else {
        const h = m.fill(x, n);
        adopt(h, { kind: 'arr', data: new Float64Array(n).fill(x) });
      }
    },
    copyVisit() {
      const hs = arrays('f64');
      const useHandle = hs.length && R.chance(0.7);
      const h = useHandle ? R.pick(hs) : null;
      const data = h ? live.get(h).data.slice() : ints(smallLength(), -5, 5);
      const mode = R.pick(useHandle && h.length ? ['plain', 'throw', 'reenter', 'free-arg'] : ['plain', 'throw', 'reenter']);
      env.visit = visitMode(mode, h);
      try {
        if (mode === 'throw') {
          assert.throws(() => m.copyVisit(h ?? data, R.int(5)), VisitError);
          return;
        }
        const r = m.copyVisit(h ?? Array.from(data), R.int(5));
        if (mode === 'free-arg') {
          assert.equal(h.freed, true);
          gone(h);
        }
        adopt(r, { kind: 'arr', data });
      } finally {
        env.visit = visitMode('plain');
      }
    },
    echo() {
      const s = someString();
      assert.equal(m.echo(s), s);
    },
    bytes() {
      const big = R.chance(0.05);
      const n = big ? 65536 * (1 + R.int(40)) : smallLength(), v = R.int(256);
      const h = m.bytes(n, v);
      adopt(h, { kind: 'arr', data: new Uint8Array(n).fill(v) });
    },
    free() {
      const hs = [...live.keys()];
      if (!hs.length) return;
      const h = R.pick(hs);
      const isBox = live.get(h).kind === 'box';
      gone(h);
      if (isBox && env.dropThrows) assert.throws(() => h.free(), DropError);
      else h.free();
      assert.equal(h.freed, true);
    },
    freeAgain() {
      if (recentlyFreed.length) R.pick(recentlyFreed).free(); // nothing happens
    },
    drop() {
      const hs = [...live.keys()].filter((h) => !owner.has(h));
      if (!hs.length) return;
      const h = R.pick(hs);
      const e = live.get(h);
      if (e.kind === 'arr') droppedBytes += e.data.byteLength;
      else { droppedBoxes++; droppedHooks += e.hook != null ? 1 : 0; }
      live.delete(h); // the model forgets it; nothing else holds it
    },
    boxNew() {
      const v = R.int(1000);
      adopt(new m.Box(v), { kind: 'box', value: v });
    },
    boxSet() {
      const bs = boxes();
      if (!bs.length) return;
      const b = R.pick(bs), v = R.int(1000);
      b.set(v);
      live.get(b).value = v;
      assert.equal(m.peek(b), v);
    },
    boxClone() {
      const bs = boxes();
      if (!bs.length) return;
      const b = R.pick(bs);
      adopt(b.clone(), { kind: 'box', value: live.get(b).value });
    },
    visitWith() {
      const bs = boxes();
      if (!bs.length) return;
      const b = R.pick(bs), d = R.int(9), value = live.get(b).value;
      const mode = R.pick(['plain', 'throw', 'reenter', 'free-self']);
      env.visit = mode === 'free-self'
        ? (x) => { b.free(); return 2 * x; } // the destructor runs after the call
        : visitMode(mode);
      try {
        if (mode === 'throw') {
          assert.throws(() => b.visitWith(d), VisitError);
          return;
        }
        assert.equal(b.visitWith(d), 2 * d + value);
        if (mode === 'free-self') {
          assert.equal(b.freed, true);
          gone(b);
        }
      } finally {
        env.visit = visitMode('plain');
      }
    },
    dropMode() {
      env.dropThrows = R.chance(0.25);
    },
    map() {
      const { v, data } = f64Arg();
      const k = R.int(5) - 2, mode = R.pick(['plain', 'throw', 'reenter', 'reenter', 'hooked']);
      let calls = 0;
      const fn = (x, i) => {
        calls++;
        if (mode === 'throw' && calls === Math.max(1, data.length >> 1)) throw new VisitError('map');
        if (mode === 'reenter') {
          // Nested calls with callbacks of both kinds, inside this one.
          const inner = m.map([x, 1], (y, j) => y + j);
          assert.deepEqual([...inner.view], [x, 2]);
          inner.free();
          assert.equal(m.countIf([x, x + 1, -1e9], (y) => y >= x), 2);
        }
        if (mode === 'hooked') {
          const bs = boxes();
          if (bs.length) { const b = R.pick(bs), e = live.get(b); assert.equal(b.getHooked(), e.hook == null ? e.value : e.value * e.hook + 1); }
        }
        return x * k + i;
      };
      if (mode === 'throw' && data.length) {
        assert.throws(() => m.map(v, fn), VisitError);
        return;
      }
      const r = m.map(v, fn);
      adopt(r, { kind: 'arr', data: data.map((x, i) => x * k + i) });
    },
    countIf() {
      const { v, data } = f64Arg();
      const t = R.int(11) - 5, nested = R.chance(0.3);
      const pred = (x) => {
        if (nested) assert.equal(m.countIf([x], (y) => y === x), 1); // the inner call's own predicate
        return x >= t;
      };
      assert.equal(m.countIf(v, pred), data.filter((x) => x >= t).length);
    },
    boxHook() {
      const bs = boxes();
      if (!bs.length) return;
      const b = R.pick(bs), e = live.get(b);
      if (R.chance(0.25)) {
        b.hook(null);
        e.hook = null;
        return;
      }
      const k = R.int(7) - 3;
      // The hook refers to its box: only the box keeps it, so both may be collected.
      b.hook((x, i) => (b.freed ? NaN : x * k + i));
      e.hook = k;
    },
    scope() {
      return runScope(false);
    },
  };

  const syncNames = Object.keys(sync);
  const weights = {
    make: 8, alloc: 5, from: 4, sum: 8, scale: 6, fill: 5, copyVisit: 5, echo: 3, bytes: 3, free: 10,
    freeAgain: 2, drop: 3, boxNew: 5, boxSet: 4, boxClone: 2, visitWith: 4, dropMode: 1, scope: 3,
    map: 4, countIf: 3, boxHook: 4,
  };
  const table = syncNames.flatMap((n) => Array(weights[n]).fill(n));

  function pickSync() {
    // Keep the live set small: free more when it grows.
    if (live.size > 48 && R.chance(0.5)) return 'free';
    let name = R.pick(table);
    if (name === 'scope' && scopes.length >= 3) name = 'make';
    return name;
  }

  /** What a scope returns: nothing, or some of its handles in one of the forms that must keep them. */
  function scopeResult(made) {
    const hs = made.filter((h) => live.has(h) && !h.freed);
    if (!hs.length || R.chance(0.3)) return { value: R.chance(0.5) ? undefined : 42, escaping: [] };
    const h = R.pick(hs);
    switch (R.int(6)) {
      case 0: return { value: h, escaping: [h] };
      case 1: return { value: [1, h], escaping: [h] };
      case 2: return { value: { deep: { h } }, escaping: [h] };
      case 3: return live.get(h).kind === 'arr' ? { value: h.view, escaping: [h] } : { value: h, escaping: [h] };
      case 4: { class Box2 { constructor(x) { this.x = x; } } return { value: new Box2(h), escaping: [h] }; }
      default: return { value: new Map([['k', h]]), escaping: [h] };
    }
  }

  /** After a scope: what it freed, what escaped to the parent, what stays. */
  function closeScope(s, escaping, bodyThrew) {
    scopes.pop();
    const parent = scopes[scopes.length - 1];
    let freedBoxes = 0;
    for (const h of s.handles) {
      if (!live.has(h)) continue;
      if (kept.has(h)) { owner.delete(h); continue; }
      if (!bodyThrew && escaping.includes(h)) {
        if (parent) { parent.handles.add(h); owner.set(h, parent); } else owner.delete(h);
        continue;
      }
      if (live.get(h).kind === 'box') freedBoxes++;
      gone(h);
    }
    return freedBoxes;
  }

  function runScope(isAsync) {
    const s = { handles: new Set() };
    const inner = 1 + R.int(6);
    const throwsInside = R.chance(0.1);
    let escaping = [];
    const before = new Set(live.keys());
    const body = () => {
      scopes.push(s);
      for (let i = 0; i < inner; i++) {
        const name = pickSync();
        if (process.env.WG_MODEL_TRACE) console.log(ops, '  in scope:', name);
        sync[name]();
        ops++;
        if (R.chance(0.2)) {
          const [h] = [...s.handles].slice(-1);
          if (h && live.has(h)) { assert.equal(h.keep(), h); kept.add(h); }
        }
      }
      if (throwsInside) throw new VisitError('scope body');
      const made = [...live.keys()].filter((h) => !before.has(h));
      const r = scopeResult(made);
      escaping = r.escaping;
      return r.value;
    };
    const expectClose = (threw) => {
      const freedBoxes = closeScope(s, escaping, threw);
      return threw ? 'body' : env.dropThrows && freedBoxes > 0 ? (freedBoxes > 1 ? 'aggregate' : 'drop') : 'ok';
    };
    if (!isAsync) {
      // Scopes nest by the stack: the model pushes s inside body(), the runtime before calling it.
      let error = null, value;
      try { value = m.scope(body); } catch (e) { error = e; }
      const outcome = expectClose(throwsInside);
      checkOutcome(outcome, error, value);
      return;
    }
    return (async () => {
      let error = null, value;
      try {
        value = await m.scope(async () => {
          await null;
          const v = body();
          await new Promise((resolve) => setImmediate(resolve));
          return v;
        });
      } catch (e) { error = e; }
      const outcome = expectClose(throwsInside);
      checkOutcome(outcome, error, value);
    })();
  }

  function checkOutcome(outcome, error, value) {
    if (outcome === 'body') assert.ok(error instanceof VisitError, `scope: expected the body's error, got ${error}`);
    else if (outcome === 'drop') assert.ok(error instanceof DropError, `scope: expected a destructor's error, got ${error}`);
    else if (outcome === 'aggregate')
      assert.ok(error instanceof AggregateError && error.errors.every((e) => e instanceof DropError), `scope: expected an AggregateError, got ${error}`);
    else assert.equal(error, null, `scope: threw ${error}`);
    void value;
  }

  // ---- The run

  let nextSettle = 5000;
  while (ops < OPS) {
    const r = R.next();
    if (r < 0.002) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    } else if (r < 0.02) {
      await runScope(true);
    } else {
      const name = pickSync();
      if (process.env.WG_MODEL_TRACE) console.log(ops, name);
      sync[name]();
    }
    ops++;
    check(`op ${ops}`);
    if (ops >= nextSettle) {
      await settle(`op ${ops}`);
      nextSettle += 5000;
    }
  }

  // ---- The end: free what is left; nothing may remain.
  env.dropThrows = false;
  for (const h of [...live.keys()]) { gone(h); h.free(); }
  await settle('end');
  const end = m.stats();
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.handleBytes, 0);
  assert.equal(m.liveBoxes(), 0);
  assert.equal(end.liveCallbacks, 0);
  assert.equal(m.stackProbe(), sp);
  console.log(`model: ${ops} operations (seed ${SEED}), ${hookErrors.length} finalized destructors reported to onError, ` +
    `wasm memory ${(end.memoryBytes / 1048576).toFixed(1)} MiB`);
});

test('calls nested until the return-area stack is full: a RangeError saying so; the stacks and temporaries given back', async () => {
  let visit = () => 0;
  const { m } = await load('model', { imports: { visit: (d) => visit(d), dropped() {} } });
  const a = new Float64Array(64); // a 512-byte image: on the return-area stack while it has room
  const base = m.stats().liveAllocations, sp = m.stackProbe();
  let depth = 0;
  visit = (d) => { depth = d; m.copyVisit(a, d + 1).free(); return 0; };
  assert.throws(() => m.copyVisit(a, 0),
    { name: 'RangeError', message: 'wasmgen: calls nested too deeply (return-area stack is full)' });
  assert.ok(depth > 30, `nested ${depth} deep`); // 16 KiB: more than 30 images of 512 bytes and their return areas
  visit = () => 0;
  const r = m.copyVisit([1, 2], 0);
  assert.deepEqual([...r.view], [1, 2]);
  r.free();
  assert.equal(m.stackProbe(), sp, 'the C stack pointer is where it was');
  assert.equal(m.stats().liveAllocations, base, 'no temporary is left');
});
