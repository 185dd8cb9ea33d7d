// safety.test.mjs - ordinary JavaScript, used as an adversary would, must not
// corrupt wasm memory or kill the process (tests/e2e/safety.idl; the C is
// correct apart from the results JS must refuse). One test or a few per
// class of finding of the issue "No memory misuse from JavaScript".
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load, collect, E2E_OUT } from './helpers.mjs';

/** A fresh instance whose imports, output and error hook the test controls. */
async function fresh(options = {}) {
  const hooks = { dropping: () => {}, poke: () => {} };
  const errors = [];
  const { m, mod } = await load('safety', {
    imports: { dropping: (id) => hooks.dropping(id), poke: (step) => hooks.poke(step) },
    onError: (e) => errors.push(e),
    ...options,
  });
  return { m, mod, hooks, errors };
}

/** Live allocations and bytes, after freeing what finalizers queued. */
function live(m) {
  m.flush();
  const s = m.stats();
  return { allocations: s.liveAllocations, bytes: s.liveBytes, handles: s.handleBytes };
}

function noLeak(m, fn) {
  const before = live(m);
  fn();
  assert.deepEqual(live(m), before, 'live allocations, bytes and handle bytes are as before');
}

const boom = new Error('boom');

// ---- 1. The C stack on every path into wasm

test('1. free(), scope end, flush(), alloc() and from() give the C stack back when an exception crosses wasm', async () => {
  const { m, hooks, errors } = await fresh();
  const sp = m.stackProbe();
  const guard = m.from(new Float64Array([1, 2, 3, 4]));
  hooks.dropping = () => { throw boom; };
  for (let i = 0; i < 400; i++) {
    const t = new m.Thing(i);
    assert.throws(() => t.free(), (e) => e === boom, 'free() reports the destructor error to its caller');
  }
  assert.equal(m.stackProbe(), sp, 'after free()');
  for (let i = 0; i < 400; i++)
    assert.throws(() => m.scope(() => { new m.Thing(i); }), (e) => e === boom);
  assert.equal(m.stackProbe(), sp, 'after scope ends');
  for (const drain of [() => m.flush(), () => m.alloc.f64(2).free(), () => m.from(new Uint8Array(3)).free()]) {
    (() => { for (let i = 0; i < 50; i++) new m.Thing(i); })();
    const before = errors.length;
    assert.ok(await collect(() => m.stats().pendingFrees >= 50), 'finalized');
    drain();
    assert.equal(errors.length - before, 50, 'each destructor error went to options.onError');
    assert.equal(m.stackProbe(), sp, `after ${drain}`);
  }
  assert.deepEqual(Array.from(guard.view), [1, 2, 3, 4]);
  assert.equal(m.liveThings(), 0);
});

// ---- 2. Options read once

test('2. the options object is read once: a getter cannot make two owners of one buffer', async () => {
  const { m } = await fresh();
  const dest = m.alloc.f64(3);
  let reads = 0;
  const o = { get result() { reads++; return reads === 1 ? dest : undefined; } };
  const r = m.fill(5, 3, o);
  assert.equal(reads, 1);
  assert.equal(r, dest);
  assert.deepEqual(Array.from(dest.view), [5, 5, 5]);
  const x = m.alloc.f64(2), y = m.alloc.f64(2);
  assert.notEqual(x.ptr, y.ptr);
  dest.free();
  assert.equal(m.stats().handleBytes, 32);
});

// ---- 3. Arguments pinned for the call

test('3. a handle freed by a later argument\'s getter stays alive until the call returns', async () => {
  const { m } = await fresh();
  const dst = m.from(new Float64Array([1, 1, 1, 1]));
  let victim;
  const src = { length: 4, 1: 1, 2: 1, 3: 1 };
  Object.defineProperty(src, 0, {
    get() {
      if (victim === undefined) { dst.free(); victim = m.alloc.f64(4); victim.view.fill(700); }
      return 1;
    },
  });
  m.addTo(dst, src);
  assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700], 'C did not write into the victim');
  assert.equal(dst.freed, true);
  victim.free();
  assert.equal(live(m).handles, 0, 'the deferred free happened');
});

