// limits.test.mjs - every test runner in `make check` has a time limit, and a
// hang fails fast naming the test: proved here on deliberately hanging
// tests run through the very commands tests.mk uses (WG_NODE_TEST, the Check
// environment, limit.sh). No wall-time assertion: each run's own limit is
// small, and spawnSync's timeout is only a guard against a broken limit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;
const guard = Number(process.env.WG_LIMITS_GUARD ?? 60) * 1000;

// This file runs as a test process itself: its marker must not reach the
// runners it starts, or they refuse to run files.
const { NODE_TEST_CONTEXT, ...base } = process.env;

function run(argv, env = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', timeout: guard,
    env: { ...base, ...env } });
  assert.notEqual(r.signal, 'SIGTERM', `the guard had to stop: ${argv.join(' ')}`);
  return { status: r.status, out: r.stdout + r.stderr };
}

const nodeTest = (process.env.WG_NODE_TEST ?? '').split(' ').filter(Boolean);

test('make passes the test command and the hanging Check suite', () => {
  assert.ok(nodeTest.length > 1, 'WG_NODE_TEST is the node --test command of tests.mk');
  assert.ok(process.env.LIMITS_HANG_CHECK, 'LIMITS_HANG_CHECK is the built fixture');
});

test('a wasm call that never returns: the file fails, naming the test', () => {
  const r = run([...nodeTest, 'tests/limits/fixtures/hang_wasm.mjs'], { WG_TEST_TIMEOUT: '1' });
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /TIMEOUT: test "outer > a wasm call that never returns" in tests\/limits\/fixtures\/hang_wasm\.mjs did not finish within 1 s/);
  assert.match(r.out, /✖ .*tests\/limits\/fixtures\/hang_wasm\.mjs/);
  assert.doesNotMatch(r.out, /a test after the hang never runs/);
});

test('an await that never settles: the file fails, naming the test', () => {
  const r = run([...nodeTest, 'tests/limits/fixtures/hang_await.mjs'], { WG_TEST_TIMEOUT: '1' });
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /TIMEOUT: test "awaits a promise that never settles" in tests\/limits\/fixtures\/hang_await\.mjs/);
});

test('a Check test that never ends: Check stops it and names it', () => {
  // The environment check-unit gives every suite, with a 1 s default.
  const r = run([process.env.LIMITS_HANG_CHECK], { CK_DEFAULT_TIMEOUT: '1' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /hang_check\.c:\d+:E:core:test_loops_forever:0: \(after this point\) Test timeout expired/);
  assert.match(r.out, /50%: Checks: 2, Failures: 0, Errors: 1/);
});

test('limit.sh: a process past its limit is killed and named', () => {
  const r = run(['sh', 'tests/limits/limit.sh', 'the sleepy step', '1', 'sleep', '120']);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /TIMEOUT: the sleepy step did not finish within 1 s/);
  // Within the limit, the command's own status.
  assert.equal(run(['sh', 'tests/limits/limit.sh', 'x', '30', 'sh', '-c', 'exit 3']).status, 3);
  assert.equal(run(['sh', 'tests/limits/limit.sh', 'x', '30', 'true']).status, 0);
});
