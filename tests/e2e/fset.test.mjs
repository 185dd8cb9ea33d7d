// fset.test.mjs - flag sets (tests/e2e/fset.idl): JS passes a list of the
// flags' names or a number of their bits, and gets back the list of those
// set; C gets the bits. Every wrong value is refused naming the function and
// the parameter (element), before C runs; bits C returns that the set does
// not have are a WasmgenError.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_OUT, load, noLeak } from './helpers.mjs';

const { m, mod } = await load('fset');

test('the values of each flag set are exported, frozen, and match the .d.ts', () => {
  assert.deepEqual(mod.Perms, { read: 1, write: 2, exec: 8, rw: 3 });
  assert.deepEqual(mod.Wide, { none: 0, low: 1, top: 0x80000000 });
  assert.ok(Object.isFrozen(mod.Perms));
  const dts = readFileSync(path.join(E2E_OUT, 'fset.d.ts'), 'utf8');
  assert.match(dts, /^export type Perms = 'read' \| 'write' \| 'exec' \| 'rw';$/m);
  assert.match(dts, /^export declare const Perms: \{ readonly read: 1; readonly write: 2; readonly exec: 8; readonly rw: 3 \};$/m);
  assert.match(dts, /bits\(p: readonly Perms\[\] \| number\): number;/);
  assert.match(dts, /dropWrite\(p: readonly Perms\[\] \| number\): Perms\[\];/);
});

test('a list of names becomes its bits; C\'s bits become the names set, in declaration order', () => noLeak(m, assert, () => {
  assert.equal(m.bits([]), 0);
  assert.equal(m.bits(['read']), 1);
  assert.equal(m.bits(['exec', 'read']), 9);
  assert.equal(m.bits(['read', 'read', 'rw']), 3);
  assert.deepEqual(m.dropWrite(['read', 'write', 'exec']), ['read', 'exec']);
  assert.deepEqual(m.dropWrite(['rw']), ['read']); // rw is set only when both of its bits are
  assert.deepEqual(m.fromBits(3), ['read', 'write', 'rw']);
  assert.deepEqual(m.fromBits(0), []);
  // the top bit: unsigned on the way in and out
  assert.deepEqual(m.echoWide(['top']), ['top']);
  assert.deepEqual(m.echoWide(['low', 'top']), ['low', 'top']);
  assert.deepEqual(m.echoWide(0x80000001), ['low', 'top']);
  // a flag of no bits is taken (it adds nothing) and never given back
  assert.deepEqual(m.echoWide(['none', 'low']), ['low']);
  assert.deepEqual(m.echoWide(['none']), []);
}));

test('a number of bits is taken when every bit is the set\'s', () => noLeak(m, assert, () => {
  assert.equal(m.bits(mod.Perms.read | mod.Perms.exec), 9);
  assert.equal(m.bits(0), 0);
  for (const bad of [4, 16, -1, 1.5, 2 ** 32, NaN])
    assert.throws(() => m.bits(bad), (e) => e instanceof RangeError &&
      e.message.startsWith("bits: parameter 'p' must be a number of the bits of flags perms (0xb)"), String(bad));
}));

test('anything else is a TypeError naming the parameter or the element, before C runs', () => noLeak(m, assert, () => {
  for (const bad of ['read', null, undefined, {}, true, 1n, new Uint8Array(1)])
    assert.throws(() => m.bits(bad), (e) => e instanceof TypeError &&
      e.message.startsWith("bits: parameter 'p' must be a list of 'read', 'write', 'exec', 'rw' (flags perms), or a number"), String(bad));
  assert.throws(() => m.bits(['read', 'READ']), (e) => e instanceof TypeError &&
    e.message === "bits: parameter 'p[1]' must be one of 'read', 'write', 'exec', 'rw' (flags perms); got a string");
  assert.throws(() => m.bits(['read', 1]), /bits: parameter 'p\[1\]' must be one of/);
  assert.throws(() => m.bits(['__proto__']), /parameter 'p\[0\]' must be one of/);
}));

test('the list is read once: its length and each element', () => {
  let lengthReads = 0, reads = 0;
  const odd = { get length() { return ++lengthReads === 1 ? 1 : 2; }, get 0() { return ++reads === 1 ? 'exec' : 'bogus'; } };
  assert.equal(m.bits(odd), 8);
  assert.deepEqual([lengthReads, reads], [1, 1]);
});

test('bits C returns that the set does not have: a WasmgenError naming the function', () => noLeak(m, assert, () => {
  assert.throws(() => m.fromBits(0x14), (e) => e instanceof mod.WasmgenError &&
    e.message === 'fromBits: the module returned 0x14, with bits flags perms does not have (0x14)');
  assert.throws(() => m.fromBits(0x80000001), /returned 0x80000001, with bits flags perms does not have \(0x80000000\)/);
}));

test('out parameters, struct fields and callbacks', () => noLeak(m, assert, () => {
  assert.deepEqual(m.split(['rw', 'exec']), { readable: ['read'], count: 3 });
  assert.deepEqual(m.modeOf({ name: 'a', mode: ['exec', 'write'] }), ['write', 'exec']);
  assert.deepEqual(m.modeOf({ name: 'a', mode: 10 }), ['write', 'exec']);
  assert.throws(() => m.modeOf({ name: 'a', mode: ['x'] }), /modeOf: parameter 'e\.mode\[0\]' must be one of/);
  assert.deepEqual(m.make('f', ['read']), { name: 'f', mode: ['read'] });
  const seen = [];
  assert.deepEqual(m.apply(['read'], (p) => { seen.push(p); return [...p, 'write']; }), ['read', 'write', 'rw']);
  assert.deepEqual(seen, [['read'], ['read', 'write', 'rw']]);
  assert.deepEqual(m.apply(['read'], () => 8), ['exec']); // a callback may return a number too
  assert.throws(() => m.apply(['read'], () => ['nope']), (e) => e instanceof TypeError &&
    /callback filter: parameter 'result\[0\]' must be one of/.test(e.message));
}));
