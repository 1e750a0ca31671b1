import type { ResolvedFilters } from './db/filters';
import type { Level } from './domain';

/**
 * Distinct households reached, for any filter, without grouping millions of records per query.
 *
 * Counting distinct households is the one metric that no rollup can sum, and grouping every
 * matching record by household costs most of a query at ten million records. This index keeps the
 * household records as runs: one run per household and combination of aggregator, aid type and
 * status, holding that run's days in order. Runs are grouped by the household's home unit and,
 * inside a unit, ordered by household, so a household's runs are adjacent and it is counted once
 * without any lookup table. A query visits the units it covers, skips runs whose combination does
 * not match and looks for the first day inside the window.
 *
 * Consecutive units are packed into blocks of a few tens of thousands of records. The index is
 * immutable: `withChanges` rewrites only the blocks holding a changed unit and shares the others,
 * so readers can keep the previous version while the next one is published.
 */

/** A place a household lives: an RW, or the part of a kelurahan outside every RW polygon (rw = null). */
export interface HomeUnit {
  idx: number;
  rw: string | null;
  kelurahan: string;
  kecamatan: string;
  kota: string;
}

/** One household record as the index sees it. day = days since 1970-01-01 (UTC). */
export interface ReachRecord {
  household: number;
  home: number;
  aggregator: string;
  aidType: string;
  status: string;
  day: number;
}

export interface Reach {
  /** Households reached per home unit, indexed by HomeUnit.idx. */
  perUnit: Uint32Array;
  total: number;
  /** Households whose first matching record falls on each day of the window (index 0 = from). */
  newPerDay: Uint32Array;
}

/** Records to add and records to remove (one identical occurrence each); a status change is both. */
export interface ReachChanges {
  add?: readonly ReachRecord[];
  remove?: readonly ReachRecord[];
}

export interface ReachIndexOptions {
  /** Most distinct (aggregator, aid type, status) combinations; at most 65,536 (ids are Uint16). */
  comboCapacity?: number;
  /** A block is closed once it holds this many records (one large unit may exceed it). */
  blockRecords?: number;
  /** Most units in one block, so empty units cost little to copy. */
  blockUnits?: number;
}

const MAX_COMBOS = 0x1_0000;
const TWO_32 = 0x1_0000_0000;
const TWO_31 = 0x8000_0000;
const DAY_MS = 86_400_000;
const epochDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

interface Settings {
  comboCapacity: number;
  blockRecords: number;
  blockUnits: number;
}

function settingsOf(options: ReachIndexOptions): Settings {
  const s: Settings = {
    comboCapacity: options.comboCapacity ?? MAX_COMBOS,
    blockRecords: options.blockRecords ?? 1 << 15,
    blockUnits: options.blockUnits ?? 1 << 12,
  };
  if (!Number.isInteger(s.comboCapacity) || s.comboCapacity < 1 || s.comboCapacity > MAX_COMBOS)
    throw new RangeError(`ReachIndex: comboCapacity must be an integer in 1 … ${MAX_COMBOS}`);
  if (!Number.isInteger(s.blockRecords) || s.blockRecords < 1)
    throw new RangeError('ReachIndex: blockRecords must be a positive integer');
  if (!Number.isInteger(s.blockUnits) || s.blockUnits < 1)
    throw new RangeError('ReachIndex: blockUnits must be a positive integer');
  return s;
}

/**
 * Units firstUnit … firstUnit + unitRun.length − 2. Unit firstUnit + k holds runs unitRun[k] …
 * unitRun[k + 1] − 1, ordered by household then combination, and their days from unitDay[k] on:
 * each run's runLength days in turn, ascending. Lengths rather than offsets, so that a unit is
 * copied into another block as it is.
 */
interface Block {
  firstUnit: number;
  unitRun: Uint32Array;
  unitDay: Uint32Array;
  household: Uint32Array;
  combo: Uint16Array;
  runLength: Uint16Array;
  days: Int32Array;
}

/** Longest run; a longer one (the same record many times) continues in a second run. */
const MAX_RUN = 0xffff;

type Growable = Uint32Array | Uint16Array | Int32Array | Float64Array;

function grow<T extends Growable>(a: T, need: number, least = 0): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(Math.max(need, a.length * 2, least));
  b.set(a);
  return b;
}

/** The first n items: the array itself when nearly full (the writer then lets go of it), else a copy. */
function fit<T extends Growable>(a: T, n: number): [T, boolean] {
  return n >= a.length * 0.9 ? [a.subarray(0, n) as T, true] : [a.slice(0, n) as T, false];
}

/** The home units, fixed for the life of the index and shared by all its versions. */
class Units {
  /** Highest HomeUnit.idx + 1: the length of Reach.perUnit. */
  readonly size: number;
  readonly defined: Uint8Array;
  private readonly byIdx: (HomeUnit | undefined)[];
  private readonly levels = new Map<
    Level,
    { codes: string[]; ordinal: Int32Array; members: Map<string, number[]> }
  >();

