// corners.test.mjs - what tests/e2e/corners.idl gathers: the shapes and paths
// mutation testing found untested (see tests/mutate/README.md).
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const imports = {
  // Outside the Basic Multilingual Plane: surrogate pairs in JS, 4 bytes in UTF-8.
  wide: (n) => '😀𝄞'.repeat(n),
  // A lone surrogate becomes U+FFFD on the way to C.
  lone: (n) => '\udc00' + 'a\ud800'.repeat(n),
  countSack(b) { imports.bag = b; return b.words.length + b.items.length; },
  countKnot(k) {
    imports.knotCalls = (imports.knotCalls ?? 0) + 1;
    const count = (n) => { assert.equal(n.name, 'k'); return 1 + n.kids.reduce((s, c) => s + count(c), 0); };
    return count(k);
  },
};
const fresh = async () => (await load('corners', { imports })).m;
const m = await fresh();
const PAGE = 65536;

function settled(mod, fn) {
  const before = mod.stats();
  const r = fn();
  const after = mod.stats();
  assert.equal(after.liveAllocations, before.liveAllocations, 'live allocations changed');
  assert.equal(after.liveBytes, before.liveBytes, 'live bytes changed');
  return r;
}

test('structs with trailing padding, in lists and nested: every element at its stride', () => {
  const list = [
    { tag: 1, value: 1.5, last: 255 },
    { tag: 0, value: -0, last: 7 },
    { tag: 255, value: -Number.MAX_VALUE, last: 0 },
    { tag: 128, value: Infinity, last: 1 },
  ];
  settled(m, () => {
    const back = m.reversePadded(list);
    assert.deepEqual(back, list.slice().reverse());
    assert.ok(Object.is(back[2].value, -0));
    assert.deepEqual(m.reversePadded([]), []);
    // The padding C sees is zero, whatever the argument area held before (a NaN-filled array).
    m.sumDoubled(new Float64Array(60).fill(NaN));
    assert.equal(m.paddingSum(list), 0);
    const smalls = m.makeSmalls(5);
    assert.deepEqual(smalls, [0, 1, 2, 3, 4].map((i) => ({ a: 65535 - i, b: i * 3 + 1 })));
    const h = { items: list, smalls: [{ a: 65535, b: 255 }, { a: 0, b: 0 }, { a: 1, b: 2 }], tail: { a: 513, b: 254 },
      mark: 254 };
    assert.deepEqual(m.echoHolder(h), { ...h, mark: 255 });
  });
});

test('64-bit optional results beside out parameters, at their limits', () => {
  const I64 = [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n];
  for (const v of I64) {
    assert.deepEqual(m.optI64Outs(true, v), { return: v, count: 7, ratio: Number(v) / 4 });
    assert.deepEqual(m.optI64Outs(false, v), { return: null, count: -7, ratio: Number(v) / 4 });
  }
  for (const v of [0n, 1n, 2n ** 63n, 2n ** 64n - 1n]) {
    assert.deepEqual(m.optU64Outs(true, v), { return: 2n ** 64n - 1n - v, twice: (v * 2n) % 2n ** 64n, odd: (v & 1n) === 1n });
    assert.deepEqual(m.optU64Outs(false, v), { return: null, twice: (v * 2n) % 2n ** 64n, odd: (v & 1n) === 1n });
  }
  const bits = (x) => new BigInt64Array(new Float64Array([x]).buffer)[0];
  for (const v of [-0, 1.5, -Infinity, Number.MIN_VALUE]) {
    assert.deepEqual(m.optF64Outs(true, v), { return: -v, bits: bits(v) });
    assert.deepEqual(m.optF64Outs(false, v), { return: null, bits: bits(v) });
  }
});

