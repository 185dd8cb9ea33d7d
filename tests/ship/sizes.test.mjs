// sizes.test.mjs - what each example ships, measured from the built files:
// its generated .mjs bundled with the runtime by esbuild (pinned), minified,
// with code splitting so that a part the runtime loads only when needed
// (WASI and the import object, for a wasm module that imports more than its
// declared imports; the part for handles nobody frees and options.debug,
// wasmgen-unfreed.mjs) is a chunk of its own; and its .wasm as built and
// with release settings. What a module of numbers, strings and arrays ships
// holds no WASI, import object, codec, resource, throws, import, debugging
// or unfreed-handle code, and stays under a ceiling (8 KB for strings: see
// BENCHMARKS.md, "Sizes").
// Prints the table BENCHMARKS.md shows.
//
//   SIZES_OUT=build/tests/sizes node --test tests/ship/sizes.test.mjs   (make check-sizes)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const esbuild = path.join(root, 'tests/node_modules/.bin/esbuild');
const OUT = path.resolve(process.env.SIZES_OUT ?? 'build/tests/sizes');
// The examples whose C uses only numbers, strings and arrays (and no WASI),
// each with a ceiling: strings (numbers and strings) the goal, 8 KB; arrays
// (with handles) one against growth, just above the size reached
// (WASMGEN_JS_LIMIT=8192 shows how far it is from the goal).
const LEAN = { arrays: 22.8 * 1024, strings: 8 * 1024 };
const limit = (name) => Number(process.env.WASMGEN_JS_LIMIT ?? LEAN[name]);
// What a lean module does not use is not in its bundle: WASI and the import
// object (the part that makes it, and counts imports in progress), the codecs
// (and their scalar codecs), resources (and their lifetimes' bookkeeping),
// throws, imports and their check, optional arrays, i53 and the checks of
// what C returns beyond strings and arrays, the start of calls of scalars
// only (none here: each function has temporaries; method names and messages
// survive minification); the warning, the large handles' help and
// options.debug's stacks (the unfreed-handle part); the callbacks' unwind
// (wg_cb_held); strings has no arrays at all, and no string? parameter nor
// string a bound library frees.
const ABSENT = ['fd_write', 'wasi_snapshot_preview1', 'inImport++', 'was not provided', 'structType', 'listType',
  'setBigInt64', 'resourceType', 'the destructor of a', 'raise(',
  'pushHeap', 'badResult', 'imported(', 'arrOpt(', 'i53(', 'owns(', 'givable(',
  'were not freed', 'pruneAt', 'ballastFrom', 'deref()', '.stack', 'start(', 'wg_cb_held'];
// strings meets no handle: no WasmArray, no lifetimes (handleFeature), no element types;
// arrays has handles: not the stand-ins of m.alloc and m.from (noHandleFeature, which names the element types).
const ABSENT_FROM = { arrays: [...ABSENT, 'i8 u8 i16'], strings: [...ABSENT, 'takeArr(', 'inout(', 'opts(', 'bad(', 'strOpt(',
  'takeStrBy(', 'used after free()', 'MiB of wasm memory is held', 'Uint8ClampedArray'] };

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);

/**
 * Bundle `file` into `dir` as an application would (minified, with code
 * splitting, so that what loads only on demand is a chunk of its own):
 * esbuild's metafile's outputs.
 */
