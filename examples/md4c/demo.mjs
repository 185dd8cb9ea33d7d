// md4c, unmodified from Debian's source, with its flags as lists of names
// and its output callback as a JS function: `make run`.
import { readFile } from 'node:fs/promises';
import { instantiate, Parser, Renderer } from './out/md4c.mjs';

const md = await instantiate(readFile(new URL('./out/md4c.wasm', import.meta.url)));

const doc = `# Shopping

| item  | price |
| ----- | ----: |
| bread |  2.50 |

- [x] ~~milk~~
- [ ] eggs, see www.example.com
`;

/** Markdown to HTML: md4c calls `out` with each piece. */
function html(text, parser, renderer = []) {
  const pieces = [];
  md.render(text, (piece) => pieces.push(piece), parser, renderer);
  return pieces.join('');
}

console.log('CommonMark (no flags):');
console.log(html(doc, []));
console.log("GitHub's dialect (md4c's MD_DIALECT_GITHUB):");
const github = ['PERMISSIVEAUTOLINKS', 'TABLES', 'STRIKETHROUGH', 'TASKLISTS'];
console.log(html(doc, github, ['XHTML']));
// The flags' bits, as md4c.h defines them; a number of them works too.
console.log(`Parser.TABLES = 0x${Parser.TABLES.toString(16)}, Parser.PERMISSIVEAUTOLINKS = 0x${Parser.PERMISSIVEAUTOLINKS.toString(16)}, Renderer.XHTML = ${Renderer.XHTML}`);
console.log(html('a ~~b~~', Parser.STRIKETHROUGH).trim());
try {
  html(doc, ['TABLES', 'FOOTNOTES']);
} catch (e) {
  console.log(`refused: ${e.name}: ${e.message}`);
}
console.log(`live allocations: ${md.stats().liveAllocations}, live callbacks: ${md.stats().liveCallbacks}`);