test('a resource of another type is refused by name, not as another instance', () => {
  const t = new m.Tally(5), meter = new m.Meter(1);
  assert.equal(m.tallyPeek(t), 5);
  assert.equal(t.count(), 6);
  assert.throws(() => m.tallyPeek(meter), { name: 'TypeError', message: "tallyPeek: parameter 't' must be a Tally; got an object (Meter)" });
  assert.throws(() => t.count.call(meter), { name: 'TypeError', message: /this must be a Tally/ });
  t.free();
  meter.free();
});

test('several out arrays in one call: each returned handle is kept, the in array freed', () => {
  const before = m.stats().liveAllocations;
  const { first, second } = m.twoOutArrays(4);
  const third = m.outBeforeIn([1, 2]);
  assert.equal(m.stats().liveAllocations, before + 3, 'exactly the three returned arrays are live');
  // Allocate over anything freed too early, then read the handles again.
  const filler = [1, 2, 3].map(() => m.twoOutArrays(4));
  assert.deepEqual(Array.from(first.view), [0.5, 1.5, 2.5, 3.5]);
  assert.deepEqual(Array.from(second.view), [0, -1, -2, -3]);
  assert.deepEqual(Array.from(third.view), [2, 4, -1, -1]);
  for (const h of [first, second, third, ...filler.flatMap((r) => [r.first, r.second])]) h.free();
  assert.equal(m.stats().liveAllocations, before);
});

test('an out array sized by a signed parameter: a negative length is refused, with a destination too', () => settled(m, () => {
  const r = m.signedLen(3);
  assert.deepEqual(Array.from(r.view), [0, 1, 2]);
  r.free();
  const negative = { name: 'RangeError', message: "signedLen: out array 'r' would have a negative length (-1)" };
  assert.throws(() => m.signedLen(-1), negative);
  const into = m.alloc.i16(2);
  assert.throws(() => m.signedLen(-1, { r: into }), negative);
  assert.throws(() => m.signedLen(-1, { r: new Int16Array(0) }), negative);
  into.free();
}));

test('an inout array beside a scalar result is copied back', () => settled(m, () => {
  const a = new Float64Array([1, 2.5, -4]);
  assert.equal(m.sumDoubled(a), -1);
  assert.deepEqual([...a], [2, 5, -8]);
  const plain = [3, 4];
  assert.equal(m.sumDoubled(plain), 14);
  assert.deepEqual(plain, [6, 8]);
}));

test('strings an import returns: outside the BMP, and lone surrogates', () => {
  settled(m, () => {
    for (const n of [0, 1, 3, 1000]) {
      assert.equal(m.relayWide(n), '😀𝄞'.repeat(n));
      assert.equal(m.wideBytes(n), 8 * n, 'two 4-byte sequences each');
    }
    assert.equal(m.relayLone(2), '\ufffda\ufffda\ufffd');
  });
});

test('an error with an empty message keeps it empty; a formatted one is passed whole', () => {
  settled(m, () => {
    assert.throws(() => m.failWith(0), (e) => e.name === 'WasmgenError' && e.message === 'failWith: ' && e.code === 40);
    assert.throws(() => m.failWith(7), (e) => e.message === 'failWith: kind 7 of errors' && e.code === 41);
  });
});

// ---- Memory growth inside every marshalling step

// FNV-1a over what C sees (corners.c).
function fnv(h, bytes) { for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0; return h; }
const u32 = (h, v) => fnv(h, [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24]);
const enc = new TextEncoder();
const str = (h, s) => (s == null ? u32(h, 0xffffffff) : fnv(u32(h, enc.encode(s).length), enc.encode(s)));
const bytes = (h, b) => fnv(u32(h, b.length), b);
function padded(h, p) {
  const w = new Uint32Array(new Float64Array([p.value]).buffer);
  return u32(u32(u32(u32(h, p.tag), w[0]), w[1]), p.last);
}
function bag(h, b) {
  h = str(h, b.s); h = bytes(h, b.bytes); h = str(h, b.note); h = u32(u32(h, b.at.a), b.at.b);
  h = u32(h, b.names.length); for (const s of b.names) h = str(h, s);
  h = u32(h, b.pads.length); for (const p of b.pads) h = padded(h, p);
  return u32(h, b.tag);
}
function digest(b, extra, more, many, last) {
  let h = bag(2166136261, b);
  h = str(h, extra); h = bytes(h, more); h = u32(h, many.length);
  for (const x of many) h = bag(h, x);
  return str(h, last);
}

