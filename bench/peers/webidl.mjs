// webidl.mjs - loads the WebIDL binder build of the same C functions
// (webidl.idl, webidl.cpp; built by bench.mk with Debian's emcc 3.1.6 -O2 and
// the binder's glue.js as --post-js). Loaded as Embind's is: CommonJS
// MODULARIZE output through createRequire, the .wasm passed as wasmBinary.
// One Bench object makes every call, as a user of the binder would.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export async function webidlPeer(dir) {
  const js = `${dir}/bench_webidl.js`;
  if (!fs.existsSync(js)) {
    const why = fs.existsSync(`${dir}/FAILED`) ? fs.readFileSync(`${dir}/FAILED`, 'utf8').trim() : `${js} was not built`;
    return { error: why };
  }
  const factory = createRequire(import.meta.url)(fs.realpathSync(js));
  const m = await factory({ wasmBinary: fs.readFileSync(`${dir}/bench_webidl.wasm`) });
  const b = new m.Bench();
  // A buffer result is a bare pointer (`any`): copied out of the heap (read
  // through m.HEAP*, which emscripten replaces when memory grows), then freed.
  const copyOut = (p, n, Type, heap) => {
    const shift = Math.log2(Type.BYTES_PER_ELEMENT);
    const out = m[heap].slice(p >>> shift, (p >>> shift) + n);
    b.release(p);
    return out;
  };
  return {
    add: (x, y) => b.add(x, y),
    reverse: (s) => b.reverse(s),
    sum: (v) => b.sum(v, v.length),
    makeCopy: (n) => copyOut(b.make(n), n, Uint8Array, 'HEAPU8'),
    chain: (x, y, k) => {
      const n = Math.min(x.length, y.length);
      const s = copyOut(b.vadd(x, y, n), n, Float64Array, 'HEAPF64');
      return copyOut(b.vscale(s, n, k), n, Float64Array, 'HEAPF64');
    },
  };
}
