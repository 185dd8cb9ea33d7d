// demo.mjs - C's printf reaches the console: `make run` here, or `make examples` at the top.
import { readFile } from 'node:fs/promises';
import { instantiate } from './out/hello.mjs';

const wasm = new URL('./out/hello.wasm', import.meta.url);

const m = await instantiate(readFile(wasm));
m.sendToStdout('Hello, World!');  // printf: console.log prints "Hello, World!"
m.sendToStderr('Hello, World!');  // fprintf(stderr): console.error prints it

// Or take the lines yourself.
const lines = [];
const quiet = await instantiate(readFile(wasm), { stdout: (line) => lines.push(line) });
quiet.sendToStdout('Hello, captured World!');
console.log('captured', JSON.stringify(lines));   // ["Hello, captured World!"]