const BIG = 3 << 20; // more than a fresh module has free: allocating it grows memory
const small = (k) => ({ s: `s${k}`, bytes: new Uint8Array([k, 255, 0]), note: `n${k}`, at: { a: 65535 - k, b: k },
  names: ['α', '😀'], pads: [{ tag: k, value: k + 0.25, last: 255 - k }], tag: 200 + k });
const bigStr = (c) => c.repeat(BIG / 4) + '😀'; // 3 MiB of UTF-8, and a 4-byte sequence at the end
const bigBytes = () => Uint8Array.from({ length: BIG }, (_, i) => (i * 7) & 255);
const bigPads = () => Array.from({ length: BIG / 24 }, (_, i) => ({ tag: i & 255, value: i / 8, last: (i * 3) & 255 }));

// Each case makes one step allocate enough to grow memory; every step after
// it must write through the new views.
const steps = {
  'a string field': (a) => { a.b.s = bigStr('s'); },
  'a byte array field': (a) => { a.b.bytes = bigBytes(); },
  'an optional string field': (a) => { a.b.note = bigStr('n'); },
  'a string in a list field': (a) => { a.b.names = ['x', bigStr('l'), 'z']; },
  'a list of padded structs': (a) => { a.b.pads = bigPads(); },
  'a string argument': (a) => { a.extra = bigStr('e'); },
  'an array argument': (a) => { a.more = bigBytes(); },
  'a struct in a list argument': (a) => { a.many[1].s = bigStr('m'); },
  'a list inside a struct in a list': (a) => { a.many[0].pads = bigPads(); },
  'the last, optional string': (a) => { a.last = bigStr('z'); },
};
for (const [what, make] of Object.entries(steps)) {
  test(`memory grows while marshalling ${what}: every later step writes to the new memory`, async () => {
    const mod = await fresh();
    const a = { b: small(1), extra: 'extra', more: new Uint8Array([9, 8, 7]), many: [small(2), small(3)], last: null };
    make(a);
    const pages = mod.memory.buffer.byteLength;
    settled(mod, () => assert.equal(mod.digest(a.b, a.extra, a.more, a.many, a.last), digest(a.b, a.extra, a.more, a.many, a.last)));
    assert.ok(mod.memory.buffer.byteLength > pages, 'memory grew');
  });
}

test('a function whose last parameter is optional: too few or too many arguments are refused', () => {
  const message = (got) => ({ name: 'TypeError', message: `digest: expected 4 to 5 arguments (the last ones are optional), got ${got}` });
  assert.throws(() => m.digest(small(1), 'x', new Uint8Array(1)), message(3));
  assert.throws(() => m.digest(small(1), 'x', new Uint8Array(1), [], null, 6), message(6));
});

test('memory grows while an import returns its string, with C pointers live', async () => {
  const mod = (await load('corners', { imports: { ...imports, wide: (n) => '😀𝄞'.repeat(n) } })).m;
  const pages = mod.memory.buffer.byteLength;
  const n = (BIG / 8) | 0;
  assert.equal(mod.relayWide(n), '😀𝄞'.repeat(n));
  assert.ok(mod.memory.buffer.byteLength > pages, 'memory grew');
});

// ---- Memory grown by someone other than the allocator

