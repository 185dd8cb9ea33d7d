// qsort.test.mjs - wasi-libc's qsort, bound as it is, with JS comparators:
// sorts like Array.prototype.sort, nests, and a comparator's exception
// leaves nothing behind.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const { instantiate } = await import(new URL('./out/qsort.mjs', import.meta.url));
const q = await instantiate(readFileSync(new URL('./out/qsort.wasm', import.meta.url)));

function random(n, seed) {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = (seed = (seed * 1103515245 + 12345) >>> 0) % 1000 - 500;
  return a;
}

test('sorts as Array.prototype.sort does, with any comparator', () => {
  for (const n of [0, 1, 2, 7, 100, 5000]) {
    const a = random(n, n + 1);
    const want = [...a].sort((x, y) => y - x);
    q.sortI32(a, (x, y) => y - x);
    assert.deepEqual([...a], want);
  }
  const f = [0.5, -1.25, 3, 2.75, -0, 1e-9];
  q.sortF64(f, (x, y) => Math.sign(x - y));
  assert.deepEqual(f, [...f].sort((x, y) => x - y));
});

test('a comparator that sorts (re-entrant qsort, each call its own comparator)', () => {
  const outer = random(50, 9);
  let inner = 0;
  q.sortI32(outer, (a, b) => {
    const pair = new Int32Array([b, a]);
    q.sortI32(pair, (x, y) => { inner++; return x - y; });
    return pair[0] === a ? -1 : a === b ? 0 : 1;
  });
  assert.deepEqual([...outer], [...random(50, 9)].sort((x, y) => x - y));
  assert.ok(inner > 0);
  assert.equal(q.stats().liveCallbacks, 0);
});

test('a comparator\'s exception reaches the caller: the array unchanged, nothing leaked, the C stack restored', () => {
  const a = random(1000, 3), copy = a.slice();
  const before = q.stats(), sp = q.exports.wg_stack_get();
  let n = 0;
  assert.throws(() => q.sortI32(a, (x, y) => { if (++n === 500) throw new Error('enough'); return x - y; }), /enough/);
  assert.deepEqual(a, copy); // sorted in a copy in wasm memory, copied back only on success
  assert.equal(q.stats().liveAllocations, before.liveAllocations);
  assert.equal(q.stats().liveCallbacks, 0);
  assert.equal(q.exports.wg_stack_get(), sp);
  assert.throws(() => q.sortI32(a, (x, y) => 'less'), /callback compare_i32 must return a i32; got a string/);
  assert.throws(() => q.sortI32(a, 'less'), /sortI32: parameter 'compare' must be a function/);
});
