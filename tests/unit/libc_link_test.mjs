// libc_link_test.mjs - runs libc_link_test.wasm (built from
// libc_link_test.c with libwasmgen) and checks its allocations through the
// wg_stats export.
//
//   LIBC_LINK_WASM=path/to/libc_link_test.wasm node --test tests/unit/libc_link_test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const WASM = process.env.LIBC_LINK_WASM;
const ENOSYS = 52;
const STATS = ['live_count', 'live_bytes', 'peak_bytes', 'heap_bytes',
  'total_allocs', 'total_frees', 'queue_frees'];

async function instantiate() {
  assert.ok(WASM, 'set LIBC_LINK_WASM to the wasm module to test');
  let memory;
  let output = '';
  // Minimal WASI: fd_write collects text so printf works; the rest is ENOSYS.
  const wasi = {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      const view = new DataView(memory.buffer);
      let n = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true);
        const len = view.getUint32(iovs + 8 * i + 4, true);
        output += new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len));
        n += len;
      }
      view.setUint32(nwrittenPtr, n, true);
      return 0;
    },
    proc_exit(code) { throw new Error(`proc_exit(${code})`); },
  };
  const imports = {
    wasi_snapshot_preview1: new Proxy(wasi, {
      get: (target, name) => target[name] ?? (() => ENOSYS),
    }),
  };
  const { instance } = await WebAssembly.instantiate(await readFile(WASM), imports);
  memory = instance.exports.memory;
  instance.exports._initialize?.();
  const stats = () => {
    // size_t is 32 bits on wasm32; re-view memory each time (growth detaches it).
    const words = new Uint32Array(memory.buffer, instance.exports.wg_stats(), STATS.length);
    return Object.fromEntries(STATS.map((name, i) => [name, words[i]]));
  };
  return { exports: instance.exports, memory, stats, output: () => output };
}

test('libc allocations go through the wasmgen heap', async () => {
  const { exports, stats, output } = await instantiate();
  const before = stats();
  assert.equal(exports.run(), 0);
  const after = stats();
  assert.equal(after.live_count, before.live_count);
  assert.equal(after.live_bytes, before.live_bytes);
  assert.ok(after.total_allocs > before.total_allocs, 'run() allocated');
  assert.equal(after.total_allocs - before.total_allocs, after.total_frees - before.total_frees);
  assert.ok(after.heap_bytes > 0 && after.heap_bytes % 16 === 0);
  assert.match(output(), /libc_link_test: hello from wasmgen 42, 6 blocks live/);
});

test('blocks queued from JavaScript are freed at the next allocation', async () => {
  const { exports, memory, stats } = await instantiate();
  const before = stats();
  const ptrs = [exports.wg_alloc(100), exports.wg_alloc(5000)];
  assert.ok(ptrs.every((p) => p !== 0 && p % 16 === 0));
  assert.equal(stats().live_count, before.live_count + 2);
  // What a FinalizationRegistry callback does: write the slot (and its kind,
  // 0 = plain free, in the array after the slots), then bump tail.
  const q = exports.wg_queue();
  for (const p of ptrs) {
    const words = new Uint32Array(memory.buffer, q, 4);
    const [, tail, mask] = words;
    const cap = mask + 1;
    new Uint32Array(memory.buffer, q + 16, cap)[tail & mask] = p;
    new Uint32Array(memory.buffer, q + 16 + 4 * cap, cap)[tail & mask] = 0;
    words[1] = tail + 1;
  }
  assert.equal(exports.run(), 0); // run() allocates, which drains the queue
  const after = stats();
  assert.equal(after.live_count, before.live_count);
  assert.equal(after.queue_frees, before.queue_frees + 3); // ours + run()'s own
  const [head, tail] = new Uint32Array(memory.buffer, q, 2);
  assert.equal(head, tail);
});
