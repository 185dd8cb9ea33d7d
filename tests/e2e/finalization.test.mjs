// finalization.test.mjs - proof 3: handles nobody frees are freed through the
// FinalizationRegistry and the queue, and what that costs in peak memory.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE, load, collect, gc } from './helpers.mjs';

const MiB = 1024 * 1024;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// The loop, in a function of its own: an async function's frame keeps its
// last handle reachable until it returns.
async function loop(m, withGc, base) {
  let peak = 0, retained = 0;
  for (let i = 1; i <= 10000; i++) {
    const h = m.blank(MiB);
    assert.equal(h.length, MiB, `call ${i} got its 1 MiB`);
    if (i % 100 === 0) {
      peak = Math.max(peak, m.stats().liveBytes - base.liveBytes);
      if (withGc) gc();
      await tick();
      m.flush();
      retained = Math.max(retained, m.stats().liveBytes - base.liveBytes);
    }
  }
  return { peak, retained };
}

async function run(m, withGc) {
  m.flush();
  const base = m.stats();
  const { peak, retained } = await loop(m, withGc, base);
  const settled = await collect(() => m.stats().liveAllocations - base.liveAllocations <= m.stats().pendingFrees);
  m.flush();
  return { base, end: m.stats(), peak, retained, settled };
}

// Nothing can be freed inside a synchronous stretch: finalizers run only
// between tasks. So the peak is at least one stretch's garbage (100 MiB
// here); what the GC bounds is what survives each yield.
test('proof 3a: finalization only, gc() every 100 calls: at most 64 MiB survives a yield, nothing left', async () => {
  const { m } = await load('alltypes');
  const { base, end, peak, retained, settled } = await run(m, true);
  console.log(`finalization with gc() every 100 calls: peak live ${(peak / MiB).toFixed(0)} MiB, ` +
              `at most ${(retained / MiB).toFixed(0)} MiB live after each yield, ` +
              `wasm memory ${(end.memoryBytes / MiB).toFixed(0)} MiB, ${end.queueFrees - base.queueFrees} frees through the queue`);
  assert.ok(settled);
  assert.ok(retained <= 64 * MiB, `retained ${retained / MiB} MiB`);
  assert.ok(peak <= 128 * MiB, `peak ${peak / MiB} MiB`);
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.liveBytes, base.liveBytes);
  assert.equal(end.queueFrees - base.queueFrees, 10000);
});

// The default ballast (Lifetime.adopt: once unfreed handles hold 64 MiB)
// keeps this loop near 0.4 GiB; without it, 1.8 GiB (gcPressure: 0 below).
test('proof 3b: finalization only, no explicit GC: the default ballast bounds the peak, nothing left at the end', async () => {
  const { m } = await load('alltypes', { warnBytes: Infinity });
  const { base, end, peak, retained, settled } = await run(m, false);
  console.log(`finalization without explicit GC: peak live ${(peak / MiB).toFixed(0)} MiB, ` +
              `at most ${(retained / MiB).toFixed(0)} MiB live after a yield, ` +
              `wasm memory ${(end.memoryBytes / MiB).toFixed(0)} MiB`);
  assert.ok(settled);
  // The bound rests on Node's V8 heuristics; Deno and Bun collect when they
  // will (Deno peaks near 3 GiB here): there only the end state is asserted.
  if (ENGINE === 'node') assert.ok(peak <= 1024 * MiB, `peak ${peak / MiB} MiB`);
  assert.equal(end.liveAllocations, base.liveAllocations);
  assert.equal(end.liveBytes, base.liveBytes);
});

test('options.gcPressure: dropped large handles are collected sooner without explicit GC', async () => {
  const { m } = await load('alltypes', { gcPressure: 1, warnBytes: Infinity });
  const { base, end, peak, retained, settled } = await run(m, false);
  console.log(`finalization with gcPressure 1: peak live ${(peak / MiB).toFixed(0)} MiB, ` +
              `at most ${(retained / MiB).toFixed(0)} MiB live after a yield, ` +
              `wasm memory ${(end.memoryBytes / MiB).toFixed(0)} MiB`);
  assert.ok(settled);
  // gcPressure works on V8's heuristics as Node sets it up; Deno's V8 and
  // JavaScriptCore (Bun) collect when they will: there only the end state.
  if (ENGINE === 'node') assert.ok(peak <= 768 * MiB, `peak ${peak / MiB} MiB`);
  assert.equal(end.liveAllocations, base.liveAllocations);
  await assert.rejects(load('alltypes', { gcPressure: 2 }), TypeError);
});
