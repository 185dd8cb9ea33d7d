// ship.test.mjs - a module as its users get it: examples/browser built as an
// npm package with release settings (runtime/wasmgen.mk's wasmgen_package),
// `npm pack`ed, installed from the tarball (offline) into a fresh project,
// then used from Node, from TypeScript (moduleResolution NodeNext and
// Bundler), and through esbuild, Vite and webpack 5 with their documented
// defaults for assets (esbuild with --splitting, so that the runtime's
// on-demand parts are chunks of their own), the bundled pages run in Chromium.
//
//   SHIP_OUT=build/tests/ship node --test tests/ship/ship.test.mjs   (make check-ship)
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../browser/serve.mjs';
import { launch } from '../browser/browsers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tools = path.join(root, 'tests/node_modules');
const SHIP_OUT = path.resolve(process.env.SHIP_OUT ?? 'build/tests/ship');
const pkgDir = path.join(SHIP_OUT, 'pkg');
const app = path.join(SHIP_OUT, 'app');
const NAME = '@wasmgen-example/browser';
const TARBALL = 'wasmgen-example-browser-1.2.3.tgz';

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const write = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

test('the package: package.json, and a release build without debug info', () => {
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, NAME);
  assert.equal(pkg.version, '1.2.3');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'default'], 'types first');
  assert.deepEqual(pkg.exports['.'], { types: './browser.d.ts', default: './browser.mjs' });
  assert.deepEqual(pkg.files.sort(), ['browser.d.mts', 'browser.d.ts', 'browser.mjs', 'browser.wasm', 'wasmgen-runtime.mjs',
    'wasmgen-unfreed.mjs', 'wasmgen-wasi.mjs']);
  const release = new WebAssembly.Module(readFileSync(path.join(pkgDir, 'browser.wasm')));
  const debug = new WebAssembly.Module(readFileSync(path.join(root, 'examples/browser/out/browser.wasm')));
  assert.ok(WebAssembly.Module.customSections(debug, '.debug_info').length > 0, 'the plain build has debug info');
  assert.equal(WebAssembly.Module.customSections(release, '.debug_info').length, 0, 'the package has none');
  const sizes = [path.join(pkgDir, 'browser.wasm'), path.join(root, 'examples/browser/out/browser.wasm')]
    .map((f) => readFileSync(f).length);
  console.log(`browser.wasm: ${sizes[0]} bytes in the package, ${sizes[1]} with debug info`);
  assert.ok(sizes[0] * 2 < sizes[1]);
});

test('npm pack takes exactly the package files; npm install from the tarball, offline', () => {
  rmSync(path.join(SHIP_OUT, TARBALL), { force: true });
  run('npm', ['pack', '--pack-destination', SHIP_OUT, '--loglevel=error'], pkgDir);
  const listed = execFileSync('tar', ['tzf', path.join(SHIP_OUT, TARBALL)], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(listed, ['browser.d.mts', 'browser.d.ts', 'browser.mjs', 'browser.wasm', 'package.json', 'wasmgen-runtime.mjs',
    'wasmgen-unfreed.mjs', 'wasmgen-wasi.mjs'].map((f) => `package/${f}`));
  rmSync(app, { recursive: true, force: true });
  write(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(SHIP_OUT, TARBALL)], app);
  assert.ok(existsSync(path.join(app, 'node_modules', NAME, 'browser.wasm')));
});

// The calls every consumer makes, and what they must give.
const CALLS = `
  const out = [];
  const m = await instantiate(SOURCE, { stdout: (line) => out.push(line), env: { WHERE: 'shipped' } });
  const result = {
    greet: m.greet('package'),
    reverse: m.reverse('héllo 🌍'),
    add: m.scope(() => Array.from(m.add([1, 2, 3], [10, 20, 30]).view)),
    divide: m.divide(7, 2),
    env: m.env('WHERE'),
    mood: m.scope(() => new m.Tally(-1).mood()),
    handleBytes: m.stats().handleBytes,
  };
  m.flushOutput();
  result.out = out;
  // options.debug loads the runtime's on-demand part (wasmgen-unfreed.mjs) at instantiate().
  const d = await instantiate(DEBUG_SOURCE, { debug: true });
  const kept = d.add([1], [2]);
  result.leaks = d.leaks().map((l) => [l.type, l.length, l.stack.length > 0]);
  kept.free();`;
const EXPECTED = {
  greet: 'Hello, package!', reverse: '🌍 olléh', add: [11, 22, 33], divide: { return: 3, remainder: 1 },
  env: 'shipped', mood: 'dark', handleBytes: 0, out: ['greet(package)'], leaks: [['f64', 1, true]],
};

test('Node: import from the package name; instantiate() finds the .wasm in node_modules', () => {
  write(path.join(app, 'node.mjs'), `import { instantiate } from '${NAME}';\n${CALLS.replaceAll(/\b(DEBUG_)?SOURCE\b/g, 'null')}\n` +
    'console.log(JSON.stringify(result));\n');
  assert.deepEqual(JSON.parse(run(process.execPath, ['node.mjs'], app)), EXPECTED);
});

