// run.mjs - `make bench`: every workload of BENCHMARKS.md against its peers,
// in one process, as ratios. Writes bench/results.json and the results
// section of BENCHMARKS.md. Run by bench.mk (node --expose-gc).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pair, median, QUICK } from './harness.mjs';
import { handPeer } from './peers/hand.mjs';
import { jetblackPeer } from './peers/jetblack.mjs';
import { embindPeer } from './peers/embind.mjs';
import { webidlPeer } from './peers/webidl.mjs';
import { jcoPeers } from './peers/jco.mjs';
import { writeReport } from './report.mjs';

const OUT = path.resolve(process.env.BENCH_OUT ?? 'build/bench');
const WASMGEN = path.resolve(process.env.WASMGEN ?? 'build/wasmgen');
const started = performance.now();

const { instantiate } = await import(`${OUT}/gen/bench.mjs`);
const m = await instantiate(fs.readFileSync(`${OUT}/gen/bench.wasm`));
const rt = m.runtime;
const hand = handPeer(m.exports);
const jet = jetblackPeer(m.exports);
const emb = await embindPeer(`${OUT}/embind`);
if (emb.error) console.log(`bench: Embind peer unavailable: ${emb.error}`);
const idl = await webidlPeer(`${OUT}/webidl`);
if (idl.error) console.log(`bench: WebIDL binder peer unavailable: ${idl.error}`);
// The jco peers, one per pinned version; keys name it by major_minor (jco_1_35).
const jcoAll = await jcoPeers(`${OUT}/jco`);
for (const j of jcoAll) if (j.error) console.log(`bench: jco ${j.version} peer unavailable: ${j.error}`);
const jcos = jcoAll.filter((j) => !j.error).map((j) => ({ ...j, key: `jco_${j.version.split('.').slice(0, 2).join('_')}` }));

const ratios = {};
let sink = 0; // results go here so that no call is optimized away

/** Run pair(a, b), keep it under `key` with its target, print a line. */
function measure(key, a, b, target, opts) {
  const r = pair(a, b, opts);
  const [op, limit] = target ?? [];
  const met = op === undefined ? null : op === '<=' ? r.median <= limit : r.median >= limit;
  ratios[key] = { ...r, target: op ? `${op} ${limit}` : null, met };
  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3));
  console.log(`${key.padEnd(40)} ${fmt(r.median).padStart(8)}  [${fmt(r.min)}-${fmt(r.max)}]` +
    `${op ? `  target ${op} ${limit}: ${met ? 'met' : 'MISSED'}` : ''}`);
}
const loop = (f) => (n) => { for (let i = 0; i < n; i++) sink += f(i) ? 1 : 0; };
const withEmbind = (f) => (emb.error ? null : f());
const withWebidl = (f) => (idl.error ? null : f());

// ---- 1. Scalar call
// Both sides call a function held in a local: the raw side does not pay
// for looking up m.exports (a getter) on each call, nor wasmgen's for m.add.
const wgAdd = m.add, rawAdd = m.exports.raw_add;
measure('scalar_call_vs_raw', loop((i) => wgAdd(i, 1)), loop((i) => rawAdd(i, 1)), ['<=', 1.15]);
measure('scalar_call_jetblack_over_wasmgen', loop((i) => jet.add(i, 1)), loop((i) => m.add(i, 1)));
withEmbind(() => measure('scalar_call_embind_over_wasmgen', loop((i) => emb.add(i, 1)), loop((i) => m.add(i, 1))));
withWebidl(() => {
  if (idl.add(2147483647, 1) !== m.add(2147483647, 1) || idl.add(-5, 3) !== m.add(-5, 3)) throw new Error('add: WebIDL peer disagrees');
  measure('scalar_call_webidl_over_wasmgen', loop((i) => idl.add(i, 1)), loop((i) => m.add(i, 1)));
});
for (const j of jcos) {
  if (j.add(-2, 2147483647) !== m.add(-2, 2147483647)) throw new Error(`add: jco ${j.version} disagrees`);
  measure(`scalar_call_${j.key}_over_wasmgen`, loop((i) => j.add(i, 1)), loop((i) => m.add(i, 1)));
}

