
// ==== wasi.mjs - WASI preview 1 for the module's imports: stdio, clocks,
// randomness, the environment and exit, in Node and in browsers; or, with
// options.wasi (a WASI instance from node:wasi), node:wasi's own functions.
// And the import object of a wasm module that imports WASI or raw imports
// (options.wasmImports), so that a module importing neither ships none of it.
//
// - fd_write to 1 and 2 is decoded as UTF-8 (a character may be split across
//   writes) and handed to options.stdout/options.stderr (default console.log
//   and console.error) one line at a time, without its '\n' or '\r\n'. A
//   partial line waits for its newline, for flush() (m.flushOutput()), for
//   proc_exit, or for the Node process to exit. After a flush sent a partial
//   line, the newline that ends it does not make an empty line.
// - fd 0 reads as empty; fds 0-2 are character devices (so libc line-buffers
//   stdout, as on a terminal); there are no preopened directories, and every
//   other fd is EBADF.
// - clock 0 is Date.now(); 1 is process.hrtime in Node, performance.now()
//   elsewhere; 2 and 3 are process.cpuUsage() in Node, elsewhere the
//   monotonic time since instantiation. random_get is crypto.getRandomValues.
// - the environment is options.env and nothing else; argv is empty.
// - proc_exit flushes partial lines, then throws a WasmgenError whose .code
//   is the exit status. poll_oneoff (sleep) and what is not listed: ENOSYS.

import { describe, WasmgenError } from './errors.mjs';

const SUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, ENOSYS = 52, ESPIPE = 70;
const proc = globalThis.process;
const inNode = typeof proc?.versions?.node === 'string';
const badOption = (what) => { throw new TypeError(`instantiate: ${what}`); };

const WASI = 'wasi_snapshot_preview1';

/**
 * The import object of a wasm module that imports more than its declared
 * imports (`imports`: WebAssembly.Module.imports), or is given options.wasi:
 * options.wasmImports, the declared imports (`built`), then WASI (rt.wasi,
 * made here when the module imports WASI or options.wasi is given); anything
 * else is an error. See createRuntime.
 */
export function importObject(rt, imports, options, built) {
  rt.wasi = options.wasi != null || imports.some((i) => i.module === WASI) ? wasiImports(rt, options) : null;
  const own = `wasmgen:${rt.name}`, given = { ...options.wasmImports }, out = {}, missing = [];
  if (built) given[own] = built;
  for (const { module, name, kind } of imports) {
    const ns = (out[module] ??= {}), from = given[module];
    if (from && name in from) ns[name] = module === own ? from[name] : counted(rt, from[name]);
    else if (module === WASI && kind === 'function') ns[name] = counted(rt, rt.wasi.funcs[name] ?? rt.wasi.fallback);
    else missing.push(`${module}.${name} (${kind})`);
  }
  if (missing.length) badOption(`the wasm module imports what was not provided: ${missing.join(', ')}`);
  return out;
}

/**
 * A wasm import (WASI's, or options.wasmImports'): counted in rt.inImport
 * while it runs, so that unwind() knows a call from it into the module is
 * not the outermost. (The declared imports count themselves.)
 */
function counted(rt, f) {
  if (typeof f !== 'function') return f;
  return function (...args) {
    rt.inImport++;
    try {
      return f.apply(this, args);
    } finally {
      rt.inImport--;
    }
  };
}

/**
 * The WASI side of one instance: { funcs, fallback, flush, initialize }: the
 * import functions, the one for any other name, flush(final) for partial
 * lines, and initialize(instance), which runs the reactor's _initialize.
 */
function wasiImports(rt, options) {
  if (options.wasi !== undefined && options.wasi !== null) return nodeWasi(options);
  const out = outputStreams(options);
  const env = envEntries(options);
  const exit = (code) => {
    out.flush(true, (e, what) => rt.report(e, what)); // C is running: a sink's error must not cross it
    throw new WasmgenError(`the wasm module called exit(${code})`, code);
  };
  return {
    funcs: { ...fdFuncs(rt, out.streams), ...envFuncs(rt, env), ...clockFuncs(rt), ...miscFuncs(rt, exit) },
    fallback: () => ENOSYS,
    flush: out.flush,
    initialize(instance) {
      const init = instance.exports._initialize;
      if (typeof init === 'function') init();
    },
  };
}

