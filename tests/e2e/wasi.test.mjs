// wasi.test.mjs - C's stdio, environment, clocks, randomness and exit
// through the runtime's WASI (tests/e2e/wasi.idl), and through node:wasi.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_OUT, load, noLeak, runFile, runSource } from './helpers.mjs';

/** A module whose stdout and stderr lines are collected. */
async function capture(options = {}) {
  const out = [], err = [], both = [];
  const { m, mod } = await load('wasi', {
    stdout: (line) => { out.push(line); both.push(`out:${line}`); },
    stderr: (line) => { err.push(line); both.push(`err:${line}`); },
    ...options,
  });
  return { m, mod, out, err, both };
}

const utf8 = (s) => new TextEncoder().encode(s);

/** Run an ES module snippet in a child engine; `m` is the wasi module loaded with `options` (JS source). */
function child(body, options = '{}') {
  const runtime = path.join(E2E_OUT, 'wasi.mjs');
  const wasm = path.join(E2E_OUT, 'wasi.wasm');
  return runSource(`
    import { readFileSync } from 'node:fs';
    import { WASI } from 'node:wasi';
    const { instantiate } = await import(${JSON.stringify(runtime)});
    const m = await instantiate(readFileSync(${JSON.stringify(wasm)}), ${options});
    ${body}`);
}

test('many lines in one printf arrive one by one, in order, without \\n or \\r\\n', async () => {
  const { m, out } = await capture();
  noLeak(m, assert, () => m.printLines(1000));
  assert.equal(out.length, 1000);
  out.forEach((line, i) => assert.equal(line, `line ${i}`));
});

test('a partial line waits for the rest from a later call', async () => {
  const { m, out, err } = await capture();
  m.printErr('stderr is ');     // unbuffered in libc: reaches JS without its newline
  m.printErr('unbuffered');
  assert.deepEqual(err, []);
  m.printErr('\nand more\n');
  assert.deepEqual(err, ['stderr is unbuffered', 'and more']);
  m.printOutFlush('a');
  m.printOutFlush('b');
  assert.deepEqual(out, []);
  m.printOutFlush('c\r');        // \r\n split across writes
  m.printOutFlush('\nd\n\n');
  assert.deepEqual(out, ['abc', 'd', '']);
});

test('stdout is line-buffered by libc: a line reaches JS when C prints its newline', async () => {
  const { m, out } = await capture();
  assert.equal(m.isTty(1), 1);
  m.printOut('held in C');
  m.flushOutput();
  assert.deepEqual(out, [], 'libc still holds it: only C can fflush its buffer');
  m.printOut(' until the newline\n');
  assert.deepEqual(out, ['held in C until the newline']);
});

test('m.flushOutput() prints partial lines now; the newline that ends one adds no empty line', async () => {
  const { m, out, err, both } = await capture();
  m.printOutFlush('progress: 10%');
  m.printErr('warning: ');
  assert.deepEqual(both, []);
  m.flushOutput();
  assert.deepEqual(both, ['out:progress: 10%', 'err:warning: ']);
  m.flushOutput(); // nothing more
  assert.equal(both.length, 2);
  m.printOutFlush('\r\nnext\n');
  m.printErr('\n');
  m.printErr('\n');
  assert.deepEqual(out, ['progress: 10%', 'next']);
  assert.deepEqual(err, ['warning: ', '']);
  m.printOutFlush('again');
  m.runtime.flushOutput();
  assert.deepEqual(out, ['progress: 10%', 'next', 'again']);
});

test('UTF-8 split across writes, and across the iovecs of one write, per stream', async () => {
  const { m, out, err } = await capture();
  const text = 'a😀é€𝄞z';
  for (const byte of utf8(text)) m.writeFd(1, [byte]);
  m.writeFd(1, utf8('\n'));
  const bytes = utf8('x🌍y');
  // Interleave stdout and stderr in the middle of a 4-byte character each.
  m.writeFd(1, bytes.subarray(0, 3));
  m.writeFd(2, bytes.subarray(0, 3));
  m.writeFd(1, bytes.subarray(3));
  m.writeFd(2, bytes.subarray(3));
  m.writeFd(1, utf8('\n'));
  m.writeFd(2, utf8('\n'));
  assert.equal(m.writevBytes(1, utf8('ß🎉\n')), 7);
  assert.deepEqual(out, [text, 'x🌍y', 'ß🎉']);
  assert.deepEqual(err, ['x🌍y']);
});

