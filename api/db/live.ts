import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './database';
import { sql } from './sql';

/**
 * Whether anything was ever written to this database through the platform (every write appends to
 * the audit log in the same transaction). Such a database is live data: never rebuilt or replaced.
 */
export async function hasLiveWrites(conn: DuckDBConnection): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    conn,
    sql`SELECT (SELECT count(*) FROM audit_log)::INTEGER AS n`,
  );
  return (rows[0]?.n ?? 0) > 0;
}
