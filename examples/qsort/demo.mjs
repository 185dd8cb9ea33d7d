// libc's qsort with JS comparators: `make run`.
import { readFile } from 'node:fs/promises';
import { instantiate } from './out/qsort.mjs';

const q = await instantiate(readFile(new URL('./out/qsort.wasm', import.meta.url)));

const numbers = new Int32Array([42, -7, 19, 0, 3, 3, -100]);
q.sortI32(numbers, (a, b) => a - b);
console.log('ascending:', [...numbers].join(' '));

// Any array of numbers is sorted in place (copied in and back).
const prices = [9.99, 0.5, 3.25, 12, 0.05];
q.sortF64(prices, (a, b) => Math.sign(b - a));
console.log('descending:', prices.join(' '));

// A comparator may itself sort (each call finds its own comparator).
let calls = 0;
const byDigitSum = new Int32Array([91, 18, 5, 230, 44]);
q.sortI32(byDigitSum, (a, b) => {
  calls++;
  const digits = (n) => { const d = new Int32Array(String(n).split('').map(Number)); q.sortI32(d, (x, y) => x - y); return d.reduce((s, v) => s + v, 0); };
  return digits(a) - digits(b) || a - b;
});
console.log('by digit sum:', [...byDigitSum].join(' '), `(${calls} comparisons)`);
