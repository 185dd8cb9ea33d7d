// install.test.mjs - `make install` lays out what the README says, and a
// user's module builds from the installed files alone: with the one-line
// clang command of the README, and with the installed Makefile fragment.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-install-'));
const prefix = '/opt/wasmgen';
const dir = path.join(stage, prefix);

// A user's shell: none of the variables this test's own make passes down.
const env = { ...process.env };
for (const k of ['WASMGEN', 'MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[k];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

test.after(() => fs.rmSync(stage, { recursive: true, force: true }));

test('make install DESTDIR=... PREFIX=... installs the compiler, header, library and fragment', () => {
  run('make', ['--no-print-directory', '-C', root, 'install', `DESTDIR=${stage}`, `PREFIX=${prefix}`]);
  for (const f of ['bin/wasmgen', 'include/wasmgen.h', 'include/wasmgen_tables.h', 'lib/wasm32-wasi/libwasmgen.a',
    'share/wasmgen/wasmgen.mk', 'share/doc/wasmgen/idl.md', 'share/doc/wasmgen/README.md',
    'lib/libwasmgen-host.a', 'include/wasmgen-host.h', 'include/wasmgen-host-glue.h', 'include/wasmgen-wasi.h',
    'include/wasmgen_host_tables.h'])
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  assert.match(run(path.join(dir, 'bin/wasmgen'), ['--version']).stdout, /^wasmgen \d+\.\d+\.\d+\n$/);
});

test('the README one-liner builds a module from the installed files', async () => {
  const work = path.join(stage, 'oneliner');
  fs.mkdirSync(work);
  fs.copyFileSync(path.join(root, 'examples/arrays/arrays.idl'), path.join(work, 'arrays.idl'));
  fs.copyFileSync(path.join(root, 'examples/arrays/arrays.c'), path.join(work, 'impl.c'));
  run(path.join(dir, 'bin/wasmgen'), ['arrays.idl'], { cwd: work });
  run('clang', ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-Wl,--stack-first', '-I', path.join(dir, 'include'),
    'arrays_glue.c', 'impl.c', '-L', path.join(dir, 'lib/wasm32-wasi'), '-lwasmgen', '-o', 'arrays.wasm'], { cwd: work });
  const { instantiate } = await import(path.join(work, 'arrays.mjs'));
  const m = await instantiate(fs.readFileSync(path.join(work, 'arrays.wasm')));
  assert.deepEqual(Array.from(m.add([1, 2], [3, 4]).view), [4, 6]);
});

test('the installed Makefile fragment builds a module', async () => {
  const work = path.join(stage, 'fragment');
  fs.mkdirSync(work);
  fs.copyFileSync(path.join(root, 'examples/strings/strings.idl'), path.join(work, 'strings.idl'));
  fs.copyFileSync(path.join(root, 'examples/strings/strings.c'), path.join(work, 'strings.c'));
  fs.writeFileSync(path.join(work, 'Makefile'),
    `WASMGEN_HOME := ${dir}\ninclude $(WASMGEN_HOME)/share/wasmgen/wasmgen.mk\n` +
    '$(eval $(call wasmgen_module,strings,strings.idl,out,strings.c))\n');
  run('make', ['--no-print-directory', 'out/strings.wasm'], { cwd: work });
  const { instantiate } = await import(path.join(work, 'out/strings.mjs'));
  const m = await instantiate(fs.readFileSync(path.join(work, 'out/strings.wasm')));
  assert.equal(m.reverse('abc'), 'cba');
});

test('the installed fragment builds a native host program (wasm2c) from the installed files', () => {
  const work = path.join(stage, 'native');
  fs.mkdirSync(work);
  for (const f of ['strings.idl', 'strings.c', 'host.c'])
    fs.copyFileSync(path.join(root, 'examples/strings', f), path.join(work, f));
  fs.writeFileSync(path.join(work, 'Makefile'),
    `WASMGEN_HOME := ${dir}\ninclude $(WASMGEN_HOME)/share/wasmgen/wasmgen.mk\n` +
    '$(eval $(call wasmgen_module,strings,strings.idl,out,strings.c))\n' +
    '$(eval $(call wasmgen_host,strings,strings.idl,out))\n' +
    'demo: host.c out/strings_host.a\n' +
    '\t$(CC) $(WASMGEN_HOST_INCLUDES) -Iout host.c out/strings_host.a $(WASMGEN_HOST_LIBS) -o $@\n');
  run('make', ['--no-print-directory', 'demo'], { cwd: work });
  assert.match(run(path.join(work, 'demo'), []).stdout, /^reverse\("abcdefg"\) = "gfedcba"  \(7 code points\)\n/);
});