/**
 * node:wasi's functions: `new WASI({ version: 'preview1', env, args, preopens })`,
 * in Node and Deno (initialize(instance) runs _initialize) or Bun (no
 * initialize(): setMemory(memory), then the runtime runs _initialize).
 */
function nodeWasi(options) {
  const wasi = options.wasi;
  const bunStyle = typeof wasi?.initialize !== 'function' && typeof wasi?.setMemory === 'function';
  if (typeof wasi !== 'object' || typeof wasi.wasiImport !== 'object' || wasi.wasiImport === null ||
      (typeof wasi.initialize !== 'function' && !bunStyle))
    badOption(`options.wasi must be a WASI instance from node:wasi (new WASI({ version: 'preview1' })); got ${describe(wasi)}`);
  for (const k of ['stdout', 'stderr', 'env'])
    if (options[k] !== undefined) badOption(`options.${k} does not apply with options.wasi: give node:wasi's WASI its own options`);
  const funcs = {};
  for (const name in wasi.wasiImport) funcs[name] = wasi.wasiImport[name];
  const exit = funcs.proc_exit;
  const exited = (code) => new WasmgenError(`the wasm module called exit(${code})`, code);
  if (bunStyle) {
    // Bun's proc_exit ends the process: exit(n) throws, as in Node and Deno.
    funcs.proc_exit = (code) => { throw exited(code); };
  } else if (typeof exit === 'function') {
    // With returnOnExit (the default), node:wasi's proc_exit throws what only
    // its start() catches: a symbol in Node, a WASIProcExit { code } in Deno.
    // A reactor's caller gets a WasmgenError instead. (With returnOnExit:
    // false it ends the process.)
    funcs.proc_exit = (code) => {
      try {
        exit(code);
      } catch (e) {
        if (e instanceof Error) throw e;
      }
      throw exited(code);
    };
  }
  return {
    funcs,
    fallback: () => ENOSYS,
    flush: () => {}, // node:wasi writes straight to the process's file descriptors
    initialize: bunStyle
      ? (instance) => { wasi.setMemory(instance.exports.memory); instance.exports._initialize?.(); }
      : (instance) => wasi.initialize(instance),
  };
}

// ---- stdout and stderr, line by line

// Output streams holding a partial line, of every instance: the one process
// 'exit' hook track() registers in Node flushes them.
let unflushedOutput = null;

const chomp = (line) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** Remember whether stream `s` holds a partial line, for the exit hook. */
function track(s) {
  if (s.text === '') { unflushedOutput?.delete(s); return; }
  if (unflushedOutput === null) {
    unflushedOutput = new Set();
    // One hook for every instance of this runtime file (listeners per
    // instance would pile up); 'exit' listeners do not keep Node alive,
    // and the set holds only streams with text still to print.
    if (inNode && typeof proc.once === 'function') {
      proc.once('exit', () => {
        for (const t of unflushedOutput) {
          try { endLine(t, true); } catch { /* a sink's error must not stop the others */ }
        }
      });
    }
  }
  unflushedOutput.add(s);
}

/** Send a partial line now; `final` also ends a character left incomplete. */
function endLine(s, final) {
  if (final) s.text += s.decoder.decode();
  const text = s.text;
  if (text === '') return;
  s.text = '';
  s.cut = true;
  track(s);
  s.sink(chomp(text));
}

/**
 * Text written to a stream: hand its complete lines to the sink. C is
 * running (this is fd_write): an exception must not unwind through libc's
 * stdio, which would keep the line and mix it with the next one, so a
 * sink's error goes to `report` (options.onError) and the other lines are
 * still delivered.
 */
