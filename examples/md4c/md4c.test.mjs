// md4c.test.mjs - md4c, bound as it is, against md4c's own md2html built
// natively from the same sources (`make test`; make check runs it): the HTML
// JS gets is md2html's, byte for byte, for the package's documents under
// each dialect; the flags are checked both ways; a callback that throws
// leaves nothing behind.
//
//   MD4C_TREE=<unpacked md4c source> node --test md4c.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiate, Parser, Renderer, WasmgenError } from './out/md4c.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tree = process.env.MD4C_TREE;
assert.ok(tree, 'MD4C_TREE: the unpacked md4c source (make test sets it)');
const md = await instantiate(readFileSync(path.join(here, 'out/md4c.wasm')));

function render(text, parser, renderer = []) {
  const pieces = [];
  md.render(text, (piece) => pieces.push(piece), parser, renderer);
  return pieces.join('');
}

function md2html(file, args) {
  const r = spawnSync(path.join(here, 'out/md2html'), [...args, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// The package's own documents (its spec and the extensions' test files, its
// README and changelog), each under md2html's options and the same flags.
const documents = [path.join(tree, 'README.md'), path.join(tree, 'CHANGELOG.md'),
  ...readdirSync(path.join(tree, 'test')).filter((f) => f.endsWith('.txt')).map((f) => path.join(tree, 'test', f))];
const dialects = [
  ['CommonMark', [], [], []],
  ['GitHub', ['--github'], ['PERMISSIVEAUTOLINKS', 'TABLES', 'STRIKETHROUGH', 'TASKLISTS'], []],
  ['everything', ['--fcollapse-whitespace', '--fpermissive-atx-headers', '--flatex-math', '--fwiki-links', '--funderline',
    '--fno-html', '--fverbatim-entities', '--xhtml'],
  ['COLLAPSEWHITESPACE', 'PERMISSIVEATXHEADERS', 'LATEXMATHSPANS', 'WIKILINKS', 'UNDERLINE', 'NOHTML'],
  ['VERBATIM_ENTITIES', 'XHTML']],
];

test('the documents render as md2html renders them, under each dialect', () => {
  assert.ok(documents.length >= 12, `only ${documents.length} documents found`);
  let bytes = 0;
  for (const file of documents) {
    const text = readFileSync(file, 'utf8');
    for (const [name, args, parser, renderer] of dialects) {
      const expected = md2html(file, args);
      assert.equal(render(text, parser, renderer), expected, `${path.basename(file)}, ${name}`);
      bytes += expected.length;
    }
  }
  assert.ok(bytes > 500000, `${bytes} bytes of HTML compared`);
  assert.equal(md.stats().liveAllocations, 0);
});

test('the flags are md4c.h\'s, exported by name; a number of their bits works too', () => {
  assert.equal(Parser.TABLES, 0x100);
  assert.equal(Parser.PERMISSIVEAUTOLINKS, Parser.PERMISSIVEURLAUTOLINKS | Parser.PERMISSIVEEMAILAUTOLINKS | Parser.PERMISSIVEWWWAUTOLINKS);
  assert.equal(Renderer.XHTML, 8);
  const text = 'a ~~b~~ www.example.com';
  assert.equal(render(text, Parser.STRIKETHROUGH | Parser.PERMISSIVEWWWAUTOLINKS),
    render(text, ['STRIKETHROUGH', 'PERMISSIVEWWWAUTOLINKS']));
  assert.match(render(text, ['STRIKETHROUGH']), /<del>b<\/del>/);
});

test('flags md4c does not have are refused before md4c runs', () => {
  const before = md.stats();
  let called = 0;
  assert.throws(() => md.render('x', () => called++, ['TABLES', 'FOOTNOTES'], []), (e) => e instanceof TypeError &&
    e.message.startsWith("render: parameter 'parserFlags[1]' must be one of 'COLLAPSEWHITESPACE',"));
  assert.throws(() => md.render('x', () => called++, 0x80, []), (e) => e instanceof RangeError &&
    /render: parameter 'parserFlags' must be a number of the bits of flags parser \(0x7f7f\); got 128/.test(e.message));
  assert.throws(() => md.render('x', () => called++, [], ['DEBUG', 'BOLD']), TypeError);
  assert.equal(called, 0);
  assert.equal(md.stats().liveAllocations, before.liveAllocations);
  assert.ok(WasmgenError);
});

test('a callback that throws (deferred): md4c finishes and frees its memory, then render() throws', () => {
  const text = readFileSync(documents[0], 'utf8');
  let pieces = 0;
  const enough = new Error('enough');
  assert.throws(() => md.render(text, () => { if (++pieces === 3) throw enough; }, [], []), (e) => e === enough);
  assert.equal(pieces, 3); // md4c went on without calling JS
  const s = md.stats();
  assert.equal(s.liveCallbacks, 0);
  assert.equal(s.liveAllocations, 0); // md_html returned: it freed its working memory
  assert.equal(render('*ok*', []), '<p><em>ok</em></p>\n');
});
