// Walks through the newsroom in headless Chromium as a reporter and an
// editor: write a story with an uploaded lead picture and a related link,
// preview it, submit it, publish it, find it on the front page. Reports
// what it saw as JSON on stdout for newsroom_test.go to assert.
//
// usage: node newsroom.mjs BASE_URL OUTDIR PASSWORD HEADLINE JPEG RELATED_QUERY
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, outdir, password, headline, jpeg, relatedQuery] = process.argv.slice(2);
mkdirSync(outdir, { recursive: true });
const result = { steps: [], consoleErrors: [] };
const step = (s) => result.steps.push(s);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(page.url() + ': ' + m.text()); });
  page.on('pageerror', (e) => result.consoleErrors.push(page.url() + ': ' + String(e)));
  return page;
}

async function login(context, email) {
  const page = watch(await context.newPage());
  await page.goto(base + '/newsroom/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(base + '/newsroom/'), page.click('button[type=submit]')]);
  return page;
}

const imgLoaded = (sel) => (s) => {
  const img = document.querySelector(s);
  return !!img && img.complete && img.naturalWidth > 0;
};

try {
  // The reporter writes.
  const rc = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let page = await login(rc, 'reporter@dateline.test');
  step('reporter signed in');
  await page.goto(base + '/newsroom/stories/new');
  await page.fill('#f-headline', headline);
  await page.fill('#f-standfirst', 'Ships moved again on Tuesday as the port cleared the wreckage.');
  const section = await page.$eval('#f-section option:nth-child(2)', (o) => o.value);
  await page.selectOption('#f-section', section);
  await page.fill('#f-bylines', 'Guest Correspondent');
  await page.setInputFiles('#f-lead-file', jpeg);
  await page.fill('#f-lead-caption', 'The harbour at dawn');
  await page.fill('#f-lead-credit', 'Dateline');
  await page.fill('#f-lead-alt', 'Cranes over an empty quay at sunrise');
  await page.fill('#f-body', 'The harbour **reopened** on Tuesday after three days of storms.\n\nDock workers cleared the quays overnight.');
  await page.dispatchEvent('#f-body', 'input');
  // A related link in the body, through the toolbar's picker.
  await page.click('button[data-md=related]');
  await page.fill('#related-q', relatedQuery);
  const hit = page.locator('#related-results button[data-id]').first();
  await hit.waitFor({ timeout: 10000 });
  result.related = await hit.getAttribute('data-id');
  await hit.click();
  const body = await page.inputValue('#f-body');
  if (!body.includes('[[related:' + result.related + ']]')) throw new Error('the picker did not insert the related link: ' + body);
  step('form filled');
  await Promise.all([page.waitForURL(/\/newsroom\/stories\/\d+\?done=/), page.click('button[name=action][value=save]')]);
  result.storyURL = page.url().replace(/\?.*$/, '');
  step('saved');
  await page.waitForFunction(imgLoaded(), '.lead-thumb');
  // Preview in a new tab.
  const [preview] = await Promise.all([rc.waitForEvent('page'), page.click('[data-preview]')]);
  watch(preview);
  await preview.waitForLoadState('load');
  result.previewH1 = (await preview.textContent('h1'))?.trim();
  result.previewLead = await preview.evaluate(imgLoaded(), '.lead-pic img');
  result.previewRelated = (await preview.locator('.related-inline a').count()) > 0;
  await preview.screenshot({ path: `${outdir}/newsroom_preview.png` });
  await preview.close();
  step('previewed');
  await Promise.all([page.waitForURL(/done=submitted/), page.click('button[name=action][value=submit]')]);
  result.statusAfterSubmit = (await page.textContent('h1 .status'))?.trim();
  await page.screenshot({ path: `${outdir}/newsroom_submitted.png`, fullPage: true });
  step('submitted');
  await rc.close();

  // The editor publishes.
  const ec = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await login(ec, 'editor@dateline.test');
  step('editor signed in');
  await page.goto(result.storyURL);
  await Promise.all([page.waitForURL(/done=published/), page.click('button[name=action][value=publish]')]);
  result.statusAfterPublish = (await page.textContent('h1 .status'))?.trim();
  step('published');
  await ec.close();

  // A reader finds it on the front page.
  const reader = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = watch(await reader.newPage());
  await page.goto(base + '/');
  const link = page.locator('a', { hasText: headline }).first();
  result.onFront = (await link.count()) > 0;
  if (result.onFront) {
    await Promise.all([page.waitForLoadState('load'), link.click()]);
    await page.waitForLoadState('load');
    result.publicURL = page.url();
    result.publicLead = await page.evaluate(imgLoaded(), '.lead-pic img');
    result.publicRelated = (await page.locator('.related-inline a').count()) > 0;
    await page.screenshot({ path: `${outdir}/newsroom_public.png` });
  }
  step('read');
  await reader.close();
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