function esbuildOutputs(file, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(esbuild, [file, '--bundle', '--format=esm', '--minify', '--splitting', '--external:node:*',
    `--outdir=${dir}`, `--metafile=${dir}.meta.json`, '--log-level=warning'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(`${dir}.meta.json`, 'utf8')).outputs;
}

/**
 * The minified JS an example ships: `entry`, the output chunks its entry
 * imports statically (the glue and the runtime), and those only a dynamic
 * import() reaches, by the part they hold: `wasi` (wasmgen-wasi.mjs) and
 * `unfreed` (wasmgen-unfreed.mjs), from esbuild's metafile.
 */
function bundle(name) {
  const outputs = esbuildOutputs(path.join(root, `examples/${name}/out/${name}.mjs`), path.join(OUT, name));
  const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint);
  const closure = (starts, kinds) => {
    const seen = new Set();
    const visit = (o) => {
      if (seen.has(o)) return;
      seen.add(o);
      for (const i of outputs[o].imports) if (kinds.includes(i.kind) && outputs[i.path]) visit(i.path);
    };
    starts.forEach(visit);
    return seen;
  };
  const loaded = closure([entry], ['import-statement']);
  const all = closure([entry], ['import-statement', 'dynamic-import']);
  const read = (set) => Buffer.concat([...set].map((o) => readFileSync(path.resolve(root, o))));
  const onDemand = [...all].filter((o) => !loaded.has(o));
  const part = (file) => read(onDemand.filter((o) => Object.keys(outputs[o].inputs).some((i) => i.endsWith(`/${file}`))));
  const parts = { wasi: part('wasmgen-wasi.mjs'), unfreed: part('wasmgen-unfreed.mjs') };
  assert.equal(parts.wasi.length + parts.unfreed.length, read(onDemand).length, 'on-demand chunks of no known part');
  assert.ok(parts.wasi.length > 0, 'WASI is a chunk of its own');
  return { entry: read(loaded), ...parts };
}

/**
 * The example's .wasm as built (-O2, with libc's debug info), and with
 * release settings; `wasi`: it imports more than its declared imports (WASI,
 * above all), so that instantiate() loads the WASI part, which makes its
 * import object.
 */
function wasm(name) {
  const built = readFileSync(path.join(root, `examples/${name}/out/${name}.wasm`));
  const release = readFileSync(path.join(OUT, 'release', `${name}.wasm`));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(built));
  return { built, release, wasi: imports.some((i) => i.module !== `wasmgen:${name}`) };
}

/**
 * What each part of the runtime (runtime/js/*.mjs, joined into one file for
 * shipping) and the glue weigh in the example's minified entry chunk: the
 * same bundle made from the parts themselves (each an ES module importing
 * what it uses of the others), so that esbuild's metafile can attribute its
 * bytes. An index stands for the joined file: it re-exports each name the
 * generated module imports from the part that declares it.
 */
function partsOf(name) {
  const dir = path.join(OUT, 'parts', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = path.join(root, 'runtime/js');
  const parts = readdirSync(src).filter((f) => f.endsWith('.mjs') && !f.startsWith('wasmgen-') && !f.includes('-file-'));
  for (const f of parts) copyFileSync(path.join(src, f), path.join(dir, f));
  copyFileSync(path.join(root, 'build/gen/js/tables.mjs'), path.join(dir, 'tables.mjs'));
  const glue = readFileSync(path.join(root, `examples/${name}/out/${name}.mjs`), 'utf8');
  const names = new Set([...glue.matchAll(/^(?:import|export) \{ ([^}]*) \} from '\.\/wasmgen-runtime\.mjs';$/gm)]
    .flatMap((m) => m[1].split(', ')));
  const owner = (n) => parts.find((f) => new RegExp(`^export (?:const|function|class|let) ${n}\\b`, 'm')
    .test(readFileSync(path.join(dir, f), 'utf8')));
  writeFileSync(path.join(dir, 'wasmgen-runtime.mjs'),
    [...names].map((n) => `export { ${n} } from './${owner(n)}';`).join('\n') + '\n');
  writeFileSync(path.join(dir, 'wasmgen-wasi.mjs'), 'export {};\n');
  writeFileSync(path.join(dir, `${name}.mjs`), glue);
  const outputs = esbuildOutputs(path.join(dir, `${name}.mjs`), path.join(dir, 'out'));
  const entry = Object.values(outputs).find((o) => o.entryPoint);
  const bytes = {};
  for (const [input, { bytesInOutput }] of Object.entries(entry.inputs))
    bytes[path.basename(input) === `${name}.mjs` ? 'glue' : path.basename(input, '.mjs')] = bytesInOutput;
  return { bytes, total: entry.bytes };
}

