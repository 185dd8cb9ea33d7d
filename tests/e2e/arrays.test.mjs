// arrays.test.mjs - arrays in every mode, strings, handles and memory.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, noLeak, collect } from './helpers.mjs';

const { m, mod } = await load('alltypes');
const { WasmArray, WasmgenError } = mod;

const TYPES = {
  i8: [Int8Array, [-128, -1, 0, 127]],
  u8: [Uint8Array, [0, 1, 255]],
  i16: [Int16Array, [-32768, 0, 32767]],
  u16: [Uint16Array, [0, 65535]],
  i32: [Int32Array, [-(2 ** 31), 0, 2 ** 31 - 1]],
  u32: [Uint32Array, [0, 2 ** 32 - 1]],
  i64: [BigInt64Array, [-(2n ** 63n), 0n, 2n ** 63n - 1n]],
  u64: [BigUint64Array, [0n, 2n ** 64n - 1n]],
  f32: [Float32Array, [-0, 1.5, NaN, Infinity]],
  f64: [Float64Array, [-0, Math.PI, NaN, -Infinity, Number.MAX_VALUE]],
};
const cap = (s) => s[0].toUpperCase() + s.slice(1);
const same = (a, b) => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

for (const [type, [TA, values]] of Object.entries(TYPES)) {
  const one = TA === BigInt64Array || TA === BigUint64Array ? 1n : 1;
  test(`${type}[]: in as typed array, Array and WasmArray; returned as a handle`, () => {
    noLeak(m, assert, () => {
      const fromTyped = m[`copy${cap(type)}`](TA.from(values));
      assert.ok(fromTyped instanceof WasmArray);
      assert.ok(fromTyped.view instanceof TA);
      assert.ok(same(fromTyped.view, values), `${type} typed`);
      const fromArray = m[`copy${cap(type)}`](values);
      assert.ok(same(fromArray.view, values), `${type} Array`);
      // A handle passed back in goes by pointer: the call allocates only its result.
      const before = m.stats().totalAllocations;
      const fromHandle = m[`copy${cap(type)}`](fromTyped);
      assert.equal(m.stats().totalAllocations - before, 1);
      assert.ok(same(fromHandle.view, values), `${type} handle`);
      const empty = m[`copy${cap(type)}`](new TA(0));
      assert.equal(empty.length, 0);
      assert.equal(empty.view.length, 0);
      for (const h of [fromTyped, fromArray, fromHandle, empty]) h.free();
    });
  });

  test(`${type}[]: inout updates typed arrays, Arrays and handles in place`, () => {
    noLeak(m, assert, () => {
      const typed = TA.from([values[0], values[1]]);
      m[`inc${cap(type)}`](typed);
      const expect = TA.from([values[0], values[1]].map((v) => v + one));
      assert.ok(same(typed, expect));
      const plain = [values[0], values[1]];
      m[`inc${cap(type)}`](plain);
      assert.ok(same(plain, expect));
      const h = m[`copy${cap(type)}`]([values[0], values[1]]);
      m[`inc${cap(type)}`](h);
      assert.ok(same(h.view, expect));
      assert.deepEqual(Object.keys(h), []); // worked on in place: nothing written back onto the handle
      h.free();
    });
  });

  test(`${type}[]: out arrays sized by a parameter and by len()`, () => {
    const filled = m[`fill${cap(type)}`](values[1], 5);
    assert.equal(filled.length, 5);
    assert.ok(same(filled.view, new Array(5).fill(values[1])));
    const none = m[`fill${cap(type)}`](values[1], 0);
    assert.equal(none.length, 0);
    const doubled = m[`twice${cap(type)}`](TA.from([one, one + one]));
    const two = one + one;
    assert.ok(same(doubled.view, [two, two * two]));
    for (const h of [filled, none, doubled]) h.free();
  });
}

test('an out array with a literal length', () => {
  const r = m.three(10);
  assert.deepEqual(Array.from(r.view), [10, 11, 12]);
  r.free();
});

test('a typed array of another element type converts, with range checks', () => {
  const r = m.copyF64(new Int32Array([1, -2, 3]));
  assert.deepEqual(Array.from(r.view), [1, -2, 3]);
  r.free();
  assert.throws(() => m.copyU8(new Int16Array([1, -1])), RangeError);
  assert.throws(() => m.copyF64(m.copyF32([1])), /must hold f64 elements; got a WasmArray of f32/);
});

test('strings: UTF-8 round trips, NUL-terminated, embedded NULs kept', () => {
  for (const s of ['', 'a', 'héllo wörld', '😀 4-byte', 'x'.repeat(1024), 'ü'.repeat(70000), '\u0000']) {
    if (!s.includes('\0')) assert.equal(m.echo(s), s);
    assert.equal(m.byteLength(s), Buffer.byteLength(s));
    assert.equal(m.nulTerminated(s), true);
  }
  assert.equal(m.byteLength('a\0b\0c'), 5);
  assert.equal(m.countNul('a\0b\0c'), 2);
  assert.equal(m.concat('wasm', 'gen'), 'wasmgen');
  assert.equal(m.concat('', ''), '');
});

