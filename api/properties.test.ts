import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChoroplethRow } from './db/choropleth';
import type { Summary } from './db/summary';
import { AGGREGATORS, AID_TYPES, LEVELS, RECIPIENT_TYPES, type Level } from './domain';
import { getJson, openDefaultApp, openFixtureApp, type TestApp } from './test-support';

const DAYS = Array.from({ length: 40 }, (_, i) =>
  new Date(Date.UTC(2020, 3, 21 + i)).toISOString().slice(0, 10),
);

const filterArb = fc.record({
  dates: fc
    .tuple(fc.constantFrom(...DAYS), fc.constantFrom(...DAYS))
    .map(([a, b]) => (a <= b ? [a, b] : [b, a])),
  aid_type: fc.subarray([...AID_TYPES]),
  aggregator: fc.subarray([...AGGREGATORS]),
  recipient_type: fc.subarray([...RECIPIENT_TYPES]),
  level: fc.constantFrom(...LEVELS),
});
type FilterCase = typeof filterArb extends fc.Arbitrary<infer T> ? T : never;

function query(f: FilterCase, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ from: f.dates[0]!, to: f.dates[1]!, ...extra });
  if (f.aid_type.length) p.set('aid_type', f.aid_type.join(','));
  f.aggregator.forEach((a) => p.append('aggregator', a));
  if (f.recipient_type.length) p.set('recipient_type', f.recipient_type.join(','));
  return p.toString();
}

function properties(name: string, open: () => Promise<TestApp>, numRuns: number) {
  describe(`consistency between endpoints (${name})`, () => {
    let env: TestApp;
    beforeAll(async () => {
      env = await open();
    });
    afterAll(() => env.close());
    const get = <T>(path: string) => getJson<T>(env.app, path);

    it('choropleth totals equal the summary at every level', async () => {
      await fc.assert(
        fc.asyncProperty(filterArb, async (f) => {
          const s = (await get<Summary>(`/api/summary?${query(f)}`)).body;
          const c = (
            await get<{ rows: ChoroplethRow[] }>(`/api/choropleth?${query(f, { level: f.level })}`)
          ).body;
          expect(c.rows.reduce((t, r) => t + r.packages, 0)).toBe(s.packages.total);
          expect(c.rows.reduce((t, r) => t + r.households_reached, 0)).toBe(s.households_reached);
          expect(c.rows.reduce((t, r) => t + r.need, 0)).toBe(s.need);
          expect(c.rows.filter((r) => r.packages > 0).length).toBe(s.areas_reached[f.level]);
        }),
        { numRuns },
      );
    });

    it('children add up to their parent for additive metrics', async () => {
      await fc.assert(
        fc.asyncProperty(
          filterArb.filter((f) => f.level !== 'rw'),
          async (f) => {
            const child: Level = LEVELS[LEVELS.indexOf(f.level) + 1]!;
            const parents = (
              await get<{ rows: ChoroplethRow[] }>(
                `/api/choropleth?${query(f, { level: f.level })}`,
              )
            ).body.rows;
            const children = (
              await get<{ rows: ChoroplethRow[] }>(`/api/choropleth?${query(f, { level: child })}`)
            ).body.rows;
            for (const p of parents) {
              const mine = children.filter((c) => c.parent_code === p.code);
              expect(
                mine.reduce((t, c) => t + c.packages, 0),
                p.code,
              ).toBe(p.packages);
              expect(
                mine.reduce((t, c) => t + c.households_reached, 0),
                p.code,
              ).toBe(p.households_reached);
              expect(
                mine.reduce((t, c) => t + c.need, 0),
                p.code,
              ).toBe(p.need);
            }
          },
        ),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    it('gaps agree with the choropleth', async () => {
      await fc.assert(
        fc.asyncProperty(filterArb, fc.constantFrom('0.2', '0.5', '1'), async (f, threshold) => {
          const c = (
            await get<{ rows: ChoroplethRow[] }>(
              `/api/choropleth?${query(f, { level: f.level, threshold })}`,
            )
          ).body;
          const g = (
            await get<{ total: number; rows: ChoroplethRow[] }>(
              `/api/gaps?${query(f, { level: f.level, threshold, limit: '5000' })}`,
            )
          ).body;
          const expected = c.rows
            .filter((r) => r.need >= 1 && r.households_reached < r.need * Number(threshold))
            .sort((a, b) => b.gap - a.gap || a.code.localeCompare(b.code));
          expect(g.total).toBe(expected.length);
          expect(g.rows.map((r) => [r.code, r.gap])).toEqual(expected.map((r) => [r.code, r.gap]));
        }),
        { numRuns },
      );
    });

    it('exports match the JSON', async () => {
      await fc.assert(
        fc.asyncProperty(filterArb, async (f) => {
          const c = (
            await get<{ rows: ChoroplethRow[] }>(`/api/choropleth?${query(f, { level: f.level })}`)
          ).body;
          const csv = parse(
            await (
              await env.app.request(`/api/export?${query(f, { level: f.level, format: 'csv' })}`)
            ).text(),
            {
              columns: true,
            },
          ) as Record<string, string>[];
          expect(
            csv.map((r) => [
              r.code,
              Number(r.packages),
              Number(r.households_reached),
              Number(r.gap),
            ]),
          ).toEqual(c.rows.map((r) => [r.code, r.packages, r.households_reached, r.gap]));
          const geo = (
            await get<{ features: { properties: Record<string, unknown>; geometry: unknown }[] }>(
              `/api/export?${query(f, { level: f.level, format: 'geojson' })}`,
            )
          ).body;
          expect(
            geo.features.map((x) => [
              x.properties.code,
              x.properties.packages,
              x.properties.coverage,
            ]),
          ).toEqual(c.rows.map((r) => [r.code, r.packages, r.coverage]));
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });
  });
}

properties('hand-checked fixture', openFixtureApp, 60);
properties('default dataset', openDefaultApp, 15);
