// reader.test.mjs - the specialized struct readers emit_js.c generates
// (straight-line reads at fixed offsets): every field type, padding, nesting,
// lists inside structs; a bad enum mid-read frees everything and names the
// function; a struct too wide to specialize reads through the generic loop.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load, noLeak, E2E_OUT } from './helpers.mjs';

const { m } = await load('reader');

/** What reader.c's every(seed) holds, with handles read out as arrays. */
function expected(seed) {
  const inner = (s) => ({ tag: (200 + s) & 255, m: 'gone', b: (s & 1) === 1, s: -300 - s, note: s % 2 === 0 ? `note ${s}` : null });
  return {
    b: seed % 2 === 0, i8v: -100 - (seed % 20), u8v: 250 + (seed % 5), i16v: -30000 - seed, u16v: 65000 + seed,
    i32v: -2000000000 - seed, u32v: 4000000000 + seed,
    i64v: -9000000000000000000n - BigInt(seed), u64v: 18000000000000000000n + BigInt(seed),
    i53v: -9007199254740991 + seed, f32v: Math.fround(Math.fround(1.1) * seed), f64v: -0.1 * seed,
    m: 'busy', s: `s${seed}`, none: null, some: `some é ${seed}`, bytes: [seed & 255, 1, 255], nodata: null,
    in1: inner(seed), inners: [inner(seed + 1), inner(seed + 2)], words: [`w${seed}`, String(seed * 10)], last: 'calm',
  };
}

/** The struct as plain data: its u8[] handle read and freed. */
function plain(e) {
  assert.equal(e.bytes.constructor.name, 'WasmArray');
  const bytes = [...e.bytes.view];
  e.bytes.free();
  return { ...e, bytes };
}

test('every field type reads back exactly, at its offset, padding skipped', () => {
  noLeak(m, assert, () => {
    for (const seed of [0, 1, 7, 18]) assert.deepEqual(plain(m.one(seed, false)), expected(seed));
  });
});

test('a list of structs with nested structs, lists and strings inside', () => {
  noLeak(m, assert, () => {
    const list = m.many(50, false);
    assert.equal(list.length, 50);
    list.forEach((e, i) => assert.deepEqual(plain(e), expected(i)));
  });
});

test('an enum out of range after owned fields were read: an error naming the function, nothing leaked', () => {
  noLeak(m, assert, () => {
    assert.throws(() => m.one(3, true),
      (e) => e.name === 'WasmgenError' && e.message === 'one: the module returned -7, which is not a value of enum mood');
  });
});

test('an enum out of range in a nested list of the last element: the whole list freed', () => {
  noLeak(m, assert, () => {
    assert.throws(() => m.many(20, true),
      (e) => e.name === 'WasmgenError' && e.message === 'many: the module returned 5, which is not a value of enum mood');
  });
  // and the module still works
  noLeak(m, assert, () => assert.deepEqual(plain(m.one(2, false)), expected(2)));
});

test('a struct of 65 fields reads through the generic loop, the same values', () => {
  const w = m.wideOne(10);
  assert.equal(Object.keys(w).length, 65);
  for (let i = 0; i < 65; i++) assert.equal(w[`w${i}`], (10 + i) & 255);
});

test('the generated module specializes the small structs and not the wide one', () => {
  const js = fs.readFileSync(path.join(E2E_OUT, 'reader.mjs'), 'utf8');
  assert.match(js, /\$S_every\.define\(\[[^\n]*\],\n {4}\(\$rt, \$a, \$own, \$fn\) => \{/);
  assert.match(js, /\$S_inner\.define\(\[[^\n]*\],\n {4}\(\$rt, \$a, \$own, \$fn\) => \{/);
  assert.match(js, /\$S_wide\.define\(\[[^\n]*\]\);/);
});
