import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  hasChromium,
  openPage,
  PHONE,
  shoot,
  signInThroughForm,
  startE2e,
  unexpected,
  type E2e,
} from './e2e-support';

if (!hasChromium)
  console.warn(
    "[verify e2e] skipped: no Chromium at /usr/bin/chromium (.ci/run installs Debian's chromium)",
  );

let e2e: E2e | undefined;

beforeAll(async () => {
  if (hasChromium) e2e = await startE2e('verify', 25_787);
});

afterAll(async () => {
  await e2e?.stop();
});

function env(): E2e {
  if (!e2e) throw new Error('the browser test environment did not start');
  return e2e;
}

/** The day of every record these tests upload; the demo data has none of ACT's waiting on it. */
const DAY = '2020-05-01';
/** RW 001 of kelurahan Penjaringan, in the demo kelurahan verifier's kecamatan (31.72.01). */
const RW = '31.72.01.1001.001';
const HEADER = 'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,rw_code';

let serial = 0;
/** A household row in Penjaringan: a KK of kecamatan 317201, issued 15-03-15, a fresh serial. */
function householdRow(externalId: string, quantity: number): string {
  serial++;
  const kk = `317201150315${String(9100 + serial).padStart(4, '0')}`;
  return [externalId, DAY, 'lebaran', quantity, 'household', kk, 'VT', RW].join(',');
}

/** ACT uploads rows on its upload page; resolves with the batch number of the receipt. */
async function uploadAsAct(name: string, rows: string[]): Promise<string> {
  const { page, errors } = await openPage(env(), '/?page=signin');
  await signInThroughForm(page, 'demo-act');
  await page.waitForURL(/page=upload/);
  const file = path.join(env().dir, name);
  writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  await page.getByTestId('upload-input').setInputFiles(file);
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('upload-send').click();
  await page.getByTestId('receipt').waitFor();
  expect(await page.getByTestId('receipt-accepted').textContent()).toBe(String(rows.length));
  const batch = (await page.getByTestId('receipt-batch').textContent())!;
  expect(unexpected(errors)).toEqual([]);
  await page.context().close();
  return batch;
}

/** Signs a verifier in through the form: verifiers land on the Verifikasi page. */
async function openVerifier(token: string, viewport = DESKTOP) {
  const opened = await openPage(env(), '/?page=signin', viewport);
  await signInThroughForm(opened.page, token);
  await opened.page.waitForURL(/page=verify/);
  await opened.page.getByTestId('verify-filters').waitFor();
  return opened;
}

/** Narrows the queue to ACT's records of the test day. */
async function showTestDay(page: Page) {
  await page.getByTestId('filter-aggregator').selectOption('act');
  await page.getByTestId('filter-from').fill(DAY);
  await page.getByTestId('filter-to').fill(DAY);
}

function queueRow(page: Page, externalId: string): Locator {
  return page.locator(`[data-testid=queue-row][data-external="${externalId}"]`);
}

/** Opens a record from the queue; resolves once its decisions can be taken. */
async function openRecord(page: Page, externalId: string): Promise<Locator> {
  await queueRow(page, externalId).getByRole('button').click();
  const record = page.locator(`[data-testid=record][data-external="${externalId}"]`);
  await record.waitFor();
  return record;
}

/** Takes the focus out of any field, so that shortcut keys act. */
async function leaveFields(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** The transition requests a page sends, as their JSON bodies. */
function recordTransitions(page: Page): unknown[] {
  const sent: unknown[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/records/transitions')) sent.push(r.postDataJSON());
  });
  return sent;
}

/** ACT's public packages on the test day (verified records only). */
async function publicPackages(): Promise<number> {
  const res = await fetch(`${env().base}/api/summary?from=${DAY}&to=${DAY}&aggregator=act`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { packages: { total: number } }).packages.total;
}

