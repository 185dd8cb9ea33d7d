// inline.test.mjs - a module generated with --js-runtime=inline stands
// alone: no wasmgen-runtime.mjs beside it, and it works like the other.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { E2E_OUT } from './helpers.mjs';

test('--js-runtime=inline: one file, the whole type system works', async () => {
  const dir = `${E2E_OUT}/inline`;
  assert.equal(existsSync(`${dir}/wasmgen-runtime.mjs`), false);
  assert.doesNotMatch(readFileSync(`${dir}/types.mjs`, 'utf8'), /from '\.\/wasmgen-runtime\.mjs'/);
  const mod = await import(`${dir}/types.mjs`);
  const names = ['note', 'twice', 'total', 'greet', 'pick', 'bump', 'flip', 'reenter'];
  const m = await mod.instantiate(readFileSync(`${E2E_OUT}/types.wasm`), {
    imports: Object.fromEntries(names.map((n) => [n, (x) => x])),
  });
  assert.deepEqual(m.mid({ x: 0, y: 0 }, { x: 2, y: 2 }), { x: 1, y: 1 });
  assert.deepEqual(m.strings(['a', 'b']), ['a', 'b']);
  const c = new m.Counter(2);
  assert.ok(c instanceof mod.Resource);
  assert.equal(c.add(3), 5);
  c.free();
  assert.throws(() => m.failIf(true), mod.WasmgenError);
  assert.ok(m.points([]) instanceof Array);
  assert.ok(mod.WasmArray);
});

test('--js-runtime=inline: the on-demand part (options.debug, large handles not freed) is in the file, loaded from it', async () => {
  const dir = `${E2E_OUT}/inline`;
  assert.equal(existsSync(`${dir}/wasmgen-unfreed.mjs`), false);
  const text = readFileSync(`${dir}/types.mjs`, 'utf8');
  assert.doesNotMatch(text, /import\('\.\/wasmgen-unfreed\.mjs'\)/);
  const mod = await import(`${dir}/types.mjs`);
  const names = ['note', 'twice', 'total', 'greet', 'pick', 'bump', 'flip', 'reenter'];
  const imports = Object.fromEntries(names.map((n) => [n, (x) => x]));
  const d = await mod.instantiate(readFileSync(`${E2E_OUT}/types.wasm`), { imports, debug: true });
  const h = d.alloc.u8(10);
  const leaks = d.leaks();
  assert.equal(leaks.length, 1);
  assert.equal(leaks[0].bytes, 10);
  assert.match(leaks[0].stack, /inline\.test\.mjs/);
  h.free();
  assert.deepEqual(d.leaks(), []);
  // Past 16 MiB of handles not freed, loaded without options too: the warning comes.
  const warnings = [];
  const m = await mod.instantiate(readFileSync(`${E2E_OUT}/types.wasm`), { imports, warnBytes: 20 << 20, onWarning: (w) => warnings.push(w) });
  const held = Array.from({ length: 24 }, () => m.alloc.u8(1 << 20));
  for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(warnings.length, 1);
  held.forEach((h) => h.free());
});

test('--js-runtime=inline exports exactly what a module importing wasmgen-runtime.mjs exports', async () => {
  const inline = await import(`${E2E_OUT}/inline/types.mjs`);
  const file = await import(`${E2E_OUT}/types.mjs`);
  assert.deepEqual(Object.keys(file).sort(), ['Resource', 'WasmArray', 'WasmgenError', 'instantiate']);
  assert.deepEqual(Object.keys(inline).sort(), Object.keys(file).sort());
});

test('--js-runtime=inline, a module without handles: the runtime without the handles\' parts, and it works', async () => {
  const dir = `${E2E_OUT}/inline`;
  const lean = readFileSync(`${dir}/lean.mjs`, 'utf8');
  const full = readFileSync(`${dir}/types.mjs`, 'utf8');
  // The handles' parts (runtime/js/wasmgen-runtime-lean.mjs leaves them out): none of their code.
  for (const part of ['class WasmArray', 'class Lifetime', 'const handleFeature', 'const arrayFeature', 'class Callbacks'])
    assert.ok(!lean.includes(part) && full.includes(part), part);
  assert.ok(lean.length < full.length / 2, `${lean.length} bytes against ${full.length}`);
  const mod = await import(`${dir}/lean.mjs`);
  assert.deepEqual(Object.keys(mod).sort(), ['WasmgenError', 'instantiate']);
  const m = await mod.instantiate(readFileSync(`${E2E_OUT}/lean.wasm`));
  const live = m.stats().liveAllocations;
  assert.equal(m.repeat('ab', 3, '-'), 'ab-ab-ab');
  assert.equal(m.firstWord(' x y'), 'x');
  assert.throws(() => m.repeat('x', 1 << 30, ''), mod.WasmgenError);
  assert.throws(() => m.alloc.f64(1), { name: 'TypeError', message: /^alloc\.f64: module lean takes no arrays$/ });
  assert.equal(m.scope(() => 3), 3);
  assert.equal(m.stats().liveAllocations, live);
});
