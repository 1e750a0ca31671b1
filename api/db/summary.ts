import type { DuckDBConnection } from '@duckdb/node-api';
import { AID_TYPES, INSTITUTION_TYPES, type AidType } from '../domain';
import { queryOne } from './database';
import { whereRecords, whereRws, type ResolvedFilters } from './filters';
import type { ReachIndex } from '../reach-index';
import { coverage, gap, per } from './metrics';
import { joinSql, sql } from './sql';

export interface Summary {
  packages: Record<'total' | AidType, number>;
  households_reached: number;
  areas_reached: { kota: number; kecamatan: number; kelurahan: number; rw: number };
  institutions_reached: number;
  aggregators_active: number;
  records: number;
  first_date: string | null;
  last_date: string | null;
  need: number;
  population: number;
  coverage: number | null;
  gap: number;
  packages_per_100_need: number | null;
}

export async function querySummary(
  conn: DuckDBConnection,
  reach: ReachIndex,
  f: ResolvedFilters,
): Promise<Summary> {
  // Packages, areas and aggregators from the rollup; distinct institutions from the raw records and
  // distinct households from the reach index (neither can be summed across rollup rows).
  const row = await queryOne<Record<string, number | string | null>>(
    conn,
    sql`
      SELECT coalesce(sum(packages), 0)::DOUBLE AS total,
             coalesce(sum(packages) FILTER (aid_type = 'sembako'::aid_type_t), 0)::DOUBLE AS sembako,
             coalesce(sum(packages) FILTER (aid_type = 'siap_saji'::aid_type_t), 0)::DOUBLE AS siap_saji,
             coalesce(sum(packages) FILTER (aid_type = 'lebaran'::aid_type_t), 0)::DOUBLE AS lebaran,
             coalesce(sum(packages) FILTER (aid_type = 'thr'::aid_type_t), 0)::DOUBLE AS thr,
             count(DISTINCT kota_code)::INTEGER AS kota,
             count(DISTINCT kecamatan_code)::INTEGER AS kecamatan,
             count(DISTINCT kelurahan_code)::INTEGER AS kelurahan,
             count(DISTINCT rw_code)::INTEGER AS rw,
             count(DISTINCT aggregator)::INTEGER AS aggregators_active,
             coalesce(sum(records), 0)::DOUBLE AS records,
             min(date)::VARCHAR AS first_date,
             max(date)::VARCHAR AS last_date
      FROM rollup_rw_day
      WHERE ${whereRecords(f)}`,
  );
  const institutions = await queryOne<{ n: number }>(
    conn,
    sql`SELECT (SELECT count(DISTINCT institution_id) FROM distributions
                WHERE ${whereRecords(f)}
                  AND recipient_type IN (${joinSql(
                    INSTITUTION_TYPES.map((t) => sql`${t}`),
                    ', ',
                  )}))::INTEGER AS n`,
  );
  const area = await queryOne<{ need: number; population: number }>(
    conn,
    sql`SELECT coalesce(sum(need), 0)::INTEGER AS need, coalesce(sum(population), 0)::INTEGER AS population
        FROM regions WHERE ${whereRws(f)}`,
  );
  const n = (k: string) => Number(row[k] ?? 0);
  const packages = Object.fromEntries(AID_TYPES.map((t) => [t, n(t)])) as Record<AidType, number>;
  const reached = reach.reach(f, reach.rwsIn(f.area)).total;
  return {
    packages: { total: n('total'), ...packages },
    households_reached: reached,
    areas_reached: {
      kota: n('kota'),
      kecamatan: n('kecamatan'),
      kelurahan: n('kelurahan'),
      rw: n('rw'),
    },
    institutions_reached: institutions.n,
    aggregators_active: n('aggregators_active'),
    records: n('records'),
    first_date: (row.first_date as string | null) ?? null,
    last_date: (row.last_date as string | null) ?? null,
    need: area.need,
    population: area.population,
    coverage: coverage(reached, area.need),
    gap: gap(reached, area.need),
    packages_per_100_need: per(n('total'), area.need, 100),
  };
}
