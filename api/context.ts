import type { Database } from './db/database';
import { queryOne, queryRows } from './db/database';
import { getMeta } from './db/schema';
import { sql } from './db/sql';
import type { Level } from './domain';

/** A region's fixed facts (they change only with a new data version). */
export interface RegionFacts {
  code: string;
  level: Level;
  name: string;
  parent_code: string | null;
  kota_code: string;
  kecamatan_code: string | null;
  kelurahan_code: string | null;
  need: number;
  households: number;
  population: number;
  modelled: boolean;
}

/** Facts about the loaded data that every request needs; refreshed after each ingest. */
export interface DataContext {
  version: string;
  extent: { from: string; to: string };
  regions: Map<string, RegionFacts>;
  /** Regions of each level, ordered by code. */
  byLevel: Record<Level, RegionFacts[]>;
}

/** Whether a region lies inside (or is) another one. */
export function isWithin(r: RegionFacts, area: { code: string; level: Level }): boolean {
  if (r.code === area.code) return true;
  if (area.level === 'kota') return r.kota_code === area.code;
  if (area.level === 'kecamatan') return r.kecamatan_code === area.code;
  if (area.level === 'kelurahan') return r.kelurahan_code === area.code && r.level === 'rw';
  return false;
}

export async function loadContext(db: Database): Promise<DataContext> {
  return db.withConnection(async (conn) => {
    const extent = await queryOne<{ from: string | null; to: string | null }>(
      conn,
      sql`SELECT min(date)::VARCHAR AS "from", max(date)::VARCHAR AS "to" FROM distributions`,
    );
    const regions = await queryRows<RegionFacts>(
      conn,
      sql`SELECT code, level::VARCHAR AS level, name, parent_code, kota_code, kecamatan_code, kelurahan_code,
                 need, households, population, modelled
          FROM regions ORDER BY code`,
    );
    const byLevel: Record<Level, RegionFacts[]> = {
      kota: [],
      kecamatan: [],
      kelurahan: [],
      rw: [],
    };
    for (const r of regions) byLevel[r.level].push(r);
    return {
      version: (await getMeta(conn, 'data_version')) ?? 'unknown',
      extent: { from: extent.from ?? '2020-04-24', to: extent.to ?? '2020-05-27' },
      regions: new Map(regions.map((r) => [r.code, r])),
      byLevel,
    };
  });
}
