import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`[e2e] skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

const PORT = 19_787 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
let server: ServerProcess | undefined;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'peta-e2e-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEFAULT_DB_PATH, dbPath);
  server = await startServerProcess({ dbPath, port: PORT });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(url: string, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}${url}`);
  await page.getByTestId('kpi-packages').filter({ hasNotText: '…' }).waitFor();
  await page.waitForTimeout(1500); // let deck.gl draw the choropleth
  return { page, errors };
}

const BACKGROUND = [0xe8, 0xee, 0xf2];
const FILL_ALPHA = 220 / 255;

/** How many legend colours (as drawn: blended over the background) appear on the map, left of the legend. */
async function legendColoursOnMap(page: Page): Promise<number> {
  const legend = await page
    .locator('.legend .swatch')
    .evaluateAll((els) =>
      els.map((e) => getComputedStyle(e).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number)),
    );
  const drawn = legend.map((c) =>
    c.map((v, k) => Math.round(v * FILL_ALPHA + BACKGROUND[k]! * (1 - FILL_ALPHA))),
  );
  const shot = await page.getByTestId('map').screenshot();
  const { PNG } = await import('pngjs');
  const png = PNG.sync.read(shot);
  const seen = new Set<number>();
  for (let y = 5; y < png.height; y += 3) {
    for (let x = 5; x < png.width * 0.6; x += 3) {
      const i = (y * png.width + x) * 4;
      drawn.forEach((c, k) => {
        if (c.every((v, ch) => Math.abs(v - png.data[i + ch]!) <= 3)) seen.add(k);
      });
    }
  }
  return seen.size;
}

describe.skipIf(!hasChromium)('the collaboration map in Chromium', () => {
  it('loads without console errors, shows the published total and colours the map', async () => {
    const { page, errors } = await open('/');
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('561.118');
    expect(await page.getByTestId('kpi-rws').textContent()).toBe('2.000');
    // Every kota has a coverage between 10 % and 25 %: one legend colour.
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-kota-id.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by aid type, changing the KPI and the URL', async () => {
    const { page } = await open('/');
    await page.getByRole('button', { name: 'Paket THR' }).click();
    await page.getByTestId('kpi-packages').filter({ hasText: '2.344' }).waitFor();
    expect(page.url()).toContain('aid=thr');
    await page.close();
  });

  it('reopens the same view from a copied link, in English', async () => {
    const { page, errors } = await open('/?level=rw&metric=gap&aid=sembako&lang=en');
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('375.745');
    expect(await page.getByText('Aid packages delivered').count()).toBe(1);
    expect(await page.locator('select').nth(1).inputValue()).toBe('rw');
    // RW gaps span the ramp, and uncovered RWs are grey.
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-rw-gap-en.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('drills down from kota to RW through the underserved table, and back', async () => {
    const { page, errors } = await open('/');
    for (const level of ['kecamatan', 'kelurahan', 'rw']) {
      const row = page.getByTestId('gap-row').first();
      const code = await row.getAttribute('data-code');
      await row.getByRole('button').click();
      // The table now lists the children of the area just opened.
      await page.waitForFunction(
        ({ l, c }) =>
          document.querySelectorAll('select')[1]?.value === l &&
          document
            .querySelector('[data-testid=gap-row]')
            ?.getAttribute('data-code')
            ?.startsWith(`${c}.`),
        { l: level, c: code },
      );
    }
    const url = new URL(page.url());
    expect(url.searchParams.get('area')).toMatch(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/);
    expect(await page.locator('.crumbs button').count()).toBe(4);
    await page.getByTestId('gap-row').first().waitFor();
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-drilled-rw.png') });
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('select')[1]?.value === 'kelurahan');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('falls back to defaults for a malformed link', async () => {
    const { page, errors } = await open('/?level=planet&metric=%3Cscript%3E&aid=,,beras');
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('561.118');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders on a phone', async () => {
    const { page, errors } = await open('/?level=kelurahan', { width: 390, height: 844 });
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-phone.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
