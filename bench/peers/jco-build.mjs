// jco-build.mjs - the jco peer's build, run by bench.mk:
//   node bench/peers/jco-build.mjs CORE.wasm jco.wit OUTDIR
// For every jco pinned in bench/package.json (npm aliases "jco-<version>"),
// through that version's JS API: componentEmbed (the WIT passed as a string:
// jco 1.35.0's `embed --wit` CLI traps, its wasm-tools reading the file
// through a WASI shim without preopens), componentNew, then transpile (default
// options) into OUTDIR/<version>/bench.js. A version that fails leaves its
// error in OUTDIR/<version>/FAILED and the others go on; the exit status is 0.
import fs from 'node:fs';
import path from 'node:path';

const [core, wit, out] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const aliases = Object.keys(pkg.dependencies).filter((n) => /^jco-/.test(n));
const bytes = fs.readFileSync(core), witSource = fs.readFileSync(wit, 'utf8');

for (const alias of aliases) {
  const version = alias.slice('jco-'.length);
  const dir = path.join(out, version);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    const jco = await import(alias);
    const embedded = await jco.componentEmbed({ binary: bytes, witSource, stringEncoding: 'utf8' });
    const component = await jco.componentNew(embedded);
    fs.writeFileSync(path.join(dir, 'bench.component.wasm'), component);
    const { files } = await jco.transpile(component, { name: 'bench' });
    for (const [name, data] of Object.entries(files)) {
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) throw new Error(`transpile wrote ${name}`);
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), data);
    }
    if (!fs.existsSync(path.join(dir, 'bench.js'))) throw new Error(`transpile wrote no bench.js (${Object.keys(files)})`);
    const have = JSON.parse(fs.readFileSync(new URL(`../node_modules/${alias}/package.json`, import.meta.url), 'utf8')).version;
    console.log(`bench: jco ${have}: ${path.join(dir, 'bench.js')}`);
  } catch (e) {
    fs.writeFileSync(path.join(dir, 'FAILED'), `${e?.stack ?? e}\n`);
    console.log(`bench: jco ${version} failed; see ${path.join(dir, 'FAILED')}`);
  }
}
