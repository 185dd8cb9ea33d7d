#!/usr/bin/env node
// report.mjs - the mutation report: DIR/report.md from DIR/compiler.json,
// DIR/runtime.json and DIR/js.json (those present), with the equivalent
// mutants of tests/mutate/equivalent.txt set apart.
//
//   node tests/mutate/report.mjs [DIR]      (default build/mutate)
//
// Score = detected / (detected + survived), detected = killed + timed out;
// equivalent mutants (no test can tell them apart: see equivalent.txt) and
// stillborn ones (do not build) are not counted.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const dir = path.resolve(root, process.argv[2] ?? 'build/mutate');
const AREAS = [['compiler', 'Compiler'], ['runtime', 'C runtime'], ['js', 'JS runtime']];

const norm = (s) => s.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter(Boolean).join('\n');

/** equivalent.txt: blocks of `FILE`, `- before` lines, `+ after` lines, `reason: ...`. */
export function readEquivalents(file = path.join(root, 'tests/mutate/equivalent.txt')) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  for (const block of fs.readFileSync(file, 'utf8').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    if (!lines.length) continue;
    const e = { file: lines[0].trim(), before: [], after: [], reason: '' };
    for (const l of lines.slice(1)) {
      if (l.startsWith('- ')) e.before.push(l.slice(2));
      else if (l.startsWith('+ ')) e.after.push(l.slice(2));
      else if (l.startsWith('reason:')) e.reason = l.slice(7).trim();
      else if (e.reason) e.reason += ' ' + l.trim();
      else throw new Error(`equivalent.txt: cannot read '${l}'`);
    }
    if (!e.reason) throw new Error(`equivalent.txt: ${e.file}: an entry without a reason`);
    out.push({ ...e, key: `${e.file}\n${norm(e.before.join('\n'))}\n=>\n${norm(e.after.join('\n'))}` });
  }
  return out;
}

const keyOf = (r) => `${r.file}\n${norm(r.before)}\n=>\n${norm(r.after)}`;

function main() {
  const eq = new Map(readEquivalents().map((e) => [e.key, e]));
  const rows = [], sections = [];
  let date = null;
  for (const [area, title] of AREAS) {
    const f = path.join(dir, `${area}.json`);
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, 'utf8'));
    date = date && date > r.date ? date : r.date;
    const equivalent = [], survived = [];
    for (const x of r.results.filter((x) => x.status === 'survived')) {
      const e = eq.get(keyOf(x));
      if (e) equivalent.push({ ...x, reason: e.reason });
      else survived.push(x);
    }
    const killed = r.results.filter((x) => x.status === 'killed').length;
    const timeouts = r.results.filter((x) => x.status === 'timeout');
    const stillborn = r.results.filter((x) => x.status === 'stillborn').length;
    const detected = killed + timeouts.length;
    const score = detected + survived.length ? (100 * detected) / (detected + survived.length) : 100;
    rows.push({ title, r, killed, timeouts: timeouts.length, survived: survived.length, equivalent: equivalent.length,
      stillborn, score });
    let s = `## ${title}\n\n${r.sampled} of ${r.total} mutants (seed ${r.seed}) of ${r.files.join(', ')}; ` +
      `tests: ${r.stages.join(', then ')}; ${(r.seconds / 60).toFixed(1)} min.\n\n`;
    s += `### Survivors (${survived.length})\n\n`;
    for (const x of survived) s += `${x.id} (${x.op}):\n\n\`\`\`diff\n${x.diff}\n\`\`\`\n\n`;
    if (!survived.length) s += 'None.\n\n';
    if (timeouts.length) {
      s += `### Timeouts (${timeouts.length}, counted as detected)\n\n`;
      for (const x of timeouts) s += `${x.id} (${x.op}${x.stage ? `, ${x.stage}` : ''})${x.detail ? `: ${x.detail}` : ''}\n\n` +
        `\`\`\`diff\n${x.diff}\n\`\`\`\n\n`;
    }
    if (equivalent.length) {
      s += `### Equivalent (${equivalent.length}, not counted; tests/mutate/equivalent.txt)\n\n`;
      for (const x of equivalent) s += `${x.id} (${x.op}): ${x.reason}\n\n\`\`\`diff\n${x.diff}\n\`\`\`\n\n`;
    }
    sections.push(s);
  }
  if (!rows.length) { console.error(`report.mjs: no results in ${dir}`); process.exit(1); }
  const table = '| area | mutants | killed | timeout | survived | equivalent | stillborn | score |\n' +
    '| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
    rows.map((x) => `| ${x.title} | ${x.r.sampled} of ${x.r.total} | ${x.killed} | ${x.timeouts} | ${x.survived} | ` +
      `${x.equivalent} | ${x.stillborn} | ${x.score.toFixed(1)}% |`).join('\n') + '\n';
  const md = `# Mutation testing report\n\n${date.slice(0, 10)}. Score = (killed + timeout) / (killed + timeout + ` +
    `survived); equivalent and stillborn (does not build) mutants are not counted.\n\n${table}\n${sections.join('\n')}`;
  fs.writeFileSync(path.join(dir, 'report.md'), md);
  console.log(table);
  console.log(`report: ${path.relative(root, path.join(dir, 'report.md'))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