test('3. a handle freed by an import that C calls stays alive until the call returns', async () => {
  const { m, hooks } = await fresh();
  const dst = m.from(new Float64Array([1, 2, 3, 4]));
  let victim;
  hooks.poke = () => { dst.free(); victim = m.alloc.f64(4); victim.view.fill(700); };
  m.pokeAdd(dst, 1);
  assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700]);
  const a = m.from(new Float64Array([1, 2, 3, 4]));
  hooks.poke = () => { a.free(); victim = m.alloc.f64(4); victim.view.fill(700); };
  assert.equal(m.pokeSum(a), 10, 'C read the argument, not the victim');
  assert.equal(a.freed, true);
  // A part of a view: its handle is not known, so every free waits for the call.
  const b = m.from(new Float64Array([1, 2, 3, 4]));
  hooks.poke = () => { b.free(); victim = m.alloc.f64(4); victim.view.fill(700); };
  assert.equal(m.pokeSum(b.view.subarray(1)), 9);
  assert.equal(b.freed, true);
  assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700]);
});

test('3. this.free() inside a resource method: the destructor runs after the method returns', async () => {
  const { m, hooks } = await fresh();
  const t = new m.Thing(77);
  const drops = m.drops();
  hooks.poke = () => { t.free(); assert.equal(m.drops(), drops, 'not yet'); };
  assert.equal(t.touch(), 77, 'the method ran on a live object');
  assert.equal(t.freed, true);
  assert.equal(m.drops(), drops + 1);
  for (let i = 0; i < 100; i++) new m.Thing(i).free(); // the free lists are intact
  assert.equal(m.liveThings(), 0);
});

test('3. a struct field\'s getter cannot free an argument already passed', async () => {
  const { m } = await fresh();
  const a = m.from(new Float64Array([1, 2, 3, 4]));
  let victim;
  const h = { k: 'one', label: 'x', get data() { a.free(); victim = m.alloc.f64(4); victim.view.fill(700); return [0]; } };
  assert.equal(m.sumWith(a, h), 10);
  assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700]);
});

// ---- 4. Destructors never run inside a finalizer

test('4. a throwing destructor through a full finalization queue does not kill Node', () => {
  const child = fileURLToPath(new URL('./safety_child.mjs', import.meta.url));
  const r = spawnSync(process.execPath, ['--expose-gc', child, 'full-queue'], { encoding: 'utf8', env: process.env });
  assert.equal(r.status, 0, `the child exited with ${r.status}: ${r.stderr}`);
  assert.deepEqual(JSON.parse(r.stdout), { errors: 3000, live: 0 });
});

test('4. a finalized destructor\'s error goes to options.onError, never to an unrelated call', async () => {
  const { m, hooks, errors } = await fresh();
  let phase = 'finalization';
  const phases = [];
  hooks.dropping = () => { phases.push(phase); throw boom; };
  (() => { for (let i = 0; i < 10; i++) new m.Thing(i); })();
  assert.ok(await collect(() => m.stats().pendingFrees >= 10));
  assert.deepEqual(phases, [], 'no destructor ran inside the finalizer');
  phase = 'the next call';
  assert.equal(m.sumF64([1, 2]), 3);
  assert.deepEqual(phases, Array(10).fill('the next call'));
  assert.equal(errors.length, 10);
  assert.ok(errors.every((e) => e === boom));
  assert.equal(m.liveThings(), 0);
  assert.equal(m.flush(), 0);
});

test('4. the default onError is a console warning', async () => {
  const warned = [];
  const original = console.warn;
  console.warn = (...a) => warned.push(a.join(' '));
  try {
    const { m } = await load('safety', { imports: { dropping: () => { throw boom; }, poke: () => {} } });
    (() => { new m.Thing(1); })();
    assert.ok(await collect(() => m.stats().pendingFrees >= 1));
    m.flush();
  } finally {
    console.warn = original;
  }
  assert.equal(warned.length, 1);
  assert.match(warned[0], /wasmgen \(safety\): the destructor of a Thing .*threw.*boom/s);
});

