import { LEVELS, type AggregatorSlug, type Level } from '../domain';
import { queryChoropleth, type ChoroplethRow } from './choropleth';
import type { QueryContext } from './query-context';
import { whereRecords, type ResolvedFilters } from './filters';
import { queryInstitutions, type InstitutionRow } from './institutions';
import { querySummary, type Summary } from './summary';
import { queryTimeseries, type TimePoint } from './timeseries';
import { sql } from './sql';

export interface AreaDetail {
  region: {
    code: string;
    name: string;
    level: Level;
    parent_code: string | null;
    need: number;
    households: number;
    population: number;
    area_km2: number;
    flood_prone: boolean;
    modelled: boolean;
    label: [number, number];
  };
  breadcrumbs: { code: string; name: string; level: Level }[];
  summary: Summary;
  by_aggregator: {
    slug: AggregatorSlug;
    name: string;
    packages: number;
    records: number;
    households_reached: number;
  }[];
  children: { level: Level; rows: ChoroplethRow[] } | null;
  trend: TimePoint[];
  institutions: InstitutionRow[];
  covid: {
    positive: number | null;
    per_10k: number | null;
    as_of: string | null;
    scope: 'kelurahan' | 'area';
  };
}

/** Everything the area panel shows, for one region and the current filters. */
export async function queryArea(
  q: QueryContext,
  f: ResolvedFilters & { area: { code: string; level: Level } },
  threshold: number,
): Promise<AreaDetail> {
  const { db, reach } = q;
  const { code, level } = f.area;
  const r = await db.one<
    Record<string, unknown>
  >(sql`SELECT code, name, level::VARCHAR AS level, parent_code, need, households, population, area_km2,
               flood_prone, modelled, label_lon, label_lat, kota_code, kecamatan_code, kelurahan_code
        FROM regions WHERE code = ${code}`);
  const ancestorCodes = [r.kota_code, r.kecamatan_code, r.kelurahan_code, code].filter(
    (c, i, all): c is string => typeof c === 'string' && all.indexOf(c) === i,
  );
  const breadcrumbs = ancestorCodes.map((c) => {
    const facts = q.ctx.regions.get(c)!;
    return { code: c, name: facts.name, level: facts.level };
  });
  // COVID-19 is reported per kelurahan; an RW shows its kelurahan's figures.
  const covidArea = level === 'rw' ? String(r.kelurahan_code) : code;
  const childLevel = LEVELS[LEVELS.indexOf(level) + 1];
  // The parts are independent: each runs on its own connection so DuckDB and JS work overlap.
  const [summary, byAggregator, children, trend, institutions, covidRow] = await Promise.all([
    q.fork((x) => querySummary(x, f)),
    q.fork((x) =>
      x.db.rows<Record<string, unknown>>(sql`
          WITH pk AS (
            SELECT aggregator, sum(packages)::DOUBLE AS packages, sum(records)::INTEGER AS records
            FROM rollup_rw_day WHERE ${whereRecords(f)} GROUP BY 1
          )
          SELECT a.slug::VARCHAR AS slug, a.name, coalesce(pk.packages, 0) AS packages,
                 coalesce(pk.records, 0) AS records
          FROM aggregators a LEFT JOIN pk ON pk.aggregator = a.slug`),
    ),
    childLevel
      ? q.fork(async (x) => ({
          level: childLevel,
          rows: await queryChoropleth(
            x,
            { ...f, area: null },
            { level: childLevel, parent: f.area, threshold },
          ),
        }))
      : Promise.resolve(null),
    q.fork((x) => queryTimeseries(x, f, 'day', false)),
    q.fork((x) => queryInstitutions(x.db, f, [])),
    q.fork((x) =>
      x.db.one<{ positive: number | null; as_of: string | null; population: number }>(sql`
          WITH day AS (SELECT max(date) AS d FROM covid_daily WHERE date <= ${f.to}::DATE)
          SELECT sum(c.positive)::INTEGER AS positive, any_value(day.d)::VARCHAR AS as_of,
                 (SELECT sum(population) FROM regions k WHERE k.level = 'kelurahan'
                    AND starts_with(k.code, ${covidArea}))::INTEGER AS population
          FROM covid_daily c, day
          WHERE c.date = day.d AND starts_with(c.kelurahan_code, ${covidArea})`),
    ),
  ]);
  const householdsByAggregator = reach.reachByAggregator(f, reach.homesIn(f.area));
  const positive = covidRow.as_of === null ? null : covidRow.positive;
  return {
    region: {
      code,
      name: String(r.name),
      level,
      parent_code: (r.parent_code as string | null) ?? null,
      need: Number(r.need),
      households: Number(r.households),
      population: Number(r.population),
      area_km2: Number(r.area_km2),
      flood_prone: Boolean(r.flood_prone),
      modelled: Boolean(r.modelled),
      label: [Number(r.label_lon), Number(r.label_lat)],
    },
    breadcrumbs,
    summary,
    by_aggregator: byAggregator
      .map((a) => ({
        slug: a.slug as AggregatorSlug,
        name: String(a.name),
        packages: Number(a.packages),
        records: Number(a.records),
        households_reached: householdsByAggregator.get(a.slug as AggregatorSlug) ?? 0,
      }))
      .filter((a) => a.packages > 0 || a.households_reached > 0)
      .sort((a, b) => b.packages - a.packages || a.slug.localeCompare(b.slug)),
    children,
    trend,
    institutions,
    covid: {
      positive,
      per_10k:
        positive === null || !covidRow.population
          ? null
          : (positive * 10_000) / covidRow.population,
      as_of: covidRow.as_of,
      scope: level === 'rw' ? 'kelurahan' : 'area',
    },
  };
}
