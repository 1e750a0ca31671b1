/** The only module with side effects: opens DuckDB and serves the API (and the built client). */
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openDatabase } from './db/database';
import { loadDeps } from './deps';

export interface ServeOptions {
  dbPath: string;
  port: number;
  hostname?: string;
  readOnly?: boolean;
  mapStyleUrl?: string;
}

export async function startServer(options: ServeOptions) {
  const db = await openDatabase(options.dbPath, { readOnly: options.readOnly ?? false });
  const deps = await loadDeps(db);
  const app = createApp({ ...deps, mapStyleUrl: options.mapStyleUrl });
  const server = serve({
    fetch: app.fetch,
    port: options.port,
    hostname: options.hostname ?? '0.0.0.0',
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        db.close();
        resolve();
      });
    });
  return { server, close, ctx: deps.ctx };
}
