/**
 * What the browser tests share: a copy of the demo database served by the real server in a
 * child process, Debian's Chromium through playwright-core, pages that record console errors.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results');
export const hasChromium = existsSync(CHROMIUM);
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface E2e {
  base: string;
  browser: Browser;
  /** A scratch directory for files the test writes (removed at the end). */
  dir: string;
  stop: () => Promise<void>;
}

/** A fresh copy of the demo database behind the real server on a random port, and Chromium. */
export async function startE2e(name: string, basePort: number): Promise<E2e> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), `peta-${name}-e2e-`));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const port = basePort + Math.floor(Math.random() * 1000);
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess({ dbPath, port });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    return {
      base: server.base,
      browser,
      dir,
      stop: async () => {
        await browser.close();
        server!.stop();
        await server!.exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A page in a context of its own (its own cookies), recording console and page errors. */
export async function openPage(
  e2e: E2e,
  url: string,
  viewport = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const context = await e2e.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${e2e.base}${url}`);
  return { page, errors };
}

/** Failed requests the browser logs by itself; a test names the statuses it expects. */
export function unexpected(errors: string[], statuses: number[] = []): string[] {
  return errors.filter(
    (e) =>
      !statuses.some((s) =>
        e.includes(`Failed to load resource: the server responded with a status of ${s}`),
      ),
  );
}

/** Signs in through the Masuk form. */
export async function signInThroughForm(page: Page, token: string): Promise<void> {
  await page.getByTestId('token').fill(token);
  await page.getByTestId('signin-submit').click();
}

/** A screenshot of what the screen shows now, or of the whole page from its top. */
export async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage });
}

/** Waits until deck.gl has drawn a frame whose data key contains `part` (any, without one). */
export async function paintedWith(page: Page, part = ''): Promise<string> {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid=map]')?.getAttribute('data-painted')?.includes(p),
    part,
  );
  await page.waitForTimeout(300); // the canvas is composited after the frame
  return (await page.getByTestId('map').getAttribute('data-painted'))!;
}

const MAP_BACKGROUND = [0xe8, 0xee, 0xf2];
const FILL_ALPHA = 220 / 255;

/**
 * How many of the legend's colours (as drawn: blended over the map's background) appear on the
 * map, the legend itself left out.
 */
export async function legendColoursOnMap(
  page: Page,
  swatchSelector = '.legend li .swatch, .legend td .swatch',
  tolerance = 3,
): Promise<number> {
  const swatches = await page
    .locator(swatchSelector)
    .evaluateAll((els) =>
      els.map((e) => getComputedStyle(e).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number)),
    );
  const drawn = swatches.map((c) =>
    c.map((v, k) => Math.round(v * FILL_ALPHA + MAP_BACKGROUND[k]! * (1 - FILL_ALPHA))),
  );
  const map = (await page.getByTestId('map').boundingBox())!;
  const legend = (await page.getByTestId('legend').boundingBox())!;
  const { PNG } = await import('pngjs');
  const png = PNG.sync.read(await page.getByTestId('map').screenshot());
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
      drawn.forEach((c, k) => {
        if (c.every((v, ch) => Math.abs(v - png.data[i + ch]!) <= tolerance)) seen.add(k);
      });
    }
  }
  return seen.size;
}
