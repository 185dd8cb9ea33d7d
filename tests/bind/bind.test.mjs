// bind.test.mjs - every binding form (idl/binding.md) against tinykit
// (tests/bind/tk.h), a library written the way real C APIs are; and the C
// compiler refusing bindings that do not match the library's header.
//
//   BIND_OUT=build/tests/bind WASMGEN=build/wasmgen WASMGEN_INCLUDE=build/include \
//     node --test tests/bind/bind.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.resolve(root, process.env.BIND_OUT ?? 'build/tests/bind');
const wasmgen = path.resolve(root, process.env.WASMGEN ?? 'build/wasmgen');
const include = path.resolve(root, process.env.WASMGEN_INCLUDE ?? 'build/include'); // wasmgen.h
const mod = await import(path.join(out, 'tk.mjs'));
const tk = await mod.instantiate(readFile(path.join(out, 'tk.wasm')));
const { WasmgenError } = mod;

function noLeak(fn) {
  const before = tk.stats().liveAllocations;
  fn();
  assert.equal(tk.stats().liveAllocations, before, 'live allocations changed');
}

test('constants and the library\'s enums', () => {
  assert.equal(mod.TK_VERSION_MAJOR, 2);
  assert.equal(mod.TK_MAX_SIDE, 16384);
  assert.equal(tk.version(), 'tinykit 2.1');
  assert.equal(tk.strerror(-22), 'invalid argument');
});

test('lengths: an int after the pointer, a size_t before the string, computed by the glue', () => {
  assert.equal(tk.checksum(new Uint8Array([1, 2, 3, 250])), 256);
  assert.equal(tk.checksum([]), 0);
  assert.equal(tk.countChar('banana', 'a'.charCodeAt(0)), 3);
  assert.throws(() => tk.countChar('x', 200), RangeError); // i8
});

test('a length given by other parameters is checked before the call', () => noLeak(() => {
  const px = new Uint8Array([0, 10, 20, 30, 40, 50]);
  tk.invert(px, 1, 2, 3);
  assert.deepEqual([...px], [255, 245, 235, 225, 215, 205]);
  assert.throws(() => tk.invert(px, 2, 2, 3), (e) => e instanceof RangeError &&
    e.message === "invert: parameter 'pixels' has 6 elements; its length expression says 12");
  assert.throws(() => tk.invert(px, 0xffffffff, 0xffffffff, 0x7fffffff), RangeError); // overflows 64 bits
  assert.deepEqual([...px], [255, 245, 235, 225, 215, 205]);
}));

test('structs by pointer in and out; out scalars; status codes become errors', () => noLeak(() => {
  assert.equal(tk.imageSize({ width: 4, height: 3, channels: 3, flags: 0 }), 36);
  assert.throws(() => tk.imageSize({ width: 0, height: 3, channels: 3, flags: 0 }),
    (e) => e instanceof WasmgenError && e.code === -22 && e.message === 'imageSize: invalid argument');
  assert.deepEqual(tk.parseDesc('640x480x4'), { width: 640, height: 480, channels: 4, flags: 1 });
  assert.throws(() => tk.parseDesc('640x480x2'), (e) => e.code === -34 && /out of range/.test(e.message));
  assert.throws(() => tk.parseDesc('nonsense'), (e) => e.code === -22);
  assert.equal(tk.describe({ width: 2, height: 1, channels: 1, flags: 0 }), '2x1, 1 channels');
  const released = tk.released();
  assert.equal(tk.describeOwned({ width: 2, height: 1, channels: 1, flags: 0 }), '2x1, 1 channels');
  assert.equal(tk.released(), released + 1); // owned(tk_release): the library freed it
}));

