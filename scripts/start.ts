/**
 * `npm start`: makes sure the demo build, the live database and the client build exist and are
 * current, then serves the app and its API on HOST:PORT (default 127.0.0.1:8787). The live
 * database is never regenerated: it only moves forward through migrations (see
 * scripts/prepare-data.ts). SIGTERM or SIGINT stops it: no new connections, requests in flight
 * finish (until DRAIN_SECONDS), DuckDB is closed, the process exits.
 */
import { startServer } from '../api/server';
import { serverSettings } from '../api/http/server-settings';
import { LIVE_DB_PATH } from './lib/paths';
import { ensureClientBuild } from './build-client';
import { ensureDefaultDatabase, ensureLiveDatabase } from './prepare-data';

/** An error as one line: operators read it in a terminal or a journal, not a stack trace. */
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim();
}

const writeLine = (line: string) => process.stdout.write(`${line}\n`);

try {
  const settings = serverSettings();
  const dbPath = process.env.DB_PATH ?? LIVE_DB_PATH;
  if (!process.env.DB_PATH) {
    await ensureDefaultDatabase();
    await ensureLiveDatabase(dbPath);
  }
  if (!process.env.SKIP_CLIENT_BUILD) await ensureClientBuild();
  const { close, holder } = await startServer({
    dbPath,
    port: settings.port,
    hostname: settings.host,
    drainMs: settings.drainMs,
    cacheBytes: settings.cacheBytes,
    admission: settings.admission,
    readOnly: process.env.DB_READ_ONLY === '1',
    mapStyleUrl: process.env.MAP_STYLE_URL || undefined,
    accessLog: writeLine,
  });
  const { ctx, version } = holder.current;
  const shown = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  console.log(
    `[server] Peta Kolaborasi on http://${shown}:${settings.port} (data ${version}, ${ctx.extent.from} – ${ctx.extent.to})`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches this process and npm, which forwards it again: stop once.
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: draining requests in flight (at most ${settings.drainMs} ms)`);
    close().then(
      ({ timedOut, cache, admission }) => {
        console.log(
          JSON.stringify({
            time: new Date().toISOString(),
            event: 'stopped',
            drained: !timedOut,
            cache_entries: cache.entries,
            cache_bytes: cache.bytes,
            cache_max_bytes: cache.maxBytes,
            queries_refused: admission.refused,
            queries_timed_out: admission.timedOut,
          }),
        );
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`[server] stopping failed: ${oneLine(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(`[server] ${oneLine(err)}`);
  process.exit(1);
}
