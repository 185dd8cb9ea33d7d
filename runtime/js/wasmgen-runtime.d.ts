//@ wasmgen-runtime.d.ts - the JS runtime's declarations, pasted into every
//@ generated NAME.d.ts. runtime/js/join.sh replaces each //@include line with
//@ a list runtime/gen_tables.c prints from compiler/*.def (and drops these lines).
// Types of the host: WebAssembly.Module, WebAssembly.Memory and Response
// where the project's declarations have them (the DOM lib, @types/node,
// Deno, Bun), structural stand-ins where they do not. So this file
// type-checks with or without "dom" in `lib`, and never needs it.
type HostWasm = typeof globalThis extends { WebAssembly: infer W } ? W : {};
type HostClass<Scope, K extends string, Otherwise> =
  Scope extends { [P in K]: abstract new (...args: any) => infer T } ? T : Otherwise;
/** The bytes of a wasm module (BufferSource, without needing the DOM lib). */
export type WasmBytes = ArrayBuffer | ArrayBufferView;
/**
 * A compiled module: WebAssembly.Module where it is declared (an empty
 * interface in the DOM lib: `& object` at least keeps strings out).
 */
export type WasmModuleObject = HostClass<HostWasm, 'Module', never> & object;
/** The instance's memory: WebAssembly.Memory where it is declared. */
export type WasmMemory = HostClass<HostWasm, 'Memory', { readonly buffer: ArrayBuffer; grow(delta: number): number }>;
// Symbol.dispose (handles work with `using`), declared as TypeScript's
// esnext.disposable lib and @types/node declare it, for projects with neither.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A fetch() Response where it is declared (the DOM lib, or @types/node). */
export type WasmResponse = HostClass<typeof globalThis, 'Response', never>;
/** A URL where it is declared: file: URLs are read from disk, others fetched. */
export type WasmUrl = HostClass<typeof globalThis, 'URL', never>;

/**
 * What instantiate() accepts as the compiled module. Without one, NAME.wasm
 * is loaded from beside NAME.mjs.
 */
export type WasmSource =
  | WasmBytes
  | WasmModuleObject
  | WasmResponse
  | WasmUrl
  | PromiseLike<WasmBytes | WasmModuleObject | WasmResponse>;

/** Options of instantiate(). */
export interface InstantiateOptions {
  /**
   * The functions the module's IDL declares with `import`, by their JS name
   * (the generated NAME.d.ts says which; instantiate checks they are all there).
   */
  imports?: object;
  /** Raw wasm imports, by module and name, for what the IDL does not describe. */
  wasmImports?: Record<string, Record<string, unknown>>;
  /**
   * Receives each line the module prints to stdout, without its newline
   * (default: console.log). Partial lines wait for their newline, for
   * m.flushOutput(), for exit(), or for the Node process to exit.
   */
  stdout?: (line: string) => void;
  /** Receives each line the module prints to stderr (default: console.error). */
  stderr?: (line: string) => void;
  /** The environment the module sees through getenv() (default: empty). */
  env?: Record<string, string>;
  /**
   * A WASI instance from node:wasi (`new WASI({ version: 'preview1', ... })`,
   * in Node, Deno or Bun) to use instead of the built-in WASI; it initializes
   * the instance. One per instantiate(). Not together with stdout, stderr or env.
   */
  wasi?:
    | { readonly wasiImport: object; initialize(instance: object): unknown }
    | { readonly wasiImport: object; setMemory(memory: WasmMemory): unknown };
  /**
   * Record where each handle is made, for m.leaks() (the on-demand part
   * wasmgen-unfreed.mjs, beside the runtime, does it: instantiate loads it
   * in a module with handles).
   */
  debug?: boolean;
  /**
   * Warn once when live handles hold more than this many bytes (default 256
   * MiB). This option, gcPressure and onWarning are read only by a module
   * whose JS can meet a handle (one that exports WasmArray).
   */
  warnBytes?: number;
  /**
   * From 0 to 1 (default 1): how hard to help the collector see dropped
   * handles of 64 KiB or more. In Node: a collection at the next task once
   * unfreed ones grew by 128 MiB / gcPressure. Elsewhere: a ballast ArrayBuffer of this fraction of each
   * one's size once unfreed handles hold 64 MiB (from the first byte when
   * given). 0 turns it off. See the README's memory section.
   */
  gcPressure?: number;
  /** Receives that warning (default: console.warn). */
  onWarning?: (message: string) => void;
  /**
   * Receives the errors no caller can: a destructor's exception when the
   * handle was finalized (the destructor runs at the next call into the
   * module, never inside the finalizer), or freed while a call was using it
   * (it runs when that call returns); an exception of options.stdout,
   * options.stderr or options.onWarning while C was running. `what` says
   * which. Default: console.warn.
   */
  onError?: (error: unknown, what: string) => void;
}

