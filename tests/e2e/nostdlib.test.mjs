// nostdlib.test.mjs - a module linked with -nostdlib (no wasi-libc at all,
// only libwasmgen.a) imports nothing and works end to end.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load, E2E_OUT } from './helpers.mjs';

test('examples/arrays built with -nostdlib: no imports, every function works', async () => {
  const bytes = readFileSync(`${E2E_OUT}/nostdlib/arrays.wasm`);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  assert.deepEqual(imports, []);
  console.log(`-nostdlib module size: ${bytes.length} bytes`);
  const { m } = await load('nostdlib/arrays');
  const h = m.add([1, 2], [3, 4]);
  assert.deepEqual(Array.from(h.view), [4, 6]);
  h.free();
  assert.equal(m.sum([1, 2, 3.5]), 6.5);
  assert.deepEqual(m.divide(7, 2), { return: 3, remainder: 1 });
  assert.equal(m.reverse('stressed'), 'desserts');
  assert.equal(m.isAscii('naïve'), false);
  assert.equal(m.stats().liveAllocations, 0);
});
