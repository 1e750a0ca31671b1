/** The only module with side effects: opens DuckDB and serves the API (and the built client). */
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { WEB_GEOJSON_DIR } from './paths';
import { loadContext } from './context';
import { openDatabase } from './db/database';
import { loadBoundaries } from './boundaries';
import { ReachIndex } from './reach-index';

export interface ServeOptions {
  dbPath: string;
  port: number;
  hostname?: string;
  readOnly?: boolean;
}

export async function startServer(options: ServeOptions) {
  const db = await openDatabase(options.dbPath, { readOnly: options.readOnly ?? false });
  const ctx = await loadContext(db);
  const app = createApp({
    db,
    ctx,
    boundaries: loadBoundaries(WEB_GEOJSON_DIR),
    reach: await ReachIndex.load(db),
  });
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
  return { server, close, ctx };
}
