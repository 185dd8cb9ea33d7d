// lean.test.mjs - a module of numbers and strings only (tests/e2e/lean.idl):
// its JS can meet no handle, so the generated module leaves the handles out
// (no handleFeature: no WasmArray, no lifetimes, no element types; see
// compiler/lower.c, module_has_handles) and still behaves as every module:
// the same members, errors naming the function, nothing leaked.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_OUT, load, noLeak } from './helpers.mjs';

test('the module imports no handles and exports no WasmArray or Resource', async () => {
  const js = readFileSync(path.join(E2E_OUT, 'lean.mjs'), 'utf8');
  const code = js.split('\n').filter((l) => !/^\s*(\/\/|\/\*\*|\*)/.test(l)).join('\n'); // (no comments)
  assert.doesNotMatch(code, /handleFeature|WasmArray|Resource|\$T = types/);
  assert.match(code, /^export \{ WasmgenError \} from '\.\/wasmgen-runtime\.mjs';$/m);
  const { mod } = await load('lean');
  assert.deepEqual(Object.keys(mod).sort(), ['WasmgenError', 'instantiate']);
});

test('strings, numbers, throws and string? results work, and leak nothing', async () => {
  const { m, mod } = await load('lean');
  noLeak(m, assert, () => {
    assert.equal(m.repeat('ab', 3, '-'), 'ab-ab-ab');
    assert.equal(m.repeat('é', 2, ''), 'éé');
    assert.equal(m.repeat('x', 0, ','), '');
    assert.equal(m.firstWord('  hello world'), 'hello');
    assert.equal(m.firstWord('   '), null);
    assert.equal(m.half(5), 2.5);
    assert.throws(() => m.repeat('abcd', 1 << 20, ''), (e) => e instanceof mod.WasmgenError && e.code === 7 &&
      e.message === 'repeat: the result would pass 1 MiB (4194304 bytes)');
    assert.throws(() => m.repeat(1, 2, ''), { name: 'TypeError', message: "repeat: parameter 'text' must be a string; got the number 1" });
    assert.throws(() => m.repeat('a', -1, ''), { name: 'RangeError', message: /^repeat: parameter 'times' must be a u32/ });
    assert.throws(() => m.half(), { name: 'TypeError', message: 'half: expected 1 argument, got 0' });
  });
});

test('m.alloc and m.from throw a TypeError naming the module; WasmArray.from too', async () => {
  const { m } = await load('lean');
  const { m: other, mod: otherMod } = await load('alltypes');
  const message = (fn) => `${fn}: module lean takes no arrays`;
  assert.throws(() => m.alloc('f64', 4), { name: 'TypeError', message: message('alloc') });
  assert.throws(() => m.alloc.f64(2), { name: 'TypeError', message: message('alloc.f64') });
  assert.throws(() => m.alloc.u8(2), { name: 'TypeError', message: message('alloc.u8') });
  assert.deepEqual(Object.keys(m.alloc).sort(), Object.keys(other.alloc).sort(), 'the same element types as a module with handles');
  assert.throws(() => m.from(new Float64Array(2)), { name: 'TypeError', message: message('from') });
  assert.throws(() => otherMod.WasmArray.from(new Uint8Array(2), m), { name: 'TypeError', message: message('WasmArray.from') });
  assert.throws(() => m.callback(() => 1), { name: 'TypeError', message: 'callback: module lean takes no callbacks' });
  // A WasmArray of another module, passed for a string, is described as one.
  const h = other.alloc.f64(2);
  assert.throws(() => m.repeat(h, 1, ''), { message: "repeat: parameter 'text' must be a string; got a WasmArray of f64" });
  h.free();
});