test('out arrays: a capacity; the produced length as the result, through &len, or C-allocated', () => noLeak(() => {
  const a = tk.fill(100, 7);
  assert.deepEqual([...a.view], Array(10).fill(7)); // tk_fill fills at most 10
  a.free();
  const b = tk.fill(3, 9);
  assert.deepEqual([...b.view], [9, 9, 9]);
  b.free();
  const c = tk.fillLen(50, 1);
  assert.equal(c.length, 10);
  c.free();
  const h = tk.hex(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
  assert.equal(new TextDecoder().decode(h.view), 'deadbeef');
  h.free();
  assert.throws(() => tk.fill(-1, 0), RangeError);
}));

test('a check after the call fails: what the C function made is freed too', () => noLeak(() => {
  const r = tk.fillNote(8, 0);
  assert.equal(r.return, 'filled 4');
  assert.deepEqual([...r.dst.view], [110, 110, 110, 110]);
  r.dst.free();
  assert.throws(() => tk.fillNote(8, 1), (e) => e instanceof WasmgenError &&
    /fillNote: parameter 'dst': the C function reports 9 elements for a capacity of 8/.test(e.message));
}));

test('a C string array, argv-style: each string copied, a NULL after the last', () => noLeak(() => {
  assert.deepEqual(tk.totalLen(['ab', '', 'cde']), { return: 5, count: 3 });
  assert.deepEqual(tk.totalLen([]), { return: 0, count: 0 });
  assert.deepEqual(tk.totalLen(['h\u00e9']), { return: 3, count: 1 }); // UTF-8 bytes
  assert.throws(() => tk.totalLen(['a', 1]), (e) => e instanceof TypeError &&
    /totalLen: parameter 'parts\[1\]' must be a string; got the number 1/.test(e.message));
  assert.throws(() => tk.totalLen('ab'), (e) => e instanceof TypeError && /parameter 'parts' must be an array of strings/.test(e.message));
  // The length and each element are read once: what is checked is what C gets.
  let lengthReads = 0, elementReads = 0;
  const odd = { get length() { return ++lengthReads === 1 ? 1 : 1e9; }, get 0() { return ++elementReads === 1 ? 'ab' : 7; } };
  assert.deepEqual(tk.totalLen(odd), { return: 2, count: 1 });
  assert.deepEqual([lengthReads, elementReads], [1, 1]);
  assert.throws(() => tk.totalLen({ length: -1 }), (e) => e instanceof TypeError && /must be an array of strings/.test(e.message));
  assert.throws(() => tk.totalLen({ length: 2 ** 32 }), (e) => e instanceof RangeError && /totalLen: out of wasm memory \(parameter 'parts'/.test(e.message));
}));

test('the library\'s flags: a list of names in, the names set out; the values exported', () => noLeak(() => {
  assert.deepEqual(tk.optsFor(['FLIP', 'GRAY', 'DITHER'], 3), ['FLIP', 'GRAY', 'DITHER']);
  assert.deepEqual(tk.optsFor(['GRAY', 'DITHER'], 1), ['DITHER']);
  assert.deepEqual(tk.optsFor(0x11, 1), ['FLIP', 'DITHER']);
  assert.deepEqual(mod.Opts, { FLIP: 1, GRAY: 2, DITHER: 16 });
  assert.throws(() => tk.optsFor(['GRAY', 'SHARP'], 1), (e) => e instanceof TypeError &&
    /optsFor: parameter 'o\[1\]' must be one of 'FLIP', 'GRAY', 'DITHER' \(flags opts\)/.test(e.message));
  assert.throws(() => tk.optsFor(4, 1), RangeError);
}));

test('a 16-bit C type: JS numbers are range-checked into it', () => {
  assert.equal(tk.clamp16(70, 50), 50);
  assert.equal(tk.clamp16(65535, 65535), 65535);
  assert.throws(() => tk.clamp16(65536, 1), (e) => e instanceof RangeError && /parameter 'v'/.test(e.message));
});

test('resources: the library\'s constructors and destructor; borrowed layers keep the document alive', () => noLeak(() => {
  const d = new tk.Doc('poster');
  assert.equal(d.title(), 'poster');
  assert.equal(d.addLayer('background'), 0);
  assert.equal(d.addLayer('text'), 1);
  const l = d.layer(1);
  assert.equal(l.name(), 'text');
  assert.equal(l.index(), 1);
  assert.equal(tk.nameOfLayer(l), 'text');
  assert.equal(d.layer(2), null);
  assert.equal(l.doc().title(), 'poster'); // borrowed from a borrowed layer
  // message tk_doc_error(self) / tk_doc_error(d): the document's own reason
  assert.throws(() => d.addNamedLayer(''), (e) => e instanceof WasmgenError && e.code === -22 &&
    e.message === 'Doc.addNamedLayer: a layer needs a name');
  assert.throws(() => tk.addLayerTo(d, ''), (e) => e.code === -22 && e.message === 'addLayerTo: a layer needs a name');
  const drops = tk.layerDrops();
  l.free(); // borrowed: the document keeps its layer
  assert.equal(tk.layerDrops(), drops); // and its drop function is not called
  assert.equal(d.layer(1).name(), 'text');
  assert.equal(tk.addLayerTo(d, 'third'), 2); // (moves tk's layers: taken again below)
  const l0 = d.layer(0);
  d.free();
  assert.throws(() => l0.name(), /whose owner was freed/);
  assert.throws(() => tk.nameOfLayer(l0), /whose owner was freed/);
  assert.throws(() => new tk.Doc(''), (e) => e instanceof WasmgenError && /tk_doc_create/.test(e.message));
  const o = tk.Doc.open({ width: 3, height: 2, channels: 4, flags: 0 });
  assert.equal(o.title(), '3x2');
  o.free();
  assert.throws(() => tk.Doc.open({ width: 0, height: 2, channels: 4, flags: 0 }), /returned NULL/);
  // message tk_last_error(): the library's reason, from a function without arguments.
  const t = tk.Doc.tryOpen({ width: 5, height: 1, channels: 3, flags: 0 });
  assert.equal(t.title(), '5x1');
  t.free();
  assert.throws(() => tk.Doc.tryOpen({ width: 7, height: 0, channels: 4, flags: 0 }),
    (e) => e instanceof WasmgenError && e.code === 0 && e.message === 'Doc.tryOpen: invalid image 7x0x4');
}));

// ---- `given`: parameters whose object the library takes (tk_doc_attach,
// tk_note_merge, tk_note_finish). tk_note_destroys() counts every note tk
// destroys: a note must be destroyed exactly once, by its last owner.

test('given: the object is the module\'s once the call succeeded, also when a result is refused; a consumed handle\'s borrowed ones go', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const n = new tk.Note('abcd');
  assert.throws(() => tk.finishOpts(n), (e) => e instanceof WasmgenError && /finishOpts: the module returned 0x4/.test(e.message));
  assert.equal(tk.noteDestroys(), destroys + 1);
  assert.equal(n.freed, true);
  n.free();
  assert.equal(tk.noteDestroys(), destroys + 1);
  const d = new tk.Doc('gone');
  d.addLayer('background');
  const layer = d.layer(0);
  tk.dropDoc(d);
  assert.throws(() => layer.name(), /whose owner was freed/);
  // a document given beside one of its own layers: refused before C runs
  const e = new tk.Doc('e'), other = new tk.Doc('other');
  e.addLayer('mine');
  other.addLayer('theirs');
  assert.throws(() => tk.closeDoc(e, e.layer(0)), /closeDoc: parameter 'd' is a Doc in use by another argument/);
  assert.equal(tk.closeDoc(e, other.layer(0)), 6);
  other.free();
}));

