// shadow.test.mjs - functions and parameters named like the runtime's own
// names (malloc, free, memory, stats, alloc, from) work, in C and in JS, and
// the runtime's members stay reachable through m.runtime.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const { m } = await load('shadow');

test('the module\'s functions win over the runtime members they are named like', () => {
  const block = m.malloc(16);
  assert.equal(block.view[15], 0xab);
  m.free(block); // the IDL function, which takes the array
  assert.equal(block.freed, false);
  assert.equal(m.memory(6, 7), 42);
  assert.equal(m.stats('malloc'), 'malloc');
  assert.equal(m.alloc(3).length, 3);
  assert.equal(m.from([1, 2, 3]), 3);
  block.free();
});

test('the runtime members stay reachable as m.runtime.NAME', () => {
  const r = m.runtime;
  assert.ok(r.memory instanceof WebAssembly.Memory);
  r.flush(); // what finalizers queued between the tests (the handle m.alloc(3) dropped above) is freed first
  const before = r.stats().liveAllocations;
  const a = r.alloc.f64(4);
  const b = r.from(new Uint8Array([1, 2]));
  assert.equal(r.stats().liveAllocations, before + 2);
  assert.equal(r.scope(() => r.alloc('u8', 1).length), 1);
  a.free();
  b.free();
  r.flush();
  assert.equal(r.stats().liveAllocations, before);
  assert.equal(typeof m.flush, 'function'); // not shadowed: still on m
});
