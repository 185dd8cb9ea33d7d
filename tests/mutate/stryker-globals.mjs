// stryker-globals.mjs - preloaded (NODE_OPTIONS=--import) into every node
// process of a Stryker run (js-tests.sh): Stryker's helpers, which
// stryker-join.mjs took out of the runtime's parts, as globals.
import fs from 'node:fs';

const file = new URL('../../build/stryker-helpers.js', import.meta.url);
if (fs.existsSync(file)) (0, eval)(fs.readFileSync(file, 'utf8')); // global, sloppy: the functions become globals
