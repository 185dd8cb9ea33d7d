// demo.mjs - call the strings module from Node: `make run` here, or `make examples` at the top.
import { readFile } from 'node:fs/promises';
import { instantiate } from './out/strings.mjs';

const m = await instantiate(readFile(new URL('./out/strings.wasm', import.meta.url)));

for (const text of ['abcdefg', 'héllo wörld', 'he\u0301llo wo\u0308rld', '🌍 earth']) {
  console.log(`reverse(${JSON.stringify(text)}) = ${JSON.stringify(m.reverse(text))}` +
              `  (${m.countChars(text)} code points)`);
}
