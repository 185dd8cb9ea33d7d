// main.mjs - the page's script: load the module, make each call in `calls`,
// show each result beside what it should be. tests/browser/browser.test.mjs
// reads the table, so a new call is one entry here and nothing else.
import { instantiate } from './out/browser.mjs';

const $ = (id) => document.getElementById(id);
const printTo = (id) => (line) => { $(id).textContent += `${line}\n`; };

/**
 * [label, call, expected]: `call(m)` runs against the module; its result is
 * shown with show() and compared with `expected` by that text. Handles C
 * returns are read inside m.scope(), which frees them.
 */
const calls = [
  ['greet("browser")', (m) => m.greet('browser'), 'Hello, browser!'],
  ['reverse("héllo wörld 🌍")', (m) => m.reverse('héllo wörld 🌍'), '🌍 dlröw olléh'],
  ['add([1, 2, 3], Float64Array [10, 20, 30])', (m) => m.scope(() => m.add([1, 2, 3], new Float64Array([10, 20, 30])).toArray()), [11, 22, 33]],
  ['sum(add(...)) with no copy between', (m) => m.scope(() => m.sum(m.add([0.5, 1.5], [2, 4]))), 8],
  ['scale(Float32Array [1.5, 2, 2.5], 2)', (m) => { const d = new Float32Array([1.5, 2, 2.5]); m.scale(d, 2); return d; }, [3, 4, 5]],
  ['divide(7, 2)', (m) => m.divide(7, 2), { return: 3, remainder: 1 }],
  ['divide(7.5, 2)', (m) => { try { return m.divide(7.5, 2); } catch (e) { return `${e.name}: ${e.message}`; } },
    "RangeError: divide: parameter 'numerator' must be an integer (i32); got 7.5"],
  ['logLines(3)', (m) => m.logLines(3), undefined],
  ['env("WHERE") from options.env', (m) => m.env('WHERE'), 'in a browser'],
  ['env("HOME")', (m) => m.env('HOME'), null],
  ['nowMs() within 1 s of Date.now()', (m) => Math.abs(m.nowMs() - Date.now()) < 1000, true],
  ['randomBytes(32): not all zero', (m) => m.scope(() => m.randomBytes(32).view.some((b) => b !== 0)), true],
  ['midpoint({x: 0, y: 0}, {x: 2, y: 4}): a struct', (m) => m.midpoint({ x: 0, y: 0 }, { x: 2, y: 4 }), { x: 1, y: 2 }],
  ['new Tally(1).add(2.5), then mood(): a resource and an enum', (m) => m.scope(() => { const t = new m.Tally(1); return [t.add(2.5), t.add(-10), t.mood()]; }), [3.5, -6.5, 'dark']],
  ['stats().handleBytes: every handle was freed', (m) => m.stats().handleBytes, 0],
];

/** A value as text: typed arrays as arrays, undefined and null as such. */
function show(v) {
  if (v === undefined) return 'undefined';
  if (ArrayBuffer.isView(v)) v = Array.from(v);
  return JSON.stringify(v);
}

function row(label, result, expected) {
  const tr = document.createElement('tr');
  const ok = result === expected;
  tr.className = ok ? 'ok' : 'wrong';
  tr.dataset.call = label;
  for (const [cls, text] of [['call', label], ['result', result], ['expected', expected], ['mark', ok ? '✔' : '✘']]) {
    const td = document.createElement('td');
    td.className = cls;
    td.textContent = text;
    tr.append(td);
  }
  $('calls').tBodies[0].append(tr);
  return ok;
}

async function main() {
  // No source: out/browser.wasm, beside out/browser.mjs, compiled while it streams in.
  const m = await instantiate(null, {
    stdout: printTo('stdout'),
    stderr: printTo('stderr'),
    env: { WHERE: 'in a browser' },
  });
  let passed = 0;
  for (const [label, call, expected] of calls) {
    let result;
    try {
      result = show(await call(m));
    } catch (e) {
      result = `threw ${e.name}: ${e.message}`;
    }
    if (row(label, result, show(expected))) passed++;
  }
  m.flushOutput();
  const status = $('status');
  status.textContent = `${passed} of ${calls.length} calls gave the expected result.`;
  if (passed !== calls.length) status.className = 'failed';
}

main().catch((e) => {
  $('status').textContent = `Failed: ${e.name}: ${e.message}`;
  $('status').className = 'failed';
}).finally(() => { document.body.dataset.done = 'true'; });
