// demo.mjs - call the strings module from Node: `make run` here, or `make examples` at the top.
import { instantiate } from './out/strings.mjs';

const m = await instantiate();   // loads out/strings.wasm, beside out/strings.mjs

for (const text of ['abcdefg', 'héllo wörld', 'he\u0301llo wo\u0308rld', '🌍 earth']) {
  console.log(`reverse(${JSON.stringify(text)}) = ${JSON.stringify(m.reverse(text))}` +
              `  (${m.countChars(text)} code points)`);
}
