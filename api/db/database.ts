import { statSync } from 'node:fs';
import {
  DuckDBInstance,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Sql } from './sql';

/**
 * The store's narrow interface: queries in, JSON-safe rows out. Routes and queries see only this,
 * so another engine can take DuckDB's place behind it (DESIGN section 7).
 */
export interface Reader {
  rows<T>(query: Sql): Promise<T[]>;
  one<T>(query: Sql): Promise<T>;
  /** Streams a query's columns chunk by chunk, for loaders of in-memory indexes. */
  chunks(query: Sql, onChunk: (columns: unknown[][], rowCount: number) => void): Promise<void>;
}

/** A unit of work inside one transaction on the writer connection. */
export interface Tx extends Reader {
  run(query: Sql): Promise<void>;
  /** Appends rows to a table of this transaction (a temporary one with `temp: true`). */
  append(
    table: string,
    rows: Iterable<readonly DuckDBValue[]>,
    options?: { temp?: boolean },
  ): Promise<number>;
}

export interface ReadOptions {
  /** When it aborts, the running query is interrupted and no further query starts. */
  signal?: AbortSignal;
}

export interface Database {
  readonly file: string;
  readonly readOnly: boolean;
  /** A read unit on a connection of its own; it sees the last committed state. */
  read<T>(work: (r: Reader) => Promise<T>, options?: ReadOptions): Promise<T>;
  /**
   * Runs `work` inside BEGIN … COMMIT on the one writer connection, one unit at a time in
   * arrival order. Resolves only after COMMIT returned (the WAL is synced by then); any error
   * rolls the whole unit back. `publish` runs after COMMIT and before the next unit starts, so
   * in-memory state follows commits in commit order.
   */
  write<T>(work: (tx: Tx) => Promise<T>, publish?: (value: T) => void): Promise<T>;
  /** Raw DuckDB access for build scripts and loaders; never for routes. */
  withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readOnly?: boolean;
  threads?: number;
}

/** Refuses to start a query once the read's signal has aborted. */
function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('the read was stopped');
}

function readerOf(conn: DuckDBConnection, signal?: AbortSignal): Reader {
  const rows = async <T>(query: Sql): Promise<T[]> => {
    checkSignal(signal);
    const reader = await conn.runAndReadAll(query.text, [...query.values]);
    return reader.getRowObjectsJson() as unknown as T[];
  };
  return {
    rows,
    async one<T>(query: Sql): Promise<T> {
      const result = await rows<T>(query);
      if (result.length !== 1) throw new Error(`expected one row, got ${result.length}`);
      return result[0] as T;
    },
    async chunks(query, onChunk) {
      checkSignal(signal);
      const result = await conn.stream(query.text, [...query.values]);
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        const columns: unknown[][] = [];
        for (let i = 0; i < chunk.columnCount; i++) columns.push(chunk.getColumnValues(i));
        onChunk(columns, chunk.rowCount);
      }
    },
  };
}

function appendValue(appender: DuckDBAppender, value: DuckDBValue): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (typeof value === 'string') appender.appendVarchar(value);
  else if (typeof value === 'number') {
    if (Number.isInteger(value)) appender.appendBigInt(BigInt(value));
    else appender.appendDouble(value);
  } else if (typeof value === 'bigint') appender.appendBigInt(value);
  else if (typeof value === 'boolean') appender.appendBoolean(value);
  else appender.appendValue(value);
}

