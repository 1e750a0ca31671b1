import type { Boundaries } from './boundaries';
import type { DataContext } from './context';
import type { Database } from './db/database';
import type { ReachIndex } from './reach-index';

/** What every route can reach through `c.var`. */
export interface AppEnv {
  Variables: {
    db: Database;
    ctx: DataContext;
    boundaries: Boundaries;
    reach: ReachIndex;
    mapStyleUrl: string | undefined;
  };
}
