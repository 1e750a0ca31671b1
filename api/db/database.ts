import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Sql } from './sql';

export interface Database {
  /** Runs one unit of work on its own connection, closed afterwards. */
  withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  threads?: number;
}

/** One DuckDB instance per database file per process. */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<Database> {
  // Grouping records by INTEGER household id (about a million values) then fits DuckDB's perfect
  // hash aggregate, which makes distinct-household counts several times faster.
  const config: Record<string, string> = { perfect_ht_threshold: '22' };
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(file, config);
  return {
    async withConnection(work) {
      const conn = await instance.connect();
      try {
        return await work(conn);
      } finally {
        conn.closeSync();
      }
    },
    close() {
      instance.closeSync();
    },
  };
}

/** Rows as JSON-safe objects (bigints and decimals become numbers or strings by DuckDB's rules). */
export async function queryRows<T>(conn: DuckDBConnection, query: Sql): Promise<T[]> {
  const reader = await conn.runAndReadAll(query.text, [...query.values]);
  return reader.getRowObjectsJson() as unknown as T[];
}

export async function queryOne<T>(conn: DuckDBConnection, query: Sql): Promise<T> {
  const rows = await queryRows<T>(conn, query);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  return rows[0] as T;
}

export async function execute(conn: DuckDBConnection, query: Sql): Promise<void> {
  await conn.run(query.text, [...query.values]);
}
