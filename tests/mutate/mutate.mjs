#!/usr/bin/env node
// mutate.mjs - mutation testing of the compiler and the C runtime (`make mutate`).
//
//   node tests/mutate/mutate.mjs [AREA...] [--mutants N|all] [--seed S] [--jobs J] [--out DIR] [--rerun]
//
// AREA is compiler (compiler/*.c, *.y, *.l, runtime/gen_tables.c) or runtime
// (runtime/wg_*.c, the C runtime linked into every module); both by
// default. The mutants of an area (tests/mutate/cmutants.mjs) are sampled with
// a fixed seed, so a run is repeatable on the same tree: N per area (default
// 40), or all of them. The tree is copied once per job (the files git knows,
// plus tests/node_modules) under DIR (default build/mutate); each mutant is
// written into a copy, never into the tree, built, and put through the area's
// test stages in order, each under a time limit:
//
//   compiler  1. the compiler's Check suites, golden files, diagnostics and CLI
//             2. generated code, end to end, TypeScript
//             3. the compiler under valgrind over the golden corpus
//   runtime   1. the allocator's and the queue's Check suites
//             2. end to end (real modules linked with the mutated runtime)
//
// A stage that fails kills the mutant (one past its time limit: timeout); a
// mutant every stage passes survived; one that does not build is stillborn
// (not counted). Results go to DIR/AREA.json; tests/mutate/report.mjs turns
// them into DIR/report.md. With --rerun, only the mutants that survived the
// last run (or were not run) are run again; the others keep their results.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mutants as fileMutants, apply, diff } from './cmutants.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

const AREAS = {
  compiler: {
    // gen_tables.c writes the runtimes' copies of the compiler's tables: a
    // generator like the compiler, checked by the same tests.
    files: ['compiler/*.c', 'compiler/*.y', 'compiler/*.l', 'runtime/gen_tables.c'],
    stages: [
      { name: 'unit+golden+diag',
        make: ['UNIT_TESTS=test_lexer test_parser test_sema test_emit', 'check-unit', 'check-golden', 'check-diag'] },
      { name: 'gen+e2e+ts', make: ['check-gen', 'check-e2e', 'check-ts'] },
      // Leaks and memory errors, as make check's valgrind run finds them.
      { name: 'valgrind', make: ['check-valgrind'] },
    ],
  },
  runtime: {
    files: ['runtime/wg_*.c'],
    stages: [
      { name: 'unit', make: ['UNIT_TESTS=test_alloc test_queue test_alloc_model', 'check-unit'] },
      { name: 'e2e', make: ['check-e2e'] },
    ],
  },
};

// ---- Options
const args = process.argv.slice(2);
const opt = { mutants: '40', seed: '1', jobs: '1', out: 'build/mutate', rerun: null };
const areas = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--rerun') opt.rerun = 'survivors';
  else if (a.startsWith('--')) {
    const [k, v] = a.includes('=') ? a.slice(2).split('=', 2) : [a.slice(2), args[++i]];
    if (!(k in opt)) die(`unknown option --${k}`);
    opt[k] = v;
  } else if (AREAS[a]) areas.push(a);
  else die(`unknown area '${a}' (compiler, runtime)`);
}
if (!areas.length) areas.push('compiler', 'runtime');
const outDir = path.resolve(root, opt.out);
const jobs = Math.max(1, Number(opt.jobs) | 0);

function die(msg) { console.error(`mutate: ${msg}`); process.exit(2); }

// ---- Deterministic sampling, stable under unrelated edits: each mutant is
// ranked by a hash of the seed and what it changes (its file, operator and
// line before and after, not its offset), and the N lowest are taken. An edit
// elsewhere in a file leaves the sample of the rest as it was, so --rerun
// can reuse the results of every mutant whose line did not change.
function rank(seed, key) {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h ^= h >>> 13; h = Math.imul(h, 0x5bd1e995); h ^= h >>> 15;
  return h >>> 0;
}

function glob(pattern) {
  const dir = path.dirname(pattern);
  const re = new RegExp('^' + path.basename(pattern).replace(/\./g, '\\.').replace(/\*/g, '.*') + '$');
  return fs.readdirSync(path.join(root, dir)).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f));
}