test('memory grown behind the allocator: a new segment, the old one still used, the foreign pages untouched', async () => {
  const mod = await fresh();
  const base = mod.stats();
  const initial = mod.memory.buffer.byteLength;
  const warm = mod.alloc.u8(16); // the heap exists
  const low = warm.ptr;
  const end = mod.memory.buffer.byteLength;
  assert.equal(end, initial, 'the first blocks come from the initial memory, without growing it');
  assert.ok(low < initial);
  assert.equal(mod.foreignGrow(4), end / PAGE);
  const foreign = new Uint8Array(mod.memory.buffer, end, 4 * PAGE);
  foreign.fill(0xa5);
  // Too big for what is left below: the allocator grows memory again, after
  // the foreign pages, as a segment of its own.
  const big = mod.alloc.u8(2 * (end - low));
  assert.ok(big.ptr >= end + 4 * PAGE, `the new block (${big.ptr}) is above the foreign pages (${end})`);
  // Small blocks come from what was left of the first segment.
  const smalls = Array.from({ length: 20 }, (_, i) => mod.alloc.u8(100 + i * 37));
  for (const s of smalls) assert.ok(s.ptr + s.length <= end, `block ${s.ptr} is in the first segment`);
  // Blocks in both segments, written and read back, freed in a mixed order.
  const all = [warm, big, ...smalls];
  all.forEach((h, i) => h.view.fill(i + 1));
  const more = Array.from({ length: 20 }, (_, i) => mod.alloc.u8(((end - low) >> 3) + i));
  more.forEach((h, i) => h.view.fill(100 + i));
  all.forEach((h, i) => assert.ok(h.view.every((x) => x === i + 1), `block ${i} intact`));
  more.forEach((h, i) => assert.ok(h.view.every((x) => x === 100 + i), `block ${i} intact`));
  for (const h of [...more.filter((_, i) => i % 2), ...all, ...more.filter((_, i) => !(i % 2))]) h.free();
  assert.equal(mod.stats().liveAllocations, base.liveAllocations);
  assert.equal(mod.stats().liveBytes, base.liveBytes);
  // Freed blocks merge again across the first segment: one block as big as
  // it was before can be had there.
  const again = mod.alloc.u8(end - low - 4096);
  assert.ok(again.ptr + again.length <= end, 'the first segment merged back');
  again.free();
  assert.ok(new Uint8Array(mod.memory.buffer, end, 4 * PAGE).every((x) => x === 0xa5), 'the foreign pages untouched');
});

// ---- Sources instantiate accepts

test('instantiate from every kind of source; a Response of another type falls back to its bytes', async () => {
  const { readFile } = await import('node:fs/promises');
  const { E2E_OUT } = await import('./helpers.mjs');
  const mod = await import(`${E2E_OUT}/corners.mjs`);
  const bytes = await readFile(`${E2E_OUT}/corners.wasm`);
  const wasmType = { headers: { 'content-type': 'application/wasm' } };
  const sources = {
    'a Buffer': bytes,
    'an ArrayBuffer': bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    'a view at an offset': (() => { const u = new Uint8Array(bytes.length + 8); u.set(bytes, 8); return u.subarray(8); })(),
    'a WebAssembly.Module': new WebAssembly.Module(bytes),
    'a Response (application/wasm)': new Response(bytes, wasmType),
    'a Response (application/octet-stream)': new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }),
    'a Response without a type': new Response(new Blob([bytes])),
    'a promise of a Response': Promise.resolve(new Response(bytes, wasmType)),
  };
  for (const [what, src] of Object.entries(sources)) {
    const mm = await mod.instantiate(src, { imports }).catch((e) => assert.fail(`${what}: ${e}`));
    assert.equal(mm.tallyPeek(new mm.Tally(41)), 41, what);
  }
  await assert.rejects(mod.instantiate(new Response('no', { status: 404 }), { imports }),
    { name: 'TypeError', message: 'instantiate: fetching the wasm module failed: HTTP 404' });
  await assert.rejects(mod.instantiate('corners.wasm', { imports }),
    { name: 'TypeError', message: /^instantiate: source must be a BufferSource, a WebAssembly.Module, a Response, a URL or a promise of one; got/ });
});

// ---- The free-on-finalize queue, filled from JavaScript

