/** What instantiate() accepts as the compiled module. */
export type WasmSource =
  | BufferSource
  | WebAssembly.Module
  | Response
  | PromiseLike<BufferSource | WebAssembly.Module | Response>;

/** Options of instantiate(). */
export interface InstantiateOptions {
  /** Extra imports, by module and name (they win over the built-in WASI ones). */
  imports?: Record<string, Record<string, unknown>>;
  /** Receives each line the module prints to stdout (default: console.log). */
  stdout?: (line: string) => void;
  /** Receives each line the module prints to stderr (default: console.error). */
  stderr?: (line: string) => void;
  /** The environment the module sees through getenv(). */
  env?: Record<string, string>;
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
}

type AnyTypedArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/**
 * A buffer in wasm memory that JS owns, read without a copy through .view.
 * Freed by free(), by [Symbol.dispose]() (`using`), or after garbage collection.
 */
export declare class WasmArray<T extends AnyTypedArray = AnyTypedArray> implements Iterable<T[number]> {
  private constructor();
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
  [Symbol.dispose](): void;
  [Symbol.iterator](): Iterator<T[number]>;
}

/** An error a wasmgen module reports. */
export declare class WasmgenError extends Error {
  readonly code: number;
}

/** What every generated module object has besides its functions. */
export interface WasmgenModule {
  /** The allocator's counters. */
  stats(): WasmgenStats;
  /** Free what finalizers have queued now; returns how many blocks. */
  flush(): number;
  /** The instance's memory. */
  readonly memory: WebAssembly.Memory;
  /** The raw wasm exports. */
  readonly exports: WebAssembly.Exports;
  /** The JS runtime of this instance (for advanced use). */
  readonly runtime: unknown;
}