test('4. a scope whose first destructor throws frees everything else, then throws', async () => {
  const { m, hooks } = await fresh();
  hooks.dropping = (id) => { if (id === 1) throw boom; };
  const made = [];
  const drops = m.drops();
  assert.throws(() => m.scope(() => { made.push(new m.Thing(1), new m.Thing(2), m.ramp(4), new m.Thing(3)); }),
    (e) => e === boom);
  assert.ok(made.every((h) => h.freed));
  assert.equal(m.drops(), drops + 3);
  assert.equal(live(m).handles, 0);
  // Two destructors throw: both reach the caller.
  hooks.dropping = (id) => { throw new Error(`drop ${id}`); };
  assert.throws(() => m.scope(() => { new m.Thing(5); new m.Thing(6); }),
    (e) => e instanceof AggregateError && e.errors.map((x) => x.message).join() === 'drop 5,drop 6');
  assert.equal(m.liveThings(), 0);
});

// ---- 5. throws: failure checked before any result is converted

test('5. throws with an enum, i53, struct or resource result reports the failure, leaking nothing', async () => {
  const { m } = await fresh();
  noLeak(m, () => {
    for (const [f, code, msg] of [['failKind', 21, 'no kind'], ['failI53', 22, 'no i53'],
      ['failHolder', 23, 'no holder'], ['failThing', 24, 'no thing']]) {
      assert.throws(() => m[f](true), (e) => e.name === 'WasmgenError' && e.code === code && e.message === `${f}: ${msg}`);
    }
  });
  assert.equal(m.failKind(false), 'two');
  assert.equal(m.failI53(false), 53);
  const h = m.failHolder(false);
  assert.equal(h.k, 'one');
  h.data.free();
  m.failThing(false).free();
});

// ---- 6. Unmarshalling is exception-safe

test('6. an invalid enum inside a returned struct or list frees the whole result; the error names the function', async () => {
  const { m } = await fresh();
  noLeak(m, () => {
    assert.throws(() => m.badHolder(),
      (e) => e.name === 'WasmgenError' && e.message === "badHolder: the module returned 7, which is not a value of enum kind");
    assert.throws(() => m.holders(16, true), (e) => e.name === 'WasmgenError' && /^holders: the module returned 9/.test(e.message));
  });
  const ok = m.holders(2, false);
  assert.equal(ok.length, 2);
  ok.forEach((h) => h.data.free());
});

test('6. a throwing onWarning hook does not break the call making a handle; its error goes to onError', async () => {
  const warn = new Error('warned');
  const { m, errors } = await fresh({ warnBytes: 0, onWarning: () => { throw warn; } });
  noLeak(m, () => {
    const list = m.holders(16, false);
    assert.equal(list.length, 16);
    list.forEach((h) => h.data.free());
  });
  assert.deepEqual(errors, [warn]);
});

// ---- 7. Each element read once; typed arrays' own length

test('7. an array-like\'s elements and length are read once, and what is checked is what C gets', async () => {
  const { m } = await fresh();
  let reads = 0;
  assert.equal(m.sumI32({ length: 1, get 0() { return ++reads === 1 ? 1 : 2 ** 32 + 7; } }), 1);
  assert.equal(reads, 1);
  reads = 0;
  assert.equal(m.sumF64({ length: 1, get 0() { return ++reads === 1 ? 1 : 'x'; } }), 1);
  assert.equal(reads, 1);
  let lengths = 0;
  assert.equal(m.sumF64({ get length() { return ++lengths === 1 ? 2 : 1e6; }, 0: 1, 1: 2 }), 3);
  assert.equal(lengths, 1);
});

test('7. a typed array\'s own length property is not trusted', async () => {
  const { m } = await fresh();
  const fa = new Float64Array([1, 2]);
  Object.defineProperty(fa, 'length', { value: 64 });
  assert.equal(m.lenF64(fa), 2);
  assert.equal(m.sumF64(fa), 3);
  class Longer extends Float64Array { get length() { return 64; } }
  assert.equal(m.lenF64(new Longer([5, 6])), 2);
});

// ---- 8. Copy-back targets and views over wasm memory

