// serve.mjs - a tiny static file server on 127.0.0.1, for examples/browser
// and its test. Wasm goes out as application/wasm, so that the runtime can
// compile it while it streams in.
//
//   node tests/browser/serve.mjs [DIR] [PORT]   serve DIR (default: .) on PORT (default: any free one)
//   import { serve } from './serve.mjs'; const { url, close } = await serve(dir);
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.mts': 'text/plain; charset=utf-8',
  '.c': 'text/plain; charset=utf-8',
  '.h': 'text/plain; charset=utf-8',
  '.idl': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serve the files under `root` on 127.0.0.1:`port` (0: an ephemeral port). Resolves to { url, close, server }. */
export async function serve(root, port = 0) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const reply = (status, text) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : `${status} ${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
    let file;
    try {
      const { pathname } = new URL(req.url, 'http://localhost');
      file = path.join(base, decodeURIComponent(pathname));
    } catch {
      return reply(400, 'bad request');
    }
    if (file !== base && !file.startsWith(base + path.sep)) return reply(403, 'forbidden');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return reply(404, 'not found');
      res.writeHead(200, {
        'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      reply(404, 'not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const close = () => new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
  return { url, close, server };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { url } = await serve(process.argv[2] ?? '.', Number(process.argv[3] ?? 0));
  console.log(`serving ${path.resolve(process.argv[2] ?? '.')} at ${url} (Ctrl-C stops)`);
}
