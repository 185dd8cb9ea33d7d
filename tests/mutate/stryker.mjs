#!/usr/bin/env node
// stryker.mjs - mutation testing of the JS runtime with Stryker (`make mutate`).
//
//   node tests/mutate/stryker.mjs [--mutants N|all] [--seed S] [--out DIR]
//
// Stryker (pinned in tests/package.json) mutates the runtime's sources and,
// through its command runner, runs the project's own end-to-end suites
// (tests/mutate/js-tests.sh: `make check-e2e` in Stryker's sandbox, which
// rebuilds the runtime the compiler embeds from the mutated sources once;
// Stryker then activates one mutant per run).
//
// A full run (--mutants all: ~1,800 mutants at ~8 s each) takes hours on a
// small machine, so by default a sample: every mutant is listed first (a
// quick Stryker run whose command is `true`), then source locations are
// drawn with a fixed seed until they hold N mutants (default 40; a location
// holding more than is left to draw is passed over), and Stryker tests every
// mutant at those locations. The result is
// DIR/js.json (the format of mutate.mjs) beside Stryker's own report,
// DIR/js/mutation.json and mutation.html.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = { mutants: '40', seed: '1', out: 'build/mutate' };
for (let i = 0; i < args.length; i++) {
  const [k, v] = args[i].includes('=') ? args[i].slice(2).split('=', 2) : [args[i].slice(2), args[++i]];
  if (!(k in opt)) { console.error(`stryker.mjs: unknown option --${k}`); process.exit(2); }
  opt[k] = v;
}
const outDir = path.resolve(root, opt.out);
const jsDir = path.join(outDir, 'js');
const stryker = path.join(root, 'tests/node_modules/.bin/stryker');

// The runtime's sources: its parts (joined at build time) or the one file.
function sources() {
  const partsDir = path.join(root, 'runtime/js');
  if (fs.existsSync(partsDir)) {
    // The template only includes the parts; file-exports.mjs is one export
    // line of the standalone file.
    // Not the templates that join them, nor the lines around them.
    const skip = new Set(['wasmgen-runtime.mjs', 'wasmgen-codecs.mjs', 'wasmgen-wasi.mjs', 'wasmgen-unfreed.mjs',
      'file-exports.mjs', 'wasi-file-head.mjs', 'wasi-file-tail.mjs', 'unfreed-file-tail.mjs']);
    return fs.readdirSync(partsDir).filter((f) => f.endsWith('.mjs') && !skip.has(f))
      .sort().map((f) => `runtime/js/${f}`);
  }
  return ['runtime/wasmgen-runtime.mjs'];
}

function config(mutate, command, report, extra = {}) {
  return {
    testRunner: 'command',
    commandRunner: { command },
    mutate,
    // The sandbox is a copy of the tree without builds or tools.
    ignorePatterns: ['/build', '/examples/*/out', '/tests/node_modules', '/.ci'],
    tempDirName: path.relative(root, path.join(outDir, 'stryker-tmp')),
    reporters: ['json', 'html', 'progress'],
    jsonReporter: { fileName: path.relative(root, path.join(jsDir, `${report}.json`)) },
    htmlReporter: { fileName: path.relative(root, path.join(jsDir, `${report}.html`)) },
    coverageAnalysis: 'off',
    concurrency: 1,
    timeoutMS: 30000,
    timeoutFactor: 2,
    dryRunTimeoutMinutes: 20,
    logLevel: 'info',
    fileLogLevel: 'off',
    cleanTempDir: process.env.MUTATE_KEEP_SANDBOX ? false : true,
    ...extra,
  };
}

function runStryker(conf, name) {
  const file = path.join(jsDir, `${name}.config.json`);
  fs.writeFileSync(file, JSON.stringify(conf, null, 1));
  const r = spawnSync(stryker, ['run', path.relative(root, file)], { cwd: root, stdio: 'inherit',
    env: { ...process.env, WG_TEST_TIMEOUT: '20', MAKEFLAGS: '', MFLAGS: '', MAKELEVEL: '' } });
  if (r.status !== 0) { console.error(`stryker.mjs: stryker failed (${name})`); process.exit(1); }
  return JSON.parse(fs.readFileSync(path.join(jsDir, `${name}.json`), 'utf8'));
}

