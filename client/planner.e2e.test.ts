import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `[planner e2e] skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`,
  );

const PORT = 23_787 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The published KSBB total (verified records only, default filters), as id-ID writes it. */
const PUBLIC_PACKAGES = '561.118';
const UNVERIFIED = 'submitted,verified_kelurahan,verified';
const DATA_ENDPOINTS = /\/api\/(summary|choropleth|gaps|timeseries|areas\/|institutions|export)/;
let server: ServerProcess | undefined;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'peta-planner-e2e-'));
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

/** A page in a context of its own, recording console errors and the data requests it sends. */
async function open(url: string, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: Request[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (DATA_ENDPOINTS.test(new URL(r.url()).pathname)) requests.push(r);
  });
  await page.goto(`${BASE}${url}`);
  return { page, errors, requests };
}

/** The status parameter of every data request sent since `from` (null: none sent). */
function statusesSent(requests: Request[], from = 0): (string | null)[] {
  return [...new Set(requests.slice(from).map((r) => new URL(r.url()).searchParams.get('status')))];
}

async function packages(page: Page): Promise<number> {
  const text = await page.getByTestId('kpi-packages').filter({ hasNotText: '…' }).textContent();
  return Number(text!.replaceAll('.', ''));
}

/** Waits until deck.gl has drawn a frame with the data now shown. */
async function painted(page: Page) {
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=map]')?.getAttribute('data-painted'),
  );
  await page.waitForTimeout(300); // the canvas is composited after the frame
}

async function signIn(page: Page, token: string) {
  await page.getByTestId('token').fill(token);
  await page.getByTestId('signin-submit').click();
}

