// cjson.test.mjs - the cJSON binding: what cJSON prints is what JSON.parse
// reads; borrowed nodes keep their tree alive and die with it; strings
// cJSON allocates are freed with cJSON_free.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { instantiate, WasmgenError, cJSON_Object, CJSON_VERSION_MAJOR } from './out/cjson.mjs';

const j = await instantiate(readFile(new URL('out/cjson.wasm', import.meta.url)));
const docs = [
  { a: 1, b: [true, false, null], c: { d: 'é ünïcödé ✓', e: -2.5e-3 } },
  [1, 2, [3, [4, [5]]], 'x'],
  'just a string',
  { empty: {}, list: [], n: 0 },
];

test('version and constants', () => {
  assert.equal(j.version(), '1.7.15');
  assert.equal(CJSON_VERSION_MAJOR, 1);
  assert.equal(cJSON_Object, 64);
});

test('parse and print agree with JSON', () => {
  for (const doc of docs) {
    const text = JSON.stringify(doc);
    const n = j.Node.parse(text);
    assert.deepEqual(JSON.parse(n.printUnformatted()), doc);
    assert.deepEqual(JSON.parse(n.print()), doc);
    const copy = n.duplicate(true);
    assert.ok(copy.equals(n, true));
    copy.free();
    n.free();
  }
  assert.equal(j.stats().liveAllocations, 0);
});

test('walking a tree: borrowed nodes, typed accessors', () => {
  const n = j.Node.parse(JSON.stringify(docs[0]));
  assert.ok(n.isObject());
  const b = n.get('b');
  assert.ok(b.isArray());
  assert.equal(b.size(), 3);
  assert.ok(b.item(0).isTrue() && b.item(1).isBool() && !b.item(1).isTrue() && b.item(2).isNull());
  assert.equal(b.item(3), null);
  assert.equal(n.get('c').get('d').stringValue(), 'é ünïcödé ✓');
  assert.equal(n.get('c').get('e').numberValue(), -2.5e-3);
  assert.equal(n.get('a').stringValue(), null);
  assert.equal(n.get('missing'), null);
  b.free(); // a borrowed handle lets go: the tree is untouched
  assert.equal(n.get('b').size(), 3);
  n.free();
  assert.equal(j.stats().liveAllocations, 0);
});

test('a borrowed node fails once its tree is freed', () => {
  const n = j.Node.parse('{"list": [1, 2, 3]}');
  const list = n.get('list');
  n.free();
  assert.ok(list.freed);
  assert.throws(() => list.size(), (e) => e instanceof TypeError && /whose owner was freed/.test(e.message));
  assert.throws(() => n.size(), /freed/);
});

test('a borrowed node keeps its tree alive', async () => {
  let list = (() => j.Node.parse('{"list": [1, 2, 3]}').get('list'))();
  for (let i = 0; i < 10; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 0));
    j.flush();
  }
  assert.equal(list.size(), 3);
  assert.equal(list.item(2).numberValue(), 3);
  list = null;
});

test('building, named constructors, failures', () => {
  const o = j.Node.object();
  o.addNumber('n', 1.5);
  o.addString('s', 'x');
  o.addBool('yes', true);
  o.addObject('inner').addArray('list');
  assert.deepEqual(JSON.parse(o.printUnformatted()), { n: 1.5, s: 'x', yes: true, inner: { list: [] } });
  const num = j.Node.number(7);
  assert.ok(num.isNumber());
  assert.equal(j.Node.str('hi').stringValue(), 'hi');
  assert.throws(() => new j.Node(), /named constructors/);
  assert.throws(() => j.Node.parse('{"a": '), (e) => e instanceof WasmgenError && /cJSON_ParseWithLength/.test(e.message));
  assert.throws(() => o.equals({}, true), TypeError);
  num.free();
  o.free();
});
