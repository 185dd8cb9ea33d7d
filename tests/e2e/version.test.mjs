// version.test.mjs - the JS runtime and libwasmgen.a check that they are
// the same runtime version (compiler/runtime.def) before anything else.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

test('a module linked with a libwasmgen.a of another runtime version is refused by name', async () => {
  await assert.rejects(load('alltypes', {}, 'alltypes_v999'), {
    name: 'TypeError',
    message: 'instantiate: the wasm module was linked with a libwasmgen.a of runtime version 999, ' +
      'this JS runtime is 5: build the wasm module and its JS with one wasmgen',
  });
});

test('a module linked without -Wl,--stack-first is refused: its C stack would run out over its data', async () => {
  await assert.rejects(load('alltypes', {}, 'alltypes_heapstack'), {
    name: 'TypeError',
    message: 'instantiate: link the wasm module with -Wl,--stack-first',
  });
});

test('the same module with the library of this wasmgen instantiates', async () => {
  const { m } = await load('alltypes');
  assert.equal(m.exports.wg_version(), 5);
});

test('a generated module made for another JS runtime version is refused by name', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { E2E_OUT } = await import('./helpers.mjs');
  const text = fs.readFileSync(path.join(E2E_OUT, 'alltypes.mjs'), 'utf8');
  const edited = text.replace(/\$required, null, \d+, /, '$required, null, 99, ');
  assert.notEqual(edited, text, 'the version argument is where the test expects it');
  const file = path.join(E2E_OUT, 'alltypes_gen99.mjs'); // beside wasmgen-runtime.mjs
  fs.writeFileSync(file, edited);
  try {
    const mod = await import(file);
    await assert.rejects(mod.instantiate(fs.readFileSync(path.join(E2E_OUT, 'alltypes.wasm'))), {
      name: 'TypeError',
      message: 'instantiate: alltypes.mjs was generated for JS runtime version 99, ' +
        'this JS runtime is 5: build the wasm module and its JS with one wasmgen',
    });
  } finally {
    fs.rmSync(file);
  }
});