function txOf(conn: DuckDBConnection): Tx {
  return {
    ...readerOf(conn),
    async run(query) {
      await conn.run(query.text, [...query.values]);
    },
    async append(table, rows, options = {}) {
      const appender = await conn.createAppender(table, 'main', options.temp ? 'temp' : null);
      let n = 0;
      try {
        for (const row of rows) {
          for (const v of row) appendValue(appender, v);
          appender.endRow();
          n++;
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      return n;
    },
  };
}

/**
 * When the WAL is checkpointed into the database file. DuckDB would do it inside the COMMIT that
 * takes the WAL past 16 MB, so the upload that happens to cross it waits a second more and the
 * map's reads slow down meanwhile. Instead the write queue checkpoints once it has nothing else to
 * do (COMMIT has made every acknowledged unit durable in the WAL already), or between units when
 * writes never pause; DuckDB's own threshold stays as the last resort.
 */
const CHECKPOINT = {
  /** WAL size at which an idle writer checkpoints. */
  idleBytes: 1024 * 1024,
  /** WAL size at which the writer checkpoints between units even with more waiting. */
  busyBytes: 128 * 1024 * 1024,
  /** DuckDB's automatic checkpoint at COMMIT. */
  duckdbThreshold: '512MB',
};

function walBytes(file: string): number {
  try {
    return statSync(`${file}.wal`).size;
  } catch {
    return 0;
  }
}

/** One DuckDB instance per database file per process. */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<Database> {
  // Grouping records by INTEGER household id (about a million values) then fits DuckDB's perfect
  // hash aggregate, which makes distinct-household counts several times faster.
  const config: Record<string, string> = { perfect_ht_threshold: '22' };
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  else config.checkpoint_threshold = CHECKPOINT.duckdbThreshold;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(file, config);
  let writer: DuckDBConnection | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Units waiting or running. */
  let waiting = 0;
  let checkpointQueued = false;

  const withConnection = async <T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    const conn = await instance.connect();
    try {
      return await work(conn);
    } finally {
      conn.closeSync();
    }
  };

  const unit = async <T>(work: (tx: Tx) => Promise<T>, publish?: (value: T) => void) => {
    if (closed) throw new Error('database closed');
    writer ??= await instance.connect();
    await writer.run('BEGIN TRANSACTION');
    let value: T;
    try {
      value = await work(txOf(writer));
    } catch (err) {
      await writer.run('ROLLBACK').catch(() => {});
      throw err;
    }
    try {
      await writer.run('COMMIT');
    } catch (err) {
      // A failed COMMIT leaves the transaction aborted: roll back so the connection is usable.
      await writer.run('ROLLBACK').catch(() => {});
      throw err;
    }
    publish?.(value);
    return value;
  };

  const checkpoint = async () => {
    checkpointQueued = false;
    if (closed || !writer) return;
    try {
      await writer.run('CHECKPOINT');
    } catch (err) {
      // Nothing is lost: the WAL keeps every committed unit until a later checkpoint succeeds.
      console.error('[db] checkpoint failed; the WAL keeps growing until one succeeds', err);
    }
  };

  /** After a unit: checkpoint when the writer is idle, or when the WAL has grown large. */
  const afterUnit = () => {
    if (checkpointQueued || closed || file === ':memory:') return;
    const wal = walBytes(file);
    if (wal >= CHECKPOINT.busyBytes || (waiting === 0 && wal >= CHECKPOINT.idleBytes)) {
      checkpointQueued = true;
      queue = queue.then(checkpoint);
    }
  };

  return {
    file,
    readOnly: options.readOnly ?? false,
    read: (work, { signal } = {}) =>
      withConnection(async (conn) => {
        checkSignal(signal);
        const stop = () => conn.interrupt();
        signal?.addEventListener('abort', stop, { once: true });
        try {
          return await work(readerOf(conn, signal));
        } finally {
          signal?.removeEventListener('abort', stop);
        }
      }),
    write(work, publish) {
      if (options.readOnly) return Promise.reject(new Error('the database is open read-only'));
      waiting++;
      const result = queue.then(() => unit(work, publish));
      queue = result
        .catch(() => {})
        .then(() => {
          waiting--;
          afterUnit();
        });
      return result;
    },
    withConnection,
    async close() {
      // Units (and a checkpoint) may be queued while waiting: wait until the queue stays put.
      for (let q = queue; ; q = queue) {
        await q;
        if (q === queue) break;
      }
      closed = true;
      writer?.closeSync();
      instance.closeSync();
    },
  };
}

/** Rows as JSON-safe objects, for scripts that hold a raw connection. */
export async function queryRows<T>(conn: DuckDBConnection, query: Sql): Promise<T[]> {
  return readerOf(conn).rows<T>(query);
}

export async function queryOne<T>(conn: DuckDBConnection, query: Sql): Promise<T> {
  return readerOf(conn).one<T>(query);
}

export async function execute(conn: DuckDBConnection, query: Sql): Promise<void> {
  await conn.run(query.text, [...query.values]);
}
