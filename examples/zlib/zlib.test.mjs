// zlib.test.mjs - the zlib binding against Node's own zlib, both directions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { instantiate, WasmgenError, Z_BEST_COMPRESSION, Z_DEFAULT_COMPRESSION, MAX_WBITS } from './out/zlib.mjs';

const z = await instantiate(readFile(new URL('out/zlib.wasm', import.meta.url)));
const inputs = {
  empty: Buffer.alloc(0),
  text: Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(5000)),
  random: randomBytes(200_000),
  zeros: Buffer.alloc(1 << 20),
};

/** Deflate through a Deflater, `chunk` input bytes per call. */
function deflateAll(data, level, windowBits, chunk) {
  const d = new z.Deflater(level, windowBits), parts = [];
  try {
    let off = 0;
    for (;;) {
      const last = off + chunk >= data.length;
      const r = d.deflate(last ? 'FINISH' : 'NO_FLUSH', data.subarray(off, off + chunk));
      assert.ok(r.output.length <= 65536);
      parts.push(r.output.toArray());
      r.output.free();
      off = Math.min(off + chunk, data.length) - r.unused;
      if (r.return === 'STREAM_END') return Buffer.concat(parts);
      assert.equal(r.return, 'OK');
    }
  } finally {
    d.free();
  }
}

function inflateAll(data, windowBits, chunk = data.length) {
  const s = new z.Inflater(windowBits), parts = [];
  try {
    let off = 0;
    for (;;) {
      const r = s.inflate('NO_FLUSH', data.subarray(off, off + chunk));
      parts.push(r.output.toArray());
      r.output.free();
      off = Math.min(off + chunk, data.length) - r.unused;
      if (r.return === 'STREAM_END') return Buffer.concat(parts);
      if (off >= data.length && r.output.length < 65536) throw new Error('truncated');
    }
  } finally {
    s.free();
  }
}

test('constants are the header\'s', () => {
  assert.equal(Z_BEST_COMPRESSION, 9);
  assert.equal(Z_DEFAULT_COMPRESSION, -1);
  assert.equal(MAX_WBITS, 15);
  assert.equal(z.version(), '1.2.13');
});

test('checksums match node', () => {
  for (const [name, data] of Object.entries(inputs)) {
    assert.equal(z.crc32(0, data), zlib.crc32(data), name);
    let a = 1, b = 0;
    for (const x of data) { a = (a + x) % 65521; b = (b + a) % 65521; }
    assert.equal(z.adler32(1, data), ((b << 16) | a) >>> 0, name);
  }
  assert.equal(z.crc32(z.crc32(0, inputs.text.subarray(0, 10)), inputs.text.subarray(10)), zlib.crc32(inputs.text));
});

test('compress: node inflates it', () => {
  for (const [name, data] of Object.entries(inputs)) {
    for (const level of [0, 1, 6, 9, -1]) {
      const out = z.compress(data, level);
      assert.ok(out.length <= z.compressBound(data.length));
      assert.deepEqual(zlib.inflateSync(out.toArray()), data, `${name} level ${level}`);
      out.free();
    }
  }
  assert.throws(() => z.compress(inputs.text, 10), (e) => e instanceof WasmgenError && e.code === -2 &&
    e.message === 'compress: stream error');
});

test('uncompress: what node compresses, into a capacity JS gives', () => {
  for (const [name, data] of Object.entries(inputs)) {
    const out = z.uncompress(zlib.deflateSync(data), data.length);
    assert.deepEqual(Buffer.from(out.view), data, name);
    out.free();
    // More room than needed: the result has the length zlib produced.
    const roomy = z.uncompress(zlib.deflateSync(data), data.length + 100);
    assert.equal(roomy.length, data.length, name);
    roomy.free();
  }
  const before = z.stats().liveAllocations;
  assert.throws(() => z.uncompress(zlib.deflateSync(inputs.text), inputs.text.length - 1),
    (e) => e instanceof WasmgenError && e.code === -5 && e.message === 'uncompress: buffer error');
  assert.throws(() => z.uncompress(Buffer.from('not zlib'), 100),
    (e) => e instanceof WasmgenError && e.code === -3 && e.message === 'uncompress: data error');
  assert.throws(() => z.uncompress(inputs.text, -1),
    (e) => e instanceof RangeError && /^uncompress: parameter 'capacity' must be a u32/.test(e.message));
  assert.throws(() => z.uncompress(inputs.text, '100'),
    (e) => e instanceof TypeError && /^uncompress: parameter 'capacity'/.test(e.message));
  assert.throws(() => z.uncompress(inputs.text, 2 ** 31),
    (e) => e instanceof RangeError && /^uncompress: parameter 'dest': a capacity of 2147483648 elements is out of range/.test(e.message));
  assert.equal(z.stats().liveAllocations, before);
});

test('streaming deflate: zlib, gzip and raw, in small chunks; node decompresses them', () => {
  for (const [name, data] of Object.entries(inputs)) {
    assert.deepEqual(zlib.inflateSync(deflateAll(data, 6, 15, 1000)), data, `${name} zlib`);
    assert.deepEqual(zlib.gunzipSync(deflateAll(data, 9, 31, 70000)), data, `${name} gzip`);
    assert.deepEqual(zlib.inflateRawSync(deflateAll(data, 1, -15, 4096)), data, `${name} raw`);
  }
});

test('streaming inflate: what node compresses', () => {
  for (const [name, data] of Object.entries(inputs)) {
    assert.deepEqual(inflateAll(zlib.deflateSync(data), 15), data, `${name} zlib`);
    assert.deepEqual(inflateAll(zlib.gzipSync(data), 31, 777), data, `${name} gzip`);
    assert.deepEqual(inflateAll(zlib.deflateRawSync(data), -15), data, `${name} raw`);
  }
});

test('errors: zlib\'s codes and messages, nothing leaked', () => {
  const before = z.stats().liveAllocations;
  assert.throws(() => inflateAll(Buffer.from('not a zlib stream'), 15),
    (e) => e instanceof WasmgenError && e.code === -3 && e.message === 'Inflater.inflate: incorrect header check');
  const bad = zlib.deflateSync(inputs.text);
  bad[bad.length - 1] ^= 0xff; // the Adler-32 at the end
  assert.throws(() => inflateAll(bad, 15), /incorrect data check/);
  assert.throws(() => new z.Inflater(99), (e) => e instanceof WasmgenError && e.code === -2 &&
    /stream error/.test(e.message));
  const d = new z.Deflater(6, 15);
  assert.throws(() => d.deflate('LOTS', Buffer.alloc(1)), TypeError);
  d.free();
  assert.equal(z.stats().liveAllocations, before);
});

test('a freed stream is refused; finalized streams run deflateEnd', async () => {
  const d = new z.Deflater(6, 15);
  d.free();
  assert.throws(() => d.deflate('FINISH', Buffer.alloc(1)), /freed/);
  const before = z.stats().liveAllocations;
  (() => { for (let i = 0; i < 20; i++) new z.Deflater(6, 15); })();
  for (let i = 0; i < 50 && z.stats().liveAllocations > before; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 0));
    z.flush();
  }
  if (globalThis.gc) assert.equal(z.stats().liveAllocations, before);
});
