// lean-usage.mts - a module of numbers and strings (tests/e2e/lean.idl),
// whose JS meets no handle, used as a TypeScript user would; `make check-ts`
// checks it with --strict. Its .d.ts declares WasmArray for the members'
// types but, as its .mjs, does not export it.
// @ts-expect-error: a module without handles exports no WasmArray
import { WasmArray } from './lean.mjs';
import { instantiate, WasmgenError, type LeanModule, type InstantiateOptions } from './lean.mjs';

declare const bytes: Uint8Array;

async function main(): Promise<void> {
  const options: InstantiateOptions = { debug: true, onError: (e, what) => console.warn(what, e) };
  const m: LeanModule = await instantiate(bytes, options);
  const text: string = m.repeat('ab', 2, '-');
  const word: string | null = m.firstWord(' a b');
  const half: number = m.half(3);
  // @ts-expect-error: a string result is a string, not a number
  const wrong: number = m.repeat('a', 1, '');
  // @ts-expect-error: three arguments
  m.repeat('a', 1);
  const inScope: number = m.scope(() => m.half(2));
  const live: number = m.stats().liveAllocations;
  try {
    m.repeat('a', 1 << 30, '');
  } catch (e) {
    if (e instanceof WasmgenError) void e.code;
  }
  void [text, word, half, wrong, inScope, live, WasmArray];
}
void main;
