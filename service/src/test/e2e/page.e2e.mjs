// End-to-end test of the service's page at / in Debian's headless Chromium (playwright-core, no
// downloaded browser). Searches with one query crop, checks the ranked identities and their
// thumbnails, then opens an identity in the gallery and checks its crops. Exits non-zero with a
// message on any failure.
//
// env: BASE_URL (e.g. http://localhost:18080), API_KEY (a key with the SEARCH role or more),
//      QUERY_IMAGE (path to a crop), EXPECTED_LABEL (the label rank 1 must have),
//      SCREENSHOT_DIR (where ranked-results.png and gallery.png go; default: the working directory)
//      CHROMIUM (optional, default /usr/bin/chromium), TIMEOUT_MS (optional, default 30000).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 30000);

function fail(message) {
  console.error(`page.e2e: FAIL: ${message}`);
  process.exit(1);
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) fail(`environment variable ${name} is not set`);
  return value;
}

const baseUrl = requireEnv('BASE_URL').replace(/\/+$/, '');
const apiKey = requireEnv('API_KEY');
const queryImage = resolve(requireEnv('QUERY_IMAGE'));
const expectedLabel = requireEnv('EXPECTED_LABEL');
const screenshotDir = resolve(process.env.SCREENSHOT_DIR || '.');

