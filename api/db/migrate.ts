import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './database';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered SQL files in api/db/migrations, in order. */
export function migrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d{3})-(.+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      version: Number(m[1]),
      name: m[2]!,
      sql: readFileSync(path.join(dir, m[0]), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

async function tableExists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(conn, {
    text: `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`,
    values: [name],
  });
  return (rows[0]?.n ?? 0) > 0;
}

export async function appliedVersions(conn: DuckDBConnection): Promise<number[]> {
  if (!(await tableExists(conn, 'schema_migrations'))) return [];
  const rows = await queryRows<{ version: number }>(conn, {
    text: 'SELECT version FROM schema_migrations ORDER BY version',
    values: [],
  });
  return rows.map((r) => r.version);
}

/**
 * Brings a database forward: each pending migration runs in its own transaction and is recorded
 * in schema_migrations. A database built before migrations existed (it has the baseline tables but
 * no schema_migrations) counts as being at version 1. Migrations only move forward.
 */
export async function migrate(
  conn: DuckDBConnection,
  log: (message: string) => void = () => {},
): Promise<Migration[]> {
  const all = migrations();
  const baselineTables = await tableExists(conn, 'distributions');
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
  let applied = await appliedVersions(conn);
  if (applied.length === 0 && baselineTables) {
    await conn.run(`INSERT INTO schema_migrations VALUES (1, 'baseline', now())`);
    applied = [1];
  }
  const latest = all.at(-1)?.version ?? 0;
  const newest = applied.at(-1) ?? 0;
  if (newest > latest) {
    throw new Error(
      `the database is at schema version ${newest}, newer than this code (${latest}); run a newer release`,
    );
  }
  const pending = all.filter((m) => !applied.includes(m.version));
  for (const m of pending) {
    log(`[db] applying migration ${String(m.version).padStart(3, '0')}-${m.name}`);
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(m.sql);
      await conn.run('INSERT INTO schema_migrations VALUES (?, ?, now())', [m.version, m.name]);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => {});
      throw new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return pending;
}
