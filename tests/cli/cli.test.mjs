// cli.test.mjs - the wasmgen command line: options, usage errors, which
// files are written, and that they are written whole.
//
//   WASMGEN=build/wasmgen node --test tests/cli/cli.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmgen = path.resolve(root, process.env.WASMGEN ?? 'build/wasmgen');
const example = 'examples/arrays/arrays.idl';
const runtimeName = 'wasmgen-runtime.mjs';
const wasiName = 'wasmgen-wasi.mjs'; // the runtime's WASI part, written with it
const unfreedName = 'wasmgen-unfreed.mjs'; // its part for handles nobody frees and options.debug, likewise
// The runtime joined from runtime/js/ (see the Makefile).
const runtimeFile = path.resolve(root, process.env.RUNTIME_JS ?? 'build/gen/wasmgen-runtime.mjs');

function run(...args) {
  const r = spawnSync(wasmgen, args, { cwd: root, encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.signal, null, 'the compiler crashed');
  return r;
}

// Run with a fresh output directory; `fn` gets the result and the directory.
function inFreshDir(args, fn) {
  const out = mkdtempSync(path.join(tmpdir(), 'wasmgen-cli-'));
  try {
    return fn(run('-o', out, ...args), out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const listing = (dir) => readdirSync(dir).sort();

function assertUsageError(r, pattern) {
  assert.equal(r.status, 2, `exit status ${r.status}; stderr:\n${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^wasmgen: /);
  if (pattern) assert.match(r.stderr, pattern);
  assert.match(r.stderr, /\nTry 'wasmgen --help'\.\n$/);
}

// ---- Information

for (const flag of ['--help', '-h']) {
  test(`${flag} describes the options`, () => {
    const r = run(flag);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: wasmgen \[OPTIONS\] FILE\.idl\n/);
    for (const word of ['-o', '--output', '--emit', '--js-runtime', '--version', '--help', 'inline', 'none'])
      assert.ok(r.stdout.includes(word), `--help does not mention ${word}`);
    for (const suffix of ['.h', '_glue.c', '.mjs', '.d.ts', runtimeName])
      assert.ok(r.stdout.includes(suffix), `--help does not mention ${suffix}`);
  });
}

for (const flag of ['--version', '-V']) {
  test(`${flag} prints the version`, () => {
    const r = run(flag);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'wasmgen 0.1.0\n');
    assert.equal(r.stderr, '');
  });
}

test('--help wins over a bad option after it', () => {
  assert.equal(run('--help', '--bogus').status, 0);
});

// ---- Usage errors: exit 2, nothing written

test('an unknown option', () => {
  inFreshDir(['--bogus', example], (r, out) => {
    assertUsageError(r, /unknown option '--bogus'/);
    assert.deepEqual(listing(out), []);
  });
});

test('an unknown short option', () => {
  assertUsageError(run('-x', example), /unknown option '-x'/);
});

test('no input file', () => {
  assertUsageError(run(), /no input file/);
  assertUsageError(run('-o', '.'), /no input file/);
});

test('two input files', () => {
  inFreshDir([example, 'examples/strings/strings.idl'], (r, out) => {
    assertUsageError(r, /one input file at a time/);
    assert.deepEqual(listing(out), []);
  });
});

test('a bad --emit value', () => {
  assertUsageError(run('--emit=h,wasm', example), /--emit takes a comma-separated list of h, c, js, dts, host; got 'h,wasm'/);
  assertUsageError(run('--emit', 'xyz', example), /got 'xyz'/);
  assertUsageError(run('--emit=', example), /--emit takes/);
});

test('a bad --js-runtime value', () => {
  assertUsageError(run('--js-runtime=cdn', example), /--js-runtime takes file, inline or none; got 'cdn'/);
});

test('an option without its value', () => {
  assertUsageError(run(example, '-o'), /option '-o' needs a value/);
  assertUsageError(run(example, '--emit'), /option '--emit' needs a value/);
});

test('-o to a directory that does not exist: it is made, with its parents', () => {
  const top = path.join(tmpdir(), `wasmgen-missing-${process.pid}`);
  const missing = path.join(top, 'deeper', 'out');
  try {
    const r = run('-o', missing, example);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(listing(missing), ['arrays.d.mts', 'arrays.d.ts', 'arrays.h', 'arrays.mjs', 'arrays_glue.c', runtimeName, unfreedName, wasiName]);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('-o to a missing directory with an input that has errors: no directory is left', () => {
  const top = path.join(tmpdir(), `wasmgen-missing-bad-${process.pid}`);
  const r = run('-o', path.join(top, 'out'), 'tests/diag/sem_duplicate_function.idl');
  assert.equal(r.status, 1);
  assert.equal(existsSync(top), false);
});

test('-o under a file: a clear error', () => {
  const r = run('-o', `${example}/out`, example);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `wasmgen: output directory '${example}/out': '${example}' is not a directory\n`);
});

test('-o to a file, not a directory', () => {
  const r = run('-o', example, example);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /output directory '.*' is not a directory/);
});

// ---- What is written

test('by default: every output and the runtime', () => {
  inFreshDir([example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
    const files = listing(out);
    for (const f of ['arrays.h', 'arrays_glue.c', 'arrays.mjs', 'arrays.d.ts', runtimeName, wasiName, unfreedName])
      assert.ok(files.includes(f), `no ${f} in ${files}`);
    // .d.mts (TypeScript's name for the declarations of a .mjs) is the only other.
    assert.deepEqual(files.filter((f) => !/^arrays(\.h|_glue\.c|\.mjs|\.d\.ts|\.d\.mts)$|^wasmgen-(runtime|wasi|unfreed)\.mjs$/.test(f)), []);
    assert.equal(readFileSync(path.join(out, runtimeName), 'utf8'), readFileSync(runtimeFile, 'utf8'));
    assert.equal(readFileSync(path.join(out, wasiName), 'utf8'), readFileSync(runtimeFile.replace(runtimeName, wasiName), 'utf8'));
    assert.equal(readFileSync(path.join(out, unfreedName), 'utf8'), readFileSync(runtimeFile.replace(runtimeName, unfreedName), 'utf8'));
    assert.match(readFileSync(path.join(out, 'arrays.h'), 'utf8'),
                 /\nwg_f64_array arrays_add\(const double \*a, size_t a_len, const double \*b, size_t b_len\);\n/);
    assert.match(readFileSync(path.join(out, 'arrays.mjs'), 'utf8'), /from '\.\/wasmgen-runtime\.mjs';\n/);
  });
});

test('--emit=h,js writes the header, the module and the runtime only', () => {
  inFreshDir(['--emit=h,js', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listing(out), ['arrays.h', 'arrays.mjs', runtimeName, unfreedName, wasiName]);
  });
});

test('--emit with a separate value, one output', () => {
  inFreshDir(['--emit', 'c', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listing(out), ['arrays_glue.c']);
  });
});

test('--emit=host writes the native host\'s two files, which the default does not', () => {
  inFreshDir(['--emit=host', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listing(out), ['arrays_host.c', 'arrays_host.h']);
    assert.match(readFileSync(path.join(out, 'arrays_host.c'), 'utf8'), /\n#include "arrays\.wasm2c\.h"\n/);
  });
  inFreshDir([example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!listing(out).some((f) => f.includes('_host.')), listing(out).join(' '));
  });
});

test('--emit=h writes no runtime', () => {
  inFreshDir(['--emit=h', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listing(out), ['arrays.h']);
  });
});

test('--js-runtime=inline: the runtime is in the module, not beside it', () => {
  inFreshDir(['--js-runtime=inline', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const files = listing(out);
    assert.ok(!files.includes(runtimeName), `${runtimeName} written`);
    assert.ok(!files.includes(wasiName), `${wasiName} written`);
    assert.ok(files.includes('arrays.mjs'));
    const js = readFileSync(path.join(out, 'arrays.mjs'), 'utf8');
    assert.match(js, /class WasmArray/);
    assert.match(js, /function importObject/);
    assert.doesNotMatch(js, /from '\.\/wasmgen-runtime\.mjs'/);
  });
});

test('--js-runtime none (separate value): no runtime file', () => {
  inFreshDir(['--js-runtime', 'none', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const files = listing(out);
    assert.ok(!files.includes(runtimeName), `${runtimeName} written`);
    assert.ok(files.includes('arrays.mjs'));
    assert.match(readFileSync(path.join(out, 'arrays.mjs'), 'utf8'), /from '\.\/wasmgen-runtime\.mjs'/);
  });
});

test('--js-runtime=file after inline: the last one counts', () => {
  inFreshDir(['--js-runtime=inline', '--js-runtime=file', '--emit=js', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listing(out), ['arrays.mjs', runtimeName, unfreedName, wasiName]);
  });
});

test('--output=DIR and options after the input', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'wasmgen-cli-'));
  try {
    const r = run(example, `--output=${out}`, '--emit=dts');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(listing(out).includes('arrays.d.ts'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('outputs are written atomically: no temporary files left', () => {
  inFreshDir([example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(out);
    assert.deepEqual(files.filter((f) => f.startsWith('.') || f.endsWith('.tmp')), []);
  });
});

test('a second run replaces the outputs in place', () => {
  inFreshDir([example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const before = listing(out);
    const again = run('-o', out, example);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(listing(out), before);
  });
});

test('an IDL error: exit 1, nothing written, existing files untouched', () => {
  inFreshDir([example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const header = readFileSync(path.join(out, 'arrays.h'), 'utf8');
    const bad = run('-o', out, 'tests/diag/sem_out_string.idl');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^tests\/diag\/sem_out_string\.idl:2:12: error: /);
    assert.equal(readFileSync(path.join(out, 'arrays.h'), 'utf8'), header);
    assert.deepEqual(readdirSync(out).filter((f) => f.startsWith('.')), []);
  });
});

// ---- The examples' Makefiles

test('`make` with no target in each example folder builds the whole example (its .wasm)', () => {
  for (const ex of readdirSync(path.join(root, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const copy = mkdtempSync(path.join(tmpdir(), `wasmgen-example-${ex}-`));
    try {
      for (const f of readdirSync(path.join(root, 'examples', ex)))
        if (f !== 'out') cpSync(path.join(root, 'examples', ex, f), path.join(copy, f), { recursive: true });
      const r = spawnSync('make', ['-n', `WASMGEN_HOME=${root}`, `WASMGEN=${wasmgen}`], { cwd: copy, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^\\S*wasmgen .*-o out ${ex}\\.idl$`, 'm'), `${ex}: make does not run wasmgen\n${r.stdout}`);
      assert.match(r.stdout, new RegExp(`clang --target=wasm32-wasi [^\\n]*-o out/${ex}\\.wasm$`, 'm'), `${ex}: make does not build out/${ex}.wasm\n${r.stdout}`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
});

test("the .mjs: the module's doc is a block of its own, not part of instantiate's", () => {
  inFreshDir(['--emit', 'js', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    const js = readFileSync(path.join(out, 'arrays.mjs'), 'utf8');
    const blocks = [...js.matchAll(/\/\*\*[\s\S]*?\*\/\n(.*)/g)].map(([block, next]) => ({ block, next }));
    const mod = blocks.find((b) => b.block.includes('Doc comments (///) attach'));
    assert.doesNotMatch(mod.next, /instantiate/);
    const inst = blocks.find((b) => /^export async function instantiate/.test(b.next));
    assert.doesNotMatch(inst.block, /Doc comments/);
  });
});

// ---- --package

test('--package writes package.json: ES module, exports with types first, the files npm packs', () => {
  inFreshDir(['--package', '--package-name', '@me/arrays-wasm', '--package-version', '2.1.0-rc.1+b7', example], (r, out) => {
    assert.equal(r.status, 0, r.stderr);
    assert.ok(listing(out).includes('package.json'));
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'));
    assert.equal(pkg.name, '@me/arrays-wasm');
    assert.equal(pkg.version, '2.1.0-rc.1+b7');
    assert.equal(pkg.type, 'module');
    assert.match(pkg.description, /^Doc comments/);
    assert.deepEqual(Object.entries(pkg.exports['.']), [['types', './arrays.d.ts'], ['default', './arrays.mjs']]);
    assert.equal(pkg.exports['./arrays.wasm'], './arrays.wasm');
    assert.deepEqual(pkg.files, ['arrays.mjs', 'arrays.d.ts', 'arrays.d.mts', 'arrays.wasm', runtimeName, wasiName, unfreedName]);
    assert.equal(pkg.sideEffects, false);
  });
  inFreshDir(['--package', '--js-runtime', 'inline', example], (r, out) => {
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'arrays');
    assert.equal(pkg.version, '1.0.0');
    assert.ok(!pkg.files.includes(runtimeName), 'an inlined runtime is no file of the package');
  });
  inFreshDir([example], (r, out) => assert.ok(!listing(out).includes('package.json'), 'only with --package'));
});

test('--package: bad names, versions and outputs are usage errors', () => {
  for (const name of ['Arrays', '.x', '_x', 'a b', '@scope', '@Scope/x', 'x'.repeat(215), ''])
    assertUsageError(run('--package-name', name, example), /is not a valid npm package name/);
  for (const v of ['1.0', '01.0.0', '1.0.0-', '1.0.0+', 'v1.0.0', '1.0.0 '])
    assertUsageError(run('--package-version', v, example), /is not a semantic version/);
  assertUsageError(run('--package', '--emit', 'h,c', example), /--package needs the js and dts outputs/);
});
