/** What instantiate() accepts as the compiled module. */
export type WasmSource =
  | BufferSource
  | WebAssembly.Module
  | Response
  | PromiseLike<BufferSource | WebAssembly.Module | Response>;

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
   * A WASI instance from node:wasi (`new WASI({ version: 'preview1', ... })`)
   * to use instead of the built-in WASI; it initializes the instance. One per
   * instantiate(). Not together with stdout, stderr or env.
   */
  wasi?: { readonly wasiImport: object; initialize(instance: object): unknown };
  /** Record where each handle is made, for m.leaks(). */
  debug?: boolean;
  /** Warn once when live handles hold more than this many bytes (default 256 MiB). */
  warnBytes?: number;
  /**
   * From 0 (the default) to 1: make each handle of 64 KiB or more weigh this
   * fraction of its size in V8's eyes, so that dropped handles are collected
   * sooner, at the cost of more GC time. See the README's memory section.
   */
  gcPressure?: number;
  /** Receives that warning (default: console.warn). */
  onWarning?: (message: string) => void;
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
  /** Addresses finalizers have queued that are not freed yet. */
  pendingFrees: number;
  /** The bytes at those addresses. */
  pendingBytes: number;
  /** Bytes held by handles not yet freed or finalized. */
  handleBytes: number;
  /** Handles freed by free(), `using` or a scope. */
  explicitFrees: number;
  /** The size of wasm memory. */
  memoryBytes: number;
}

/** A live handle, from m.leaks() (with options.debug). */
export interface WasmgenLeak {
  ptr: number;
  type: string;
  length: number;
  bytes: number;
  /** Where the handle was made. */
  stack: string;
}

/** Element type names of arrays. */
export type ElementType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64';

interface ElementArrays {
  i8: Int8Array; u8: Uint8Array; i16: Int16Array; u16: Uint16Array; i32: Int32Array;
  u32: Uint32Array; i64: BigInt64Array; u64: BigUint64Array; f32: Float32Array; f64: Float64Array;
}

/** m.alloc(type, n), or m.alloc.f64(n): a zeroed array in wasm memory to fill in place. */
export type WasmgenAlloc = (<K extends ElementType>(type: K, n: number) => WasmArray<ElementArrays[K]>) & {
  readonly [K in ElementType]: (n: number) => WasmArray<ElementArrays[K]>;
};

type AnyTypedArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/**
 * A buffer in wasm memory that JS owns, read without a copy through .view.
 * Freed by free(), by [Symbol.dispose]() (`using`), or after garbage collection.
 */
export declare class WasmArray<T extends AnyTypedArray = AnyTypedArray> implements Iterable<T[number]> {
  private constructor();
  /** A copy of `typedArray` in the wasm memory of module `m`. */
  static from<A extends AnyTypedArray>(typedArray: A, m: WasmgenModule): WasmArray<A>;
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
  /** The allocator's counters. */
  stats(): WasmgenStats;
  /** Free what finalizers have queued now; returns how many blocks. */
  flush(): number;
  /**
   * Run fn and free every handle made inside it when it ends, except those
   * reachable from its result and those marked .keep().
   */
  scope<R>(fn: () => R): R;
  /** A zeroed array in wasm memory: m.alloc('f64', n) or m.alloc.f64(n). */
  readonly alloc: WasmgenAlloc;
  /** A copy of a typed array in wasm memory. */
  from<A extends AnyTypedArray>(typedArray: A): WasmArray<A>;
  /** Live handles and where they were made (instantiate with { debug: true }). */
  leaks(): WasmgenLeak[];
  /**
   * Print now the partial lines the module wrote to stdout and stderr (what
   * C still holds in its stdio buffer needs fflush() in C first).
   */
  flushOutput(): void;
  /** The instance's memory. */
  readonly memory: WebAssembly.Memory;
  /** The raw wasm exports. */
  readonly exports: WebAssembly.Exports;
}

/**
 * What every generated module object has besides its functions. A function
 * named like one of the runtime's members replaces it; `runtime` still has
 * them all.
 */
export interface WasmgenModule extends WasmgenRuntime {
  /** The runtime of this instance: every member above, always. */
  readonly runtime: WasmgenRuntime;
}
