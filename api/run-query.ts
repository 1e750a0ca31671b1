import type { Context } from 'hono';
import type { QueryContext } from './db/query-context';
import type { AppEnv } from './env';

/** Runs an aggregate query on its own connection over the request's state snapshot. */
export function runQuery<T>(c: Context<AppEnv>, work: (q: QueryContext) => Promise<T>): Promise<T> {
  const { reach, ctx } = c.var.state;
  const fork = <U>(inner: (q: QueryContext) => Promise<U>): Promise<U> =>
    c.var.db.read((db) => inner({ db, reach, ctx, fork }));
  return fork(work);
}