// ---- 2, 3. Strings: ASCII text in, reversed text out
const text = (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join('');
for (const [name, n] of [['16', 16], ['1k', 1024], ['64k', 65536]]) {
  const s = text(n);
  if (m.reverse(s) !== hand.reverse(s) || jet.reverse(s) !== m.reverse(s) || jcos.some((j) => j.reverse(s) !== m.reverse(s)))
    throw new Error(`reverse ${name}: peers disagree`);
  const w = loop(() => m.reverse(s).length);
  measure(`string_${name}_vs_hand`, w, loop(() => hand.reverse(s).length), name === '16' ? undefined : ['<=', 1.3]);
  measure(`string_${name}_jetblack_over_wasmgen`, loop(() => jet.reverse(s).length), w, name === '1k' ? ['>=', 2] : undefined);
  withEmbind(() => measure(`string_${name}_embind_over_wasmgen`, loop(() => emb.reverse(s).length), w,
    name === '1k' ? ['>=', 5] : undefined));
  withWebidl(() => {
    if (idl.reverse(s) !== m.reverse(s)) throw new Error(`reverse ${name}: WebIDL peer disagrees`);
    measure(`string_${name}_webidl_over_wasmgen`, loop(() => idl.reverse(s).length), w);
  });
  for (const j of jcos) measure(`string_${name}_${j.key}_over_wasmgen`, loop(() => j.reverse(s).length), w);
}

// ---- 4. A 1M-element Float64Array in, its sum out
const MEG = 1 << 20;
const big = Float64Array.from({ length: MEG }, (_, i) => (i % 1000) / 7);
const total = m.sum(big);
if (total !== hand.sum(big) || total !== jet.sum(big) || jcos.some((j) => j.sum(big) !== total)) throw new Error('sum: peers disagree');
const wsum = loop(() => m.sum(big));
measure('array_in_1m_vs_hand', wsum, loop(() => hand.sum(big)), ['<=', 1.1]);
measure('array_in_1m_jetblack_over_wasmgen', loop(() => jet.sum(big)), wsum);
withEmbind(() => measure('array_in_1m_embind_over_wasmgen', loop(() => emb.sum(big)), wsum));
withWebidl(() => {
  if (idl.sum(big) !== total) throw new Error('sum: WebIDL peer disagrees');
  measure('array_in_1m_webidl_over_wasmgen', loop(() => idl.sum(big)), wsum);
});
for (const j of jcos) measure(`array_in_1m_${j.key}_over_wasmgen`, loop(() => j.sum(big)), wsum);

// ---- 5. Returning a buffer: a handle (freed each time) vs copy-then-free
const handle = (n) => loop(() => { const h = m.make(n); const v = h.view[n - 1]; h.free(); return v; });
measure('return_8m_over_1k', handle(8 * MEG), handle(1024), ['<=', 2]);
measure('copy_return_8m_over_handle', loop(() => hand.makeCopy(8 * MEG)[0]), handle(8 * MEG), ['>=', 50]);
measure('copy_return_8m_jetblack_over_handle', loop(() => jet.makeCopy(8 * MEG)[0]), handle(8 * MEG), ['>=', 50]);
withEmbind(() => measure('copy_return_8m_embind_over_handle', loop(() => emb.makeCopy(8 * MEG)[0]), handle(8 * MEG)));
withWebidl(() => {
  const c = idl.makeCopy(8 * MEG), h = m.make(8 * MEG);
  const same = c.length === h.byteLength && c[0] === h.view[0] && c[8 * MEG - 1] === h.view[8 * MEG - 1];
  h.free();
  if (!same) throw new Error('make: WebIDL peer disagrees');
  measure('copy_return_8m_webidl_over_handle', loop(() => idl.makeCopy(8 * MEG)[0]), handle(8 * MEG));
});
for (const j of jcos) {
  const c = j.makeCopy(8 * MEG);
  if (c.length !== 8 * MEG || c[0] !== 1 || c[8 * MEG - 1] !== 2) throw new Error(`make: jco ${j.version} returned a wrong list`);
  measure(`copy_return_8m_${j.key}_over_handle`, loop(() => j.makeCopy(8 * MEG)[0]), handle(8 * MEG));
}

// ---- 6. scale(add(a, b), 2) on 1M elements, ending with a JS-owned result
const a = big, b = big.map((v) => v + 1);
const chainHandles = loop(() => {
  const s = m.vadd(a, b), r = m.vscale(s, 2), out = r.toArray();
  s.free(); r.free();
  return out[1];
});
const chainCopies = loop(() => {
  const s = m.vadd(a, b), sc = s.toArray(); s.free();
  const r = m.vscale(sc, 2), out = r.toArray(); r.free();
  return out[1];
});
measure('chain_handles_vs_copies', chainHandles, chainCopies);
measure('chain_handles_vs_hand', chainHandles, loop(() => hand.chain(a, b, 2)[1]));
measure('chain_jetblack_over_handles', loop(() => jet.chain(a, b, 2)[1]), chainHandles);
withEmbind(() => measure('chain_embind_over_handles', loop(() => emb.chain(a, b, 2)[1]), chainHandles));
withWebidl(() => {
  const want = hand.chain(a, b, 2), got = idl.chain(a, b, 2);
  if (got.length !== want.length || got.some((v, i) => v !== want[i])) throw new Error('chain: WebIDL peer disagrees');
  measure('chain_webidl_over_handles', loop(() => idl.chain(a, b, 2)[1]), chainHandles);
});

// ---- 7. Freeing through the finalizer queue vs free() per handle.
// The queue path is timed as the runtime does it after a GC: the registry's
// callback (rt.life.enqueue, a store into the ring) for each buffer, then one
// drain (m.flush(), as the next call's WG_ENTER would). Setup, untimed, makes
// the handles and takes them off the registry, as a finalization does.
const makeHandles = (n) => Array.from({ length: n }, () => m.make(64));
// The timed side must have freed every handle through the queue (a held value
// the runtime no longer takes would make it free nothing, and look fast).
{
  const before = m.stats().liveAllocations;
  const held = makeHandles(100).map((h) => { rt.life.registry.unregister(h); return [h.ptr, h.byteLength, 0, 0]; });
  for (const h of held) rt.life.enqueue(h);
  m.flush();
  if (m.stats().liveAllocations !== before) throw new Error('finalizer_free_vs_explicit: enqueue freed nothing');
}
measure('finalizer_free_vs_explicit',
  (n, held) => { for (const h of held) rt.life.enqueue(h); m.flush(); },
  (n, hs) => { for (const h of hs) h.free(); },
  undefined,
  {
    // the registry's held value, as Lifetime.adopt makes it: [ptr, bytes, kind, given back]
    setupA: (n) => makeHandles(n).map((h) => { rt.life.registry.unregister(h); return [h.ptr, h.byteLength, 0, 0]; }),
    setupB: makeHandles,
  });
// Reality check: handles dropped and collected by a real gc() are freed through the queue.
{
  const before = m.stats().queueFrees;
  makeHandles(1000);
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 50));
  m.flush();
  ratios.finalizer_free_vs_explicit.gcCheck = `${m.stats().queueFrees - before} of 1000 dropped handles freed through the queue after gc()`;
}

