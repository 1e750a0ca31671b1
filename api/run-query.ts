import type { Context } from 'hono';
import type { QueryContext } from './db/query-context';
import type { AppEnv } from './env';

/** Runs an aggregate query on its own connection with the reach index and region facts. */
export function runQuery<T>(c: Context<AppEnv>, work: (q: QueryContext) => Promise<T>): Promise<T> {
  const fork = <U>(inner: (q: QueryContext) => Promise<U>): Promise<U> =>
    c.var.db.withConnection((conn) => inner({ conn, reach: c.var.reach, ctx: c.var.ctx, fork }));
  return fork(work);
}
