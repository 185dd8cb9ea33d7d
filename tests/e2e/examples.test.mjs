// examples.test.mjs - the examples build and say what their comments promise.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runFile } from './helpers.mjs';

const root = new URL('../../examples/', import.meta.url);

function demo(name) {
  const r = runFile('demo.mjs', { cwd: fileURLToPath(new URL(`${name}/`, root)) });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('examples/arrays: the demo prints the documented results', () => {
  const out = demo('arrays');
  for (const line of [
    'add       [6,8,10,12]',
    'sum       36',
    'addInto   [3,4,5]',
    'scale     [3,4,5]',
    'divide    {"return":3,"remainder":1}',
    'reverse   desserts',
    'isAscii   true false',
    "error     RangeError: divide: parameter 'numerator' must be an integer (i32); got 7.5",
  ]) assert.ok(out.includes(line), `missing: ${line}\n${out}`);
  assert.match(out, /"liveAllocations":0,/);
});

test('examples/strings: reverse keeps combining marks with their base', async () => {
  const { instantiate } = await import(new URL('strings/out/strings.mjs', root));
  const m = await instantiate(readFile(new URL('strings/out/strings.wasm', root)));
  assert.equal(m.reverse('abcdefg'), 'gfedcba');
  assert.equal(m.reverse('héllo wörld'), 'dlröw olléh');
  assert.equal(m.reverse('he\u0301llo wo\u0308rld'), 'dlro\u0308w olle\u0301h');
  assert.equal(m.reverse('a\u20d7\ufe20b\u1dc0'), 'b\u1dc0a\u20d7\ufe20');
  assert.equal(m.reverse('🌍 earth'), 'htrae 🌍');
  assert.equal(m.reverse(''), '');
  assert.equal(m.countChars('héllo'), 5);
  assert.equal(m.stats().liveAllocations, 0);
  assert.match(demo('strings'), /reverse\("abcdefg"\) = "gfedcba"/);
});

test('examples/shapes: every construct of the type system, from the demo', () => {
  const out = demo('shapes');
  for (const line of [
    'midpoint   {"x":1,"y":2}',
    '  [log from C] square',
    'area       4',
    'split      ["a","b","","c"]',
    'join       x-y-z',
    'find       banana null',
    'norm       5 -1',
    'parseColor green',
    "error      true 22 parseColor: unknown color 'mauve'",
    'fileSize   1099511627782',
    'translate  [{"x":10,"y":0},{"x":12,"y":0}]',
    'pixels     [0,0,255,255,0,0,255,255]',
    'live       0',
  ]) assert.ok(out.includes(line), `missing: ${line}\n${out}`);
});
