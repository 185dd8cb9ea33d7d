// helpers.mjs - load the end-to-end modules the Makefile built, on whichever
// engine runs the suite: Node (node --test), Deno (deno test) or Bun (bun test).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const E2E_OUT = path.resolve(process.env.E2E_OUT ?? 'build/tests/e2e');

/** The engine running this suite: 'node', 'deno' or 'bun'. */
export const ENGINE = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node';

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

/** A full garbage collection: gc() from --expose-gc (Node, Deno's --v8-flags, Bun) or Bun.gc(true). */
export function gc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc();
  if (globalThis.Bun) return globalThis.Bun.gc(true);
  throw new Error('run the tests with --expose-gc');
}

/** Collect garbage and give finalizers a chance to run, until `done()` or a bound. */
export async function collect(done, rounds = 50) {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (done()) return true;
  }
  return done();
}

/**
 * Run the ES module file `file` in a child of this suite's engine (never with
 * `-e`: engines differ there), with all permissions. Returns spawnSync's result
 * with stdout and stderr as text.
 */
export function runFile(file, { cwd, timeout = 20000, args = [] } = {}) {
  const flags = { node: ['--no-warnings'], deno: ['run', '-A', '--quiet'], bun: [] }[ENGINE];
  return spawnSync(process.execPath, [...flags, file, ...args],
    { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
}

let children = 0;
/** Write `source` to E2E_OUT/children/ENGINE-N-PID.mjs and run it with runFile(). */
export async function runSource(source, options) {
  const dir = path.join(E2E_OUT, 'children');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${ENGINE}-${++children}-${process.pid}.mjs`);
  await writeFile(file, source);
  return runFile(file, options);
}
