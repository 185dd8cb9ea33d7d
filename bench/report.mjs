// report.mjs - the results section of BENCHMARKS.md, from results.json.
// Only the text between the two markers is replaced; the rest is prose.
import fs from 'node:fs';

const BEGIN = '<!-- results:begin (written by bench/report.mjs) -->';
const END = '<!-- results:end -->';

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ns = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} µs` : `${v.toFixed(0)} ns`);

// At a glance: each peer's time over wasmgen's on the same work (above 1:
// wasmgen is faster), from the ratios above. The hand-written peer's ratios
// are wasmgen's over it, so they are inverted here.
const GLANCE = [
  ['scalar call', 'scalar_call_vs_raw', (p) => `scalar_call_${p}_over_wasmgen`],
  ['string 16 B', 'string_16_vs_hand', (p) => `string_16_${p}_over_wasmgen`],
  ['string 1 KiB', 'string_1k_vs_hand', (p) => `string_1k_${p}_over_wasmgen`],
  ['string 64 KiB', 'string_64k_vs_hand', (p) => `string_64k_${p}_over_wasmgen`],
  ['1M f64 in', 'array_in_1m_vs_hand', (p) => `array_in_1m_${p}_over_wasmgen`],
  ['8 MiB result (theirs copied, wasmgen\'s a handle)', null, (p) => `copy_return_8m_${p}_over_handle`],
  ['chain of two calls on 1M f64', 'chain_handles_vs_hand', (p) => `chain_${p}_over_handles`],
];
const PEERS = [['jetblack', 'jetblack'], ['embind', 'Embind'], ['webidl', 'WebIDL binder'], ['jco_1_10', 'jco 1.10'],
  ['jco_1_35', 'jco 1.35']];

function glance(ratios) {
  const peers = PEERS.filter(([k]) => GLANCE.some(([, , key]) => ratios[key(k)]));
  const cell = (r, invert) => (r ? f(invert ? 1 / r.median : r.median) : '–');
  const out = ['At a glance: each peer\'s time over wasmgen\'s (median; above 1, wasmgen is faster).', '',
    `| workload | hand-written | ${peers.map(([, name]) => name).join(' | ')} |`,
    `| --- | ---: | ${peers.map(() => '---:').join(' | ')} |`];
  for (const [label, hand, key] of GLANCE) {
    const h = hand ? cell(ratios[hand], true) : cell(ratios.copy_return_8m_over_handle, false);
    out.push(`| ${label} | ${h} | ${peers.map(([k]) => cell(ratios[key(k)], false)).join(' | ')} |`);
  }
  return out;
}

export function writeReport(res, file) {
  const lines = [BEGIN, '',
    `Run of ${res.generated.slice(0, 16).replace('T', ' ')} UTC${res.quick ? ' (QUICK=1: fewer, shorter rounds)' : ''}, ` +
    `${res.seconds} s: ${res.machine.cpu}, ${res.machine.cores} cores, Node ${res.machine.node} (V8 ${res.machine.v8}), ` +
    `${res.machine.clang}; Embind: ${res.peers.embind === 'Embind, emcc -O2 --bind' ? res.machine.emcc : res.peers.embind}; ` +
    `WebIDL binder: ${res.peers.webidl?.startsWith('unavailable') ? res.peers.webidl : 'the same emcc'}; ` +
    `${res.peers.jetblack}${res.peers.jco ? `; ${res.peers.jco}` : ''}.`, '',
    ...glance(res.ratios), '', 'Every ratio: A\'s time over B\'s (the key says which is which), median over rounds.', '',
    '| key | ratio (median) | min – max | target | | A per op | B per op |',
    '| --- | ---: | --- | --- | --- | ---: | ---: |'];
  for (const [key, r] of Object.entries(res.ratios)) {
    const mark = r.met === null ? '' : r.met ? 'met' : '**missed**';
    lines.push(`| \`${key}\` | ${f(r.median)} | ${f(r.min)} – ${f(r.max)} | ${r.target ?? ''} | ${mark} | ${ns(r.nsPerOpA)} | ${ns(r.nsPerOpB)} |`);
  }
  const fz = res.finalization;
  if (fz) lines.push('', `Finalization without scopes (workload 12, \`finalization_vs_scoped\`): peak live wasm memory ` +
    `${fz.peakMiB.join(', ')} MiB over the rounds (target ${fz.target}: ${fz.met ? 'met' : '**missed**'}; the scoped loop ` +
    `${fz.scopedPeakMiB} MiB), wasm memory at the end ${fz.memoryMiB.join(', ')} MiB.`);
  const a = res.alloc;
  lines.push('', `Allocator code size (workload 8): wasmgen's module ${a.wasmgen.fileBytes} B, code section ${a.wasmgen.codeSectionBytes} B; ` +
    `dlmalloc's ${a.dlmalloc.fileBytes} B, code section ${a.dlmalloc.codeSectionBytes} B.`, '');
  lines.push('| IDL functions | IDL bytes | wall time (median) | min – max | per function | peak RSS |',
    '| ---: | ---: | ---: | --- | ---: | ---: |');
  for (const r of res.compiler.runs)
    lines.push(`| ${r.functions} | ${r.idlBytes} | ${r.ms.toFixed(1)} ms | ${r.minMs.toFixed(1)} – ${r.maxMs.toFixed(1)} | ${r.usPerFunction.toFixed(2)} µs | ${(r.peakKiB / 1024).toFixed(1)} MiB |`);
  const c = res.compiler;
  if (c.shapes) {
    lines.push('', '| other dimension | IDL bytes | wall time (median) | min – max | target |', '| --- | ---: | ---: | --- | --- |');
    for (const r of c.shapes) {
      const t = c.targets[`${r.name}_ms`];
      lines.push(`| ${r.name === 'fields_100k' ? 'one struct of 100,000 fields' : '20,000 chained structs'} | ${r.idlBytes} | ` +
        `${r.ms.toFixed(1)} ms | ${r.minMs.toFixed(1)} – ${r.maxMs.toFixed(1)} | < 1 s: ${t.met ? 'met' : '**missed**'} |`);
    }
  }
  lines.push('', `\`compiler_10k_ms\` = ${c.compiler_10k_ms.toFixed(1)} (target < 100: ${c.targets.compiler_10k_ms.met ? 'met' : '**missed**'}); ` +
    `100k/10k time ratio ${c.growth_100k_over_10k.toFixed(2)} (linear is 10: ${c.targets.linear.met ? 'met' : '**missed**'}).`, '', END);
  const block = lines.join('\n');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const i = old.indexOf(BEGIN), j = old.indexOf(END);
  const text = i >= 0 && j > i ? old.slice(0, i) + block + old.slice(j + END.length) : `${old.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}
