import type { DuckDBConnection } from '@duckdb/node-api';
import { queryChoropleth, type ChoroplethOptions, type ChoroplethRow } from './choropleth';
import { queryRows } from './database';
import type { ReachIndex } from '../reach-index';
import type { ResolvedFilters } from './filters';
import { sql } from './sql';

export interface GapRow extends ChoroplethRow {
  rank: number;
  kelurahan_name: string | null;
  kecamatan_name: string | null;
  kota_name: string | null;
}

export interface GapOptions extends ChoroplethOptions {
  limit: number;
  minNeed: number;
}

/**
 * Uncovered and underserved regions (coverage below the threshold, need at least minNeed), ranked
 * by gap, largest first. Built on the choropleth rows so both answers always agree.
 */
export async function queryGaps(
  conn: DuckDBConnection,
  reach: ReachIndex,
  f: ResolvedFilters,
  options: GapOptions,
): Promise<{ total: number; rows: GapRow[] }> {
  const all = await queryChoropleth(conn, reach, f, options);
  const ranked = all
    .filter(
      (r) => r.need >= options.minNeed && (r.status === 'uncovered' || r.status === 'underserved'),
    )
    .sort((a, b) => b.gap - a.gap || a.code.localeCompare(b.code));
  const top = ranked.slice(0, options.limit);
  const names = await queryRows<{
    code: string;
    kel: string | null;
    kec: string | null;
    kota: string | null;
  }>(
    conn,
    sql`SELECT r.code, kel.name AS kel, kec.name AS kec, kota.name AS kota
        FROM regions r
        LEFT JOIN regions kel ON kel.code = r.kelurahan_code AND kel.code <> r.code
        LEFT JOIN regions kec ON kec.code = r.kecamatan_code AND kec.code <> r.code
        LEFT JOIN regions kota ON kota.code = r.kota_code AND kota.code <> r.code
        WHERE r.level = ${options.level}`,
  );
  const byCode = new Map(names.map((n) => [n.code, n]));
  return {
    total: ranked.length,
    rows: top.map((r, i) => {
      const n = byCode.get(r.code);
      return {
        ...r,
        rank: i + 1,
        kelurahan_name: n?.kel ?? null,
        kecamatan_name: n?.kec ?? null,
        kota_name: n?.kota ?? null,
      };
    }),
  };
}
