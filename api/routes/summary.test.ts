import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, openDefaultApp } from '../test-support';
import type { Summary } from '../db/summary';

type SummaryBody = Summary & { filters: Record<string, unknown> };
let env: Awaited<ReturnType<typeof openDefaultApp>>;

beforeAll(async () => {
  env = await openDefaultApp();
});
afterAll(() => env.close());

const summary = (query: string) => getJson<SummaryBody>(env.app, `/api/summary?${query}`);

describe('GET /api/summary on the default dataset', () => {
  it('returns the published KSBB figures for 24 April – 27 May 2020', async () => {
    const { status, body } = await summary('from=2020-04-24&to=2020-05-27');
    expect(status).toBe(200);
    expect(body.packages).toEqual({
      total: 561_118,
      sembako: 375_745,
      siap_saji: 154_411,
      lebaran: 28_618,
      thr: 2_344,
    });
    expect(body.areas_reached.rw).toBe(2_000);
    expect(body.aggregators_active).toBe(6);
  });

  it('defaults to the whole programme window', async () => {
    const { body } = await summary('');
    expect(body.filters.from).toBe('2020-04-24');
    expect(body.filters.to).toBe('2020-05-27');
    expect(body.packages.total).toBe(561_118);
  });

  it("returns Dompet Dhuafa's published reach", async () => {
    const { body } = await summary('aggregator=dompet-dhuafa');
    expect(body.households_reached).toBe(5_954);
    expect(body.areas_reached.kecamatan).toBe(32);
    expect(body.areas_reached.kelurahan).toBe(69);
  });

  it('filters by aid type, with lists as commas or repeated keys', async () => {
    const a = await summary('aid_type=lebaran,thr');
    const b = await summary('aid_type=thr&aid_type=lebaran');
    expect(a.body.packages.total).toBe(28_618 + 2_344);
    expect(a.body.packages.sembako).toBe(0);
    expect(b.body.packages).toEqual(a.body.packages);
  });

  it('splits by aggregator into parts that add up to the whole', async () => {
    const slugs = ['act', 'baznas', 'pmi', 'rumah-zakat', 'human-initiative', 'dompet-dhuafa'];
    const parts = await Promise.all(slugs.map((s) => summary(`aggregator=${s}`)));
    const sum = parts.reduce((s, p) => s + p.body.packages.total, 0);
    expect(sum).toBe(561_118);
    parts.forEach((p) => expect(p.body.packages.total).toBeGreaterThan(0));
  });

  it('narrows to an area and a date window', async () => {
    const whole = await summary('');
    const kota = await summary('area=31.72');
    expect(kota.body.areas_reached.kota).toBe(1);
    expect(kota.body.packages.total).toBeLessThan(whole.body.packages.total);
    expect(kota.body.need).toBeLessThan(whole.body.need);
    const lebaranDay = await summary('from=2020-05-24&to=2020-05-24');
    const week = await summary('from=2020-05-14&to=2020-05-20');
    expect(lebaranDay.body.packages.total).toBeLessThan(week.body.packages.total / 7);
  });

  it('reports need, coverage and gap consistently', async () => {
    const { body } = await summary('');
    expect(body.need).toBe(1_200_000);
    expect(body.coverage).toBeCloseTo(body.households_reached / 1_200_000, 6);
    expect(body.gap).toBe(1_200_000 - body.households_reached);
  });

  it('counts institutions only for institution recipient types', async () => {
    const { body } = await summary('recipient_type=orphanage');
    expect(body.households_reached).toBe(0);
    expect(body.institutions_reached).toBeGreaterThan(0);
  });
});

describe('GET /api/summary with bad input', () => {
  it.each([
    ['aid_type=beras', 'aid_type'],
    ['aggregator=unknown-ngo', 'aggregator'],
    ['recipient_type=school', 'recipient_type'],
    ['from=2020-13-01', 'from'],
    ['from=2020-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2020-05-27&to=2020-04-24', 'from'],
    ['area=jakarta', 'area'],
    ["area=31.71'%20OR%201=1--", 'area'],
  ])('%s → 400 naming %s', async (query, param) => {
    const { status, body } = await getJson<{
      error: { code: string; message: string; details: { parameters: { param: string }[] } };
    }>(env.app, `/api/summary?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameters');
    expect(body.error.details.parameters.map((p) => p.param)).toContain(param);
  });

  it('rejects a well-formed code that names no region', async () => {
    const { status, body } = await getJson<{ error: { code: string } }>(
      env.app,
      '/api/summary?area=31.79',
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('unknown_area');
  });

  it('answers unknown routes with JSON 404', async () => {
    const { status, body } = await getJson<{ error: { code: string } }>(env.app, '/api/nope');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
