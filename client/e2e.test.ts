import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
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
  copyFileSync(DEMO_DB_PATH, dbPath);
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
  await painted(page);
  return { page, errors };
}

/** Waits until deck.gl has drawn a frame with data other than `previous`. */
async function painted(page: Page, previous?: string | null): Promise<string> {
  await page.waitForFunction((prev) => {
    const key = document.querySelector('[data-testid=map]')?.getAttribute('data-painted');
    return key && key !== prev;
  }, previous ?? null);
  await page.waitForTimeout(200); // the canvas is composited after the frame
  return (await page.getByTestId('map').getAttribute('data-painted'))!;
}

const BACKGROUND = [0xe8, 0xee, 0xf2];
const FILL_ALPHA = 220 / 255;

/** How many of `colours` appear on the map canvas (the legend and side panel left out). */
async function coloursOnMap(page: Page, colours: number[][], tolerance = 3): Promise<number> {
  const map = (await page.getByTestId('map').boundingBox())!;
  const legend = (await page.getByTestId('legend').boundingBox())!;
  const shot = await page.getByTestId('map').screenshot();
  const { PNG } = await import('pngjs');
  const png = PNG.sync.read(shot);
  const inLegend = (x: number, y: number) =>
    x + map.x >= legend.x - 2 &&
    x + map.x <= legend.x + legend.width + 2 &&
    y + map.y >= legend.y - 2 &&
    y + map.y <= legend.y + legend.height + 2;
  const seen = new Set<number>();
  for (let y = 5; y < png.height; y += 3) {
    for (let x = 5; x < png.width; x += 3) {
      if (inLegend(x, y)) continue;
      const i = (y * png.width + x) * 4;
      colours.forEach((c, k) => {
        if (c.every((v, ch) => Math.abs(v - png.data[i + ch]!) <= tolerance)) seen.add(k);
      });
    }
  }
  return seen.size;
}

/** How many legend colours (as drawn: blended over the background) appear on the map. */
async function legendColoursOnMap(page: Page): Promise<number> {
  const legend = await page
    .locator('.legend li .swatch, .legend td .swatch')
    .evaluateAll((els) =>
      els.map((e) => getComputedStyle(e).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number)),
    );
  const drawn = legend.map((c) =>
    c.map((v, k) => Math.round(v * FILL_ALPHA + BACKGROUND[k]! * (1 - FILL_ALPHA))),
  );
  return coloursOnMap(page, drawn);
}