test('given(self): the document takes the note; its handle is borrowed from the document from then on', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const d = new tk.Doc('board');
  const n = new tk.Note('first');
  d.attach(n);
  assert.equal(d.notes(), 1);
  assert.equal(n.freed, false);
  assert.equal(n.text(), 'first'); // usable while the document lives
  n.free(); // lets go: the document keeps it
  assert.equal(tk.noteDestroys(), destroys);
  assert.throws(() => n.text(), /that was freed/);
  const m = new tk.Note('second');
  tk.attachNote(m, d); // given(d): to a parameter that comes after it
  assert.equal(d.note(1).text(), 'second');
  d.free(); // tk_doc_destroy destroys both notes, once each
  assert.equal(tk.noteDestroys(), destroys + 2);
  assert.equal(m.freed, true);
  assert.throws(() => m.text(), /Note.text: this is a Note whose owner was freed/);
  m.free();
  assert.equal(tk.noteDestroys(), destroys + 2);
}));

test('a note taken out of its document: the handles that reached it follow it to its new owner, and end with it', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const d = new tk.Doc('board'), e = new tk.Doc('other');
  const n = new tk.Note('first');
  d.attach(n); // n: borrowed from d
  const got = d.note(0); // ... and this one
  const owner = (fn) => (e) => e instanceof TypeError && e.message === `${fn}: this is a Note whose owner was freed`;
  const taken = d.detachNote(0); // the same note, owned by the new handle
  assert.equal(d.notes(), 0);
  d.free(); // the note is not d's: nothing destroyed, n and got still usable
  assert.equal(tk.noteDestroys(), destroys);
  for (const h of [n, got]) assert.equal(h.text(), 'first');
  e.attach(taken); // given again: taken, and n and got through it, borrowed from e
  assert.equal(e.note(0).text(), 'first');
  const again = e.detachNote(0);
  taken.free(); // lets go: n and got followed the note to again, not through taken
  for (const h of [n, got, again]) assert.equal(h.text(), 'first');
  // a consumed note takes its followers along; a merge into them is refused
  const third = new tk.Note('third');
  const view = (e.attach(third), e.note(0));
  const out = e.detachNote(0);
  assert.equal(tk.finish(out), 5); // consumed (destroyed) by tk
  assert.throws(() => view.text(), owner('Note.text'));
  const x = new tk.Note('x');
  assert.throws(() => tk.moveNote(x, view), (e) => e instanceof TypeError && e.message === "moveNote: parameter 'into' is a Note whose owner was freed");
  x.free(); // refused before C ran: still JS's
  again.free();
  for (const h of [n, got]) assert.throws(() => h.text(), owner('Note.text'));
  e.free();
  assert.equal(tk.noteDestroys(), destroys + 3); // first (with again), third (by tk_note_finish), x
  // a document made at a freed one's address does not revive the handles that reached it through a layer
  const old = new tk.Doc('board');
  old.addLayer('top');
  const back = old.layer(0).doc();
  const at = tk.docAddress(old);
  old.free();
  const now = [0, 1, 2, 3].map(() => new tk.Doc('board'));
  assert.ok(now.some((h) => tk.docAddress(h) === at), 'no new document is at the freed one\'s address');
  assert.throws(() => back.title(), (e) => e instanceof TypeError && e.message === 'Doc.title: this is a Doc whose owner was freed');
  for (const h of now) h.free();
}));

