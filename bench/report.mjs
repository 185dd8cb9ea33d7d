// report.mjs - the results section of BENCHMARKS.md, from results.json.
// Only the text between the two markers is replaced; the rest is prose.
import fs from 'node:fs';

const BEGIN = '<!-- results:begin (written by bench/report.mjs) -->';
const END = '<!-- results:end -->';

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ns = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} µs` : `${v.toFixed(0)} ns`);

export function writeReport(res, file) {
  const lines = [BEGIN, '',
    `Run of ${res.generated.slice(0, 16).replace('T', ' ')} UTC${res.quick ? ' (QUICK=1: fewer, shorter rounds)' : ''}, ` +
    `${res.seconds} s: ${res.machine.cpu}, ${res.machine.cores} cores, Node ${res.machine.node} (V8 ${res.machine.v8}), ` +
    `${res.machine.clang}; Embind: ${res.peers.embind === 'Embind, emcc -O2 --bind' ? res.machine.emcc : res.peers.embind}; ` +
    `WebIDL binder: ${res.peers.webidl?.startsWith('unavailable') ? res.peers.webidl : 'the same emcc'}; ` +
    `${res.peers.jetblack}${res.peers.jco ? `; ${res.peers.jco}` : ''}.`, '',
    '| key | ratio (median) | min – max | target | | A per op | B per op |',
    '| --- | ---: | --- | --- | --- | ---: | ---: |'];
  for (const [key, r] of Object.entries(res.ratios)) {
    const mark = r.met === null ? '' : r.met ? 'met' : '**missed**';
    lines.push(`| \`${key}\` | ${f(r.median)} | ${f(r.min)} – ${f(r.max)} | ${r.target ?? ''} | ${mark} | ${ns(r.nsPerOpA)} | ${ns(r.nsPerOpB)} |`);
  }
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
