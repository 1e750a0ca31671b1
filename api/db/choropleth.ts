import { isWithin } from '../context';
import { AID_TYPES, type AidType, type Level } from '../domain';
import { PACKAGE_COLUMNS, REGION_COLUMN, whereRecords, type ResolvedFilters } from './filters';
import { coverage, coverageStatus, gap, per, type CoverageStatus } from './metrics';
import type { QueryContext } from './query-context';
import { raw, sql, type Sql } from './sql';

export interface ChoroplethRow {
  code: string;
  name: string;
  parent_code: string | null;
  need: number;
  households: number;
  population: number;
  packages: number;
  packages_by_type: Record<AidType, number>;
  records: number;
  households_reached: number;
  coverage: number | null;
  gap: number;
  status: CoverageStatus;
  packages_per_100_need: number | null;
  packages_per_1000_residents: number | null;
  covid_positive: number | null;
  covid_per_10k: number | null;
  modelled: boolean;
}

export interface ChoroplethOptions {
  level: Level;
  /** Only regions inside this region (any level above `level`). */
  parent: { code: string; level: Level } | null;
  threshold: number;
}

/** Cumulative COVID-19 positives per kelurahan on the latest reported day up to `to`. */
export function covidAsOf(to: string): Sql {
  return sql`SELECT kelurahan_code, positive FROM covid_daily
             WHERE date = (SELECT max(date) FROM covid_daily WHERE date <= ${to}::DATE)`;
}

/**
 * One row per region of the level (also those with no aid). Packages come from the rollup,
 * households reached from the reach index (distinct households, each counted at its home region,
 * so parents are not sums of their children's ratios), fixed facts from the data context.
 */
export async function queryChoropleth(
  { db, reach, ctx }: QueryContext,
  f: ResolvedFilters,
  options: ChoroplethOptions,
): Promise<ChoroplethRow[]> {
  const col = raw(REGION_COLUMN[options.level]);
  // DuckDB works on its own threads: count households in JS meanwhile.
  const packagesQuery = db.rows<Record<string, number | string>>(sql`SELECT ${col} AS code,
               ${PACKAGE_COLUMNS}
        FROM rollup_rw_day
        WHERE ${whereRecords(f)}
        GROUP BY 1`);
  // Households count at their home, so a parent's RWs hold everything its children need.
  const households = reach.byRegion(reach.reach(f, reach.homesIn(options.parent)), options.level);
  const byCode = new Map((await packagesQuery).map((p) => [String(p.code), p]));
  const covid = new Map(
    (await db.rows<{ kelurahan_code: string; positive: number }>(covidAsOf(f.to))).map((c) => [
      c.kelurahan_code,
      Number(c.positive),
    ]),
  );
  // COVID-19 is reported per kelurahan: sum them up a level; an RW shows its kelurahan's rate only.
  const covidOf = (code: string, level: Level): number | null => {
    if (covid.size === 0) return null;
    if (level === 'kelurahan') return covid.get(code) ?? 0;
    let sum = 0;
    for (const [kel, n] of covid) if (kel.startsWith(`${code}.`)) sum += n;
    return sum;
  };
  const regions = ctx.byLevel[options.level].filter(
    (r) => !options.parent || isWithin(r, options.parent),
  );
  return regions.map((r) => {
    const p = byCode.get(r.code);
    const n = (k: string) => Number(p?.[k] ?? 0);
    const reached = households.get(r.code) ?? 0;
    const total = AID_TYPES.reduce((t, a) => t + n(a), 0);
    const kelurahan = r.level === 'rw' ? ctx.regions.get(r.kelurahan_code!) : r;
    const cases =
      options.level === 'rw' ? covidOf(r.kelurahan_code!, 'kelurahan') : covidOf(r.code, r.level);
    return {
      code: r.code,
      name: r.name,
      parent_code: r.parent_code,
      need: r.need,
      households: r.households,
      population: r.population,
      packages: total,
      packages_by_type: {
        sembako: n('sembako'),
        siap_saji: n('siap_saji'),
        lebaran: n('lebaran'),
        thr: n('thr'),
      },
      records: n('records'),
      households_reached: reached,
      coverage: coverage(reached, r.need),
      gap: gap(reached, r.need),
      status: coverageStatus(reached, r.need, options.threshold),
      packages_per_100_need: per(total, r.need, 100),
      packages_per_1000_residents: per(total, r.population, 1000),
      // An RW has no case count of its own; it shows its kelurahan's rate only.
      covid_positive: options.level === 'rw' ? null : cases,
      covid_per_10k: cases === null ? null : per(cases, kelurahan?.population ?? 0, 10_000),
      modelled: r.modelled,
    };
  });
}