  constructor(units: readonly HomeUnit[]) {
    let size = 0;
    for (const u of units) {
      if (!Number.isInteger(u.idx) || u.idx < 0 || u.idx >= TWO_31)
        throw new RangeError(`ReachIndex: unit idx ${u.idx} is not an integer in 0 … 2³¹−1`);
      size = Math.max(size, u.idx + 1);
    }
    this.size = size;
    this.defined = new Uint8Array(size);
    this.byIdx = new Array<HomeUnit | undefined>(size);
    for (const u of units) {
      if (this.defined[u.idx]) throw new RangeError(`ReachIndex: unit idx ${u.idx} given twice`);
      this.defined[u.idx] = 1;
      this.byIdx[u.idx] = u;
    }
  }

  /** Each unit's region at a level, as an ordinal into `codes` (−1: none, e.g. rw = null). */
  level(level: Level) {
    let codes = this.levels.get(level);
    if (!codes) {
      const list: string[] = [];
      const ordinal = new Int32Array(this.size).fill(-1);
      const members = new Map<string, number[]>();
      const seen = new Map<string, number>();
      for (let idx = 0; idx < this.size; idx++) {
        const code = this.byIdx[idx]?.[level];
        if (code == null) continue;
        let o = seen.get(code);
        if (o === undefined) {
          o = list.push(code) - 1;
          seen.set(code, o);
          members.set(code, []);
        }
        ordinal[idx] = o;
        members.get(code)!.push(idx);
      }
      codes = { codes: list, ordinal, members };
      this.levels.set(level, codes);
    }
    return codes;
  }
}

/**
 * Combination ids, allocated on first sight. Frozen once an index holds it: `withChanges` copies
 * it before adding, so older versions never see ids they do not know.
 */
class Combos {
  private constructor(
    readonly capacity: number,
    private readonly ids: Map<string, Map<string, Map<string, number>>>,
    /** Per combination id: ordinals into `names` (aggregators, aid types, statuses). */
    private readonly parts: [number[], number[], number[]],
    readonly names: [string[], string[], string[]],
    private readonly ordinals: [Map<string, number>, Map<string, number>, Map<string, number>],
  ) {}

  static empty(capacity: number): Combos {
    return new Combos(
      capacity,
      new Map(),
      [[], [], []],
      [[], [], []],
      [new Map(), new Map(), new Map()],
    );
  }

  get size(): number {
    return this.parts[0].length;
  }

  id(aggregator: string, aidType: string, status: string): number | undefined {
    return this.ids.get(aggregator)?.get(aidType)?.get(status);
  }

  intern(aggregator: string, aidType: string, status: string): number {
    const known = this.id(aggregator, aidType, status);
    if (known !== undefined) return known;
    if (this.size >= this.capacity)
      throw new RangeError(
        `ReachIndex: cannot add (${aggregator}, ${aidType}, ${status}): the index holds at most ` +
          `${this.capacity} combinations of aggregator, aid type and status`,
      );
    const id = this.size;
    [aggregator, aidType, status].forEach((name, p) => {
      let o = this.ordinals[p]!.get(name);
      if (o === undefined) {
        o = this.names[p]!.push(name) - 1;
        this.ordinals[p]!.set(name, o);
      }
      this.parts[p]!.push(o);
    });
    let byType = this.ids.get(aggregator);
    if (!byType) this.ids.set(aggregator, (byType = new Map()));
    let byStatus = byType.get(aidType);
    if (!byStatus) byType.set(aidType, (byStatus = new Map()));
    byStatus.set(status, id);
    return id;
  }

  clone(): Combos {
    const ids = new Map(
      [...this.ids].map(([a, byType]) => [
        a,
        new Map([...byType].map(([t, byStatus]) => [t, new Map(byStatus)])),
      ]),
    );
    return new Combos(
      this.capacity,
      ids,
      [[...this.parts[0]], [...this.parts[1]], [...this.parts[2]]],
      [[...this.names[0]], [...this.names[1]], [...this.names[2]]],
      [new Map(this.ordinals[0]), new Map(this.ordinals[1]), new Map(this.ordinals[2])],
    );
  }

  /** Order of a household's runs: by status, aid type, aggregator (stable as combinations are added). */
  precedes(a: number, b: number): boolean {
    const parts = this.parts;
    for (let p = 2; p >= 0; p--) {
      const x = parts[p]![a]!;
      const y = parts[p]![b]!;
      if (x !== y) return x < y;
    }
    return false;
  }

  describe(id: number): string {
    return this.parts.map((p, i) => this.names[i]![p[id]!]).join(', ');
  }

  /** Aggregator ordinal by combination id. */
  aggregatorOf(): Uint32Array {
    return Uint32Array.from(this.parts[0]);
  }

