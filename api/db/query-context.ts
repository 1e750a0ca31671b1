import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataContext } from '../context';
import type { ReachIndex } from '../reach-index';

/** What an aggregate query reads: a DuckDB connection, the reach index and the region facts. */
export interface QueryContext {
  conn: DuckDBConnection;
  reach: ReachIndex;
  ctx: DataContext;
  /** Runs independent work on a connection of its own, so several queries can overlap. */
  fork<T>(work: (q: QueryContext) => Promise<T>): Promise<T>;
}
