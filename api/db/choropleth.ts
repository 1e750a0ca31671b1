import type { DuckDBConnection } from '@duckdb/node-api';
import type { AidType, Level } from '../domain';
import { queryRows } from './database';
import type { ReachIndex } from '../reach-index';
import { REGION_COLUMN, whereRecords, type ResolvedFilters } from './filters';
import { coverage, coverageStatus, gap, per, type CoverageStatus } from './metrics';
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

/** Regions of the level, restricted to a parent region when one is given. */
function regionScope(level: Level, parent: ChoroplethOptions['parent']): Sql {
  const levelSql = sql`r.level = ${level}`;
  if (!parent) return levelSql;
  return sql`${levelSql} AND r.${raw(REGION_COLUMN[parent.level])} = ${parent.code}`;
}

/** Cumulative COVID-19 positives per kelurahan on the latest reported day up to `to`. */
function covidAsOf(to: string): Sql {
  return sql`SELECT kelurahan_code, positive FROM covid_daily
             WHERE date = (SELECT max(date) FROM covid_daily WHERE date <= ${to}::DATE)`;
}

/**
 * One row per region of the level (also those with no aid). Packages come from the rollup,
 * households reached from the reach index (distinct households, each counted at its home region,
 * so parents are not sums of their children's ratios).
 */
export async function queryChoropleth(
  conn: DuckDBConnection,
  reach: ReachIndex,
  f: ResolvedFilters,
  options: ChoroplethOptions,
): Promise<ChoroplethRow[]> {
  const col = raw(REGION_COLUMN[options.level]);
  // COVID-19 is reported per kelurahan; an RW shows its kelurahan's rate.
  const covidKey = options.level === 'rw' ? raw('r.kelurahan_code') : raw('r.code');
  const covidGroup =
    options.level === 'rw' || options.level === 'kelurahan'
      ? raw('kelurahan_code')
      : raw(`left(kelurahan_code, ${options.level === 'kota' ? 5 : 8})`);
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    sql`
      WITH pk AS (
        SELECT ${col} AS code,
               sum(packages)::DOUBLE AS packages,
               coalesce(sum(packages) FILTER (aid_type = 'sembako'::aid_type_t), 0)::DOUBLE AS sembako,
               coalesce(sum(packages) FILTER (aid_type = 'siap_saji'::aid_type_t), 0)::DOUBLE AS siap_saji,
               coalesce(sum(packages) FILTER (aid_type = 'lebaran'::aid_type_t), 0)::DOUBLE AS lebaran,
               coalesce(sum(packages) FILTER (aid_type = 'thr'::aid_type_t), 0)::DOUBLE AS thr,
               sum(records)::DOUBLE AS records
        FROM rollup_rw_day
        WHERE ${whereRecords(f)}
        GROUP BY 1
      ),
      covid AS (
        SELECT ${covidGroup} AS code, sum(positive)::INTEGER AS positive
        FROM (${covidAsOf(f.to)}) GROUP BY 1
      ),
      covid_base AS (
        SELECT code, population FROM regions WHERE level = 'kelurahan'
      )
      SELECT r.code, r.name, r.parent_code, r.need, r.households, r.population, r.modelled,
             coalesce(pk.packages, 0) AS packages,
             coalesce(pk.sembako, 0) AS sembako, coalesce(pk.siap_saji, 0) AS siap_saji,
             coalesce(pk.lebaran, 0) AS lebaran, coalesce(pk.thr, 0) AS thr,
             coalesce(pk.records, 0) AS records,
             covid.positive AS covid_positive,
             ${options.level === 'rw' ? raw('cb.population') : raw('r.population')} AS covid_population
      FROM regions r
      LEFT JOIN pk ON pk.code = r.code
      LEFT JOIN covid ON covid.code = ${covidKey}
      LEFT JOIN covid_base cb ON cb.code = r.kelurahan_code
      WHERE ${regionScope(options.level, options.parent)}
      ORDER BY r.code`,
  );
  const households = reach.byRegion(reach.reach(f, null), options.level);
  return rows.map((r) => {
    const need = Number(r.need);
    const reached = households.get(String(r.code)) ?? 0;
    const packages = Number(r.packages);
    const population = Number(r.population);
    const covid = r.covid_positive === null ? null : Number(r.covid_positive);
    return {
      code: String(r.code),
      name: String(r.name),
      parent_code: (r.parent_code as string | null) ?? null,
      need,
      households: Number(r.households),
      population,
      packages,
      packages_by_type: {
        sembako: Number(r.sembako),
        siap_saji: Number(r.siap_saji),
        lebaran: Number(r.lebaran),
        thr: Number(r.thr),
      },
      records: Number(r.records),
      households_reached: reached,
      coverage: coverage(reached, need),
      gap: gap(reached, need),
      status: coverageStatus(reached, need, options.threshold),
      packages_per_100_need: per(packages, need, 100),
      packages_per_1000_residents: per(packages, population, 1000),
      // An RW has no case count of its own; it shows its kelurahan's rate only.
      covid_positive: options.level === 'rw' ? null : covid,
      covid_per_10k: covid === null ? null : per(covid, Number(r.covid_population), 10_000),
      modelled: Boolean(r.modelled),
    };
  });
}
