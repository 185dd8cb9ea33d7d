// compiler.mjs - workload 9, the compiler on generated IDL, in a fresh Node
// process (run.mjs spawns it; a process with a large heap pays for forking
// it at every spawn). Each compile is spawned through /usr/bin/time, which
// reports the peak RSS. Prints one line per size and shape, then the
// results as JSON on the last line.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { median, QUICK } from './harness.mjs';

const OUT = path.resolve(process.env.BENCH_OUT ?? 'build/bench');
const WASMGEN = path.resolve(process.env.WASMGEN ?? 'build/wasmgen');

function idlOf(n) {
  const shapes = [
    (i) => `/// Function ${i}.\nf64[] fn_${i}(f64[] a, f64[] b);`,
    (i) => `string fn_${i}(string text, i32 count);`,
    (i) => `i32 fn_${i}(i32 numerator, i32 denominator, out i32 remainder);`,
    (i) => `void fn_${i}(u8[] data, out f32[len(data)] result, inout i64[] state, bool flag);`,
  ];
  const lines = ['module gen;'];
  for (let i = 0; i < n; i++) lines.push(shapes[i % shapes.length](i));
  return lines.join('\n') + '\n';
}
const compiler = { runs: [] };
const cdir = `${OUT}/compiler`;
fs.mkdirSync(`${cdir}/out`, { recursive: true });
for (const n of [100, 1000, 10000, 100000]) {
  const idl = `${cdir}/gen_${n}.idl`;
  fs.writeFileSync(idl, idlOf(n));
  const ms = [], kb = [];
  for (let r = 0; r < (QUICK ? 3 : 7); r++) {
    const t0 = performance.now();
    const p = spawnSync('/usr/bin/time', ['-f', '%M', WASMGEN, '-o', `${cdir}/out`, idl], { encoding: 'utf8' });
    ms.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`wasmgen on ${n} functions failed: ${p.stderr}`);
    kb.push(Number(p.stderr.trim().split('\n').pop()));
  }
  const run = { functions: n, idlBytes: fs.statSync(idl).size, ms: median(ms), minMs: Math.min(...ms),
                maxMs: Math.max(...ms), peakKiB: median(kb) };
  run.usPerFunction = (run.ms * 1000) / n;
  compiler.runs.push(run);
  console.log(`compiler ${String(n).padStart(6)} functions: ${run.ms.toFixed(1)} ms [${run.minMs.toFixed(1)}-${run.maxMs.toFixed(1)}], ` +
    `peak ${(run.peakKiB / 1024).toFixed(1)} MiB, ${run.usPerFunction.toFixed(2)} us/function`);
}
// The other dimensions: one struct of 100,000 fields; 20,000 structs each
// holding the one before by value (the layout walk and the struct order).
function timeCompile(name, text) {
  const idl = `${cdir}/${name}.idl`;
  fs.writeFileSync(idl, text);
  const ms = [];
  for (let r = 0; r < (QUICK ? 3 : 7); r++) {
    const t0 = performance.now();
    const p = spawnSync(WASMGEN, ['-o', `${cdir}/out`, idl], { encoding: 'utf8' });
    ms.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`wasmgen on ${name} failed: ${p.stderr}`);
  }
  return { name, idlBytes: fs.statSync(idl).size, ms: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) };
}
const fieldsIdl = ['module wide;', 'struct s {', ...Array.from({ length: 100000 }, (_, i) => `  i32 f${i};`), '}', 's get();'];
const chainIdl = ['module chain;', 'struct s0 { i32 x; }',
  ...Array.from({ length: 19999 }, (_, i) => `struct s${i + 1} { s${i} inner; i32 x; }`), 'void f(s19999 v);'];
compiler.shapes = [timeCompile('fields_100k', fieldsIdl.join('\n') + '\n'), timeCompile('chain_20k', chainIdl.join('\n') + '\n')];
for (const r of compiler.shapes)
  console.log(`compiler ${r.name}: ${r.ms.toFixed(1)} ms [${r.minMs.toFixed(1)}-${r.maxMs.toFixed(1)}]`);
compiler.compiler_10k_ms = compiler.runs.find((r) => r.functions === 10000).ms;
compiler.growth_100k_over_10k = compiler.runs[3].ms / compiler.runs[2].ms;
compiler.targets = {
  compiler_10k_ms: { target: '< 100', met: compiler.compiler_10k_ms < 100 },
  linear: { target: '100k/10k time ratio <= 12 (10 is linear)', met: compiler.growth_100k_over_10k <= 12 },
  fields_100k_ms: { target: '< 1000', met: compiler.shapes[0].ms < 1000 },
  chain_20k_ms: { target: '< 1000', met: compiler.shapes[1].ms < 1000 },
};
console.log(JSON.stringify(compiler));
