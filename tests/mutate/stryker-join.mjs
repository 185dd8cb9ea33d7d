// stryker-join.mjs - in Stryker's sandbox only (js-tests.sh). Stryker puts
// its helper functions (stryNS_9fa48, stryCov_9fa48, stryMutAct_9fa48) at
// the top of every file it mutates; the runtime's parts in runtime/js/ are
// joined into modules (wasmgen-runtime.mjs, wasmgen-wasi.mjs, wasmgen-unfreed.mjs) or pasted into
// generated ones, where a helper may be declared at most once. So the
// helpers leave the parts, once, for build/stryker-helpers.js, which
// stryker-globals.mjs (preloaded into every node process) defines as
// globals. The parts' mtimes change only the first time: make rebuilds the
// runtime once.
import fs from 'node:fs';

const dir = 'runtime/js';
const START = /^function stryNS_9fa48\(\)/m;
const END = 'return isActive(id);\n}\n';
let header = null;
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.mjs'))) {
  const src = fs.readFileSync(`${dir}/${f}`, 'utf8');
  const m = START.exec(src);
  if (!m) continue;
  const end = src.indexOf(END, m.index);
  if (end < 0) throw new Error(`stryker-join: no end of Stryker's helpers in ${f}`);
  header ??= src.slice(m.index, end + END.length);
  fs.writeFileSync(`${dir}/${f}`, src.slice(0, m.index) + src.slice(end + END.length));
}
if (header !== null) {
  fs.mkdirSync('build', { recursive: true });
  fs.writeFileSync('build/stryker-helpers.js', header);
}
