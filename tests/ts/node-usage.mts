// node-usage.mts - a Node-only project: lib es2022 and @types/node, no DOM
// (tsconfig.node.json). The .d.ts must not need BufferSource, WebAssembly or
// any other DOM name; Node's Buffer and fetch Response are sources.
import { readFile } from 'node:fs/promises';
import { instantiate } from './alltypes.mjs';
import { instantiate as instantiateWasi } from './wasi.mjs';
import { WASI } from 'node:wasi';

async function main(): Promise<void> {
  const fromFile = await instantiate(readFile('alltypes.wasm'));
  const fromUrl = await instantiate(new URL('./alltypes.wasm', import.meta.url));
  void fromUrl;
  const fromBuffer = await instantiate(await readFile('alltypes.wasm'));
  const fromFetch = await instantiate(fetch('https://example.invalid/alltypes.wasm'));
  const withWasi = await instantiateWasi(readFile('wasi.wasm'), { wasi: new WASI({ version: 'preview1' }) });
  const buffer: ArrayBuffer = fromFile.memory.buffer;
  void [fromBuffer, fromFetch, withWasi, buffer];
  // @ts-expect-error: a path is not a source
  void instantiate('alltypes.wasm');
}
void main;
