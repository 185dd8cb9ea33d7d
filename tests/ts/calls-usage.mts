// calls-usage.mts - callbacks and imports (tests/e2e/calls.idl) used as a
// TypeScript user would; `make check-ts` checks it with --strict.
import { instantiate, WasmArray, type Reducer, type Keep, type Label, type Vec, type Tag } from './calls.mjs';

declare const bytes: Uint8Array;

async function main(): Promise<void> {
  const m = await instantiate(bytes, {
    imports: {
      read: (buf: Uint8Array) => { buf[0] = 1; return 1; },
      scale: (v: Float64Array, k: number) => { v[0] *= k; },
      norm: (v: Vec) => Math.hypot(v.x, v.y),
      make: (x: number, y: number) => ({ x, y }),
      series: (n: number) => new Float64Array(n),
      lookup: (key: string) => (key === 'a' ? 'alpha' : null),
      describe: (t: Tag) => t.name,
    },
  });
  const add: Reducer = (acc, x, how) => (how === 'add' ? acc + x : acc * x);
  const total: number = m.fold([1, 2], 0, 'add', add);
  const keepEven: Keep = (x) => x % 2 === 0;
  const kept: WasmArray<Int32Array> = m.filter([1, 2], keepEven);
  const label: Label = (name, parts) => `${name}:${parts.length}`;
  const text: string | null = m.labels(['a'], label);
  const handle = m.callback(add);
  m.remember(handle);
  const same: Reducer = handle.fn;
  handle.free();
  const alive: number = m.stats().liveCallbacks;
  void [total, kept, text, same, alive];

  // @ts-expect-error: a callback's arguments are typed
  m.fold([1], 0, 'add', (acc: string) => acc);
  // @ts-expect-error: a bool callback returns a boolean
  m.filter([1], () => 1);
  // @ts-expect-error: a stored callback is a handle from m.callback()
  m.remember(add);
  // @ts-expect-error: an import's struct result has its fields
  await instantiate(bytes, { imports: { read: () => 0, scale: () => {}, norm: () => 0, make: () => ({ x: 1 }), series: () => [], lookup: () => null, describe: () => '' } });
}
void main;
