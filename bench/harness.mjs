// harness.mjs - interleaved, paired timing; every figure is a ratio.
//
// A workload is a function `(n) => void` that does its operation n times.
// pair() times two workloads A and B in the same process, alternately
// (A B, then B A, ...), each batch sized to take about BATCH_MS, after a
// warm-up of both. Each round gives one ratio tA/tB; the result is the
// median of the rounds' ratios with their min and max. Absolute times are
// reported too, per operation, but only the ratio is meant to be compared.

import { performance } from 'node:perf_hooks';

export const QUICK = process.env.QUICK === '1';
const ROUNDS = QUICK ? 9 : 31;
const BATCH_MS = QUICK ? 4 : 15;
const WARM_MS = QUICK ? 30 : 150;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn, n, setup) {
  const arg = setup ? setup(n) : undefined;
  const t0 = performance.now();
  fn(n, arg);
  return performance.now() - t0;
}

/** Operations per batch so that `fn` runs about `ms` milliseconds (at least 1). */
function calibrate(fn, ms, setup) {
  let n = 1;
  for (;;) {
    const t = time(fn, n, setup);
    if (t >= ms / 4 || n >= 1 << 26) return Math.max(1, Math.round((n * ms) / Math.max(t, 1e-3)));
    n *= 4;
  }
}

/**
 * Time `a` against `b`: the ratio of their times per operation. Options:
 * `setupA`/`setupB` run untimed before each batch and pass their result as
 * the workload's second argument; `rounds`.
 */
export function pair(a, b, opts = {}) {
  const { setupA, setupB } = opts;
  const rounds = opts.rounds ?? ROUNDS;
  // Warm up both sides until the JIT has settled.
  const warmEnd = performance.now() + WARM_MS;
  while (performance.now() < warmEnd) { time(a, 1, setupA); time(b, 1, setupB); time(a, 8, setupA); time(b, 8, setupB); }
  const opsA = calibrate(a, BATCH_MS, setupA), opsB = calibrate(b, BATCH_MS, setupB);
  const ratios = [], ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.(); // start each round from a clean heap (node --expose-gc)
    let x, y;
    if (r % 2 === 0) { x = time(a, opsA, setupA); y = time(b, opsB, setupB); }
    else { y = time(b, opsB, setupB); x = time(a, opsA, setupA); }
    x /= opsA; y /= opsB;
    ratios.push(x / y); ta.push(x); tb.push(y);
  }
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds,
    nsPerOpA: median(ta) * 1e6,
    nsPerOpB: median(tb) * 1e6,
  };
}

export { median };
