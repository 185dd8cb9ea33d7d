// expat, unmodified from Debian's source, with JS handlers: `make run`.
import { readFile } from 'node:fs/promises';
import { instantiate } from './out/expat.mjs';

const x = await instantiate(readFile(new URL('./out/expat.wasm', import.meta.url)));
console.log(`expat ${x.version()}`);

const doc = `<?xml version="1.0"?>
<menu lang="en">
  <!-- today -->
  <item price="3.50" id="1">Soup &amp; bread</item>
  <?kitchen hot?>
  <item id="2" price="4">Pie</item>
</menu>`;

const p = new x.Parser(null);
let depth = 0;
p.onElement(
  (name, attributes) => {
    const attrs = [];
    for (let i = 0; i < attributes.length; i += 2) attrs.push(`${attributes[i]}=${attributes[i + 1]}`);
    console.log(`${'  '.repeat(depth++)}<${name}> ${attrs.join(' ')}  (line ${p.line()}, column ${p.column()})`);
  },
  (name) => console.log(`${'  '.repeat(--depth)}</${name}>`));
p.onText((text) => { if (text.trim()) console.log(`${'  '.repeat(depth)}text: ${JSON.stringify(text)}`); });
p.onComment((data) => console.log(`${'  '.repeat(depth)}comment: ${JSON.stringify(data)}`));
p.onProcessingInstruction((target, data) => console.log(`${'  '.repeat(depth)}pi: ${target} ${data}`));
console.log(p.parse(new TextEncoder().encode(doc), true));

// An error: parse() says 'ERROR', the parser says why and where.
const bad = new x.Parser(null);
if (bad.parse(new TextEncoder().encode('<a><b></a>'), true) === 'ERROR')
  console.log(`error: ${x.errorString(bad.errorCode())} at line ${bad.line()}, column ${bad.column()}`);
bad.free();
p.free();
console.log(`live callbacks after free(): ${x.stats().liveCallbacks}`);
