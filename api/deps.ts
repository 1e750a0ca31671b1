import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppDeps } from './app';
import { Auth } from './auth/auth';
import { demoPrincipals, demoTokensEnabled } from './auth/demo';
import { loadBoundaries } from './boundaries';
import type { Database } from './db/database';
import { Locator } from './geo/locate';
import { CLIENT_DIST_DIR, WEB_GEOJSON_DIR } from './paths';
import { loadState, StateHolder } from './state';

/** Everything the app reads besides DuckDB itself: the data state, auth, geometry, locator. */
export async function loadDeps(db: Database): Promise<AppDeps & { demoTokens: boolean }> {
  const holder = new StateHolder(await loadState(db));
  const demoTokens = demoTokensEnabled(holder.current.demo);
  const auth = await Auth.load(db, demoTokens ? demoPrincipals(holder.current.ctx) : null);
  let locator: Locator | null = null;
  return {
    db,
    holder,
    auth,
    demoTokens,
    boundaries: loadBoundaries(WEB_GEOJSON_DIR),
    locator: () => (locator ??= Locator.fromFiles()),
    clientDir: existsSync(path.join(CLIENT_DIST_DIR, 'index.html')) ? CLIENT_DIST_DIR : undefined,
  };
}
