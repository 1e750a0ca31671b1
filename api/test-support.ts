import { DEFAULT_DB_PATH } from '../scripts/lib/paths';
import { WEB_GEOJSON_DIR } from './paths';
import { createApp } from './app';
import { loadContext } from './context';
import { openDatabase } from './db/database';
import { loadBoundaries } from './boundaries';

/** The app over the real default database, read-only so test files can share it. */
export async function openDefaultApp() {
  const db = await openDatabase(DEFAULT_DB_PATH, { readOnly: true });
  const ctx = await loadContext(db);
  return {
    app: createApp({ db, ctx, boundaries: loadBoundaries(WEB_GEOJSON_DIR) }),
    db,
    ctx,
    close: () => db.close(),
  };
}

export async function getJson<T = Record<string, unknown>>(
  app: { request: (path: string) => Response | Promise<Response> },
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}
