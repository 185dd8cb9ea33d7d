
// ==== instantiate.mjs - from a wasm source to a Runtime: load and compile,
// give the imports (the module's declared imports; WASI and raw wasm imports
// through the part wasi.mjs), check the versions and the exports. (The
// Runtime's finish() makes the object instantiate() resolves to.)

import { describe } from './errors.mjs';
import { Runtime } from './runtime.mjs';
import { RUNTIME_VERSION } from './tables.mjs';

const Wasm = WebAssembly; // (a name a minifier shortens)

/** What instantiate() cannot do, with why: a TypeError. */
export function refuse(message) {
  throw new TypeError(`instantiate: ${message}`);
}

/** Two parts of a module made by different wasmgens: `what` is for runtime version `v`. */
function mismatch(what, v) {
  refuse(`${what} runtime version ${v}, this JS runtime is ${RUNTIME_VERSION}: build the wasm module and its JS with one wasmgen`);
}

/** Runtime.create: see there. */
export async function createRuntime(source, options, name, required, declared, generatedFor, loadWasi, features) {
  // The generated module and this file must come from one wasmgen.
  if (generatedFor !== RUNTIME_VERSION) mismatch(`${name}.mjs was generated for JS`, generatedFor);
  // Wasm memory is little-endian; typed arrays use the host's byte order.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) refuse('big-endian engines are not supported');
  options ??= {};
  if (typeof options !== 'object') refuse(`options must be an object; got ${describe(options)}`);
  const module = await compileSource(await source);
  const rt = new Runtime(name, options, features);
  await rt.life?.loading; // the part unfreed.mjs, when an option needs it from the first handle (see Lifetime)
  // The declared imports (build checks options.imports: importFeature.imported).
  // A wasm module importing nothing else is given those; WASI, options.wasi,
  // the raw imports of options.wasmImports and what is missing are the part
  // wasmgen-wasi.mjs's (importObject), loaded only for the others.
  const built = declared?.build(rt, options.imports), imports = Wasm.Module.imports(module), own = `wasmgen:${name}`;
  const instance = await Wasm.instantiate(module, options.wasi == null && imports.every((i) => i.module === own && built?.[i.name])
    ? { [own]: built } : (await loadWasi()).importObject(rt, imports, options, built));
  const x = instance.exports;
  const lacking = required.filter((e) => !(e in x));
  if (lacking.length) refuse(`the wasm module lacks the exports ${lacking.join(', ')}: was ${name}_glue.c compiled into it?`);
  // Before anything runs in the instance: are the exports and layouts this
  // file assumes the library's? (libwasmgen.a of this version exports all
  // this file calls; one without wg_version is not linked, or predates it.)
  if (typeof x.wg_version !== 'function') refuse('the wasm module lacks wg_version: link it with libwasmgen.a (-lwasmgen)');
  const version = x.wg_version() >>> 0;
  if (version !== RUNTIME_VERSION) mismatch('the wasm module was linked with a libwasmgen.a of', version);
  // The C stack below the module's data (-Wl,--stack-first): running out of
  // it (JS nesting calls through imports and callbacks, or C recursing) then
  // traps below address 0 instead of overwriting that data. (The allocator's
  // counters are data: above the stack's top exactly then.)
  if ((x.wg_stats() >>> 0) < (x.wg_stack_get() >>> 0))
    refuse('link the wasm module with -Wl,--stack-first');
  rt.attach(instance);
  return rt;
}

async function compileSource(source) {
  if (source instanceof Wasm.Module) return source;
  if (source instanceof URL) source = await load(source);
  if (globalThis.Response && source instanceof Response) {
    if (!source.ok) refuse(`fetching the wasm module failed: HTTP ${source.status}`);
    return source.headers.get('content-type')?.startsWith('application/wasm') && Wasm.compileStreaming
      ? Wasm.compileStreaming(source) : Wasm.compile(await source.arrayBuffer());
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return Wasm.compile(source);
  refuse(`source must be a BufferSource, a WebAssembly.Module, a Response, a URL or a promise of one; got ${describe(source)}`);
}

/**
 * A URL source (the generated instantiate() gives new URL('./NAME.wasm',
 * import.meta.url) when it has none): a file: URL is read from disk where
 * there is a file system (Node, Deno, Bun: through process.getBuiltinModule,
 * so that bundlers see no node: import); anything else is fetched.
 */
async function load(url) {
  const fs = url.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('node:fs/promises');
  if (fs) return fs.readFile(url).catch((e) => refuse(`reading the wasm module ${url.href} failed: ${e.message}`));
  if (globalThis.fetch) return fetch(url);
  refuse(`cannot load ${url.href} here: pass the module's bytes`);
}
