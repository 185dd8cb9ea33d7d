import { COLLECT_EVERY, pulseBytes, untouched } from './wasmgen-runtime.mjs';
