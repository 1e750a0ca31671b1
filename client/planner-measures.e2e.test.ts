import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  hasChromium,
  legendColoursOnMap,
  openPage,
  paintedWith,
  PHONE,
  shoot,
  signInThroughForm,
  startE2e,
  unexpected,
  type E2e,
} from './e2e-support';

if (!hasChromium)
  console.warn(
    "[planner measures e2e] skipped: no Chromium at /usr/bin/chromium (.ci/run installs Debian's chromium)",
  );

let e2e: E2e | undefined;

beforeAll(async () => {
  if (hasChromium) e2e = await startE2e('measures', 27_787);
});

afterAll(async () => {
  await e2e?.stop();
});

function env(): E2e {
  if (!e2e) throw new Error('the browser test environment did not start');
  return e2e;
}

const AGGREGATORS = 6;
/** The colour bins of the legend (the grey of "none" left out). */
const BIN_SWATCHES = '[data-testid=legend-bin] .swatch';
/** Requests only planners may send: the overlap, the queues, figures with other record states. */
const PRIVATE = (url: string) => url.includes('/api/records/') || url.includes('status=');

/** A page whose requests are recorded. */
async function openRecorded(url: string, viewport = DESKTOP) {
  const opened = await openPage(env(), url, viewport);
  const requests: Request[] = [];
  opened.page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r);
  });
  return { ...opened, requests };
}

/** A planner signed in through the form, on the map. */
async function openPlanner(viewport = DESKTOP) {
  const opened = await openRecorded('/?page=signin', viewport);
  await signInThroughForm(opened.page, 'demo-planner');
  await opened.page.waitForURL((u) => !u.search.includes('page='));
  await opened.page.getByTestId('kpi-packages').filter({ hasNotText: '…' }).waitFor();
  return opened;
}

async function metricOptions(page: Page): Promise<string[]> {
  return page
    .getByTestId('metric')
    .locator('option')
    .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
}

/** The text of the tooltip over the first point of a grid over the map that shows one. */
async function tooltipText(page: Page): Promise<string> {
  const box = (await page.getByTestId('map').boundingBox())!;
  const tip = page.getByRole('tooltip');
  for (const fy of [0.5, 0.35, 0.65, 0.8])
    for (const fx of [0.5, 0.65, 0.8, 0.35]) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      try {
        await tip.waitFor({ timeout: 700 });
        return (await tip.textContent()) ?? '';
      } catch {
        // no region under this point: try the next
      }
    }
  throw new Error('no tooltip over the map');
}