function writeLines(s, text, report) {
  if (s.cut && text !== '') {
    s.cut = false;
    if (text.startsWith('\n')) text = text.slice(1);
    else if (text.startsWith('\r\n')) text = text.slice(2);
  }
  text = s.text + text;
  const last = text.lastIndexOf('\n');
  if (last < 0) {
    s.text = text;
    track(s);
    return;
  }
  s.text = text.slice(last + 1);
  track(s);
  // The sinks run last: one may call into the module and grow memory.
  for (const line of text.slice(0, last).split('\n')) {
    try { s.sink(chomp(line)); } catch (e) { report(e, s.name); }
  }
}

/** The streams of fds 1 and 2 (options.stdout, options.stderr), and flush(final). */
function outputStreams(options) {
  const sinkOf = (k, dflt) => {
    const f = options[k];
    if (f === undefined) return dflt;
    if (typeof f !== 'function') badOption(`options.${k} must be a function that takes a line; got ${describe(f)}`);
    return f;
  };
  const stream = (name, sink) => ({ name, sink, text: '', decoder: new TextDecoder('utf-8'), cut: false });
  const streams = [
    null,
    stream('options.stdout', sinkOf('stdout', (line) => console.log(line))),
    stream('options.stderr', sinkOf('stderr', (line) => console.error(line))),
  ];
  /** Send the partial lines; a sink's error goes to the caller, or to `report` when there is one. */
  const flush = (final = false, report = null) => {
    let error = null;
    for (const s of streams) {
      if (s === null) continue;
      try { endLine(s, final); } catch (e) { if (report) report(e, s.name); else error ??= e; }
    }
    if (error !== null) throw error;
  };
  return { streams, flush };
}

// ---- File descriptors 0 to 2

const inBounds = (rt, p, n) => p + n <= rt.u8.length;
const fdOk = (fd) => (fd >>> 0) <= 2;

function setU64(rt, p, v) {
  if ((p & 7) === 0) rt.i64[p >>> 3] = v;
  else new DataView(rt.buffer).setBigUint64(p, v, true);
}

function fdFuncs(rt, streams) {
  return {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      const s = streams[fd >>> 0];
      if (s === undefined || s === null) return EBADF;
      rt.sync();
      const u32 = rt.u32, base = (iovs >>> 0) >>> 2;
      let total = 0, text = '';
      for (let i = 0; i < iovsLen >>> 0; i++) {
        const p = u32[base + 2 * i], n = u32[base + 2 * i + 1];
        if (!inBounds(rt, p, n)) return EFAULT;
        text += s.decoder.decode(new Uint8Array(rt.buffer, p, n), { stream: true });
        total += n;
      }
      u32[(nwrittenPtr >>> 0) >>> 2] = total;
      writeLines(s, text, (e, what) => rt.report(e, what));
      return SUCCESS;
    },
    fd_read(fd, iovs, iovsLen, nreadPtr) {
      if ((fd >>> 0) !== 0) return EBADF;
      rt.sync();
      rt.u32[(nreadPtr >>> 0) >>> 2] = 0; // stdin is empty
      return SUCCESS;
    },
    fd_fdstat_get(fd, statPtr) {
      if (!fdOk(fd)) return EBADF;
      const p = statPtr >>> 0;
      rt.sync();
      if (!inBounds(rt, p, 24)) return EFAULT;
      // struct fdstat: u8 filetype, u16 flags at 2, u64 rights_base at 8, u64 rights_inheriting at 16.
      rt.u8.fill(0, p, p + 24);
      rt.u8[p] = 2; // character device; without the seek and tell rights, isatty() is true
      const FD_READ = 1n << 1n, FD_WRITE = 1n << 6n, POLL_FD_READWRITE = 1n << 27n;
      setU64(rt, p + 8, ((fd >>> 0) === 0 ? FD_READ : FD_WRITE) | POLL_FD_READWRITE);
      return SUCCESS;
    },
    fd_close: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    fd_seek: (fd) => (fdOk(fd) ? ESPIPE : EBADF),
    fd_tell: (fd) => (fdOk(fd) ? ESPIPE : EBADF),
    fd_sync: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    fd_datasync: (fd) => (fdOk(fd) ? SUCCESS : EBADF),
    // No preopened directories: EBADF ends libc's scan of fds 3, 4, ...
    fd_prestat_get: () => EBADF,
    fd_prestat_dir_name: () => EBADF,
  };
}