/**
 * Borrowed handles that follow their object to a new owner (followFeature):
 * their bookkeeping ships exactly when the module borrows (its glue calls
 * $rt.follows()). Whether `name`'s `loaded` bundle ships it.
 */
function followsShipped(name, loaded) {
  const borrows = readFileSync(path.join(root, `examples/${name}/out/${name}.mjs`), 'utf8').includes('$rt.follows()');
  assert.equal(loaded.toString().includes('moved:'), borrows,
    `${name}: the bookkeeping of borrowed handles is shipped exactly when the module borrows`);
  return borrows;
}

// None of the sized examples borrows; cjson does (a node's children are borrowed from it).
test('examples/cjson, which borrows, ships the bookkeeping of borrowed handles', () => {
  assert.equal(followsShipped('cjson', bundle('cjson').entry), true, 'cjson does not borrow');
});

const rows = [];
const partRows = [];
const EXAMPLES = (process.env.SIZE_EXAMPLES ?? 'arrays browser hello shapes strings').split(/\s+/).filter(Boolean).sort();
for (const name of EXAMPLES) {
  test(`examples/${name}: minified JS and .wasm sizes`, () => {
    const js = bundle(name);
    const w = wasm(name);
    // The JS that loads: the entry's, plus the WASI chunk when the module
    // imports WASI or raw imports (the unfreed-handle part loads only for
    // handles nobody frees).
    const loaded = w.wasi ? Buffer.concat([js.entry, js.wasi]) : js.entry;
    rows.push(`| ${name} | ${kb(loaded.length)} KB | ${kb(gz(loaded))} KB | ` +
      `${kb(js.wasi.length)} KB${w.wasi ? ' (loaded)' : ' (not loaded)'} | ${js.unfreed.length ? `${kb(js.unfreed.length)} KB` : '-'} | ` +
      `${kb(w.built.length)} KB | ${kb(w.release.length)} KB | ${kb(gz(w.release))} KB |`);
    followsShipped(name, loaded);
    if (name in LEAN) {
      assert.equal(w.wasi, false, `${name}.wasm imports no WASI (nor anything but its declared imports)`);
      const text = loaded.toString();
      // The unfreed-handle part is a chunk of its own, in a module with handles (only).
      assert.equal(js.unfreed.length > 0, text.includes('used after free()'), `${name}: the unfreed-handle part's chunk`);
      for (const unused of ABSENT_FROM[name]) assert.ok(!text.includes(unused), `${name}'s bundle holds ${unused}`);
      assert.ok(loaded.length <= limit(name),
        `${name} ships ${loaded.length} bytes of minified JS; the limit is ${limit(name)}`);
      // What each part weighs: the bundle of the parts is the bundle shipped, give or take the
      // joins (a few percent), and the module has no handles' parts exactly when it has no handles.
      const { bytes, total } = partsOf(name);
      assert.ok(Math.abs(total - js.entry.length) < 0.05 * js.entry.length,
        `${name}: the parts' bundle (${total} bytes) is the one shipped (${js.entry.length})`);
      const handles = /^export \{ WasmArray, /m.test(readFileSync(path.join(root, `examples/${name}/out/${name}.mjs`), 'utf8'));
      assert.equal((bytes.lifetime ?? 0) > 1000 && (bytes.handles ?? 0) > 1000, handles, `${name}: the handles' parts`);
      const order = Object.entries(bytes).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
      partRows.push(`| ${name} | ${kb(total)} KB | ${order.map(([k, n]) => `${k} ${kb(n)}`).join(', ')} |`);
    }
  });
}

test.after(() => {
  console.log('| example | JS, minified | gzipped | on demand: WASI | unfreed handles, debug | .wasm as built | release | gzipped |\n' +
    '| --- | --- | --- | --- | --- | --- | --- | --- |\n' + rows.join('\n'));
  console.log('\n| example | entry chunk | its parts, minified (KB) |\n| --- | --- | --- |\n' + partRows.join('\n'));
});