// ---- 11. Real workloads (issue 15)
// A list of 10,000 small structs (f64, short string, enum) through the
// specialized reader, over the same list built and freed by C alone.
{
  const N = 10000;
  const l = m.items(N);
  if (l.length !== N || l[123].label !== 'item-123' || l[124].grade !== 'mid') throw new Error('items: wrong list');
  measure('struct_list_10k_vs_c_only', loop(() => m.items(N).length), loop(() => m.exports.raw_items_free(N)));
  ratios.struct_list_10k_vs_c_only.usPerStructA = ratios.struct_list_10k_vs_c_only.nsPerOpA / N / 1000;
}
// A 4-megapixel RGBA image (16 MiB) made by C, consumed by JS (a read of
// every 4096th byte): a handle (view, free) vs copy-out (toArray, free) vs
// the hand-written copy (slice, free).
{
  const W = 2048, H = 2048, BYTES = W * H * 4;
  const consume = (v) => { let s = 0; for (let i = 0; i < v.length; i += 4096) s += v[i]; return s; };
  const viaHandle = loop(() => { const h = m.image(W, H); const s = consume(h.view); h.free(); return s; });
  const viaCopy = loop(() => { const h = m.image(W, H); const c = h.toArray(); h.free(); return consume(c); });
  const viaHand = loop(() => {
    const p = m.exports.raw_image(W, H);
    const c = new Uint8Array(m.exports.memory.buffer, p, BYTES).slice();
    m.exports.raw_free(p);
    return consume(c);
  });
  measure('image_16m_copy_over_handle', viaCopy, viaHandle);
  measure('image_16m_handle_vs_hand_copy', viaHandle, viaHand);
}
// Bytes in: a 4 MiB Node Buffer and a Uint8ClampedArray as u8[], over a Uint8Array.
{
  const n = 4 * MEG;
  const u8 = Uint8Array.from({ length: n }, (_, i) => i * 13);
  const buf = Buffer.from(u8), clamped = new Uint8ClampedArray(u8);
  if (m.bytesum(buf) !== m.bytesum(u8) || m.bytesum(clamped) !== m.bytesum(u8)) throw new Error('bytesum: inputs disagree');
  const viaU8 = loop(() => m.bytesum(u8));
  measure('bytes_in_4m_buffer_vs_uint8array', loop(() => m.bytesum(buf)), viaU8, ['<=', 1.1]);
  measure('bytes_in_4m_clamped_vs_uint8array', loop(() => m.bytesum(clamped)), viaU8, ['<=', 1.1]);
}

