// types-usage.mts - the type system's declarations (tests/e2e/types.idl)
// used as a TypeScript user would; `make check-ts` checks it with --strict.
import { instantiate, WasmgenError, WasmArray, type Tagged, type TaggedInput, type Color, type Point, Counter } from './types.mjs';

declare const bytes: Uint8Array;

async function main(): Promise<void> {
  const m = await instantiate(bytes, {
    imports: {
      note: (text: string) => { void text; },
      twice: (x: number) => 2 * x,
      total: (values: Float64Array) => values.length,
      greet: (name: string) => `Hello, ${name}`,
      pick: (c: Color): Color => (c === 'red' ? 'blue' : 'red'),
      bump: (v: number) => v + 1,
      flip: (b: boolean) => !b,
      reenter: (n: number) => n,
    },
  });
  const p: Point = m.mid({ x: 0, y: 0 }, { x: 1, y: 1 });
  const t: TaggedInput = {
    name: 'n', data: new Uint8Array(1), at: p, trail: [p], tags: ['a'], tint: 'green',
    big: 1, on: true, small: -1, wide: 1n,
  };
  const back: Tagged = m.echoTagged(t);
  const bytesBack: Uint8Array = back.data.view;           // a returned struct's arrays are handles
  const extraBack: WasmArray<Int32Array> | null = back.extra;
  const noteBack: string | null = back.note;
  void [bytesBack, extraBack, noteBack];
  const maybe: Tagged | null = m.maybeTagged(true, t);
  const pts: Point[] = m.points([p]);
  const strs: string[] = m.strings(['a']);
  const none: string[] | null = m.maybeStrings(false);
  const n: number = m.count(null) + m.count(undefined) + m.count(['x']) + m.norm() + m.norm(null) + m.norm(p);
  const f: number | null = m.maybeF64(true, 1);
  const big: bigint | null = m.maybeI64(true, 1n);
  const b: boolean | null = m.maybeBool(true, true);
  const s: string | null = m.maybeStr(true);
  const lens: number = m.strLen(null) + m.arrLen(undefined) + m.arrLen([1]) + m.optIn() + m.optIn(2);
  const c: Color = m.nextColor('red');
  const out: Color = m.colorOut('blue');
  const safe: number = m.idI53(2 ** 53 - 1) + m.i53Out(1);
  const counter: Counter = new m.Counter(1);
  const added: number = counter.add(2);
  const clone: Counter = counter.clone();
  const made: Counter = m.makeCounter(3);
  const opt: Counter | null = m.maybeCounter(false);
  const peeked: number = m.peek(counter) + m.peekOpt(null) + m.peekOpt(counter);
  const label: string = counter.label('x');
  counter.free();
  const freed: boolean = counter.freed;
  try { m.failIf(true); } catch (e) { if (e instanceof WasmgenError) { const code: number = e.code; void code; } }

  // @ts-expect-error: enums are their value names
  m.nextColor(1);
  // @ts-expect-error: a returned struct's array is a handle, not what was passed
  const notTyped: Uint8Array = back.data;
  void notTyped;
  // @ts-expect-error: a struct needs its fields
  m.mid({ x: 0 }, p);
  // @ts-expect-error: a Counter, not a number
  m.peek(1);
  // @ts-expect-error: i53 is a number, not a BigInt
  m.idI53(1n);
  // @ts-expect-error: imports are required
  await instantiate(bytes);

  void [back, maybe, pts, strs, none, n, f, big, b, s, lens, c, out, safe, added, clone, made, opt, peeked, label, freed];
}
void main;
