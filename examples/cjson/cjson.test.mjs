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

// ---- Giving nodes to a tree: cJSON_AddItemToObject and cJSON_AddItemToArray
// take the item (`given(self)`): its handle no longer frees it and is
// borrowed from the parent, which it keeps alive; cJSON_Detach* gives an
// owned node back.

const settle = async () => {
  for (let i = 0; i < 6; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 0));
    j.flush();
  }
};

test('a tree built from owned nodes prints the expected JSON and is freed once, with its root', () => {
  const base = j.stats();
  const root = j.Node.object();
  const list = j.Node.array();
  const nums = [1, 2.5, -3].map((v) => j.Node.number(v));
  for (const n of nums) list.append(n);
  const inner = j.Node.object();
  inner.addItem('deep', j.Node.str('é ✓'));
  root.addItem('list', list);
  root.addItem('inner', inner);
  root.addItem('copy', inner.duplicate(true));
  // the given handles stay usable while the tree lives
  assert.equal(list.size(), 3);
  assert.equal(nums[1].numberValue(), 2.5);
  list.append(j.Node.str('more'));
  assert.equal(inner.get('deep').stringValue(), 'é ✓');
  assert.deepEqual(JSON.parse(root.printUnformatted()),
    { list: [1, 2.5, -3, 'more'], inner: { deep: 'é ✓' }, copy: { deep: 'é ✓' } });
  for (const h of [list, inner, ...nums]) assert.equal(h.freed, false);
  list.free(); // lets go of the handle: the tree keeps its node
  assert.equal(root.get('list').size(), 4);
  root.free();
  for (const h of [inner, ...nums]) {
    assert.equal(h.freed, true);
    assert.throws(() => h.numberValue(), /whose owner was freed/);
  }
  const after = j.stats();
  assert.equal(after.invalidFrees, base.invalidFrees);
  assert.equal(after.liveAllocations, base.liveAllocations);
});

test('detaching gives an owned node back; it can be given again', () => {
  const base = j.stats().liveAllocations;
  const root = j.Node.parse('{"a": [1, 2], "b": "x"}');
  const a = root.detach('a');
  assert.equal(root.detach('missing'), null);
  assert.deepEqual(JSON.parse(a.printUnformatted()), [1, 2]);
  const one = a.detachItem(0);
  assert.equal(one.numberValue(), 1);
  assert.deepEqual(JSON.parse(root.printUnformatted()), { b: 'x' });
  a.append(one);
  root.addItem('a', a);
  assert.deepEqual(JSON.parse(root.printUnformatted()), { b: 'x', a: [2, 1] });
  root.free();
  assert.equal(j.stats().liveAllocations, base);
  assert.equal(j.stats().invalidFrees, 0);
});

const ownerFreed = (fn) => (e) => e instanceof TypeError && e.message === `${fn}: this is a Node whose owner was freed`;

test('a detached node takes the handles that reached it: usable while it lives, refused once it is freed', () => {
  const base = j.stats();
  const root = j.Node.object(), n = j.Node.str('x'), kid = j.Node.number(7);
  n.addItem('k', kid); // (a string node with a child: cJSON does not mind)
  root.addItem('x', n); // n: borrowed from root
  const got = root.get('x'), inner = got.get('k'); // borrowed from root, and from got
  const d = root.detach('x'); // the same object: d owns it now
  assert.equal(d.stringValue(), 'x');
  root.free(); // the handles that reached x follow it to d: they outlive root
  for (const h of [n, got]) assert.equal(h.stringValue(), 'x');
  assert.equal(inner.numberValue(), 7);
  assert.equal(kid.numberValue(), 7);
  d.free(); // cJSON_Delete: x and its child are gone
  for (const [h, fn] of [[n, 'Node.stringValue'], [got, 'Node.stringValue'], [inner, 'Node.numberValue'], [kid, 'Node.numberValue']]) {
    assert.equal(h.freed, true);
    assert.throws(() => h[fn.slice(5)](), ownerFreed(fn));
  }
  // nothing wrote into the freed nodes, nor freed them twice
  const one = j.Node.number(1);
  assert.throws(() => n.addItem('y', one), ownerFreed('Node.addItem'));
  one.free(); // refused: JS still owned it
  const after = j.stats();
  assert.equal(after.invalidFrees, base.invalidFrees);
  assert.equal(after.liveAllocations, base.liveAllocations);
});

