// hand.mjs - the hand-written peer: the least code a careful engineer would
// write by hand over raw exports (raw.c) - malloc, TextEncoder.encodeInto,
// TypedArray.set, TextDecoder, free. It is the limit wasmgen is measured against.

export function handPeer(x) {
  const mem = x.memory;
  const enc = new TextEncoder(), dec = new TextDecoder();
  let u8 = new Uint8Array(mem.buffer);
  const bytes = () => (u8.byteLength === 0 ? (u8 = new Uint8Array(mem.buffer)) : u8);
  const f64In = (v) => {
    const p = x.raw_malloc(v.length * 8);
    new Float64Array(mem.buffer, p, v.length).set(v);
    return p;
  };
  const shortReverse = (s) => {
    const n = s.length, p = x.raw_malloc(3 * n + 1);
    let m = bytes(), len = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) { len = enc.encodeInto(s, m.subarray(p, p + 3 * n + 1)).written; break; }
      m[p + i] = c;
      len = i + 1;
    }
    const r = x.raw_reverse(p, len);
    x.raw_free(p);
    m = bytes();
    let out = '';
    for (let i = r; m[i] !== 0; i++) {
      if (m[i] >= 0x80) { out = dec.decode(m.subarray(r, m.indexOf(0, r))); break; }
      out += String.fromCharCode(m[i]);
    }
    x.raw_free(r);
    return out;
  };
  return {
    add: (a, b) => x.raw_add(a, b),

    reverse(s) {
      // Measured (BENCHMARKS.md): below ~32 bytes, plain loops beat
      // TextEncoder/TextDecoder's call overhead; above, the codecs win.
      if (s.length <= 32) return shortReverse(s);
      const cap = 3 * s.length + 1;
      const p = x.raw_malloc(cap);
      const n = enc.encodeInto(s, bytes().subarray(p, p + cap)).written;
      const r = x.raw_reverse(p, n);
      x.raw_free(p);
      const m = bytes();
      const out = dec.decode(m.subarray(r, m.indexOf(0, r)));
      x.raw_free(r);
      return out;
    },

    sum(v) {
      const p = f64In(v);
      const s = x.raw_sum(p, v.length);
      x.raw_free(p);
      return s;
    },

    /** Copy-then-free: a JS-owned copy of the n bytes C returned. */
    makeCopy(n) {
      const p = x.raw_make(n);
      const out = bytes().slice(p, p + n);
      x.raw_free(p);
      return out;
    },

    /** scale(add(a, b), k) keeping the intermediate in wasm memory. */
    chain(a, b, k) {
      const n = a.length, pa = f64In(a), pb = f64In(b);
      const s = x.raw_vadd(pa, pb, n);
      const r = x.raw_vscale(s, n, k);
      const out = new Float64Array(mem.buffer, r, n).slice();
      x.raw_free(pa); x.raw_free(pb); x.raw_free(s); x.raw_free(r);
      return out;
    },
  };
}
