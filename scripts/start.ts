/**
 * `npm start`: makes sure the default database and the client build are current, then serves the
 * app and its API on PORT (default 8787).
 */
import { startServer } from '../api/server';
import { DEFAULT_DB_PATH } from './lib/paths';
import { ensureClientBuild } from './build-client';
import { ensureDefaultDatabase } from './prepare-data';

const port = Number(process.env.PORT ?? 8787);
const dbPath = process.env.DB_PATH ?? DEFAULT_DB_PATH;
if (!process.env.DB_PATH) await ensureDefaultDatabase(dbPath);
if (!process.env.SKIP_CLIENT_BUILD) await ensureClientBuild();
const { close, ctx } = await startServer({
  dbPath,
  port,
  readOnly: process.env.DB_READ_ONLY === '1',
  mapStyleUrl: process.env.MAP_STYLE_URL || undefined,
});
console.log(
  `[server] Peta Kolaborasi on http://localhost:${port} (data ${ctx.version}, ${ctx.extent.from} – ${ctx.extent.to})`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void close().then(() => process.exit(0));
  });
}
