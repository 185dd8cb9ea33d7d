// failures.test.mjs - when wasm memory runs out, and when JS passes what it
// should not: clear errors, nothing leaked, and the module keeps working.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, noLeak } from './helpers.mjs';

const MiB = 1024 * 1024;
// alltypes_small.wasm: the same module, linked with --max-memory=16 MiB.
const { m } = await load('alltypes', {}, 'alltypes_small');

test('out of memory while marshalling a string: RangeError naming the function; nothing leaked', () => {
  noLeak(m, assert, () => {
    assert.throws(() => m.echo('x'.repeat(20 * MiB)),
      (e) => e instanceof RangeError && /^echo: out of wasm memory \(parameter 's' needs \d+ bytes\)$/.test(e.message));
  });
  assert.equal(m.echo('still works'), 'still works');
});

test('out of memory on a later argument frees the earlier ones', () => {
  noLeak(m, assert, () => {
    const big = new Float64Array(MiB); // 8 MiB: fits once, not twice
    assert.throws(() => m.twiceF64(big), /twiceF64: out of wasm memory \(parameter 'r'/);
    assert.throws(() => m.concat('a'.repeat(1000), 'b'.repeat(20 * MiB)), /concat: out of wasm memory \(parameter 'b'/);
  });
});

test('out of memory for an out array or m.alloc', () => {
  noLeak(m, assert, () => {
    assert.throws(() => m.fillF64(1, 4 * MiB), /fillF64: out of wasm memory \(parameter 'r'/);
    assert.throws(() => m.alloc.f64(4 * MiB), /alloc.f64: out of wasm memory/);
  });
  const ok = m.fillU8(7, 1000);
  assert.equal(ok.view[999], 7);
  ok.free();
});

test('when C cannot allocate its result, it returns NULL: an empty array, or an error for a string', () => {
  noLeak(m, assert, () => {
    assert.equal(m.blank(64 * MiB).length, 0);
    assert.equal(m.copyF64(new Float64Array(MiB)).length, 0); // the copy fits, the result does not
    assert.throws(() => m.echo('x'.repeat(9 * MiB)), { name: 'WasmgenError', message: /^echo: the module returned NULL for a string/ });
  });
  assert.equal(m.echo('fine'), 'fine');
});

test('detached buffers are refused', () => {
  const ta = new Float64Array(4);
  structuredClone(ta.buffer, { transfer: [ta.buffer] }); // detaches ta's buffer
  noLeak(m, assert, () => {
    assert.throws(() => m.copyF64(ta), { name: 'TypeError', message: "copyF64: parameter 'a' is a Float64Array whose buffer is detached" });
    assert.throws(() => m.incF64(ta), TypeError);
  });
});