describe.skipIf(!hasChromium)('planner measures and "data per" dates, in Chromium', () => {
  it('a planner maps the records waiting and the households served twice, with legend, tooltip, panel and table', async () => {
    const { page, errors, requests } = await openPlanner();
    expect(await metricOptions(page)).toEqual(
      expect.arrayContaining(['records_waiting', 'multi_aggregator_share']),
    );
    // The table shows the share served by more than one aggregator from the start.
    await page.getByTestId('gaps-overlap-header').waitFor();
    expect(await page.getByTestId('gaps-overlap-header').textContent()).toBe('>1 agr.');
    await page.getByTestId('gap-overlap').first().filter({ hasText: '%' }).waitFor();
    const cells = await page.getByTestId('gap-overlap').allTextContents();
    expect(cells.length).toBe(await page.getByTestId('gap-row').count());
    expect(cells.every((c) => /%$|^–$/.test(c))).toBe(true);
    expect(cells.some((c) => /[1-9]/.test(c))).toBe(true);

    // Records waiting: the choropleth with the two waiting states, answered privately.
    const waitingAnswer = page.waitForResponse(
      (r) =>
        r.url().includes('/api/choropleth?') &&
        r.url().includes('status=submitted%2Cverified_kelurahan&'),
    );
    await page.getByTestId('metric').selectOption('records_waiting');
    await page.waitForURL((u) => u.searchParams.get('metric') === 'records_waiting');
    const waiting = await waitingAnswer;
    expect(waiting.status()).toBe(200);
    expect(waiting.headers()['cache-control']).toBe('private, no-store');
    await paintedWith(page, 'records_waiting');
    const legend = page.getByTestId('legend');
    expect(await legend.locator('strong').textContent()).toBe('Catatan menunggu verifikasi');
    expect(await legend.getByTestId('planner-badge').textContent()).toBe('Khusus perencana');
    expect(await legend.getByTestId('legend-bin').count()).toBeGreaterThanOrEqual(4);
    expect(await legend.textContent()).toContain('Tidak ada catatan menunggu');
    expect(await legendColoursOnMap(page, BIN_SWATCHES)).toBeGreaterThanOrEqual(3);
    expect(await tooltipText(page)).toMatch(/Catatan menunggu verifikasi: \d/);
    await page.mouse.move(5, 5);
    await shoot(page, 'measures-waiting-city-desktop.png');

    // The area panel gives the open area's figure.
    await page.getByTestId('gap-row').first().getByRole('button').first().click();
    const figure = page.getByTestId('area-planner-value');
    await figure.filter({ hasText: /^\d[\d.]*$/ }).waitFor();
    expect(Number((await figure.textContent())!.replaceAll('.', ''))).toBeGreaterThan(0);
    await paintedWith(page, 'records_waiting');
    await page.mouse.move(5, 5);
    await shoot(page, 'measures-waiting-desktop.png');

    // Households served by more than one aggregator: records still being checked count too.
    const overlapSent = requests.length;
    await page.getByTestId('metric').selectOption('multi_aggregator_share');
    await page.waitForURL((u) => u.searchParams.get('metric') === 'multi_aggregator_share');
    await paintedWith(page, 'multi_aggregator_share');
    expect(await legend.locator('strong').textContent()).toBe('Rumah tangga dilayani >1 agregator');
    expect(await legend.getByTestId('legend-bin').count()).toBeGreaterThanOrEqual(4);
    expect(await legendColoursOnMap(page, BIN_SWATCHES)).toBeGreaterThanOrEqual(3);
    await page.mouse.move(5, 5);
    await page.getByRole('tooltip').waitFor({ state: 'detached' });
    const tip = await tooltipText(page);
    expect(tip).toContain('Rumah tangga dilayani >1 agregator: ');
    expect(tip).toMatch(/\d+ dari [\d.]+ rumah tangga yang dilayani/);
    await page
      .getByTestId('area-panel')
      .getByText(/rumah tangga yang dilayani/)
      .waitFor();
    expect(await figure.textContent()).toMatch(/^\d+(,\d+)?%$/);
    // The table's overlap answer serves the map too: no request for it again.
    const overlapRequests = requests.slice(overlapSent).filter((r) => r.url().includes('overlap'));
    expect(overlapRequests).toEqual([]);
    const overlap = await page
      .context()
      .request.get(
        `${env().base}/api/records/overlap?level=kelurahan&status=submitted,verified_kelurahan,verified`,
      );
    expect(overlap.headers()['cache-control']).toBe('private, no-store');
    await page.mouse.move(5, 5);
    await shoot(page, 'measures-overlap-desktop.png');

    // In English the labels follow; the figures stay as the rest of the map writes them.
    await page.getByTestId('language').selectOption('en');
    await legend
      .locator('strong')
      .filter({ hasText: 'Households served by >1 aggregator' })
      .waitFor();
    expect(await legend.getByTestId('planner-badge').textContent()).toBe('Planners only');
    expect(await page.getByTestId('gaps-overlap-header').textContent()).toBe('>1 agg.');
    await page
      .getByTestId('area-panel')
      .getByText(/households served/)
      .waitFor();
    expect(await figure.textContent()).toMatch(/^\d+(,\d+)?%$/);
    await shoot(page, 'measures-overlap-en-desktop.png');
    await page.getByTestId('language').selectOption('id');
    // Back to the whole city: the panel closes, the map keeps the measure.
    await page.getByRole('button', { name: 'DKI Jakarta' }).click();
    await page.getByTestId('area-panel').waitFor({ state: 'detached' });
    await page.waitForTimeout(900); // the map flies back
    await shoot(page, 'measures-overlap-city-desktop.png');

    // Signed out, the link keeps the measure but the map shows the default one, asking nothing
    // private.
    const signedOut = requests.length;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('nav-signin').waitFor();
    await legend.locator('strong').filter({ hasText: 'Cakupan' }).waitFor();
    expect(new URL(page.url()).searchParams.get('metric')).toBe('multi_aggregator_share');
    expect(await metricOptions(page)).not.toContain('multi_aggregator_share');
    expect(await page.getByTestId('metric').inputValue()).toBe('coverage');
    expect(await page.getByTestId('gaps-overlap-header').count()).toBe(0);
    expect(await page.getByTestId('area-planner-figure').count()).toBe(0);
    await paintedWith(page, 'coverage');
    await page.waitForLoadState('networkidle');
    expect(requests.slice(signedOut).filter((r) => PRIVATE(r.url()))).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('on a phone a planner sees the measure, its legend, and the panel with the figure', async () => {
    const { page, errors } = await openPlanner(PHONE);
    await page.goto(`${env().base}/?metric=records_waiting`);
    await paintedWith(page, 'records_waiting');
    expect(await page.getByTestId('legend').locator('strong').textContent()).toBe(
      'Catatan menunggu verifikasi',
    );
    expect(await legendColoursOnMap(page, BIN_SWATCHES)).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await shoot(page, 'measures-waiting-phone.png');

    await page.goto(`${env().base}/?metric=multi_aggregator_share`);
    await paintedWith(page, 'multi_aggregator_share');
    await shoot(page, 'measures-overlap-city-phone.png');
    await page.getByRole('button', { name: 'Tampilkan panel' }).click();
    await page.getByTestId('gap-overlap').first().filter({ hasText: '%' }).waitFor();
    await page.locator('.gaps').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // the sheet slides open
    await shoot(page, 'measures-gaps-phone.png');
    await page.getByTestId('gap-row').first().getByRole('button').first().click();
    await page.getByTestId('area-planner-value').filter({ hasText: '%' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.waitForTimeout(300); // the sheet slides open
    await shoot(page, 'measures-overlap-phone.png');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('the public and other roles never see the planner measures, even from a planner link', async () => {
    const link = '/?metric=records_waiting&level=kelurahan';
    const stranger = await openRecorded(link);
    await stranger.page.getByTestId('kpi-packages').filter({ hasText: '561.118' }).waitFor();
    await paintedWith(stranger.page, 'coverage');
    expect(await metricOptions(stranger.page)).not.toContain('records_waiting');
    expect(await metricOptions(stranger.page)).not.toContain('multi_aggregator_share');
    expect(await stranger.page.getByTestId('metric').inputValue()).toBe('coverage');
    expect(await stranger.page.getByTestId('legend').locator('strong').textContent()).toMatch(
      /^Cakupan/,
    );
    expect(await stranger.page.getByTestId('planner-badge').count()).toBe(0);
    expect(await stranger.page.getByTestId('gaps-overlap-header').count()).toBe(0);
    await stranger.page.waitForLoadState('networkidle');
    expect(stranger.requests.filter((r) => PRIVATE(r.url()))).toEqual([]);
    await shoot(stranger.page, 'measures-public-desktop.png');
    expect(stranger.errors).toEqual([]);
    await stranger.page.context().close();

    const aggregator = await openRecorded('/?page=signin');
    await signInThroughForm(aggregator.page, 'demo-act');
    await aggregator.page.waitForURL(/page=upload/);
    const sent = aggregator.requests.length;
    await aggregator.page.goto(`${env().base}${link}`);
    await aggregator.page.getByTestId('who').waitFor();
    await paintedWith(aggregator.page, 'coverage');
    expect(await metricOptions(aggregator.page)).not.toContain('records_waiting');
    expect(await aggregator.page.getByTestId('gaps-overlap-header').count()).toBe(0);
    await aggregator.page.waitForLoadState('networkidle');
    expect(aggregator.requests.slice(sent).filter((r) => PRIVATE(r.url()))).toEqual([]);
    expect(unexpected(aggregator.errors)).toEqual([]);
    await aggregator.page.context().close();
  });

  it('Data & metode shows "Data per" for every aggregator in both languages; planners also the queues', async () => {
    const { page, errors, requests } = await openRecorded('/?page=methods');
    const rows = page.getByTestId('freshness-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(AGGREGATORS);
    for (const cell of await page.getByTestId('freshness-data-per').allTextContents())
      expect(cell).toBe('Data per 27 Mei 2020');
    expect(await rows.first().textContent()).toContain('27 Mei 2020');
    expect(await page.getByTestId('queues').count()).toBe(0);
    await page.getByTestId('freshness').scrollIntoViewIfNeeded();
    await shoot(page, 'measures-methods-desktop.png');
    await page.getByTestId('language').selectOption('en');
    await page
      .getByTestId('freshness-data-per')
      .first()
      .filter({ hasText: 'Data as of' })
      .waitFor();
    for (const cell of await page.getByTestId('freshness-data-per').allTextContents())
      expect(cell).toBe('Data as of 27 May 2020');
    expect(requests.filter((r) => PRIVATE(r.url()))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();

    // A planner: the queues per aggregator below the dates, on a desktop and on a phone.
    const planner = await openPlanner();
    await planner.page.getByTestId('nav-methods').click();
    const queues = planner.page.getByTestId('queue-stats-row');
    await queues.first().waitFor();
    expect(await queues.count()).toBe(AGGREGATORS);
    const act = planner.page.locator('[data-testid=queue-stats-row][data-slug=act]');
    // ACT's records waiting for the kelurahan, as the API counts them, written the Indonesian way.
    const stats = (await (
      await planner.page.context().request.get(`${env().base}/api/records/stats`)
    ).json()) as { aggregators: { aggregator: string; submitted: number }[] };
    const actWaiting = stats.aggregators.find((a) => a.aggregator === 'act')!.submitted;
    expect(actWaiting).toBeGreaterThan(0);
    expect(await act.textContent()).toContain(actWaiting.toLocaleString('id-ID'));
    expect(await act.textContent()).toContain('Mei 2020');
    await planner.page.getByTestId('queues').scrollIntoViewIfNeeded();
    await shoot(planner.page, 'measures-methods-queues-desktop.png');
    await planner.page.setViewportSize(PHONE);
    expect(
      await planner.page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(PHONE.width);
    await planner.page.getByTestId('queues').scrollIntoViewIfNeeded();
    await shoot(planner.page, 'measures-methods-queues-phone.png');
    await planner.page.getByTestId('language').selectOption('en');
    await act.filter({ hasText: actWaiting.toLocaleString('en-GB') }).waitFor();
    await planner.page.getByTestId('freshness').scrollIntoViewIfNeeded();
    await shoot(planner.page, 'measures-methods-en-phone.png');
    // Signed out, the queues go.
    await planner.page.getByTestId('sign-out').click();
    await planner.page.getByTestId('nav-signin').waitFor();
    expect(await planner.page.getByTestId('queues').count()).toBe(0);
    expect(unexpected(planner.errors)).toEqual([]);
    await planner.page.context().close();
  });

  it('the sign-in page leads each role to its page, and an expired session reads right for verifiers', async () => {
    const planner = await openPlanner();
    await planner.page.goto(`${env().base}/?page=signin`);
    await planner.page.getByTestId('signed-in-verify').click();
    await planner.page.waitForURL(/page=verify/);
    expect(await planner.page.getByTestId('signed-in-upload').count()).toBe(0);
    await planner.page.context().close();

    const aggregator = await openPage(env(), '/?page=signin');
    await signInThroughForm(aggregator.page, 'demo-act');
    await aggregator.page.waitForURL(/page=upload/);
    await aggregator.page.goto(`${env().base}/?page=signin`);
    await aggregator.page.getByTestId('signed-in-upload').waitFor();
    expect(await aggregator.page.getByTestId('signed-in-verify').count()).toBe(0);
    await aggregator.page.context().close();

    // A kelurahan verifier's session ends elsewhere; the next queue request is refused.
    const { page, errors } = await openPage(env(), '/?page=signin');
    await signInThroughForm(page, 'demo-verifier-kelurahan');
    await page.waitForURL(/page=verify/);
    await page.getByTestId('verify-filters').waitFor();
    const ended = await page.context().request.delete(`${env().base}/api/session`, {
      headers: { Origin: env().base },
    });
    expect(ended.status()).toBe(204);
    await page.getByTestId('filter-aggregator').selectOption('pmi');
    const expired = page.getByTestId('session-expired');
    await expired.waitFor();
    expect(await expired.textContent()).toBe(
      'Sesi Anda sudah berakhir. Masuk lagi untuk melanjutkan verifikasi; keputusan yang belum tersimpan perlu diambil ulang.',
    );
    await shoot(page, 'measures-signin-expired-verifier.png');
    expect(unexpected(errors, [401])).toEqual([]);
    await page.context().close();
  });
});
