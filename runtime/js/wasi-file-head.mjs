import { describe, WasmgenError } from './wasmgen-runtime.mjs';
