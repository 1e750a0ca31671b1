import { Hono } from 'hono';
import { stringify } from 'csv-stringify/sync';
import { queryChoropleth, type ChoroplethRow } from '../db/choropleth';
import { AID_TYPES } from '../domain';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { resolveFilters } from '../resolve-filters';
import { ExportQuery } from '../schemas/filters';
import { validate } from '../validate';
import { resolveParent } from './choropleth';

export const EXPORT_COLUMNS = [
  'code',
  'name',
  'parent_code',
  'need',
  'households',
  'population',
  'packages',
  ...AID_TYPES.map((t) => `packages_${t}`),
  'records',
  'households_reached',
  'coverage',
  'gap',
  'status',
  'packages_per_100_need',
  'packages_per_1000_residents',
  'covid_positive',
  'covid_per_10k',
  'modelled',
];

/** Flat columns of a choropleth row, shared by the CSV and the GeoJSON properties. */
export function flatRow(r: ChoroplethRow): Record<string, string | number | boolean | null> {
  const { packages_by_type, ...rest } = r;
  const byType = Object.fromEntries(AID_TYPES.map((t) => [`packages_${t}`, packages_by_type[t]]));
  return { ...rest, ...byType };
}

/** The current map view (level, parent and filters) as a CSV table or a GeoJSON layer. */
export const exports = new Hono<AppEnv>().get('/', validate('query', ExportQuery), async (c) => {
  const q = c.req.valid('query');
  const filters = resolveFilters(q, c.var.ctx, c.var.principal);
  const parent = resolveParent(q.parent, q.level, c.var.ctx);
  const rows = (
    await runQuery(c, (qc) =>
      queryChoropleth(qc, filters, {
        level: q.level,
        parent,
        threshold: q.threshold,
      }),
    )
  ).map(flatRow);
  const name = `peta-kolaborasi-${q.level}${parent ? `-${parent.code}` : ''}-${filters.from}-${filters.to}`;
  if (q.format === 'csv') {
    const text = stringify(rows, {
      header: true,
      columns: EXPORT_COLUMNS,
      cast: { boolean: (v) => (v ? 'true' : 'false') },
    });
    return c.body(text, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
    });
  }
  const shapes = new Map(
    c.var.boundaries[q.level].collection.features.map((f) => [f.properties.code, f.geometry]),
  );
  return c.body(
    JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map((properties) => ({
        type: 'Feature',
        properties,
        geometry: shapes.get(String(properties.code)) ?? null,
      })),
    }),
    200,
    {
      'Content-Type': 'application/geo+json',
      'Content-Disposition': `attachment; filename="${name}.geojson"`,
    },
  );
});
