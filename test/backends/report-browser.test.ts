/**
 * The report page in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * .ci/run) driven by playwright-core. The page is opened from a file:// URL, as a user opens
 * a downloaded report. Screenshots go to $DENSEGRAPH_REPORT_SCREENSHOT (default
 * /tmp/densegraph-report.png) and the same name with -functional and -dark before `.png`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStyle, renderSvg, reportHtml, type CompiledModel } from '../../src/index.js';
import { compileSpec, fixturePath, readFixture } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = process.env['DENSEGRAPH_REPORT_SCREENSHOT'] ?? join(tmpdir(), 'densegraph-report.png');
const TIMEOUT = 90_000;

const HOSTILE_NAMES = ['</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"];', 'a &amp; b -->'];
const HOSTILE_SPEC = `name: ${JSON.stringify('<b>hostile</b> & co')}
layers:
  - Dense: {units: 8, input_dim: 4, activation: relu, name: ${JSON.stringify(HOSTILE_NAMES[0])}}
  - Dense: {units: 6, activation: relu, name: ${JSON.stringify(HOSTILE_NAMES[1])}}
  - Dense: {units: 3, name: ${JSON.stringify(HOSTILE_NAMES[2])}}
  - Dense: {units: 1, activation: sigmoid, name: ${JSON.stringify(HOSTILE_NAMES[3])}}
`;

let profile: string;
let pages: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the report's browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it when it is missing)`);
  }
  profile = mkdtempSync(join(tmpdir(), 'densegraph-chromium-'));
  pages = mkdtempSync(join(tmpdir(), 'densegraph-report-pages-'));
  // A fresh profile, and no background traffic: this machine's network is closed.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    colorScheme: 'light',
    // No transitions: screenshots show the end state.
    reducedMotion: 'reduce',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, TIMEOUT);

afterAll(async () => {
  await context?.close();
  for (const dir of [profile, pages]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a page did besides showing itself: console errors, requests, dialogs. */
interface Watch {
  page: Page;
  url: string;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

async function writeReport(name: string, model: CompiledModel, style = 'keras3'): Promise<string> {
  const labelStyle = loadStyle(style).style!;
  const file = join(pages, `${name}.html`);
  writeFileSync(file, reportHtml(model, await renderSvg(model, { style: labelStyle }), { style: labelStyle }));
  return pathToFileURL(file).href;
}

async function open(url: string): Promise<Watch> {
  const page = await context.newPage();
  const watch: Watch = { page, url, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => watch.requests.push(r.url()));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  return watch;
}

/** Nothing went wrong and nothing was fetched but the page itself. */
async function expectQuiet(watch: Watch): Promise<void> {
  await watch.page.waitForTimeout(100);
  expect(watch.errors).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.requests).toEqual([watch.url]);
}

const details = (page: Page) => page.locator('#details-body');