test('an invalid or unfinished UTF-8 sequence becomes U+FFFD, not an exception', async () => {
  const { m, out } = await capture();
  m.writeFd(1, [0x61, 0xff, 0x62, 0x0a]);
  m.writeFd(1, [0xf0, 0x9f]); // half a character, then exit
  assert.throws(() => m.exitWith('', 0), { name: 'WasmgenError', code: 0 });
  assert.deepEqual(out, ['a\ufffdb', '\ufffd']);
});

test('only fds 1 and 2 are writable', async () => {
  const { m } = await capture();
  assert.equal(m.writeFd(0, [0x61]), -1);
  assert.equal(m.writeFd(3, [0x61]), -1);
  assert.equal(m.writeFd(-1, [0x61]), -1);
});

test('output survives memory growth, before a write and inside a sink', async () => {
  const lines = [];
  const held = [];
  let m = null, growing = false;
  ({ m } = await load('wasi', {
    stdout: (line) => {
      lines.push(line);
      if (growing) held.push(m.alloc.u8(16 << 20)); // a sink that calls into the module
    },
  }));
  held.push(m.alloc.u8(64 << 20)); // memory grows: the runtime's old views are detached
  m.printLines(2);
  growing = true;
  const before = m.memory.buffer.byteLength;
  m.printLines(4);
  growing = false;
  assert.ok(m.memory.buffer.byteLength > before, 'the sink grew memory');
  m.printLines(1);
  assert.deepEqual(lines, ['line 0', 'line 1', 'line 0', 'line 1', 'line 2', 'line 3', 'line 0']);
  for (const h of held) h.free();
});

test('getenv sees options.env and nothing else', async () => {
  const { m } = await capture({ env: { GREETING: 'héllo wörld 😀', EMPTY: '', PATH_LIKE: 'a=b:c' } });
  noLeak(m, assert, () => {
    assert.equal(m.getEnv('GREETING'), 'héllo wörld 😀');
    assert.equal(m.getEnv('EMPTY'), '');
    assert.equal(m.getEnv('PATH_LIKE'), 'a=b:c');
    assert.equal(m.getEnv('HOME'), null);
  });
  assert.equal(m.envCount(), 3);
  const { m: bare } = await capture();
  assert.equal(bare.envCount(), 0);
  assert.equal(bare.getEnv('PATH'), null, 'the host environment is not passed by default');
});

test('clocks: realtime is Date.now(), monotonic increases, others are EINVAL', async () => {
  const { m } = await capture();
  assert.ok(Math.abs(m.realtimeMs() - Date.now()) < 1000);
  assert.ok(Math.abs(Number(m.clockNs(0) / 1000000n) - Date.now()) < 1000);
  let last = m.clockNs(1);
  for (let i = 0; i < 1000; i++) {
    const t = m.clockNs(1);
    assert.ok(t >= last, 'monotonic');
    last = t;
  }
  const t0 = m.clockNs(1), d0 = performance.now();
  while (performance.now() - d0 < 20) { /* spin */ }
  const dt = Number(m.clockNs(1) - t0) / 1e6;
  assert.ok(dt >= 19 && dt < 1000, `20 ms measured as ${dt} ms`);
  assert.ok(m.clockNs(2) > 0n, 'process CPU time');
  assert.ok(m.clockNs(3) > 0n, 'thread CPU time');
  assert.equal(m.clockRes(0), 1000000n);
  assert.equal(m.clockRes(1), 1n);
  assert.equal(m.clockNs(4), -28n);   // EINVAL
  assert.equal(m.clockRes(99), -28n);
});

test('arc4random and getentropy are filled from crypto.getRandomValues', async () => {
  const { m } = await capture();
  noLeak(m, assert, () => {
    for (const n of [16, 256]) {
      const a = m.entropy(n), b = m.entropy(n);
      assert.equal(a.length, n);
      assert.ok(a.view.some((x) => x !== 0), 'getentropy: not all zero');
      assert.notDeepEqual(a.toArray(), b.toArray());
      a.free(); b.free();
    }
    const r = m.randomBytes(200000);
    assert.equal(r.length, 200000);
    const counts = new Uint32Array(256);
    for (const x of r.view) counts[x]++;
    assert.ok(counts.every((c) => c > 500 && c < 1100), 'arc4random: bytes spread evenly');
    r.free();
  });
});