test('the queue holds exactly its 1,024 slots; the next finalized handle flushes it first', async () => {
  const mod = await fresh();
  const { collect } = await import('./helpers.mjs');
  const base = mod.stats();
  (() => { for (let i = 0; i < 1024; i++) mod.alloc.u8(64); })();
  assert.equal(mod.stats().handleBytes, base.handleBytes + 1024 * 64);
  // stats() reads memory only: no call enters wasm, which would drain the queue.
  assert.ok(await collect(() => mod.stats().pendingFrees === 1024), `1,024 pending: ${mod.stats().pendingFrees}`);
  let s = mod.stats();
  assert.equal(s.pendingBytes, 1024 * 64);
  assert.equal(s.handleBytes, base.handleBytes, 'a finalized handle no longer counts');
  assert.equal(s.liveAllocations, base.liveAllocations + 1024, 'nothing freed yet');
  (() => { mod.alloc.u8(64); })();
  assert.ok(await collect(() => mod.stats().liveAllocations === base.liveAllocations + 1),
    'the 1,025th flushed the full ring (every block freed) before taking its slot');
  s = mod.stats();
  assert.equal(s.pendingFrees, 1);
  assert.equal(s.pendingBytes, 64);
  assert.equal(s.queueFrees - base.queueFrees, 1024);
  mod.flush();
  assert.equal(mod.stats().liveAllocations, base.liveAllocations);
});

// C's lists may share elements: each level's 2 nodes the kids of every node
// of the level above. A few levels are read as often as reached (31 nodes
// from 9, one name shared by all); 40 levels (2^41 - 1 nodes from 81) fail
// the call at the bound of what one struct's reading may decode, wasm
// memory's size, before the import runs (before: read until JS ran out of
// memory).
test('a string[] C passes a JS function is read up to wasm memory\'s size: one string passed many times is refused', () => {
  settled(m, () => {
    let seen;
    assert.equal(m.wordsOf(3, 5, (words) => { seen = words; return words.length; }), 3); // honest sharing: read
    assert.deepEqual(seen, ['wwwww', 'wwwww', 'wwwww']);
    assert.equal(m.wordsOf(0, 5, (words) => words.length), 0);
    seen = undefined;
    // 1,500 pointers to one string of 1 MiB: 1.5 GB to decode from a few MiB of memory
    assert.throws(() => m.wordsOf(1500, 1 << 20, (words) => { seen = words; return 1; }), (e) =>
      e.name === 'WasmgenError' && new RegExp("^callback words_seen: C passed parameter 'words' \\(string\\[\\]\\) holds more " +
        "than wasm memory's \\d+ bytes: its strings share bytes").test(e.message));
    assert.equal(seen, undefined, 'the function was not called');
  });
});

test('an import gets a struct whose lists share elements: read as often as reached, up to wasm memory\'s size', () => {
  imports.knotCalls = 0;
  assert.equal(m.knotOf(0), 31);
  assert.equal(imports.knotCalls, 1);
  settled(m, () => assert.throws(() => m.knotOf(1), (e) => e.name === 'WasmgenError' &&
    /^countKnot: C passed parameter 'k' \(struct knot\) holds more than wasm memory's \d+ bytes: its lists share elements/
      .test(e.message)));
  assert.equal(imports.knotCalls, 1);
  assert.equal(m.knotOf(0), 31); // still usable
});

test('an import gets a struct holding lists: read element by element, C keeps its memory', () => {
  const before = m.stats().liveAllocations;
  assert.equal(m.sackOf(3), 6);
  assert.deepEqual(imports.bag, { words: ['w0', 'w1', 'w2'],
    items: [{ tag: 0, value: 0, last: 10 }, { tag: 1, value: 0.5, last: 11 }, { tag: 2, value: 1, last: 12 }] });
  assert.equal(m.sackOf(0), 0);
  assert.deepEqual(imports.bag, { words: [], items: [] });
  assert.equal(m.stats().liveAllocations, before);
});
