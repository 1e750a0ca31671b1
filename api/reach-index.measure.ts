/**
 * Measures the reach index at Jakarta scale on synthetic data (not a test: timings depend on the
 * machine). Times are process CPU milliseconds. Run with `npx tsx api/reach-index.measure.ts`.
 */
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ResolvedFilters } from './db/filters';
import { AGGREGATORS, AID_TYPES, RECORD_STATUSES } from './domain';
import { ReachIndex, type HomeUnit, type ReachRecord } from './reach-index';

const UNITS = 2_700;
const HOUSEHOLDS = 1_000_000;
const DAYS = 365;
const FIRST_DAY = 18_262; // 2020-01-01
const CHUNK = 2_048; // rows per DuckDB data chunk
const AID_TYPE_WEIGHTS = [0.5, 0.3, 0.1, 0.1];
const STATUS_WEIGHTS = [0.1, 0.1, 0.7, 0.05, 0.05];
const AGGREGATOR_WEIGHTS = [0.3, 0.2, 0.15, 0.15, 0.1, 0.1];

/** Records as columns of indexes into the domain lists, in (home, household) order. */
export interface Synthetic {
  units: HomeUnit[];
  length: number;
  household: Uint32Array;
  home: Uint32Array;
  aggregator: Uint8Array;
  aidType: Uint8Array;
  status: Uint8Array;
  day: Int32Array;
  /** Records of unit u are unitStart[u] … unitStart[u + 1] − 1. */
  unitStart: Uint32Array;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function weighted(random: () => number, weights: readonly number[]): number {
  let x = random();
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]!) < 0) return i;
  return weights.length - 1;
}

/** Every tenth unit is a kelurahan's part outside any RW; 10 units a kelurahan, 6 a kecamatan. */
export function synthUnits(): HomeUnit[] {
  return Array.from({ length: UNITS }, (_, idx) => {
    const kel = Math.floor(idx / 10);
    const kec = Math.floor(kel / 6);
    return {
      idx,
      rw: idx % 10 === 9 ? null : `rw-${idx}`,
      kelurahan: `kel-${kel}`,
      kecamatan: `kec-${kec}`,
      kota: `kota-${kec % 6}`,
    };
  });
}

/** About ten records a household, mostly from one or two aggregators, over a year. */
export function synthesise(seed = 1): Synthetic {
  const random = mulberry32(seed);
  const homeOf = new Uint32Array(HOUSEHOLDS);
  const perUnit = new Uint32Array(UNITS + 1);
  for (let h = 0; h < HOUSEHOLDS; h++) {
    homeOf[h] = Math.floor(random() * UNITS);
    perUnit[homeOf[h]! + 1]!++;
  }
  for (let u = 0; u < UNITS; u++) perUnit[u + 1]! += perUnit[u]!;
  const byHome = new Uint32Array(HOUSEHOLDS);
  const at = perUnit.slice();
  for (let h = 0; h < HOUSEHOLDS; h++) byHome[at[homeOf[h]!]!++] = h;

  const capacity = HOUSEHOLDS * 16;
  const s: Synthetic = {
    units: synthUnits(),
    length: 0,
    household: new Uint32Array(capacity),
    home: new Uint32Array(capacity),
    aggregator: new Uint8Array(capacity),
    aidType: new Uint8Array(capacity),
    status: new Uint8Array(capacity),
    day: new Int32Array(capacity),
    unitStart: new Uint32Array(UNITS + 1),
  };
  let n = 0;
  let unit = 0;
  for (const h of byHome) {
    while (unit < homeOf[h]!) s.unitStart[++unit] = n;
    const primary = weighted(random, AGGREGATOR_WEIGHTS);
    const secondary = random() < 0.3 ? weighted(random, AGGREGATOR_WEIGHTS) : primary;
    const records = 5 + Math.floor(random() * 11);
    for (let i = 0; i < records; i++, n++) {
      s.household[n] = h;
      s.home[n] = homeOf[h]!;
      s.aggregator[n] = random() < 0.8 ? primary : secondary;
      s.aidType[n] = weighted(random, AID_TYPE_WEIGHTS);
      s.status[n] = weighted(random, STATUS_WEIGHTS);
      s.day[n] = FIRST_DAY + Math.floor(random() * DAYS);
    }
  }
  while (unit < UNITS) s.unitStart[++unit] = n;
  s.length = n;
  return s;
}

export function recordAt(s: Synthetic, i: number): ReachRecord {
  return {
    household: s.household[i]!,
    home: s.home[i]!,
    aggregator: AGGREGATORS[s.aggregator[i]!]!,
    aidType: AID_TYPES[s.aidType[i]!]!,
    status: RECORD_STATUSES[s.status[i]!]!,
    day: s.day[i]!,
  };
}

/**
 * Feeds the records as a loader would, in chunks of resolved columns; `order` (positions) gives
 * the arrival order, (home, household) order when absent.
 */