test('8. a copy-back target that cannot be written is refused before C runs, leaking nothing', async () => {
  const { m } = await fresh();
  const bumps = m.bumps();
  noLeak(m, () => {
    assert.throws(() => m.bump(Object.freeze([1, 2])),
      { name: 'TypeError', message: "bump: parameter 'a' is an inout array that cannot be written (frozen, or a read-only element)" });
    const ro = [1, 2, 3];
    Object.defineProperty(ro, 1, { value: 2, writable: false });
    assert.throws(() => m.bump(ro), /^TypeError: bump: parameter 'a' is an inout array that cannot be written/);
  });
  assert.equal(m.bumps(), bumps, 'C never ran');
  const ok = [1, 2];
  m.bump(ok);
  assert.deepEqual(ok, [2, 3]);
});

test('8. a view over the module\'s memory is passed by pointer, even when marshalling grows memory', async () => {
  const { m } = await fresh();
  const h = m.from(new Float64Array([1, 2, 3]));
  assert.equal(m.sumAfter('x'.repeat(m.memory.buffer.byteLength), h.view), 6);
  m.bumpAfter('x'.repeat(m.memory.buffer.byteLength), h.view);
  assert.deepEqual(Array.from(h.view), [2, 3, 4]);
  m.bump(h.view.subarray(1));
  assert.deepEqual(Array.from(h.view), [2, 4, 5]);
  const dead = m.from(new Float64Array([1]));
  const v = dead.view;
  dead.free();
  assert.throws(() => m.sumF64(v), { name: 'TypeError', message: "sumF64: parameter 'a' is a view of a WasmArray that was freed" });
});

// ---- 9. What a scope returns stays alive

test('9. a view returned from a scope keeps its handle; so does every handle the result reaches', async () => {
  const { m } = await fresh();
  const v = m.scope(() => m.ramp(4).view);
  const other = m.alloc.f64(4);
  other.view.fill(9);
  assert.deepEqual(Array.from(v), [0, 1, 2, 3]);
  class Box { constructor(h) { this.h = h; } }
  const box = m.scope(() => new Box(m.ramp(2)));
  assert.equal(box.h.freed, false);
  const chain = m.scope(() => {
    let list = null;
    for (let i = 0; i < 100; i++) list = { next: list, h: m.ramp(1) };
    return list;
  });
  for (let l = chain; l; l = l.next) assert.equal(l.h.freed, false);
  const map = m.scope(() => new Map([[m.ramp(1), 'key']]));
  assert.equal([...map.keys()][0].freed, false);
});

// ---- 11. C results are validated at the call

test('11. a returned array outside memory, misaligned, too long or not from malloc is an error naming the function', async () => {
  const { m } = await fresh();
  const before = m.stats();
  for (const how of [0, 1, 2, 3])
    assert.throws(() => m.badArray(how), (e) => e.name === 'WasmgenError' && e.message.startsWith('badArray: '), `case ${how}`);
  const after = m.stats();
  assert.equal(after.handleBytes, before.handleBytes);
  assert.ok(after.liveBytes < before.liveBytes + 1024, 'the allocator counts stay sane');
});

test('11. the same pointer returned twice is refused while the first handle lives', async () => {
  const { m } = await fresh();
  const a = m.sameArray();
  assert.throws(() => m.sameArray(), (e) => e.name === 'WasmgenError' && /^sameArray: .*already owned/.test(e.message));
  assert.deepEqual(Array.from(a.view), [10, 11, 12, 13]);
  assert.equal(m.stats().handleBytes, 32);
});

test('11. a string C returns from memory malloc never handed out is refused, and never freed', async () => {
  const { m } = await fresh();
  const before = m.stats();
  assert.throws(() => m.staticString(), (e) => e.name === 'WasmgenError' && e.message.startsWith('staticString: '));
  const after = m.stats();
  assert.equal(after.liveBytes, before.liveBytes);
  assert.equal(after.liveAllocations, before.liveAllocations);
  assert.equal(after.invalidFrees, before.invalidFrees, 'checked before any free (wg_adopt)');
  for (let i = 0; i < 100; i++) m.ramp(8).free(); // the heap is intact
});

// ---- 12. Output hooks