  /** 1 for each combination the filters let through (no aggregators or aid types = all). */
  allowed(f: ResolvedFilters): Uint8Array {
    const pass = (p: number, wanted: readonly string[], emptyIsAll: boolean) => {
      const ok = new Uint8Array(this.names[p]!.length);
      if (emptyIsAll && wanted.length === 0) return ok.fill(1);
      for (const name of wanted) {
        const o = this.ordinals[p]!.get(name);
        if (o !== undefined) ok[o] = 1;
      }
      return ok;
    };
    const aggregator = pass(0, f.aggregators, true);
    const aidType = pass(1, f.aidTypes, true);
    const status = pass(2, f.statuses, false);
    const allowed = new Uint8Array(this.size);
    const [a, t, s] = this.parts;
    for (let c = 0; c < allowed.length; c++)
      allowed[c] = aggregator[a[c]!]! & aidType[t[c]!]! & status[s[c]!]!;
    return allowed;
  }
}

/**
 * Appends units, runs and days in index order and cuts them into blocks. Units are opened in
 * increasing order; a block is closed before a unit once it holds `cutAt` records or
 * `blockUnits` units.
 */
class BlockWriter {
  private readonly out: Block[] = [];
  private first: number;
  private next: number;
  private unitRun = new Uint32Array(64);
  private unitDay = new Uint32Array(64);
  private unitCount = 0;
  private household: Uint32Array;
  private combo: Uint16Array;
  private runLength: Uint16Array;
  private runs = 0;
  private days: Int32Array;
  private dayCount = 0;

  constructor(
    firstUnit: number,
    private readonly blockUnits: number,
    private readonly cutAt: number,
    private readonly runsHint: number,
    private readonly daysHint: number,
  ) {
    this.first = this.next = firstUnit;
    this.household = new Uint32Array(runsHint);
    this.combo = new Uint16Array(runsHint);
    this.runLength = new Uint16Array(runsHint);
    this.days = new Int32Array(daysHint);
  }

  /** Opens unit u and any empty units before it. */
  unit(u: number): void {
    while (this.next <= u) this.open();
  }

  run(household: number, combo: number): void {
    if (this.runs === this.household.length) this.growRuns(1);
    this.household[this.runs] = household;
    this.combo[this.runs] = combo;
    this.runLength[this.runs++] = 0;
  }

  day(day: number): void {
    const r = this.runs - 1;
    if (this.runLength[r] === MAX_RUN) this.run(this.household[r]!, this.combo[r]!);
    if (this.dayCount === this.days.length)
      this.days = grow(this.days, this.dayCount + 1, this.daysHint);
    this.days[this.dayCount++] = day;
    this.runLength[this.runs - 1]!++;
  }

  /** Appends runs r0 … r1 − 1 of a block unchanged; their days are d0 … d1 − 1. */
  copy(b: Block, r0: number, r1: number, d0: number, d1: number): void {
    if (r0 === r1) return;
    this.growRuns(r1 - r0);
    this.days = grow(this.days, this.dayCount + d1 - d0, this.daysHint);
    this.household.set(b.household.subarray(r0, r1), this.runs);
    this.combo.set(b.combo.subarray(r0, r1), this.runs);
    this.runLength.set(b.runLength.subarray(r0, r1), this.runs);
    this.days.set(b.days.subarray(d0, d1), this.dayCount);
    this.runs += r1 - r0;
    this.dayCount += d1 - d0;
  }

  /** Closes the last block, with empty units up to `end` (exclusive). */
  finish(end: number): Block[] {
    while (this.next < end) this.open();
    if (this.unitCount > 0) this.close();
    return this.out;
  }

  private growRuns(n: number): void {
    const need = this.runs + n;
    this.household = grow(this.household, need, this.runsHint);
    this.combo = grow(this.combo, need, this.runsHint);
    this.runLength = grow(this.runLength, need, this.runsHint);
  }

  private open(): void {
    if (this.unitCount > 0 && (this.dayCount >= this.cutAt || this.unitCount >= this.blockUnits))
      this.close();
    this.unitRun = grow(this.unitRun, this.unitCount + 2);
    this.unitDay = grow(this.unitDay, this.unitCount + 2);
    this.unitRun[this.unitCount] = this.runs;
    this.unitDay[this.unitCount++] = this.dayCount;
    this.next++;
  }

  private close(): void {
    this.unitRun[this.unitCount] = this.runs;
    this.unitDay[this.unitCount] = this.dayCount;
    const [household, keptRuns] = fit(this.household, this.runs);
    const [combo] = fit(this.combo, this.runs);
    const [runLength] = fit(this.runLength, this.runs);
    const [days, keptDays] = fit(this.days, this.dayCount);
    this.out.push({
      firstUnit: this.first,
      unitRun: this.unitRun.slice(0, this.unitCount + 1),
      unitDay: this.unitDay.slice(0, this.unitCount + 1),
      household,
      combo,
      runLength,
      days,
    });
    // Arrays handed to the block are the block's now; the next block starts afresh.
    if (keptRuns) {
      this.household = new Uint32Array(0);
      this.combo = new Uint16Array(0);
      this.runLength = new Uint16Array(0);
    }
    if (keptDays) this.days = new Int32Array(0);
    this.first = this.next;
    this.unitCount = 0;
    this.runs = 0;
    this.dayCount = 0;
  }
}

