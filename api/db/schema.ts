import type { DuckDBConnection } from '@duckdb/node-api';
import { execute, queryRows } from './database';
import { raw, sql } from './sql';

/**
 * The map rollup: packages and records per RW (or kelurahan, for records outside every RW
 * polygon), day and every filter dimension. Kept in step with every commit by deltas.
 */
export const ROLLUP_KEYS =
  'date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type, recipient_type, status';

/** Rebuilds the rollup from the raw records (after a bulk load; the records are the truth). */
export async function rebuildRollups(conn: DuckDBConnection): Promise<void> {
  await conn.run(`
    DELETE FROM rollup_rw_day;
    INSERT INTO rollup_rw_day
    SELECT ${ROLLUP_KEYS}, sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
    FROM distributions
    GROUP BY ALL
    ORDER BY date, rw_code;`);
}

export async function setMeta(conn: DuckDBConnection, key: string, value: string): Promise<void> {
  await execute(conn, sql`INSERT OR REPLACE INTO meta VALUES (${key}, ${value})`);
}

export async function getMeta(conn: DuckDBConnection, key: string): Promise<string | null> {
  const rows = await queryRows<{ value: string }>(
    conn,
    sql`SELECT value FROM meta WHERE key = ${key}`,
  );
  return rows[0]?.value ?? null;
}

/** Tables whose content defines the dataset (rollups are derived, meta is bookkeeping). */
export const DATA_TABLES = [
  'regions',
  'covid_daily',
  'aggregators',
  'households',
  'institutions',
  'distributions',
  'batches',
] as const;

/** Order-independent content hash of a table, for determinism checks. */
export async function tableHash(
  conn: DuckDBConnection,
  table: (typeof DATA_TABLES)[number],
): Promise<string> {
  const rows = await queryRows<{ h: string; n: number }>(
    conn,
    sql`SELECT coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS h, count(*)::INTEGER AS n FROM ${raw(table)} t`,
  );
  return `${rows[0]?.n}:${rows[0]?.h}`;
}
