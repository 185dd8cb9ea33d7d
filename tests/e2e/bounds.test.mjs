// bounds.test.mjs - the exact limits of every check on the JS side: the
// largest and smallest accepted values pass, one past them is refused (a
// RangeError or TypeError naming the function and the parameter, with its
// path inside structs and lists), and nothing leaks. The sweep tests values
// far outside; an off-by-one at a limit only shows here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const alltypes = (await load('alltypes')).m;
const imports = { note() {}, twice: (x) => x, total: () => 0, greet: (s) => s, pick: (c) => c, bump: (v) => v,
  flip: (b) => b, reenter: (n) => n };
const types = (await load('types', { imports })).m;

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const INT = { i8: [-128, 127], u8: [0, 255], i16: [-32768, 32767], u16: [0, 65535], i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1] };
const BIG = { i64: [-(2n ** 63n), 2n ** 63n - 1n], u64: [0n, 2n ** 64n - 1n] };

function noLeak(m, fn) {
  m.flush();
  const before = m.stats();
  fn();
  m.flush();
  const after = m.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, 'live allocations changed');
  assert.equal(after.liveBytes, before.liveBytes, 'live bytes changed');
}

function refused(m, call, Err, message) {
  noLeak(m, () => assert.throws(call, (e) => {
    assert.ok(e instanceof Err, `${e.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  }));
}

for (const [t, [lo, hi]] of Object.entries({ ...INT, ...BIG })) {
  const big = t in BIG, one = big ? 1n : 1;
  test(`${t}: the limits pass as scalars and array elements; one past them is refused`, () => {
    const m = alltypes;
    noLeak(m, () => {
      assert.equal(m[`id${cap(t)}`](lo), lo);
      assert.equal(m[`id${cap(t)}`](hi), hi);
      const h = m[`copy${cap(t)}`]([lo, hi]);
      assert.deepEqual(Array.from(h.view), [lo, hi]);
      h.free();
      if (!big) { // from a typed array of another element type, converted
        const f = m[`copy${cap(t)}`](new Float64Array([lo, hi]));
        assert.deepEqual(Array.from(f.view), [lo, hi]);
        f.free();
      }
    });
    const range = `a ${t} in [${lo}, ${hi}]`;
    for (const v of [lo - one, hi + one]) {
      refused(m, () => m[`id${cap(t)}`](v), RangeError, `id${cap(t)}: parameter 'v' must be a ${t} in [${lo}, ${hi}]; got ${v}`);
      refused(m, () => m[`copy${cap(t)}`]([lo, v]), RangeError, `copy${cap(t)}: parameter 'a[1]' must be ${range}; got ${v}`);
      if (!big)
        refused(m, () => m[`copy${cap(t)}`](new Float64Array([v])), RangeError,
          `copy${cap(t)}: parameter 'a[0]' must be ${range}; got ${v}`);
    }
  });
}

test('i53: ±(2^53 - 1) pass, ±2^53 are refused, as a scalar, a result and a struct field', () => {
  const m = types;
  for (const v of [2 ** 53 - 1, -(2 ** 53 - 1)]) assert.equal(m.idI53(v), v);
  for (const v of [2 ** 53, -(2 ** 53)])
    refused(m, () => m.idI53(v), RangeError, `idI53: parameter 'v' must be a safe integer (i53), within ±(2^53 - 1); got ${v}`);
});

const TAGGED = {
  name: 'n', data: new Uint8Array([1]), note: 'a note', extra: [1], at: { x: 1, y: 2 }, trail: [{ x: 3, y: 4 }],
  tags: ['t'], tint: 'red', big: 1, on: true, small: 1, wide: 1n,
};

test('struct fields at their limits pass; one past is refused with the field path', () => {
  const m = types;
  const edges = { data: new Uint8Array([0, 255]), extra: [-(2 ** 31), 2 ** 31 - 1], big: -(2 ** 53 - 1), small: -128,
    wide: 2n ** 64n - 1n };
  noLeak(m, () => {
    const r = m.echoTagged({ ...TAGGED, ...edges });
    assert.deepEqual(Array.from(r.data.view), [0, 255]);
    assert.deepEqual(Array.from(r.extra.view), [-(2 ** 31), 2 ** 31 - 1]);
    assert.equal(r.big, -(2 ** 53 - 1));
    assert.equal(r.small, -128);
    assert.equal(r.wide, 2n ** 64n - 1n);
    r.data.free();
    r.extra.free();
    const s = m.echoTagged({ ...TAGGED, big: 2 ** 53 - 1, small: 127, wide: 0n });
    assert.deepEqual([s.big, s.small, s.wide], [2 ** 53 - 1, 127, 0n]);
    s.data.free();
    s.extra.free();
  });
  const E = (path, rest) => `echoTagged: parameter 't.${path}' ${rest}`;
  refused(m, () => m.echoTagged({ ...TAGGED, small: 128 }), RangeError, E('small', 'must be a i8 in [-128, 127]; got 128'));
  refused(m, () => m.echoTagged({ ...TAGGED, small: -129 }), RangeError, E('small', 'must be a i8 in [-128, 127]; got -129'));
  refused(m, () => m.echoTagged({ ...TAGGED, wide: -1n }), RangeError, E('wide', 'must be a u64 in [0, 18446744073709551615]; got -1'));
  refused(m, () => m.echoTagged({ ...TAGGED, wide: 2n ** 64n }), RangeError,
    E('wide', 'must be a u64 in [0, 18446744073709551615]; got 18446744073709551616'));
  refused(m, () => m.echoTagged({ ...TAGGED, big: 2 ** 53 }), RangeError,
    E('big', 'must be a safe integer (i53), within ±(2^53 - 1); got 9007199254740992'));
  refused(m, () => m.echoTagged({ ...TAGGED, data: [0, 256] }), RangeError,
    "echoTagged: parameter 't.data[1]' must be a u8 in [0, 255]; got 256");
  refused(m, () => m.echoTagged({ ...TAGGED, data: [-1] }), RangeError,
    "echoTagged: parameter 't.data[0]' must be a u8 in [0, 255]; got -1");
  refused(m, () => m.echoTagged({ ...TAGGED, extra: [2 ** 31] }), RangeError,
    "echoTagged: parameter 't.extra[0]' must be a i32 in [-2147483648, 2147483647]; got 2147483648");
  refused(m, () => m.echoTagged({ ...TAGGED, trail: [{ x: 1, y: 2 }, { x: 1 }] }), TypeError,
    "echoTagged: parameter 't.trail[1].y' must be a number (f64); got undefined");
  refused(m, () => m.echoTagged({ ...TAGGED, tags: ['a', 5] }), TypeError,
    "echoTagged: parameter 't.tags[1]' must be a string; got the number 5");
  refused(m, () => m.echoTagged({ ...TAGGED, tint: 'pink' }), TypeError,
    E('tint', "must be one of 'red', 'green', 'blue', 'negative' (enum color); got a string"));
});

test('a null optional field leaves the fields around it as they were', () => {
  noLeak(types, () => {
    for (const t of [{ ...TAGGED, extra: null }, { ...TAGGED, note: null }, { ...TAGGED, note: null, extra: null }]) {
      const r = types.echoTagged(t);
      assert.equal(r.extra === null ? null : Array.from(r.extra.view)[0], t.extra === null ? null : 1);
      assert.equal(r.note, t.note);
      assert.deepEqual(r.at, t.at);
      assert.equal(r.name, 'n');
      assert.deepEqual(Array.from(r.data.view), [1]);
      r.data.free();
      r.extra?.free();
    }
  });
});

test('a list parameter refuses everything but an array, naming the parameter', () => {
  const m = types;
  const P = (got) => `points: parameter 'pts' must be an array; got ${got}`;
  for (const [v, got] of [[null, 'null'], [undefined, 'undefined'], [5, 'the number 5'], ['ab', 'a string'],
    [{}, 'an object (Object)'], [{ length: 'x' }, 'an object (Object)'], [new Float64Array(2), 'a Float64Array']])
    refused(m, () => m.points(v), TypeError, P(got));
  const h = alltypes.copyF64([1, 2]);
  refused(m, () => m.points(h), TypeError, P('a WasmArray of f64'));
  h.free();
  refused(m, () => m.points([{ x: 1, y: 2 }, 1]), TypeError,
    "points: parameter 'pts[1]' must be an object (struct point); got the number 1");
  refused(m, () => m.strings(['a', null]), TypeError, "strings: parameter 'list[1]' must be a string; got null");
  refused(m, () => m.count(5), TypeError, "count: parameter 'list' must be an array; got the number 5");
  // An array-like object with a length is a list.
  noLeak(m, () => assert.deepEqual(m.points({ length: 1, 0: { x: 1, y: 2 } }), [{ x: 1, y: 2 }]));
});

test('the exact message of each kind of refusal: imports, their results, whole arrays', async () => {
  await assert.rejects(load('types', { imports: 5 }),
    { name: 'TypeError', message: 'instantiate: options.imports must be an object; got the number 5' });
  await assert.rejects(load('types', { imports: { note() {}, flip() {} } }), {
    name: 'TypeError', message: 'instantiate: the module imports note, twice, total, greet, pick, bump, flip, reenter; ' +
      'options.imports lacks twice, total, greet, pick, bump, reenter' });
  const bad = (await load('types', { imports: { ...imports, flip: () => 1, twice: () => 'x', bump: () => 2 ** 53 } })).m;
  assert.throws(() => bad.callFlip(true), { name: 'TypeError', message: 'options.imports.flip must return a boolean; got the number 1' });
  assert.throws(() => bad.callTwice(1), { name: 'TypeError', message: 'options.imports.twice must return a f64; got a string' });
  assert.throws(() => bad.callBump(1), { message: 'options.imports.bump must return a i53; got the number 9007199254740992' });
  refused(alltypes, () => alltypes.copyI64('x'), TypeError,
    "copyI64: parameter 'a' must be a BigInt64Array, an array of BigInts or a WasmArray; got a string");
  refused(alltypes, () => alltypes.copyF64(1), TypeError,
    "copyF64: parameter 'a' must be a Float64Array, an array of numbers or a WasmArray; got the number 1");
});

test('the warning names the MiB the handles hold', async () => {
  const warnings = [];
  const w = (await load('alltypes', { warnBytes: 1 << 20, onWarning: (s) => warnings.push(s) })).m;
  const hs = [w.blank(512 << 10), w.blank(512 << 10), w.blank(512 << 10)];
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^wasmgen \(alltypes\): 1\.5 MiB of wasm memory is held /);
  hs.forEach((h) => h.free());
});

test('an output sink that throws: m.flushOutput() throws the first error; at exit, onError gets each', async () => {
  const boom = (what) => () => { throw new Error(`${what} sink`); };
  const errors = [];
  const { m } = await load('wasi', { stdout: boom('out'), stderr: boom('err'), onError: (e, what) => errors.push([e.message, what]) });
  m.printOutFlush('partial out');
  m.printErr('partial err');
  assert.throws(() => m.flushOutput(), { message: 'out sink' });
  const n = await load('wasi', { stdout: () => {}, stderr: boom('err'), onError: () => {} });
  n.m.printErr('partial err');
  assert.throws(() => n.m.flushOutput(), { message: 'err sink' });
  // exit() with partial lines pending: C is running, so the sinks' errors go
  // to onError and the caller gets the exit.
  m.printOutFlush('more');
  m.printErr('more');
  assert.throws(() => m.exitWith('', 4), { name: 'WasmgenError', code: 4 });
  assert.deepEqual(errors, [['out sink', 'options.stdout'], ['err sink', 'options.stderr']]);
});