describe.skipIf(!hasChromium)('planners include records not verified yet, in Chromium', () => {
  it('a planner switches them on: figures grow, the page says so, the link keeps it; signed out the public figures return', async () => {
    const { page, errors, requests } = await open('/?page=signin');
    await signIn(page, 'demo-planner');
    await page.waitForURL((u) => !u.search.includes('page='));
    await page.getByTestId('kpi-packages').filter({ hasText: PUBLIC_PACKAGES }).waitFor();
    const toggle = page.getByTestId('include-unverified');
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByTestId('unverified-note').count()).toBe(0);
    expect(statusesSent(requests)).toEqual([null]);

    const before = requests.length;
    const privateAnswer = page.waitForResponse(
      (r) => r.url().includes('/api/choropleth?') && r.url().includes('status='),
    );
    await page.getByText('Termasuk data belum diverifikasi').click();
    await page.waitForURL((u) => u.searchParams.get('rec') === 'all');
    await page.getByTestId('kpi-packages').filter({ hasNotText: PUBLIC_PACKAGES }).waitFor();
    const withUnverified = await packages(page);
    expect(withUnverified).toBeGreaterThan(561_118);
    expect(await toggle.isChecked()).toBe(true);
    // Chip and note say what the figures are; the note names the packages still being checked.
    const chip = page.getByTestId('filter-chip-records');
    expect(await chip.textContent()).toMatch(/^Termasuk belum diverifikasi/);
    const note = page.getByTestId('unverified-note');
    const pending = (withUnverified - 561_118).toLocaleString('id-ID');
    await note.filter({ hasText: `${pending} paket` }).waitFor();
    expect(await note.textContent()).toBe(
      `Angka sementara. Termasuk ${pending} paket yang masih diperiksa; ` +
        `angka publik (hanya data terverifikasi): ${PUBLIC_PACKAGES} paket.`,
    );
    // Every data request now asks for the states a planner's view counts; the answers are private.
    expect(statusesSent(requests, before)).toEqual([UNVERIFIED]);
    const answer = await privateAnswer;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['cache-control']).toBe('private, no-store');
    const csv = (await page.getByTestId('export-csv').getAttribute('href'))!;
    expect(new URL(csv, BASE).searchParams.get('status')).toBe(UNVERIFIED);
    const download = await page.context().request.get(`${BASE}${csv}`);
    expect(download.status()).toBe(200);
    // The area panel counts them too.
    const sent = requests.length;
    await page.getByTestId('gap-row').first().getByRole('button').first().click();
    await page.getByTestId('area-panel').filter({ hasText: '%' }).waitFor();
    expect(statusesSent(requests, sent)).toEqual([UNVERIFIED]);
    await painted(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planner-unverified-id.png') });

    // In English, chip and note follow; the figures stay as the rest of the map writes them.
    await page.getByTestId('language').selectOption('en');
    await chip.filter({ hasText: 'Including unverified' }).waitFor();
    expect(await page.getByText('Include unverified records').count()).toBe(1);
    expect(await note.textContent()).toContain(
      `Provisional figures. They include ${pending} packages`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planner-unverified-en.png') });
    await page.getByTestId('language').selectOption('id');

    // The planner's link reopens the same view, without showing the public figures first.
    const link = page.url();
    const reloaded = requests.length;
    await page.reload();
    await page
      .getByTestId('kpi-packages')
      .filter({ hasText: withUnverified.toLocaleString('id-ID') })
      .waitFor();
    expect(await page.getByTestId('include-unverified').isChecked()).toBe(true);
    // Every request asks with the planner's states but one: the public total the note compares.
    const again = requests.slice(reloaded);
    expect(statusesSent(again.filter((r) => !r.url().includes('/api/summary?')))).toEqual([
      UNVERIFIED,
    ]);
    expect(
      again
        .filter((r) => r.url().includes('/api/summary?'))
        .map((r) => new URL(r.url()).searchParams.get('status'))
        .sort(),
    ).toEqual([null, UNVERIFIED]); // sort() writes null as "null"

    // Opened in a fresh context (the public), the same link shows the public figures.
    const stranger = await open(new URL(link).search);
    await stranger.page.getByTestId('kpi-packages').filter({ hasText: PUBLIC_PACKAGES }).waitFor();
    await stranger.page.getByTestId('area-panel').filter({ hasText: '%' }).waitFor();
    expect(await stranger.page.getByTestId('include-unverified').count()).toBe(0);
    expect(await stranger.page.getByTestId('filter-chip-records').count()).toBe(0);
    expect(await stranger.page.getByTestId('unverified-note').count()).toBe(0);
    expect(statusesSent(stranger.requests)).toEqual([null]);
    await painted(stranger.page);
    await stranger.page.screenshot({ path: path.join(SCREENSHOTS, 'planner-link-public.png') });
    expect(stranger.errors).toEqual([]);
    await stranger.page.context().close();

    // Signed out, the flag stays in the link but the page is public again, with no refusal.
    const signedOut = requests.length;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('nav-signin').waitFor();
    await page.getByTestId('kpi-packages').filter({ hasText: PUBLIC_PACKAGES }).waitFor();
    expect(new URL(page.url()).searchParams.get('rec')).toBe('all');
    expect(await page.getByTestId('include-unverified').count()).toBe(0);
    expect(await page.getByTestId('filter-chip-records').count()).toBe(0);
    expect(await page.getByTestId('unverified-note').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(statusesSent(requests, signedOut).filter((s) => s !== null)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the chip takes it off again, and a phone shows chip and note above the map', async () => {
    const { page, errors } = await open('/?page=signin', PHONE);
    await signIn(page, 'demo-planner');
    await page.waitForURL((u) => !u.search.includes('page='));
    await page.goto(`${BASE}/?rec=all`);
    const chip = page.getByTestId('filter-chip-records');
    await chip.waitFor();
    await page.getByTestId('unverified-note').filter({ hasText: 'paket' }).waitFor();
    expect(await packages(page)).toBeGreaterThan(561_118);
    await painted(page);
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planner-unverified-phone.png') });
    await chip.click();
    await page.waitForURL((u) => !u.searchParams.has('rec'));
    await page.getByTestId('kpi-packages').filter({ hasText: PUBLIC_PACKAGES }).waitFor();
    expect(await page.getByTestId('unverified-note').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a session that ends elsewhere falls back to the public figures', async () => {
    const { page, errors, requests } = await open('/?page=signin');
    await signIn(page, 'demo-planner');
    await page.waitForURL((u) => !u.search.includes('page='));
    await page.goto(`${BASE}/?rec=all`);
    await page.getByTestId('unverified-note').filter({ hasText: 'paket' }).waitFor();
    // Signed out in another tab: the next figures asked for are refused once.
    const ended = await page.context().request.delete(`${BASE}/api/session`, {
      headers: { Origin: BASE },
    });
    expect(ended.status()).toBe(204);
    const sent = requests.length;
    await page.getByTestId('aid-chip-thr').click();
    await page.getByTestId('nav-signin').waitFor();
    await page.getByTestId('kpi-packages').filter({ hasText: '2.344' }).waitFor();
    expect(await page.getByTestId('unverified-note').count()).toBe(0);
    expect(await page.getByTestId('filter-chip-records').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('rec')).toBe('all');
    // Each request with unverified records was sent once (no retry of a refusal).
    const refused = requests.slice(sent).filter((r) => r.url().includes('status='));
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((r) => r.url())).size).toBe(refused.length);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await page.context().close();
  });

  it('others never see the switch, and a planner link opens with the public figures for them', async () => {
    const { page, errors, requests } = await open('/?page=signin');
    await signIn(page, 'demo-act');
    await page.waitForURL(/page=upload/);
    await page.goto(`${BASE}/?rec=all`);
    await page.getByTestId('who').waitFor();
    await page.getByTestId('kpi-packages').filter({ hasText: PUBLIC_PACKAGES }).waitFor();
    await page.getByTestId('add-aggregator').waitFor();
    expect(await page.getByTestId('include-unverified').count()).toBe(0);
    expect(await page.getByText('Termasuk data belum diverifikasi').count()).toBe(0);
    expect(await page.getByTestId('filter-chip-records').count()).toBe(0);
    expect(await page.getByTestId('unverified-note').count()).toBe(0);
    expect(statusesSent(requests)).toEqual([null]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planner-link-aggregator.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
