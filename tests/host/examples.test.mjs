// examples.test.mjs - every example's host.c (its demo, natively, through the
// generated C API and wasm2c) prints what its demo.mjs prints, on stdout and
// on stderr. Two differences are the languages', and are the only ones
// allowed: lines demo.mjs prints about JS itself (listed below), and the
// function names in messages (JS camelCase, C the IDL's snake_case).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

// Labels of demo.mjs output that exist only in JS: arrays shows a RangeError
// from JS's argument checks (C's types make that call impossible) and the JS
// runtime's counters object.
const jsOnly = { arrays: ['error', 'stats'] };
// Labels whose lines say the same in each language's terms: JS's line is
// left out, C's must be this one. cjson: an array as util.inspect shows it,
// and the TypeErrors of a node used after its tree was freed and of a node
// given twice, in C a status.
const cLines = {
  md4c: { // JS refuses a flag's name md4c lacks, C a bit md4c.h does not define
    'refused:': "refused: bad argument: render: parameter 'parser_flags' is 0x180, with bits flags parser does not have (0x80)",
  },
  cjson: {
    tags: 'tags     3: c wasm js',
    after: 'after    bad argument: node_size: self is a node whose owner was freed',
    given: "given    bad argument: node_add_item: parameter 'item' is a node that does not own its object (a borrowed handle): only an owner can give it",
  },
};

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

// Drop the JS-only labels' lines (a label's value may span lines until one
// that closes it, as util.inspect prints objects).
function withoutLabels(text, labels) {
  const out = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (skipping) {
      if (/^[}\]]/.test(line)) skipping = false;
      continue;
    }
    const label = labels.find((l) => line.startsWith(`${l} `));
    if (label) {
      skipping = /[{[]$/.test(line);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

// The IDL's function names, snake_case, with their JS camelCase names.
function functionNames(idl) {
  const names = [];
  for (const line of idl.split('\n')) {
    const m = /^\s*(?:import\s+)?[\w?[\]]+\s+(\w+)\s*\(/.exec(line.replace(/\/\/.*/, ''));
    if (m) names.push(m[1]);
  }
  return names.map((n) => [n.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), n]);
}

// A resource's method in a message: JS's Class.method, C's class_method.
const snakeCase = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

for (const ex of ['arrays', 'strings', 'hello', 'shapes', 'lz4', 'zlib', 'cjson', 'qsort', 'expat', 'md4c']) {
  test(`examples/${ex}: host.c prints what demo.mjs prints`, () => {
    const dir = path.join(root, 'examples', ex);
    const demo = path.join(dir, 'out', `${ex}_demo`);
    assert.ok(fs.existsSync(demo), `build ${demo} first: make check-host`);
    const js = run(process.execPath, ['demo.mjs'], dir);
    const c = run(demo, [], dir);
    const own = cLines[ex] ?? {};
    let expected = withoutLabels(js.stdout, [...(jsOnly[ex] ?? []), ...Object.keys(own)]);
    for (const [camel, snake] of functionNames(fs.readFileSync(path.join(dir, `${ex}.idl`), 'utf8')))
      expected = expected.replaceAll(`${camel}: `, `${snake}: `);
    expected = expected.replace(/\b([A-Z]\w*)\.(\w+): /g, (_, cls, method) => `${snakeCase(cls)}_${snakeCase(method)}: `);
    const cOut = c.stdout.split('\n');
    for (const [label, line] of Object.entries(own)) assert.ok(cOut.includes(line), `${ex}: no line "${line}"`);
    assert.equal(withoutLabels(c.stdout, Object.keys(own)), expected);
    assert.equal(c.stderr, js.stderr);
  });
}

// examples/browser: host.c makes the page's calls (main.mjs's table, the
// same labels, less the rows about JS itself) and gets what the page
// expects for each; C prints what the page shows in #stdout and #stderr.
const browserJsOnly = ['divide(7.5, 2)', 'stats().handleBytes: every handle was freed'];

test('examples/browser: host.c makes the page\'s calls, with the page\'s results', () => {
  const dir = path.join(root, 'examples', 'browser');
  const demo = path.join(dir, 'out', 'browser_demo');
  assert.ok(fs.existsSync(demo), `build ${demo} first: make check-host`);
  const page = fs.readFileSync(path.join(dir, 'main.mjs'), 'utf8');
  const labels = [...page.matchAll(/^ {2}\['((?:[^'\\]|\\.)*)', \(m\)/gm)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  assert.ok(labels.length >= 10, `only ${labels.length} calls found in main.mjs`);
  const c = run(demo, [], dir);
  const [table, rest] = c.stdout.split(/\n(?=\d+ of \d+ calls)/);
  const rows = table.split('\n').map((line) => line.split('\t'));
  assert.deepEqual(rows.map((r) => r[0]), labels.filter((l) => !browserJsOnly.includes(l)));
  for (const [label, result, mark] of rows) assert.equal(mark, '✔', `${label}: got ${result}`);
  assert.equal(rest, `${rows.length} of ${rows.length} calls gave the expected result.\n` +
    'stdout:\ngreet(browser)\nline 1 of 3\nline 2 of 3\nline 3 of 3\nstderr:\nlog_lines: printed 3 lines\n');
});
