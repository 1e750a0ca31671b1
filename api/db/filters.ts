import type { AggregatorSlug, AidType, Level, RecipientType, RecordStatus } from '../domain';
import { joinSql, raw, sql, type Sql } from './sql';

/** Filters after validation and defaulting: every field has a definite value. */
export interface ResolvedFilters {
  from: string;
  to: string;
  aidTypes: AidType[];
  aggregators: AggregatorSlug[];
  recipientTypes: RecipientType[];
  area: { code: string; level: Level } | null;
  statuses: RecordStatus[];
}

/** Column holding a record's region code at each level (allow-list for identifiers). */
export const REGION_COLUMN: Record<Level, string> = {
  kota: 'kota_code',
  kecamatan: 'kecamatan_code',
  kelurahan: 'kelurahan_code',
  rw: 'rw_code',
};

function inList(column: string, values: readonly string[]): Sql {
  return sql`${raw(column)} IN (${joinSql(
    values.map((v) => sql`${v}`),
    ', ',
  )})`;
}

/** WHERE clause over distributions or rollups (both carry the same filter columns). */
export function whereRecords(f: ResolvedFilters, alias = ''): Sql {
  const col = (name: string) => `${alias ? `${alias}.` : ''}${name}`;
  const parts: Sql[] = [
    sql`${raw(col('date'))} BETWEEN ${f.from}::DATE AND ${f.to}::DATE`,
    inList(col('status'), f.statuses),
  ];
  if (f.aidTypes.length) parts.push(inList(col('aid_type'), f.aidTypes));
  if (f.aggregators.length) parts.push(inList(col('aggregator'), f.aggregators));
  if (f.recipientTypes.length) parts.push(inList(col('recipient_type'), f.recipientTypes));
  if (f.area) parts.push(sql`${raw(col(REGION_COLUMN[f.area.level]))} = ${f.area.code}`);
  return joinSql(parts, ' AND ');
}

/** RW indexes (regions.rw_idx) inside the filter's area. */
export function rwIndexesInArea(area: NonNullable<ResolvedFilters['area']>): Sql {
  return area.level === 'rw'
    ? sql`SELECT rw_idx FROM regions WHERE code = ${area.code}`
    : sql`SELECT rw_idx FROM regions WHERE level = 'rw' AND ${raw(REGION_COLUMN[area.level])} = ${area.code}`;
}

/**
 * Households with at least one matching record whose home RW lies in the filter's area: one row
 * each, with the date of its first matching record and its home RW index. Grouping by the INTEGER
 * id (instead of COUNT DISTINCT) lets DuckDB use a perfect hash table.
 */
export function reachedHouseholds(f: ResolvedFilters): Sql {
  if (f.recipientTypes.length && !f.recipientTypes.includes('household')) {
    return raw(
      'SELECT NULL::INTEGER AS household_id, NULL::DATE AS first_date, NULL::SMALLINT AS home_rw_idx WHERE false',
    );
  }
  const area = f.area ? sql`AND home_rw_idx IN (${rwIndexesInArea(f.area)})` : raw('');
  return sql`SELECT household_id, min(date) AS first_date, any_value(home_rw_idx) AS home_rw_idx
             FROM distributions
             WHERE ${whereRecords({ ...f, area: null })} AND household_id IS NOT NULL ${area}
             GROUP BY household_id`;
}

/** WHERE clause selecting the RWs inside the filter's area (all RWs when there is none). */
export function whereRws(f: ResolvedFilters, alias = ''): Sql {
  const col = (name: string) => `${alias ? `${alias}.` : ''}${name}`;
  const parts: Sql[] = [sql`${raw(col('level'))} = 'rw'`];
  if (f.area) {
    parts.push(
      f.area.level === 'rw'
        ? sql`${raw(col('code'))} = ${f.area.code}`
        : sql`${raw(col(REGION_COLUMN[f.area.level]))} = ${f.area.code}`,
    );
  }
  return joinSql(parts, ' AND ');
}
