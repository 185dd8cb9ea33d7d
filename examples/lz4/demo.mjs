// LZ4, bound as it is (lz4.idl; no adapter C): block compression, whose
// output size is known only after the call.
import { readFile } from 'node:fs/promises';
import { instantiate, LZ4_MAX_INPUT_SIZE } from './out/lz4.mjs';

const lz4 = await instantiate(readFile(new URL('out/lz4.wasm', import.meta.url)));
console.log('version   ', lz4.version(), lz4.versionNumber());

const text = new TextEncoder().encode('LZ4 is fast. '.repeat(1000));
const block = lz4.compress(text);
console.log('compress  ', text.length, '->', block.length, 'bytes (bound', lz4.compressBound(text.length) + ')');
const back = lz4.decompress(block, text.length);
console.log('decompress', back.length, 'bytes, same:', Buffer.from(back.view).equals(Buffer.from(text)));
block.free();
back.free();
try {
  lz4.decompress(new Uint8Array([0xf0, 1, 2]), 100);
} catch (e) {
  console.log('error     ', `${e.name}: ${e.message} (code ${e.code})`);
}
try {
  lz4.decompress(new Uint8Array(4), -1);
} catch (e) {
  console.log('error     ', `${e.name}: ${e.message}`);
}
console.log('max input ', LZ4_MAX_INPUT_SIZE, 'liveAllocations:', lz4.stats().liveAllocations);