test('12. a throwing stdout hook does not corrupt later output', async () => {
  const lines = [];
  const { m, errors } = await fresh({ stdout: (l) => { if (l === 'boom') throw boom; lines.push(l); } });
  m.say('boom');
  m.say('next line');
  assert.deepEqual(lines, ['next line']);
  assert.deepEqual(errors, [boom], 'the hook\'s error went to options.onError');
});

// ---- 13. Typed arrays of the right layout

test('13. Buffer, Uint8ClampedArray and subclasses pass as u8 arrays; m.from takes them', async () => {
  const { m } = await fresh();
  assert.equal(m.sumU8(Buffer.from([1, 2, 3])), 6);
  assert.equal(m.sumU8(new Uint8ClampedArray([1, 2, 255])), 258);
  class Pixels extends Uint8Array {}
  assert.equal(m.sumU8(new Pixels([1, 2])), 3);
  const h = m.from(new Uint8ClampedArray([1, 2, 300]));
  assert.equal(h.type, 'u8');
  assert.deepEqual(Array.from(h.view), [1, 2, 255]);
  const b = m.from(Buffer.from('hi'));
  assert.equal(b.type, 'u8');
  assert.deepEqual(Array.from(b.view), [104, 105]);
});

// ---- 14. The runtime's checks read only a handle's private state

test('14. a `length` or `freed` property JS defines on a handle, or on a prototype, changes nothing C gets', async () => {
  const { m, mod } = await fresh();
  const calls = (await load('calls', { imports: {
    read: () => 0, scale: () => {}, norm: () => 0, make: () => ({ x: 0, y: 0 }), series: () => [],
    lookup: () => null, describe: () => '' } })).m;
  noLeak(m, () => {
    // A longer length: C would write past the block, into the next one.
    const a = m.from(new Float64Array([1, 2]));
    const next = m.from(new Float64Array(8).fill(700));
    Object.defineProperty(a, 'length', { value: 10 });
    m.bump(a);
    assert.deepEqual(Array.from(a.view), [2, 3]);
    assert.deepEqual(Array.from(next.view), Array(8).fill(700), 'C wrote only the array\'s own 2 elements');
    assert.equal(m.lenF64(a), 2);
    // ... as a destination: refused, not written past.
    const d = m.alloc.f64(2);
    Object.defineProperty(d, 'length', { get: () => 8 });
    assert.throws(() => m.fill(5, 8, { result: d }), { name: 'RangeError', message: "fill: destination 'result' has 2 elements; 8 are needed" });
    assert.deepEqual(Array.from(next.view), Array(8).fill(700));
    // ... or through the prototype, for every handle.
    const length = Object.getOwnPropertyDescriptor(mod.WasmArray.prototype, 'length');
    Object.defineProperty(mod.WasmArray.prototype, 'length', { get: () => 10, configurable: true });
    try {
      const b = m.from(new Float64Array([1, 2]));
      assert.equal(m.lenF64(b), 2);
      b.free();
    } finally {
      Object.defineProperty(mod.WasmArray.prototype, 'length', length);
    }
    // A freed array that says it is not: refused (C would write into the block's next owner).
    const gone = m.from(new Float64Array([1, 2]));
    gone.free();
    Object.defineProperty(gone, 'freed', { value: false });
    const reuse = m.from(new Float64Array([700, 700]));
    assert.throws(() => m.bump(gone), { name: 'TypeError', message: "bump: parameter 'a' is a WasmArray that was freed" });
    assert.throws(() => m.sumF64(gone.view), /freed|used after free/);
    assert.deepEqual(Array.from(reuse.view), [700, 700]);
    // ... through the prototype of every handle.
    const base = Object.getPrototypeOf(mod.WasmArray.prototype);
    const freed = Object.getOwnPropertyDescriptor(base, 'freed');
    Object.defineProperty(base, 'freed', { get: () => false, configurable: true });
    try {
      assert.throws(() => m.bump(gone), /was freed/);
      const t = new m.Thing(5);
      t.free();
      assert.throws(() => t.id(), { name: 'TypeError', message: 'Thing.id: this is a Thing that was freed' });
    } finally {
      Object.defineProperty(base, 'freed', freed);
    }
    // A freed resource that says it is not: its object is gone.
    const t = new m.Thing(6);
    t.free();
    Object.defineProperty(t, 'freed', { value: false });
    assert.throws(() => t.touch(), { name: 'TypeError', message: 'Thing.touch: this is a Thing that was freed' });
    // A handle that says it is freed still is not: a scope frees it.
    const kept = m.scope(() => {
      const h = m.from(new Float64Array([1]));
      Object.defineProperty(h, 'freed', { value: true });
      return [h.view.length];
    });
    assert.deepEqual(kept, [1]);
    a.free(); next.free(); d.free(); reuse.free();
  });
  assert.equal(m.liveThings(), 0);
  // A freed callback handle that says it is not: refused, not registered again.
  const cb = calls.callback((acc, x) => acc + x);
  cb.free();
  Object.defineProperty(cb, 'freed', { value: false });
  assert.throws(() => calls.remember(cb), { name: 'TypeError', message: "remember: parameter 'fn' is a callback that was freed" });
  assert.equal(calls.stats().liveCallbacks, 0);
});

