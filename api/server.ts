/** The only module with side effects: opens DuckDB, brings it forward and serves the API. */
import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { demoPrincipals } from './auth/demo';
import { openDatabase } from './db/database';
import { appliedVersions, migrate, migrations } from './db/migrate';
import { loadDeps } from './deps';
import { duplicateWindowDays, productionProblems } from './settings';

export interface ServeOptions {
  dbPath: string;
  port: number;
  hostname?: string;
  readOnly?: boolean;
  mapStyleUrl?: string;
  log?: (message: string) => void;
}

export async function startServer(options: ServeOptions) {
  const log = options.log ?? console.log;
  const problems = productionProblems();
  if (problems.length) throw new Error(`refusing to start in production: ${problems.join('; ')}`);
  duplicateWindowDays(); // a bad setting stops the start, not each request
  // DuckDB would create an empty database at a missing path: a mistyped DB_PATH must fail instead.
  if (!existsSync(options.dbPath)) throw new Error(`no database at ${options.dbPath}`);
  const db = await openDatabase(options.dbPath, { readOnly: options.readOnly ?? false });
  try {
    await db.withConnection(async (conn) => {
      if (!options.readOnly) {
        await migrate(conn, log);
        return;
      }
      const latest = migrations().at(-1)?.version ?? 0;
      if (((await appliedVersions(conn)).at(-1) ?? 0) < latest)
        throw new Error('the database needs migrations; open it read-write once');
    });
    const deps = await loadDeps(db);
    const app = createApp({ ...deps, mapStyleUrl: options.mapStyleUrl });
    if (deps.demoTokens) {
      const names = [...demoPrincipals(deps.holder.current.ctx).keys()];
      log(`[auth] demo dataset outside production: demo tokens work (${names.join(', ')})`);
    }
    const server = serve({
      fetch: app.fetch,
      port: options.port,
      hostname: options.hostname ?? '0.0.0.0',
    });
    const close = () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          void db.close().then(resolve);
        });
      });
    return { server, close, holder: deps.holder };
  } catch (err) {
    await db.close();
    throw err;
  }
}