/** A household's record as one sortable number: combination, then day. */
const keyOf = (combo: number, day: number) => combo * TWO_32 + day + TWO_31;

function sortKeys(keys: Float64Array, n: number): void {
  if (n > 24) {
    keys.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/** Where each combination's keys start in a household's sorted keys (reused scratch). */
let segments = new Int32Array(64);

/**
 * Appends one household's records, given as keys sorted by combination then day, as runs in
 * `Combos.precedes` order: status first, so that the runs a status filter keeps are adjacent and
 * the query loop's branch is predictable.
 */
function emitSorted(
  w: BlockWriter,
  household: number,
  keys: Float64Array,
  n: number,
  combos: Combos,
): void {
  let count = 0;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const c = Math.floor(keys[i]! / TWO_32);
    if (c === previous) continue;
    if (count === segments.length) segments = grow(segments, count + 1);
    segments[count++] = i;
    previous = c;
  }
  for (let i = 1; i < count; i++) {
    const seg = segments[i]!;
    const c = Math.floor(keys[seg]! / TWO_32);
    let j = i - 1;
    while (j >= 0 && combos.precedes(c, Math.floor(keys[segments[j]!]! / TWO_32))) {
      segments[j + 1] = segments[j]!;
      j--;
    }
    segments[j + 1] = seg;
  }
  for (let s = 0; s < count; s++) {
    let i = segments[s]!;
    const c = Math.floor(keys[i]! / TWO_32);
    const low = c * TWO_32;
    w.run(household, c);
    for (; i < n && keys[i]! - low < TWO_32; i++) w.day(keys[i]! - low - TWO_31);
  }
}

/** Growable scratch list of keys. */
class Keys {
  keys = new Float64Array(64);
  n = 0;
  push(key: number): void {
    if (this.n === this.keys.length) this.keys = grow(this.keys, this.n + 1);
    this.keys[this.n++] = key;
  }
}

/** Turns records arriving in (home, household) order into blocks, one household at a time. */
class SortedFeed {
  readonly writer: BlockWriter;
  home = -1;
  household = -1;
  private readonly group = new Keys();

  constructor(
    settings: Settings,
    private readonly combos: Combos,
  ) {
    const { blockUnits, blockRecords } = settings;
    const days = blockRecords + (blockRecords >> 3) + 1;
    this.writer = new BlockWriter(0, blockUnits, blockRecords, blockRecords, days);
  }

  accepts(household: number, home: number): boolean {
    return home > this.home || (home === this.home && household >= this.household);
  }

  push(household: number, home: number, combo: number, day: number): void {
    if (household !== this.household || home !== this.home) {
      this.flush();
      if (home !== this.home) {
        this.writer.unit(home);
        this.home = home;
      }
      this.household = household;
    }
    this.group.push(keyOf(combo, day));
  }

  finish(end: number): Block[] {
    this.flush();
    return this.writer.finish(end);
  }

  private flush(): void {
    const g = this.group;
    if (g.n === 0) return;
    sortKeys(g.keys, g.n);
    emitSorted(this.writer, this.household, g.keys, g.n, this.combos);
    g.n = 0;
  }
}

/** Records as columns, for input that does not arrive in (home, household) order. */
class Columns {
  household: Uint32Array;
  home: Uint32Array;
  combo: Uint16Array;
  day: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.household = new Uint32Array(capacity);
    this.home = new Uint32Array(capacity);
    this.combo = new Uint16Array(capacity);
    this.day = new Int32Array(capacity);
  }

  push(household: number, home: number, combo: number, day: number): void {
    if (this.length === this.household.length) {
      this.household = grow(this.household, this.length + 1);
      this.home = grow(this.home, this.length + 1);
      this.combo = grow(this.combo, this.length + 1);
      this.day = grow(this.day, this.length + 1);
    }
    const i = this.length++;
    this.household[i] = household;
    this.home[i] = home;
    this.combo[i] = combo;
    this.day[i] = day;
  }

  pushBlock(b: Block): void {
    for (let k = 0; k + 1 < b.unitRun.length; k++) {
      let i = b.unitDay[k]!;
      for (let r = b.unitRun[k]!; r < b.unitRun[k + 1]!; r++)
        for (const last = i + b.runLength[r]!; i < last; i++)
          this.push(b.household[r]!, b.firstUnit + k, b.combo[r]!, b.days[i]!);
    }
  }

  /** Positions in (home, household) order; many records by LSD counting sort, no comparisons. */
  order(units: number): Uint32Array {
    const n = this.length;
    let perm = new Uint32Array(n);
    if (n < 0x1_0000) {
      // Few records (a change set): comparisons beat clearing radix count tables.
      const { home, household } = this;
      for (let i = 0; i < n; i++) perm[i] = i;
      return perm.sort((a, b) => home[a]! - home[b]! || household[a]! - household[b]!);
    }
    let tmp = new Uint32Array(n);
    let maxHousehold = 0;
    for (let i = 0; i < n; i++) {
      perm[i] = i;
      if (this.household[i]! > maxHousehold) maxHousehold = this.household[i]!;
    }
    // One pass over household ids up to 2²² (a 16 MB count table), two 16-bit passes beyond.
    const bits = 32 - Math.clz32(maxHousehold);
    const low = bits <= 22 ? bits : 16;
    countingPass(perm, tmp, this.household, 0, 2 ** low - 1, 2 ** low);
    [perm, tmp] = [tmp, perm];
    if (bits > low) {
      countingPass(perm, tmp, this.household, low, 0xffff, 0x1_0000);
      [perm, tmp] = [tmp, perm];
    }
    countingPass(perm, tmp, this.home, 0, 0x7fff_ffff, units);
    return tmp;
  }
}