// ---- 13. C calling JS: a callback's round trip (found through its user data,
// or, without, as the call's innermost) over an import's, 1000 calls per call.
{
  const c = await (await import(`${OUT}/calls/calls.mjs`)).instantiate(fs.readFileSync(`${OUT}/calls/calls.wasm`),
    { imports: { tick: (i) => i } });
  const N = 1000, want = (N * (N - 1)) / 2;
  if (c.callImport(N) !== want || c.callBack(N, (i) => i) !== want || c.callBackPlain(N, (i) => i) !== want)
    throw new Error('calls: wrong sums');
  const fn = (i) => i;
  measure('callback_roundtrip_vs_import', loop(() => c.callBack(N, fn)), loop(() => c.callImport(N)), ['<=', 2]);
  measure('callback_plain_roundtrip_vs_import', loop(() => c.callBackPlain(N, fn)), loop(() => c.callImport(N)), ['<=', 2]);
  measure('callback_new_function_vs_import', loop(() => c.callBack(N, (i) => i)), loop(() => c.callImport(N)));
}

// ---- 8. The allocator: wasmgen's vs wasi-libc's dlmalloc, on one trace
async function allocModule(file) {
  const bytes = fs.readFileSync(file);
  const mod = await WebAssembly.compile(bytes);
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) (imports[imp.module] ??= {})[imp.name] = () => 0;
  const inst = await WebAssembly.instantiate(mod, imports);
  inst.exports._initialize?.();
  return { run: inst.exports.run, fileBytes: bytes.length, codeBytes: codeSection(bytes) };
}
function codeSection(bytes) {
  let at = 8;
  const leb = () => { let v = 0, s = 0, b; do { b = bytes[at++]; v |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return v >>> 0; };
  while (at < bytes.length) {
    const id = bytes[at++], size = leb();
    if (id === 10) return size;
    at += size;
  }
  return 0;
}
const wgAlloc = await allocModule(`${OUT}/alloc_wasmgen.wasm`);
const dlAlloc = await allocModule(`${OUT}/alloc_dlmalloc.wasm`);
if (wgAlloc.run(10000, 7) !== dlAlloc.run(10000, 7)) throw new Error('alloc trace: checksums differ');
const STEPS = 1000;
measure('alloc_vs_dlmalloc', loop((i) => wgAlloc.run(STEPS, 1 + (i & 7))), loop((i) => dlAlloc.run(STEPS, 1 + (i & 7))), ['<=', 1.0]);
ratios.alloc_vs_dlmalloc.opIs = `${STEPS} trace steps`;
const alloc = {
  wasmgen: { fileBytes: wgAlloc.fileBytes, codeSectionBytes: wgAlloc.codeBytes },
  dlmalloc: { fileBytes: dlAlloc.fileBytes, codeSectionBytes: dlAlloc.codeBytes },
};
console.log(`alloc code size: wasmgen ${wgAlloc.codeBytes} B code (${wgAlloc.fileBytes} B module), ` +
  `dlmalloc ${dlAlloc.codeBytes} B code (${dlAlloc.fileBytes} B module)`);

// ---- 9. The compiler on generated IDL: bench/compiler.mjs, in a fresh Node
// process. Spawned from this one, whose heap has grown by hundreds of MiB
// with the workloads above, each compile would also pay for forking that
// heap (20 - 30 ms; 3 - 8 ms from a fresh process), which is not the compiler's.
let compiler;
{
  const r = spawnSync(process.execPath, [new URL('./compiler.mjs', import.meta.url).pathname], {
    encoding: 'utf8', env: { ...process.env, BENCH_OUT: OUT, WASMGEN, QUICK: QUICK ? '1' : '0' } });
  if (r.status !== 0) throw new Error(`compiler.mjs failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  compiler = JSON.parse(lines.pop());
  for (const line of lines) console.log(line);
}

// ---- 10. The native host: the same module through wasm2c, called from C
// (bench/host_bench.c, its own process: host vs the same C called natively,
// paired as here), and against Node calling the module (the JS side's time
// per call, measured here on the same calls; a ratio across two processes).
const f1k = Float64Array.from({ length: 1024 }, (_, i) => (i % 1000) / 7);
measure('array_in_1k_vs_hand', loop(() => m.sum(f1k)), loop(() => hand.sum(f1k)));
// bench/host_handles.c: the host's time per cJSON node in a tree of 100,000
// over that in a tree of 10,000 (1: a constant cost per handle; 10: each
// operation walked every live handle, as wg_host_own did).
const hostLines = [];
for (const prog of ['host_bench', 'host_handles']) {
  const run = spawnSync(`${OUT}/${prog}`, [], { encoding: 'utf8', env: { ...process.env, QUICK: QUICK ? '1' : '0' } });
  if (run.status !== 0) throw new Error(`${prog} failed: ${run.stderr}`);
  hostLines.push(...run.stdout.trim().split('\n'));
}
const hostTargets = { host_scalar_vs_native: ['<=', 10], host_handles_100k_over_10k: ['<=', 3] };
for (const line of hostLines) {
  const r = JSON.parse(line);
  const [op, limit] = hostTargets[r.key] ?? [];
  const met = op === undefined ? null : r.median <= limit;
  ratios[r.key] = { median: r.median, min: r.min, max: r.max, rounds: r.rounds, nsPerOpA: r.nsPerOpA, nsPerOpB: r.nsPerOpB,
                    target: op ? `${op} ${limit}` : null, met };
  console.log(`${r.key.padEnd(40)} ${r.median.toFixed(3).padStart(8)}  [${r.min.toFixed(3)}-${r.max.toFixed(3)}]` +
    `  ${r.nsPerOpA.toFixed(1)} ns vs ${r.nsPerOpB.toFixed(1)} ns${op ? `  target ${op} ${limit}: ${met ? 'met' : 'MISSED'}` : ''}`);
}
for (const [name, host, node, target] of [
  ['scalar', 'host_scalar_vs_native', 'scalar_call_vs_raw', 1],
  ['string_16', 'host_string_16_vs_native', 'string_16_vs_hand', null],
  ['array_in_1k', 'host_array_in_1k_vs_native', 'array_in_1k_vs_hand', null]]) {
  const h = ratios[host].nsPerOpA, n = ratios[node].nsPerOpA, ratio = h / n;
  ratios[`host_${name}_vs_node`] = { median: ratio, min: ratio, max: ratio, rounds: 1, nsPerOpA: h, nsPerOpB: n,
    target: target === null ? null : `<= ${target}`, met: target === null ? null : ratio <= target,
    note: 'medians of two processes: the host (host_bench) over Node (this run)' };
  console.log(`${`host_${name}_vs_node`.padEnd(40)} ${ratio.toFixed(3).padStart(8)}  ${h.toFixed(1)} ns vs Node ${n.toFixed(1)} ns`);
}

// ---- 12. Finalization without scopes: 10,000 x 1 MiB dropped, yielding every
// 100 calls, over the same loop with m.scope() around each 100 calls. Each run
// in a fresh process (bench/finalize.mjs, no --expose-gc), alternating.
let finalization = null;
{
  const run = (mode) => {
    const r = spawnSync(process.execPath, [new URL('./finalize.mjs', import.meta.url).pathname, OUT, mode], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`finalize.mjs ${mode} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const rounds = QUICK ? 3 : 7, rs = [], free = [], scoped = [];
  for (let i = 0; i < rounds; i++) {
    const [f, s] = i % 2 === 0 ? [run('free'), run('scoped')] : [run('scoped'), run('free')].reverse();
    free.push(f); scoped.push(s); rs.push(f.ms / s.ms);
  }
  const med = median(rs), peak = Math.max(...free.map((r) => r.peakMiB));
  ratios.finalization_vs_scoped = { median: med, min: Math.min(...rs), max: Math.max(...rs), rounds,
    nsPerOpA: median(free.map((r) => r.ms)) * 1e6, nsPerOpB: median(scoped.map((r) => r.ms)) * 1e6,
    target: '<= 1.5', met: med <= 1.5 };
  finalization = { peakMiB: free.map((r) => Math.round(r.peakMiB)), memoryMiB: free.map((r) => Math.round(r.memoryMiB)),
    scopedPeakMiB: Math.max(...scoped.map((r) => Math.round(r.peakMiB))), target: '<= 256', met: peak <= 256 };
  console.log(`${'finalization_vs_scoped'.padEnd(40)} ${med.toFixed(3).padStart(8)}  [${Math.min(...rs).toFixed(3)}-${Math.max(...rs).toFixed(3)}]` +
    `  target <= 1.5: ${med <= 1.5 ? 'met' : 'MISSED'}; peak ${Math.round(peak)} MiB (target <= 256: ${peak <= 256 ? 'met' : 'MISSED'})`);
}

// ---- Results
const version = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim(); } catch { return null; } };
const results = {
  generated: new Date().toISOString(),
  quick: QUICK,
  seconds: Math.round((performance.now() - started) / 1000),
  machine: {
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`, node: process.version, v8: process.versions.v8,
    clang: version('clang', ['--version']), emcc: version('emcc', ['--version']),
  },
  peers: {
    hand: 'hand-written over raw exports (bench/peers/hand.mjs)',
    jetblack: `@jetblack/wasi-marshalling ${JSON.parse(fs.readFileSync(new URL('./node_modules/@jetblack/wasi-marshalling/package.json', import.meta.url))).version}`,
    embind: emb.error ? `unavailable: ${emb.error}` : 'Embind, emcc -O2 --bind',
    webidl: idl.error ? `unavailable: ${idl.error}` : "Emscripten's WebIDL binder (tools/webidl_binder.py), emcc -O2",
    jco: jcoAll.map((j) => `jco ${j.version}${j.error ? ` unavailable: ${j.error}` : ''}`).join(', '),
  },
  ratios,
  alloc,
  compiler,
  finalization,
};
const resultsFile = new URL('./results.json', import.meta.url);
fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
writeReport(results, new URL('../BENCHMARKS.md', import.meta.url));
console.log(`bench: ${sink > 0 ? '' : ''}wrote bench/results.json and BENCHMARKS.md in ${results.seconds} s`);
