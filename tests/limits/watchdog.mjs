// A time limit on every test, preloaded into each test process by
// `node --test --import ./tests/limits/watchdog.mjs` (see tests/tests.mk).
//
// A test that hangs in a JS await is caught by node's own --test-timeout, but
// one that hangs inside a wasm call (a C loop) blocks the event loop, so no
// timer of the test process can fire and node can only report the file. The
// watchdog runs in a worker thread, which has its own event loop: each test
// tells it when it starts and ends, and when one runs longer than the limit
// the worker prints the test's name and file and ends the process, so the
// runner reports the file as failed at once.
//
// WG_TEST_TIMEOUT: the limit in seconds (default 30; a test here takes at
// most a few seconds).
import { beforeEach, afterEach } from 'node:test';
import { Worker } from 'node:worker_threads';
import { relative } from 'node:path';

const seconds = Number(process.env.WG_TEST_TIMEOUT ?? 30);
const file = relative(process.cwd(), process.argv[1] ?? '?');

const worker = new Worker(`
  const { parentPort, workerData } = require('node:worker_threads');
  const { writeSync } = require('node:fs');
  const running = new Map();   // id -> { name, timer }, in start order
  parentPort.on('message', ({ op, id, name }) => {
    if (op === 'end') { clearTimeout(running.get(id)?.timer); running.delete(id); return; }
    running.set(id, { name, timer: setTimeout(expired, workerData.seconds * 1000) });
  });
  function expired() {
    // The outermost test's limit expires first; name the innermost one.
    const name = [...running.values()].at(-1).name;
    writeSync(2, '\\nTIMEOUT: test "' + name + '" in ' + workerData.file + ' did not finish within ' +
      workerData.seconds + ' s (WG_TEST_TIMEOUT); killing its process\\n');
    // TERM lets a test process that is not stuck in wasm close what it
    // opened (a browser); KILL ends one that is.
    process.kill(workerData.pid, 'SIGTERM');
    setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), 2000);
    for (const r of running.values()) clearTimeout(r.timer);
  }
`, { eval: true, workerData: { pid: process.pid, file, seconds } });
worker.unref();

// Subtests nest: the stack holds the names of the tests now running.
const running = [];
let nextId = 0;
beforeEach((t) => {
  const id = nextId++;
  running.push({ id, name: t.name });
  worker.postMessage({ op: 'start', id, name: running.map((r) => r.name).join(' > ') });
});
afterEach(() => {
  const r = running.pop();
  if (r) worker.postMessage({ op: 'end', id: r.id });
});