test('a borrowed handle whose object a handle of another type comes to own ends (a note is no layer)', () => noLeak(() => {
  const l = tk.keptAsLayer(), again = tk.keptAsLayer();
  assert.equal(l.index(), 0); // (the note's text past "kept": zeros)
  const n = tk.takeKept(); // the same address, owned by a Note handle
  for (const h of [l, again])
    assert.throws(() => h.index(), (e) => e instanceof TypeError && e.message === 'Layer.index: this is a Layer whose owner was freed');
  assert.equal(n.text(), 'kept');
  n.free();
}));

test('a handle borrowed from the library ends when a handle\'s destructor destroys its object', () => noLeak(() => {
  const n = new tk.Note('mine'), last = tk.lastNote(); // the same note: n owns it, last is tk's to know
  assert.equal(last.text(), 'mine');
  n.free(); // tk_note_destroy
  assert.throws(() => last.text(), (e) => e instanceof TypeError && e.message === 'Note.text: this is a Note whose owner was freed');
  assert.equal(tk.lastNote(), null);
  const m = new tk.Note('later'); // (perhaps at the same address)
  assert.equal(tk.lastNote().text(), 'later');
  assert.throws(() => last.text(), (e) => e instanceof TypeError && e.message === 'Note.text: this is a Note whose owner was freed');
  m.free();
}));

test('... and when its owner, dropped, is finalized', async () => {
  assert.ok(globalThis.gc, 'run with --expose-gc');
  const destroys = tk.noteDestroys();
  const last = (() => { new tk.Note('dropped'); return tk.lastNote(); })(); // (last does not keep the note's handle)
  for (let i = 0; i < 6 && tk.noteDestroys() === destroys; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 0));
    tk.flush();
  }
  assert.equal(tk.noteDestroys(), destroys + 1);
  assert.throws(() => last.text(), (e) => e instanceof TypeError && e.message === 'Note.text: this is a Note whose owner was freed');
});