describe.skipIf(!hasChromium)('the collaboration map in Chromium', () => {
  it('loads without console errors, shows the published total and colours the map', async () => {
    const { page, errors } = await open('/');
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('561.118');
    expect(await page.getByTestId('kpi-rws').textContent()).toBe('2.000');
    expect(await page.getByTestId('level').inputValue()).toBe('kelurahan');
    // Kelurahan coverage spreads over several bins.
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-default-id.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by aid type, changing the KPI and the URL, and removes the filter by its chip', async () => {
    const { page } = await open('/');
    await page.getByTestId('aid-chip-thr').click();
    await page.getByTestId('kpi-packages').filter({ hasText: '2.344' }).waitFor();
    expect(page.url()).toContain('aid=thr');
    await page.getByTestId('add-aggregator').selectOption('pmi');
    await page.waitForURL(/agg=pmi/);
    const chips = page.getByTestId('active-filters').getByRole('button');
    expect(await chips.count()).toBe(3); // THR, PMI, clear all
    await page.getByRole('button', { name: 'Hapus filter Paket THR' }).click();
    await page.waitForURL((u) => !u.search.includes('aid='));
    await page.getByRole('button', { name: 'Hapus filter PMI' }).click();
    await page.getByTestId('kpi-packages').filter({ hasText: '561.118' }).waitFor();
    await page.close();
  });

  it('reopens the same view from a copied link, in English', async () => {
    const { page, errors } = await open(
      '/?level=rw&metric=gap&aid=sembako&lang=en&lon=106.83&lat=-6.2&z=10.4',
    );
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('375.745');
    expect(await page.getByText('Aid packages delivered').count()).toBe(1);
    expect(await page.getByTestId('level').inputValue()).toBe('rw');
    const url = new URL(page.url());
    expect(Number(url.searchParams.get('z'))).toBeCloseTo(10.4, 1);
    expect(Number(url.searchParams.get('lon'))).toBeCloseTo(106.83, 3);
    // RW gaps span the ramp.
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-rw-gap-en.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('drills down from kota to RW through the underserved table, and back', async () => {
    const { page, errors } = await open('/?level=kota');
    for (const level of ['kecamatan', 'kelurahan', 'rw']) {
      const row = page.getByTestId('gap-row').first();
      const code = await row.getAttribute('data-code');
      await row.getByTestId('drill').click();
      // The table now lists the children of the area just opened.
      await page.waitForFunction(
        ({ l, c }) =>
          (document.querySelector('[data-testid=level]') as HTMLSelectElement | null)?.value ===
            l &&
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
    // The kelurahan opened is described in the panel.
    await page.getByTestId('area-panel').filter({ hasText: '%' }).waitFor();
    await painted(page);
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-drilled-rw.png') });
    await page.goBack();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=level]') as HTMLSelectElement | null)?.value ===
        'kelurahan',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('selects an area on the map: the table row lights up and the panel offers help', async () => {
    const { page, errors } = await open('/?level=kecamatan');
    const map = page.getByTestId('map');
    const box = (await map.boundingBox())!;
    // The map opens centred on Jakarta: the middle is inside a kecamatan.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/Kebutuhan \(rumah tangga rentan\): [\d.]+/);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/sel=\d{2}\.\d{2}\.\d{2}(&|$)/);
    const code = new URL(page.url()).searchParams.get('sel')!;
    const panel = page.getByTestId('area-panel');
    await panel.filter({ hasText: '%' }).waitFor();
    expect(await panel.getAttribute('data-code')).toBe(code);
    const row = page.locator(`[data-testid=gap-row][data-code="${code}"]`);
    expect(await row.getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('pledge').click();
    const dialog = page.getByTestId('pledge-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Formulir janji bantuan akan hadir');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-selected-pledge.png') });
    await dialog.getByRole('button').click();
    // A second click on the selected area opens it.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(new RegExp(`area=${code.replaceAll('.', '\\.')}`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows need × coverage with a 3×3 legend, and institutions as points', async () => {
    const { page, errors } = await open(
      '/?level=kelurahan&metric=bivariate&inst=orphanage,pesantren',
    );
    expect(await page.locator('[data-testid=bivariate-legend] td .swatch').count()).toBe(9);
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(6);
    expect(await page.locator('.institution-legend [aria-pressed=true]').count()).toBe(2);
    // Orphanages (vermilion) and pesantren (bluish green) are drawn as points.
    expect(
      await coloursOnMap(
        page,
        [
          [0xd5, 0x5e, 0x00],
          [0x00, 0x9e, 0x73],
        ],
        12,
      ),
    ).toBe(2);
    await page.getByTestId('institution-orphanage').click();
    await page.waitForURL((u) => u.searchParams.get('inst') === 'pesantren');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-bivariate.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves through time with the day slider and the chart', async () => {
    const { page, errors } = await open('/?to=2020-05-01');
    const first = Number(
      (await page.getByTestId('kpi-packages').textContent())!.replaceAll('.', ''),
    );
    expect(first).toBeLessThan(561_118);
    const before = await page.getByTestId('map').getAttribute('data-painted');
    await page.getByTestId('day-slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/to=2020-05-02/);
    await painted(page, before);
    const next = Number(
      (await page.getByTestId('kpi-packages').textContent())!.replaceAll('.', ''),
    );
    expect(next).toBeGreaterThan(first);
    // Playing moves the day forward on its own; pausing stops it.
    await page.getByTestId('play').click();
    await page.waitForURL(/to=2020-05-04/, { timeout: 10_000 });
    await page.getByTestId('play').click();
    const paused = new URL(page.url()).searchParams.get('to');
    await page.waitForTimeout(1500);
    expect(new URL(page.url()).searchParams.get('to')).toBe(paused);
    // Window mode: seven days up to the slider day.
    await page.locator('[data-testid=time-control] select').selectOption('window');
    await page.waitForURL(/play=window/);
    expect(await page.getByTestId('active-filters').textContent()).toMatch(
      /\d+ (Apr|Mei) – \d+ Mei/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-time-window.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports the current view as CSV and GeoJSON', async () => {
    const { page } = await open('/?level=kecamatan&aid=thr');
    const csv = await page.getByTestId('export-csv').getAttribute('href');
    const geo = await page.getByTestId('export-geojson').getAttribute('href');
    const table = await (await fetch(`${BASE}${csv}`)).text();
    expect(table.split('\n').filter(Boolean)).toHaveLength(45); // header + 44 kecamatan
    const collection = (await (await fetch(`${BASE}${geo}`)).json()) as { features: unknown[] };
    expect(collection.features).toHaveLength(44);
    await page.close();
  });

  it('opens the data and methods page and comes back', async () => {
    const { page, errors } = await open('/');
    await page.getByRole('link', { name: 'Data & metode' }).click();
    await page.waitForURL(/page=methods/);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'methods-id.png'), fullPage: true });
    await page.goBack();
    await page.getByTestId('kpi-packages').filter({ hasText: '561.118' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('falls back to defaults for a malformed link', async () => {
    const { page, errors } = await open(
      '/?level=planet&metric=%3Cscript%3E&aid=,,beras&agg=nobody&from=2020-99-01&lon=x&page=admin',
    );
    expect(await page.getByTestId('kpi-packages').textContent()).toBe('561.118');
    // Well-formed codes of regions that do not exist are dropped without asking the server.
    const unknown = await open('/?area=31.99.01&sel=31.71.01.9999');
    await unknown.page.waitForURL((u) => !u.searchParams.has('area') && !u.searchParams.has('sel'));
    expect(await unknown.page.getByTestId('kpi-packages').textContent()).toBe('561.118');
    expect(unknown.errors).toEqual([]);
    await unknown.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders on a phone with the panel as a sheet', async () => {
    const { page, errors } = await open('/?level=kelurahan', { width: 390, height: 844 });
    expect(await legendColoursOnMap(page)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-phone.png') });
    await page.getByRole('button', { name: 'Tampilkan panel' }).click();
    await page.getByTestId('gap-row').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-phone-sheet.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