test('the hazard binding.md described: a node detached and freed, its old handles used with the tree alive', () => {
  const base = j.stats();
  const root = j.Node.object(), n = j.Node.object();
  root.addItem('x', n);
  const got = root.get('x');
  root.detach('x').free(); // owned by the detached handle, freed with it
  const one = j.Node.number(1);
  for (const h of [n, got]) {
    assert.throws(() => h.addItem('y', one), ownerFreed('Node.addItem')); // (would write into the freed node)
    assert.throws(() => h.printUnformatted(), ownerFreed('Node.printUnformatted'));
  }
  assert.equal(one.freed, false);
  one.free();
  assert.deepEqual(JSON.parse(root.printUnformatted()), {});
  root.free();
  const after = j.stats();
  assert.equal(after.invalidFrees, base.invalidFrees);
  assert.equal(after.liveAllocations, base.liveAllocations);
});

test('a handle that ended before its object\'s address was owned anew stays ended', () => {
  const root = j.Node.object(), x = j.Node.number(1);
  root.addItem('a', x);
  const got = root.get('a');
  root.free(); // x and got ended; x's address goes back to the allocator
  const made = [];
  for (let i = 0; i < 4; i++) made.push(j.Node.number(2)); // ... and comes back as one of these (the second, as cJSON allocates)
  for (const h of [x, got]) {
    assert.equal(h.freed, true);
    assert.throws(() => h.numberValue(), ownerFreed('Node.numberValue'));
  }
  for (const h of made) h.free();
});

test('a detached node nobody keeps: once it is collected (and destroyed), the handles that reached it are refused', async () => {
  await settle();
  const base = j.stats();
  const root = j.Node.object(), n = j.Node.number(3);
  root.addItem('n', n);
  root.detach('n'); // dropped: finalization destroys it (n, not used since, does not keep it)
  await settle();
  assert.equal(j.stats().liveAllocations, base.liveAllocations + 1); // root alone
  assert.throws(() => n.numberValue(), ownerFreed('Node.numberValue'));
  root.free();
  assert.equal(j.stats().invalidFrees, base.invalidFrees);
});

test('detached, given again, detached again: the stale handles stay consistent in every order', () => {
  const base = j.stats().liveAllocations;
  const root = j.Node.object(), other = j.Node.object(), n = j.Node.number(1);
  root.addItem('n', n);
  const d = root.detach('n');
  other.addItem('m', d); // d, and n through it, borrowed from other
  assert.equal(n.numberValue(), 1);
  const d2 = other.detach('m'); // owned anew: n and d follow it
  assert.equal(n.numberValue(), 1);
  assert.equal(d.numberValue(), 1);
  // n is the same object as d2: giving d2 to n would make cJSON's tree a cycle
  assert.throws(() => n.append(d2), (e) => e instanceof TypeError && /its new owner belongs to: it would own itself/.test(e.message));
  other.free();
  root.free();
  assert.equal(n.numberValue(), 1);
  d2.free();
  for (const h of [n, d]) assert.throws(() => h.numberValue(), ownerFreed('Node.numberValue'));
  // a handle not used while its object changed owner twice is refused (the owner between is not known)
  const r = j.Node.parse('{"k": 5}'), k = r.get('k'), o = j.Node.object();
  const k1 = r.detach('k');
  o.addItem('k', k1);
  const k2 = o.detach('k');
  assert.throws(() => k.numberValue(), ownerFreed('Node.numberValue'));
  assert.equal(k1.numberValue(), 5);
  for (const h of [r, o, k2]) h.free();
  assert.throws(() => k1.numberValue(), ownerFreed('Node.numberValue'));
  assert.equal(j.stats().liveAllocations, base);
  assert.equal(j.stats().invalidFrees, 0);
});

