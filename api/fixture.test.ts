import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChoroplethRow } from './db/choropleth';
import type { Summary } from './db/summary';
import type { TimePoint } from './db/timeseries';
import { getJson, openFixtureApp, type TestApp } from './test-support';

// Hand-computed answers for api/fixtures (see its README): verified records only.
let env: TestApp;
beforeAll(async () => {
  env = await openFixtureApp();
});
afterAll(() => env.close());

const get = <T>(path: string) => getJson<T>(env.app, path).then((r) => r.body);
const rows = async (query: string) =>
  new Map(
    (await get<{ rows: ChoroplethRow[] }>(`/api/choropleth?${query}`)).rows.map((r) => [r.code, r]),
  );

describe('metrics on the hand-checked fixture', () => {
  it('sums packages by type and counts each household once across days and aid types', async () => {
    const s = await get<Summary>('/api/summary');
    expect(s.packages).toEqual({ total: 112, sembako: 27, siap_saji: 82, lebaran: 2, thr: 1 });
    expect(s.households_reached).toBe(7);
    expect(s.areas_reached).toEqual({ kota: 2, kecamatan: 2, kelurahan: 3, rw: 5 });
    expect(s.institutions_reached).toBe(2);
    expect(s.aggregators_active).toBe(4);
    expect(s.records).toBe(14);
    expect(s.need).toBe(450);
    expect(s.gap).toBe(443);
  });

  it('answers filtered questions', async () => {
    const sembako = await get<Summary>('/api/summary?aid_type=sembako');
    expect(sembako.households_reached).toBe(6);
    expect(sembako.packages.total).toBe(27);
    const dd = await get<Summary>('/api/summary?aggregator=dompet-dhuafa');
    expect(dd.households_reached).toBe(2);
    expect(dd.packages.total).toBe(3);
    expect(dd.areas_reached).toEqual({ kota: 1, kecamatan: 1, kelurahan: 1, rw: 2 });
    const window = await get<Summary>('/api/summary?from=2020-05-01&to=2020-05-15');
    expect(window.packages.total).toBe(104); // records 7, 9, 10, 11, 13, 15, 16
    expect(window.households_reached).toBe(4);
    const orphanage = await get<Summary>('/api/summary?recipient_type=orphanage');
    expect(orphanage.packages.total).toBe(20);
    expect(orphanage.households_reached).toBe(0);
    expect(orphanage.institutions_reached).toBe(1);
    const gambir = await get<Summary>('/api/summary?area=31.71.01.1001');
    expect(gambir.packages.total).toBe(27);
    expect(gambir.households_reached).toBe(3);
    expect(gambir.need).toBe(150);
  });

  it('gives every RW a row, with coverage and gap per RW', async () => {
    const rw = await rows('level=rw');
    expect(rw.size).toBe(6);
    const expected: Record<string, [number, number, number, string]> = {
      '31.71.01.1001.001': [6, 2, 98, 'underserved'],
      '31.71.01.1001.002': [21, 1, 49, 'underserved'],
      '31.71.01.1002.001': [51, 1, 79, 'underserved'],
      '31.71.02.1001.001': [0, 0, 40, 'uncovered'],
      '31.72.01.1001.001': [33, 2, 118, 'underserved'],
      '31.72.01.1001.002': [1, 1, 59, 'underserved'],
    };
    for (const [code, [packages, reached, gap, status]] of Object.entries(expected)) {
      const r = rw.get(code)!;
      expect([r.packages, r.households_reached, r.gap, r.status], code).toEqual([
        packages,
        reached,
        gap,
        status,
      ]);
      expect(r.coverage).toBeCloseTo(reached / r.need, 5);
    }
  });

  it('computes parents from distinct households, not from their children', async () => {
    const kel = await rows('level=kelurahan');
    expect(kel.get('31.71.01.1001')).toMatchObject({
      packages: 27,
      households_reached: 3,
      need: 150,
      gap: 147,
    });
    expect(kel.get('31.71.02.1001')).toMatchObject({
      packages: 0,
      households_reached: 0,
      status: 'uncovered',
    });
    const kota = await rows('level=kota');
    expect(kota.get('31.71')).toMatchObject({
      packages: 78,
      households_reached: 4,
      need: 270,
      gap: 266,
    });
    expect(kota.get('31.72')).toMatchObject({
      packages: 34,
      households_reached: 3,
      need: 180,
      gap: 177,
    });
    expect(kota.get('31.71')!.coverage).toBeCloseTo(4 / 270, 6);
  });

  it('limits a level to a parent', async () => {
    const rw = await rows('level=rw&parent=31.71.01.1001');
    expect([...rw.keys()]).toEqual(['31.71.01.1001.001', '31.71.01.1001.002']);
  });

  it('reports COVID-19 as of the end of the window', async () => {
    const kel = await rows('level=kelurahan');
    expect(kel.get('31.71.01.1001')!.covid_positive).toBe(10);
    expect(kel.get('31.71.01.1001')!.covid_per_10k).toBeCloseTo((10 * 10_000) / 1800, 3);
    const early = await rows('level=kota&to=2020-05-01');
    expect(early.get('31.71')!.covid_positive).toBe(7);
    const rw = await rows('level=rw');
    expect(rw.get('31.71.01.1001.001')!.covid_positive).toBeNull();
    expect(rw.get('31.71.01.1001.001')!.covid_per_10k).toBeCloseTo((10 * 10_000) / 1800, 3);
  });

  it('ranks gaps, largest first, with thresholds and minimum need', async () => {
    const all = await get<{ total: number; rows: ChoroplethRow[] }>('/api/gaps?level=rw');
    expect(all.rows.map((r) => r.gap)).toEqual([118, 98, 79, 59, 49, 40]);
    const big = await get<{ rows: ChoroplethRow[] }>('/api/gaps?level=rw&min_need=80&limit=2');
    expect(big.rows.map((r) => r.code)).toEqual(['31.72.01.1001.001', '31.71.01.1001.001']);
    const none = await get<{ total: number }>('/api/gaps?level=rw&threshold=0');
    expect(none.total).toBe(1); // only the uncovered RW is below any threshold
  });

  it('counts new and cumulative households over time', async () => {
    const { series } = await get<{ series: TimePoint[] }>('/api/timeseries?cumulative=true');
    expect(series).toHaveLength(34);
    expect(series.at(-1)).toMatchObject({ households_reached: 7, packages: { total: 112 } });
    const daily = await get<{ series: TimePoint[] }>('/api/timeseries');
    const may15 = daily.series.find((p) => p.date === '2020-05-15')!;
    expect(may15).toMatchObject({ new_households: 2, packages: { total: 2, sembako: 2 } });
    const weekly = await get<{ series: TimePoint[] }>('/api/timeseries?interval=week');
    expect(weekly.series[0]!.date).toBe('2020-04-20');
    expect(weekly.series.reduce((s, p) => s + p.packages.total, 0)).toBe(112);
  });

  it('details an area with its aggregators, children and institutions', async () => {
    const a = await get<{
      summary: Summary;
      by_aggregator: { slug: string; packages: number; households_reached: number }[];
      children: { level: string; rows: ChoroplethRow[] };
      institutions: { name: string; packages: number }[];
      breadcrumbs: { code: string }[];
    }>('/api/areas/31.72.01.1001');
    expect(a.breadcrumbs.map((b) => b.code)).toEqual(['31.72', '31.72.01', '31.72.01.1001']);
    expect(a.summary.packages.total).toBe(34);
    expect(a.by_aggregator).toEqual([
      expect.objectContaining({ slug: 'baznas', packages: 30, households_reached: 0 }),
      expect.objectContaining({ slug: 'dompet-dhuafa', packages: 3, households_reached: 2 }),
      expect.objectContaining({ slug: 'act', packages: 1, households_reached: 1 }),
    ]);
    expect(a.children.level).toBe('rw');
    expect(a.children.rows.map((r) => r.households_reached)).toEqual([2, 1]);
    expect(a.institutions).toEqual([
      expect.objectContaining({ name: 'Pondok Pesantren Uji', packages: 30 }),
    ]);
  });

  it('lists institutions with the aid they received', async () => {
    const fc = await get<{ features: { properties: { name: string; packages: number } }[] }>(
      '/api/institutions',
    );
    expect(fc.features.map((f) => [f.properties.name, f.properties.packages])).toEqual([
      ['Panti Asuhan Uji', 20],
      ['Pondok Pesantren Uji', 30],
      ['Panti Werdha Uji', 0],
    ]);
  });
});

describe('client settings in the meta answer', () => {
  it('keeps the offline basemap unless MAP_STYLE_URL names an online style', async () => {
    expect((await get<{ map_style_url: string | null }>('/api/meta')).map_style_url).toBeNull();
    const online = await openFixtureApp({ mapStyleUrl: 'https://tiles.example.org/style.json' });
    try {
      const meta = await getJson<{ map_style_url: string | null }>(online.app, '/api/meta');
      expect(meta.body.map_style_url).toBe('https://tiles.example.org/style.json');
    } finally {
      online.close();
    }
  });
});