function countingPass(
  src: Uint32Array,
  dst: Uint32Array,
  keys: Uint32Array,
  shift: number,
  mask: number,
  buckets: number,
): void {
  const count = new Uint32Array(buckets + 1);
  for (let i = 0; i < src.length; i++) count[((keys[src[i]!]! >>> shift) & mask) + 1]!++;
  for (let b = 0; b < buckets; b++) count[b + 1]! += count[b]!;
  for (let i = 0; i < src.length; i++) {
    const p = src[i]!;
    dst[count[(keys[p]! >>> shift) & mask]!++] = p;
  }
}

function checkRecord(units: Units, household: number, home: number, day: number): void {
  if (household >>> 0 !== household)
    throw new RangeError(`ReachIndex: household ${household} is not an integer in 0 … 2³²−1`);
  if (units.defined[home] !== 1) throw new RangeError(`ReachIndex: home ${home} is not a unit`);
  if ((day | 0) !== day) throw new RangeError(`ReachIndex: day ${day} is not a 32-bit integer`);
}

/**
 * Collects records and builds an index. Records in (home, household) order (an `ORDER BY home,
 * household` in SQL) go straight into blocks; out-of-order input is kept as columns and sorted by
 * `build()` (about 22 bytes a record more until then).
 */
export class ReachIndexBuilder {
  private feed: SortedFeed | null;
  private columns: Columns | null = null;
  private count = 0;
  private done = false;

  constructor(
    private readonly unitTable: Units,
    private readonly combos: Combos,
    private readonly settings: Settings,
    private readonly assemble: (blocks: Block[], records: number) => ReachIndex,
  ) {
    this.feed = new SortedFeed(settings, combos);
  }

  /** The id of a combination, allocated on first sight; for `addColumns`. */
  combo(aggregator: string, aidType: string, status: string): number {
    this.assertOpen();
    return this.combos.intern(aggregator, aidType, status);
  }

  add(r: ReachRecord): void {
    this.push(r.household, r.home, this.combo(r.aggregator, r.aidType, r.status), r.day);
  }

  /** Adds `length` records given as columns, with combination ids from `combo()`. */
  addColumns(
    household: ArrayLike<number>,
    home: ArrayLike<number>,
    combo: ArrayLike<number>,
    day: ArrayLike<number>,
    length = household.length,
  ): void {
    this.assertOpen();
    for (let i = 0; i < length; i++) this.push(household[i]!, home[i]!, combo[i]!, day[i]!);
  }

  build(): ReachIndex {
    this.assertOpen();
    this.done = true;
    const size = this.unitTable.size;
    let feed = this.feed;
    if (!feed) {
      const cols = this.columns!;
      this.columns = null;
      const order = cols.order(size);
      feed = new SortedFeed(this.settings, this.combos);
      for (let i = 0; i < order.length; i++) {
        const p = order[i]!;
        feed.push(cols.household[p]!, cols.home[p]!, cols.combo[p]!, cols.day[p]!);
      }
    }
    this.feed = null;
    return this.assemble(feed.finish(size), this.count);
  }

  private push(household: number, home: number, combo: number, day: number): void {
    checkRecord(this.unitTable, household, home, day);
    if (combo >>> 0 !== combo || combo >= this.combos.size)
      throw new RangeError(`ReachIndex: combination id ${combo} was not given by combo()`);
    this.count++;
    const feed = this.feed;
    if (feed) {
      if (feed.accepts(household, home)) {
        feed.push(household, home, combo, day);
        return;
      }
      this.columns = new Columns(Math.max(1024, this.count * 2));
      for (const b of feed.finish(feed.home + 1)) this.columns.pushBlock(b);
      this.feed = null;
    }
    this.columns!.push(household, home, combo, day);
  }

