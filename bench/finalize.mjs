// finalize.mjs - workload 12, one run in a fresh process (run.mjs spawns it,
// without --expose-gc): 10,000 calls each returning a 1 MiB buffer that
// nobody frees, yielding to the event loop (setTimeout 0) every 100 calls;
// `scoped`: the same loop with m.scope() around each 100 calls. Prints
// {"ms", "peakMiB", "memoryMiB"}: the loop's wall time, the live wasm bytes
// the allocator saw at its peak (over those before the loop), and the wasm
// memory at the end.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const [out, mode] = process.argv.slice(2);
const { instantiate } = await import(`${out}/gen/bench.mjs`);
const m = await instantiate(fs.readFileSync(`${out}/gen/bench.wasm`), { warnBytes: Infinity });
const MiB = 1 << 20;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const stretch = () => { for (let j = 0; j < 100; j++) if (m.make(MiB).length !== MiB) throw new Error('short'); };

async function loop() {
  for (let i = 0; i < 100; i++) {
    if (mode === 'scoped') m.scope(stretch);
    else stretch();
    await tick();
  }
}
m.flush();
const base = m.stats().liveBytes;
const t0 = performance.now();
await loop();
const ms = performance.now() - t0;
const s = m.stats();
console.log(JSON.stringify({ ms, peakMiB: (s.peakBytes - base) / MiB, memoryMiB: s.memoryBytes / MiB }));