test('given: a consumed handle is spent; using it again throws', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const a = new tk.Note('ab'), b = new tk.Note('cd');
  a.merge(b);
  assert.equal(a.text(), 'abcd');
  assert.equal(b.freed, true);
  assert.equal(tk.noteDestroys(), destroys + 1);
  assert.throws(() => b.text(), (e) => e instanceof TypeError && e.message === 'Note.text: this is a Note that was freed');
  assert.throws(() => a.merge(b), (e) => e instanceof TypeError &&
    e.message === "Note.merge: parameter 'from' is a Note that was freed");
  b.free(); // nothing left to free
  a.merge(); // given note? : null gives nothing
  a.merge(null);
  const c = new tk.Note('!');
  tk.moveNote(c, a); // consumed, before a parameter of its type
  assert.equal(c.freed, true);
  assert.equal(a.text(), 'abcd!');
  assert.equal(tk.finish(a), 5); // a function consuming its argument, with a result
  assert.equal(a.freed, true);
  assert.equal(tk.noteDestroys(), destroys + 3);
}));

test('given: a handle that does not own its object, or is used twice, or freed, is refused before C runs', () => noLeak(() => {
  const d = new tk.Doc('refusals'), e = new tk.Doc('other'), x = new tk.Note('x');
  d.attach(new tk.Note('kept'));
  const refused = (fn, message) => {
    const destroys = tk.noteDestroys(), notes = d.notes() + e.notes(), live = tk.stats().liveAllocations;
    assert.throws(fn, (x) => x instanceof TypeError && x.message === message);
    assert.equal(tk.noteDestroys(), destroys);
    assert.equal(d.notes() + e.notes(), notes); // C did not run
    assert.equal(tk.stats().liveAllocations, live);
  };
  const borrowed = d.note(0);
  refused(() => e.attach(borrowed), "Doc.attach: parameter 'n' is a Note that does not own its object (a borrowed handle): only an owner can give it");
  refused(() => x.merge(borrowed), "Note.merge: parameter 'from' is a Note that does not own its object (a borrowed handle): only an owner can give it");
  const n = new tk.Note('twice');
  refused(() => n.merge(n), "Note.merge: parameter 'from' is a Note in use by another argument of this call, or by a call in progress: it cannot be given");
  refused(() => tk.moveNote(n, n), "moveNote: parameter 'from' is a Note in use by another argument of this call, or by a call in progress: it cannot be given");
  assert.equal(n.text(), 'twice');
  n.free();
  refused(() => e.attach(n), "Doc.attach: parameter 'n' is a Note that was freed");
  refused(() => e.attach(d), "Doc.attach: parameter 'n' must be a Note; got an object (Doc)");
  refused(() => tk.finish(null), "finish: parameter 'n' must be a Note; got null");
  const given = new tk.Note('given once');
  d.attach(given);
  refused(() => e.attach(given), "Doc.attach: parameter 'n' is a Note that does not own its object (a borrowed handle): only an owner can give it");
  refused(() => tk.finish(given), "finish: parameter 'n' is a Note that does not own its object (a borrowed handle): only an owner can give it");
  assert.equal(d.notes(), 2);
  assert.equal(x.text(), 'x');
  x.free();
  d.free();
  e.free();
}));

test('given: a constructor taking a note; when it fails the note stays JS\'s', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const n = new tk.Note('title');
  const d = tk.Doc.fromNote(n);
  assert.equal(n.freed, true);
  assert.equal(d.title(), 'title');
  assert.equal(d.note(0).text(), 'title');
  const empty = new tk.Note('');
  assert.throws(() => tk.Doc.fromNote(empty), (e) => e instanceof WasmgenError && /tk_doc_from_note/.test(e.message));
  assert.equal(empty.freed, false);
  empty.free();
  d.free();
  assert.equal(tk.noteDestroys(), destroys + 2);
}));

