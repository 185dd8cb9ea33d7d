// fset-usage.mts - flag sets (tests/e2e/fset.idl) as a TypeScript user
// meets them; `make check-ts` checks it with --strict: a parameter takes
// the flags' names or a number, a result is the names, the values are
// exported as literal types.
import { instantiate, Perms, type FsetModule } from './fset.mjs';

declare const bytes: Uint8Array;

async function main(): Promise<void> {
  const m: FsetModule = await instantiate(bytes);
  const set: Perms[] = m.dropWrite(['read', 'write']);
  const bits: number = m.bits(Perms.read | Perms.exec);
  const exec: 8 = Perms.exec;
  const names: readonly Perms[] = ['read', 'rw'];
  m.bits(names);
  // @ts-expect-error: 'READ' is no flag of perms
  m.bits(['READ']);
  // @ts-expect-error: a single name is not a list
  m.bits('read');
  // @ts-expect-error: the values are read-only
  Perms.read = 4;
  const mode: Perms[] = m.modeOf({ name: 'a', mode: ['exec'] });
  const back: Perms[] = m.apply(['read'], (p: Perms[]) => [...p, 'exec']);
  console.log(set, bits, exec, mode, back);
}
void main;
