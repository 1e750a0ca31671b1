import type { AppDeps } from './app';
import { loadBoundaries } from './boundaries';
import { loadContext } from './context';
import type { Database } from './db/database';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_DIST_DIR, WEB_GEOJSON_DIR } from './paths';
import { ReachIndex } from './reach-index';

/** Everything the app reads besides DuckDB itself: region facts, web geometry, reach index. */
export async function loadDeps(db: Database): Promise<AppDeps> {
  return {
    db,
    ctx: await loadContext(db),
    boundaries: loadBoundaries(WEB_GEOJSON_DIR),
    reach: await ReachIndex.load(db),
    clientDir: existsSync(path.join(CLIENT_DIST_DIR, 'index.html')) ? CLIENT_DIST_DIR : undefined,
  };
}