test('strings: lone surrogates become U+FFFD', () => {
  assert.equal(m.echo('a\uD800b'), 'a\uFFFDb');
  assert.equal(m.echo('\uDC00'), '\uFFFD');
  assert.equal(m.byteLength('\uD800'), 3);
});

test('a NULL string from C is null in JS for string?, an error for string', () => {
  assert.equal(m.maybe(false), null);
  assert.equal(m.maybe(true), 'here');
  assert.equal(m.maybeNot(true), 'here');
  assert.throws(() => m.maybeNot(false), (e) => e instanceof WasmgenError &&
    e.message === 'maybeNot: the module returned NULL for a string (declare it string? where it may be)');
});

test('strings are freed after the call', () => {
  noLeak(m, assert, () => {
    for (let i = 0; i < 100; i++) m.concat('a'.repeat(i), 'b');
  });
});

test('a handle: length, byteLength, ptr, toArray, iteration, free, dispose', () => {
  const live = m.stats().liveAllocations;
  const h = m.ramp(4);
  assert.equal(h.length, 4);
  assert.equal(h.byteLength, 32);
  assert.equal(h.type, 'f64');
  assert.ok(h.ptr > 0);
  assert.deepEqual([...h], [0, 1, 2, 3]);
  const copy = h.toArray();
  assert.ok(copy instanceof Float64Array);
  assert.notEqual(copy.buffer, m.memory.buffer);
  assert.equal(m.stats().liveAllocations, live + 1);
  h.free();
  assert.equal(h.freed, true);
  assert.equal(m.stats().liveAllocations, live);
  h.free(); // idempotent
  assert.equal(m.stats().liveAllocations, live);
  assert.throws(() => h.view, /used after free/);
  assert.throws(() => m.copyF64(h), /was freed/);
  assert.deepEqual(Array.from(copy), [0, 1, 2, 3]);
  const d = m.ramp(2);
  d[Symbol.dispose]();
  assert.equal(d.freed, true);
  assert.equal(m.stats().liveAllocations, live);
});

test('an empty array C returns with a buffer is freed at once', () => {
  noLeak(m, assert, () => {
    const e = m.emptyArray();
    assert.equal(e.length, 0);
    assert.equal(e.view.length, 0);
  });
});

test('handles from another instance are refused', async () => {
  const other = (await load('alltypes')).m;
  const h = other.ramp(3);
  assert.throws(() => m.copyF64(h), /another module instance/);
  h.free();
});

test('a handle stays right when memory grows; a view taken before goes stale', () => {
  const h = m.ramp(1000);
  const early = h.view;
  const pages = m.memory.buffer.byteLength;
  assert.equal(m.growHeap(64), 64);
  assert.ok(m.memory.buffer.byteLength >= pages + 32 * 1024 * 1024, 'memory grew');
  assert.equal(early.length, 0, 'the view taken before growth is detached');
  assert.equal(h.view.length, 1000);
  assert.equal(h.view[999], 999);
  h.free();
});

test('returned buffers are freed after GC through the queue', async () => {
  await collect(() => false, 5); // let earlier tests' garbage go first
  m.flush();
  const base = m.stats();
  (() => {
    for (let i = 0; i < 200; i++) m.ramp(1000);
  })();
  assert.equal(m.stats().liveAllocations, base.liveAllocations + 200);
  const seen = await collect(() => m.stats().pendingFrees + m.stats().queueFrees - base.queueFrees >= 200);
  assert.ok(seen, 'finalizers queued every dropped handle');
  m.idI32(0); // entering any export drains the queue
  const after = m.stats();
  assert.equal(after.pendingFrees, 0);
  assert.equal(after.liveAllocations, base.liveAllocations);
  assert.equal(after.queueFrees - base.queueFrees, 200);
});

test('a view keeps its handle alive', async () => {
  await collect(() => false, 5);
  m.flush();
  const base = m.stats().liveAllocations;
  // The view lives in `held` only; each step is a function of its own, so
  // that no stack slot of this one refers to it (JavaScriptCore, in Bun,
  // scans the stack conservatively).
  const held = {};
  (() => { held.view = m.ramp(100).view; })(); // the handle itself is dropped at once
  await collect(() => false, 5);
  m.flush();
  assert.equal(m.stats().liveAllocations, base + 1, 'still allocated while the view is held');
  assert.equal((() => held.view[99])(), 99);
  delete held.view;
  await collect(() => m.stats().pendingFrees > 0);
  m.flush();
  assert.equal(m.stats().liveAllocations, base);
});