  private assertOpen(): void {
    if (this.done) throw new Error('ReachIndex: this builder has already built its index');
  }
}

/** Changes in (home, household) order, consumed one household at a time. */
class Cursor {
  private pos = 0;
  private readonly order: Uint32Array;

  constructor(
    private readonly cols: Columns,
    units: number,
  ) {
    this.order = cols.order(units);
  }

  /** Home of the next change (Infinity when none is left). */
  home(): number {
    return this.pos < this.order.length ? this.cols.home[this.order[this.pos]!]! : Infinity;
  }

  household(): number {
    return this.cols.household[this.order[this.pos]!]!;
  }

  /** Whether the next change is for this household and unit. */
  at(unit: number, household: number): boolean {
    return this.home() === unit && this.household() === household;
  }

  /** Changes left whose home is below `end`. */
  countBefore(end: number): number {
    let j = this.pos;
    while (j < this.order.length && this.cols.home[this.order[j]!]! < end) j++;
    return j - this.pos;
  }

  take(): number {
    const p = this.order[this.pos++]!;
    return keyOf(this.cols.combo[p]!, this.cols.day[p]!);
  }
}

/** First run in [lo, hi) whose household is ≥ h (households ascend within a unit). */
function lowerBound(household: Uint32Array, lo: number, hi: number, h: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (household[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Households reached in one unit; adds their first days to newPerDay. The hot loop. */
function countUnit(
  b: Block,
  k: number,
  allowed: Uint8Array,
  from: number,
  to: number,
  newPerDay: Uint32Array,
): number {
  const { household, combo, runLength, days } = b;
  const end = b.unitRun[k + 1]!;
  let count = 0;
  let current = -1;
  let first = 0;
  let next = b.unitDay[k]!;
  for (let r = b.unitRun[k]!; r < end; r++) {
    let i = next;
    const last = (next += runLength[r]!);
    if (!allowed[combo[r]!]) continue;
    while (i < last && days[i]! < from) i++;
    if (i === last) continue;
    const d = days[i]!;
    if (d > to) continue;
    const h = household[r]!;
    if (h === current) {
      if (d < first) first = d;
      continue;
    }
    if (current >= 0) {
      newPerDay[first - from]!++;
      count++;
    }
    current = h;
    first = d;
  }
  if (current >= 0) {
    newPerDay[first - from]!++;
    count++;
  }
  return count;
}

/** Counts one unit's households per aggregator; `stamp` numbers households seen so far. */
function countUnitByAggregator(
  b: Block,
  k: number,
  allowed: Uint8Array,
  from: number,
  to: number,
  aggregatorOf: Uint32Array,
  seen: Uint32Array,
  counts: Uint32Array,
  stamp: number,
): number {
  const { household, combo, runLength, days } = b;
  const end = b.unitRun[k + 1]!;
  let current = -1;
  let next = b.unitDay[k]!;
  for (let r = b.unitRun[k]!; r < end; r++) {
    let i = next;
    const last = (next += runLength[r]!);
    const c = combo[r]!;
    if (!allowed[c]) continue;
    while (i < last && days[i]! < from) i++;
    if (i === last || days[i]! > to) continue;
    if (household[r] !== current) {
      current = household[r]!;
      stamp++;
    }
    const a = aggregatorOf[c]!;
    if (seen[a] !== stamp) {
      seen[a] = stamp;
      counts[a]!++;
    }
  }
  return stamp;
}

/** Households filtered by recipient type: none unless households are among the types. */
const countsHouseholds = (f: ResolvedFilters) =>
  f.recipientTypes.length === 0 || f.recipientTypes.includes('household');

export class ReachIndex {
  private readonly blockFirst: Uint32Array;

  private constructor(
    private readonly unitTable: Units,
    private readonly combos: Combos,
    private readonly blocks: readonly Block[],
    private readonly recordCount: number,
    private readonly settings: Settings,
  ) {
    this.blockFirst = Uint32Array.from(blocks, (b) => b.firstUnit);
  }

  /** A builder for streaming loads; see ReachIndexBuilder for the order that keeps it lean. */
  static builder(units: readonly HomeUnit[], options: ReachIndexOptions = {}): ReachIndexBuilder {
    const settings = settingsOf(options);
    const unitTable = new Units(units);
    const combos = Combos.empty(settings.comboCapacity);
    return new ReachIndexBuilder(
      unitTable,
      combos,
      settings,
      (blocks, records) => new ReachIndex(unitTable, combos, blocks, records, settings),
    );
  }

  /** An index of records given in any order. */
  static fromRecords(
    units: readonly HomeUnit[],
    records: Iterable<ReachRecord>,
    options: ReachIndexOptions = {},
  ): ReachIndex {
    const b = ReachIndex.builder(units, options);
    for (const r of records) b.add(r);
    return b.build();
  }

  /** Number of records held. */
  get records(): number {
    return this.recordCount;
  }

  /** Length of Reach.perUnit: the highest HomeUnit.idx + 1. */
  get units(): number {
    return this.unitTable.size;
  }

  /**
   * A new index with the records added and removed; this one is left as it was. Only the blocks
   * holding a changed unit are rewritten. Throws, changing nothing, when a removed record is not
   * in this index plus the added ones.
   */
  withChanges(changes: ReachChanges): ReachIndex {
    const steps = this.changeSteps(changes);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `withChanges` in slices of about `sliceMs` of work, yielding to the event loop between them,
   * so that requests keep being answered while a large change set (an upload of a hundred
   * thousand records) is merged. The result is the same.
   */
  async withChangesInSlices(changes: ReachChanges, sliceMs = 8): Promise<ReachIndex> {
    const steps = this.changeSteps(changes);
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  /** The work of `withChanges`, pausing after each step (sorting the changes, each block). */
  private *changeSteps(changes: ReachChanges): Generator<void, ReachIndex> {
    const add = changes.add ?? [];
    const remove = changes.remove ?? [];
    const units = this.unitTable;
    let combos = this.combos;
    const adds = new Columns(Math.max(1, add.length));
    for (const r of add) {
      let c = combos.id(r.aggregator, r.aidType, r.status);
      if (c === undefined) {
        if (combos === this.combos) combos = combos.clone();
        c = combos.intern(r.aggregator, r.aidType, r.status);
      }
      checkRecord(units, r.household, r.home, r.day);
      adds.push(r.household, r.home, c, r.day);
    }
    const removes = new Columns(Math.max(1, remove.length));
    for (const r of remove) {
      const c = combos.id(r.aggregator, r.aidType, r.status);
      if (c === undefined || units.defined[r.home] !== 1) throw missing(r);
      checkRecord(units, r.household, r.home, r.day);
      removes.push(r.household, r.home, c, r.day);
    }
    yield;
    const added = new Cursor(adds, units.size);
    const removed = new Cursor(removes, units.size);
    yield;
    const group = new Keys();
    const gone = new Keys();

    const mergeUnit = (w: BlockWriter, b: Block, k: number) => {
      const u = b.firstUnit + k;
      const { household, combo, runLength, days } = b;
      const end = b.unitRun[k + 1]!;
      let r = b.unitRun[k]!;
      let day = b.unitDay[k]!;
      while (added.home() === u || removed.home() === u) {
        const h = Math.min(
          added.home() === u ? added.household() : Infinity,
          removed.home() === u ? removed.household() : Infinity,
        );
        // Households before h are unchanged.
        const next = lowerBound(household, r, end, h);
        let nextDay = day;
        for (let q = r; q < next; q++) nextDay += runLength[q]!;
        w.copy(b, r, next, day, nextDay);
        r = next;
        day = nextDay;
        group.n = 0;
        for (; r < end && household[r] === h; r++)
          for (const last = day + runLength[r]!; day < last; day++)
            group.push(keyOf(combo[r]!, days[day]!));
        while (added.at(u, h)) group.push(added.take());
        gone.n = 0;
        while (removed.at(u, h)) gone.push(removed.take());
        sortKeys(group.keys, group.n);
        sortKeys(gone.keys, gone.n);
        // Multiset difference of two sorted lists; a removal with no match is a caller bug.
        let kept = 0;
        let j = 0;
        for (let i = 0; i < group.n; i++) {
          const key = group.keys[i]!;
          if (j < gone.n && gone.keys[j]! < key) break;
          if (j < gone.n && gone.keys[j] === key) j++;
          else group.keys[kept++] = key;
        }
        if (j < gone.n) throw missingKey(h, u, gone.keys[j]!, combos);
        emitSorted(w, h, group.keys, kept, combos);
      }
      w.copy(b, r, end, day, b.unitDay[k + 1]!);
    };

    const { blockRecords, blockUnits } = this.settings;
    const blocks: Block[] = [];
    for (const b of this.blocks) {
      const end = b.firstUnit + b.unitRun.length - 1;
      if (Math.min(added.home(), removed.home()) >= end) {
        blocks.push(b);
        continue;
      }
      // Split only a block that has grown to twice the size, into about equal parts, so that
      // blocks do not fragment as records come and go.
      const adding = added.countBefore(end);
      const size = b.days.length + adding - removed.countBefore(end);
      const cutAt = size <= 2 * blockRecords ? Infinity : size / Math.round(size / blockRecords);
      const w = new BlockWriter(
        b.firstUnit,
        blockUnits,
        cutAt,
        b.household.length + adding,
        b.days.length + adding,
      );
      for (let k = 0; b.firstUnit + k < end; k++) {
        w.unit(b.firstUnit + k);
        if (added.home() === b.firstUnit + k || removed.home() === b.firstUnit + k)
          mergeUnit(w, b, k);
        else w.copy(b, b.unitRun[k]!, b.unitRun[k + 1]!, b.unitDay[k]!, b.unitDay[k + 1]!);
      }
      for (const nb of w.finish(end)) blocks.push(nb);
      yield;
    }
    return new ReachIndex(
      units,
      combos,
      blocks,
      this.recordCount + add.length - remove.length,
      this.settings,
    );
  }

  /**
   * Households with a matching record in the window, counted once at their home unit. `homes`
   * (HomeUnit.idx values) restricts to households living in an area.
   */
  reach(f: ResolvedFilters, homes: ReadonlySet<number> | null): Reach {
    const from = epochDay(f.from);
    const to = epochDay(f.to);
    const perUnit = new Uint32Array(this.unitTable.size);
    const newPerDay = new Uint32Array(Math.max(0, to - from + 1));
    let total = 0;
    if (!countsHouseholds(f)) return { perUnit, total, newPerDay };
    const allowed = this.combos.allowed(f);
    if (homes) {
      for (const u of this.sortedHomes(homes)) {
        const b = this.blockOf(u);
        const k = u - b.firstUnit;
        if (b.unitRun[k] === b.unitRun[k + 1]) continue;
        const n = countUnit(b, k, allowed, from, to, newPerDay);
        perUnit[u] = n;
        total += n;
      }
    } else {
      for (const b of this.blocks) {
        const { unitRun, firstUnit } = b;
        for (let k = 0; k + 1 < unitRun.length; k++) {
          if (unitRun[k] === unitRun[k + 1]) continue;
          const n = countUnit(b, k, allowed, from, to, newPerDay);
          perUnit[firstUnit + k] = n;
          total += n;
        }
      }
    }
    return { perUnit, total, newPerDay };
  }

  /** Households reached per aggregator (a household served by two counts for both). */
  reachByAggregator(f: ResolvedFilters, homes: ReadonlySet<number> | null): Map<string, number> {
    const out = new Map<string, number>();
    if (!countsHouseholds(f)) return out;
    const from = epochDay(f.from);
    const to = epochDay(f.to);
    const allowed = this.combos.allowed(f);
    const aggregatorOf = this.combos.aggregatorOf();
    const names = this.combos.names[0];
    const seen = new Uint32Array(names.length);
    const counts = new Uint32Array(names.length);
    let stamp = 0;
    const visit = (b: Block, k: number) => {
      if (b.unitRun[k] === b.unitRun[k + 1]) return;
      stamp = countUnitByAggregator(b, k, allowed, from, to, aggregatorOf, seen, counts, stamp);
    };
    if (homes) {
      for (const u of this.sortedHomes(homes)) {
        const b = this.blockOf(u);
        visit(b, u - b.firstUnit);
      }
    } else {
      for (const b of this.blocks) for (let k = 0; k + 1 < b.unitRun.length; k++) visit(b, k);
    }
    counts.forEach((n, a) => {
      if (n > 0) out.set(names[a]!, n);
    });
    return out;
  }

  /** Units of the households living in a region (null, meaning all, when there is none). */
  homesIn(area: { code: string; level: Level } | null): Set<number> | null {
    if (!area) return null;
    return new Set(this.unitTable.level(area.level).members.get(area.code));
  }

  /** A reach result summed to the regions of a level, by region code. */
  byRegion(reach: Reach, level: Level): Map<string, number> {
    const { codes, ordinal } = this.unitTable.level(level);
    const sums = new Float64Array(codes.length);
    const { perUnit } = reach;
    const n = Math.min(perUnit.length, ordinal.length);
    for (let u = 0; u < n; u++) {
      const o = ordinal[u]!;
      if (o >= 0 && perUnit[u]) sums[o]! += perUnit[u]!;
    }
    const out = new Map<string, number>();
    sums.forEach((s, o) => {
      if (s > 0) out.set(codes[o]!, s);
    });
    return out;
  }

  private sortedHomes(homes: ReadonlySet<number>): Uint32Array {
    const list = new Uint32Array(homes.size);
    let n = 0;
    for (const u of homes) if (u >>> 0 === u && u < this.unitTable.size) list[n++] = u;
    return list.subarray(0, n).sort();
  }

  private blockOf(u: number): Block {
    const first = this.blockFirst;
    let lo = 0;
    let hi = first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    return this.blocks[lo]!;
  }
}

function missing(r: ReachRecord): Error {
  return new Error(
    `ReachIndex: cannot remove a record that is not there (household ${r.household}, home ${r.home}, ` +
      `${r.aggregator}, ${r.aidType}, ${r.status}, day ${r.day})`,
  );
}

function missingKey(household: number, home: number, key: number, combos: Combos): Error {
  const c = Math.floor(key / TWO_32);
  return new Error(
    `ReachIndex: cannot remove a record that is not there (household ${household}, home ${home}, ` +
      `${combos.describe(c)}, day ${key - c * TWO_32 - TWO_31})`,
  );
}
