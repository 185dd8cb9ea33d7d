// loading.test.mjs - instantiate() with no source finds NAME.wasm beside
// NAME.mjs (new URL('./NAME.wasm', import.meta.url)): read from disk in
// Node, Deno and Bun. An explicit source, a URL among them, still works.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { E2E_OUT, load } from './helpers.mjs';

const url = (file) => pathToFileURL(path.join(E2E_OUT, file));

test('instantiate() with no source loads NAME.wasm from beside NAME.mjs', async () => {
  const { instantiate } = await import(url('alltypes.mjs'));
  for (const m of [await instantiate(), await instantiate(null), await instantiate(undefined, { debug: true })]) {
    assert.equal(m.echo('zero-config'), 'zero-config');
    assert.equal(m.stats().liveAllocations, 0);
  }
});

test('the .wasm beside the .mjs is the one loaded, wherever the pair is', async () => {
  // The same module's JS in another directory, with a different wasm: the
  // nostdlib arrays module, whose JS is generated from examples/arrays.
  const dir = path.join(E2E_OUT, 'loading');
  mkdirSync(dir, { recursive: true });
  for (const f of ['arrays.mjs', 'wasmgen-runtime.mjs', 'arrays.wasm'])
    copyFileSync(path.join(E2E_OUT, 'nostdlib', f), path.join(dir, f));
  const { instantiate } = await import(pathToFileURL(path.join(dir, 'arrays.mjs')));
  const m = await instantiate();
  assert.equal(m.sum([1, 2, 3]), 6);
  assert.equal(m.exports.memory.buffer.byteLength, m.memory.buffer.byteLength);
});

test('an explicit source still works: bytes, a promise of bytes, a Module, a file: URL', async () => {
  const { instantiate } = await import(url('alltypes.mjs'));
  const bytes = readFileSync(path.join(E2E_OUT, 'alltypes.wasm'));
  const sources = [bytes, Promise.resolve(bytes), await WebAssembly.compile(bytes), url('alltypes_small.wasm')];
  for (const source of sources) assert.equal((await instantiate(source)).echo('x'), 'x');
  // alltypes_small has at most 16 MiB of memory: the URL given was the one read.
  const small = await instantiate(url('alltypes_small.wasm'));
  assert.throws(() => small.alloc.u8(32 << 20), RangeError);
});

test('a missing file is a clear error naming it', async () => {
  const { instantiate } = await import(url('alltypes.mjs'));
  const missing = url('no-such-module.wasm');
  await assert.rejects(instantiate(missing), (e) => e instanceof TypeError &&
    e.message.startsWith(`instantiate: reading the wasm module ${missing.href} failed: `));
  await assert.rejects(instantiate('alltypes.wasm'), /source must be a BufferSource, a WebAssembly.Module, a Response, a URL/);
});

test('WASI (wasmgen-wasi.mjs) is loaded only for a module that imports it', async () => {
  // Each module's JS in a directory of its own without wasmgen-wasi.mjs: the
  // one whose wasm imports nothing, and the one importing only its declared
  // imports, work; the one that imports WASI cannot load it.
  const imports = { read: () => 0, scale() {}, norm: () => 0, make: (x, y) => ({ x, y }), series: () => [],
    lookup: () => null, describe: () => '' };
  for (const [name, usesWasi, declared] of [['alltypes', false, false], ['calls', false, true], ['wasi', true, false]]) {
    const bytes = readFileSync(path.join(E2E_OUT, `${name}.wasm`));
    const wasmImports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    assert.equal(wasmImports.some((i) => i.module === 'wasi_snapshot_preview1'), usesWasi);
    assert.equal(wasmImports.some((i) => i.module === `wasmgen:${name}`), declared);
    const dir = path.join(E2E_OUT, `no-wasi-${name}`);
    mkdirSync(dir, { recursive: true });
    for (const f of [`${name}.mjs`, 'wasmgen-runtime.mjs', `${name}.wasm`]) copyFileSync(path.join(E2E_OUT, f), path.join(dir, f));
    const { instantiate } = await import(pathToFileURL(path.join(dir, `${name}.mjs`)));
    const loading = instantiate(null, declared ? { imports } : {});
    if (usesWasi) await assert.rejects(loading, /wasmgen-wasi\.mjs/);
    else if (declared) assert.equal((await loading).fold([1, 2], 0, 'add', (acc, x) => acc + x), 3);
    else assert.equal((await loading).echo('no WASI'), 'no WASI');
  }
  // Beside its wasmgen-wasi.mjs, the WASI module works.
  const { instantiate } = await import(url('wasi.mjs'));
  const lines = [];
  (await instantiate(null, { stdout: (l) => lines.push(l) })).printLines(1);
  assert.deepEqual(lines, ['line 0']);
});