describe.skipIf(!hasChromium)('verifiers check uploaded records, in Chromium', () => {
  it('passes a record through both checks by keyboard; only then the public figures move', async () => {
    const before = await publicPackages();
    await uploadAsAct('keyboard.csv', [householdRow('VT-KEY-1', 7)]);
    expect(await publicPackages()).toBe(before);

    // The kelurahan verifier lands on the Verifikasi page and finds the record.
    const kel = await openVerifier('demo-verifier-kelurahan');
    const nav = kel.page.getByTestId('nav-verify');
    expect(await nav.textContent()).toBe('Verifikasi');
    expect(await nav.getAttribute('aria-current')).toBe('page');
    expect(await kel.page.getByTestId('nav-upload').count()).toBe(0);
    expect(await kel.page.getByTestId('verify-who').textContent()).toBe(
      'Memverifikasi sebagai Verifikator kelurahan',
    );
    await showTestDay(kel.page);
    const record = await openRecord(kel.page, 'VT-KEY-1');
    const id = Number(await record.getAttribute('data-id'));
    expect(await record.getAttribute('data-status')).toBe('submitted');
    expect(await record.getByTestId('record-quantity').textContent()).toBe('7');
    expect(await record.getByTestId('record-date').textContent()).toBe('1 Mei 2020');
    expect(await record.getByTestId('record-location').textContent()).toMatch(
      /^Penjaringan · RW 001/,
    );
    expect(await kel.page.getByTestId('action-verify').textContent()).toBe('Verifikasi V');
    expect(await kel.page.getByTestId('action-reject').textContent()).toBe('Tolak R');
    expect(await kel.page.getByTestId('action-return').textContent()).toBe('Kembalikan K');
    // An RW record without a point: the map frames the RW and names it.
    await record.locator('[data-testid=record-map][data-focus=area][data-painted]').waitFor();
    expect(await record.locator('.record-area-label').textContent()).toBe('RW 001, Penjaringan');
    const history = record.getByTestId('record-history');
    await history.locator('li[data-action="batch.received"]').waitFor();
    await shoot(kel.page, 'verify-kelurahan-desktop.png');
    await history.scrollIntoViewIfNeeded();
    await shoot(kel.page, 'verify-record-desktop.png');

    // A "v" typed into a field is text, not a decision.
    const sent = recordTransitions(kel.page);
    await kel.page.getByTestId('filter-to').press('v');
    await kel.page.waitForTimeout(300);
    expect(sent).toEqual([]);

    await leaveFields(kel.page);
    await kel.page.keyboard.press('v');
    const notice = kel.page.getByTestId('verify-notice');
    await notice.filter({ hasText: 'Diverifikasi kelurahan' }).waitFor();
    expect(await notice.textContent()).toContain(`Catatan #${id}: Diverifikasi kelurahan.`);
    expect(sent).toEqual([{ ids: [id], to: 'verified_kelurahan' }]);
    // The queue was refreshed: the record moved on to the province.
    await queueRow(kel.page, 'VT-KEY-1').waitFor({ state: 'detached' });
    expect(await publicPackages()).toBe(before);
    expect(unexpected(kel.errors)).toEqual([]);
    await kel.page.context().close();

    // The province verifier sees it next, with the kelurahan's decision in its history.
    const prov = await openVerifier('demo-verifier-province');
    await showTestDay(prov.page);
    const again = await openRecord(prov.page, 'VT-KEY-1');
    expect(await again.getAttribute('data-status')).toBe('verified_kelurahan');
    const decided = again.locator('[data-testid=record-history] li[data-to=verified_kelurahan]');
    await decided.waitFor();
    expect(await decided.textContent()).toContain('Diajukan → Diverifikasi kelurahan');
    expect(await decided.textContent()).toContain('oleh Verifikator kelurahan');
    await leaveFields(prov.page);
    await prov.page.keyboard.press('v');
    await prov.page
      .getByTestId('verify-notice')
      .filter({ hasText: `Catatan #${id}: Terverifikasi.` })
      .waitFor();
    await queueRow(prov.page, 'VT-KEY-1').waitFor({ state: 'detached' });
    // Verified: the public figures count its seven packages now.
    expect(await publicPackages()).toBe(before + 7);
    expect(unexpected(prov.errors)).toEqual([]);
    await prov.page.context().close();
  });

  it('rejects with a reason the aggregator then reads; a record moved by someone else first is refused clearly; clean records verified as a batch', async () => {
    const batch = await uploadAsAct('reject.csv', [
      householdRow('VT-REJ-1', 2),
      householdRow('VT-REJ-2', 3),
      householdRow('VT-REJ-3', 4),
    ]);
    const a = await openVerifier('demo-verifier-kelurahan');
    await showTestDay(a.page);
    await queueRow(a.page, 'VT-REJ-3').waitFor();
    const record = await openRecord(a.page, 'VT-REJ-1');
    const id = Number(await record.getAttribute('data-id'));
    await leaveFields(a.page);
    await a.page.keyboard.press('r');
    const dialog = a.page.getByTestId('reason-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe(`Tolak catatan #${id}`);
    expect(await a.page.getByTestId('reason-select').locator('option').allTextContents()).toEqual([
      'Pilih alasan',
      'Duplikat',
      'Penerima tidak memenuhi syarat',
      'Lokasi salah',
      'Jumlah salah',
      'Data tidak lengkap',
      'Lainnya',
    ]);
    // No reason, or "other" without a note, is not sent.
    const sent = recordTransitions(a.page);
    await a.page.getByTestId('reason-submit').click();
    await a.page.getByTestId('reason-error').filter({ hasText: 'Pilih alasan.' }).waitFor();
    await a.page.getByTestId('reason-select').selectOption('other');
    await a.page.getByTestId('reason-submit').click();
    await a.page.getByTestId('reason-error').filter({ hasText: 'Lainnya' }).waitFor();
    expect(sent).toEqual([]);
    await a.page.getByTestId('reason-select').selectOption('wrong_location');
    // Shortcut letters typed into the note stay text.
    await a.page.getByTestId('reason-note').pressSequentially('KK di RW 005, bukan RW 001');
    await a.page.getByTestId('reason-submit').click();
    await a.page
      .getByTestId('verify-notice')
      .filter({ hasText: `#${id}: Ditolak.` })
      .waitFor();
    expect(sent).toEqual([
      { ids: [id], to: 'rejected', reason: 'wrong_location', note: 'KK di RW 005, bukan RW 001' },
    ]);
    // The next record of the queue opens by itself.
    const next = a.page.locator('[data-testid=record][data-external="VT-REJ-2"]');
    await next.waitFor();
    const nextId = Number(await next.getAttribute('data-id'));

    // A second verifier has the same record open; the first verifies it, the second is refused.
    const b = await openVerifier('demo-verifier-kelurahan');
    await showTestDay(b.page);
    await openRecord(b.page, 'VT-REJ-2');
    await a.page.getByTestId('action-verify').click();
    await a.page
      .getByTestId('verify-notice')
      .filter({ hasText: `#${nextId}:` })
      .waitFor();
    await leaveFields(b.page);
    await b.page.keyboard.press('v');
    const refused = b.page.getByTestId('verify-notice');
    await refused.filter({ hasText: 'Tidak ada yang diubah' }).waitFor();
    expect(await refused.getAttribute('data-kind')).toBe('error');
    expect(await refused.textContent()).toContain(
      `catatan #${nextId} kini berstatus “Diverifikasi kelurahan” (sudah diproses orang lain). Antrean diperbarui.`,
    );
    // Refreshed: the record left the second verifier's queue and can no longer be decided on.
    await queueRow(b.page, 'VT-REJ-2').waitFor({ state: 'detached' });
    await b.page
      .locator(`[data-testid=record][data-id="${nextId}"][data-status=verified_kelurahan]`)
      .getByTestId('read-only')
      .waitFor();
    await shoot(b.page, 'verify-conflict-desktop.png');
    expect(unexpected(b.errors, [409])).toEqual([]);
    await b.page.context().close();

    // What is left clean in the batch is verified at once, after a question naming the count.
    await a.page.locator('[data-testid=record][data-external="VT-REJ-3"]').waitFor();
    await a.page.getByTestId('clean-batch').click();
    const question = a.page.getByTestId('confirm-question');
    await question.filter({ hasText: 'Verifikasi' }).waitFor();
    expect(await question.textContent()).toBe(`Verifikasi 1 catatan bersih dari kiriman ${batch}?`);
    await shoot(a.page, 'verify-confirm-desktop.png');
    await a.page.getByTestId('confirm-yes').click();
    await a.page
      .getByTestId('verify-notice')
      .filter({ hasText: 'Diverifikasi kelurahan' })
      .waitFor();
    await a.page.getByTestId('queue-empty').waitFor();
    expect(unexpected(a.errors)).toEqual([]);
    await a.page.context().close();

    // The aggregator reads the rejection, reason and note, in its upload history.
    const act = await openPage(env(), '/?page=signin');
    await signInThroughForm(act.page, 'demo-act');
    await act.page.waitForURL(/page=upload/);
    const row = act.page.locator(`[data-testid=batch-row][data-batch="${batch}"]`);
    await row.waitFor();
    expect(await row.locator('[data-status=rejected]').textContent()).toBe('1 Ditolak');
    expect(await row.locator('[data-status=verified_kelurahan]').textContent()).toBe(
      '2 Diverifikasi kelurahan',
    );
    await row.getByRole('button').click();
    const rejected = act.page.locator('[data-testid=returned-record][data-external="VT-REJ-1"]');
    await rejected.waitFor();
    expect(await act.page.getByTestId('returned-record').count()).toBe(1);
    expect(await rejected.getByTestId('returned-reason').textContent()).toBe(
      'Alasan: Lokasi salah · Keterangan: KK di RW 005, bukan RW 001',
    );
    await rejected.scrollIntoViewIfNeeded();
    await shoot(act.page, 'verify-aggregator-rejected-desktop.png');
    expect(unexpected(act.errors)).toEqual([]);
    await act.page.context().close();
  });

  it('returns ticked records with one reason on a 390 px phone, and speaks English', async () => {
    await uploadAsAct('bulk.csv', [householdRow('VT-BULK-1', 1), householdRow('VT-BULK-2', 5)]);
    const { page, errors } = await openVerifier('demo-verifier-kelurahan', PHONE);
    await showTestDay(page);
    await queueRow(page, 'VT-BULK-2').waitFor();
    // The record being checked comes first on a phone, its map included.
    const first = page.locator('[data-testid=record][data-external="VT-BULK-1"]');
    await first.locator('[data-testid=record-map][data-painted]').waitFor();
    await shoot(page, 'verify-phone.png');
    await first.getByTestId('record-map').scrollIntoViewIfNeeded();
    await shoot(page, 'verify-phone-map.png');
    for (const id of ['VT-BULK-1', 'VT-BULK-2'])
      await queueRow(page, id).getByTestId('check-row').check();
    const bar = page.getByTestId('bulk-checked');
    expect(await bar.locator('strong').textContent()).toBe('2 catatan dipilih');
    await bar.scrollIntoViewIfNeeded();
    await shoot(page, 'verify-phone-queue.png');
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );

    const sent = recordTransitions(page);
    await page.getByTestId('bulk-return').click();
    const dialog = page.getByTestId('reason-dialog');
    expect(await dialog.locator('h2').textContent()).toBe(
      'Kembalikan 2 catatan terpilih ke agregator?',
    );
    await page.getByTestId('reason-select').selectOption('incomplete');
    await shoot(page, 'verify-phone-reason.png');
    await page.getByTestId('reason-submit').click();
    await page
      .getByTestId('verify-notice')
      .filter({ hasText: '2 catatan: Dikembalikan.' })
      .waitFor();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'returned', reason: 'incomplete' });
    expect((sent[0] as { ids: number[] }).ids).toHaveLength(2);
    await page.getByTestId('queue-empty').waitFor();

    // In English, numbers, dates and labels follow.
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Verify distribution data' }).waitFor();
    expect(await page.getByTestId('nav-verify').textContent()).toBe('Verification');
    await page.getByTestId('filter-status').selectOption('returned');
    const returned = page.locator('[data-testid=record][data-external="VT-BULK-2"]');
    await queueRow(page, 'VT-BULK-2').getByRole('button').click();
    await returned.waitFor();
    expect(await returned.getByTestId('record-date').textContent()).toBe('1 May 2020');
    expect(await returned.getByTestId('record-reason').textContent()).toBe('Incomplete data');
    expect(await returned.getByTestId('read-only').textContent()).toBe(
      'You cannot take a decision on this record now.',
    );
    await returned.locator('[data-testid=record-map][data-painted]').waitFor();
    const text = (await page.locator('main').textContent())!;
    for (const indonesian of ['Antrean', 'Catatan #', 'Riwayat', 'Dikembalikan'])
      expect(text).not.toContain(indonesian);
    await shoot(page, 'verify-phone-en.png');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('shows planners the queue read-only, and explains the page to aggregators and the signed out', async () => {
    const { page, errors } = await openPage(env(), '/?page=signin');
    await signInThroughForm(page, 'demo-planner');
    await page.waitForURL((u) => !u.search.includes('page='));
    await page.getByTestId('nav-verify').click();
    await page.waitForURL(/page=verify/);
    expect(await page.getByTestId('verify-who').textContent()).toContain(
      'halaman ini hanya untuk dilihat',
    );
    expect(await page.getByTestId('filter-status').locator('option').first().textContent()).toBe(
      'Semua status',
    );
    await page.locator('[data-testid=record][data-status]').getByTestId('read-only').waitFor();
    expect(await page.getByTestId('check-row').count()).toBe(0);
    expect(await page.getByTestId('action-verify').count()).toBe(0);
    const sent = recordTransitions(page);
    await leaveFields(page);
    await page.keyboard.press('v');
    await page.waitForTimeout(300);
    expect(sent).toEqual([]);
    await shoot(page, 'verify-planner-desktop.png');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();

    const act = await openPage(env(), '/?page=signin');
    await signInThroughForm(act.page, 'demo-act');
    await act.page.waitForURL(/page=upload/);
    expect(await act.page.getByTestId('nav-verify').count()).toBe(0);
    await act.page.goto(`${env().base}/?page=verify`);
    await act.page.getByTestId('verify-aggregator').waitFor();
    await act.page.getByTestId('sign-out').click();
    await act.page.getByTestId('verify-signed-out').waitFor();
    expect(unexpected(act.errors, [401])).toEqual([]);
    await act.page.context().close();
  });
});