test('TypeScript: the package type-checks with moduleResolution NodeNext (no DOM, no @types/node) and Bundler (DOM)', () => {
  write(path.join(app, 'src/index.mts'), `import { instantiate, WasmArray, type BrowserModule } from '${NAME}';
const m: BrowserModule = await instantiate();
const greeting: string = m.greet('types');
const sum: WasmArray<Float64Array> = m.add([1], new Float64Array([2]));
const maybe: string | null = m.env('HOME');
// @ts-expect-error: a string result is a string
const wrong: number = m.reverse('x');
export { greeting, sum, maybe, wrong };
`);
  const configs = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: [] },
    bundler: { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
  };
  for (const [kind, options] of Object.entries(configs)) {
    write(path.join(app, `tsconfig.${kind}.json`), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', skipLibCheck: false, ...options },
      files: ['src/index.mts'],
    }, null, 2));
    run(process.execPath, [path.join(tools, 'typescript/bin/tsc'), '-p', `tsconfig.${kind}.json`], app);
  }
});

// ---- Bundlers: each builds a page from web/, with nothing configured for
// the .wasm but what its documentation says for assets.
const page = (script) => `<!doctype html><meta charset="utf-8"><title>shipped</title><link rel="icon" href="data:,">
<pre id="out"></pre><script type="module" src="${script}"></script>\n`;
const CALLS_MODULE = `import { instantiate } from '${NAME}';
export async function run(SOURCE, DEBUG_SOURCE) {
  try {${CALLS}
    document.getElementById('out').textContent = JSON.stringify(result);
  } catch (e) {
    document.getElementById('out').textContent = 'ERROR ' + e.name + ': ' + e.message;
  }
  document.body.dataset.done = 'true';
}
`.replaceAll(/\b(DEBUG_)?SOURCE\b/g, (s) => (s === 'SOURCE' ? 'source' : 'debugSource'));

const builds = {
  // esbuild does not rewrite new URL(..., import.meta.url): its `file` loader
  // gives the .wasm's URL to an explicit import, which is passed as the source.
  async esbuild() {
    run(path.join(tools, '.bin/esbuild'), ['web/main-esbuild.js', '--bundle', '--format=esm', '--minify', '--splitting',
      '--loader:.wasm=file', '--outdir=dist-esbuild', '--log-level=warning'], app);
    write(path.join(app, 'dist-esbuild/index.html'), page('./main-esbuild.js'));
  },
  // Vite ships what `new URL('./x.wasm', import.meta.url)` names (zero config).
  async vite() {
    const { build } = await import('vite');
    await build({ root: path.join(app, 'web'), configFile: false, logLevel: 'warn',
      build: { outDir: path.join(app, 'dist-vite'), emptyOutDir: true } });
  },
  // So does webpack 5 (asset modules), in its production mode.
  async webpack() {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) => webpack({
      mode: 'production', context: app, entry: './web/main.js',
      output: { path: path.join(app, 'dist-webpack'), filename: 'main.js' },
    }, (err, s) => (err ? reject(err) : resolve(s))));
    assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
    write(path.join(app, 'dist-webpack/index.html'), page('./main.js'));
  },
};

test('esbuild, Vite and webpack build a page importing the package; each runs in Chromium with the right results', async (t) => {
  write(path.join(app, 'web/calls.js'), CALLS_MODULE);
  write(path.join(app, 'web/main.js'), "import { run } from './calls.js';\nrun(undefined, undefined);\n");
  write(path.join(app, 'web/main-esbuild.js'), `import wasmUrl from '${NAME}/browser.wasm';\n` +
    "import { run } from './calls.js';\nrun(fetch(wasmUrl), fetch(wasmUrl));\n");
  write(path.join(app, 'web/index.html'), page('./main.js'));
  const browser = await launch('chromium');
  t.after(() => browser.close());
  for (const [name, bundle] of Object.entries(builds)) {
    await t.test(name, async () => {
      rmSync(path.join(app, `dist-${name}`), { recursive: true, force: true });
      await bundle();
      // The runtime's on-demand parts are chunks of their own, apart from the page's code.
      const js = readdirSync(path.join(app, `dist-${name}`), { recursive: true }).filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(path.join(app, `dist-${name}`, f), 'utf8'));
      for (const part of ['were not freed', 'fd_write']) {
        const holding = js.filter((text) => text.includes(part));
        assert.equal(holding.length, 1, `one chunk holds ${part}`);
        assert.ok(!holding[0].includes('ERROR '), `${part} is in a chunk apart from the page's code`);
      }
      // Each build is served at the root of its own server, as deployed.
      const server = await serve(path.join(app, `dist-${name}`));
      t.after(() => server.close());
      const { page: p, problems } = await browser.open(`${server.url}index.html`);
      await p.waitForSelector('body[data-done]', { timeout: 20000 });
      const text = await p.evaluate(() => document.getElementById('out').textContent);
      assert.deepEqual(JSON.parse(text.startsWith('ERROR') ? JSON.stringify(text) : text), EXPECTED);
      assert.deepEqual(problems, []);
      await p.close();
    });
  }
});