test('given: when the call fails, the handle keeps its object', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const d = new tk.Doc('failures');
  const empty = new tk.Note('');
  assert.throws(() => d.attach(empty), (e) => e instanceof WasmgenError && e.code === -22 &&
    e.message === 'Doc.attach: invalid argument');
  assert.equal(empty.freed, false);
  assert.equal(d.notes(), 0);
  const a = new tk.Note('0123456789abcdef'), b = new tk.Note('0123456789abcdefX');
  assert.throws(() => a.merge(b), (e) => e instanceof WasmgenError && e.code === -34);
  assert.equal(b.text(), '0123456789abcdefX'); // still b's, still JS's
  assert.equal(tk.noteDestroys(), destroys);
  empty.free();
  b.free();
  a.free();
  assert.equal(tk.noteDestroys(), destroys + 3); // each destroyed by its handle, once
  d.free();
}));

test('given: a scope ending after the transfer lets the handle go without destroying the object', () => noLeak(() => {
  const destroys = tk.noteDestroys();
  const d = new tk.Doc('scoped');
  const n = tk.scope(() => {
    const x = new tk.Note('in a scope');
    d.attach(x);
    new tk.Note('not given'); // destroyed as the scope ends
    return x;
  });
  assert.equal(tk.noteDestroys(), destroys + 1);
  assert.equal(n.text(), 'in a scope'); // it escaped: still usable
  tk.scope(() => { d.attach(new tk.Note('dropped in a scope')); });
  assert.equal(tk.noteDestroys(), destroys + 1);
  assert.equal(d.note(1).text(), 'dropped in a scope');
  d.free();
  assert.equal(tk.noteDestroys(), destroys + 3);
}));

test('given: finalizing a given or consumed handle destroys nothing; a given one keeps its owner alive', async () => {
  assert.ok(globalThis.gc, 'run with --expose-gc');
  const destroys = tk.noteDestroys();
  const before = tk.stats().liveAllocations;
  let n = (() => {
    const d = new tk.Doc('collected');
    const x = new tk.Note('held');
    d.attach(x);
    d.attach(new tk.Note('dropped'));
    const y = new tk.Note('consumed');
    tk.finish(y);
    return x; // the document is reachable only through x
  })();
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 0));
      tk.flush();
    }
  };
  await settle();
  assert.equal(n.text(), 'held'); // its document was not finalized
  assert.equal(tk.noteDestroys(), destroys + 1); // only the consumed note, by tk_note_finish
  n = null;
  await settle();
  assert.equal(tk.noteDestroys(), destroys + 3); // the document's finalizer destroyed its two notes, once
  assert.equal(tk.stats().liveAllocations, before);
  assert.equal(tk.stats().invalidFrees, 0);
});

test('a caller-allocated struct: init, use, fini and free', () => noLeak(() => {
  const c = new tk.Counter(5);
  for (let i = 0; i < 16; i++) c.add(1);
  assert.throws(() => c.add(1), (e) => e instanceof WasmgenError && e.code === -34);
  c.free();
  assert.throws(() => new tk.Counter(-1), (e) => e.code === -34 && e.message === 'Counter: out of range');
}));

// ---- Bindings that do not match tk.h do not build.

