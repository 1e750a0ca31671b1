import type { Reader } from './database';
import type { InstitutionType } from '../domain';
import { whereRecords, type ResolvedFilters } from './filters';
import { joinSql, sql, type Sql } from './sql';

export interface InstitutionRow {
  institution_id: number;
  type: InstitutionType;
  name: string;
  rw_code: string;
  lon: number;
  lat: number;
  illustrative: boolean;
  packages: number;
  records: number;
}

/** Institutions (optionally of some types, inside the filter's area) with the aid they received. */
export async function queryInstitutions(
  db: Reader,
  f: ResolvedFilters,
  types: readonly InstitutionType[],
): Promise<InstitutionRow[]> {
  const where: Sql[] = [sql`true`];
  if (types.length)
    where.push(
      sql`i.type IN (${joinSql(
        types.map((t) => sql`${t}`),
        ', ',
      )})`,
    );
  if (f.area)
    where.push(sql`(i.rw_code = ${f.area.code} OR starts_with(i.rw_code, ${`${f.area.code}.`}))`);
  const received = { ...f, area: null, recipientTypes: [] };
  const rows = await db.rows<Record<string, unknown>>(sql`
      WITH aid AS (
        SELECT institution_id, sum(quantity)::DOUBLE AS packages, count(*)::INTEGER AS records
        FROM distributions
        WHERE institution_id IS NOT NULL AND ${whereRecords(received)}
        GROUP BY 1
      )
      SELECT i.institution_id, i.type::VARCHAR AS type, i.name, i.rw_code, i.lon, i.lat, i.illustrative,
             coalesce(aid.packages, 0) AS packages, coalesce(aid.records, 0) AS records
      FROM institutions i LEFT JOIN aid USING (institution_id)
      WHERE ${joinSql(where, ' AND ')}
      ORDER BY i.institution_id`);
  return rows.map((r) => ({
    institution_id: Number(r.institution_id),
    type: r.type as InstitutionType,
    name: String(r.name),
    rw_code: String(r.rw_code),
    lon: Number(r.lon),
    lat: Number(r.lat),
    illustrative: Boolean(r.illustrative),
    packages: Number(r.packages),
    records: Number(r.records),
  }));
}
