import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `[upload e2e] skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`,
  );

const PORT = 21_787 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
let server: ServerProcess | undefined;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'peta-upload-e2e-'));
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

const HEADER =
  'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,institution_id,rw_code,lon,lat';

type Row = Record<string, string>;

/** Household rows in one RW of Gambir; KK = kecamatan 317101, issued 15-03-15, a serial. */
function householdRows(
  prefix: string,
  n: number,
  change: (i: number) => Partial<Row> = () => ({}),
): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    external_id: `${prefix}-${i + 1}`,
    date: '2020-05-01',
    aid_type: 'sembako',
    quantity: '1',
    recipient_type: 'household',
    kk: `317101150315${String(123 + i).padStart(4, '0')}`,
    head_initials: 'AS',
    institution_id: '',
    rw_code: '31.71.01.1001.001',
    lon: '',
    lat: '',
    ...change(i),
  }));
}

function csvFile(name: string, rows: Row[]): string {
  const file = path.join(dir, name);
  const cols = HEADER.split(',');
  writeFileSync(
    file,
    [HEADER, ...rows.map((r) => cols.map((c) => r[c] ?? '').join(','))].join('\n') + '\n',
  );
  return file;
}

/** Failed requests the browser logs by itself; a test names the statuses it expects. */
function unexpected(errors: string[], statuses: number[] = []): string[] {
  return errors.filter(
    (e) =>
      !statuses.some((s) =>
        e.includes(`Failed to load resource: the server responded with a status of ${s}`),
      ),
  );
}

