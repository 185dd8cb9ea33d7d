// embind.mjs - loads the Embind build of the same C functions (embind.cpp,
// built by bench.mk with Debian's emcc -O2 --bind). Emscripten 3.1.6 reads
// the .wasm through fetch() on Node 20, which fails for file paths: the
// bytes are passed in as wasmBinary instead.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export async function embindPeer(dir) {
  const js = `${dir}/bench_embind.js`;
  if (!fs.existsSync(js)) {
    const why = fs.existsSync(`${dir}/FAILED`) ? fs.readFileSync(`${dir}/FAILED`, 'utf8').trim() : `${js} was not built`;
    return { error: why };
  }
  const factory = createRequire(import.meta.url)(fs.realpathSync(js));
  const m = await factory({ wasmBinary: fs.readFileSync(`${dir}/bench_embind.wasm`) });
  return {
    add: (a, b) => m.add(a, b),
    reverse: (s) => m.reverse(s),
    sum: (v) => m.sum(v),
    makeCopy: (n) => m.make(n),
    chain: (a, b, k) => m.vscale(m.vadd(a, b), k),
  };
}
