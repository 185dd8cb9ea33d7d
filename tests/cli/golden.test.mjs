// golden.test.mjs - the generated files for each tests/golden/NAME.idl,
// idl/NAME.idl and examples/*/NAME.idl are exactly tests/golden/NAME/*.
// After an intended change:
//   make update-golden    (then review the diff like any other change)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const wasmgen = path.resolve(process.env.WASMGEN ?? 'build/wasmgen');
const dir = new URL('../golden/', import.meta.url).pathname;
const idlDir = new URL('../../idl/', import.meta.url).pathname;
const examplesDir = new URL('../../examples/', import.meta.url).pathname;
const idls = (d) => fs.readdirSync(d).filter((f) => f.endsWith('.idl')).map((f) => path.join(d, f));
// One golden set per name: tests/golden, then idl/, then the examples.
const byName = new Map();
for (const f of [...idls(dir), ...idls(idlDir),
  ...fs.readdirSync(examplesDir, { withFileTypes: true }).filter((e) => e.isDirectory())
    .flatMap((e) => idls(path.join(examplesDir, e.name)))]) {
  if (!byName.has(path.basename(f))) byName.set(path.basename(f), f);
}
const sources = [...byName.values()].sort();
const update = process.env.WG_UPDATE_GOLDEN === '1';

for (const source of sources) {
  const idl = path.basename(source);
  const name = idl.slice(0, -4);
  test(`golden: ${idl}`, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-golden-'));
    try {
      // Every output, the native host's (made only on request) included.
      const r = spawnSync(wasmgen, ['--js-runtime=none', '--emit=h,c,js,dts,host', '-o', out, source], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      const expectDir = path.join(dir, name);
      const produced = fs.readdirSync(out).sort();
      if (update) {
        fs.rmSync(expectDir, { recursive: true, force: true });
        fs.mkdirSync(expectDir);
        for (const f of produced) fs.copyFileSync(path.join(out, f), path.join(expectDir, f));
        return;
      }
      assert.deepEqual(produced, fs.readdirSync(expectDir).sort(), 'the set of files');
      for (const f of produced) {
        const got = fs.readFileSync(path.join(out, f), 'utf8');
        const want = fs.readFileSync(path.join(expectDir, f), 'utf8');
        assert.equal(got, want, `${name}/${f} differs; run 'make update-golden' if intended`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}