describe('the report page in Chromium', () => {
  it('shows the seed model: diagram, table, details on click and hover, search, themes', async () => {
    const model = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));
    const watch = await open(await writeReport('seed', model));
    const { page } = watch;

    // Every layer is a visible table row; every layer but the (hidden, as in Keras 3) input is a visible node.
    const names = model.layers.map((l) => l.name);
    expect(await page.locator('#summary tbody td.name').allTextContents()).toEqual(names);
    for (const name of names) await expect.poll(() => page.locator('#summary tbody td.name', { hasText: name }).first().isVisible()).toBe(true);
    const nodes = page.locator('#diagram g.node[data-index]');
    expect(await nodes.count()).toBe(3);
    for (const name of names.slice(1)) {
      const node = page.locator('#diagram g.node', { has: page.locator('text', { hasText: new RegExp(`^${name}$`) }) });
      expect(await node.isVisible()).toBe(true);
      const box = (await node.boundingBox())!;
      expect(box.width).toBeGreaterThan(150);
    }
    expect(await page.locator('#details-hint').isVisible()).toBe(true);

    // Click dense_1 in the diagram: the details show its class, shapes, parameters, weights.
    await page.locator('#diagram g.node[data-index="2"]').click();
    await expect.poll(() => details(page).locator('h3').textContent()).toBe('dense_1');
    const text = (await details(page).innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Class Dense');
    expect(text).toContain('Activation relu');
    expect(text).toContain('Input shape (None, 8)');
    expect(text).toContain('Output shape (None, 6)');
    expect(text).toContain('Params 54 (54 trainable, 0 non-trainable)');
    expect(text).toMatch(/kernel \(8, 6\) yes bias \(6,\) yes/);
    expect(text).toContain('kernel_initializer "uniform"');
    expect(await page.locator('#diagram g.node[data-index="2"]').getAttribute('class')).toContain('selected');
    expect(await page.locator('#summary tr[data-index="2"]').getAttribute('class')).toContain('selected');

    // Hover a table row: its details show; leaving it brings back the clicked layer.
    await page.locator('#summary tr[data-index="3"]').hover();
    await expect.poll(() => details(page).locator('h3').textContent()).toBe('dense_2');
    expect((await details(page).innerText()).replace(/\s+/g, ' ')).toContain('Params 7');
    await page.locator('h1').hover();
    await expect.poll(() => details(page).locator('h3').textContent()).toBe('dense_1');
    // Clicking a row selects it, the hidden input layer included.
    await page.locator('#summary tr[data-index="0"]').click();
    await expect.poll(() => details(page).locator('h3').textContent()).toBe('input_layer');
    expect(await details(page).innerText()).toContain('not drawn in the diagram');

    // Search: `_1` keeps dense_1 only, in the table and the diagram.
    await page.locator('#search').fill('_1');
    const visibleRows = async () => (await page.locator('#summary tbody tr:visible td.name').allTextContents());
    await expect.poll(visibleRows).toEqual(['dense_1']);
    expect(await page.locator('#diagram g.node.match').count()).toBe(1);
    expect(await page.locator('#diagram g.node.match title').textContent()).toBe('dense_1 (Dense)');
    expect(await page.locator('#search-count').textContent()).toBe('1 of 4 layers');
    // Other nodes fade (after a short transition).
    await expect.poll(async () => Number(await page.locator('#diagram g.node[data-index="1"]').evaluate((g) => getComputedStyle(g).opacity))).toBeLessThan(0.5);
    await page.locator('#search').press('Enter');
    await expect.poll(() => details(page).locator('h3').textContent()).toBe('dense_1');
    await page.locator('#search').fill('DENSE');
    await expect.poll(visibleRows).toEqual(['dense', 'dense_1', 'dense_2']);
    await page.locator('#search').fill('');
    await expect.poll(visibleRows).toEqual(names);

    // Themes: auto follows the browser; the button switches and the colours change.
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('auto');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).not.toBe(light);
    const autoDark = await background();
    // The button names the theme it switches to (it follows the media query's change event).
    await expect.poll(() => page.locator('#theme-toggle').textContent()).toBe('Light theme');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.locator('#theme-toggle').textContent()).toBe('Dark theme');
    await page.locator('#theme-toggle').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await expect.poll(background).toBe(autoDark);
    const nodeText = await page.locator('#diagram g.node[data-index="2"] text').last().evaluate((t) => getComputedStyle(t).fill);
    expect(nodeText).not.toBe('rgb(0, 0, 0)');
    expect(await page.locator('#theme-toggle').textContent()).toBe('Light theme');
    await page.locator('#theme-toggle').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await expect.poll(background).toBe(light);

    await page.locator('#diagram g.node[data-index="2"]').click();
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await expectQuiet(watch);
    await page.close();
  }, TIMEOUT);

  it('shows a functional model with branches, shared layers and two outputs in the dark theme', async () => {
    const model = compileSpec(readFixture('fixtures/functional/wide-deep-two-outputs.yaml'));
    const watch = await open(await writeReport('wide-deep', model));
    const { page } = watch;
    await page.emulateMedia({ colorScheme: 'dark' });
    const names = model.layers.map((l) => l.name);
    expect(await page.locator('#summary tbody td.name').allTextContents()).toEqual(names);
    // A functional model draws its inputs too: every layer is a node.
    for (const [i, name] of names.entries()) {
      const node = page.locator(`#diagram g.node[data-index="${i}"]`);
      expect(await node.isVisible()).toBe(true);
      expect(await node.locator('text').first().textContent()).toBe(name);
    }
    const concat = names.indexOf('concatenate');
    await page.locator(`#diagram g.node[data-index="${concat}"]`).click();
    const text = (await details(page).innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Class Concatenate');
    expect(text).toContain('Input shape (None, 5), (None, 30)');
    expect(text).toContain('Output shape (None, 35)');
    expect(text).toContain('Connected to wide_input, dense_1');
    expect(text).toContain('Used by main_output');
    await page.locator('#search').fill('output');
    await expect.poll(async () => page.locator('#summary tbody tr:visible td.name').allTextContents()).toEqual(['main_output', 'aux_output']);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '') + '-functional.png' });
    await expectQuiet(watch);
    await page.close();
  }, TIMEOUT);

  it('maps every diagram node of every functional fixture to its layer, in both styles', async () => {
    for (const file of readdirSync(fixturePath('fixtures/functional/')).filter((f) => f.endsWith('.yaml'))) {
      const model = compileSpec(readFixture(`fixtures/functional/${file}`));
      for (const style of ['keras3', 'keras2']) {
        const watch = await open(await writeReport(`${file}-${style}`, model, style));
        const { page } = watch;
        const drawn = await page.locator('#diagram g.node').count();
        expect(drawn, `${file} ${style}`).toBeGreaterThan(0);
        expect(await page.locator('#diagram g.node[data-index]').count(), `${file} ${style}: nodes without a layer`).toBe(drawn);
        expect(await page.locator('#summary tbody td.name').allTextContents()).toEqual(model.layers.map((l) => l.name));
        for (const i of [0, drawn - 1]) {
          const node = page.locator('#diagram g.node[data-index]').nth(i);
          const index = Number(await node.getAttribute('data-index'));
          await node.click();
          expect(await details(page).locator('h3').textContent(), `${file} ${style}`).toBe(model.layers[index]!.name);
        }
        await expectQuiet(watch);
        await page.close();
      }
    }
  }, TIMEOUT);

  it('shows hostile layer names as text: no dialog, no injected element', async () => {
    const model = compileSpec(HOSTILE_SPEC);
    const watch = await open(await writeReport('hostile', model));
    const { page } = watch;
    const names = ['input_layer', ...HOSTILE_NAMES];
    expect(await page.locator('#summary tbody td.name').allTextContents()).toEqual(names);
    expect(await page.locator('h1').textContent()).toBe('<b>hostile</b> & co');
    expect(await page.locator('img, iframe, object, embed, b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    const svgTexts = await page.locator('#diagram text').allTextContents();
    for (const name of HOSTILE_NAMES) expect(svgTexts).toContain(name);
    for (const [i, name] of HOSTILE_NAMES.entries()) {
      await page.locator(`#diagram g.node[data-index="${i + 1}"]`).click();
      await expect.poll(() => details(page).locator('h3').textContent()).toBe(name);
      expect(await page.locator(`#diagram g.node[data-index="${i + 1}"] title`).textContent()).toBe(`${name} (Dense)`);
    }
    expect((await details(page).innerText()).replace(/\s+/g, ' ')).toContain('Connected to "];');
    await page.locator('#search').fill('<img');
    await expect.poll(async () => page.locator('#summary tbody tr:visible td.name').allTextContents()).toEqual([HOSTILE_NAMES[1]]);
    expect(await page.locator('img').count()).toBe(0);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '') + '-hostile.png' });
    await expectQuiet(watch);
    expect(await page.evaluate(() => document.querySelectorAll('[onerror], [onload]').length)).toBe(0);
    await page.close();
  }, TIMEOUT);
});
