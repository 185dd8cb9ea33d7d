// features.test.mjs - every method a generated module calls on its runtime
// ($rt.NAME) is there: the Runtime's own, or a method of a feature object the
// module imports (compiler/emit_js.c chooses them from the code it emits, by
// its table FEATURES). Read from the code, so that a path no test runs is
// checked too: the e2e modules and the golden corpus (tests/golden/*).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_OUT, load } from './helpers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runtime = await import(path.join(E2E_OUT, 'wasmgen-runtime.mjs'));
// The Runtime's members: its methods, the fields its constructor sets, and
// those attach() sets (the exports, memory and its views, m.alloc; WASI's, by
// the WASI part).
const core = new Set([...Object.getOwnPropertyNames(runtime.Runtime.prototype),
  ...Object.keys(new runtime.Runtime('features', {}, [])), 'exports', 'memory', 'buffer', 'alloc', 'wasi',
  'u8', 'u32', 'i32', 'i64', 'f32', 'f64', 'dv']);

const modules = [
  ...readdirSync(E2E_OUT).filter((f) => f.endsWith('.mjs') && !f.startsWith('wasmgen-'))
    .map((f) => path.join(E2E_OUT, f)),
  ...readdirSync(path.join(root, 'tests/golden'), { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(path.join(root, 'tests/golden', d.name)).filter((f) => f.endsWith('.mjs'))
      .map((f) => path.join(root, 'tests/golden', d.name, f))),
];

/** The features whose methods make or take handles (compiler/emit_js.c, FEATURES). */
const HANDLE_MAKERS = ['codecFeature', 'resourceFeature', 'arrayFeature', 'arrayResultFeature', 'arrayOptFeature', 'inoutFeature', 'outFeature',
  'importFeature', 'callbackFeature'];

test('the Runtime has every member of the module object (compiler/runtime.def), with or without handles', async () => {
  const { MEMBERS, METHOD_MEMBER, VALUE_MEMBER } = await import(path.join(E2E_OUT, '../../gen/js/tables.mjs'));
  assert.ok(Object.keys(MEMBERS).length >= 10, 'the members were read');
  for (const name of ['lean', 'alltypes']) { // (without handles, with)
    const rt = (await load(name)).m.runtime;
    for (const [member, kind] of Object.entries(MEMBERS)) {
      if (kind === METHOD_MEMBER) assert.equal(typeof rt[member], 'function', `${name}: method ${member}`);
      else if (kind === VALUE_MEMBER) assert.ok(rt[member] !== undefined, `${name}: value ${member}`);
    }
  }
});

test('the generated modules were found', () => assert.ok(modules.length >= 15, `${modules.length} modules`));

/** The features a module gives Runtime.create: its last argument, a list of names. */
function createList(js) {
  const m = /await Runtime\.create\([^]*?, \[([^\]]*)\]\);\n/.exec(js);
  return m ? m[1].split(', ').filter(Boolean) : null;
}

for (const file of modules) {
  test(`${path.relative(root, file)}: every $rt method it calls is the runtime's or an imported feature's`, () => {
    const js = readFileSync(file, 'utf8');
    const imported = /^import \{ ([^}]*) \} from '\.\/wasmgen-runtime\.mjs';$/m.exec(js);
    assert.ok(imported, 'imports from wasmgen-runtime.mjs');
    const features = imported[1].split(', ').filter((n) => n.endsWith('Feature'));
    assert.deepEqual(createList(js), features, 'Runtime.create gets the features it imports');
    const have = new Set(core);
    for (const f of features) {
      assert.ok(runtime[f], `the runtime exports ${f}`);
      for (const k of Object.keys(runtime[f])) have.add(k);
    }
    const called = new Set([...js.matchAll(/\$rt\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    const missing = [...called].filter((n) => !have.has(n));
    assert.deepEqual(missing, [], `calls $rt.${missing.join(', $rt.')}, which no imported feature has`);
    // And no feature is imported that its code does not call (but the
    // handles', which the runtime calls: in a module whose JS can meet a
    // handle, the one that exports WasmArray, and with any feature making one;
    // in the others, their stand-ins, noHandleFeature).
    for (const f of features.filter((f) => f !== 'handleFeature' && f !== 'noHandleFeature'))
      assert.ok(Object.keys(runtime[f]).some((k) => called.has(k)), `imports ${f} without calling it`);
    const handles = features.includes('handleFeature');
    assert.equal(features.includes('noHandleFeature'), !handles, 'handleFeature or noHandleFeature, not both');
    assert.equal(/^export \{ WasmArray, /m.test(js), handles, 'exports WasmArray if and only if it has handles');
    // Its declarations say the same (compiler/lower.c, module_has_handles, decides for both).
    const dts = file.replace(/\.mjs$/, '.d.ts');
    if (existsSync(dts)) {
      const d = readFileSync(dts, 'utf8');
      assert.equal(/^export declare class WasmArray</m.test(d), handles, `${path.basename(dts)} exports WasmArray as the .mjs does`);
      assert.equal(/^export declare class Resource /m.test(d), /^export \{[^}]*\bResource\b[^}]*\} from/m.test(js),
        `${path.basename(dts)} exports Resource as the .mjs does`);
    }
    for (const f of HANDLE_MAKERS)
      assert.ok(!features.includes(f) || handles, `${f} without handleFeature`);
  });
}

// --js-runtime=inline: the runtime pasted in, no import line; the features
// are the list given to Runtime.create, checked the same way.
const inlineDir = path.join(E2E_OUT, 'inline');
for (const f of readdirSync(inlineDir).filter((n) => n.endsWith('.mjs'))) {
  test(`inline ${f}: every $rt method it calls is the runtime's or a listed feature's`, () => {
    const js = readFileSync(path.join(inlineDir, f), 'utf8');
    const features = createList(js);
    assert.ok(features && features.length, 'Runtime.create gets a list of features');
    const have = new Set(core);
    for (const name of features) {
      assert.ok(runtime[name], `the runtime has ${name}`);
      for (const k of Object.keys(runtime[name])) have.add(k);
    }
    const code = js.slice(js.indexOf('// ---- End of the wasmgen JS runtime.'));
    const called = new Set([...code.matchAll(/\$rt\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    assert.ok(called.size > 0, 'the module calls its runtime');
    const missing = [...called].filter((n) => !have.has(n));
    assert.deepEqual(missing, [], `calls $rt.${missing.join(', $rt.')}, which no listed feature has`);
  });
}
