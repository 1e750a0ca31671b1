import type { Database } from './db/database';
import { queryOne, queryRows } from './db/database';
import { getMeta } from './db/schema';
import { sql } from './db/sql';
import type { Level } from './domain';

/** Facts about the loaded data that every request needs; refreshed after each ingest. */
export interface DataContext {
  version: string;
  extent: { from: string; to: string };
  regions: Map<string, Level>;
}

export async function loadContext(db: Database): Promise<DataContext> {
  return db.withConnection(async (conn) => {
    const extent = await queryOne<{ from: string | null; to: string | null }>(
      conn,
      sql`SELECT min(date)::VARCHAR AS "from", max(date)::VARCHAR AS "to" FROM distributions`,
    );
    const regions = await queryRows<{ code: string; level: Level }>(
      conn,
      sql`SELECT code, level::VARCHAR AS level FROM regions`,
    );
    return {
      version: (await getMeta(conn, 'data_version')) ?? 'unknown',
      extent: { from: extent.from ?? '2020-04-24', to: extent.to ?? '2020-05-27' },
      regions: new Map(regions.map((r) => [r.code, r.level])),
    };
  });
}
