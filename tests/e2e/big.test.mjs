// big.test.mjs - a struct result larger than the return-area stack (64 KiB
// here, the stack is 16 KiB): its return area is allocated for the call and
// freed after it, whether the call returns or throws.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const { m } = await load('big');

// The f64 at index i of a b3 read back as nested objects.
const KEYS8 = 'abcdefgh', KEYS16 = 'abcdefghijklmnop';
function at(b3, i) {
  return b3[KEYS16[i >> 9]][KEYS8[(i >> 6) & 7]][KEYS8[(i >> 3) & 7]][KEYS8[i & 7]];
}

test('a 64 KiB struct comes back whole, every field in place', () => {
  const before = m.stats().liveAllocations;
  const r = m.block(1000);
  for (let i = 0; i < 8192; i++) assert.equal(at(r, i), 1000 + i, `field ${i}`);
  assert.equal(m.stats().liveAllocations, before, 'the return area was freed');
});

test('many calls in a row: no stack overflow, nothing kept', () => {
  const before = m.stats().liveAllocations;
  for (let k = 0; k < 50; k++) assert.equal(at(m.block(k), 8191), k + 8191);
  assert.equal(m.stats().liveAllocations, before);
});

test('a throws function with a 64 KiB result: the error, and the area freed', () => {
  const before = m.stats().liveAllocations;
  assert.equal(at(m.blockOrFail(5, false), 100), 105);
  assert.throws(() => m.blockOrFail(5, true), (e) => e.code === 7 && /blockOrFail: failed at 5/.test(e.message));
  assert.equal(m.stats().liveAllocations, before);
});

test('a 64 KiB struct passed in and the one returned agree', () => {
  const r = m.block(0.5);
  assert.equal(m.total(r), 8192 * 0.5 + (8191 * 8192) / 2);
});
