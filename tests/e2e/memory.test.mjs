// memory.test.mjs - deterministic release (free, dispose, scopes), zero-copy
// inputs and destinations, diagnostics, and the bounds the README promises.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, noLeak, collect } from './helpers.mjs';

const { m, mod } = await load('alltypes');
const { WasmArray } = mod;
const MiB = 1024 * 1024;

function settle() {
  m.flush();
  return m.stats();
}

test('proof 1: 100,000 calls returning 64 KiB inside scopes stay within 2 MiB', () => {
  const base = settle();
  for (let i = 0; i < 10000; i++) {
    m.scope(() => {
      for (let k = 0; k < 10; k++) m.blank(64 * 1024);
    });
  }
  const end = m.stats();
  console.log(`scopes: wasm memory ${(base.memoryBytes / MiB).toFixed(1)} -> ${(end.memoryBytes / MiB).toFixed(1)} MiB, ` +
              `peak live ${(end.peakBytes / MiB).toFixed(2)} MiB`);
  assert.ok(end.memoryBytes - base.memoryBytes <= 2 * MiB, 'memory grew by at most 2 MiB');
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.liveBytes, base.liveBytes);
  assert.equal(end.explicitFrees - base.explicitFrees, 100000);
});

test('memory grows by a fifth of itself, not by each block: few memory.grows, no great excess', () => {
  // A fresh instance: memory as small as it starts.
  return load('alltypes').then(({ m: fresh }) => {
    const base = fresh.stats();
    const sizes = new Set([base.memoryBytes]), kept = [];
    for (let i = 0; i < 400; i++) {
      kept.push(fresh.blank(64 * 1024));
      sizes.add(fresh.stats().memoryBytes);
    }
    const end = fresh.stats(), need = end.liveBytes;
    console.log(`400 blocks of 64 KiB kept: ${sizes.size - 1} memory.grows, wasm memory ` +
                `${(base.memoryBytes / MiB).toFixed(1)} -> ${(end.memoryBytes / MiB).toFixed(1)} MiB for ${(need / MiB).toFixed(1)} MiB live`);
    assert.ok(sizes.size - 1 <= 40, `${sizes.size - 1} memory.grows for 400 blocks`); // one per block before
    assert.ok(end.memoryBytes <= 1.25 * need + 2 * MiB, `${end.memoryBytes / MiB} MiB of memory for ${need / MiB} MiB live`);
    for (const h of kept) h.free();
    assert.equal(fresh.stats().liveAllocations, base.liveAllocations);
  });
});

test('proof 2: the same with free() and [Symbol.dispose]()', () => {
  const base = settle();
  for (let i = 0; i < 50000; i++) m.blank(64 * 1024).free();
  for (let i = 0; i < 50000; i++) m.blank(64 * 1024)[Symbol.dispose]();
  const end = m.stats();
  assert.ok(end.memoryBytes - base.memoryBytes <= 2 * MiB);
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.liveBytes, base.liveBytes);
});

test('scopes: results escape, nested scopes, keep(), throws still free', async () => {
  const base = settle();
  let inner, kept, dropped;
  const outer = m.scope(() => {
    const mid = m.scope(() => {
      dropped = m.ramp(10);
      kept = m.ramp(10).keep();
      inner = m.ramp(10);
      return { list: [inner], n: 1 };
    });
    assert.equal(dropped.freed, true, 'not returned: freed at the end of its scope');
    assert.equal(mid.list[0].freed, false, 'returned: alive');
    return 'done';
  });
  assert.equal(outer, 'done');
  assert.equal(inner.freed, true, 'a returned handle moves to the enclosing scope and ends with it');
  assert.equal(kept.freed, false, 'kept handles outlive every scope');
  kept.free();
  assert.throws(() => m.scope(() => { dropped = m.ramp(5); throw new Error('boom'); }), /boom/);
  assert.equal(dropped.freed, true);
  const r = await m.scope(async () => {
    const a = m.ramp(3);
    await new Promise((resolve) => setTimeout(resolve, 1));
    dropped = m.ramp(4); // made after an await: still this scope's
    return a;
  });
  assert.equal(dropped.freed, true);
  assert.deepEqual(Array.from(r.view), [0, 1, 2]);
  r.free();
  await assert.rejects(m.scope(async () => { dropped = m.ramp(2); throw new RangeError('late'); }), RangeError);
  assert.equal(dropped.freed, true);
  assert.throws(() => m.scope(42), TypeError);
  assert.equal(settle().liveAllocations, base.liveAllocations);
});