test('a node already given, borrowed, or its own parent is refused before cJSON runs', () => {
  const root = j.Node.object(), other = j.Node.object(), n = j.Node.number(1);
  root.addItem('n', n);
  const before = j.stats().liveAllocations;
  for (const [call, message] of [
    [() => other.addItem('n', n), "Node.addItem: parameter 'item' is a Node that does not own its object (a borrowed handle): only an owner can give it"],
    [() => other.append(root.get('n')), "Node.append: parameter 'item' is a Node that does not own its object (a borrowed handle): only an owner can give it"],
    [() => other.append(other), "Node.append: parameter 'item' is a Node that its new owner belongs to: it would own itself"],
    [() => n.addItem('up', root), "Node.addItem: parameter 'item' is a Node that its new owner belongs to: it would own itself"],
  ]) {
    assert.throws(call, (e) => e instanceof TypeError && e.message === message);
    assert.equal(j.stats().liveAllocations, before);
  }
  // another argument refused after the item's check: the item stays JS's
  const two = j.Node.number(2);
  assert.throws(() => other.addItem(null, two), /Node.addItem: parameter 'name' must be a string/);
  assert.equal(two.freed, false);
  two.free();
  assert.equal(j.stats().liveAllocations, before);
  assert.deepEqual(JSON.parse(root.printUnformatted()), { n: 1 });
  assert.deepEqual(JSON.parse(other.printUnformatted()), {});
  other.free();
  root.free();
  assert.equal(j.stats().invalidFrees, 0);
});

test('finalization: a given node\'s handle never frees it; the tree is freed once, by its root', async () => {
  await settle();
  const base = j.stats();
  let leaf = (() => {
    const root = j.Node.object();
    const arr = j.Node.array();
    root.addItem('arr', arr);
    const x = j.Node.str('kept');
    arr.append(x);
    arr.append(j.Node.number(5));
    return x; // the tree is reachable only through this handle
  })();
  await settle();
  assert.equal(leaf.stringValue(), 'kept'); // its tree was not finalized
  leaf = null;
  await settle();
  const after = j.stats();
  assert.equal(after.liveAllocations, base.liveAllocations);
  assert.equal(after.invalidFrees, base.invalidFrees);
});

