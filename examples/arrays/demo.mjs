// demo.mjs - call the arrays module from Node: `make run` here, or `make examples` at the top.
import { instantiate } from './out/arrays.mjs';

const m = await instantiate();   // loads out/arrays.wasm, beside out/arrays.mjs

const sum = m.add(new Float64Array([1, 2, 3, 4]), [5, 6, 7, 8]); // a WasmArray: no copy
console.log('add      ', JSON.stringify(Array.from(sum.view)));  // [6,8,10,12]
console.log('sum      ', m.sum(sum));                             // 36: the handle goes back in without a copy
sum.free();                                                       // or let the GC do it

const into = m.addInto([1, 1, 1], [2, 3, 4]);
console.log('addInto  ', JSON.stringify(Array.from(into.view))); // [3,4,5]
into.free();

const data = new Float32Array([1.5, 2, 2.5]);
m.scale(data, 2);                                                 // inout: updated in place
console.log('scale    ', JSON.stringify(Array.from(data)));       // [3,4,5]

console.log('divide   ', JSON.stringify(m.divide(7, 2)));         // {"return":3,"remainder":1}
console.log('reverse  ', m.reverse('stressed'));                  // desserts
console.log('checksum ', m.checksum(new TextEncoder().encode('wasmgen')));
console.log('isAscii  ', m.isAscii('plain'), m.isAscii('naïve'));  // true false

try {
  m.divide(7.5, 2);
} catch (e) {
  console.log('error    ', `${e.name}: ${e.message}`);
}
console.log('stats    ', JSON.stringify(m.stats()));
