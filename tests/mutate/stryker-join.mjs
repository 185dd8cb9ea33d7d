// stryker-join.mjs - in Stryker's sandbox only (js-tests.sh): move Stryker's
// helper functions out of the instrumented parts of runtime/js/ into the
// template that joins them, once, so that the joined module declares them
// once. The parts' mtimes change only the first time, so make rebuilds the
// runtime once.
import fs from 'node:fs';

const dir = 'runtime/js';
const START = /^function stryNS_9fa48\(\)/m;
const END = 'return isActive(id);\n}\n';
let header = null;
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.mjs') && n !== 'wasmgen-runtime.mjs')) {
  const src = fs.readFileSync(`${dir}/${f}`, 'utf8');
  const m = START.exec(src);
  if (!m) continue;
  const end = src.indexOf(END, m.index);
  if (end < 0) throw new Error(`stryker-join: no end of Stryker's header in ${f}`);
  header ??= src.slice(m.index, end + END.length);
  fs.writeFileSync(`${dir}/${f}`, src.slice(0, m.index) + src.slice(end + END.length));
}
if (header !== null) {
  const t = `${dir}/wasmgen-runtime.mjs`;
  const src = fs.readFileSync(t, 'utf8');
  if (!src.includes('function stryNS_9fa48')) {
    const at = src.indexOf('//@include ');
    fs.writeFileSync(t, src.slice(0, at) + header + src.slice(at));
  }
}