// A random model of trees and their handles: objects and numbers made,
// members added (given to their parent), read, taken out (detach) and given
// again, handles freed. The model keeps the rule binding.md states: a
// borrowed handle is usable while the handle it is borrowed from is, and
// those of a node taken out are borrowed from the new handle from then on.
// After each step every handle the model tracks is used: a usable one reads
// what the model holds, any other is refused (a TypeError: nothing of cJSON
// runs on a freed node); a gift the runtime must refuse (a handle that does
// not own its node, or a node into its own subtree) is refused.
test('a random model of given, borrowed and detached nodes', () => {
  const steps = Number(process.env.WG_CJSON_MODEL_STEPS ?? 3000);
  let seed = Number(process.env.WG_CJSON_MODEL_SEED ?? 7) >>> 0;
  const rand = (n) => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const base = j.stats();
  const handles = []; // { h, node, owner (a model handle; none when owned), freed }
  const all = []; // ... and those forgotten (the owners of some tracked ones)
  let allKept = 100;
  const usable = (m) => !m.freed && (m.owner === undefined || usable(m.owner));
  const within = (node, top) => { for (let x = node; x !== null; x = x.parent) if (x === top) return true; return false; };
  const kill = (node) => { node.alive = false; for (const c of node.kids.values()) kill(c); };
  const pick = (ok) => { const c = handles.filter(ok); return c.length ? c[rand(c.length)] : undefined; };
  let keys = 0;
  const made = (h, node, owner) => {
    const m = { h, node, owner, freed: false };
    handles.push(m);
    all.push(m);
    return m;
  };
  for (let step = 0; step < steps; step++) {
    const op = rand(10);
    const where = `step ${step}, op ${op}`;
    if (op <= 1 || handles.length < 2) { // a new node
      const num = rand(2) === 0;
      const node = { num, value: num ? rand(1000) : 0, kids: new Map(), parent: null, alive: true };
      made(num ? j.Node.number(node.value) : j.Node.object(), node, undefined);
    } else if (op === 2) { // a member read
      const p = pick((m) => usable(m) && !m.node.num && m.node.kids.size > 0);
      if (p) {
        const key = [...p.node.kids.keys()][rand(p.node.kids.size)];
        made(p.h.get(key), p.node.kids.get(key), p);
      }
    } else if (op === 3 || op === 4) { // a node given to an object
      const p = pick((m) => usable(m) && !m.node.num);
      const g = pick((m) => usable(m) && (m.owner === undefined || rand(8) === 0));
      if (p && g) {
        const key = `k${keys++}`;
        if (g.owner !== undefined)
          assert.throws(() => p.h.addItem(key, g.h), /does not own its object/, where);
        else if (within(p.node, g.node))
          assert.throws(() => p.h.addItem(key, g.h), /its new owner belongs to: it would own itself/, where);
        else {
          p.h.addItem(key, g.h);
          p.node.kids.set(key, g.node);
          g.node.parent = p.node;
          g.owner = p;
        }
      }
    } else if (op === 5 || op === 6) { // a member taken out
      const p = pick((m) => usable(m) && !m.node.num && m.node.kids.size > 0);
      if (p) {
        const key = [...p.node.kids.keys()][rand(p.node.kids.size)], node = p.node.kids.get(key);
        const d = p.h.detach(key);
        p.node.kids.delete(key);
        node.parent = null;
        const was = all.filter((m) => m.node === node && m.owner !== undefined && usable(m));
        const owner = made(d, node, undefined);
        for (const m of was) m.owner = owner;
      }
    } else if (op === 7 || op === 8) { // a handle freed
      const m = handles[rand(handles.length)];
      if (m.owner === undefined && usable(m)) kill(m.node);
      m.h.free();
      m.freed = true;
    } else { // forget a borrowed or dead handle (never an owner: its finalizer would free a tree)
      const i = handles.findIndex((m) => m.owner !== undefined || !usable(m));
      if (i >= 0) handles.splice(i, 1);
    }
    for (const m of handles) {
      if (usable(m)) {
        assert.ok(m.node.alive, where);
        assert.equal(m.h.freed, false, where);
        if (m.node.num) assert.equal(m.h.numberValue(), m.node.value, where);
        else assert.equal(m.h.size(), m.node.kids.size, where);
      } else {
        assert.equal(m.h.freed, true, where);
        assert.throws(() => (m.node.num ? m.h.numberValue() : m.h.size()), TypeError, where);
      }
    }
    if (all.length > 2 * allKept) { // the dead never come back
      const keep = all.filter(usable);
      all.length = 0;
      for (const m of keep) all.push(m);
      allKept = Math.max(all.length, 100);
    }
    if (handles.length > 60) { // keep the checks cheap: forget the oldest borrowed or dead
      const i = handles.findIndex((m) => m.owner !== undefined || !usable(m));
      if (i >= 0) handles.splice(i, 1);
    }
  }
  for (const m of handles) if (m.owner === undefined && usable(m)) m.h.free();
  // (forgotten owners: none; forgotten borrowed handles hold nothing)
  const after = j.stats();
  assert.equal(after.invalidFrees, base.invalidFrees);
  assert.equal(after.liveAllocations, base.liveAllocations);
});
