import type { DataContext } from '../context';
import type { ReachIndex } from '../reach-index';
import type { Reader } from './database';

/** What an aggregate query reads: the store, the reach index and the region facts of one state. */
export interface QueryContext {
  db: Reader;
  reach: ReachIndex;
  ctx: DataContext;
  /** Runs independent work on a connection of its own, so several queries can overlap. */
  fork<T>(work: (q: QueryContext) => Promise<T>): Promise<T>;
}