async function open(
  url: string,
  viewport = DESKTOP,
  context?: BrowserContext,
): Promise<{ page: Page; errors: string[] }> {
  const page = await (context ?? (await browser.newContext({ viewport }))).newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}${url}`);
  return { page, errors };
}

/** A whole-page screenshot, from the top (the header sticks to the top of the screen). */
async function shoot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

/** Signs in through the form; an aggregator lands on the upload page. */
async function signIn(page: Page, token: string) {
  await page.getByTestId('token').fill(token);
  await page.getByTestId('signin-submit').click();
}

async function openSignedIn(token = 'demo-act', viewport = DESKTOP) {
  const opened = await open('/?page=signin', viewport);
  await signIn(opened.page, token);
  await opened.page.waitForURL(/page=upload/);
  await opened.page.getByTestId('upload-org').waitFor();
  return opened;
}

/** The caller's batches as the server lists them (the page shows the newest ten at first). */
async function batchCount(page: Page): Promise<number> {
  const res = await page.context().request.get(`${BASE}/api/batches`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { rows: unknown[] }).rows.length;
}

describe.skipIf(!hasChromium)('aggregators report what they distributed, in Chromium', () => {
  it('signs in: a wrong token gets a clear message, demo-act lands on the upload page', async () => {
    const { page, errors } = await open('/?page=signin');
    // Signed out, the header offers Masuk and no upload link.
    await page.getByTestId('nav-signin').waitFor();
    expect(await page.getByTestId('nav-upload').count()).toBe(0);
    await signIn(page, 'not-a-real-token');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Token tidak dikenal');
    await shoot(page, 'signin-error-id.png');

    await signIn(page, 'demo-act');
    await page.waitForURL(/page=upload/);
    expect(await page.getByTestId('upload-org').textContent()).toContain('Aksi Cepat Tanggap');
    expect(await page.getByTestId('who').textContent()).toBe('Aksi Cepat Tanggap');
    expect(await page.getByTestId('nav-upload').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('sign-out').textContent()).toBe('Keluar');
    // The token is in neither the URL nor the page's storage; the cookie is out of script's reach.
    expect(page.url()).not.toContain('demo-act');
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(stored).not.toContain('demo-act');
    const cookies = await page.context().cookies();
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((c) => c.httpOnly && c.sameSite === 'Strict')).toBe(true);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // The data dictionary comes from the server, with the template beside it.
    await page.getByTestId('fields').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('fields').textContent()).toContain('external_id');
    expect(await page.getByTestId('template').getAttribute('href')).toBe(
      '/api/distributions/template',
    );
    // The session holds across a reload, and the map page shows who is signed in.
    await page.getByTestId('nav-map').click();
    await page.getByTestId('kpi-packages').filter({ hasNotText: '…' }).waitFor();
    expect(await page.getByTestId('who').textContent()).toBe('Aksi Cepat Tanggap');
    await page.reload();
    await page.getByTestId('who').waitFor();
    expect(unexpected(errors, [401])).toEqual([]);
    await page.context().close();
  });

  it('uploads a good file: preview, progress, a receipt, and the batch in the history', async () => {
    const { page, errors } = await openSignedIn();
    await page.getByTestId('batch-history').filter({ hasNotText: 'Memuat' }).waitFor();
    const before = await batchCount(page);
    const file = csvFile('good.csv', householdRows('E2E-GOOD', 3));
    await page.getByTestId('upload-input').setInputFiles(file);
    await page.getByTestId('preview').waitFor();
    expect(await page.getByTestId('row-count').textContent()).toBe('3 baris data');
    expect(await page.locator('[data-testid=preview] tbody tr').count()).toBe(3);
    // The first data row is row 2, as a spreadsheet counts it.
    expect(await page.locator('[data-testid=preview] tbody tr th').first().textContent()).toBe('2');
    await shoot(page, 'upload-preview-id.png');

    // Records every phase the progress shows until the answer arrives.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phases: string[] }).phases = seen;
      new MutationObserver(() => {
        const phase = document
          .querySelector('[data-testid=upload-progress]')
          ?.getAttribute('data-phase');
        if (phase && seen.at(-1) !== phase) seen.push(phase);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const sent = page.waitForRequest((r) => r.url().includes('/api/distributions?'));
    await page.getByTestId('upload-send').click();
    // Sent as CSV with a random key, asking for messages in the page's language.
    const request = await sent;
    expect(request.method()).toBe('POST');
    expect(new URL(request.url()).searchParams.get('lang')).toBe('id');
    const headers = await request.allHeaders();
    expect(headers['content-type']).toBe('text/csv');
    expect(headers['idempotency-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    expect(headers.authorization).toBeUndefined();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await page.evaluate(() => (window as unknown as { phases: string[] }).phases)).toContain(
      'checking',
    );
    expect(await page.getByTestId('receipt-rows').textContent()).toBe('3');
    expect(await page.getByTestId('receipt-accepted').textContent()).toBe('3');
    expect(await page.getByTestId('receipt-already').textContent()).toBe('0');
    expect(await page.getByTestId('receipt-packages').textContent()).toBe('3');
    expect(await page.getByTestId('receipt-rws').textContent()).toBe('1');
    expect(await page.getByTestId('receipt-sembako').textContent()).toMatch(/Sembako.*3$/);
    expect(await receipt.textContent()).toContain('Kiriman baru tercatat');
    const batch = (await page.getByTestId('receipt-batch').textContent())!;
    expect(batch.length).toBeGreaterThan(3);

    // The history is refreshed: the new batch comes first, its rows waiting for verification.
    const row = page.locator(`[data-testid=batch-row][data-batch="${batch}"]`);
    await row.waitFor();
    expect(await batchCount(page)).toBe(before + 1);
    expect(await page.getByTestId('batch-row').first().getAttribute('data-batch')).toBe(batch);
    expect(await row.locator('[data-status=submitted]').textContent()).toBe('3 Diajukan');
    await row.getByRole('button').click();
    await page.getByTestId('batch-detail').filter({ hasText: '31.71.01.1001.001' }).waitFor();
    await shoot(page, 'upload-receipt-id.png');

    // The same rows chosen again are a new sending, but none of them is recorded twice.
    await page.getByTestId('upload-input').setInputFiles(file);
    await page.getByTestId('preview').waitFor();
    const again = page.waitForRequest((r) => r.url().includes('/api/distributions?'));
    await page.getByTestId('upload-send').click();
    expect((await (await again).allHeaders())['idempotency-key']).not.toBe(
      headers['idempotency-key'],
    );
    await page
      .getByTestId('receipt')
      .filter({ hasText: 'Semua baris sudah diterima sebelumnya' })
      .waitFor();
    expect(await page.getByTestId('receipt-batch').textContent()).toBe(batch);
    expect(await page.getByTestId('receipt-accepted').textContent()).toBe('0');
    expect(await page.getByTestId('receipt-already').textContent()).toBe('3');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('rejects a file with bad rows, listing them as a spreadsheet numbers them; nothing is stored', async () => {
    const { page, errors } = await openSignedIn();
    await page.getByTestId('batch-history').filter({ hasNotText: 'Memuat' }).waitFor();
    const before = await batchCount(page);
    const rows = householdRows('E2E-BAD', 3, (i) =>
      i === 1 ? { aid_type: 'beras' } : i === 2 ? { quantity: '0' } : {},
    );
    await page.getByTestId('upload-input').setInputFiles(csvFile('bad.csv', rows));
    await page.getByTestId('preview').waitFor();
    await page.getByTestId('upload-send').click();
    const table = page.getByTestId('row-errors');
    await table.waitFor();
    expect(await table.textContent()).toContain('tidak ada yang disimpan');
    const listed = await page
      .getByTestId('row-error')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
      );
    expect(listed).toEqual([
      ['3', 'aid_type'],
      ['4', 'quantity'],
    ]);
    // The error list downloads as CSV.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('errors-csv').click(),
    ]);
    const saved = path.join(dir, 'errors.csv');
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    expect(csv).toMatch(/^\uFEFFBaris,Kolom,code,Kesalahan\r\n3,aid_type,/);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    await shoot(page, 'upload-errors-id.png');
    // Nothing was stored: no new batch.
    await page.reload();
    await page.getByTestId('batch-history').filter({ hasNotText: 'Memuat' }).waitFor();
    expect(await batchCount(page)).toBe(before);
    expect(unexpected(errors, [422])).toEqual([]);
    await page.context().close();
  });

  it('refuses too large and unknown files before sending', async () => {
    const { page, errors } = await openSignedIn();
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, `${HEADER}\n${'x'.repeat(21 * 1024 * 1024)}\n`);
    await page.getByTestId('upload-input').setInputFiles(big);
    const refused = page.getByTestId('upload-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/big\.csv berukuran 22 MB, melebihi batas 20 MB/);
    expect(await page.getByTestId('upload-send').count()).toBe(0);
    const sheet = path.join(dir, 'batch.xlsx');
    writeFileSync(sheet, 'PK');
    await page.getByTestId('upload-input').setInputFiles(sheet);
    await refused.filter({ hasText: 'batch.xlsx bukan berkas .csv atau .json' }).waitFor();
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('switches the upload page to English, server messages included', async () => {
    const { page, errors } = await openSignedIn();
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Upload distribution data' }).waitFor();
    expect(await page.getByTestId('sign-out').textContent()).toBe('Sign out');
    expect(await page.getByTestId('nav-upload').textContent()).toBe('Upload data');
    const fields = page.getByTestId('fields');
    expect(await fields.locator('thead').textContent()).toBe(
      'ColumnRequiredFormatExampleDescription',
    );
    expect(await fields.textContent()).toContain('Your own record number');
    const rows = householdRows('E2E-EN', 2, (i) => (i === 1 ? { date: '2020-13-01' } : {}));
    await page.getByTestId('upload-input').setInputFiles(csvFile('english.csv', rows));
    expect(await page.getByTestId('row-count').textContent()).toBe('2 data rows');
    await page.getByTestId('upload-send').click();
    await page.getByTestId('row-errors').waitFor();
    expect(await page.getByTestId('row-errors').textContent()).toContain(
      'File rejected — nothing was stored',
    );
    const message = await page.getByTestId('row-error').first().locator('td').nth(2).textContent();
    expect(message).toMatch(/[a-z]/);
    expect(await page.getByTestId('row-error').first().getAttribute('data-row')).toBe('3');
    const text = (await page.locator('main').textContent())!;
    for (const indonesian of ['Unggah', 'Kirim berkas', 'Riwayat kiriman', 'Berkas ditolak'])
      expect(text).not.toContain(indonesian);
    await shoot(page, 'upload-errors-en.png');
    expect(unexpected(errors, [422])).toEqual([]);
    await page.context().close();
  });

  it('works on a 390 px phone', async () => {
    const { page, errors } = await openSignedIn('demo-act', PHONE);
    await page
      .getByTestId('upload-input')
      .setInputFiles(csvFile('phone.csv', householdRows('E2E-PHONE', 3)));
    await page.getByTestId('preview').waitFor();
    await page.getByTestId('upload-send').click();
    await page.getByTestId('receipt').waitFor();
    const batch = await page.getByTestId('receipt-batch').textContent();
    await page.locator(`[data-testid=batch-row][data-batch="${batch}"]`).waitFor();
    // Nothing is wider than the screen but the tables' own scrolling boxes.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await shoot(page, 'upload-phone.png');
    await page.getByTestId('receipt').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'upload-phone-receipt.png') });
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('explains the page to others, and sends an expired session back to sign in', async () => {
    const signedOut = await open('/?page=upload');
    await signedOut.page.getByTestId('upload-signed-out').waitFor();
    await signedOut.page.getByTestId('upload-signed-out').getByRole('link').click();
    await signedOut.page.waitForURL(/page=signin/);
    // A planner is no aggregator: the map, no upload link, and a word on the upload page.
    await signIn(signedOut.page, 'demo-planner');
    await signedOut.page.waitForURL((u) => !u.search.includes('page='));
    expect(await signedOut.page.getByTestId('who').textContent()).toBe('Perencana');
    expect(await signedOut.page.getByTestId('nav-upload').count()).toBe(0);
    await signedOut.page.goto(`${BASE}/?page=upload`);
    await signedOut.page.getByTestId('upload-not-aggregator').waitFor();
    await signedOut.page.getByTestId('sign-out').click();
    await signedOut.page.getByTestId('nav-signin').waitFor();
    await signedOut.page.getByTestId('upload-signed-out').waitFor();
    expect(unexpected(signedOut.errors, [401])).toEqual([]);
    await signedOut.page.context().close();

    // The session ends (signed out elsewhere) before the file is sent.
    const { page, errors } = await openSignedIn();
    await page
      .getByTestId('upload-input')
      .setInputFiles(csvFile('late.csv', householdRows('E2E-LATE', 1)));
    await page.getByTestId('preview').waitFor();
    const ended = await page.context().request.delete(`${BASE}/api/session`, {
      headers: { Origin: BASE },
    });
    expect(ended.status()).toBe(204);
    await page.getByTestId('upload-send').click();
    await page.getByTestId('session-expired').waitFor();
    expect(page.url()).toContain('page=signin');
    await page.getByTestId('nav-signin').waitFor();
    expect(unexpected(errors, [401])).toEqual([]);
    await page.context().close();
  });
});