// A stable rank for a location: a hash of the seed and its text (not its
// line number), so that edits elsewhere leave the sample as it was.
function rank(seed, key) {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h ^= h >>> 13; h = Math.imul(h, 0x5bd1e995); h ^= h >>> 15;
  return h >>> 0;
}

// The report's columns count from 1, a mutate range's from 0.
const loc = (m) => `${m.location.start.line}:${m.location.start.column - 1}-${m.location.end.line}:${m.location.end.column - 1}`;
const inside = (m, r) => {
  const a = m.location, b = r.location;
  const le = (x, y) => x.line < y.line || (x.line === y.line && x.column <= y.column);
  return le(b.start, a.start) && le(a.end, b.end);
};

function main() {
  fs.mkdirSync(jsDir, { recursive: true });
  if (!fs.existsSync(stryker)) {
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: path.join(root, 'tests'),
      stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  const files = sources();
  let mutate = files, total = null;
  if (opt.mutants !== 'all') {
    // Every mutant, each "survived" without running anything.
    const list = runStryker(config(files, 'true', 'list', { reporters: ['json'] }), 'list');
    const all = [];
    for (const [f, r] of Object.entries(list.files)) for (const m of r.mutants) all.push({ file: f, ...m });
    total = all.length;
    // Locations ranked by a hash of the seed and their text; a location's
    // range takes every mutant inside it.
    const text = (m) => {
      const lines = list.files[m.file].source.split('\n');
      const { start, end } = m.location;
      const snippet = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
        : [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1),
          lines[end.line - 1].slice(0, end.column - 1)].join('\n');
      return `${m.file}\n${lines[start.line - 1]}\n${snippet}`;
    };
    const seen = new Map();
    const locs = [...new Map(all.map((m) => [`${m.file}:${loc(m)}`, m])).values()].map((m) => {
      const key = text(m);
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      return { ...m, rank: rank(Number(opt.seed), `${key}\n${k}`) };
    }).sort((a, b) => a.rank - b.rank);
    const chosen = new Set();
    mutate = [];
    for (const l of locs) {
      if (chosen.size >= Number(opt.mutants)) break;
      const within = all.filter((m) => m.file === l.file && inside(m, l) && !chosen.has(m));
      // A location holding more than is left to draw (a whole function
      // body) is passed over, so the sample stays near N.
      if (!within.length || chosen.size + within.length > Number(opt.mutants)) continue;
      within.forEach((m) => chosen.add(m));
      mutate.push(`${l.file}:${loc(l)}`);
    }
    console.log(`stryker.mjs: ${chosen.size} of ${all.length} mutants, at ${mutate.length} locations (seed ${opt.seed})`);
  }
  const t0 = Date.now();
  const report = runStryker(config(mutate, 'sh tests/mutate/js-tests.sh', 'mutation'), 'mutation');
  const results = [];
  const status = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'survived',
    CompileError: 'stillborn', RuntimeError: 'stillborn', Ignored: 'ignored' };
  for (const [f, r] of Object.entries(report.files)) {
    const lines = r.source.split('\n');
    for (const m of r.mutants) {
      const { start, end } = m.location;
      const before = lines.slice(start.line - 1, end.line).join('\n');
      const after = lines[start.line - 1].slice(0, start.column - 1) + m.replacement +
        lines[end.line - 1].slice(end.column - 1);
      results.push({ id: `j${m.id}`, file: f, line: start.line, op: m.mutatorName, before, after,
        diff: `--- ${f}:${start.line}\n` + before.split('\n').map((l) => `- ${l}`).join('\n') + '\n' +
          after.split('\n').map((l) => `+ ${l}`).join('\n'),
        status: status[m.status] ?? m.status });
    }
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  const count = (s) => results.filter((x) => x.status === s).length;
  const summary = { killed: count('killed'), timeout: count('timeout'), survived: count('survived'),
    stillborn: count('stillborn') };
  fs.writeFileSync(path.join(outDir, 'js.json'), JSON.stringify({
    area: 'js', date: new Date().toISOString(), seed: Number(opt.seed), total: total ?? results.length,
    sampled: results.length, files,
    stages: ['e2e (Stryker command runner)'], seconds: (Date.now() - t0) / 1000, summary, results }, null, 1));
  console.log(`stryker.mjs: js: ${JSON.stringify(summary)}`);
}

main();
