// browser.test.mjs - examples/browser in real browsers (tests/browser/browsers.mjs:
// Debian's Chromium and Firefox ESR, headless), the page served by serve.mjs
// on 127.0.0.1. Needs `make -C examples/browser` first (`make check-browser`
// does it). Every test runs in every browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { BROWSERS, launch } from './browsers.mjs';

const root = fileURLToPath(new URL('../../examples/browser/', import.meta.url));
assert.ok(existsSync(`${root}out/browser.wasm`), 'build examples/browser first: make check-browser');

const server = await serve(root);
test.after(() => server.close());

test('the server sends wasm as application/wasm and modules as JavaScript, on 127.0.0.1', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const wasm = await fetch(`${server.url}out/browser.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer()).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  const js = await fetch(`${server.url}out/browser.mjs`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  await js.arrayBuffer();
  assert.equal((await fetch(`${server.url}out/missing.wasm`)).status, 404);
  // Nothing outside the root: ../ in the path is resolved by URL rules, and
  // an encoded one is refused.
  assert.equal((await fetch(`${server.url}..%2F..%2FREADME.md`)).status, 403);
  assert.equal((await fetch(`${server.url}%2e%2e/%2e%2e/README.md`)).status, 404);
});

for (const name of BROWSERS) {
  test(name, async (t) => {
    const browser = await launch(name);
    t.after(() => browser.close());

    await t.test('the page shows every call with its expected result, and what C printed', async () => {
      const { page, problems } = await browser.open(`${server.url}index.html`);
      await page.waitForSelector('body[data-done]', { timeout: 20000 });
      const page$ = await page.evaluate(() => ({
        rows: [...document.querySelectorAll('#calls tbody tr')].map((tr) => ({
          call: tr.dataset.call,
          ok: tr.className === 'ok',
          result: tr.querySelector('.result').textContent,
          expected: tr.querySelector('.expected').textContent,
        })),
        status: document.getElementById('status').textContent,
        stdout: document.getElementById('stdout').textContent,
        stderr: document.getElementById('stderr').textContent,
      }));
      const { rows } = page$;
      assert.ok(rows.length >= 10, `only ${rows.length} rows`);
      for (const r of rows) assert.ok(r.ok, `${r.call}: got ${r.result}, expected ${r.expected}`);
      const byCall = Object.fromEntries(rows.map((r) => [r.call, r.result]));
      assert.equal(byCall['greet("browser")'], '"Hello, browser!"');
      assert.equal(byCall['reverse("héllo wörld 🌍")'], '"🌍 dlröw olléh"');
      assert.equal(byCall['divide(7, 2)'], '{"return":3,"remainder":1}');
      assert.equal(page$.status, `${rows.length} of ${rows.length} calls gave the expected result.`);
      assert.equal(page$.stdout, 'greet(browser)\nline 1 of 3\nline 2 of 3\nline 3 of 3\n');
      assert.equal(page$.stderr, 'log_lines: printed 3 lines\n');
      assert.deepEqual(problems, []);
      await page.close();
    });

    await t.test('instantiate() streams the .wasm beside the .mjs; instantiate(fetch(url)): application/wasm streams, any other type falls back to arrayBuffer, 404 is a clear error', async () => {
      const { page, problems } = await browser.open(`${server.url}index.html`);
      await page.waitForSelector('body[data-done]', { timeout: 20000 });
      const r = await page.evaluate(async () => {
        const { instantiate } = await import('./out/browser.mjs');
        const url = new URL('out/browser.wasm', location.href);
        const bytes = await (await fetch(url)).arrayBuffer();
        const octet = () => new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
        const outcome = (p) => p.then((v) => v, (e) => `${e.name}: ${e.message}`);
        // No source: the .wasm beside the .mjs, compiled while it streams in.
        const streamedUrls = [];
        const compileStreaming = WebAssembly.compileStreaming;
        WebAssembly.compileStreaming = (r) => { streamedUrls.push(r.url); return compileStreaming.call(WebAssembly, r); };
        const zero = await instantiate(null, { stdout: () => {} });
        WebAssembly.compileStreaming = compileStreaming;
        const served = await fetch(url);
        const streamed = await instantiate(served, { stdout: () => {} });
        const fallback = await instantiate(octet(), { stdout: () => {} });
        const untyped = await instantiate(Promise.resolve(new Response(bytes)), { stdout: () => {} });
        return {
          zero: zero.greet('zero-config'),
          streamedUrls,
          servedType: served.headers.get('content-type'),
          streamed: streamed.greet('streamed'),
          // compileStreaming itself refuses this Response: the fallback is what makes it work.
          streamingRefuses: await outcome(WebAssembly.compileStreaming(octet()).then(() => 'compiled')),
          fallback: fallback.greet('octet-stream'),
          untyped: untyped.reverse('abc'),
          missing: await outcome(instantiate(fetch('out/missing.wasm')).then(() => 'instantiated')),
        };
      });
      assert.equal(r.zero, 'Hello, zero-config!');
      assert.deepEqual(r.streamedUrls, [`${server.url}out/browser.wasm`]);
      assert.equal(r.servedType, 'application/wasm');
      assert.equal(r.streamed, 'Hello, streamed!');
      assert.match(r.streamingRefuses, /^TypeError: .*MIME type/i);
      assert.equal(r.fallback, 'Hello, octet-stream!');
      assert.equal(r.untyped, 'cba');
      assert.equal(r.missing, 'TypeError: instantiate: fetching the wasm module failed: HTTP 404');
      // The failed fetch itself may be logged by the browser; nothing else may be.
      assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
      await page.close();
    });
  });
}
