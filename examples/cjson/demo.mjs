// cJSON, bound as it is (cjson.idl; no adapter C): parse, walk a tree of
// borrowed nodes, build an object, build a tree from owned nodes given to
// their parents, print.
import { readFile } from 'node:fs/promises';
import { instantiate, cJSON_Number } from './out/cjson.mjs';

const j = await instantiate(readFile(new URL('out/cjson.wasm', import.meta.url)));
console.log('version ', j.version());

const doc = j.Node.parse('{"name": "wasmgen", "tags": ["c", "wasm", "js"], "stars": 42}');
const tags = doc.get('tags');                       // borrowed: keeps doc alive
console.log('name    ', doc.get('name').stringValue());
console.log('tags    ', Array.from({ length: tags.size() }, (_, i) => tags.item(i).stringValue()));
console.log('stars   ', doc.get('stars').numberValue(), 'missing:', doc.get('nope'));
console.log('print   ', doc.printUnformatted());
doc.free();                                          // the tree is gone...
try {
  tags.size();                                       // ...and so are its borrowed nodes
} catch (e) {
  console.log('after   ', `${e.name}: ${e.message}`);
}

const o = j.Node.object();
o.addString('lib', 'cJSON');
o.addArray('list');
o.addObject('nested').addNumber('n', 1.5);
console.log('built   ', o.printUnformatted());
try {
  j.Node.parse('{"unterminated": ');
} catch (e) {
  console.log('error   ', `${e.name}: ${e.message}`);
}
o.free();

// A tree from owned nodes: addItem and append give each node to its parent
// (cJSON_AddItemToObject, cJSON_AddItemToArray take it); its handle is
// borrowed from the parent from then on, and cJSON_Delete of the root frees
// everything once.
const root = j.Node.object();
const list = j.Node.array();
for (const v of [1, 2, 3]) list.append(j.Node.number(v));
root.addItem('list', list);
root.addItem('name', j.Node.str('tree'));
list.append(j.Node.str('four'));                     // still usable while root lives
console.log('tree    ', root.printUnformatted());
const name = root.detach('name');                    // owned by JS again
console.log('detached', name.stringValue(), root.printUnformatted());
try {
  root.addItem('again', list);                       // list is root's now
} catch (e) {
  console.log('given   ', `${e.name}: ${e.message}`);
}
root.addItem('name', name);
root.free();                                         // frees the whole tree, once
console.log('cJSON_Number', cJSON_Number, 'liveAllocations:', j.stats().liveAllocations);
