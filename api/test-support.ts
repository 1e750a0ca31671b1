import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDatabase } from '../scripts/build-db';
import { DEMO_DB_PATH } from '../scripts/lib/paths';
import { createApp } from './app';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { loadDeps } from './deps';

export const FIXTURE_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

async function appOver(
  dbPath: string,
  options: { readOnly: boolean; cleanup?: () => void; mapStyleUrl?: string },
) {
  const db = await openDatabase(dbPath, { readOnly: options.readOnly });
  if (!options.readOnly) await db.withConnection((conn) => migrate(conn));
  const deps = await loadDeps(db);
  return {
    app: createApp({ ...deps, mapStyleUrl: options.mapStyleUrl }),
    db,
    holder: deps.holder,
    auth: deps.auth,
    get ctx() {
      return deps.holder.current.ctx;
    },
    close: async () => {
      await db.close();
      options.cleanup?.();
    },
  };
}

/** The app over the real default (demo) database, read-only so test files can share it. */
export function openDefaultApp() {
  return appOver(DEMO_DB_PATH, { readOnly: true });
}

/** The app over a private copy of the demo database, for tests that write. */
export function openWritableDemoApp() {
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-demo-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  return appOver(dbPath, {
    readOnly: false,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  });
}

/** Builds the small hand-checked fixture of api/fixtures into a new database file. */
export async function buildFixtureDatabase(dir: string, dataset = 'fixture'): Promise<string> {
  const dbPath = path.join(dir, 'fixture.duckdb');
  await buildDatabase({
    dbPath,
    datasetDir: FIXTURE_DIR,
    dataDir: FIXTURE_DIR,
    version: 'fixture',
    dataset,
  });
  return dbPath;
}

/** The app over a database built from the small hand-checked fixture in api/fixtures. */
export async function openFixtureApp(options: { mapStyleUrl?: string; readOnly?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-fixture-'));
  const dbPath = await buildFixtureDatabase(dir);
  return appOver(dbPath, {
    readOnly: options.readOnly ?? false,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    mapStyleUrl: options.mapStyleUrl,
  });
}

export type TestApp = Awaited<ReturnType<typeof openDefaultApp>>;

export async function getJson<T = Record<string, unknown>>(
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const res = await app.request(path, init);
  return { status: res.status, body: (await res.json()) as T };
}
