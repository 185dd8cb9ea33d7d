// calls.test.mjs - callbacks and imports in wasmgen's own convention
// (tests/e2e/calls.idl): functions taking JS functions (with and without
// user data, for the call or kept), and imports with buffers both ways,
// structs and arrays.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, noLeak } from './helpers.mjs';

const src = new TextEncoder().encode('the quick brown fox');
let at = 0;
const seen = {};
const imports = {
  read(buf) {
    seen.read = buf;
    const part = src.subarray(at, at + buf.length);
    buf.set(part);
    at += part.length;
    return part.length;
  },
  scale(v, k) { for (let i = 0; i < v.length; i++) v[i] *= k; },
  norm(v) { seen.norm = v; return Math.hypot(v.x, v.y); },
  make(x, y) { return { x, y }; },
  series(n) { return Array.from({ length: n }, (_, i) => i + 0.5); },
  lookup(key) { return key === 'a' ? 'alpha' : null; },
  describe(t) { return `${t.name}@${t.at.x},${t.at.y}`; },
};
const { m } = await load('calls', { imports });

test('a callback with user data, called during the call, with enums; its result', () => noLeak(m, assert, () => {
  assert.equal(m.fold([1, 2, 3, 4], 0, 'add', (acc, x, how) => (how === 'add' ? acc + x : acc * x)), 10);
  assert.equal(m.fold([1, 2, 3, 4], 1, 'mul', (acc, x, how) => (how === 'add' ? acc + x : acc * x)), 24);
  assert.equal(m.stats().liveCallbacks, 0);
}));

test('a call whose release throws (a callback\'s release): the calls after it are intact', () => {
  const cb = m.runtime.cb, release = cb.release;
  cb.release = function (id) {
    cb.release = release; // once
    release.call(this, id);
    throw new Error('release failed');
  };
  const h = m.alloc.f64(2); // pinned by the call: let go when it ends, however it ends
  try {
    assert.throws(() => m.fold(h, 0, 'add', (acc, x) => acc + x), /release failed/);
  } finally {
    cb.release = release;
  }
  const live = m.stats().liveAllocations;
  h.free();
  assert.equal(m.stats().liveAllocations, live - 1, 'the handle was still pinned');
  // the return-area stack and the marks are where they were: calls nest and return right
  noLeak(m, assert, () => {
    for (let i = 0; i < 50; i++)
      assert.equal(m.fold([1, 2, i], 0, 'add', (acc, x) => acc + m.fold([x], 0, 'mul', (a, y) => a * y + y)), 3 + i);
  });
});

test('a callback without user data; nested calls use their own', () => noLeak(m, assert, () => {
  const kept = m.filter([1, 2, 3, 4, 5, 6], (x) => {
    const inner = m.filter([x, x + 1], (y) => y % 2 === 0);
    assert.equal(inner.length, 1);
    inner.free();
    return x % 3 === 0;
  });
  assert.deepEqual([...kept.view], [3, 6]);
  kept.free();
}));

test('strings and arrays to a callback, a string back', () => {
  noLeak(m, assert, () => assert.equal(m.labels(['ab', 'cde'], (name, parts) => `${name}:${[...parts].join('/')}`),
    'ab:0/2 cde:1/3'));
  // (what calls_labels allocated before the callback threw is C's to lose)
  assert.throws(() => m.labels(['x'], () => 1), { name: 'TypeError', message: 'callback label must return a string; got the number 1' });
});

test('a stored callback: C calls it after the call; freed, C calling it throws', () => noLeak(m, assert, () => {
  const h = m.callback((acc, x) => acc * 10 + x);
  m.remember(h);
  assert.equal(m.recall(4, 2), 42);
  assert.equal(m.stats().liveCallbacks, 1);
  h.free();
  assert.throws(() => m.recall(1, 1), /callback reducer: C called it with user data \d+, which is no live callback's/);
  m.forget();
  assert.ok(Number.isNaN(m.recall(1, 1)));
  assert.equal(m.stats().liveCallbacks, 0);
}));

test('imports: an out buffer JS fills (a view of C\'s memory, valid for the call)', () => noLeak(m, assert, () => {
  at = 0;
  assert.equal(m.readAll(4), 'the quick brown fox');
  assert.ok(seen.read instanceof Uint8Array);
}));

test('imports: an inout array scaled in place', () => noLeak(m, assert, () => {
  const r = m.scaled([1, 2, 3], 2.5);
  assert.deepEqual([...r.view], [2.5, 5, 7.5]);
  r.free();
}));

test('imports: a struct in, a struct out', () => noLeak(m, assert, () => {
  assert.equal(m.normOf(3, 4), 5);
  assert.deepEqual(seen.norm, { x: 3, y: 4 });
  imports.make = () => ({ x: 1 });
  assert.throws(() => m.normOf(3, 4), /options\.imports\.make: parameter 'result\.y' must be a number/);
  imports.make = (x, y) => ({ x, y });
}));

test('imports: an array returned, copied into memory C owns (and frees)', () => noLeak(m, assert, () => {
  assert.deepEqual(m.seriesSum(4), { return: 0.5 + 1.5 + 2.5 + 3.5, count: 4 });
  assert.deepEqual(m.seriesSum(0), { return: 0, count: 0 });
  imports.series = () => new Float64Array([1, 2]);
  assert.deepEqual(m.seriesSum(9), { return: 3, count: 2 });
  imports.series = () => 'x';
  assert.throws(() => m.seriesSum(1), /options\.imports\.series must return a Float64Array or an array of numbers/);
  imports.series = () => [1, 'x'];
  assert.throws(() => m.seriesSum(1), TypeError);
  // read once: what is checked is what C gets
  let lengthReads = 0, reads = 0;
  imports.series = () => ({ get length() { return ++lengthReads === 1 ? 1 : 2 ** 30; }, get 0() { return ++reads === 1 ? 2.5 : 'x'; } });
  assert.deepEqual(m.seriesSum(1), { return: 2.5, count: 1 });
  assert.deepEqual([lengthReads, reads], [1, 1]);
  // a view of wasm memory (a handle's), copied before C's block is allocated
  // (a block as big as the view grows memory, which detaches the view)
  const h = m.alloc.f64(4 << 20);
  h.view.fill(0.5);
  imports.series = () => h.view;
  assert.deepEqual(m.seriesSum(1), { return: 2 << 20, count: 4 << 20 });
  h.free();
  imports.series = (n) => Array.from({ length: n }, (_, i) => i + 0.5);
}));

test('imports: a string or nothing', () => noLeak(m, assert, () => {
  assert.equal(m.lookupOr('a'), 'alpha');
  assert.equal(m.lookupOr('b'), '(none)');
}));

test('imports: a struct holding a string and a struct', () => noLeak(m, assert, () => {
  assert.equal(m.tagText('pin', 1.5, -2), 'pin@1.5,-2');
}));
