import { AGGREGATORS, AID_TYPES, RECORD_STATUSES, type AggregatorSlug, type Level } from './domain';
import type { Database } from './db/database';
import type { ResolvedFilters } from './db/filters';

/**
 * Distinct households reached, for any filter, without grouping millions of records per query.
 *
 * Counting distinct households is the one metric that no rollup can sum, and grouping every
 * matching record by household costs most of a query at ten million records. This index keeps the
 * household records as runs: one run per household and combination of aggregator, aid type and
 * status, holding that run's days in order, with runs grouped by the household's home RW. A query
 * visits the runs of the RWs it covers (all of them, or only an area's), skips runs whose
 * combination does not match, and looks for the first day inside the window; runs of one
 * household are adjacent, so it is counted once without any lookup table. It is loaded from
 * DuckDB, the source of truth, and must be reloaded after every ingest.
 */
export interface Reach {
  /** Households reached per home RW, indexed by regions.rw_idx. */
  perRw: Uint32Array;
  total: number;
  /** Households whose first matching record falls on each day of the window (index 0 = from). */
  newPerDay: Uint32Array;
}

/** An RW's codes at every level, by its regions.rw_idx. */
interface RwCodes {
  rw: string;
  kelurahan: string;
  kecamatan: string;
  kota: string;
}

interface Runs {
  /** Runs of home RW i are runs rwStart[i] … rwStart[i + 1] − 1. */
  rwStart: Uint32Array;
  household: Uint32Array;
  combo: Uint8Array;
  home: Uint16Array;
  /** Offsets into `days`; run r holds days[start[r]] … days[start[r + 1] − 1], ascending. */
  start: Uint32Array;
  days: Int32Array;
}

const DAY_MS = 86_400_000;
const epochDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** Aggregator, aid type and status in one byte; enum positions follow the domain lists. */
function comboOf(aggregator: number, aidType: number, status: number): number {
  return aggregator | (aidType << 3) | (status << 5);
}

export class ReachIndex {
  private constructor(
    private readonly runs: Runs,
    private readonly rws: RwCodes[],
  ) {}

  get records(): number {
    return this.runs.days.length;
  }

