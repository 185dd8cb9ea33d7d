// dom-usage.mts - with the DOM lib: the host's own WebAssembly and fetch types
// are what the .d.ts accepts and gives (tsconfig.dom.json).
import { instantiate } from './alltypes.mjs';

declare const compiled: WebAssembly.Module;

async function main(): Promise<void> {
  const streamed = await instantiate(fetch('alltypes.wasm'));
  const fromResponse = await instantiate(await fetch('alltypes.wasm'));
  const fromModule = await instantiate(compiled);
  const fromBytes = await instantiate(new ArrayBuffer(8));
  const memory: WebAssembly.Memory = streamed.memory;
  void [fromResponse, fromModule, fromBytes, memory];
  // @ts-expect-error: a URL string is not a source (fetch it)
  void instantiate('alltypes.wasm');
}
void main;
