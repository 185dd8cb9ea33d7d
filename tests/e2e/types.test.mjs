// types.test.mjs - structs, enums, lists, optionals, errors, i53, resources
// and imports through a real module (tests/e2e/types.idl), both directions,
// with the allocator's counts checked for leaks.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, collect } from './helpers.mjs';

const calls = { note: [] };
let reenterHook = null;
const imports = {
  note: (text) => { calls.note.push(text); },
  twice: (x) => 2 * x,
  total: (values) => { calls.totalArg = Array.from(values); calls.totalType = values.constructor.name; return values.reduce((a, b) => a + b, 0) | 0; },
  greet: (name) => `Hello, ${name}`,
  pick: (c) => (c === 'red' ? 'blue' : 'red'),
  bump: (v) => v + 1,
  flip: (b) => !b,
  reenter: (n) => (reenterHook ? reenterHook(n) : n),
};
const { m, mod } = await load('types', { imports });
const { WasmArray, WasmgenError } = mod;

function settle() { m.flush(); return m.stats(); }
function leakFree(fn) {
  const before = settle();
  fn();
  const after = settle();
  assert.equal(after.liveAllocations, before.liveAllocations, 'live allocations changed');
  assert.equal(after.liveBytes, before.liveBytes, 'live bytes changed');
}

const TAGGED = {
  name: 'héllo', data: new Uint8Array([1, 2, 255]), note: 'a note', extra: [-1, 2 ** 31 - 1],
  at: { x: 1.5, y: -2 }, trail: [{ x: 1, y: 2 }, { x: 3, y: 4 }], tags: ['x', '', '😀'],
  tint: 'negative', big: -(2 ** 53 - 1), on: true, small: -128, wide: 2n ** 64n - 1n,
};