  static async load(db: Database): Promise<ReachIndex> {
    return db.withConnection(async (conn) => {
      const sizes = await conn.runAndReadAll(`
        SELECT (SELECT count(*) FROM distributions WHERE household_id IS NOT NULL)::INTEGER,
               (SELECT count(*) FROM (SELECT DISTINCT household_id, aggregator, aid_type, status
                                      FROM distributions WHERE household_id IS NOT NULL))::INTEGER,
               (SELECT coalesce(max(rw_idx), 0) FROM regions)::INTEGER`);
      const [n, runCount, rwCount] = sizes.getRows()[0]!.map(Number) as [number, number, number];
      const runs: Runs = {
        rwStart: new Uint32Array(rwCount + 2),
        household: new Uint32Array(runCount),
        combo: new Uint8Array(runCount),
        home: new Uint16Array(runCount),
        start: new Uint32Array(runCount + 1),
        days: new Int32Array(n),
      };
      const result = await conn.stream(`
        SELECT d.household_id,
               (enum_code(d.aggregator) + enum_code(d.aid_type) * 8 + enum_code(d.status) * 32)::INTEGER AS combo,
               h.rw_idx::INTEGER AS home,
               (d.date - DATE '1970-01-01')::INTEGER AS day
        FROM distributions d JOIN households h USING (household_id)
        ORDER BY home, d.household_id, combo, day`);
      let at = 0;
      let run = -1;
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        const [h, c, r, d] = [0, 1, 2, 3].map((i) => chunk.getColumnValues(i) as number[]) as [
          number[],
          number[],
          number[],
          number[],
        ];
        for (let i = 0; i < h.length; i++) {
          if (run < 0 || runs.household[run] !== h[i] || runs.combo[run] !== c[i]) {
            run++;
            // Every RW up to this run's home starts here (RWs without households are empty).
            for (let rw = run === 0 ? 0 : runs.home[run - 1]! + 1; rw <= r[i]!; rw++)
              runs.rwStart[rw] = run;
            runs.household[run] = h[i]!;
            runs.combo[run] = c[i]!;
            runs.home[run] = r[i]!;
            runs.start[run] = at;
          }
          runs.days[at++] = d[i]!;
        }
      }
      runs.start[runCount] = at;
      for (let rw = run < 0 ? 0 : runs.home[run]! + 1; rw <= rwCount + 1; rw++)
        runs.rwStart[rw] = runCount;
      const rws: RwCodes[] = new Array(rwCount + 1);
      const rwRows = await conn.runAndReadAll(
        `SELECT rw_idx::INTEGER, code, kelurahan_code, kecamatan_code, kota_code FROM regions WHERE level = 'rw'`,
      );
      for (const [idx, rw, kelurahan, kecamatan, kota] of rwRows.getRows()) {
        rws[Number(idx)] = {
          rw: String(rw),
          kelurahan: String(kelurahan),
          kecamatan: String(kecamatan),
          kota: String(kota),
        };
      }
      return new ReachIndex(runs, rws);
    });
  }

  get rwCount(): number {
    return this.rws.length - 1;
  }

  private allowedCombos(f: ResolvedFilters): Uint8Array {
    const allowed = new Uint8Array(128);
    const aggs = f.aggregators.length ? f.aggregators : AGGREGATORS;
    const types = f.aidTypes.length ? f.aidTypes : AID_TYPES;
    for (const a of aggs)
      for (const t of types)
        for (const s of f.statuses)
          allowed[
            comboOf(AGGREGATORS.indexOf(a), AID_TYPES.indexOf(t), RECORD_STATUSES.indexOf(s))
          ] = 1;
    return allowed;
  }

  /** Run index ranges covering the given home RWs (all runs when there is no area). */
  private ranges(homeRws: ReadonlySet<number> | null): [number, number][] {
    const { rwStart, combo } = this.runs;
    return homeRws
      ? [...homeRws].sort((a, b) => a - b).map((rw) => [rwStart[rw]!, rwStart[rw + 1]!])
      : [[0, combo.length]];
  }

  /**
   * Visits every run that matches the filters and has a day in the window, with that first day.
   * Runs of one household come together, in household order.
   */
  private forEachMatch(
    f: ResolvedFilters,
    homeRws: ReadonlySet<number> | null,
    visit: (run: number, firstDay: number) => void,
  ): void {
    if (f.recipientTypes.length && !f.recipientTypes.includes('household')) return;
    const from = epochDay(f.from);
    const to = epochDay(f.to);
    const allowed = this.allowedCombos(f);
    const { combo, start, days } = this.runs;
    for (const [first, end] of this.ranges(homeRws)) {
      for (let r = first; r < end; r++) {
        if (!allowed[combo[r]!]) continue;
        const last = start[r + 1]!;
        let i = start[r]!;
        while (i < last && days[i]! < from) i++;
        if (i < last && days[i]! <= to) visit(r, days[i]!);
      }
    }
  }

  /**
   * Households with a matching record in the window, counted at their home RW. `homeRws`
   * (regions.rw_idx values) restricts to households living in an area.
   */
  reach(f: ResolvedFilters, homeRws: ReadonlySet<number> | null): Reach {
    const from = epochDay(f.from);
    const to = epochDay(f.to);
    const perRw = new Uint32Array(this.rwCount + 1);
    const newPerDay = new Uint32Array(Math.max(0, to - from + 1));
    let total = 0;
    if (f.recipientTypes.length && !f.recipientTypes.includes('household'))
      return { perRw, total, newPerDay };
    const allowed = this.allowedCombos(f);
    const { household, home, combo, start, days } = this.runs;
    // The hot loop of every aggregate query: kept inline (no callback) on purpose.
    let current = -1;
    let currentHome = 0;
    let first = 0;
    for (const [begin, end] of this.ranges(homeRws)) {
      for (let r = begin; r < end; r++) {
        if (!allowed[combo[r]!]) continue;
        const last = start[r + 1]!;
        let i = start[r]!;
        while (i < last && days[i]! < from) i++;
        if (i === last || days[i]! > to) continue;
        const h = household[r]!;
        if (h === current) {
          if (days[i]! < first) first = days[i]!;
          continue;
        }
        if (current >= 0) {
          perRw[currentHome]!++;
          newPerDay[first - from]!++;
          total++;
        }
        current = h;
        currentHome = home[r]!;
        first = days[i]!;
      }
    }
    if (current >= 0) {
      perRw[currentHome]!++;
      newPerDay[first - from]!++;
      total++;
    }
    return { perRw, total, newPerDay };
  }

  /** Households reached per aggregator (a household served by two counts for both). */
  reachByAggregator(
    f: ResolvedFilters,
    homeRws: ReadonlySet<number> | null,
  ): Map<AggregatorSlug, number> {
    const counts = new Uint32Array(AGGREGATORS.length);
    const { household, combo } = this.runs;
    let lastHousehold = -1;
    let counted = 0;
    this.forEachMatch(f, homeRws, (run) => {
      if (household[run] !== lastHousehold) {
        lastHousehold = household[run]!;
        counted = 0;
      }
      const a = combo[run]! & 7;
      if (counted & (1 << a)) return;
      counted |= 1 << a;
      counts[a]!++;
    });
    const out = new Map<AggregatorSlug, number>();
    counts.forEach((n, a) => {
      if (n > 0) out.set(AGGREGATORS[a]!, n);
    });
    return out;
  }

  /** RW indexes of the households living in a region (all of them when there is none). */
  rwsIn(area: { code: string; level: Level } | null): Set<number> | null {
    if (!area) return null;
    const out = new Set<number>();
    this.rws.forEach((r, idx) => {
      if (r && r[area.level] === area.code) out.add(idx);
    });
    return out;
  }

  /** A reach result summed to the regions of a level, by region code. */
  byRegion(reach: Reach, level: Level): Map<string, number> {
    const out = new Map<string, number>();
    reach.perRw.forEach((n, idx) => {
      if (n === 0) return;
      const code = this.rws[idx]![level];
      out.set(code, (out.get(code) ?? 0) + n);
    });
    return out;
  }
}
