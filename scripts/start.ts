/**
 * `npm start`: makes sure the demo build, the live database and the client build exist and are
 * current, then serves the app and its API on PORT (default 8787). The live database is never
 * regenerated: it only moves forward through migrations (see scripts/prepare-data.ts).
 */
import { startServer } from '../api/server';
import { LIVE_DB_PATH } from './lib/paths';
import { ensureClientBuild } from './build-client';
import { ensureDefaultDatabase, ensureLiveDatabase } from './prepare-data';

const port = Number(process.env.PORT ?? 8787);
const dbPath = process.env.DB_PATH ?? LIVE_DB_PATH;
try {
  if (!process.env.DB_PATH) {
    await ensureDefaultDatabase();
    await ensureLiveDatabase(dbPath);
  }
  if (!process.env.SKIP_CLIENT_BUILD) await ensureClientBuild();
  const { close, holder } = await startServer({
    dbPath,
    port,
    readOnly: process.env.DB_READ_ONLY === '1',
    mapStyleUrl: process.env.MAP_STYLE_URL || undefined,
  });
  const { ctx, version } = holder.current;
  console.log(
    `[server] Peta Kolaborasi on http://localhost:${port} (data ${version}, ${ctx.extent.from} – ${ctx.extent.to})`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
} catch (err) {
  console.error(`[server] ${(err as Error).message}`);
  process.exit(1);
}