// The part for handles nobody frees and options.debug (wasmgen-unfreed.mjs):
// loaded at instantiate() when an option needs it from the first handle,
// otherwise once unfreed handles hold 16 MiB, and never by a program that
// frees its handles.
test('wasmgen-unfreed.mjs is loaded only for options that need it, or once unfreed handles hold 16 MiB', async () => {
  const MiB = 1 << 20;
  const dir = path.join(E2E_OUT, 'no-unfreed');
  mkdirSync(dir, { recursive: true });
  for (const f of ['alltypes.mjs', 'wasmgen-runtime.mjs', 'alltypes.wasm']) copyFileSync(path.join(E2E_OUT, f), path.join(dir, f));
  const { instantiate } = await import(pathToFileURL(path.join(dir, 'alltypes.mjs')));
  for (const options of [{ debug: true }, { gcPressure: 1 }, { gcPressure: 0.5 }, { warnBytes: 1000 }])
    await assert.rejects(instantiate(null, options), {
      name: 'TypeError',
      message: /^instantiate: options\.debug, gcPressure and warnBytes need wasmgen-unfreed\.mjs beside wasmgen-runtime\.mjs, which could not be loaded: /,
    }, JSON.stringify(options));
  const errors = [];
  const m = await instantiate(null, { warnBytes: 64 * MiB, gcPressure: 0, onError: (e, what) => errors.push([what, e.message]) });
  const settle = async (done, rounds = 100) => {
    for (let i = 0; i < rounds && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  // Freed handles, 100 MiB of them, and 15 MiB held: nothing is loaded.
  for (let i = 0; i < 100; i++) m.blank(MiB).free();
  const held = Array.from({ length: 15 }, () => m.blank(MiB));
  assert.equal(m.stats().handleBytes, 15 * MiB);
  await settle(() => errors.length > 0, 20);
  assert.deepEqual(errors, []);
  // Past 16 MiB it is loaded (here it cannot be: the failure is reported, once, and calls go on).
  held.push(m.blank(2 * MiB));
  await settle(() => errors.length > 0);
  assert.equal(errors.length, 1);
  assert.equal(errors[0][0], 'loading wasmgen-unfreed.mjs');
  assert.match(errors[0][1], /wasmgen-unfreed\.mjs/);
  held.push(m.blank(MiB));
  await settle(() => false, 20);
  assert.equal(errors.length, 1);
  held.forEach((h) => h.free());
  assert.equal(m.stats().handleBytes, 0);
  assert.throws(() => m.leaks(), /instantiate with \{ debug: true \}/);
});

test('wasmgen-unfreed.mjs arriving late: handles past options.warnBytes made meanwhile are warned about', async () => {
  const MiB = 1 << 20;
  const warnings = [];
  const { m } = await load('alltypes', { warnBytes: 20 * MiB, onWarning: (s) => warnings.push(s) });
  const held = Array.from({ length: 24 }, () => m.blank(MiB)); // past 16 MiB: asked for, in one synchronous stretch
  assert.deepEqual(warnings, [], 'the part is not there yet');
  for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^wasmgen \(alltypes\): 24\.0 MiB of wasm memory is held by WasmArray handles that were not freed/);
  held.push(m.blank(MiB));
  assert.equal(warnings.length, 1, 'once');
  held.forEach((h) => h.free());
});
