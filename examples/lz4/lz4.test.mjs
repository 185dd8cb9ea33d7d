// lz4.test.mjs - the LZ4 binding: round trips, and every compressed block
// decoded by an independent decoder written here from the block format's
// specification (lz4_Block_format.md), the reference the outputs must match.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { instantiate, WasmgenError, LZ4_MAX_INPUT_SIZE } from './out/lz4.mjs';

const lz4 = await instantiate(readFile(new URL('out/lz4.wasm', import.meta.url)));

/** The LZ4 block format, decoded: sequences of literals and (offset, length) matches. */
function decodeBlock(src) {
  const out = [];
  for (let i = 0; i < src.length; ) {
    const token = src[i++];
    let n = token >> 4;
    if (n === 15) for (let b = 255; b === 255; ) n += (b = src[i++]);
    for (let k = 0; k < n; k++) out.push(src[i++]);
    if (i >= src.length) break; // the last sequence has literals only
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    let m = token & 15;
    if (m === 15) for (let b = 255; b === 255; ) m += (b = src[i++]);
    for (let k = 0, from = out.length - offset; k < m + 4; k++) out.push(out[from + k]);
  }
  return Uint8Array.from(out);
}

const inputs = {
  empty: new Uint8Array(0),
  one: new Uint8Array([42]),
  text: new TextEncoder().encode('Squeamish ossifrage. '.repeat(3000)),
  random: new Uint8Array(randomBytes(100_000)),
  zeros: new Uint8Array(1 << 20),
};

test('version and constants', () => {
  assert.equal(lz4.version(), '1.9.4');
  assert.equal(lz4.versionNumber(), 10904);
  assert.equal(LZ4_MAX_INPUT_SIZE, 0x7e000000);
  assert.equal(lz4.compressBound(0), 16);
  assert.equal(lz4.compressBound(LZ4_MAX_INPUT_SIZE + 1), 0);
});

test('compress: the block decodes to the input (reference decoder), and back through LZ4', () => {
  for (const [name, data] of Object.entries(inputs)) {
    for (const block of [lz4.compress(data), lz4.compressFast(data, 8)]) {
      assert.ok(block.length > 0 && block.length <= lz4.compressBound(data.length), name);
      assert.deepEqual(decodeBlock(block.view), data, `${name}: reference decoder`);
      const back = lz4.decompress(block, data.length);
      assert.deepEqual(back.toArray(), data, `${name}: LZ4_decompress_safe`);
      back.free();
      block.free();
    }
  }
});

test('decompress: a block written by hand', () => {
  // "abc" as literals, then a match of offset 3, length 9: "abcabcabcabc".
  const block = new Uint8Array([0x35, 0x61, 0x62, 0x63, 3, 0, 0x00]);
  // The last sequence must be literals: add 5 literal bytes "defgh".
  const full = new Uint8Array([0x35, 0x61, 0x62, 0x63, 3, 0, 0x50, 0x64, 0x65, 0x66, 0x67, 0x68]);
  assert.equal(new TextDecoder().decode(lz4.decompress(full, 100).view), 'abcabcabcabcdefgh');
  assert.throws(() => lz4.decompress(block, 100), (e) => e instanceof WasmgenError && e.code < 0);
});

test('failures: a malformed block, a small capacity, an impossible one; nothing leaked', () => {
  const before = lz4.stats().liveAllocations;
  const block = lz4.compress(inputs.text);
  assert.throws(() => lz4.decompress(block, 100), (e) => e instanceof WasmgenError &&
    /LZ4_decompress_safe failed/.test(e.message));
  assert.throws(() => lz4.decompress(block, -1), RangeError);
  assert.throws(() => lz4.decompress(block, 2 ** 31), RangeError);
  assert.throws(() => lz4.decompress(block, 1.5), RangeError);
  block.free();
  assert.equal(lz4.stats().liveAllocations, before);
});