function sample(area) {
  const all = [];
  for (const f of AREAS[area].files.flatMap(glob)) {
    const src = fs.readFileSync(path.join(root, f), 'utf8');
    const seen = new Map();
    for (const m of fileMutants(f, src)) {
      const d = diff(src, m);
      const key = `${f}\n${m.op}\n${d.before}\n${d.after}`;
      const k = (seen.get(key) ?? 0) + 1; // the same change on two identical lines
      seen.set(key, k);
      all.push({ ...m, rank: rank(Number(opt.seed), `${key}\n${k}`) });
    }
  }
  const n = opt.mutants === 'all' ? all.length : Math.min(all.length, Number(opt.mutants));
  const pick = all.slice().sort((a, b) => a.rank - b.rank || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.start - b.start || (a.text < b.text ? -1 : 1));
  return { total: all.length, chosen: pick.slice(0, n) };
}

// ---- The copies of the tree.
function makeCopy(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(root, f);
    if (!fs.existsSync(from)) continue;  // deleted, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.cpSync(from, path.join(dir, f), { preserveTimestamps: true });
  }
  // The pinned test tools, so the copy does not fetch them again.
  const nm = path.join(root, 'tests/node_modules');
  if (fs.existsSync(nm)) fs.cpSync(nm, path.join(dir, 'tests/node_modules'), { recursive: true, preserveTimestamps: true });
}

// The builds of a copy: quick (-O1), and no -Werror on the compiler's and
// runtime's own sources, so a mutant that only warns still runs. The
// generated code keeps its -Werror: that is a test.
const MAKE_VARS = ['CFLAGS=-O1', 'WARN=-std=c11 -w'];
const env = { ...process.env, WG_TEST_TIMEOUT: '20', CK_DEFAULT_TIMEOUT: '10', MAKEFLAGS: '', MFLAGS: '',
  MAKELEVEL: '' };
delete env.NODE_TEST_CONTEXT;

// The commands running now: an interrupt stops them too (limit.sh passes it
// on to the process group it runs).
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => { for (const p of running) p.kill('SIGTERM'); process.exit(130); });

function run(dir, argv, limit, name) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn('sh', [path.join(root, 'tests/limits/limit.sh'), name, String(limit), ...argv],
      { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(p);
    let out = '';
    const keep = (d) => { out += d; if (out.length > 400000) out = out.slice(-200000); };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('close', (code) => { running.delete(p); resolve({ code, out, seconds: (Date.now() - t0) / 1000 }); });
  });
}

const make = (dir, targets, limit, name) => run(dir, ['make', '--no-print-directory', ...MAKE_VARS, ...targets], limit,
  name);

function firstFailure(out) {
  const lines = out.split('\n');
  const pick = lines.find((l) => /TIMEOUT:/.test(l)) ??
    lines.find((l) => /:[FE]:[^:]*:[^:]+:\d+:/.test(l)) ??
    lines.find((l) => /^\s*✖ /.test(l) && !/failing tests/.test(l)) ??
    lines.find((l) => /error:/.test(l)) ??
    lines.filter((l) => /\*\*\*/.test(l)).at(-1) ?? '';
  return pick.trim().slice(0, 200);
}

const isTimeout = (out) => /TIMEOUT: |Test timeout expired/.test(out);

async function baseline(dir, area, log) {
  const b = await make(dir, ['-j2', 'all'], 1800, 'mutate: build of the copy');
  if (b.code !== 0) die(`the unmutated copy does not build:\n${b.out.slice(-3000)}`);
  const times = [];
  for (const st of AREAS[area].stages) {
    // Twice: the first builds what the stage needs; the second, after every
    // file of the area is touched, costs what a mutant's run costs.
    const first = await make(dir, st.make, 1800, `mutate: ${area} ${st.name} (unmutated)`);
    if (first.code !== 0) die(`the unmutated copy fails ${area}/${st.name}:\n${first.out.slice(-3000)}`);
    times.push(first.seconds);
  }
  const now = new Date();
  for (const f of AREAS[area].files.flatMap(glob)) fs.utimesSync(path.join(dir, f), now, now);
  const b2 = await make(dir, ['-j2', 'all'], 1800, 'mutate: build of the copy');
  if (b2.code !== 0) die('the unmutated copy does not rebuild');
  const limits = [];
  for (const st of AREAS[area].stages) {
    const r = await make(dir, st.make, 1800, `mutate: ${area} ${st.name} (unmutated)`);
    if (r.code !== 0) die(`the unmutated copy fails ${area}/${st.name}:\n${r.out.slice(-3000)}`);
    limits.push(Math.ceil(2 * r.seconds + 60));
    log(`  baseline ${st.name}: ${r.seconds.toFixed(1)} s; limit per mutant ${limits.at(-1)} s`);
  }
  return limits;
}

