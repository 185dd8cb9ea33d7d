// sweep.test.mjs - every function of alltypes.idl, every parameter, every
// kind of wrong argument: a TypeError or RangeError that names the function
// and the parameter, and the allocator's live counts unchanged afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { load } from './helpers.mjs';

const { m, mod } = await load('alltypes');
const other = (await load('alltypes')).m;

const camel = (s) => s.replace(/([a-z0-9])_([a-z])/g, (_, a, b) => a + b.toUpperCase());

// The declarations, read from the IDL itself (one per line there).
const funcs = [];
for (const line of readFileSync(new URL('alltypes.idl', import.meta.url), 'utf8').split('\n')) {
  const d = /^(\w+(?:\[\])?) (\w+)\((.*)\);$/.exec(line.trim());
  if (!d) continue;
  const params = d[3] === '' ? [] : d[3].split(',').map((p) => {
    const [, mode = 'in', type, array, len, name] = /^(?:(in|out|inout) )?(\w+)(\[(\w*(?:\(\w+\))?)\])? (\w+)$/.exec(p.trim());
    return { mode, type, array: !!array, len, name };
  });
  funcs.push({ name: d[2], js: camel(d[2]), params });
}

const INT = { i8: [-128, 127], u8: [0, 255], i16: [-32768, 32767], u16: [0, 65535],
  i32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1] };
const BIG = { i64: 2n ** 63n, u64: 2n ** 64n };

function good(p) {
  if (p.array) return BIG[p.type] ? [1n, 2n] : [1, 2];
  if (p.type === 'bool') return true;
  if (p.type === 'string') return 'ok';
  if (BIG[p.type]) return 1n;
  return 1;
}

function freed() { const h = m.copyF64([1]); h.free(); return h; }
function detached() { const t = new Float64Array(2); structuredClone(t.buffer, { transfer: [t.buffer] }); return t; }

// [value, error class] pairs that must be refused for a parameter.
function bad(p) {
  if (p.array) {
    const elem = BIG[p.type] ? [[1], TypeError] : INT[p.type] ? [[1.5], RangeError] : [['x'], TypeError];
    const wrongType = p.type === 'f64' ? m.copyF32([1]) : m.copyF64([1]);
    return [['abc', TypeError], [5, TypeError], [null, TypeError], [undefined, TypeError], elem,
      [freed(), TypeError], [other.copyF64([1]), TypeError], [wrongType, TypeError],
      ...(p.type === 'f64' ? [[detached(), TypeError]] : [])];
  }
  if (p.type === 'bool') return [[1, TypeError], ['true', TypeError], [undefined, TypeError]];
  if (p.type === 'string') return [[1, TypeError], [null, TypeError], [{}, TypeError], [['a'], TypeError]];
  if (BIG[p.type]) return [[1, TypeError], ['1', TypeError], [BIG[p.type], RangeError], [-(2n ** 63n) - 1n, RangeError]];
  if (INT[p.type]) {
    const [lo, hi] = INT[p.type];
    return [['1', TypeError], [1n, TypeError], [1.5, RangeError], [NaN, RangeError], [Infinity, RangeError],
      [hi + 1, RangeError], [lo - 1, RangeError], [undefined, TypeError]];
  }
  return [['1', TypeError], [1n, TypeError], [undefined, TypeError], [null, TypeError]]; // f32, f64
}

function refused(fn, args, Err, what) {
  const before = m.stats();
  assert.throws(() => m[fn.js](...args), (e) => {
    assert.ok(e instanceof Err, `${what}: ${e.name}: ${e.message}`);
    assert.ok(e.message.startsWith(`${fn.js}: `), `${what}: ${e.message}`);
    return true;
  });
  const after = m.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, `${what} leaked`);
  assert.equal(after.liveBytes, before.liveBytes, `${what} leaked bytes`);
}

assert.ok(funcs.length > 60, 'the IDL was read');
for (const fn of funcs) {
  const ins = fn.params.filter((p) => p.mode !== 'out');
  const outArrays = fn.params.some((p) => p.mode === 'out' && p.array);
  test(`${fn.js}: every wrong argument is refused, naming it, leaking nothing`, () => {
    const args = ins.map(good);
    refused(fn, [...args, 1, 2], TypeError, 'too many arguments');
    if (!outArrays) refused(fn, [...args, {}], TypeError, 'one too many');
    if (args.length) refused(fn, args.slice(0, -1), TypeError, 'too few arguments');
    ins.forEach((p, i) => {
      for (const [v, Err] of bad(p)) {
        const call = args.slice();
        call[i] = v;
        const what = `${p.name} = ${inspect(v, { depth: 0 })}`;
        refused(fn, call, Err, what);
        assert.throws(() => m[fn.js](...call), (e) => e.message.includes(`'${p.name}'`) || e.message.includes(`'${p.name}[`),
          `${what}: names the parameter (or its element: 'a[1]')`);
        // (freed now, so that no finalizer frees it during a later test's count)
        if (v instanceof mod.WasmArray && !v.freed) v.free();
      }
    });
  });
}

// Every property of every argument is read at most once (what is checked is
// what C gets: a getter cannot answer the check one way and the copy
// another): each array-like argument and the destinations object are
// proxies that count their reads.
function counted(target) {
  const reads = new Map();
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(t, key, receiver);
    },
  });
  return { proxy, reads };
}

for (const fn of funcs) {
  const ins = fn.params.filter((p) => p.mode !== 'out');
  const outArrays = fn.params.filter((p) => p.mode === 'out' && p.array);
  if (!ins.some((p) => p.array) && outArrays.length === 0) continue;
  test(`${fn.js}: each property of an argument is read once`, () => {
    const watched = [];
    const args = ins.map((p) => {
      if (!p.array) return good(p);
      const c = counted(good(p));
      watched.push([p.name, c.reads]);
      return c.proxy;
    });
    if (outArrays.length) {
      const c = counted({});
      watched.push(['the destinations', c.reads]);
      args.push(c.proxy);
    }
    m.flush(); // (what finalizers left, given back before the count)
    const before = m.stats();
    const r = m[fn.js](...args);
    for (const v of [r, ...(r && typeof r === 'object' && !ArrayBuffer.isView(r) ? Object.values(r) : [])])
      if (v && typeof v.free === 'function') v.free();
    assert.equal(m.stats().liveAllocations, before.liveAllocations, 'leaked');
    for (const [name, reads] of watched) {
      assert.ok(reads.size > 0 || name === 'the destinations', `${name}: read at all`);
      for (const [key, n] of reads) assert.equal(n, 1, `${fn.js}: '${name}'.${key} read ${n} times`);
    }
  });
}
