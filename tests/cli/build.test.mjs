// build.test.mjs - each step installs only the Debian packages it needs:
// building installs the build packages, and only test groups add the test
// packages. Read from what `make -n` would run in a fresh build directory.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const env = { ...process.env };
for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[k];

const BUILD_PACKAGES = ['clang', 'lld', 'llvm', 'wasi-libc', 'libclang-rt-14-dev-wasm32', 'flex', 'bison', 'wabt'];
const TEST_PACKAGES = ['check', 'pkg-config', 'libclang-rt-14-dev', 'valgrind', 'chromium', 'firefox-esr'];

/** The packages `make TARGET` would check for (and install when missing), in a fresh build directory. */
function packages(target) {
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-build-'));
  try {
    const r = spawnSync('make', ['-n', '--no-print-directory', '-C', root, `BUILD=${build}`, target],
      { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    return [...r.stdout.matchAll(/for p in ([^;]*); do dpkg -s/g)].flatMap((m) => m[1].trim().split(/\s+/));
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
}

test('make installs the build packages and nothing else', () => {
  assert.deepEqual(packages('all'), BUILD_PACKAGES);
});

for (const target of ['check-unit', 'check-asan', 'check-valgrind']) {
  test(`make ${target} adds the test packages`, () => {
    assert.deepEqual(packages(target).sort(), [...BUILD_PACKAGES, ...TEST_PACKAGES].sort());
  });
}