test('14. a Symbol.hasInstance JS defines on WasmArray changes nothing: handles are known by their private state', async () => {
  const { m, mod } = await fresh();
  for (const answer of [true, false]) {
    Object.defineProperty(mod.WasmArray, Symbol.hasInstance, { value: () => answer, configurable: true });
    try {
      noLeak(m, () => {
        const h = m.from(new Float64Array([1, 2]));
        m.bump(h);
        assert.deepEqual(Array.from(h.view), [2, 3], 'a handle passes by pointer');
        const js = [1, 2];
        m.bump(js);
        assert.deepEqual(js, [2, 3], 'an array is copied in and back');
        const d = m.alloc.f64(3);
        assert.equal(m.fill(4, 3, { result: d }), d);
        assert.deepEqual(Array.from(d.view), [4, 4, 4]);
        const kept = m.scope(() => m.ramp(2));
        assert.equal(kept.freed, false, 'a scope knows the handle it returns');
        h.free(); d.free(); kept.free();
      });
    } finally {
      delete mod.WasmArray[Symbol.hasInstance];
    }
  }
});

// ---- 15. Destinations over wasm memory

test('15. a destination over wasm memory is written in place and pinned: freeing its handle during the call redirects nothing', async () => {
  const { m } = await load('model', { imports: { visit: (d) => d, dropped() {} } });
  noLeak(m, () => {
    const d = m.alloc.f64(4);
    let victim;
    const r = m.map([1, 2, 3, 4], (x, i) => {
      if (i === 0) { d.free(); victim = m.alloc.f64(4); victim.view.fill(700); }
      return x * 10;
    }, { r: d.view });
    assert.equal(d.freed, true);
    assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700], 'nothing was written into the freed block\'s next owner');
    assert.ok(ArrayBuffer.isView(r));
    victim.free();
    // A part of a view: C writes into it, in place; every free waits for the call.
    const e = m.alloc.f64(6);
    let other;
    m.map([1, 2], (x, i) => { if (i === 0) { e.free(); other = m.alloc.f64(6); other.view.fill(700); } return x; },
      { r: e.view.subarray(2, 4) });
    assert.deepEqual(Array.from(other.view), Array(6).fill(700));
    other.free();
    // Written in place, not copied: what C wrote is in the handle.
    const f = m.alloc.f64(3);
    m.fill(2, 3, { r: f.view });
    assert.deepEqual(Array.from(f.view), [2, 2, 2]);
    const part = m.alloc.f64(4);
    m.fill(3, 2, { r: part.view.subarray(1, 3) });
    assert.deepEqual(Array.from(part.view), [0, 3, 3, 0]);
    f.free(); part.free();
    // A view of a freed handle, or a stale one: refused before C runs.
    const dead = m.alloc.f64(2), v = dead.view;
    dead.free();
    assert.throws(() => m.fill(1, 2, { r: v }), { name: 'TypeError', message: "fill: parameter 'r' is a view of a WasmArray that was freed" });
  });
});

