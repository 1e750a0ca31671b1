import { AGGREGATORS, AID_TYPES, RECORD_STATUSES, type AggregatorSlug, type Level } from './domain';
import type { Database } from './db/database';
import type { ResolvedFilters } from './db/filters';

/** An RW's codes at every level, by its regions.rw_idx. */
interface RwCodes {
  rw: string;
  kelurahan: string;
  kecamatan: string;
  kota: string;
}

/**
 * Distinct households reached, for any filter, in one pass over compact typed arrays.
 *
 * Counting distinct households is the one metric that no rollup can sum. DuckDB answers it by
 * grouping every matching record by household, which costs most of a query at ten million
 * records. This index holds, per household record and in date order, only the day, the household
 * and a byte for aggregator, aid type and status (about 9 bytes a record), plus each household's
 * home RW; a query marks each household the first time it matches. It is loaded from DuckDB, the
 * source of truth, and must be reloaded after every ingest.
 */
export interface Reach {
  /** Households reached per home RW, indexed by regions.rw_idx. */
  perRw: Uint32Array;
  total: number;
  /** Households whose first matching record falls on each day of the window (index 0 = from). */
  newPerDay: Uint32Array;
}

const DAY_MS = 86_400_000;
const epochDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

function comboOf(aggregator: number, aidType: number, status: number): number {
  return aggregator | (aidType << 3) | (status << 5);
}

export class ReachIndex {
  private stamp: Uint32Array;
  private query = 0;

  private constructor(
    private readonly days: Int32Array,
    private readonly households: Uint32Array,
    private readonly combos: Uint8Array,
    private readonly homeRw: Uint16Array,
    private readonly rws: RwCodes[],
  ) {
    this.stamp = new Uint32Array(homeRw.length);
  }

  get rwCount(): number {
    return this.rws.length - 1;
  }

  get records(): number {
    return this.days.length;
  }

  static async load(db: Database): Promise<ReachIndex> {
    return db.withConnection(async (conn) => {
      const sizes = await conn.runAndReadAll(`
        SELECT (SELECT count(*) FROM distributions WHERE household_id IS NOT NULL)::INTEGER,
               (SELECT coalesce(max(household_id), 0) FROM households)::INTEGER,
               (SELECT coalesce(max(rw_idx), 0) FROM regions)::INTEGER`);
      const [n, maxHousehold, rwCount] = sizes.getRows()[0]!.map(Number) as [
        number,
        number,
        number,
      ];
      if (n > 0xfffffff) throw new Error('too many household records for the reach index');
      const days = new Int32Array(n);
      const households = new Uint32Array(n);
      const combos = new Uint8Array(n);
      // Enum positions follow the domain lists the schema was created from.
      const result = await conn.stream(`
        SELECT (date - DATE '1970-01-01')::INTEGER AS day, household_id,
               (enum_code(aggregator) + enum_code(aid_type) * 8 + enum_code(status) * 32)::INTEGER AS combo
        FROM distributions WHERE household_id IS NOT NULL
        ORDER BY date, id`);
      let at = 0;
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        const d = chunk.getColumnValues(0) as number[];
        const h = chunk.getColumnValues(1) as number[];
        const c = chunk.getColumnValues(2) as number[];
        for (let i = 0; i < d.length; i++) {
          days[at] = d[i]!;
          households[at] = h[i]!;
          combos[at] = c[i]!;
          at++;
        }
      }
      const homeRw = new Uint16Array(maxHousehold + 1);
      const homes = await conn.stream('SELECT household_id, rw_idx::INTEGER FROM households');
      for (
        let chunk = await homes.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await homes.fetchChunk()
      ) {
        const h = chunk.getColumnValues(0) as number[];
        const r = chunk.getColumnValues(1) as number[];
        for (let i = 0; i < h.length; i++) homeRw[h[i]!] = r[i]!;
      }
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
      return new ReachIndex(days, households, combos, homeRw, rws);
    });
  }

  /** First record at or after `day` (records are in date order). */
  private lowerBound(day: number): number {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.days[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private allowedCombos(f: ResolvedFilters, aggregators?: readonly AggregatorSlug[]): Uint8Array {
    const allowed = new Uint8Array(128);
    const aggs = aggregators ?? (f.aggregators.length ? f.aggregators : AGGREGATORS);
    const types = f.aidTypes.length ? f.aidTypes : AID_TYPES;
    for (const a of aggs)
      for (const t of types)
        for (const s of f.statuses)
          allowed[
            comboOf(AGGREGATORS.indexOf(a), AID_TYPES.indexOf(t), RECORD_STATUSES.indexOf(s))
          ] = 1;
    return allowed;
  }

  private nextQuery(): number {
    if (++this.query === 0xffffffff) {
      this.stamp.fill(0);
      this.query = 1;
    }
    return this.query;
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
    if (f.recipientTypes.length && !f.recipientTypes.includes('household'))
      return { perRw, total: 0, newPerDay };
    const allowed = this.allowedCombos(f);
    const area = homeRws ? new Uint8Array(this.rwCount + 1) : null;
    homeRws?.forEach((r) => (area![r] = 1));
    const q = this.nextQuery();
    const { days, households, combos, homeRw, stamp } = this;
    let total = 0;
    for (let i = this.lowerBound(from), end = days.length; i < end; i++) {
      const day = days[i]!;
      if (day > to) break;
      if (!allowed[combos[i]!]) continue;
      const h = households[i]!;
      if (stamp[h] === q) continue;
      const rw = homeRw[h]!;
      if (area && !area[rw]) continue;
      stamp[h] = q;
      perRw[rw]!++;
      newPerDay[day - from]!++;
      total++;
    }
    return { perRw, total, newPerDay };
  }

  /** Households reached per aggregator (a household served by two counts for both). */
  reachByAggregator(
    f: ResolvedFilters,
    homeRws: ReadonlySet<number> | null,
  ): Map<AggregatorSlug, number> {
    const out = new Map<AggregatorSlug, number>();
    if (f.recipientTypes.length && !f.recipientTypes.includes('household')) return out;
    const from = epochDay(f.from);
    const to = epochDay(f.to);
    const allowed = this.allowedCombos(f);
    const area = homeRws ? new Uint8Array(this.rwCount + 1) : null;
    homeRws?.forEach((r) => (area![r] = 1));
    const seen = AGGREGATORS.map(() => new Set<number>());
    const { days, households, combos, homeRw } = this;
    for (let i = this.lowerBound(from), end = days.length; i < end; i++) {
      if (days[i]! > to) break;
      const combo = combos[i]!;
      if (!allowed[combo]) continue;
      const h = households[i]!;
      if (area && !area[homeRw[h]!]) continue;
      seen[combo & 7]!.add(h);
    }
    seen.forEach((set, a) => {
      if (set.size > 0) out.set(AGGREGATORS[a]!, set.size);
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
