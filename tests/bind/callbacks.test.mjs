// callbacks.test.mjs - every callback shape and lifetime (idl/binding.md,
// "Callbacks") against tinyevents (tests/bind/ev.h), a library that calls
// back the way real C APIs do: re-entrancy, exceptions thrown by callbacks
// (nothing leaked, the C stack given back), callbacks kept by a resource and
// released with it, callbacks kept until released.
//
//   BIND_OUT=build/tests/bind node --test --expose-gc tests/bind/callbacks.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.resolve(root, process.env.BIND_OUT ?? 'build/tests/bind');
const wasmgen = path.resolve(root, process.env.WASMGEN ?? 'build/wasmgen');
const include = path.resolve(root, process.env.WASMGEN_INCLUDE ?? 'build/include'); // wasmgen.h
const mod = await import(path.join(out, 'ev.mjs'));
const wasm = await readFile(path.join(out, 'ev.wasm'));
const ev = await mod.instantiate(wasm, { debug: true });
const { WasmgenError } = mod;

/** Run fn; afterwards nothing is allocated, registered or on the C stack that was not before. */
function clean(fn, m = ev) {
  const before = m.stats(), sp = m.exports.wg_stack_get();
  fn();
  const after = m.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, 'live allocations changed');
  assert.equal(after.liveCallbacks, before.liveCallbacks, 'live callbacks changed');
  assert.equal(m.exports.wg_stack_get(), sp, 'the C stack pointer moved');
}

test('user data first: the library calls the function with its arguments; its result is the library\'s int', () => clean(() => {
  const seen = [];
  assert.equal(ev.each([1.5, 2.5, 3.5, 4.5], (i, v) => { seen.push([i, v]); return i === 2; }), 3);
  assert.deepEqual(seen, [[0, 1.5], [1, 2.5], [2, 3.5]]);
  assert.equal(ev.each([], () => assert.fail('not called')), 0);
  // a bool callback returns a bool
  assert.throws(() => ev.each([1], () => 1), (e) => e instanceof TypeError &&
    e.message === 'callback visit must return a boolean; got the number 1');
}));

test('a progress callback (user data last, a string), optional', () => clean(() => {
  const steps = [];
  assert.equal(ev.process(new Uint8Array([1, 2, 3, 4, 5]), 2, (done, total, stage) => steps.push(`${done}/${total} ${stage}`)), 15);
  assert.deepEqual(steps, ['2/5 sum', '4/5 sum', '5/5 sum', '5/5 done']);
  assert.equal(ev.process(new Uint8Array([7, 8]), 1, null), 15);
  assert.equal(ev.process(new Uint8Array([7, 8]), 1), 15);
}));

test('no user data (qsort-style): structs by pointer; re-entrant with nested calls', () => clean(() => {
  const pts = [{ x: 3, y: 0 }, { x: 1, y: 5 }, { x: 2, y: 1 }, { x: 0, y: 9 }];
  const order = ev.sortOrder(pts, (a, b) => a.x - b.x);
  assert.deepEqual([...order.view], [3, 1, 2, 0]);
  order.free();
  // A comparator that sorts something else with another comparator, inside.
  let inner = 0;
  const o2 = ev.sortOrder(pts, (a, b) => {
    const r = ev.sortOrder([{ x: 1, y: 0 }, { x: 0, y: 0 }], (p, q) => { inner++; return q.x - p.x; });
    assert.deepEqual([...r.view], [0, 1]);
    r.free();
    return b.y - a.y;
  });
  assert.deepEqual([...o2.view], [3, 1, 2, 0]);
  assert.ok(inner > 0);
  o2.free();
}));

test('re-entrant with user data: a callback that calls the library with another callback', () => clean(() => {
  const log = [];
  ev.each([1, 2], (i, v) => {
    ev.each([10, 20], (j, w) => { log.push(`${v}:${w}`); return false; });
    log.push(`outer ${v}`);
    return false;
  });
  assert.deepEqual(log, ['1:10', '1:20', 'outer 1', '2:10', '2:20', 'outer 2']);
}));