test('scopes: handles in a returned Map (its keys and values) or Set escape it', () => {
  const base = settle();
  const [map, set] = m.scope(() => [new Map([[m.ramp(1), m.ramp(2)]]), new Set([m.ramp(3)])]);
  const [[key, value]] = map, [member] = set;
  assert.deepEqual([key, value, member].map((h) => h.freed), [false, false, false]);
  assert.deepEqual([key, value, member].map((h) => h.length), [1, 2, 3]);
  for (const h of [key, value, member]) h.free();
  assert.equal(settle().liveAllocations, base.liveAllocations);
});

test('m.alloc and WasmArray.from: filled in place, passed without a copy, chained', () => {
  noLeak(m, assert, () => {
    const a = m.alloc.f64(4);
    assert.deepEqual(Array.from(a.view), [0, 0, 0, 0]);
    a.view.set([1, 2, 3, 4]);
    const b = WasmArray.from(new Float64Array([10, 20, 30, 40]), m);
    const c = m.from(new Float32Array([1, 2]));
    assert.equal(c.type, 'f32');
    const before = m.stats().totalAllocations;
    const twice = m.twiceF64(a); // only the out array is allocated
    assert.equal(m.stats().totalAllocations - before, 1);
    assert.deepEqual(Array.from(twice.view), [2, 4, 6, 8]);
    const chained = m.scope(() => m.copyF64(m.twiceF64(m.copyF64(b)))); // handles in and out
    assert.deepEqual(Array.from(chained.view), [20, 40, 60, 80]);
    assert.equal(m.scope(() => m.alloc('u8', 3).view.length), 3);
    assert.throws(() => m.alloc('f16', 3), { name: 'TypeError',
      message: 'alloc: unknown element type a string; one of i8, u8, i16, u16, i32, u32, i64, u64, f32, f64' });
    assert.throws(() => m.alloc('constructor', 3), TypeError, 'not a type, though every object has it');
    assert.throws(() => m.alloc.u8(-1), RangeError);
    assert.throws(() => m.from([1, 2]), TypeError);
    for (const h of [a, b, c, twice, chained]) h.free();
  });
});

test('destinations: out arrays written into a WasmArray or a typed array', () => {
  noLeak(m, assert, () => {
    const dest = m.alloc.f64(3);
    const before = m.stats().totalAllocations;
    const r = m.twiceF64([1, 2, 3], { r: dest });
    assert.equal(r, dest);
    assert.equal(m.stats().totalAllocations - before, 0, 'none: a small input goes on the stack, the output into dest');
    assert.deepEqual(Array.from(dest.view), [2, 4, 6]);
    const js = new Float64Array(3);
    assert.equal(m.twiceF64([1, 2, 3], { r: js }), js);
    assert.deepEqual(Array.from(js), [2, 4, 6]);
    const multi = m.split(8n, { halves: new Float64Array(2) });
    assert.deepEqual(Array.from(multi.halves), [4, 2]);
    assert.throws(() => m.twiceF64([1, 2, 3], { r: new Float64Array(2) }), /has 2 elements; 3 are needed/);
    assert.throws(() => m.twiceF64([1, 2, 3], { r: new Float32Array(3) }), TypeError);
    assert.throws(() => m.twiceF64([1], { nope: js }), /unknown destination 'nope'/);
    assert.throws(() => m.twiceF64([1], 5), TypeError);
    assert.throws(() => m.twiceF64([1], {}, 1),
      { name: 'TypeError', message: 'twiceF64: expected 1 argument and an optional object of destinations, got 3' });
    assert.throws(() => m.twiceF64(),
      { name: 'TypeError', message: 'twiceF64: expected 1 argument and an optional object of destinations, got 0' });
    dest.free();
  });
});

