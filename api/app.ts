import { Hono } from 'hono';
import type { DataContext } from './context';
import type { Database } from './db/database';
import type { AppEnv } from './env';
import { handleError, handleNotFound } from './errors';
import { health } from './routes/health';
import { summary } from './routes/summary';

export interface AppDeps {
  db: Database;
  ctx: DataContext;
}

/** Builds the HTTP app without listening, so tests and the server share it. */
export function createApp(deps: AppDeps) {
  const api = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('db', deps.db);
      c.set('ctx', deps.ctx);
      await next();
    })
    .route('/health', health)
    .route('/summary', summary);

  const app = new Hono<AppEnv>().route('/api', api);
  app.onError(handleError);
  app.notFound(handleNotFound);
  api.onError(handleError);
  api.notFound(handleNotFound);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