test('a buffer the callback fills: a view of C\'s memory, valid for the call', () => {
  const src = new TextEncoder().encode('hello, callbacks');
  let at = 0, kept = null;
  const text = ev.readAll((buf) => {
    assert.ok(buf instanceof Uint8Array);
    assert.equal(buf.length, 5);
    assert.equal(buf[0], '#'.charCodeAt(0)); // C's memory as it is
    kept = buf;
    const part = src.subarray(at, at + buf.length);
    buf.set(part);
    at += part.length;
    return part.length;
  }, 5);
  assert.equal(text, 'hello, callbacks');
  assert.ok(kept.byteOffset > 0);
});

test('strings with a length in, strings out (copied into memory C frees), null for none', () => {
  clean(() => assert.equal(ev.renameAll(['a', 'bb', 'ccc', 'été'],
    (name) => (name.length === 2 ? null : name.toUpperCase() + name.length)), 'A1,CCC3,ÉTÉ3'));
  // (ev_rename's own buffer, allocated before the callback threw, is the library's to lose)
  assert.throws(() => ev.renameAll(['a'], () => 42), (e) => e instanceof TypeError &&
    e.message === 'callback rename must return a string; got the number 42');
});

test('an argv-style list up to NULL; structs by value and by pointer; a struct result', () => clean(() => {
  let argv;
  assert.equal(ev.run('ls  -l /tmp', (a) => { argv = a; return 7; }), 7);
  assert.deepEqual(argv, ['ls', '-l', '/tmp']);
  assert.equal(ev.sumPoints([{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 5, y: 6 }], (p, q) => p.x * q.y), 1 * 4 + 3 * 6);
  assert.equal(ev.makeSum(4, (i) => ({ x: i, y: 0.5 })), 0 + 1 + 2 + 3 + 4 * 0.5);
  assert.throws(() => ev.makeSum(1, () => ({ x: 1 })), (e) => e instanceof TypeError && /callback make: parameter 'result.y' must be a number/.test(e.message));
}));

test('a resource C passes is a borrowed handle, refused once the callback returned', () => clean(() => {
  let kept = null;
  assert.equal(ev.withScratch((e) => {
    assert.ok(e instanceof ev.Emitter);
    assert.equal(e.emit('x', [1, 2], 'INFO'), -1); // usable during the call
    kept = e;
    return 7;
  }), 7);
  assert.equal(kept.freed, true);
  assert.throws(() => kept.emit('x', [], 'INFO'), (e) => e instanceof TypeError && /whose owner was freed/.test(e.message));
  kept.free(); // lets go; the library already freed the object
}));

test('wrong arguments: TypeErrors naming the function and the parameter, nothing registered', () => clean(() => {
  assert.throws(() => ev.each([1], 'f'), (e) => e instanceof TypeError &&
    e.message === "each: parameter 'fn' must be a function; got a string");
  assert.throws(() => ev.each([1], null), (e) => e instanceof TypeError && /parameter 'fn' must be a function; got null/.test(e.message));
  assert.throws(() => ev.setLogger(() => {}), (e) => e instanceof TypeError &&
    /setLogger: parameter 'fn' must be a callback handle from m.callback\(fn\)/.test(e.message));
  assert.throws(() => ev.callback(3), TypeError);
}));

test('an exception thrown by a callback reaches the caller: nothing leaked, the C stack restored, the callback released', () => clean(() => {
  const boom = new Error('boom');
  assert.throws(() => ev.each([1, 2, 3], (i) => { if (i === 1) throw boom; return false; }), (e) => e === boom);
  assert.throws(() => ev.sortOrder([{ x: 1, y: 1 }, { x: 2, y: 2 }], () => { throw boom; }), (e) => e === boom);
  // deep: the exception crosses two calls into wasm and two callbacks
  assert.throws(() => ev.each([1], () => ev.each([2], () => { throw boom; })), (e) => e === boom);
  // the callbacks of those calls are gone: a later call with no callback registered still works
  assert.equal(ev.each([5], () => true), 1);
}));

