// browsers.mjs - the browsers the browser tests run in, behind one small
// interface: Debian's Chromium through playwright-core, and Debian's Firefox
// ESR through puppeteer-core over WebDriver BiDi (playwright cannot drive a
// stock Firefox). Both are pinned in tests/package.json; neither downloads a
// browser.
//
//   const b = await launch('chromium');            // or 'firefox'
//   const { page, problems } = await b.open(url);  // console errors and uncaught exceptions in `problems`
//   await page.evaluate(() => ...); await page.waitForSelector('body[data-done]');
//   await b.close();
//
// WASMGEN_BROWSERS=chromium (a comma-separated list) runs fewer.
export const BROWSERS = (process.env.WASMGEN_BROWSERS ?? 'chromium,firefox').split(',').filter(Boolean);

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

async function launchBrowser(name) {
  if (name === 'chromium') {
    const { chromium } = await import('playwright-core');
    return chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
  if (name === 'firefox') {
    const { default: puppeteer } = await import('puppeteer-core');
    return puppeteer.launch({
      browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true,
      extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'app.update.enabled': false },
    });
  }
  throw new Error(`unknown browser ${name}`);
}

/** A browser: open(url) gives a page, with its console errors and uncaught exceptions collected. */
export async function launch(name) {
  const browser = await launchBrowser(name);
  return {
    name,
    async open(url) {
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`); });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      await page.goto(url);
      return { page, problems };
    },
    close: () => browser.close(),
  };
}