test('15. an inout array written back through setters that grow memory gets what C wrote', async () => {
  const { m } = await fresh();
  const target = [1, 2, 3];
  let sets = 0; // (the first write of each element checks that it can be written, before C runs)
  const proxy = new Proxy(target, {
    set(t, k, v) {
      if (k === '0' && ++sets === 2) m.ramp(m.memory.buffer.byteLength / 8).free();
      t[k] = v;
      return true;
    },
  });
  const bytes = m.memory.buffer.byteLength;
  m.bump(proxy);
  assert.ok(m.memory.buffer.byteLength > bytes, 'memory grew during the write-back');
  assert.deepEqual(target, [2, 3, 4]);
});

// ---- 16. Handles cannot be forged

test('16. JS cannot make a handle over memory of its choosing, nor reach what would', async () => {
  const { m, mod } = await fresh();
  const runtime = await import(pathToFileURL(path.join(E2E_OUT, 'wasmgen-runtime.mjs')).href);
  const victim = m.from(new Float64Array(4).fill(700));
  noLeak(m, () => {
    // Its free() would give back the victim's block, which the next allocation would get.
    assert.throws(() => new mod.WasmArray(m.runtime, runtime.types.f64, victim.ptr, 4),
      { name: 'TypeError', message: 'WasmArray: handles are made by wasmgen modules' });
    class Mine extends mod.WasmArray {}
    assert.throws(() => new Mine(m.runtime, runtime.types.f64, victim.ptr, 4), /handles are made by wasmgen modules/);
    // A resource's type (whose handles wrap any pointer, and whose destructor runs on one), marking a
    // resource taken, pinning a handle: the runtime's alone.
    assert.equal(mod.Resource.parts, undefined);
    assert.equal(mod.Resource.take, undefined);
    assert.equal(mod.Resource.follows, undefined);
    assert.equal(mod.WasmArray.pass, undefined);
  });
  assert.deepEqual(Array.from(victim.view), [700, 700, 700, 700]);
  const calls = (await load('calls', { imports: {
    read: () => 0, scale: () => {}, norm: () => 0, make: () => ({ x: 0, y: 0 }), series: () => [],
    lookup: () => null, describe: () => '' } })).m;
  const cb = calls.callback(() => 0);
  assert.equal(cb.constructor.id, undefined);
  assert.equal(cb.constructor.fn, undefined);
  cb.free();
});

// ---- 17. Memory JS owns is never C's to give back or free

test('17. C returning an argument (a call\'s copy, a handle\'s block) or freeing one: refused, nothing freed twice', async () => {
  const { m } = await fresh();
  const owned = (f) => (e) => e.name === 'WasmgenError' && e.message.startsWith(`${f}: the module returned `) &&
    /already owned by JS/.test(e.message);
  noLeak(m, () => {
    // The call's copy of a JS array (a temporary, freed when the call returns): a handle over it would
    // share its block with the next allocation.
    assert.throws(() => m.echoArray(new Float64Array(100).fill(1)), owned('echoArray'));
    assert.throws(() => m.echoArray(Array(100).fill(1)), owned('echoArray'));
    const h = m.from(new Float64Array(100).fill(1));
    assert.throws(() => m.echoArray(h), owned('echoArray'));
    assert.throws(() => m.echoArray(h.view.subarray(0, 50)), /echoArray: the module returned/);
    // Small arguments are on the return-area stack: not malloc's.
    assert.throws(() => m.echoArray([1, 2]), /echoArray: the module returned .*not a block from malloc/);
    // The call's copy of a string; a handle's block as a string: JS would free memory it does not own.
    assert.throws(() => m.echoString('x'.repeat(600)), owned('echoString'));
    const bytes = m.from(new Uint8Array([104, 105, 0, 0, 0, 0, 0, 0]));
    assert.throws(() => m.asString(bytes), owned('asString'));
    const next = m.alloc.u8(8);
    assert.notEqual(next.ptr, bytes.ptr, 'the handle\'s block was not freed');
    assert.deepEqual(Array.from(bytes.view), [104, 105, 0, 0, 0, 0, 0, 0]);
    h.free(); bytes.free(); next.free();
  });
  // C freeing its argument (the call's copy) is refused, as freeing a handle's block is: the block it
  // allocates next is not the argument's, which the call frees once.
  const before = m.stats().invalidFrees;
  m.freeArg(new Float64Array(100).fill(1));
  assert.equal(m.stats().invalidFrees, before + 1);
  const victim = m.from(new Float64Array(100).fill(700));
  m.dropKept();
  assert.deepEqual(new Set(victim.view), new Set([700]), 'C wrote only its own block');
  victim.free();
  m.flush();
  assert.equal(m.stats().liveAllocations, 0);
});

