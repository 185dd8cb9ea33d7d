// zlib, bound as it is (zlib.idl; no adapter C): compress in one call, then
// stream through a z_stream, and check both against Node's own zlib.
// host.c prints the same lines natively (checking against itself and a CRC
// of its own, having no other zlib).
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import { instantiate, Z_BEST_COMPRESSION, WasmgenError } from './out/zlib.mjs';

const z = await instantiate(readFile(new URL('out/zlib.wasm', import.meta.url)));

/** Deflate `data` through a Deflater, `chunk` bytes at a time. */
export function deflateAll(z, data, level, windowBits, chunk = 1 << 16) {
  const d = new z.Deflater(level, windowBits), parts = [];
  try {
    for (let off = 0; ; ) {
      const last = off + chunk >= data.length;
      const r = d.deflate(last ? 'FINISH' : 'NO_FLUSH', data.subarray(off, off + chunk));
      parts.push(r.output.toArray());
      r.output.free();
      off = Math.min(off + chunk, data.length) - r.unused;
      if (r.return === 'STREAM_END') return Buffer.concat(parts);
      if (r.unused > 0 || r.output.length === 65536 || last) continue;
    }
  } finally {
    d.free();
  }
}

/** Inflate `data` through an Inflater. */
export function inflateAll(z, data, windowBits) {
  const s = new z.Inflater(windowBits), parts = [];
  try {
    for (let off = 0; ; ) {
      const r = s.inflate('NO_FLUSH', data.subarray(off));
      parts.push(r.output.toArray());
      r.output.free();
      off = data.length - r.unused;
      if (r.return === 'STREAM_END') return Buffer.concat(parts);
      if (r.return === 'BUF_ERROR' && off === data.length) throw new Error('truncated input');
    }
  } finally {
    s.free();
  }
}

const text = Buffer.from('wasmgen binds zlib as it is. '.repeat(2000));
console.log('version  ', z.version());
console.log('crc32    ', z.crc32(0, text) === zlib.crc32(text)); // checked against Node's zlib
const packed = z.compress(text, Z_BEST_COMPRESSION);
console.log('compress ', text.length, '->', packed.length, 'bytes; inflates back:',
  zlib.inflateSync(packed.toArray()).equals(text));
const unpacked = z.uncompress(packed, text.length); // the size is JS's to give: zlib does not record it
console.log('uncompress', 'zlib uncompress of it:', Buffer.from(unpacked.view).equals(text));
unpacked.free();
packed.free();
const gz = deflateAll(z, text, 6, 31, 4096);
console.log('gzip     ', gz.length, 'bytes; gunzips back:', zlib.gunzipSync(gz).equals(text));
console.log('inflate  ', 'of a deflate stream:', inflateAll(z, zlib.deflateSync(text), 15).equals(text));
try {
  inflateAll(z, Buffer.from('not zlib data'), 15);
} catch (e) {
  console.log('error    ', e instanceof WasmgenError, e.code, e.message);
}
console.log('liveAllocations:', z.stats().liveAllocations);