test('scope, flush, stats and leaks are there, as in a module with handles', async () => {
  const { m } = await load('lean');
  const { m: other } = await load('alltypes');
  assert.equal(m.scope(() => m.repeat('a', 2, '')), 'aa');
  assert.equal(await m.scope(async () => 7), 7);
  assert.throws(() => m.scope(1), { name: 'TypeError', message: 'scope: expected a function; got the number 1' });
  assert.throws(() => m.scope(() => { throw new RangeError('inner'); }), { name: 'RangeError', message: 'inner' });
  assert.equal(m.flush(), 0);
  const s = m.stats();
  assert.deepEqual(Object.keys(s).sort(), Object.keys(other.stats()).sort());
  assert.equal(s.handleBytes, 0);
  assert.equal(s.pendingFrees, 0);
  assert.ok(s.liveAllocations >= 0 && s.memoryBytes > 0);
  const before = s.totalAllocations;
  m.repeat('long enough to be allocated, not on the stack', 20, ' ');
  assert.ok(m.stats().totalAllocations > before, 'the counters are the allocator\'s');
  assert.throws(() => m.leaks(), /^Error: leaks: instantiate with \{ debug: true \} first$/);
  const { m: debug } = await load('lean', { debug: true });
  assert.deepEqual(debug.leaks(), []);
});

test('options are checked: onError must be a function', async () => {
  await assert.rejects(load('lean', { onError: 5 }),
    { name: 'TypeError', message: 'instantiate: options.onError must be a function; got the number 5' });
});

/** A wasm module exporting an empty function under each of `names` (each section under 128 bytes). */
function wasmExporting(names) {
  const vec = (items) => [items.length, ...items.flat()];
  const section = (id, body) => [id, body.length, ...body];
  const exports = names.map((n) => [...vec([...new TextEncoder().encode(n)]), 0, 0]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, vec([[0x60, 0, 0]])),
    ...section(3, vec([[0]])), ...section(7, vec(exports)), ...section(10, vec([[2, 0, 0x0b]]))]);
}

test('a wasm module without the glue, or without libwasmgen.a, is refused with what it lacks', async () => {
  const { mod } = await load('lean');
  await assert.rejects(mod.instantiate(wasmExporting([])), {
    name: 'TypeError',
    message: 'instantiate: the wasm module lacks the exports wg_f_repeat, wg_f_first_word, wg_f_half: ' +
      'was lean_glue.c compiled into it?',
  });
  await assert.rejects(mod.instantiate(wasmExporting(['wg_f_repeat', 'wg_f_half'])),
    { message: /lacks the exports wg_f_first_word: was lean_glue\.c/ });
  await assert.rejects(mod.instantiate(wasmExporting(['wg_f_repeat', 'wg_f_first_word', 'wg_f_half'])), {
    name: 'TypeError',
    message: 'instantiate: the wasm module lacks wg_version: link it with libwasmgen.a (-lwasmgen)',
  });
});

/** A wasm module importing the function `module`.`name` (and exporting nothing). */
function wasmImporting(module, name) {
  const vec = (items) => [items.length, ...items.flat()];
  const section = (id, body) => [id, body.length, ...body];
  const str = (s) => vec([...new TextEncoder().encode(s)]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, vec([[0x60, 0, 0]])),
    ...section(2, vec([[...str(module), ...str(name), 0, 0]]))]);
}

test('raw imports: what options.wasmImports lacks is refused by name; what it gives is taken', async () => {
  // (The import object of a module importing more than its declared imports is made by the part
  // wasmgen-wasi.mjs, loaded for it: see createRuntime.)
  const { mod } = await load('lean');
  await assert.rejects(mod.instantiate(wasmImporting('env', 'tick')), {
    name: 'TypeError', message: 'instantiate: the wasm module imports what was not provided: env.tick (function)' });
  await assert.rejects(mod.instantiate(wasmImporting('env', 'tick'), { wasmImports: { env: { other() {} } } }),
    { message: /imports what was not provided: env\.tick \(function\)$/ });
  // Given, it is linked: what fails next is the check of the exports.
  await assert.rejects(mod.instantiate(wasmImporting('env', 'tick'), { wasmImports: { env: { tick() {} } } }),
    { message: /^instantiate: the wasm module lacks the exports wg_f_repeat, / });
  // The module's own namespace is not the user's to give: a name its declared imports lack is missing.
  await assert.rejects(mod.instantiate(wasmImporting('wasmgen:lean', 'nothing')),
    { message: 'instantiate: the wasm module imports what was not provided: wasmgen:lean.nothing (function)' });
});
