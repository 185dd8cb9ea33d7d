// scalars.test.mjs - every scalar type, returned directly and through out
// parameters, at its edges; and every way a scalar argument can be wrong.
import test from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { load, noLeak } from './helpers.mjs';

const { m } = await load('alltypes');

const EDGES = {
  bool: [true, false],
  i8: [-128, -1, 0, 1, 127],
  u8: [0, 1, 255],
  i16: [-32768, 0, 32767],
  u16: [0, 65535],
  i32: [-(2 ** 31), -1, 0, 2 ** 31 - 1],
  u32: [0, 1, 2 ** 31, 2 ** 32 - 1],
  i64: [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n],
  u64: [0n, 2n ** 63n, 2n ** 64n - 1n],
  f32: [0, -0, 1.5, -2.25, 2 ** 100, NaN, Infinity, -Infinity],
  f64: [0, -0, Math.PI, Number.MIN_VALUE, Number.MAX_VALUE, NaN, Infinity, -Infinity],
};
const cap = (s) => s[0].toUpperCase() + s.slice(1);

for (const [type, values] of Object.entries(EDGES)) {
  test(`${type} round-trips exactly, returned and as an out parameter`, () => {
    for (const v of values) {
      assert.ok(Object.is(m[`id${cap(type)}`](v), v), `id${cap(type)}(${String(v)})`);
      assert.ok(Object.is(m[`out${cap(type)}`](v), v), `out${cap(type)}(${String(v)})`);
    }
  });
}

test('f32 rounds a Number to single precision', () => {
  assert.equal(m.idF32(0.1), Math.fround(0.1));
  assert.equal(m.idF32(1e300), Infinity);
});

test('several results come back as an object keyed by the out names', () => {
  const r = m.split(-(2n ** 40n) - 5n);
  assert.equal(r.return, 2n ** 40n + 5n);
  assert.equal(r.low, -5);
  assert.equal(r.high, 0xfffffeff);
  assert.equal(r.negative, true);
  assert.deepEqual(Array.from(r.halves.view), [-(2 ** 40 + 5) / 2, -(2 ** 40 + 5) / 4]);
  r.halves.free();
  const mm = m.minmax([3, -1, 7.5, 2]);
  assert.deepEqual(mm, { min: -1, max: 7.5 });
});

const BAD = [
  // [function, arguments, error class, message fragment]
  ['idI32', [], TypeError, "idI32: expected 1 argument, got 0"],
  ['idI32', [1, 2], TypeError, "idI32: expected 1 argument, got 2"],
  ['idI32', ['1'], TypeError, "idI32: parameter 'v' must be a number (i32); got a string"],
  ['idI32', [1.5], RangeError, "idI32: parameter 'v' must be an integer (i32); got 1.5"],
  ['idI32', [NaN], RangeError, "idI32: parameter 'v' must be an integer (i32); got NaN"],
  ['idI32', [2 ** 31], RangeError, "idI32: parameter 'v' must be a i32 in [-2147483648, 2147483647]; got 2147483648"],
  ['idI32', [1n], TypeError, "idI32: parameter 'v' must be a number (i32); got the BigInt 1n"],
  ['idU32', [-1], RangeError, "idU32: parameter 'v' must be a u32 in [0, 4294967295]; got -1"],
  ['idU8', [256], RangeError, "idU8: parameter 'v' must be a u8 in [0, 255]; got 256"],
  ['idI8', [-129], RangeError, "idI8: parameter 'v' must be a i8 in [-128, 127]; got -129"],
  ['idU16', [Infinity], RangeError, "idU16: parameter 'v' must be an integer (u16); got Infinity"],
  ['idI64', [1], TypeError, "idI64: parameter 'v' must be a BigInt (i64); got the number 1"],
  ['idI64', [2n ** 63n], RangeError, "idI64: parameter 'v' must be a i64 in [-9223372036854775808, 9223372036854775807]; got 9223372036854775808"],
  ['idU64', [-1n], RangeError, "idU64: parameter 'v' must be a u64 in [0, 18446744073709551615]; got -1"],
  ['idF64', ['x'], TypeError, "idF64: parameter 'v' must be a number (f64); got a string"],
  ['idF64', [1n], TypeError, "idF64: parameter 'v' must be a number (f64); got the BigInt 1n"],
  ['idBool', [1], TypeError, "idBool: parameter 'v' must be a boolean; got the number 1"],
  ['idBool', [undefined], TypeError, "idBool: parameter 'v' must be a boolean; got undefined"],
  ['echo', [42], TypeError, "echo: parameter 's' must be a string; got the number 42"],
  ['concat', ['ok', null], TypeError, "concat: parameter 'b' must be a string; got null"],
  ['copyF64', [{}], TypeError, "copyF64: parameter 'a' must be a Float64Array, an array of numbers or a WasmArray; got an object (Object)"],
  ['copyU8', [[1, 256]], RangeError, "copyU8: parameter 'a[1]' must be a u8 in [0, 255]; got 256"],
  ['copyI32', [[1, 'x']], TypeError, "copyI32: parameter 'a[1]' must be a number (i32); got a string"],
  ['copyI64', [[1n, 2]], TypeError, "copyI64: parameter 'a[1]' must be a BigInt (i64); got the number 2"],
  ['fillF64', [1, -1], RangeError, "fillF64: parameter 'n' must be a u32 in [0, 4294967295]; got -1"],
  ['shadow', [1, 2, 3, 4], TypeError, "shadow: parameter 'memory' must be a string; got the number 4"],
];

for (const [fn, args, Err, message] of BAD) {
  test(`${fn}(${args.map((a) => inspect(a)).join(', ')}) throws ${Err.name} and leaks nothing`, () => {
    noLeak(m, assert, () => {
      assert.throws(() => m[fn](...args), (e) => e instanceof Err && e.message === message);
    });
  });
}

test('a later bad argument frees what earlier arguments allocated', () => {
  noLeak(m, assert, () => {
    assert.throws(() => m.concat('x'.repeat(1000), 7), TypeError);
    assert.throws(() => m.twiceU8(new Uint8Array(100), 1), TypeError); // arity
  });
});

test('names reserved in JS or shadowing runtime names work', () => {
  assert.equal(m.shadow(1, 2, 3, 'four'), 10);
});

test('the module object is frozen and has the runtime members', () => {
  assert.ok(Object.isFrozen(m));
  assert.ok(m.memory instanceof WebAssembly.Memory);
  assert.equal(typeof m.stats, 'function');
  assert.equal(typeof m.exports.wg_f_id_i32, 'function');
});
