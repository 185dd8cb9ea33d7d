// defer.test.mjs - deferred callbacks (tests/e2e/defer.idl): a JS function
// that throws does not unwind C; its exception is held, JS is skipped for the
// rest of the call, and the call throws it once C returns (what C returned
// freed unread; the first exception of a call wins; nested calls' are theirs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { E2E_OUT, load, noLeak } from './helpers.mjs';

const { m, mod } = await load('defer');
const { WasmgenError } = mod;

test('a deferred callback that throws: C goes on to its end, JS is skipped, the call throws it', () => noLeak(m, assert, () => {
  const seen = [];
  assert.equal(m.feed(3, (x) => seen.push(x)), 3);
  assert.deepEqual(seen, [0, 1, 2]);
  seen.length = 0;
  const boom = new Error('at 2');
  assert.throws(() => m.feed(6, (x) => { seen.push(x); if (x === 2) throw boom; }), (e) => e === boom);
  assert.deepEqual(seen, [0, 1, 2]); // the rest of the call's calls skipped JS
  assert.equal(m.lastFed(), 6); // C ran to its end
  assert.equal(m.stats().liveCallbacks, 0);
  // nothing is left held: the next calls run every callback
  assert.equal(m.feed(2, (x) => seen.push(x)), 2);
  assert.deepEqual(seen, [0, 1, 2, 0, 1]);
}));

test('a deferred exception: what C returned is freed unread; it comes before C\'s own failure', () => noLeak(m, assert, () => {
  assert.equal(m.feedNamed(2, () => {}), 'fed 2');
  assert.throws(() => m.feedNamed(4, (x) => { if (x === 0) throw new RangeError('first'); }), /first/);
  assert.equal(m.lastFed(), 4);
  assert.throws(() => m.feedOrFail(2, () => {}, true), /feedOrFail: failed after feeding 2/);
  assert.throws(() => m.feedOrFail(2, () => { throw new TypeError('mine'); }, true), /mine/);
  assert.equal(m.feedOrFail(2, () => {}, false), 2);
}));

test('deferred exceptions belong to their call: nested calls, and a stored deferred callback', () => noLeak(m, assert, () => {
  // inside a (non-deferred) callback, a nested call's deferred exception is that call's
  let inner = 0;
  const sum = m.fold([1, 2], (acc, x) => {
    assert.throws(() => m.feed(3, () => { inner++; throw new Error('inner'); }), /inner/);
    return acc + x;
  });
  assert.equal(sum, 3);
  assert.equal(inner, 2); // once per nested call: the rest skipped
  assert.equal(m.feed(2, () => {}), 2); // nothing held after
  // a stored one: thrown by the call that ran it
  let calls = 0;
  const h = m.callback((x) => { calls++; if (x === 1) throw new Error(`kept ${x}`); });
  m.keepSink(h);
  assert.throws(() => m.feedKept(4), /kept 1/);
  assert.equal(calls, 2);
  assert.equal(m.lastFed(), 4);
  assert.equal(m.feedKept(0), 0);
  h.free();
  assert.throws(() => m.feedKept(1), (e) => e instanceof WasmgenError && /released/.test(e.message));
}));

test('deferred(VALUE): once one has thrown, C gets VALUE (a bool, an i32, an i64, an enum) and JS is not called', () => noLeak(m, assert, () => {
  // true stops C at once: the library's own way out
  const seen = [];
  assert.equal(m.visitUpto(10, (x) => { seen.push(x); return x === 5; }), 6);
  assert.throws(() => m.visitUpto(10, (x) => { seen.push(x); if (x === 2) throw new Error('visit'); return false; }),
    /visit/);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 0, 1, 2]);
  assert.equal(m.callsMade(), 3); // C got true from the call that threw, and stopped
  assert.equal(m.visitUpto(3, () => false), 3); // nothing held after
  // -1 stops the reader
  assert.deepEqual(m.pullAll(5, (i) => i * 10), { return: 100, last: 40 });
  assert.throws(() => m.pullAll(5, (i) => { if (i === 1) throw new RangeError('pull'); return 7; }), /pull/);
  assert.equal(m.callsMade(), 2);
  // a result JS gets wrong throws like any exception: C gets VALUE for it too
  assert.throws(() => m.pullAll(5, () => 'x'), (e) => e instanceof TypeError && /callback pull/.test(e.message));
  assert.equal(m.callsMade(), 1);
  // an i64 (a BigInt in wasm): C gets -5 from the call that threw and each it made after
  const got = m.weighAll(3, (x) => BigInt(x) * 2n);
  assert.deepEqual([...got], [0n, 2n, 4n]);
  got.free();
  let calls = 0;
  assert.throws(() => m.weighAll(4, (x) => { calls++; if (x === 1) throw new Error('weigh'); return 100n; }), /weigh/);
  assert.equal(calls, 2);
  assert.equal(m.callsMade(), 4);
  assert.equal(m.weighed(), 100n - 5n - 5n - 5n);
  // an enum: STOP
  const judged = [];
  assert.equal(m.judgeUpto(9, (x) => { judged.push(x); return x === 3 ? 'STOP' : 'GO'; }), 4);
  assert.throws(() => m.judgeUpto(9, (x) => { judged.push(x); if (x === 1) throw new Error('judge'); return 'GO'; }),
    /judge/);
  assert.deepEqual(judged, [0, 1, 2, 3, 0, 1]);
  assert.equal(m.callsMade(), 2);
}));

test('deferred(VALUE) at the ends of 64 bits: C gets UINT64_MAX and INT64_MIN as written', () => noLeak(m, assert, () => {
  assert.throws(() => m.extremeWide(() => { throw new Error('wide'); }), /wide/);
  assert.throws(() => m.extremeLow(() => { throw new Error('low'); }), /low/);
  assert.equal(m.extremesGot(), '18446744073709551615 -9223372036854775808');
  m.extremeWide(() => 3n); // (JS's answers when it does not throw)
  m.extremeLow(() => -4n);
  assert.equal(m.extremesGot(), '3 -4');
}));

test('the .d.ts says what a deferred callback does, and what C gets from it', async () => {
  const dts = await readFile(path.join(E2E_OUT, 'defer.d.ts'), 'utf8');
  const doc = (type) => dts.slice(dts.lastIndexOf('/**', dts.indexOf(`export type ${type} =`)), dts.indexOf(`export type ${type} =`));
  assert.match(doc('Sink'), /Deferred: when it throws, the library is not unwound: the call's later calls of it skip JS/);
  assert.match(doc('Visit'), /it gets `true` from this call and from the call's later calls of it/);
  assert.match(doc('Pull'), /it gets -1 from this call/);
  assert.match(doc('Judge'), /it gets `STOP` from this call/);
  assert.match(doc('Wide'), /it gets 18446744073709551615 from this call/);
  assert.match(doc('Low'), /it gets -9223372036854775808 from this call/);
  assert.doesNotMatch(doc('Reducer'), /Deferred/);
});