// ---- 18. No JS runs while the runtime writes a string into wasm memory

test('18. a typed array species hook never runs inside a call: C gets every string NUL-terminated', async () => {
  const lines = [];
  const { m } = await fresh({ stdout: (l) => lines.push(l) });
  m.say('A'.repeat(150)); // (leaves A's on the return-area stack, where the next short string goes)
  let ran = 0;
  const Real = Uint8Array;
  // Made for a subarray() of the runtime's view: grows memory, which detaches that view, so that the
  // terminating NUL written through it would be lost and C would read on, past the string.
  function Species(buffer, offset, length) {
    ran++;
    m.ramp(m.memory.buffer.byteLength / 8).free();
    return new Real(m.memory.buffer, offset, length);
  }
  const constructor = Object.getOwnPropertyDescriptor(Real.prototype, 'constructor');
  Object.defineProperty(Real.prototype, 'constructor', { value: { [Symbol.species]: Species }, configurable: true, writable: true });
  try {
    m.say('é');
    m.say('ü'.repeat(70));
  } finally {
    Object.defineProperty(Real.prototype, 'constructor', constructor);
  }
  assert.equal(ran, 0, 'no species hook ran');
  assert.deepEqual(lines.slice(1), ['é', 'ü'.repeat(70)]);
});

test('18. a view of wasm memory copied while the copy\'s allocation grows memory: copied right, leaking nothing', async () => {
  const { m } = await fresh();
  noLeak(m, () => {
    const n = m.memory.buffer.byteLength / 16;
    const h = m.alloc.f64(n);
    h.view.fill(3);
    const bytes = m.memory.buffer.byteLength;
    const c = m.from(h.view); // (its block does not fit: memory grows, detaching the view being copied)
    assert.ok(m.memory.buffer.byteLength > bytes);
    assert.equal(c.length, n);
    assert.deepEqual(new Set(c.view), new Set([3]));
    c.free();
    // Of another layout: converted, into a call's copy that does not fit either.
    const ints = m.alloc.i32(m.memory.buffer.byteLength / 8);
    ints.view.fill(2);
    const grown = m.memory.buffer.byteLength;
    assert.equal(m.sumF64(ints.view), 2 * ints.length);
    assert.ok(m.memory.buffer.byteLength > grown);
    h.free(); ints.free();
  });
});

// ---- 19. The C stack cannot overflow into the module's data

test('19. JS nesting calls until the C stack runs out traps, and leaves the module\'s memory as it was', async () => {
  const { m, hooks } = await fresh();
  const canary = m.from(new Float64Array(64).fill(7));
  const before = m.stats();
  let deepest = 0;
  // Each level keeps 1 KiB of C stack: far fewer levels than JS's own stack allows exhaust the C stack.
  hooks.poke = (depth) => { deepest = depth; if (depth < 1000) m.nest(depth + 1); };
  assert.throws(() => m.nest(0), (e) => e instanceof WebAssembly.RuntimeError, 'the overflow traps');
  assert.ok(deepest > 10 && deepest < 1000, `the C stack ran out at depth ${deepest}`);
  hooks.poke = () => {};
  // The allocator's state, the queue, the return-area stack: all in the module's data, all intact.
  const after = m.stats();
  for (const k of ['liveAllocations', 'liveBytes', 'totalAllocations', 'totalFrees', 'invalidFrees', 'heapBytes'])
    assert.equal(after[k], before[k], k);
  assert.deepEqual(new Set(canary.view), new Set([7]));
  for (let i = 0; i < 100; i++) {
    const r = m.ramp(50);
    assert.equal(r.view[49], 49);
    r.free();
  }
  assert.equal(m.nest(5), 5, 'the module works');
  assert.equal(m.stats().invalidFrees, 0);
  canary.free();
});
