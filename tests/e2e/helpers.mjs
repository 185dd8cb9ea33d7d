// helpers.mjs - load the end-to-end modules the Makefile built.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const E2E_OUT = path.resolve(process.env.E2E_OUT ?? 'build/tests/e2e');

/** Instantiate E2E_OUT/WASM.wasm (default: NAME.wasm) through the generated NAME.mjs. */
export async function load(name, options, wasm = name) {
  const mod = await import(path.join(E2E_OUT, `${name}.mjs`));
  const m = await mod.instantiate(readFile(path.join(E2E_OUT, `${wasm}.wasm`)), options);
  return { m, mod };
}

/** Run `fn` and assert it leaves the allocator's live counts as they were. */
export function noLeak(m, assert, fn) {
  const before = m.stats();
  fn();
  const after = m.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, 'live allocations changed');
  assert.equal(after.liveBytes, before.liveBytes, 'live bytes changed');
}

/** Collect garbage and give finalizers a chance to run, until `done()` or a bound. */
export async function collect(done, rounds = 50) {
  for (let i = 0; i < rounds; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (done()) return true;
  }
  return done();
}
