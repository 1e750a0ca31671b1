import type { Auth } from './auth/auth';
import type { Principal } from './auth/principal';
import type { Boundaries } from './boundaries';
import type { DataContext } from './context';
import type { Database } from './db/database';
import type { Locator } from './geo/locate';
import type { DataState, StateHolder } from './state';

/** What every route can reach through `c.var`. */
export interface AppEnv {
  Variables: {
    db: Database;
    holder: StateHolder;
    /** The state snapshot this request reads throughout. */
    state: DataState;
    ctx: DataContext;
    boundaries: Boundaries;
    auth: Auth;
    locator: () => Locator;
    principal: Principal | null;
    via: 'token' | 'session' | null;
    mapStyleUrl: string | undefined;
  };
}
