// usage.mts - calls every function of tests/e2e/alltypes.idl with the types a
// user would; `make check-ts` type-checks it with tsc --strict against the
// generated alltypes.d.ts, with the DOM lib and without it (Node's types
// only), so it uses nothing either lacks. Lines marked @ts-expect-error must
// stay errors.
import { instantiate, WasmArray, type AlltypesModule } from './alltypes.mjs';

declare const bytes: Uint8Array;

async function main(): Promise<void> {
  const m: AlltypesModule = await instantiate(bytes);
  const zero: AlltypesModule = await instantiate();          // alltypes.wasm beside alltypes.mjs
  const zeroToo: AlltypesModule = await instantiate(null, { debug: true });
  void [zero, zeroToo];
  const flag: boolean = m.idBool(true);
  const small: number = m.idI8(-1) + m.idU8(1) + m.idI16(1) + m.idU16(1) + m.idI32(1) + m.idU32(1);
  const big: bigint = m.idI64(1n) + m.idU64(2n);
  const real: number = m.idF32(1.5) + m.idF64(2.5);
  const outs: number = m.outI32(3) + m.outF64(1);
  const outBig: bigint = m.outU64(1n);
  const outFlag: boolean = m.outBool(false);

  const h: WasmArray<Float64Array> = m.copyF64(new Float64Array([1, 2]));
  const v: Float64Array = h.view;
  const n: number = h.length + h.byteLength + h.ptr;
  const again: WasmArray<Float64Array> = m.copyF64(h);
  const fromList: WasmArray<Int32Array> = m.copyI32([1, 2, 3]);
  const wide: WasmArray<BigInt64Array> = m.copyI64([1n, 2n]);
  const first: bigint = wide.view[0];
  for (const x of h) { const y: number = x; void y; }
  m.incF32(new Float32Array(2));
  m.incU16([1, 2]);
  const filled: WasmArray<Uint8Array> = m.fillU8(7, 10);
  const twice: WasmArray<Int16Array> = m.twiceI16(new Int16Array(3));
  const three: WasmArray<Float64Array> = m.three(1);

  const s = m.split(-5n);
  const parts: [bigint, number, number, boolean, Float64Array] = [s.return, s.low, s.high, s.negative, s.halves.view];
  const mm: { min: number; max: number } = m.minmax([1, 2]);

  const e: string = m.echo('text');
  const len: number = m.byteLength('x') + m.countNul('a\0b');
  const t: boolean = m.nulTerminated('x');
  const c: string = m.concat('a', 'b');
  const maybe: string | null = m.maybe(false);
  if (maybe !== null) { const sure: string = maybe; void sure; }
  const maybeNot: string = m.maybeNot(true);
  const ramp: WasmArray<Float64Array> = m.ramp(10);
  const none: WasmArray<Uint8Array> = m.emptyArray();
  const grown: number = m.growHeap(1);
  const nothing: void = m.nothing();
  const shadowed: number = m.shadow(1, 2, 3, 'four');

  {
    using scoped = m.ramp(4);
    void scoped.view;
  }
  const scoped: WasmArray<Float64Array> = m.scope(() => m.ramp(3).keep());
  const asyncScoped: Promise<number> = m.scope(async () => m.ramp(2).length);
  const made: WasmArray<Float32Array> = m.alloc.f32(4);
  const made2: WasmArray<BigUint64Array> = m.alloc('u64', 2);
  const copied: WasmArray<Uint16Array> = m.from(new Uint16Array(3));
  const copied2: WasmArray<Int8Array> = WasmArray.from(new Int8Array(3), m);
  // A destination comes back as itself; without one, a new handle.
  const into: Float64Array = m.twiceF64([1], { r: new Float64Array(1) });
  const intoHandle: WasmArray<Float64Array> = m.twiceF64([1], { r: m.alloc.f64(1) });
  const intoNothing: WasmArray<Float64Array> = m.twiceF64([1], {});
  const intoOne: { return: bigint; halves: Float64Array } = m.split(1n, { halves: new Float64Array(2) });
  const leaks: number = m.leaks().length;
  void [scoped, asyncScoped, made, made2, copied, copied2, into, intoHandle, intoNothing, intoOne, leaks];
  h.free();
  const stats = m.stats();
  const live: number = stats.liveAllocations + stats.liveBytes + stats.queueFrees + stats.pendingFrees;
  const flushed: number = m.flush();
  const mem: ArrayBuffer = m.memory.buffer;
  const grewFrom: number = m.memory.grow(0);

  // @ts-expect-error: i64 takes a BigInt
  m.idI64(1);
  // @ts-expect-error: i32 takes a number
  m.idI32(1n);
  // @ts-expect-error: strings only
  m.echo(42);
  // @ts-expect-error: an f32 handle is not an f64 array
  m.copyF64(m.copyF32([1]));
  // @ts-expect-error: out parameters are not passed
  m.outI32(1, 2);
  // @ts-expect-error: not an element type
  m.alloc('f16', 1);
  // @ts-expect-error: destinations are named after out parameters
  m.twiceF64([1], { result: new Float64Array(1) });
  // @ts-expect-error: a string? result may be null
  const notNull: string = m.maybe(true);
  // @ts-expect-error: a typed-array destination comes back as that typed array, not a handle
  const notHandle: WasmArray<Float64Array> = m.twiceF64([1], { r: new Float64Array(1) });
  // @ts-expect-error: the destination's element type is the out array's
  m.twiceF64([1], { r: new Float32Array(1) });
  // @ts-expect-error: not a wasm source
  void instantiate('alltypes.wasm');

  void [flag, small, big, real, outs, outBig, outFlag, v, n, again, fromList, first, filled, twice,
        three, parts, mm, e, len, t, c, maybeNot, ramp, none, grown, nothing, shadowed, live, flushed, mem,
        grewFrom, notNull, notHandle];
}
void main;
