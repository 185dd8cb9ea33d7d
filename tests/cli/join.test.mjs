// join.test.mjs - runtime/js/join.sh joins the JS runtime's parts into the
// text the compiler embeds, and holds the parts' imports to the truth.
//
//   RUNTIME_JS=build/gen/wasmgen-runtime.mjs node --test tests/cli/join.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runtimeFile = path.resolve(root, process.env.RUNTIME_JS ?? 'build/gen/wasmgen-runtime.mjs');
const generated = path.join(path.dirname(runtimeFile), 'js'); // tables.mjs, from gen_tables

/** Join a copy of the parts by TEMPLATE, after `edit(dir)`: { status, stdout, stderr }. */
function join(edit = () => {}, template = 'wasmgen-runtime.mjs') {
  const dir = mkdtempSync(path.join(tmpdir(), 'wg-join-'));
  try {
    cpSync(path.join(root, 'runtime/js'), dir, { recursive: true });
    edit(dir);
    return spawnSync('sh', [path.join(root, 'runtime/js/join.sh'), path.join(dir, template), dir, generated],
      { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function replaceIn(file, from, to) {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

test('the parts join into the runtime file the build made (with the codecs joined apart), but for its file-only exports', () => {
  const r = join();
  assert.equal(r.status, 0, r.stderr);
  const codecs = join(undefined, 'wasmgen-codecs.mjs');
  assert.equal(codecs.status, 0, codecs.stderr);
  assert.match(codecs.stdout, /^function structCodec/m);
  assert.doesNotMatch(r.stdout, /^function structCodec/m);
  const tail = readFileSync(path.join(root, 'runtime/js/file-exports.mjs'), 'utf8');
  assert.equal(r.stdout + codecs.stdout + tail, readFileSync(runtimeFile, 'utf8'));
  assert.deepEqual([...r.stdout.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]),
    ['WasmgenError', 'WasmArray', 'Resource']);
  assert.doesNotMatch(r.stdout, /^import /m);
});

test('a part that uses another part\'s name without importing it is refused', () => {
  const r = join((dir) => replaceIn(path.join(dir, 'lifetime.mjs'), "import { describe } from './errors.mjs';\n", ''));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^join\.sh: lifetime\.mjs: uses describe \(declared by errors\.mjs\) without importing it$/m);
});

test('an import of a name its part does not export is refused', () => {
  const r = join((dir) => replaceIn(path.join(dir, 'lifetime.mjs'), "import { describe } from './errors.mjs';",
    "import { describe, OUT_OF_MEMORY, nothing } from './errors.mjs';"));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^join\.sh: lifetime\.mjs: imports nothing, which errors\.mjs does not export$/m);
});

test('//@check: a part checked, not copied (the WASI part is joined alone, importing from the others)', () => {
  const r = join(undefined, 'wasmgen-wasi.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^function importObject/m);
  assert.doesNotMatch(r.stdout, /^class Runtime/m);
  const bad = join((dir) => replaceIn(path.join(dir, 'wasmgen-wasi.mjs'), '//@check errors.mjs\n', ''), 'wasmgen-wasi.mjs');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /wasi\.mjs: imports from errors\.mjs, which is not a part/);
});

test('the unfreed-handle part joins alone, using no other part\'s names; its file is that and an export', () => {
  const r = join(undefined, 'wasmgen-unfreed.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^class Unfreed/m);
  assert.doesNotMatch(r.stdout, /^class Lifetime/m);
  assert.doesNotMatch(r.stdout, /^import /m);
  const tail = readFileSync(path.join(root, 'runtime/js/unfreed-file-tail.mjs'), 'utf8');
  assert.equal(r.stdout + tail, readFileSync(path.join(path.dirname(runtimeFile), 'wasmgen-unfreed.mjs'), 'utf8'));
  // The runtime file loads it from beside itself (inline mode pastes both).
  assert.match(readFileSync(runtimeFile, 'utf8'), /^function loadUnfreed\(\) \{ return import\('\.\/wasmgen-unfreed\.mjs'\); \}$/m);
  // It uses no other part's names (which its file could not reach): join.sh says which.
  const bad = join((dir) => replaceIn(path.join(dir, 'unfreed.mjs'), 'const life = this.life,', 'describe(); const life = this.life,'),
    'wasmgen-unfreed.mjs');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /unfreed\.mjs: uses describe \(declared by errors\.mjs\) without importing it/);
});
