import type { DataContext } from './context';
import { loadContext } from './context';
import type { Database } from './db/database';
import { sql } from './db/sql';
import { loadReachIndex } from './reach-load';
import type { ReachIndex } from './reach-index';

/** Commit counters kept in the meta table, moved inside each write transaction. */
export interface Sequence {
  /** Every commit. */
  commit: number;
  /** Commits that changed public (verified) figures. */
  public: number;
}

/**
 * Everything a request reads besides DuckDB itself, as one consistent snapshot: region facts,
 * extents, the reach index and the versions that name them.
 */
export interface DataState {
  /** The seed the database was created from. */
  base: string;
  seq: Sequence;
  /** Moves with every commit: names answers that may include unverified records. */
  version: string;
  /** Moves only when verified figures move: names (and caches) public answers. */
  publicVersion: string;
  /** The default demo dataset (demo tokens may work on it outside production). */
  demo: boolean;
  ctx: DataContext;
  reach: ReachIndex;
}

export function versions(base: string, seq: Sequence) {
  return { version: `${base}.${seq.commit}`, publicVersion: `${base}.p${seq.public}` };
}

/**
 * The one holder of the current state. A request takes `current` once and reads that snapshot
 * throughout; a commit publishes the next state with `swap`, atomically for every later request.
 */
export class StateHolder {
  #current: DataState;

  constructor(initial: DataState) {
    this.#current = initial;
  }

  get current(): DataState {
    return this.#current;
  }

  swap(next: DataState): void {
    this.#current = next;
  }
}

/** Reads the whole state from the store (at start, or to recover after a failed publish). */
export async function loadState(db: Database): Promise<DataState> {
  const { meta, ctx } = await db.read(async (r) => ({
    meta: new Map(
      (await r.rows<{ key: string; value: string }>(sql`SELECT key, value FROM meta`)).map((m) => [
        m.key,
        m.value,
      ]),
    ),
    ctx: await loadContext(r),
  }));
  const base = meta.get('data_version') ?? 'unknown';
  const seq = {
    commit: Number(meta.get('commit_seq') ?? 0),
    public: Number(meta.get('public_seq') ?? 0),
  };
  const reach = await db.read((r) => loadReachIndex(r, ctx.units));
  return {
    base,
    seq,
    ...versions(base, seq),
    demo: meta.get('dataset') === 'demo',
    ctx,
    reach,
  };
}

/** Replaces the state with a fresh read of the store (recovery when a publish failed). */
export async function reloadState(db: Database, holder: StateHolder): Promise<void> {
  try {
    holder.swap(await loadState(db));
  } catch (err) {
    console.error('[state] reloading the state failed', err);
  }
}
