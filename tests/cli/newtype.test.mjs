// newtype.test.mjs - a new scalar type is one row of compiler/types.def.
//
// A copy of the compiler and the runtimes gets one more row, `char` (C's
// char, an 8-bit signed integer in JS; a name the old lookup's prefilter
// refused), and nothing else. Built as they are (the C runtime's type lists,
// the native host's conversions, the JS runtime's ranges, checks and codecs
// and its .d.ts all come from the table), a module using the type in every position compiles for wasm32,
// links with that libwasmgen.a, and round-trips values through node.
//
//   node --test tests/cli/newtype.test.mjs   (from the top of the tree)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ROW = `X(CHAR, "char", "char", 1, INT, "Int8Array", "i32", "int32_t",
  "typeof @ !== 'number' || ((@ << 24) >> 24) !== @", "@", "@", "number")
`;

const IDL = `module chars;
struct pair { char a; char b; }
char negate(char c);
char[] reversed(char[] cs);
i32 total(char[] cs);
char? first(char[] cs);
pair swap(pair p);
`;

const C = `#include <stdlib.h>
#include "chars.h"
char chars_negate(char c) { return (char)-c; }
wg_char_array chars_reversed(const char *cs, size_t cs_len) {
    wg_char_array r = {malloc(cs_len ? cs_len : 1), cs_len};
    for (size_t i = 0; i < cs_len; i++) r.ptr[i] = cs[cs_len - 1 - i];
    return r;
}
int32_t chars_total(const char *cs, size_t cs_len) {
    int32_t t = 0;
    for (size_t i = 0; i < cs_len; i++) t += cs[i];
    return t;
}
wg_opt_char chars_first(const char *cs, size_t cs_len) {
    wg_opt_char r = {cs_len > 0, cs_len > 0 ? cs[0] : 0};
    return r;
}
chars_pair chars_swap(chars_pair p) {
    chars_pair r = {p.b, p.a};
    return r;
}
`;

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

test('a scalar type added as one row of types.def works end to end', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasmgen-newtype-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The sources of the build: the Makefile and every file it includes.
  for (const p of ['compiler', 'runtime', 'Makefile', 'tests/tests.mk', 'tests/mutate/mutate.mk', 'tests/host/host.mk', 'bench/bench.mk'])
    cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
  appendFileSync(path.join(dir, 'compiler/types.def'), ROW);
  mkdirSync(path.join(dir, 'build'));
  writeFileSync(path.join(dir, 'build/.deps'), ''); // the packages are this tree's
  run('make', ['-C', dir, '-j2', '--no-print-directory', 'CFLAGS=-O0',
    'build/wasmgen', 'build/wasm32/libwasmgen.a', 'build/gen/wasmgen-runtime.mjs', 'build/include/wasmgen_host_tables.h']);

  // The generated lists hold the new row.
  assert.match(readFileSync(path.join(dir, 'build/include/wasmgen_tables.h'), 'utf8'), /X\(char, char\)/);
  // ... and so do the native host's conversions (NAME_host.c names them).
  assert.match(readFileSync(path.join(dir, 'build/include/wasmgen_host_tables.h'), 'utf8'),
    /#define WG_HOST_FROM_char\(sb, v, w\) \(\(char\)\(int32_t\)\(v\)\)\n/);

  const out = path.join(dir, 'out');
  mkdirSync(out);
  writeFileSync(path.join(dir, 'chars.idl'), IDL);
  writeFileSync(path.join(dir, 'chars.c'), C);
  run(path.join(dir, 'build/wasmgen'), ['-o', out, 'chars.idl'], { cwd: dir });
  assert.match(readFileSync(path.join(out, 'chars.d.ts'), 'utf8'), /\| 'char';\n/);
  run('clang', ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-Wl,--stack-first', '-Wall', '-Wextra', '-Werror',
    `-I${path.join(dir, 'build/include')}`, `-I${out}`, path.join(out, 'chars_glue.c'), 'chars.c',
    `-L${path.join(dir, 'build/wasm32')}`, '-lwasmgen', '-o', path.join(out, 'chars.wasm')], { cwd: dir });

  const { instantiate } = await import(path.join(out, 'chars.mjs'));
  const m = await instantiate(readFileSync(path.join(out, 'chars.wasm')));
  assert.equal(m.negate(5), -5);
  assert.equal(m.negate(-127), 127);
  assert.equal(m.negate(-128), -128); // wraps in C, as char does
  assert.throws(() => m.negate(128), { name: 'RangeError', message: "negate: parameter 'c' must be a char in [-128, 127]; got 128" });
  assert.throws(() => m.negate(1.5), { name: 'RangeError', message: "negate: parameter 'c' must be an integer (char); got 1.5" });
  assert.throws(() => m.negate('a'), { name: 'TypeError', message: "negate: parameter 'c' must be a number (char); got a string" });

  const r = m.reversed(new Int8Array([1, -2, 3]));
  assert.equal(r.type, 'char');
  assert.deepEqual([...r.view], [3, -2, 1]);
  r.free();
  assert.equal(m.total([100, 100, -1]), 199);
  assert.throws(() => m.total([1, 200]), { name: 'RangeError', message: "total: parameter 'cs[1]' must be a char in [-128, 127]; got 200" });
  const h = m.alloc.char(2);
  h.view.set([-7, 9]);
  assert.equal(m.total(h), 2);
  h.free();

  assert.equal(m.first([-9, 4]), -9);
  assert.equal(m.first([]), null);
  assert.deepEqual(m.swap({ a: -1, b: 2 }), { a: 2, b: -1 });
  assert.throws(() => m.swap({ a: 1, b: 300 }), { name: 'RangeError', message: "swap: parameter 'p.b' must be a char in [-128, 127]; got 300" });
  assert.equal(m.stats().liveAllocations, 0);
});
