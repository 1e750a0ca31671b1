import type { DuckDBConnection } from '@duckdb/node-api';
import { AID_TYPES, type AidType } from '../domain';
import { queryRows } from './database';
import { reachedHouseholds, whereRecords, type ResolvedFilters } from './filters';
import { raw, sql } from './sql';

export type Interval = 'day' | 'week';

export interface TimePoint {
  /** First day of the bucket (weeks start on Monday). */
  date: string;
  packages: Record<'total' | AidType, number>;
  records: number;
  /** Households whose first matching record in the window falls in this bucket. */
  new_households: number;
  /** Distinct households reached from the start of the window to the end of this bucket. */
  households_reached: number;
}

/**
 * Packages per aid type per day or week, every bucket of the window present (zeros included).
 * With `cumulative`, packages are running totals; households_reached is always cumulative.
 */
export async function queryTimeseries(
  conn: DuckDBConnection,
  f: ResolvedFilters,
  interval: Interval,
  cumulative: boolean,
): Promise<TimePoint[]> {
  const bucket = (col: string) =>
    interval === 'week' ? raw(`date_trunc('week', ${col})::DATE`) : raw(`${col}::DATE`);
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    sql`
      WITH buckets AS (
        SELECT DISTINCT ${bucket('d')} AS bucket
        FROM generate_series(${f.from}::DATE, ${f.to}::DATE, INTERVAL 1 DAY) t(d)
      ),
      pk AS (
        SELECT ${bucket('date')} AS bucket,
               sum(packages)::DOUBLE AS total,
               coalesce(sum(packages) FILTER (aid_type = 'sembako'), 0)::DOUBLE AS sembako,
               coalesce(sum(packages) FILTER (aid_type = 'siap_saji'), 0)::DOUBLE AS siap_saji,
               coalesce(sum(packages) FILTER (aid_type = 'lebaran'), 0)::DOUBLE AS lebaran,
               coalesce(sum(packages) FILTER (aid_type = 'thr'), 0)::DOUBLE AS thr,
               sum(records)::DOUBLE AS records
        FROM rollup_rw_day WHERE ${whereRecords(f)} GROUP BY 1
      ),
      first_seen AS (
        SELECT ${bucket('x.first_date')} AS bucket, count(*)::DOUBLE AS n
        FROM (${reachedHouseholds(f)}) x
        GROUP BY 1
      )
      SELECT b.bucket::VARCHAR AS date,
             coalesce(pk.total, 0) AS total, coalesce(pk.sembako, 0) AS sembako,
             coalesce(pk.siap_saji, 0) AS siap_saji, coalesce(pk.lebaran, 0) AS lebaran,
             coalesce(pk.thr, 0) AS thr, coalesce(pk.records, 0) AS records,
             coalesce(fs.n, 0) AS new_households
      FROM buckets b LEFT JOIN pk USING (bucket) LEFT JOIN first_seen fs USING (bucket)
      ORDER BY b.bucket`,
  );
  const running: Record<string, number> = {};
  let households = 0;
  return rows.map((r) => {
    const value = (k: string) => {
      const v = Number(r[k]);
      running[k] = (running[k] ?? 0) + v;
      return cumulative ? running[k]! : v;
    };
    const packages = Object.fromEntries(
      ['total', ...AID_TYPES].map((k) => [k, value(k)]),
    ) as TimePoint['packages'];
    const fresh = Number(r.new_households);
    households += fresh;
    return {
      date: String(r.date),
      packages,
      records: value('records'),
      new_households: fresh,
      households_reached: households,
    };
  });
}
