// diag.test.mjs - every tests/diag/NAME.idl fails with exactly NAME.err on
// stderr, exit status 1, and nothing written; plus inputs too big or too odd
// to keep in the repository, made here at run time.
//
//   WASMGEN=build/wasmgen node --test tests/cli/diag.test.mjs
//
// Run from anywhere: the compiler runs in the repository root, so messages
// name files as `tests/diag/NAME.idl`, the way the .err files spell them.
// NAME.err.todo instead of NAME.err marks a case whose current output is
// known to be wrong or unclear; it runs as a todo test against that output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmgen = path.resolve(root, process.env.WASMGEN ?? 'build/wasmgen');
const diagDir = 'tests/diag';

// Run the compiler on `input` (relative to the root, or absolute) with a fresh
// output directory; returns the result and what the directory holds after.
function compile(input, ...args) {
  const out = mkdtempSync(path.join(tmpdir(), 'wasmgen-diag-'));
  try {
    const r = spawnSync(wasmgen, ['-o', out, ...args, input], {
      cwd: root,
      encoding: 'latin1', // byte for byte: some cases hold invalid UTF-8
      maxBuffer: 64 << 20,
    });
    if (r.error) throw r.error;
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, left: readdirSync(out) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// The lines of stderr that start a diagnostic.
const errorLines = (stderr) => stderr.split('\n').filter((l) => / error: /.test(l));

function assertFailed(r) {
  assert.equal(r.signal, null, 'the compiler crashed');
  assert.equal(r.status, 1, `exit status ${r.status}; stderr:\n${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.deepEqual(r.left, [], 'files were written although compiling failed');
}

test('wasmgen exists', () => {
  assert.ok(existsSync(wasmgen), `no compiler at ${wasmgen}; run make first or set WASMGEN`);
});

const cases = readdirSync(path.join(root, diagDir))
  .filter((f) => f.endsWith('.idl'))
  .sort()
  .map((f) => f.slice(0, -'.idl'.length));

test('the corpus is complete', () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
  for (const name of cases) {
    const base = path.join(root, diagDir, name);
    assert.ok(existsSync(`${base}.err`) || existsSync(`${base}.err.todo`), `${name}.idl has no .err`);
  }
});

for (const name of cases) {
  const base = path.join(root, diagDir, name);
  const todo = !existsSync(`${base}.err`) && existsSync(`${base}.err.todo`);
  const expectedFile = todo ? `${base}.err.todo` : `${base}.err`;
  test(`diag: ${name}`, todo ? { todo: 'known wrong or unclear diagnostic' } : {}, () => {
    const expected = readFileSync(expectedFile, 'latin1');
    const r = compile(`${diagDir}/${name}.idl`);
    assertFailed(r);
    assert.equal(r.stderr, expected);
  });
}

// ---- Made at run time

function withInput(name, text, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasmgen-input-'));
  try {
    const file = path.join(dir, name);
    writeFileSync(file, text, 'latin1');
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a 1 MB identifier: one error, the line shown cut short', () => {
  withInput('big.idl', 'module m; i32 ' + 'a'.repeat(1 << 20) + '();', (file) => {
    const r = compile(file);
    assertFailed(r);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr.slice(0, 4000));
    assert.equal(errors[0], `${file}:1:15: error: identifier is too long (1048576 characters; the limit is 255)`);
    assert.ok(r.stderr.length < 2048, `stderr is ${r.stderr.length} bytes`);
    const [, shown, caret] = r.stderr.split('\n');
    assert.ok(shown.startsWith('  module m; i32 aaaa'), shown);
    assert.ok(shown.endsWith('...'), 'the source line is not marked as cut');
    assert.equal(caret, ' '.repeat(16) + '^');
  });
});

test('10,000 comment openers in one unterminated comment: one error', () => {
  withInput('openers.idl', 'module m;\n' + '/* '.repeat(10000) + '\nvoid f();\n', (file) => {
    const r = compile(file);
    assertFailed(r);
    const errors = errorLines(r.stderr);
    assert.deepEqual(errors, [`${file}:2:1: error: unterminated comment: '/*' has no matching '*/'`]);
    assert.ok(r.stderr.length < 2048, `stderr is ${r.stderr.length} bytes`);
  });
});

test('10,000 comment openers closed once: comments do not nest', () => {
  withInput('closed.idl', 'module m;\n' + '/* '.repeat(10000) + '*/\nvoid f();\n', (file) => {
    const out = mkdtempSync(path.join(tmpdir(), 'wasmgen-diag-'));
    try {
      const r = spawnSync(wasmgen, ['-o', out, '--emit=h', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(readFileSync(path.join(out, 'm.h'), 'utf8'), /\nvoid m_f\(void\);\n/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test('10,000 "/*" back to back: one error, a bounded report', () => {
  // "/*/*/" is a whole comment, so this is not one long comment but many
  // comments with a '*' between each: a token of length expressions, out
  // of place here; the parser reports it and skips to the end.
  withInput('stars.idl', 'module m;\n' + '/*'.repeat(10000) + '\n', (file) => {
    const r = compile(file);
    assertFailed(r);
    const errors = errorLines(r.stderr);
    assert.ok(errors.length >= 1 && errors.length <= 21, `${errors.length} errors`);
    assert.match(errors[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:6: error: syntax error, unexpected '\\*'`));
    assert.ok(r.stderr.length < 16384, `stderr is ${r.stderr.length} bytes`);
  });
});

test('a directory as input', () => {
  const r = compile(diagDir);
  assertFailed(r);
  assert.match(r.stderr, /^tests\/diag: error: cannot read: .*is a directory/i);
  assert.equal(errorLines(r.stderr).length, 1);
});

// Positions in a source are 32-bit (a byte offset, an int line and column):
// a file of 1 GiB or more is refused before any of it is read. The files
// are sparse (a module line, then a hole of zero bytes), so nothing is
// written to the disk; one past 4 GiB would wrap a 32-bit offset.
for (const size of [2 ** 30, 2 ** 31, 2 ** 32 + 12]) {
  test(`a source of ${size} bytes is refused as too large`, () => {
    withInput('huge.idl', 'module m;\nvoid f();\n', (file) => {
      truncateSync(file, size);
      const r = compile(file);
      assertFailed(r);
      assert.equal(r.stderr, `${file}: error: too large: a source must be under 1 GiB\n`);
    });
  });
}

test('a file that does not exist', () => {
  const r = compile('tests/diag/no-such-file.idl');
  assertFailed(r);
  assert.match(r.stderr, /^tests\/diag\/no-such-file\.idl: error: cannot read: No such file or directory\n$/);
});
