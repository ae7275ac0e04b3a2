// Opens pages of a running Dateline in headless Chromium at phone and
// desktop widths and reports, as JSON on stdout, what the Go test asserts:
// horizontal overflow, whether the lead picture loaded, console errors,
// and axe-core's accessibility violations. Screenshots go to OUTDIR.
//
// usage: node browser.mjs BASE_URL OUTDIR PATH...
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, outdir, ...paths] = process.argv.slice(2);
mkdirSync(outdir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: width < 500 ? 800 : 900 } });
    for (const path of paths) {
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      const resp = await page.goto(base + path, { waitUntil: 'load' });
      const leadSel = '.lead-pic img, .lead-card-pic img, .teaser-pic img';
      const facts = await page.evaluate((sel) => {
        const img = document.querySelector(sel);
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          lead: img ? { complete: img.complete, naturalWidth: img.naturalWidth, src: img.currentSrc } : null,
          h1: document.querySelectorAll('h1').length,
          articleDir: document.querySelector('article.story')?.getAttribute('dir') || '',
        };
      }, leadSel);
      // Scroll to the end and back as a reader would, a frame at a time, so
      // that sections with content-visibility: auto have been laid out once
      // (their remembered size replaces the placeholder) before axe measures
      // colours behind text by hit-testing.
      await page.evaluate(async () => {
        const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
          window.scrollTo(0, y);
          await frame();
        }
        window.scrollTo(0, 0);
        await frame();
      });
      // evaluate runs outside the page's CSP, which forbids inline scripts.
      await page.evaluate(axeSource);
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      const shot = `${outdir}/${path.replace(/[^a-z0-9]+/gi, '_') || 'front'}_${width}.png`;
      await page.screenshot({ path: shot, fullPage: false });
      results.push({ path, width, status: resp ? resp.status() : 0, ...facts, consoleErrors, axe, screenshot: shot });
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
