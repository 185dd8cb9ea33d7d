// demo.mjs - C's printf reaches the console: `make run` here, or `make examples` at the top.
import { instantiate } from './out/hello.mjs';

const m = await instantiate();    // loads out/hello.wasm, beside out/hello.mjs
m.sendToStdout('Hello, World!');  // printf: console.log prints "Hello, World!"
m.sendToStderr('Hello, World!');  // fprintf(stderr): console.error prints it

// Or take the lines yourself.
const lines = [];
const quiet = await instantiate(null, { stdout: (line) => lines.push(line) });
quiet.sendToStdout('Hello, captured World!');
console.log('captured', JSON.stringify(lines));   // ["Hello, captured World!"]
