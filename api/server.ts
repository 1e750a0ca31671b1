/** The only module with side effects: opens DuckDB, brings it forward and serves the API. */
import { accessSync, constants, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, DATA_CACHE_CONTROL } from './app';
import { demoPrincipals } from './auth/demo';
import { DEFAULT_CACHE_BYTES, responseCache, type CacheStats } from './cache';
import { openDatabase, type Database } from './db/database';
import { appliedVersions, migrate, migrations } from './db/migrate';
import { loadDeps } from './deps';
import { Admission, type AdmissionLimits, type AdmissionStats } from './http/admission';
import { DEFAULT_DRAIN_SECONDS, DEFAULT_HOST } from './http/server-settings';
import { duplicateWindowDays, productionProblems } from './settings';

export interface ServeOptions {
  dbPath: string;
  port: number;
  /** Default 127.0.0.1: only this machine. Behind a proxy on another host, 0.0.0.0. */
  hostname?: string;
  readOnly?: boolean;
  mapStyleUrl?: string;
  /** The response cache's budget in bytes. */
  cacheBytes?: number;
  /** How long `close()` waits for requests in flight before closing their connections. */
  drainMs?: number;
  /** Admission control of requests that query the store; the defaults when absent. */
  admission?: AdmissionLimits;
  log?: (message: string) => void;
  /** Where access log lines go; none when absent. */
  accessLog?: (line: string) => void;
}

export interface CloseResult {
  /** Whether requests were still in flight at the deadline (their connections were closed). */
  timedOut: boolean;
  cache: CacheStats;
  admission: AdmissionStats;
}

/** A start-up problem the operator can fix; its message is one line that says what to do. */
export class StartupError extends Error {}

/** How long closing DuckDB may take after a drain that ran out of time. */
const CLOSE_GRACE_MS = 2000;

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * The database file must exist and be a readable (and, unless read-only, writable) file:
 * DuckDB would create an empty database at a missing path, and a mistyped DB_PATH must fail.
 */
export function checkDatabaseFile(file: string, readOnly: boolean): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new StartupError(`no database at ${file}: DB_PATH must name an existing DuckDB file`);
  }
  if (!isFile) throw new StartupError(`no database at ${file}: it is not a file`);
  try {
    accessSync(file, readOnly ? constants.R_OK : constants.R_OK | constants.W_OK);
  } catch {
    throw new StartupError(
      `cannot ${readOnly ? 'read' : 'read and write'} the database at ${file}: check its permissions`,
    );
  }
}

/** Opens, migrates (or checks) and loads the database; DuckDB's own errors become one line. */
async function openChecked(file: string, readOnly: boolean, log: (m: string) => void) {
  let db: Database;
  try {
    db = await openDatabase(file, { readOnly });
  } catch (err) {
    throw new StartupError(
      `cannot open the database at ${file} (damaged, truncated, locked by another process or not a DuckDB file): ${firstLine((err as Error).message)}`,
    );
  }
  try {
    await db.withConnection(async (conn) => {
      if (!readOnly) {
        await migrate(conn, log);
        return;
      }
      const latest = migrations().at(-1)?.version ?? 0;
      if (((await appliedVersions(conn)).at(-1) ?? 0) < latest)
        throw new StartupError('the database needs migrations; open it read-write once');
    });
    return { db, deps: await loadDeps(db) };
  } catch (err) {
    await db.close().catch(() => {});
    if (err instanceof StartupError) throw err;
    throw new StartupError(
      `cannot read the database at ${file} (damaged, or not this application's database): ${firstLine((err as Error).message)}`,
    );
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new StartupError(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`)),
    );
  });
}

export async function startServer(options: ServeOptions) {
  const log = options.log ?? console.log;
  const problems = productionProblems();
  if (problems.length) throw new Error(`refusing to start in production: ${problems.join('; ')}`);
  duplicateWindowDays(); // a bad setting stops the start, not each request
  const readOnly = options.readOnly ?? false;
  checkDatabaseFile(options.dbPath, readOnly);
  const { db, deps } = await openChecked(options.dbPath, readOnly, log);
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_SECONDS * 1000;
  const host = options.hostname ?? DEFAULT_HOST;
  try {
    const cache = responseCache({
      maxBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES,
      cacheControl: DATA_CACHE_CONTROL,
    });
    const admission = new Admission(options.admission);
    const app = createApp({
      ...deps,
      mapStyleUrl: options.mapStyleUrl,
      cache,
      admission,
      accessLog: options.accessLog,
    });
    if (deps.demoTokens) {
      const names = [...demoPrincipals(deps.holder.current.ctx).keys()];
      log(`[auth] demo dataset outside production: demo tokens work (${names.join(', ')})`);
    }
    const server = serve({ fetch: app.fetch, port: options.port, hostname: host }) as Server;
    await listen(server, host, options.port);

    let closing: Promise<CloseResult> | null = null;
    /**
     * Stops accepting, lets requests in flight finish until the deadline, then closes what is
     * left and DuckDB (after its write queue, so an acknowledged write is never cut).
     */
    const close = (deadlineMs = drainMs): Promise<CloseResult> =>
      (closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections between requests would hold the listener open: close each
        // as soon as it is idle, so only requests in flight are waited for.
        server.closeIdleConnections();
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          drained.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), deadlineMs);
          }),
        ]);
        clearInterval(sweep);
        clearTimeout(timer);
        if (timedOut) {
          server.closeAllConnections();
          await Promise.race([db.close(), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS))]);
        } else {
          await db.close();
        }
        return { timedOut, cache: cache.stats(), admission: admission.stats() };
      })());
    return { server, close, holder: deps.holder, cache, admission, host };
  } catch (err) {
    await db.close();
    throw err;
  }
}
