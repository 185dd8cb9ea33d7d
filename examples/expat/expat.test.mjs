// expat.test.mjs - expat from Debian's source, unmodified, with JS handlers:
// the events JS gets, written as canonical XML, are byte for byte what
// expat's own xmlwf (built natively from the same sources) writes for
// documents of the package; handlers kept by the parser end with it; a
// handler's exception, re-entrant parsing, errors.
//   EXPAT_TREE=build/debian/expat/src node --test examples/expat/expat.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, process.env.EXPAT_TREE ?? '../../build/debian/expat/src');
const { instantiate } = await import(path.join(here, 'out/expat.mjs'));
const x = await instantiate(readFileSync(path.join(here, 'out/expat.wasm')), { debug: true });

/** xmlwf's canonical form (xmlwf.c: characterData, startElement, ...), built from JS events. */
function canonical(bytes, chunk) {
  const out = [];
  const esc = (s) => s.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]
    ?? `&#${c.charCodeAt(0)};`);
  const p = new x.Parser(null);
  try {
    p.onElement((name, atts) => {
      const pairs = [];
      for (let i = 0; i < atts.length; i += 2) pairs.push([atts[i], atts[i + 1]]);
      pairs.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))); // strcmp
      out.push(`<${name}${pairs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('')}>`);
    }, (name) => out.push(`</${name}>`));
    p.onText((text) => out.push(esc(text)));
    p.onProcessingInstruction((target, data) => out.push(`<?${target} ${data}?>`));
    for (let at = 0; at < bytes.length || at === 0; at += chunk) {
      const last = at + chunk >= bytes.length;
      const status = p.parse(bytes.subarray(at, at + chunk), last);
      assert.equal(status, 'OK', `${x.errorString(p.errorCode())} at line ${p.line()}`);
      if (last) break;
    }
  } finally {
    p.free();
  }
  return out.join('');
}

function xmlwf(file) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wg-xmlwf-'));
  try {
    execFileSync(path.join(here, 'out/xmlwf'), ['-d', dir, file]);
    return readFileSync(path.join(dir, path.basename(file)), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [doc, chunk] of [['expat/doc/xmlwf.xml', 1000], ['testdata/largefiles/nes96.xml', 65536]]) {
  test(`the event stream of ${doc} is xmlwf's (canonical XML, parsed in pieces of ${chunk} bytes)`, () => {
    const file = path.join(src, doc);
    const before = x.stats();
    const mine = canonical(readFileSync(file), chunk);
    assert.ok(mine.length > 10000);
    assert.equal(mine, xmlwf(file));
    const after = x.stats();
    assert.equal(after.liveCallbacks, 0);
    assert.equal(after.liveAllocations, before.liveAllocations);
  });
}

test('what handlers get: attributes, text in pieces, comments, processing instructions, positions', () => {
  const p = new x.Parser(null);
  const events = [];
  p.onElement((name, atts) => events.push(['start', name, atts, p.line(), p.column()]), (name) => events.push(['end', name]));
  p.onText((text) => events.push(['text', text]));
  p.onComment((data) => events.push(['comment', data]));
  p.onProcessingInstruction((target, data) => events.push(['pi', target, data]));
  const status = p.parse(Buffer.from('<a x="1" y="&lt;2">h\u00e9<!--c--><b/><?t d?></a>'), true);
  p.free();
  assert.equal(status, 'OK');
  assert.deepEqual(events, [['start', 'a', ['x', '1', 'y', '<2'], 1, 0], ['text', 'h\u00e9'], ['comment', 'c'],
    ['start', 'b', [], 1, 29], ['end', 'b'], ['pi', 't', 'd'], ['end', 'a']]);
});

test('handlers live as long as their parser: replaced, removed, released when it is freed', () => {
  const p = new x.Parser(null);
  p.onElement(() => {}, () => {});
  p.onText(() => {});
  assert.equal(x.stats().liveCallbacks, 3);
  p.onElement(null, () => {});
  assert.equal(x.stats().liveCallbacks, 2);
  assert.ok(x.leaks().some((l) => l.type === 'callback'));
  p.free();
  assert.equal(x.stats().liveCallbacks, 0);
});

test('a handler that throws: the exception reaches parse()\'s caller; the parser is left mid-document', () => {
  const p = new x.Parser(null);
  const boom = new Error('boom');
  p.onElement((name) => { if (name === 'b') throw boom; }, null);
  const sp = x.exports.wg_stack_get();
  assert.throws(() => p.parse(Buffer.from('<a><b/></a>'), true), (e) => e === boom);
  assert.equal(x.exports.wg_stack_get(), sp);
  p.free();
  assert.equal(x.stats().liveCallbacks, 0);
});

test('re-entrant: a handler parses another document with another parser', () => {
  const outer = new x.Parser(null), names = [];
  outer.onElement((name) => {
    const inner = new x.Parser(null);
    inner.onElement((n) => names.push(`${name}/${n}`), null);
    assert.equal(inner.parse(Buffer.from('<i><j/></i>'), true), 'OK');
    inner.free();
  }, null);
  assert.equal(outer.parse(Buffer.from('<a><b/></a>'), true), 'OK');
  outer.free();
  assert.deepEqual(names, ['a/i', 'a/j', 'b/i', 'b/j']);
});

test('errors: a status, a code, a message and a place', () => {
  const p = new x.Parser(null);
  assert.equal(p.parse(Buffer.from('<a>\n  <b></a>'), true), 'ERROR');
  assert.equal(x.errorString(p.errorCode()), 'mismatched tag');
  assert.deepEqual([p.line(), p.column()], [2, 7]);
  p.free();
  assert.throws(() => p.parse(Buffer.from('<a/>'), true), /freed/);
});
