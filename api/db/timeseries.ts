import { AID_TYPES, type AidType } from '../domain';
import type { QueryContext } from './query-context';
import { PACKAGE_COLUMNS, whereRecords, type ResolvedFilters } from './filters';
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
  { db, reach }: QueryContext,
  f: ResolvedFilters,
  interval: Interval,
  cumulative: boolean,
): Promise<TimePoint[]> {
  const bucket = (col: string) =>
    interval === 'week' ? raw(`date_trunc('week', ${col})::DATE`) : raw(`${col}::DATE`);
  // DuckDB works on its own threads: count households in JS meanwhile.
  const rowsQuery = db.rows<Record<string, unknown>>(sql`
      WITH buckets AS (
        SELECT DISTINCT ${bucket('d')} AS bucket
        FROM generate_series(${f.from}::DATE, ${f.to}::DATE, INTERVAL 1 DAY) t(d)
      ),
      pk AS (
        SELECT ${bucket('date')} AS bucket,
               ${PACKAGE_COLUMNS}
        FROM rollup_rw_day WHERE ${whereRecords(f)} GROUP BY 1
      )
      SELECT b.bucket::VARCHAR AS date, pk.*
      FROM buckets b LEFT JOIN pk USING (bucket)
      ORDER BY b.bucket`);
  // New households per bucket: first matching record per household, from the reach index.
  const { newPerDay } = reach.reach(f, reach.homesIn(f.area));
  const rows = await rowsQuery;
  const fromDay = Math.round(Date.parse(`${f.from}T00:00:00Z`) / 86_400_000);
  const newPerBucket = new Map<string, number>();
  newPerDay.forEach((n, i) => {
    if (n === 0) return;
    const day = new Date((fromDay + i) * 86_400_000);
    if (interval === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    const key = day.toISOString().slice(0, 10);
    newPerBucket.set(key, (newPerBucket.get(key) ?? 0) + n);
  });
  const running: Record<string, number> = {};
  let households = 0;
  return rows.map((r) => {
    const value = (k: string) => {
      const v =
        k === 'total' ? AID_TYPES.reduce((t, a) => t + Number(r[a] ?? 0), 0) : Number(r[k] ?? 0);
      running[k] = (running[k] ?? 0) + v;
      return cumulative ? running[k]! : v;
    };
    const packages = Object.fromEntries(
      ['total', ...AID_TYPES].map((k) => [k, value(k)]),
    ) as TimePoint['packages'];
    const fresh = newPerBucket.get(String(r.date)) ?? 0;
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
