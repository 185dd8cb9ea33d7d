// demo.mjs - every construct of shapes.idl from Node: `make run` here, or `make examples` at the top.
import { instantiate, WasmgenError } from './out/shapes.mjs';

const m = await instantiate(null, {       // no source: out/shapes.wasm, beside out/shapes.mjs
  imports: {
    log: (message) => console.log(`  [log from C] ${message}`),   // import void log(string message);
    now: () => performance.now(),                                  // import f64 now();
  },
});

const square = { name: 'square', vertices: [{ x: 0, y: 0 }, { x: 2, y: 0 }, { x: 2, y: 2 }, { x: 0, y: 2 }] };
console.log('midpoint  ', JSON.stringify(m.midpoint({ x: 0, y: 0 }, { x: 2, y: 4 })));   // {"x":1,"y":2}
console.log('area      ', m.area(square));                              // 4, after C logs 'square'
console.log('translate ', JSON.stringify(m.translate(square.vertices.slice(0, 2), 10, 0)));
console.log('split     ', JSON.stringify(m.split('a,b,,c', ',')));      // ["a","b","","c"]
console.log('join      ', m.join(['x', 'y', 'z'], '-'));                // x-y-z
console.log('find      ', m.find(['apple', 'banana'], 'nan'), m.find(['apple'], 'kiwi')); // banana null
console.log('norm      ', m.norm({ x: 3, y: 4 }), m.norm(null));       // 5 -1
console.log('parseColor', m.parseColor('green'));                       // green
try {
  m.parseColor('mauve');
} catch (e) {
  console.log('error     ', e instanceof WasmgenError, e.code, e.message); // true 22 parseColor: unknown color 'mauve'
}
console.log('fileSize  ', m.fileSize('/tmp/x'));                        // 1099511627782: above 2^32, exact

const canvas = new m.Canvas(2, 1);                                      // a resource, with methods
try {
  canvas.fill('blue');
  const pixels = canvas.pixels();
  console.log('pixels    ', JSON.stringify(Array.from(pixels.view)));   // [0,0,255,255,0,0,255,255]
  pixels.free();
} finally {
  canvas.free();                                                        // runs shapes_canvas_drop in wasm
}
console.log('live      ', m.stats().liveAllocations);                   // 0