test('an exception a callback catches from a nested call leaves the C stack where it was', () => clean(() => {
  // Each outer callback makes a nested call whose callback throws, and catches
  // it: the frames the exception crossed never gave their stack back, so the
  // trampoline restores it. Without that the stack pointer would sink on
  // every iteration, and past the stack, into the module's data.
  const sps = new Set();
  const n = ev.each(new Float64Array(2000), () => {
    sps.add(ev.exports.wg_stack_get());
    try {
      ev.sumPoints([{ x: 0, y: 0 }, { x: 1, y: 1 }], () => { throw new Error('inner'); });
    } catch (e) {
      assert.equal(e.message, 'inner');
    }
    return false;
  });
  assert.equal(n, 2000);
  assert.equal(sps.size, 1, 'the stack pointer each callback starts with');
}));

test('stored by a resource: set with a method, replaced, cleared, released with the resource', () => clean(() => {
  const e = new ev.Emitter();
  assert.equal(e.emit('x', [], 'INFO'), -1);
  const got = [];
  e.on((event, args, level) => { got.push([event, [...args], level]); return args.length; });
  assert.equal(ev.stats().liveCallbacks, 1);
  assert.deepEqual(ev.leaks().filter((l) => l.type === 'callback').map((l) => [l.callback, l.length]),
    [['1 of a Emitter', 1]]); // listed by the resource that keeps it
  assert.equal(e.emit('go', [1, 2, 3], 'ERROR'), 3);
  e.on((event) => event.length); // replaces it
  assert.equal(ev.stats().liveCallbacks, 1);
  assert.equal(e.emit('four', [], 'DEBUG'), 4);
  e.on(null);
  assert.equal(ev.stats().liveCallbacks, 0);
  assert.equal(e.emit('x', [], 'INFO'), -1);
  e.on((event) => { got.push(event); return 0; });
  e.closeOnFree(true);
  e.free(); // the destructor still calls it; then it is released
  assert.deepEqual(got, [['go', [1, 2, 3], 'ERROR'], 'close']);
  assert.equal(ev.stats().liveCallbacks, 0);
}));

test('a library that calls a handler JS cleared: a WasmgenError naming the callback and the resource', () => clean(() => {
  const e = new ev.Emitter();
  e.onSticky(() => 7);
  assert.equal(e.emit('x', [], 'INFO'), 7);
  e.onSticky(null); // JS lets go; the library keeps its pointer to the trampoline
  assert.equal(ev.stats().liveCallbacks, 0);
  assert.throws(() => e.emit('x', [], 'INFO'), (err) => err instanceof WasmgenError &&
    err.message === 'callback handler: C called it for a Emitter that has no handler callback set');
  e.onSticky(() => 8); // set again: called again
  assert.equal(e.emit('x', [], 'INFO'), 8);
  e.free();
}));

test('stored by a resource passed as a parameter; two resources, one handler each', () => clean(() => {
  const a = new ev.Emitter(), b = new ev.Emitter();
  ev.watch(a, () => 1);
  ev.watch(b, () => 2);
  assert.equal(a.emit('x', [], 'INFO') + b.emit('x', [], 'INFO'), 3);
  assert.equal(ev.stats().liveCallbacks, 2);
  a.free();
  assert.equal(ev.stats().liveCallbacks, 1);
  assert.equal(b.emit('x', [], 'INFO'), 2);
  b.free();
}));

