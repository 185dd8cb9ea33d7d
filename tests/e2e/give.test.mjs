// give.test.mjs - a `given` object is the library's once the library
// succeeded, even when the JS call throws afterwards (an inout array that
// cannot be written back, a deferred callback's exception): the handle
// must not destroy it too (tests/e2e/give.idl; the library counts a node
// destroyed twice instead of destroying it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const { m } = await load('give');

test('an inout array whose write-back throws after the library took the child: the child is the parent\'s', () => {
  const parent = new m.Node(1), child = new m.Node(2);
  const xs = new Proxy([1, 2], {
    set(t, k, v) {
      if (t.checked) throw new Error('no write-back');
      t[k] = v;
      if (k === '1') t.checked = true; // (the first writes check that it can be written, before C runs)
      return true;
    },
  });
  assert.throws(() => parent.adopt(xs, child), /Node\.adopt: the inout array could not be written back: no write-back/);
  assert.equal(parent.children(), 1, 'the library took the child');
  assert.equal(child.freed, false, 'borrowed from the parent now');
  child.free(); // lets go only
  assert.equal(m.live(), 2);
  parent.free();
  assert.equal(m.live(), 0);
  assert.equal(m.badFrees(), 0, 'no node destroyed twice');
});

test('a deferred callback that throws while the library takes the child: the child is the parent\'s', () => {
  const parent = new m.Node(1), child = new m.Node(2);
  const boom = new Error('boom');
  assert.throws(() => parent.adoptVisit(child, (x) => { if (x === 1) throw boom; }), (e) => e === boom);
  assert.equal(parent.children(), 1, 'the library went on, and took the child');
  assert.equal(child.freed, false);
  child.free();
  parent.free();
  assert.equal(m.live(), 0);
  assert.equal(m.badFrees(), 0, 'no node destroyed twice');
});

test('a child given and then finalized with its handle is destroyed once, with its parent', async () => {
  const parent = new m.Node(1);
  (() => {
    const child = new m.Node(2);
    assert.throws(() => parent.adoptVisit(child, () => { throw new Error('x'); }));
  })();
  for (let i = 0; i < 20; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 0));
  }
  m.runtime.flush();
  assert.equal(m.live(), 2, 'the finalized handle did not destroy the parent\'s child');
  parent.free();
  assert.equal(m.live(), 0);
  assert.equal(m.badFrees(), 0);
});
