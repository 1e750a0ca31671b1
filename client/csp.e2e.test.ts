import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../api/http/test-process';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`[csp] skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

let BASE: string;
let server: ServerProcess | undefined;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'peta-csp-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const port = await freePort();
  BASE = `http://127.0.0.1:${port}`;
  server = await startServerProcess({ dbPath, port });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
  await server?.exited;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A page that records every CSP violation (the `securitypolicyviolation` event, in the page and
 * in its workers) and every console error, which is also where Chromium reports blocked loads.
 */
async function watchedPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('worker', (w) =>
    w.on('console', (m) => {
      if (m.type() === 'error') problems.push(`worker console: ${m.text()}`);
    }),
  );
  const violations = async () => [
    ...problems,
    ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)),
  ];
  return { page, violations };
}

/** Waits until deck.gl has drawn the choropleth with data (MapLibre's workers have run by then). */
async function painted(page: Page) {
  await page.getByTestId('kpi-packages').filter({ hasNotText: '…' }).waitFor();
  await page.waitForFunction(
    () => !!document.querySelector('[data-testid=map]')?.getAttribute('data-painted'),
  );
  await page.waitForTimeout(500);
}

describe.skipIf(!hasChromium)('the built client under its Content-Security-Policy', () => {
  it('draws the map in both languages with no CSP violation or console error', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, violations } = await watchedPage(context);
    const response = await page.goto(`${BASE}/`);
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await painted(page);
    // MapLibre ran its workers: the map canvas exists and the basemap style loaded.
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'csp-map-id.png') });
    await page.goto(`${BASE}/?level=rw&metric=gap&lang=en&inst=orphanage,pesantren`);
    await painted(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'csp-map-rw-en.png') });
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('shows the methods, sign-in and upload pages with no CSP violation or console error', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, violations } = await watchedPage(context);
    await page.goto(`${BASE}/?page=methods`);
    await page.getByRole('heading').first().waitFor();
    await page.goto(`${BASE}/?page=signin`);
    await page.getByTestId('token').fill('demo-act');
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/page=upload/);
    await page.getByTestId('upload-org').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'csp-upload.png') });
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('cannot be framed by another page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.setContent(`<iframe src="${BASE}/" width="400" height="300"></iframe>`);
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const framedApp = await frame
      ?.evaluate(() => !!document.getElementById('root'))
      .catch(() => false);
    expect(framedApp ?? false).toBe(false);
    expect(messages.join('\n')).toContain('frame-ancestors');
    await context.close();
  });
});