test('a resource\'s callbacks end when it is finalized', async () => {
  const before = ev.stats().liveCallbacks;
  (() => {
    const e = new ev.Emitter();
    const big = new Array(1000).fill(e); // the handler refers to its owner: a cycle GC must see through
    e.on(() => big.length);
    assert.equal(e.emit('x', [], 'INFO'), 1000);
  })();
  assert.equal(ev.stats().liveCallbacks, before + 1);
  for (let i = 0; i < 50 && ev.stats().liveCallbacks > before; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(ev.stats().liveCallbacks, before);
  ev.flush();
});

test('given: an emitter the library consumes ends its callbacks; freed by a callback during that call, it is not freed twice', () => clean(() => {
  const seen = [];
  const e = new ev.Emitter();
  e.on((event) => { seen.push(event); return 0; });
  e.closeOnFree(true);
  assert.equal(ev.consume(e, () => false), 0);
  assert.deepEqual(seen, ['close']); // the library freed it: its handler ran, once
  assert.equal(e.freed, true);
  const f = new ev.Emitter();
  const invalid = ev.stats().invalidFrees;
  assert.equal(ev.consume(f, () => { f.free(); return true; }), 1); // freed while the call that gives it runs
  assert.equal(f.freed, true);
  ev.flush();
  assert.equal(ev.stats().invalidFrees, invalid);
}));

test('stored until released: m.callback() handles, listed by leaks(), freed by a scope', () => clean(() => {
  const lines = [];
  const logger = ev.callback((level, msg) => lines.push(`${level} ${msg}`));
  assert.equal(ev.stats().liveCallbacks, 1);
  assert.ok(ev.leaks().some((l) => l.type === 'callback'));
  ev.setLogger(logger);
  assert.equal(ev.log('INFO', 'one'), true);
  assert.equal(ev.log('ERROR', 'two'), true);
  assert.deepEqual(lines, ['INFO one', 'ERROR two']);
  logger.free();
  assert.equal(logger.freed, true);
  // The library still holds it: calling it now throws instead of calling anything.
  assert.throws(() => ev.log('INFO', 'three'), (e) => e instanceof WasmgenError &&
    /callback logger: C called it with user data \d+, which is no live callback's/.test(e.message));
  assert.throws(() => ev.setLogger(logger), (e) => e instanceof TypeError && /a callback that was freed/.test(e.message));
  ev.setLogger(null);
  assert.equal(ev.log('INFO', 'four'), false);
  ev.scope(() => {
    const scoped = ev.callback(() => {});
    ev.setLogger(scoped);
    assert.equal(ev.log('INFO', 'five'), true);
  });
  assert.throws(() => ev.log('INFO', 'six'), WasmgenError); // released with the scope
  ev.setLogger(null);
  // a handle also serves a call
  const kept = ev.scope(() => ev.callback(() => true).keep());
  assert.equal(ev.each([1, 2], kept), 1);
  kept.free();
}));

test('a callback of another instance is refused', async () => {
  const other = await mod.instantiate(wasm);
  const cb = other.callback(() => {});
  assert.throws(() => ev.setLogger(cb), (e) => e instanceof TypeError && /another module instance/.test(e.message));
  cb.free();
});

/** The glue of `idl` (after `module m; include "ev.h";`), compiled against ev.h. */
function compile(idl) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasmgen-cb-'));
  try {
    writeFileSync(path.join(dir, 'm.idl'), `module m;\ninclude "ev.h";\n${idl}\n`);
    const g = spawnSync(wasmgen, ['-o', dir, path.join(dir, 'm.idl')], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    return spawnSync('clang', ['--target=wasm32-wasi', '-fsyntax-only', `-I${include}`,
      `-I${path.join(root, 'tests/bind')}`, `-I${dir}`, path.join(dir, 'm_glue.c')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the C compiler checks each trampoline against the library\'s function-pointer type', () => {
  const each = 'i32 each(f64[] values, u32 n = len(values) as "size_t", visit fn, user_data(fn)) as "int" = ev_each;';
  const ok = compile(`callback bool visit(user_data, i32 index as "int", f64 value) as "int";\n${each}`);
  assert.equal(ok.status, 0, ok.stderr);
  for (const [what, cb, re] of [
    ['a float where ev.h has a double', 'callback bool visit(user_data, i32 index as "int", f32 value) as "int";',
      /incompatible function pointer types/],
    ['the user data last where ev.h has it first', 'callback bool visit(i32 index as "int", f64 value, user_data) as "int";',
      /incompatible function pointer types/],
    ['a parameter too many', 'callback bool visit(user_data, i32 index as "int", f64 value, i32 more) as "int";',
      /incompatible function pointer types/],
    ['a 64-bit result where ev.h returns int', 'callback i64 visit(user_data, i32 index as "int", f64 value);',
      /incompatible function pointer types/],
    ['an int64_t index where ev.h has int', 'callback bool visit(user_data, i64 index, f64 value) as "int";',
      /incompatible function pointer types/],
  ]) {
    const r = compile(`${cb}\n${each}`);
    assert.notEqual(r.status, 0, `${what}: compiled`);
    assert.match(r.stderr, re, what);
  }
  // The IDL type must hold what C passes: an int narrowed into an i16 is an error too.
  const narrow = compile(`callback bool visit(user_data, i16 index as "int", f64 value) as "int";\n${each}`);
  assert.notEqual(narrow.status, 0);
  assert.match(narrow.stderr, /implicit conversion loses integer precision/);
});
