// browser.test.mjs - examples/browser in a real browser: Debian's Chromium,
// headless, driven by playwright-core (tests/package.json), the page served
// by serve.mjs on 127.0.0.1. Needs `make -C examples/browser` first
// (`make check-browser` does it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../examples/browser/', import.meta.url));
assert.ok(existsSync(`${root}out/browser.wasm`), 'build examples/browser first: make check-browser');

const server = await serve(root);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
test.after(async () => {
  await browser.close();
  await server.close();
});

/** A page at `path` of the server, with its console errors and uncaught exceptions collected. */
async function open(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.goto(server.url + path);
  return { page, problems };
}

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

test('the page shows every call with its expected result, and what C printed', async () => {
  const { page, problems } = await open('index.html');
  await page.waitForSelector('body[data-done]', { timeout: 20000 });
  const rows = await page.$$eval('#calls tbody tr', (trs) => trs.map((tr) => ({
    call: tr.dataset.call,
    ok: tr.className === 'ok',
    result: tr.querySelector('.result').textContent,
    expected: tr.querySelector('.expected').textContent,
  })));
  assert.ok(rows.length >= 10, `only ${rows.length} rows`);
  for (const r of rows) assert.ok(r.ok, `${r.call}: got ${r.result}, expected ${r.expected}`);
  const byCall = Object.fromEntries(rows.map((r) => [r.call, r.result]));
  assert.equal(byCall['greet("browser")'], '"Hello, browser!"');
  assert.equal(byCall['reverse("héllo wörld 🌍")'], '"🌍 dlröw olléh"');
  assert.equal(byCall['divide(7, 2)'], '{"return":3,"remainder":1}');
  const status = await page.textContent('#status');
  assert.equal(status, `${rows.length} of ${rows.length} calls gave the expected result.`);
  assert.equal(await page.textContent('#stdout'), 'greet(browser)\nline 1 of 3\nline 2 of 3\nline 3 of 3\n');
  assert.equal(await page.textContent('#stderr'), 'log_lines: printed 3 lines\n');
  assert.deepEqual(problems, []);
  await page.close();
});

test('instantiate(fetch(url)) in the page: application/wasm streams, any other type falls back to arrayBuffer, 404 is a clear error', async () => {
  const { page, problems } = await open('index.html');
  await page.waitForSelector('body[data-done]', { timeout: 20000 });
  const r = await page.evaluate(async () => {
    const { instantiate } = await import('./out/browser.mjs');
    const url = new URL('out/browser.wasm', location.href);
    const bytes = await (await fetch(url)).arrayBuffer();
    const octet = () => new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
    const outcome = (p) => p.then((v) => v, (e) => `${e.name}: ${e.message}`);
    const served = await fetch(url);
    const streamed = await instantiate(served, { stdout: () => {} });
    const fallback = await instantiate(octet(), { stdout: () => {} });
    const untyped = await instantiate(Promise.resolve(new Response(bytes)), { stdout: () => {} });
    return {
      servedType: served.headers.get('content-type'),
      streamed: streamed.greet('streamed'),
      // compileStreaming itself refuses this Response: the fallback is what makes it work.
      streamingRefuses: await outcome(WebAssembly.compileStreaming(octet()).then(() => 'compiled')),
      fallback: fallback.greet('octet-stream'),
      untyped: untyped.reverse('abc'),
      missing: await outcome(instantiate(fetch('out/missing.wasm')).then(() => 'instantiated')),
    };
  });
  assert.equal(r.servedType, 'application/wasm');
  assert.equal(r.streamed, 'Hello, streamed!');
  assert.match(r.streamingRefuses, /^TypeError: .*MIME type/);
  assert.equal(r.fallback, 'Hello, octet-stream!');
  assert.equal(r.untyped, 'cba');
  assert.equal(r.missing, 'TypeError: instantiate: fetching the wasm module failed: HTTP 404');
  // The failed fetch itself is logged by the browser; nothing else may be.
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
  await page.close();
});
