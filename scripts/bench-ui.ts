/**
 * `npm run bench:ui`: the map client's speed and weight, measured in Debian's Chromium against the
 * real server on the default dataset, each against its budget:
 * - first coloured choropleth after navigation (cold cache: every run in a fresh browser context),
 * - repaint after an aid-type filter change (click to the next frame drawn with the new data),
 * - initial JavaScript (gzip) and the RW web geometry (gzip, as served).
 * "Painted" is the map element's `data-painted` attribute, which the client sets after deck.gl
 * drew a frame with the current data; a MutationObserver notes the time it changes.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLIENT_DIST_DIR } from '../api/paths';
import { ensureClientBuild } from './build-client';
import { DEMO_DB_PATH } from './lib/paths';
import { startServerProcess } from './lib/server-process';
import { ensureDefaultDatabase } from './prepare-data';

const CHROMIUM = '/usr/bin/chromium';
const LOAD_RUNS = 5;
// Eight toggles of four chips visit eight different filter sets: nothing is answered from a cache.
const TOGGLES = 8;
const BUDGET = { firstPaintMs: 2000, repaintMs: 150, jsKb: 1024, rwGeometryKb: 800 };

/** Installed before any page script: records when `data-painted` first appears and changes. */
const OBSERVER = `
  window.__paints = [];
  new MutationObserver((records) => {
    for (const r of records)
      if (r.attributeName === 'data-painted')
        window.__paints.push({ t: performance.now(), key: r.target.getAttribute('data-painted') });
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-painted'] });
  document.addEventListener('click', () => { window.__click = performance.now(); }, true);
`;

interface Paint {
  t: number;
  key: string;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}

async function paints(page: Page): Promise<Paint[]> {
  return page.evaluate(() => (window as unknown as { __paints: Paint[] }).__paints);
}

/** Milliseconds from navigation start to the first coloured frame; and the JS the page loaded. */
async function coldLoad(browser: Browser, base: string, url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(OBSERVER);
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (req.resourceType() === 'script' || /\.m?js$/.test(path)) scripts.add(path);
  });
  await page.goto(`${base}${url}`);
  await page.waitForFunction(
    () => (window as unknown as { __paints: unknown[] }).__paints.length > 0,
    null,
    {
      timeout: 30_000,
    },
  );
  const first = (await paints(page))[0]!.t;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { firstPaintMs: first, scripts };
}

/** Milliseconds from a click on an aid-type chip to the frame drawn with the new data. */
async function repaints(browser: Browser, base: string, url: string): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(OBSERVER);
  const page = await context.newPage();
  await page.goto(`${base}${url}`);
  await page.waitForFunction(
    () => (window as unknown as { __paints: unknown[] }).__paints.length > 0,
  );
  const chips = ['aid-chip-thr', 'aid-chip-sembako', 'aid-chip-siap_saji', 'aid-chip-lebaran'];
  const times: number[] = [];
  for (let i = 0; i < TOGGLES; i++) {
    const before = (await paints(page)).length;
    await page.getByTestId(chips[i % chips.length]!).click();
    await page.waitForFunction(
      (n) => (window as unknown as { __paints: unknown[] }).__paints.length > n,
      before,
      { timeout: 10_000 },
    );
    const click = await page.evaluate(() => (window as unknown as { __click: number }).__click);
    times.push((await paints(page))[before]!.t - click);
    await page.waitForTimeout(150);
  }
  await context.close();
  return times;
}

async function gzipKb(url: string): Promise<{ kb: number; served: boolean }> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  const body = Buffer.from(await res.arrayBuffer());
  // fetch decodes gzip for us; measure what the server sends by compressing the same way it does.
  const served = res.headers.get('content-encoding') === 'gzip';
  return { kb: gzipSync(body, { level: 9 }).length / 1024, served };
}

function line(name: string, value: number, budget: number, unit: string, note = '') {
  const ratio = value / budget;
  console.log(
    `${name.padEnd(34)} ${value.toFixed(unit === 'ms' ? 0 : 1).padStart(8)} ${unit.padEnd(3)} budget ${String(budget).padStart(5)} ${unit.padEnd(3)} ${ratio.toFixed(2).padStart(5)}× ${ratio <= 1 ? 'ok' : 'OVER'}${note ? `  (${note})` : ''}`,
  );
}

async function main() {
  const { existsSync } = await import('node:fs');
  if (!existsSync(CHROMIUM)) {
    console.error(`bench:ui needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    process.exit(1);
  }
  await ensureDefaultDatabase();
  await ensureClientBuild();
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-bench-ui-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const server = await startServerProcess({
    dbPath,
    port: 18_700 + Math.floor(Math.random() * 500),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const loads = [];
    for (let i = 0; i < LOAD_RUNS; i++) loads.push(await coldLoad(browser, server.base, '/'));
    const rwLoads = [];
    for (let i = 0; i < LOAD_RUNS; i++)
      rwLoads.push(await coldLoad(browser, server.base, '/?level=rw'));
    const kelurahanRepaint = await repaints(browser, server.base, '/');
    const rwRepaint = await repaints(browser, server.base, '/?level=rw');

    // Every script any first load asked for, measured as built (gzip level 9).
    const scripts = new Set(loads.flatMap((l) => [...l.scripts]));
    const sizes = [...scripts].map((url) => ({
      url,
      kb: gzipSync(readFileSync(path.join(CLIENT_DIST_DIR, url)), { level: 9 }).length / 1024,
    }));
    const worker = sizes.filter((s) => s.url.includes('worker'));
    const js = sizes.reduce((sum, s) => sum + s.kb, 0);
    const rw = await gzipKb(`${server.base}/api/boundaries/rw`);

    console.log(
      `bench:ui — Chromium, localhost, ${LOAD_RUNS} cold loads per view, ${TOGGLES} filter changes per view`,
    );
    const first = loads.map((l) => l.firstPaintMs);
    const firstRw = rwLoads.map((l) => l.firstPaintMs);
    line(
      'first coloured map, kelurahan',
      median(first),
      BUDGET.firstPaintMs,
      'ms',
      `max ${Math.max(...first).toFixed(0)}`,
    );
    line(
      'first coloured map, RW',
      median(firstRw),
      BUDGET.firstPaintMs,
      'ms',
      `max ${Math.max(...firstRw).toFixed(0)}`,
    );
    line(
      'filter repaint, kelurahan (median)',
      median(kelurahanRepaint),
      BUDGET.repaintMs,
      'ms',
      `p95 ${quantile(kelurahanRepaint, 0.95).toFixed(0)}`,
    );
    line(
      'filter repaint, RW (median)',
      median(rwRepaint),
      BUDGET.repaintMs,
      'ms',
      `p95 ${quantile(rwRepaint, 0.95).toFixed(0)}`,
    );
    line(
      'initial JavaScript, gzip',
      js,
      BUDGET.jsKb,
      'KB',
      `${sizes.length} files; MapLibre worker ${worker.reduce((s, w) => s + w.kb, 0).toFixed(0)} KB included`,
    );
    line(
      'RW web geometry, gzip',
      rw.kb,
      BUDGET.rwGeometryKb,
      'KB',
      rw.served ? 'served gzip' : 'not served compressed',
    );
  } finally {
    await browser.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
