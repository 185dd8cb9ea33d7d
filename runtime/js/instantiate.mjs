
// ==== instantiate.mjs - from a wasm source to a Runtime: compile, build the
// imports (the module's declared imports, WASI, raw wasm imports), check the
// exports, and freeze the object instantiate() resolves to.

import { describe } from './errors.mjs';
import { countedImport, Runtime } from './runtime.mjs';
import { MEMBERS, RUNTIME_VERSION } from './tables.mjs';

const WASI = 'wasi_snapshot_preview1';

/** What instantiate() cannot do, with why: a TypeError. */
export function refuse(message) {
  throw new TypeError(`instantiate: ${message}`);
}

/** The WASI side of an instance whose module imports no WASI (see wasiImports). */
const NO_WASI = {
  funcs: {},
  flush() {},
  initialize(instance) { instance.exports._initialize?.(); },
};

/** Runtime.create: see there. */
export async function createRuntime(source, options, name, required, declared, generatedFor, loadWasi, features = []) {
  // The generated module and this file must come from one wasmgen.
  if (generatedFor !== RUNTIME_VERSION) {
    refuse(`${name}.mjs was generated for JS runtime version ${generatedFor}, ` +
      `but wasmgen-runtime.mjs is version ${RUNTIME_VERSION}: regenerate both with one wasmgen`);
  }
  // Wasm memory is little-endian; typed arrays use the host's byte order.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) refuse('this JavaScript engine is big-endian, which is not supported');
  options ??= {};
  if (typeof options !== 'object') refuse(`options must be an object; got ${describe(options)}`);
  const module = await compileSource(await source);
  const rt = new Runtime(name, options, features);
  await rt.life?.loading; // the part unfreed.mjs, when an option needs it from the first handle (see Lifetime)
  // WASI (wasmgen-wasi.mjs) is loaded only for a module that imports it.
  rt.wasi = (options.wasi != null || WebAssembly.Module.imports(module).some((i) => i.module === WASI))
    ? (await loadWasi()).wasiImports(rt, options) : NO_WASI;
  const instance = await WebAssembly.instantiate(module, importObject(rt, module, options, declared));
  const x = instance.exports;
  const lacking = required.filter((e) => !(e in x));
  if (lacking.length) refuse(`the wasm module lacks the exports ${lacking.join(', ')}: was ${name}_glue.c compiled into it?`);
  // Before anything runs in the instance: are the exports and layouts this
  // file assumes the library's? (libwasmgen.a of this version exports all
  // this file calls; one without wg_version is not linked, or predates it.)
  if (typeof x.wg_version !== 'function') refuse('the wasm module lacks wg_version: was it linked with libwasmgen.a (-lwasmgen)?');
  const version = x.wg_version() >>> 0;
  if (version !== RUNTIME_VERSION) {
    refuse(`the wasm module was linked with a libwasmgen.a of runtime version ${version}, ` +
      `but this JS runtime is version ${RUNTIME_VERSION}: build the module, its glue and its JS with one wasmgen`);
  }
  rt.attach(instance);
  return rt;
}

async function compileSource(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof URL) source = await load(source);
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) refuse(`fetching the wasm module failed: HTTP ${source.status}`);
    const type = source.headers.get('content-type') ?? '';
    if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function')
      return WebAssembly.compileStreaming(source);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  refuse(`source must be a BufferSource, a WebAssembly.Module, a Response, a URL or a promise of one; got ${describe(source)}`);
}

/**
 * A URL source (the generated instantiate() gives new URL('./NAME.wasm',
 * import.meta.url) when it has none): a file: URL is read from disk where
 * there is a file system (Node, Deno, Bun: through process.getBuiltinModule,
 * so that bundlers see no node: import); anything else is fetched.
 */
async function load(url) {
  const fs = url.protocol === 'file:' ? globalThis.process?.getBuiltinModule?.('node:fs/promises') : undefined;
  if (fs) {
    try {
      return await fs.readFile(url);
    } catch (e) {
      refuse(`reading the wasm module ${url.href} failed: ${e.message}`);
    }
  }
  if (typeof fetch === 'function') return fetch(url);
  refuse(`cannot load ${url.href} here: pass the module's bytes`);
}

/** The import object: options.wasmImports, the declared imports, then WASI; anything else is an error. */
function importObject(rt, module, options, declared) {
  const given = { ...options.wasmImports };
  if (declared) given[`wasmgen:${rt.name}`] = declared.build(rt, options.imports); // (which checks them: importFeature.imported)
  const out = {};
  const missing = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (out[imp.module] ??= {});
    if (given[imp.module] && imp.name in given[imp.module]) {
      const v = given[imp.module][imp.name];
      ns[imp.name] = imp.module === `wasmgen:${rt.name}` || imp.kind !== 'function' ? v : countedImport(rt, v);
    } else if (imp.module === WASI && imp.kind === 'function') {
      ns[imp.name] = countedImport(rt, rt.wasi.funcs[imp.name] ?? rt.wasi.fallback);
    } else {
      missing.push(`${imp.module}.${imp.name} (${imp.kind})`);
    }
  }
  if (missing.length)
    refuse(`the wasm module imports what was not provided: ${missing.join(', ')}`);
  return out;
}

/**
 * Runtime.finish: the module object. First the runtime's members (MEMBERS,
 * from compiler/runtime.def: tests/e2e/features.test.mjs checks the Runtime
 * has each), then the module's functions, which win over a member they are
 * named like.
 */
export function moduleObject(rt, funcs) {
  const members = {};
  for (const [name, kind] of Object.entries(MEMBERS))
    members[name] = kind === 'method' ? rt[name].bind(rt) : kind === 'value' ? rt[name] : rt;
  return Object.freeze(Object.assign(members, funcs));
}