test('structs by value, nested, with strings, arrays and lists inside', () => {
  assert.deepEqual(m.mid({ x: 0, y: 0 }, { x: 2, y: -4 }), { x: 1, y: -2 });
  leakFree(() => {
    const r = m.echoTagged(TAGGED);
    assert.equal(r.name, 'héllo');
    assert.ok(r.data instanceof WasmArray);
    assert.deepEqual(Array.from(r.data.view), [1, 2, 255]);
    assert.equal(r.note, 'a note');
    assert.deepEqual(Array.from(r.extra.view), [-1, 2 ** 31 - 1]);
    assert.deepEqual(r.at, { x: 1.5, y: -2 });
    assert.deepEqual(r.trail, [{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    assert.deepEqual(r.tags, ['x', '', '😀']);
    assert.equal(r.tint, 'negative');
    assert.equal(r.big, -(2 ** 53 - 1));
    assert.equal(r.on, true);
    assert.equal(r.small, -128);
    assert.equal(r.wide, 2n ** 64n - 1n);
    r.data.free();
    r.extra.free();
    const n = m.echoTagged({ ...TAGGED, note: null, extra: undefined, trail: [], tags: [] });
    assert.equal(n.note, null);
    assert.equal(n.extra, null);
    assert.deepEqual(n.trail, []);
    assert.deepEqual(n.tags, []);
    n.data.free();
  });
});

test('struct? results and parameters', () => {
  leakFree(() => {
    assert.equal(m.maybeTagged(false, TAGGED), null);
    const r = m.maybeTagged(true, TAGGED);
    assert.equal(r.name, 'héllo');
    r.data.free();
    r.extra.free();
  });
  assert.equal(m.norm({ x: 3, y: 4 }), 25);
  assert.equal(m.norm(null), -1);
  assert.equal(m.norm(undefined), -1);
  assert.equal(m.norm(), -1);
});

test('lists of structs and strings; optional lists', () => {
  leakFree(() => {
    assert.deepEqual(m.points([{ x: 1, y: 2 }]), [{ x: 1, y: 2 }]);
    assert.deepEqual(m.points([]), []);
    assert.deepEqual(m.strings(['a', 'béta', '', 'x'.repeat(1000)]), ['a', 'béta', '', 'x'.repeat(1000)]);
    assert.deepEqual(m.maybeStrings(true), ['only']);
    assert.equal(m.maybeStrings(false), null);
    assert.equal(m.count(null), 999);
    assert.equal(m.count([]), 0, 'an empty list is not NULL');
    assert.equal(m.count(['a', 'b']), 2);
  });
});

test('optional scalars, strings and arrays', () => {
  assert.equal(m.maybeF64(true, 1.5), 1.5);
  assert.equal(m.maybeF64(false, 1.5), null);
  assert.equal(m.maybeI64(true, -(2n ** 63n)), -(2n ** 63n));
  assert.equal(m.maybeI64(false, 1n), null);
  assert.equal(m.maybeBool(true, false), false);
  assert.equal(m.maybeBool(false, true), null);
  leakFree(() => {
    assert.equal(m.optIn(2.5), 2.5);
    assert.equal(m.optIn(null), -1);
    assert.equal(m.optIn(), -1);
    assert.equal(m.maybeStr(true), 'yes');
    assert.equal(m.maybeStr(false), null);
    assert.equal(m.strLen(null), 999);
    assert.equal(m.strLen(''), 0);
    assert.equal(m.strLen('abc'), 3);
    assert.equal(m.arrLen(null), 999);
    assert.equal(m.arrLen([]), 0);
    assert.equal(m.arrLen([1, 2]), 2);
  });
});

test('enums: strings in JS, checked both ways', () => {
  assert.equal(m.nextColor('red'), 'green');
  assert.equal(m.nextColor('green'), 'blue');
  assert.equal(m.nextColor('blue'), 'negative');
  assert.equal(m.nextColor('negative'), 'red');
  assert.equal(m.colorOut('red'), 'green');
  assert.throws(() => m.nextColor('purple'), { name: 'TypeError', message: "nextColor: parameter 'c' must be one of 'red', 'green', 'blue', 'negative' (enum color); got a string" });
  assert.throws(() => m.nextColor(5), TypeError);
  assert.throws(() => m.badColor(), (e) => e instanceof WasmgenError && /returned 99, which is not a value of enum color/.test(e.message));
  assert.throws(() => m.echoTagged({ ...TAGGED, tint: 'mauve' }), /parameter 't.tint' must be one of/);
});

test('i53: int64_t in C, a safe integer in JS', () => {
  for (const v of [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1)]) assert.equal(m.idI53(v), v);
  assert.equal(m.i53Out(5), -5);
  assert.throws(() => m.idI53(2 ** 53), { name: 'RangeError' });
  assert.throws(() => m.idI53(1.5), RangeError);
  assert.throws(() => m.idI53(1n), TypeError);
  assert.throws(() => m.bigI53(), (e) => e instanceof WasmgenError && /not a safe integer/.test(e.message));
  assert.throws(() => m.echoTagged({ ...TAGGED, big: 2 ** 60 }), /parameter 't.big' must be a safe integer/);
});

test('throws: C reports, JS throws a WasmgenError; partial results are freed', () => {
  assert.equal(m.failIf(false), 1);
  leakFree(() => {
    assert.throws(() => m.failIf(true), (e) => e instanceof WasmgenError && e.code === 7 && e.message === 'failIf: asked to fail (7)');
    assert.throws(() => m.failStr(true), { name: 'WasmgenError', code: 8 });
    assert.throws(() => m.failArr(true, 1000), { name: 'WasmgenError', code: 9 });
    assert.throws(() => m.failStruct(true), { name: 'WasmgenError', code: 10 });
    assert.throws(() => m.failOut(true), { name: 'WasmgenError', code: 11 });
    assert.equal(m.failStr(false), 'partial');
    const s = m.failStruct(false);
    assert.equal(s.name, 'made');
    s.data.free();
    const o = m.failOut(false);
    assert.equal(o.return, 3);
    assert.equal(o.r, 5);
    assert.deepEqual(Array.from(o.pair.view), [1, 2]);
    o.pair.free();
  });
  assert.ok(new WasmgenError('x') instanceof Error);
});

test('resources: constructor, methods, borrowed and owned, destructor exactly once', () => {
  const drops = m.drops();
  const c = new m.Counter(5);
  assert.ok(c instanceof m.Counter);
  assert.equal(c.add(2), 7);
  assert.equal(m.peek(c), 7);
  assert.equal(m.peekOpt(c), 7);
  assert.equal(m.peekOpt(null), -1);
  const d = c.clone();
  assert.ok(d instanceof m.Counter);
  assert.equal(d.add(0), 7);
  assert.equal(c.label('n'), 'n');
  assert.throws(() => c.label(''), { name: 'WasmgenError', message: 'Counter.label: empty prefix for 7' });
  const made = m.makeCounter(3);
  assert.equal(m.peek(made), 3);
  assert.equal(m.maybeCounter(false), null);
  const maybe = m.maybeCounter(true);
  assert.throws(() => m.nullCounter(), (e) => e instanceof WasmgenError && /NULL for a counter/.test(e.message));
  c.free();
  c.free();
  assert.equal(c.freed, true);
  assert.equal(m.drops(), drops + 1, 'free() ran the destructor once');
  d[Symbol.dispose]();
  made.free();
  maybe.free();
  assert.equal(m.drops(), drops + 4);
  assert.throws(() => c.add(1), { name: 'TypeError', message: 'Counter.add: this is a Counter that was freed' });
  assert.throws(() => m.peek(c), { name: 'TypeError', message: "peek: parameter 'c' is a Counter that was freed" });
  assert.throws(() => m.peek({}), /parameter 'c' must be a Counter/);
  assert.throws(() => new m.Counter(), /Counter: expected 1 argument, got 0/);
  assert.throws(() => new m.Counter('5'), TypeError);
  assert.equal(m.liveCounters(), 0);
});

test('resources: scopes free them, finalization runs the destructor in wasm', async () => {
  const drops = m.drops();
  const kept = m.scope(() => {
    new m.Counter(1);
    new m.Counter(2);
    return new m.Counter(3);
  });
  assert.equal(m.drops(), drops + 2);
  assert.equal(kept.add(0), 3);
  kept.free();
  // More than the queue's 1,024 slots: a full ring is flushed, never dropped.
  (() => { for (let i = 0; i < 3000; i++) new m.Counter(i); })();
  assert.equal(m.liveCounters(), 3000);
  assert.ok(await collect(() => m.liveCounters() - m.stats().pendingFrees === 0), 'finalizers queued them all');
  assert.equal(m.liveCounters(), 0, 'entering an export ran the destructors');
  assert.equal(m.drops(), drops + 3 + 3000);
});

test('resources of another instance are refused', async () => {
  const other = (await load('types', { imports })).m;
  const c = new other.Counter(1);
  assert.throws(() => m.peek(c), { name: 'TypeError', message: "peek: parameter 'c' is a Counter of another module instance" });
  c.free();
});

test('imports: called from C with strings, arrays, enums, i53; results marshalled back', () => {
  leakFree(() => {
    calls.note.length = 0;
    assert.equal(m.callNote('hi ✓', 3), 3);
    assert.deepEqual(calls.note, ['hi ✓', 'hi ✓', 'hi ✓']);
    assert.equal(m.callTwice(1.25), 2.5);
    assert.equal(m.callTotal([1, 2, 3.5]), 6);
    assert.deepEqual(calls.totalArg, [1, 2, 3.5]);
    assert.equal(calls.totalType, 'Float64Array');
    assert.equal(m.callGreet('Ada'), 'Hello, Ada');
    assert.equal(m.callPick('red'), 'blue');
    assert.equal(m.callBump(2 ** 53 - 2), 2 ** 53 - 1);
    assert.equal(m.callFlip(true), false);
  });
});

test('imports: a missing one is a clear error at instantiate', async () => {
  await assert.rejects(load('types', { imports: { ...imports, twice: undefined } }),
    { name: 'TypeError', message: /options\.imports lacks twice/ });
  await assert.rejects(load('types', {}), /options\.imports lacks note, twice, total, greet, pick, bump, flip, reenter/);
});

test('imports: a wrong result, or a throw, reaches the caller; nothing leaks; the C stack is given back', () => {
  const sp = m.stackProbe();
  leakFree(() => {
    imports.twice = () => 'x';
    assert.throws(() => m.callTwice(1), { name: 'TypeError', message: 'options.imports.twice must return a f64; got a string' });
    imports.twice = (x) => 2 * x;
    const boom = new Error('boom');
    imports.note = () => { throw boom; };
    for (let i = 0; i < 1000; i++) assert.throws(() => m.callNote('x', 1), (e) => e === boom);
    imports.note = (text) => { calls.note.push(text); };
    imports.greet = () => 42;
    assert.throws(() => m.callGreet('x'), /options\.imports\.greet must return a string/);
    imports.greet = (name) => `Hello, ${name}`;
  });
  assert.equal(m.stackProbe(), sp, 'the C stack pointer is where it was');
});

test('imports may call back into the module (re-entrancy), and throw from deep inside', () => {
  const sp = m.stackProbe();
  reenterHook = (n) => (n === 0 ? 0 : m.callReenter(n - 1) + 1);
  assert.equal(m.callReenter(5), 5);
  reenterHook = (n) => { if (n === 2) throw new RangeError('deep'); return m.callReenter(n - 1) + 1; };
  assert.throws(() => m.callReenter(6), { name: 'RangeError', message: 'deep' });
  reenterHook = (n) => {
    if (n === 0) return 0;
    try { return m.callReenter(n - 1) + 1; } catch { return 100; } // caught inside: the outer C frames go on
  };
  const inner = reenterHook;
  reenterHook = (n) => (n === 1 ? (() => { throw new Error('x'); })() : inner(n));
  assert.equal(m.callReenter(4), 102);
  reenterHook = null;
  assert.equal(m.stackProbe(), sp);
});