function compile(idl) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasmgen-bind-'));
  try {
    writeFileSync(path.join(dir, 'm.idl'), `module m;\ninclude "tk.h";\n${idl}\n`);
    const g = spawnSync(wasmgen, ['-o', dir, path.join(dir, 'm.idl')], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    const c = spawnSync('clang', ['--target=wasm32-wasi', '-fsyntax-only', `-I${include}`,
      `-I${path.join(root, 'tests/bind')}`, `-I${dir}`, path.join(dir, 'm_glue.c')], { encoding: 'utf8' });
    return c;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mismatches = [
  ['a string where tk.h has an int', 'borrowed string f(string s) = tk_strerror;', /incompatible pointer to integer conversion/],
  ['unsigned char * typed as char *', 'u32 f(u8[] d as "const char *", i32 n = len(d)) as "unsigned long" = tk_checksum;', /pointer|sign/],
  ['a 64-bit integer into an int', 'borrowed string f(i64 s) = tk_strerror;', /implicit conversion loses integer precision/],
  ['an i32 where tk.h has a uint32_t (same width, other sign)',
    'void f(u8[] p as "unsigned char *", i32 w, u32 h, i32 c) = tk_invert;', /changes signedness: 'int32_t' \(aka 'int'\) to 'uint32_t'/],
  ['a u32 where tk.h has an int (same width, other sign)',
    'u32 f(u8[] d as "const unsigned char *", u32 n = len(d)) as "unsigned long" = tk_checksum;', /changes signedness: 'uint32_t' \(aka 'unsigned int'\) to 'int'/],
  ['an unsigned long result typed i32', 'i32 f(u8[] d as "const unsigned char *", i32 n = len(d)) = tk_checksum;', /changes signedness/],
  ['an unsigned long result typed i32, returned directly', 'i32 f(u8[] d as "const unsigned char *", i32 n) = tk_checksum;',
    /changes signedness: 'unsigned long' to 'int32_t'/],
  ['a uint16_t result typed u8', 'u8 f(u32 v as "uint16_t", u32 max as "uint16_t") = tk_clamp16;',
    /implicit conversion loses integer precision: 'uint16_t' \(aka 'unsigned short'\) to 'uint8_t'/],
  ['a size_t written through an out u8', 'struct d as "tk_desc" { u32 width; u32 height; u8 channels; u8 flags; }\n' +
    'void f(d x as "const tk_desc *", out u8 size as "size_t *") as "tk_status" = tk_image_size;',
    /loses integer precision: 'typeof \(\*\(size_t \*\)0\)' \(aka 'unsigned long'\) to 'uint8_t'/],
  ['a missing parameter', 'u32 f(u8[] d as "const unsigned char *") as "unsigned long" = tk_checksum;', /too few arguments/],
  ['a const pointer where tk.h writes', 'void f(u8[] p as "const unsigned char *", u32 w, u32 h, i32 c) = tk_invert;', /discards qualifiers/],
  ['a function tk.h does not declare', 'i32 f() = tk_nonexistent;', /implicit declaration/],
  ['a struct by value where tk.h takes a pointer',
    'struct d as "tk_desc" { u32 width; u32 height; u8 channels; u8 flags; }\nstring f(d x) = tk_describe;', /passing 'tk_desc'|incompatible type/],
  ['a constant whose value differs', 'const i32 TK_MAX_SIDE = 16000;', /const TK_MAX_SIDE: the library's header does not say 16000/],
  ['an enum value that differs', 'enum s as "tk_status" prefix TK_ { OK = 0, EINVAL = -21 }', /TK_EINVAL is not -21 in the library's header/],
  ['a flag whose bits differ', 'flags o as "unsigned" prefix TK_OPT_ { FLIP = 1, DITHER = 8 }', /o\.DITHER: TK_OPT_DITHER is not 0x8 in the library's header/],
  ['a struct layout that differs', 'struct d as "tk_desc" { u32 height; u32 width; u8 channels; u8 flags; }', /d\.height/],
];
for (const [what, idl, message] of mismatches) {
  test(`refused at compile time: ${what}`, () => {
    const c = compile(idl);
    assert.notEqual(c.status, 0, `clang accepted it:\n${idl}`);
    assert.match(c.stderr, / error: /);
    assert.match(c.stderr, message);
  });
}

test('a const string result released after a failed check compiles (the release frees it as a void *)', () => {
  const c = compile('string f(out u8[cap] dst as "unsigned char *", u32 cap as "size_t", u32 n = &len(dst) as "size_t *",\n' +
    '  i32 lie as "int") as "const char *" = tk_fill_note;');
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stderr, '');
});

test('the matching bindings compile without a warning', () => {
  const c = compile('u32 f(u8[] d as "const unsigned char *", i32 n = len(d)) as "unsigned long" = tk_checksum;\n' +
    'const i32 TK_MAX_SIDE = 16384;\nenum s as "tk_status" prefix TK_ { OK = 0, EINVAL = -22 }');
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stderr, '');
});