export function load(s: Synthetic, order?: Uint32Array): ReachIndex {
  const b = ReachIndex.builder(s.units);
  const comboIds = new Int32Array(AGGREGATORS.length * AID_TYPES.length * RECORD_STATUSES.length);
  AGGREGATORS.forEach((a, ai) =>
    AID_TYPES.forEach((t, ti) =>
      RECORD_STATUSES.forEach((st, si) => {
        comboIds[(ai * AID_TYPES.length + ti) * RECORD_STATUSES.length + si] = b.combo(a, t, st);
      }),
    ),
  );
  const household = new Uint32Array(CHUNK);
  const home = new Uint32Array(CHUNK);
  const combo = new Int32Array(CHUNK);
  const day = new Int32Array(CHUNK);
  for (let first = 0; first < s.length; first += CHUNK) {
    const n = Math.min(CHUNK, s.length - first);
    for (let i = 0; i < n; i++) {
      const p = order ? order[first + i]! : first + i;
      household[i] = s.household[p]!;
      home[i] = s.home[p]!;
      combo[i] =
        comboIds[
          (s.aggregator[p]! * AID_TYPES.length + s.aidType[p]!) * RECORD_STATUSES.length +
            s.status[p]!
        ]!;
      day[i] = s.day[p]!;
    }
    b.addColumns(household, home, combo, day, n);
  }
  return b.build();
}

export function filters(overrides: Partial<ResolvedFilters> = {}): ResolvedFilters {
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  return {
    from: iso(FIRST_DAY),
    to: iso(FIRST_DAY + DAYS - 1),
    aidTypes: [],
    aggregators: [],
    recipientTypes: [],
    area: null,
    statuses: [...RECORD_STATUSES],
    ...overrides,
  };
}

/** Milliseconds of process CPU time, which other processes on a busy machine disturb less than wall time. */
export function cpuTime(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}

export function median(run: () => unknown, times = 21): number {
  for (let i = 0; i < 3; i++) run();
  const ms = Array.from({ length: times }, () => cpuTime(run));
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap plus typed-array buffers, after a full collection, in MB. */
export function memory(): { used: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { used: (m.heapUsed + m.arrayBuffers) / 2 ** 20, rss: m.rss / 2 ** 20 };
}

const time = <T>(run: () => T): [T, number] => {
  const before = process.cpuUsage();
  const out = run();
  const { user, system } = process.cpuUsage(before);
  return [out, (user + system) / 1000];
};

function main(): void {
  const [s, synthMs] = time(() => synthesise());
  console.log(`synthesised ${s.length.toLocaleString()} records in ${synthMs.toFixed(0)} ms`);
  const before = memory();
  const [index, buildMs] = time(() => load(s));
  const after = memory();
  console.log(
    `build, (home, household) order: ${buildMs.toFixed(0)} ms; index ≈ ` +
      `${(after.used - before.used).toFixed(0)} MB (heap + buffers), RSS ${after.rss.toFixed(0)} MB`,
  );
  const shuffled = new Uint32Array(s.length);
  {
    // Household-id order: every household's records together, homes all over the place.
    const byHousehold = new Uint32Array(HOUSEHOLDS + 1);
    for (let i = 0; i < s.length; i++) byHousehold[s.household[i]! + 1]!++;
    for (let h = 0; h < HOUSEHOLDS; h++) byHousehold[h + 1]! += byHousehold[h]!;
    for (let i = 0; i < s.length; i++) shuffled[byHousehold[s.household[i]!]!++] = i;
  }
  const [unordered, unorderedMs] = time(() => load(s, shuffled));
  console.log(
    `build, household-id order (sorted in JS): ${unorderedMs.toFixed(0)} ms; RSS ${memory().rss.toFixed(0)} MB`,
  );

  const area = index.homesIn({ code: 'kec-7', level: 'kecamatan' });
  const cases: [string, ResolvedFilters, ReadonlySet<number> | null][] = [
    ['(a) all open (all statuses, the year)', filters(), null],
    ['(a′) all open, verified only', filters({ statuses: ['verified'] }), null],
    [
      '(b) one aid type + one aggregator',
      filters({ aidTypes: ['sembako'], aggregators: ['pmi'] }),
      null,
    ],
    [`(c) one kecamatan (${area?.size} units)`, filters(), area],
  ];
  for (const [name, f, homes] of cases) {
    const total = index.reach(f, homes).total;
    if (unordered.reach(f, homes).total !== total) throw new Error('the two builds disagree');
    console.log(
      `reach ${name}: ${median(() => index.reach(f, homes)).toFixed(2)} ms median, ${total} households`,
    );
  }
  console.log(
    `reachByAggregator (a): ${median(() => index.reachByAggregator(filters(), null)).toFixed(2)} ms median`,
  );

  const random = mulberry32(2);
  const someRecord = (home: number) => {
    const i =
      s.unitStart[home]! + Math.floor(random() * (s.unitStart[home + 1]! - s.unitStart[home]!));
    return { ...recordAt(s, i), day: FIRST_DAY + Math.floor(random() * DAYS) };
  };
  const spread = Array.from({ length: 100_000 }, () => someRecord(Math.floor(random() * UNITS)));
  const tenUnits = Array.from({ length: 10 }, () => Math.floor(random() * UNITS));
  const few = Array.from({ length: 1_000 }, (_, i) => someRecord(tenUnits[i % 10]!));
  const moves = Array.from({ length: 1_000 }, (_, i) => {
    const u = tenUnits[i % 10]!;
    return recordAt(s, s.unitStart[u]! + Math.floor(i / 10));
  });
  const moved = moves.map((r) => ({
    ...r,
    status: r.status === 'verified' ? 'rejected' : 'verified',
  }));
  const changes: [string, Parameters<ReachIndex['withChanges']>[0]][] = [
    ['add 100,000 records over all units', { add: spread }],
    ['add 1,000 records in 10 units', { add: few }],
    ['change the status of 1,000 records in 10 units', { add: moved, remove: moves }],
  ];
  for (const [name, change] of changes)
    console.log(
      `withChanges, ${name}: ${median(() => index.withChanges(change), 7).toFixed(1)} ms median`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