// ---- The environment and arguments

/** options.env as NUL-terminated `NAME=value` entries, encoded once. */
function envEntries(options) {
  const env = options.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env))
    badOption(`options.env must be an object of strings; got ${describe(env)}`);
  const encoder = new TextEncoder();
  return Object.entries(env).map(([k, v]) => {
    if (typeof v !== 'string') badOption(`options.env.${k} must be a string; got ${describe(v)}`);
    if (k === '' || k.includes('=') || k.includes('\0')) badOption(`options.env: ${JSON.stringify(k)} is not a valid variable name`);
    if (v.includes('\0')) badOption(`options.env.${k} contains a NUL character`);
    return encoder.encode(`${k}=${v}\0`);
  });
}

function envFuncs(rt, env) {
  const sizes = (list) => (countPtr, sizePtr) => {
    rt.sync();
    rt.u32[(countPtr >>> 0) >>> 2] = list.length;
    rt.u32[(sizePtr >>> 0) >>> 2] = list.reduce((n, e) => n + e.length, 0);
    return SUCCESS;
  };
  const fill = (list) => (ptrsPtr, bufPtr) => {
    rt.sync();
    let at = bufPtr >>> 0;
    list.forEach((e, i) => {
      rt.u32[((ptrsPtr >>> 0) >>> 2) + i] = at;
      rt.u8.set(e, at);
      at += e.length;
    });
    return SUCCESS;
  };
  return {
    environ_sizes_get: sizes(env),
    environ_get: fill(env),
    args_sizes_get: sizes([]),
    args_get: fill([]),
  };
}

// ---- Clocks

function clockFuncs(rt) {
  const hrtime = inNode && typeof proc.hrtime?.bigint === 'function' ? () => proc.hrtime.bigint() : null;
  const monotonic = hrtime ?? (() => BigInt(Math.round(performance.now() * 1e6)));
  const start = monotonic();
  const cpu = inNode && typeof proc.cpuUsage === 'function'
    ? () => { const u = proc.cpuUsage(); return BigInt(u.user + u.system) * 1000n; }
    : () => monotonic() - start;
  const clocks = [
    { now: () => BigInt(Date.now()) * 1000000n, res: 1000000n },
    { now: monotonic, res: hrtime ? 1n : globalThis.crossOriginIsolated ? 5000n : 100000n },
    { now: cpu, res: inNode ? 1000n : 100000n },
    { now: cpu, res: inNode ? 1000n : 100000n },
  ];
  return {
    clock_time_get(id, precision, timePtr) {
      const c = clocks[id >>> 0];
      if (c === undefined) return EINVAL;
      const t = c.now();
      rt.sync();
      setU64(rt, timePtr >>> 0, t);
      return SUCCESS;
    },
    clock_res_get(id, resPtr) {
      const c = clocks[id >>> 0];
      if (c === undefined) return EINVAL;
      rt.sync();
      setU64(rt, resPtr >>> 0, c.res);
      return SUCCESS;
    },
  };
}

// ---- Randomness, scheduling, exit

function miscFuncs(rt, exit) {
  return {
    random_get(ptr, len) {
      const p = ptr >>> 0, n = len >>> 0;
      rt.sync();
      if (!inBounds(rt, p, n)) return EFAULT;
      const crypto = globalThis.crypto;
      if (typeof crypto?.getRandomValues !== 'function') return ENOSYS;
      // getRandomValues fills at most 65536 bytes a call.
      for (let at = 0; at < n; at += 65536) crypto.getRandomValues(new Uint8Array(rt.buffer, p + at, Math.min(n - at, 65536)));
      return SUCCESS;
    },
    sched_yield: () => SUCCESS,
    poll_oneoff: () => ENOSYS,
    proc_exit: exit,
  };
}
