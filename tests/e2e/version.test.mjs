// version.test.mjs - the JS runtime and libwasmgen.a check that they are
// the same runtime version (compiler/runtime.def) before anything else.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

test('a module linked with a libwasmgen.a of another runtime version is refused by name', async () => {
  await assert.rejects(load('alltypes', {}, 'alltypes_v999'), {
    name: 'TypeError',
    message: 'instantiate: the wasm module was linked with a libwasmgen.a of runtime version 999, ' +
      'but this JS runtime is version 1: build the module, its glue and its JS with one wasmgen',
  });
});

test('the same module with the library of this wasmgen instantiates', async () => {
  const { m } = await load('alltypes');
  assert.equal(m.exports.wg_version(), 1);
});
