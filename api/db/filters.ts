import {
  AID_TYPES,
  type AggregatorSlug,
  type AidType,
  type Level,
  type RecipientType,
  type RecordStatus,
} from '../domain';
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

/** `column IN (…)` with the values cast to the column's ENUM type, so the column is never cast. */
function inList(column: string, enumType: string, values: readonly string[]): Sql {
  return sql`${raw(column)} IN (${joinSql(
    values.map((v) => sql`${v}::${raw(enumType)}`),
    ', ',
  )})`;
}

/** WHERE clause over distributions or rollups (both carry the same filter columns). */
export function whereRecords(f: ResolvedFilters, alias = ''): Sql {
  const col = (name: string) => `${alias ? `${alias}.` : ''}${name}`;
  const parts: Sql[] = [
    sql`${raw(col('date'))} BETWEEN ${f.from}::DATE AND ${f.to}::DATE`,
    inList(col('status'), 'record_status_t', f.statuses),
  ];
  if (f.aidTypes.length) parts.push(inList(col('aid_type'), 'aid_type_t', f.aidTypes));
  if (f.aggregators.length) parts.push(inList(col('aggregator'), 'aggregator_t', f.aggregators));
  if (f.recipientTypes.length)
    parts.push(inList(col('recipient_type'), 'recipient_type_t', f.recipientTypes));
  if (f.area) parts.push(sql`${raw(col(REGION_COLUMN[f.area.level]))} = ${f.area.code}`);
  return joinSql(parts, ' AND ');
}

/** Rollup columns: packages per aid type and records (aggregates over rollup_rw_day). */
export const PACKAGE_COLUMNS: Sql = raw(
  [
    ...AID_TYPES.map(
      (t) => `coalesce(sum(packages) FILTER (aid_type = '${t}'::aid_type_t), 0)::DOUBLE AS ${t}`,
    ),
    'coalesce(sum(records), 0)::DOUBLE AS records',
  ].join(',\n'),
);