if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing; run scripts/install-browser.sh`);
if (!existsSync(queryImage)) fail(`QUERY_IMAGE ${queryImage} does not exist`);
mkdirSync(screenshotDir, { recursive: true });

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  fail(`playwright-core is not installed in service/src/test/e2e/node_modules (${e.message}); run scripts/install-browser.sh`);
}

const log = (message) => console.log(`page.e2e: ${message}`);
const consoleErrors = [];
const userDataDir = mkdtempSync(join(tmpdir(), 'reid-e2e-chromium-'));
let context;
let page;
let step = 'launching chromium';

async function run() {
  // A persistent context is the way to give Chromium its own fresh user-data-dir.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 960 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  page = context.pages()[0] || await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => consoleErrors.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText || ''}`));

  step = `opening ${baseUrl}/`;
  const response = await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
  if (!response || !response.ok()) throw new Error(`GET ${baseUrl}/ answered ${response ? response.status() : 'nothing'}`);

  step = 'entering the API key';
  const keyInput = page.getByTestId('api-key');
  await keyInput.fill(apiKey);
  await keyInput.press('Enter');
  await page.waitForFunction(() => document.getElementById('key-state').textContent === 'key ok', null, { timeout: TIMEOUT_MS })
    .catch(async () => { throw new Error(`the key was not accepted: key state "${await page.getByTestId('key-state').textContent()}"`); });

  step = 'uploading the query crop';
  await page.getByTestId('query-input').setInputFiles(queryImage);
  await page.getByTestId('query-thumb').first().waitFor();

  step = 'searching';
  // the query's camera only picks the threshold (a camera pair's, where calibrated): the ranking is the same
  await page.getByTestId('query-camera').fill('1');
  await page.getByTestId('search-submit').click();
  const cards = page.getByTestId('rank-card');
  await Promise.race([
    cards.first().waitFor(),
    page.getByTestId('search-problem').waitFor().then(async () => {
      throw new Error(`the search answered a problem: ${(await page.getByTestId('search-problem').innerText()).replace(/\s+/g, ' ')}`);
    }),
  ]);
  const count = await cards.count();
  const firstLabel = await cards.first().getAttribute('data-label');
  const ranked = await cards.evaluateAll((nodes) => nodes.map((n) => `${n.dataset.rank}:${n.dataset.label}(${Number(n.dataset.score).toFixed(3)})`));
  log(`ranked ${count} identities: ${ranked.join(' ')}`);
  if (firstLabel !== expectedLabel) throw new Error(`rank 1 is "${firstLabel}", expected "${expectedLabel}" (ranked: ${ranked.join(' ')})`);
  const verdictText = (await page.getByTestId('search-result').locator('.verdict').innerText()).replace(/\s+/g, ' ');
  log(`verdict: ${verdictText}`);
  if (!/\((all cameras|camera pair \d+->\d+|configured)\)/.test(verdictText)) {
    throw new Error(`the verdict does not say which threshold decided it: "${verdictText}"`);
  }
  log(`meta: ${(await page.getByTestId('search-meta').innerText()).replace(/\s+/g, ' ')}`);

  step = 'waiting for the ranked thumbnails';
  await waitForImages(page.getByTestId('rank-card').locator('img.crop'), 'ranked thumbnails');
  await waitForImages(page.getByTestId('result-query-thumb'), 'query thumbnails');
  step = 'taking ranked-results.png';
  await screenshotDownTo(['#search-result'], 'ranked-results.png');

  step = 'opening the gallery';
  await page.getByTestId('tab-gallery').click();
  const tiles = page.getByTestId('identity-tile');
  await Promise.race([
    tiles.first().waitFor(),
    page.getByTestId('gallery-problem').waitFor().then(async () => {
      throw new Error(`the gallery answered a problem: ${(await page.getByTestId('gallery-problem').innerText()).replace(/\s+/g, ' ')}`);
    }),
  ]);
  log(`gallery shows ${await tiles.count()} identities (${await page.getByTestId('gallery-page').innerText()})`);
  await waitForImages(page.getByTestId('identity-thumb'), 'identity thumbnails');

  step = 'opening an identity';
  const tile = page.locator(`[data-testid="identity-tile"][data-label="${cssEscape(expectedLabel)}"]`);
  const chosen = (await tile.count()) ? tile.first() : tiles.first();
  const chosenLabel = await chosen.getAttribute('data-label');
  await chosen.click();
  const detail = page.getByTestId('identity-detail');
  await page.waitForFunction((label) => {
    const panel = document.querySelector('[data-testid="identity-detail"]');
    return panel && !panel.hidden && panel.dataset.label === label
      && panel.querySelectorAll('[data-testid="entry-crop"]').length > 0;
  }, chosenLabel, { timeout: TIMEOUT_MS }).catch(async () => {
    const problem = page.getByTestId('gallery-problem');
    const why = (await problem.isVisible()) ? `: ${(await problem.innerText()).replace(/\s+/g, ' ')}` : '';
    throw new Error(`identity ${chosenLabel} did not show its crops${why}`);
  });
  const crops = detail.getByTestId('entry-crop');
  const cropCount = await crops.count();
  await waitForImages(crops.locator('img.crop'), 'identity crops');
  const captions = await crops.locator('figcaption').allInnerTexts();
  if (!captions.every((c) => /cam \d+/.test(c))) throw new Error(`a crop caption lacks its camera: ${JSON.stringify(captions)}`);
  log(`identity ${chosenLabel}: ${cropCount} crops shown`);
  step = 'taking gallery.png';
  await screenshotDownTo(['#identity-grid', '#identity-detail'], 'gallery.png');

  step = 'opening the models view';
  await page.getByTestId('tab-models').click();
  await page.getByTestId('model-name').waitFor();
  log(`active model: ${await page.getByTestId('model-name').innerText()} ${await page.getByTestId('model-version').innerText()}`);
  // the bundled model's cross-camera results on the generalisation suite (its manifest), as a table
  const generalisation = page.getByTestId('model-generalisation');
  await generalisation.waitFor();
  const worlds = await generalisation.locator('tbody th').allInnerTexts();
  if (!worlds.includes('demo-s7')) throw new Error(`the models view lists no demo-s7 result: ${JSON.stringify(worlds)}`);
  log(`generalisation rows: ${worlds.join(', ')}`);

  step = 'checking the calibration plot';
  // the "unknown" threshold's calibration: genuine and impostor histograms with the threshold line, and the TAR/FMR table
  const plot = page.getByTestId('calibration-plot');
  await plot.waitFor();
  const bars = {
    genuine: await plot.getByTestId('calibration-genuine').locator('rect').count(),
    impostor: await plot.getByTestId('calibration-impostor').locator('rect').count(),
  };
  if (!bars.genuine || !bars.impostor) throw new Error(`the calibration plot lacks a histogram: ${JSON.stringify(bars)}`);
  const line = plot.getByTestId('calibration-threshold');
  if (!(await line.count())) throw new Error('the calibration plot has no threshold line');
  const lineValue = Number(await line.getAttribute('data-value'));
  const served = await page.evaluate(async (key) => {
    const r = await fetch('/api/v1/models/active/calibration', { headers: { 'X-API-Key': key } });
    return (await r.json()).threshold;
  }, apiKey);
  if (lineValue !== served) throw new Error(`the threshold line is at ${lineValue}, the endpoint says ${served}`);
  const rows = await page.getByTestId('calibration-table').locator('tbody tr').count();
  if (rows < 5) throw new Error(`the TAR/FMR table has ${rows} rows, expected the 4 false match rates and the equal error rate`);
  log(`calibration: threshold ${lineValue}, ${bars.genuine} genuine and ${bars.impostor} impostor bars, ${rows} table rows;`
    + ` ${(await page.getByTestId('calibration-method').innerText()).replace(/\s+/g, ' ')}`);
  // camera pairs: a table of those with a threshold of their own, or a line saying none has the samples
  const pairTable = page.getByTestId('camera-pair-thresholds');
  const pairNone = page.getByTestId('camera-pairs-none');
  await pairTable.or(pairNone).first().waitFor();
  log(`camera pairs: ${(await pairTable.or(pairNone).first().innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
  await screenshotDownTo(['#model-card', '#model-calibration', '#model-list'], 'models.png');
}

/** A screenshot from the top of the page down to the lowest of the given elements (no empty tail). */
async function screenshotDownTo(selectors, name) {
  const bottoms = await page.evaluate((sels) => sels.map((sel) => {
    const node = document.querySelector(sel);
    if (!node || node.hidden) return 0;
    const rect = node.getBoundingClientRect();
    return rect.bottom + window.scrollY;
  }), selectors);
  const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  const height = Math.min(size.height, Math.ceil(Math.max(...bottoms, 200) + 16));
  await page.screenshot({ path: join(screenshotDir, name), clip: { x: 0, y: 0, width: size.width, height }, fullPage: true });
  log(`screenshot ${name} (${size.width}x${height})`);
}

/** Waits until every image of the locator has decoded pixels (naturalWidth > 0). */
async function waitForImages(locator, what) {
  const total = await locator.count();
  if (total === 0) throw new Error(`no ${what} on the page`);
  try {
    await locator.first().page().waitForFunction(
      (nodes) => nodes.every((img) => img.complete && img.naturalWidth > 0),
      await locator.elementHandles(), { timeout: TIMEOUT_MS });
  } catch (e) {
    const states = await locator.evaluateAll((nodes) => nodes.map((img) => ({
      api: img.dataset.api || img.alt, naturalWidth: img.naturalWidth, broken: img.classList.contains('broken'), title: img.title,
    })));
    const bad = states.filter((s) => !(s.naturalWidth > 0));
    throw new Error(`${bad.length} of ${total} ${what} did not load: ${JSON.stringify(bad.slice(0, 5))}`);
  }
  log(`${total} ${what} loaded`);
}

function cssEscape(value) {
  return String(value).replace(/["\\]/g, '\\$&');
}

let exitCode = 0;
try {
  await run();
  log(`PASS; screenshots in ${screenshotDir}`);
} catch (e) {
  exitCode = 1;
  console.error(`page.e2e: FAIL while ${step}: ${e.message}`);
  if (page) {
    await page.screenshot({ path: join(screenshotDir, 'failure.png'), fullPage: true })
      .then(() => console.error(`page.e2e: failure screenshot: ${join(screenshotDir, 'failure.png')}`))
      .catch(() => {});
  }
} finally {
  if (consoleErrors.length) {
    console.error(`page.e2e: browser console errors (${consoleErrors.length}):`);
    for (const line of consoleErrors) console.error(`  ${line}`);
  }
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