async function runMutant(dir, area, m, limits) {
  const file = path.join(dir, m.file);
  const orig = fs.readFileSync(file, 'utf8');
  const t0 = Date.now();
  fs.writeFileSync(file, apply(orig, m));
  try {
    const b = await make(dir, ['-j2', 'all'], 600, `build of mutant ${m.id}`);
    if (b.code !== 0) return { status: 'stillborn', detail: firstFailure(b.out), seconds: (Date.now() - t0) / 1000 };
    const stages = AREAS[area].stages;
    for (let s = 0; s < stages.length; s++) {
      const r = await make(dir, stages[s].make, limits[s], `${area} ${stages[s].name} on mutant ${m.id}`);
      if (r.code !== 0)
        return { status: isTimeout(r.out) ? 'timeout' : 'killed', stage: stages[s].name, detail: firstFailure(r.out),
          seconds: (Date.now() - t0) / 1000 };
    }
    return { status: 'survived', seconds: (Date.now() - t0) / 1000 };
  } finally {
    // Back to the original, newer than anything the mutant built.
    fs.writeFileSync(file, orig);
    const now = new Date(Date.now() + 1000);
    fs.utimesSync(file, now, now);
  }
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const copies = Array.from({ length: jobs }, (_, j) => path.join(outDir, `tree${j}`));
  const log = (s) => console.log(s);
  log(`mutate: copying the tree to ${copies.map((c) => path.relative(root, c)).join(', ')}`);
  copies.forEach(makeCopy);
  for (const area of areas) {
    const { total, chosen } = sample(area);
    chosen.forEach((m, i) => { m.id = `${area[0]}${i + 1}`; });
    log(`mutate: ${area}: ${chosen.length} of ${total} mutants (seed ${opt.seed}), ${jobs} job(s)`);
    const limitsPer = await Promise.all(copies.map((c) => baseline(c, area, log)));
    const results = new Array(chosen.length);
    const key = (r) => `${r.file}\n${r.op}\n${r.before}\n${r.after}`;
    const previous = new Map();
    const prevFile = path.join(outDir, `${area}.json`);
    if (opt.rerun && fs.existsSync(prevFile))
      for (const r of JSON.parse(fs.readFileSync(prevFile, 'utf8')).results)
        if (r.status !== 'survived') previous.set(key(r), r);
    let next = 0, done = 0;
    const t0 = Date.now();
    // Written after every mutant, so that an interrupted run still reports.
    let summary;
    const save = (partial) => {
      const got = results.filter(Boolean);
      const count = (s) => got.filter((r) => r.status === s).length;
      summary = { killed: count('killed'), timeout: count('timeout'), survived: count('survived'),
        stillborn: count('stillborn') };
      fs.writeFileSync(path.join(outDir, `${area}.json`), JSON.stringify({
        area, date: new Date().toISOString(), seed: Number(opt.seed), total, sampled: got.length, partial,
        files: AREAS[area].files, stages: AREAS[area].stages.map((s) => s.name), seconds: (Date.now() - t0) / 1000,
        summary, results: got }, null, 1));
    };
    await Promise.all(copies.map(async (dir, j) => {
      while (next < chosen.length) {
        const i = next++;
        const m = chosen[i];
        const src = fs.readFileSync(path.join(root, m.file), 'utf8');
        const d = diff(src, m);
        const before = previous.get(key({ file: m.file, op: m.op, before: d.before, after: d.after }));
        const r = before ? { status: before.status, stage: before.stage, detail: before.detail, seconds: 0 }
          : await runMutant(dir, area, m, limitsPer[j]);
        results[i] = { id: m.id, file: m.file, line: d.line, op: m.op, before: d.before, after: d.after, diff: d.text,
          ...r };
        done++;
        save(true);
        log(`[${area} ${done}/${chosen.length}] ${m.id} ${m.file}:${d.line} ${m.op}: ${r.status}` +
          `${r.stage ? ` (${r.stage})` : ''} ${r.seconds.toFixed(1)} s`);
      }
    }));
    save(false);
    log(`mutate: ${area}: ${JSON.stringify(summary)} in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