test('stats: explicit and finalizer frees are told apart; bytes pending are counted', async () => {
  await collect(() => false, 3);
  const base = settle();
  m.ramp(1000).free();
  (() => { for (let i = 0; i < 10; i++) m.blank(1000); })();
  assert.equal(m.stats().handleBytes - base.handleBytes, 10000);
  assert.ok(await collect(() => m.stats().pendingFrees >= 10));
  const mid = m.stats();
  assert.ok(mid.pendingBytes >= 10000);
  assert.equal(mid.explicitFrees - base.explicitFrees, 1);
  m.flush();
  const end = m.stats();
  assert.equal(end.queueFrees - base.queueFrees, mid.pendingFrees + mid.queueFrees - base.queueFrees);
  assert.equal(end.pendingBytes, 0);
  assert.equal(end.liveAllocations, base.liveAllocations);
});

test('debug: m.leaks() lists live handles with where they were made', async () => {
  const d = (await load('alltypes', { debug: true })).m;
  const h = d.ramp(7);
  const leaks = d.leaks();
  assert.equal(leaks.length, 1);
  assert.equal(leaks[0].length, 7);
  assert.equal(leaks[0].bytes, 56);
  assert.match(leaks[0].stack, /memory\.test\.mjs/);
  // where the handle was made, line by line, without the bookkeeping's own frames
  assert.ok(leaks[0].stack.split('\n').length >= 2, leaks[0].stack);
  assert.doesNotMatch(leaks[0].stack, /\badopt\b/);
  h.free();
  assert.equal(d.leaks().length, 0);
  assert.throws(() => m.leaks(), /debug: true/);
});

test('one warning when handles hold more than warnBytes', async () => {
  const warnings = [];
  const w = (await load('alltypes', { warnBytes: 1000, onWarning: (s) => warnings.push(s) })).m;
  const hs = [w.blank(600), w.blank(600), w.blank(600)];
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /scope/);
  hs.forEach((h) => h.free());
  await assert.rejects(load('alltypes', { warnBytes: 'lots' }), TypeError);
});

test('proof 4: handles made before a 256 MiB growth still read right', () => {
  const hs = Array.from({ length: 8 }, (_, i) => m.ramp(100 + i));
  const stale = hs[0].view;
  const before = m.memory.buffer.byteLength;
  assert.equal(m.growHeap(256), 256);
  assert.ok(m.memory.buffer.byteLength >= before + 200 * MiB, 'memory grew');
  assert.equal(stale.length, 0, 'documented: a view taken before growth is stale');
  hs.forEach((h, i) => {
    assert.equal(h.view.length, 100 + i);
    assert.equal(h.view[99], 99);
    h.free();
  });
});

test('proof 5: use after free, double free, foreign and freed handles as arguments', async () => {
  const base = settle();
  const h = m.ramp(3);
  h.free();
  h.free();
  assert.throws(() => h.view, { name: 'Error', message: 'WasmArray: .view used after free()' });
  assert.throws(() => h.ptr, /used after free/);
  assert.throws(() => h.toArray(), /used after free/);
  assert.throws(() => [...h], /used after free/);
  assert.throws(() => m.copyF64(h), { name: 'TypeError', message: "copyF64: parameter 'a' is a WasmArray that was freed" });
  const other = (await load('alltypes')).m;
  const foreign = other.ramp(2);
  assert.throws(() => m.incF64(foreign), { name: 'TypeError', message: "incF64: parameter 'a' is a WasmArray of another module instance" });
  assert.throws(() => m.twiceF64([1, 2], { r: foreign }), /another module instance/);
  foreign.free();
  assert.equal(h.freed, true);
  const end = settle();
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.explicitFrees - base.explicitFrees, 1, 'the double free counted once');
});