test('stdio is three character devices, there are no preopens, sched_yield works, sleep does not', async () => {
  const { m } = await capture();
  assert.deepEqual([0, 1, 2, 3].map((fd) => m.isTty(fd)), [1, 1, 1, 0]);
  // open() first scans the preopens: EBADF at fd 3 ends the scan, then ENOTCAPABLE.
  assert.equal(m.openErrno('/etc/hostname'), 76);
  assert.equal(m.yieldNow(), 0);
  assert.notEqual(m.sleepErrno(), 0);
  m.printLines(1); // still alive
});

test('exit(3) throws a WasmgenError with code 3, after printing the partial lines', async () => {
  const { m, mod, both } = await capture();
  m.printErr('stderr partial');
  m.printOutFlush('js partial, ');
  const before = m.stats();
  assert.throws(() => m.exitWith('then C\'s buffer', 3), (e) => {
    assert.ok(e instanceof mod.WasmgenError);
    assert.equal(e.code, 3);
    assert.match(e.message, /exit\(3\)/);
    assert.deepEqual(both, ['out:js partial, then C\'s buffer', 'err:stderr partial']);
    return true;
  });
  const after = m.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, 'the string argument was freed');
  assert.equal(after.liveBytes, before.liveBytes);
});

test('instantiate refuses bad WASI options, naming them', async () => {
  const bad = async (options, re) => assert.rejects(load('wasi', options), (e) => e instanceof TypeError && re.test(e.message));
  await bad({ stdout: 'console' }, /options\.stdout must be a function/);
  await bad({ stderr: 1 }, /options\.stderr must be a function/);
  await bad({ env: 'A=1' }, /options\.env must be an object/);
  await bad({ env: { A: 1 } }, /options\.env\.A must be a string/);
  await bad({ env: { 'A=B': 'x' } }, /not a valid variable name/);
  await bad({ env: { A: 'x\0y' } }, /NUL/);
  await bad({ wasi: {} }, /options\.wasi must be a WASI instance from node:wasi/);
  await bad({ wasi: { wasiImport: {}, initialize() {} }, stdout: () => {} }, /options\.stdout does not apply with options\.wasi/);
});

test('by default stdout goes to console.log and stderr to console.error; partial lines print at exit', async () => {
  const r = await child(`
    m.printOut('one\\ntwo\\n');
    m.printErr('oops\\n');
    m.printOutFlush('no newline');
    m.printErr('nor here');
    console.log('main done');`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'one\ntwo\nmain done\nno newline\n');
  assert.equal(r.stderr, 'oops\nnor here\n');
});

test('an uncaught exit(3) reaches the caller as a WasmgenError with its partial lines printed', async () => {
  const r = await child(`m.printOut('bye'); m.exitWith(' now', 3);`);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^bye now\n$/);
  assert.match(r.stderr, /WasmgenError: the wasm module called exit\(3\)/);
});

test('options.wasi: node:wasi prints through the real stdout and stderr, and sees its env', async () => {
  const r = await child(`
    m.printOutFlush('héllo from node:wasi 😀\\n');
    m.printErr('to the real stderr\\n');
    console.log('GREETING=' + m.getEnv('GREETING') + ' count=' + m.envCount());
    try { m.exitWith('', 7); } catch (e) { console.log(e.name, e.code); }`,
  `{ wasi: new WASI({ version: 'preview1', env: { GREETING: 'hi' } }) }`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'héllo from node:wasi 😀\nGREETING=hi count=1\nWasmgenError 7\n');
  // Deno warns that node:wasi is experimental (Node's --no-warnings has no equivalent there).
  assert.equal(r.stderr.replace(/^\(node:\d+\) ExperimentalWarning: .*\n/m, ''), 'to the real stderr\n');
});

test('examples/hello: printf to console.log, fprintf(stderr) to console.error', () => {
  const r = runFile('demo.mjs', { cwd: fileURLToPath(new URL('../../examples/hello/', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, World!\ncaptured ["Hello, captured World!"]\n');
  assert.equal(r.stderr, 'Hello, World!\n');
});
