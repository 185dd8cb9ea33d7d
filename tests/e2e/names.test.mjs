// names.test.mjs - names that could break the generated JS or C and are made
// to work (tests/e2e/names.idl); those that cannot work are IDL errors
// (tests/diag/sem_name_*, sem_c_*, sem_ts_*, sem_param_*).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { E2E_OUT, load } from './helpers.mjs';

const imports = {
  toString: (v) => `str ${v}`,
  valueOf: (v) => v * 2,
};

test('functions, enum values and methods named like Object.prototype members', async () => {
  const { m } = await load('names', { imports });
  assert.equal(m.constructor(1), 2);
  assert.equal(m.hasOwnProperty(1), 3);
  for (const t of ['to_string', 'constructor', 'value_of', 'has_own_property']) assert.equal(m.echoTone(t), t);
  assert.throws(() => m.echoTone('toString'), /must be one of/);
  const t = new m.Thing(7);
  assert.equal(t.kept(), 7, 'a method `kept`');
  assert.equal(t.toString(), 'thing 7');
  assert.equal(`${t}`, 'thing 7');
  assert.equal(t.valueOf(), 7);
  let dropped, kept;
  assert.equal(m.scope(() => { dropped = new m.Thing(1); kept = new m.Thing(2).keep(); return 5; }), 5);
  assert.equal(dropped.freed, true, 'a scope frees what a method `kept` does not keep');
  assert.equal(kept.freed, false, 'keep() still keeps');
  kept.free();
  t.free();
});

test('imports named like Object.prototype members must be given: an inherited one is not an import', async () => {
  const { m } = await load('names', { imports });
  assert.equal(m.callImports(4), 'str 4/8');
  await assert.rejects(load('names', { imports: { valueOf: (v) => v } }),
    { name: 'TypeError', message: /options\.imports lacks toString$/ });
  await assert.rejects(load('names', { imports: {} }), /options\.imports lacks toString, valueOf$/);
  class Provided { toString(v) { return `p${v}`; } valueOf(v) { return v; } }
  const { m: p } = await load('names', { imports: new Provided() });
  assert.equal(p.callImports(3), 'p3/3', 'methods of a class instance are given');
});

test('an optional field named like an Object.prototype member may be left out', async () => {
  const { m } = await load('names', { imports });
  assert.equal(m.readOpts({ constructor: 5 }), 5);
  assert.equal(m.readOpts({ constructor: 5, toString: 'ab' }), 2005);
  assert.equal(m.readOpts({ constructor: 5, valueOf: [1, 2, 3] }), 300005);
  assert.throws(() => m.readOpts({}), /parameter 'o\.constructor' must be a number \(i32\); got undefined/);
});

test('parameters named like the globals the generated code uses', async () => {
  const { m } = await load('names', { imports });
  assert.equal(m.globals(1, 2n, 3, 'abcd', [10, 20]), 40);
  assert.throws(() => m.globals(1, 2n, 2 ** 60, '', []), /parameter 'Math' must be a safe integer/);
});

test('flag sets exported under the runtime\'s class names (Runtime, Lifetime, Handle), in file and inline mode', async () => {
  for (const file of ['names.mjs', 'inline/names.mjs']) {
    const mod = await import(`${E2E_OUT}/${file}`);
    assert.deepEqual(mod.Runtime, { a: 1, b: 2 }, file);
    assert.deepEqual([mod.Lifetime, mod.Handle], [{ c: 4 }, { d: 8 }], file);
    const m = await mod.instantiate(readFileSync(`${E2E_OUT}/names.wasm`), { imports: { toString: (v) => `${v}`, valueOf: (v) => v } });
    assert.equal(m.bitsOf(['a', 'b'], ['c'], mod.Handle.d), 15, file);
  }
});