/** The allocator's counters, from m.stats(). */
export interface WasmgenStats {
  /** Blocks allocated and not yet freed. */
  liveAllocations: number;
  /** Usable bytes in those blocks. */
  liveBytes: number;
  /** The highest liveBytes has been. */
  peakBytes: number;
  /** Bytes the allocator has taken from wasm memory. */
  heapBytes: number;
  totalAllocations: number;
  totalFrees: number;
  /** Frees done by draining the free-on-finalize queue. */
  queueFrees: number;
  /** Frees the allocator refused: pointers that were not a block in use. */
  invalidFrees: number;
  /** Blocks and resources finalizers have queued that are not given back yet. */
  pendingFrees: number;
  /** The bytes at those addresses. */
  pendingBytes: number;
  /** Bytes held by handles not yet freed or finalized. */
  handleBytes: number;
  /** Handles freed by free(), `using` or a scope. */
  explicitFrees: number;
  /** The size of wasm memory. */
  memoryBytes: number;
  /** JS functions C may call: a call's in progress, m.callback() handles, resources' callbacks. */
  liveCallbacks: number;
}

/** A live handle, from m.leaks() (with options.debug). */
export interface WasmgenLeak {
  ptr: number;
  /** The element type, or 'callback' (an m.callback() handle, a resource's callbacks). */
  type: string;
  length: number;
  bytes: number;
  /** Where the handle was made. */
  stack: string;
  /** A callback's function name, or how many a resource keeps. */
  callback?: string;
}

/**
 * A JS function registered for as long as a library keeps it, from
 * m.callback(fn): pass it where the IDL says `stored`. It lives until
 * free(), `using` or the end of an m.scope() (never finalized).
 */
export interface WasmgenCallback<F extends (...args: any[]) => any = (...args: any[]) => any> {
  readonly fn: F;
  /** True once freed: C calling it then throws. */
  readonly freed: boolean;
  /** Unregister it now; safe to call more than once. */
  free(): void;
  /** Exempt from the enclosing m.scope(); returns this. */
  keep(): this;
  [Symbol.dispose](): void;
}

//@include element-types.d.ts

/** m.alloc(type, n), or m.alloc.f64(n): a zeroed array in wasm memory to fill in place. */
export type WasmgenAlloc = (<K extends ElementType>(type: K, n: number) => WasmArray<ElementArrays[K]>) & {
  readonly [K in ElementType]: (n: number) => WasmArray<ElementArrays[K]>;
};

//@include typed-arrays.d.ts

/**
 * A buffer in wasm memory that JS owns, read without a copy through .view.
 * Freed by free(), by [Symbol.dispose]() (`using`), or after garbage collection.
 */
export declare class WasmArray<T extends AnyTypedArray = AnyTypedArray> implements Iterable<T[number]> {
  private constructor();
  /** A copy of `typedArray` in the wasm memory of module `m`. */
  static from<A extends AnyTypedArray | Uint8ClampedArray>(typedArray: A, m: WasmgenModule):
    WasmArray<A extends Uint8ClampedArray ? Uint8Array : A>;
  /** The element type's IDL name: 'f64', 'u8', ... */
  readonly type: string;
  /** The number of elements. */
  readonly length: number;
  /** The size in bytes. */
  readonly byteLength: number;
  /** The address in wasm memory (0 for an empty array). Throws after free(). */
  readonly ptr: number;
  /** True once freed. */
  readonly freed: boolean;
  /** A typed array over wasm memory; take it again after memory grows. Throws after free(). */
  readonly view: T;
  /** A JS-owned copy. */
  toArray(): T;
  /** Give the memory back now; safe to call more than once. */
  free(): void;
  /** Exempt from the enclosing m.scope(); returns this. */
  keep(): this;
  [Symbol.dispose](): void;
  [Symbol.iterator](): Iterator<T[number]>;
}

/** The base class of resource handles (m.Canvas, ...). */
export declare class Resource {
  protected constructor();
  /** Run the destructor now; safe to call more than once. */
  free(): void;
  /** Exempt from the enclosing m.scope(); returns this. */
  keep(): this;
  /** True once freed. */
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** An error a wasmgen module reports. */
export declare class WasmgenError extends Error {
  readonly code: number;
}

/**
 * The runtime's members: on every generated module object besides its
 * functions (WasmgenModule), and always as m.runtime.NAME, whatever the
 * module's functions are called.
 */
export interface WasmgenRuntime {
//@include runtime-members.d.ts
}

/**
 * What every generated module object has besides its functions. A function
 * named like one of the runtime's members replaces it; `runtime` still has
 * them all.
 */
export interface WasmgenModule extends WasmgenRuntime {
//@include module-members.d.ts
}
