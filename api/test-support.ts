import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDatabase } from '../scripts/build-db';
import { DEFAULT_DB_PATH } from '../scripts/lib/paths';
import { createApp } from './app';
import { openDatabase } from './db/database';
import { loadDeps } from './deps';

export const FIXTURE_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

async function appOver(dbPath: string, cleanup: () => void = () => {}, mapStyleUrl?: string) {
  const db = await openDatabase(dbPath, { readOnly: true });
  const deps = await loadDeps(db);
  return {
    app: createApp({ ...deps, mapStyleUrl }),
    db,
    ctx: deps.ctx,
    close: () => {
      db.close();
      cleanup();
    },
  };
}

/** The app over the real default database, read-only so test files can share it. */
export function openDefaultApp() {
  return appOver(DEFAULT_DB_PATH);
}

/** The app over a database built from the small hand-checked fixture in api/fixtures. */
export async function openFixtureApp(options: { mapStyleUrl?: string } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-fixture-'));
  const dbPath = path.join(dir, 'fixture.duckdb');
  await buildDatabase({
    dbPath,
    datasetDir: FIXTURE_DIR,
    dataDir: FIXTURE_DIR,
    version: 'fixture',
  });
  return appOver(dbPath, () => rmSync(dir, { recursive: true, force: true }), options.mapStyleUrl);
}

export type TestApp = Awaited<ReturnType<typeof openDefaultApp>>;

export async function getJson<T = Record<string, unknown>>(
  app: { request: (path: string) => Response | Promise<Response> },
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}
