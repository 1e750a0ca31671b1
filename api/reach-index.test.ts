import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedFilters } from './db/filters';
import { LEVELS, type Level } from './domain';
import {
  ReachIndex,
  type HomeUnit,
  type Reach,
  type ReachIndexOptions,
  type ReachRecord,
} from './reach-index';

// More aggregators than the old 3-bit field held and more statuses than its 2 bits.
const AGGREGATORS = Array.from({ length: 11 }, (_, i) => `agg-${i}`);
const AID_TYPES = ['sembako', 'siap_saji', 'lebaran', 'thr', 'tunai'];
const STATUSES = ['submitted', 'verified_kelurahan', 'verified', 'rejected', 'returned', 'x'];
const RECIPIENT_TYPES = ['household', 'orphanage', 'community'];
const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface Dataset {
  units: HomeUnit[];
  records: ReachRecord[];
  /** Each household's home, so generated changes keep it. */
  homes: Map<number, number>;
  days: [number, number];
}

interface Filter {
  f: ResolvedFilters;
  homes: Set<number> | null;
}

/** Units with sparse indexes (idx > 65,535 has its own test), codes shared so regions hold several units. */
const unitsArb = fc
  .record({
    count: fc.integer({ min: 1, max: 9 }),
    base: fc.constantFrom(0, 1, 3),
    stride: fc.constantFrom(1, 2, 7),
    nullRw: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
  })
  .map(({ count, base, stride, nullRw }) =>
    Array.from({ length: count }, (_, i): HomeUnit => {
      const kel = i % 4;
      return {
        idx: base + i * stride,
        rw: nullRw[i] ? null : `rw-${i}`,
        kelurahan: `kel-${kel}`,
        kecamatan: `kec-${kel % 2}`,
        kota: 'kota-0',
      };
    }),
  );

const recordFieldsArb = fc.record({
  aggregator: fc.constantFrom(...AGGREGATORS),
  aidType: fc.constantFrom(...AID_TYPES),
  status: fc.constantFrom(...STATUSES),
  offset: fc.integer({ min: 0, max: 20 }),
});

const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    units: unitsArb,
    firstDay: fc.constantFrom(18_353, -10),
    households: fc.uniqueArray(
      fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(65_536, 2 ** 32 - 1)),
      { minLength: 1, maxLength: 12 },
    ),
    homePicks: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    records: fc.array(fc.tuple(fc.nat(), recordFieldsArb), { maxLength: 60 }),
  })
  .map(({ units, firstDay, households, homePicks, records }) => {
    const homes = new Map(
      households.map((h, i) => [h, units[homePicks[i]! % units.length]!.idx] as const),
    );
    return {
      units,
      homes,
      days: [firstDay, firstDay + 20] as [number, number],
      records: records.map(([pick, r]) => {
        const household = households[pick % households.length]!;
        return {
          household,
          home: homes.get(household)!,
          aggregator: r.aggregator,
          aidType: r.aidType,
          status: r.status,
          day: firstDay + r.offset,
        };
      }),
    };
  });

const filterArb = (d: Dataset): fc.Arbitrary<Filter> =>
  fc
    .record({
      from: fc.integer({ min: d.days[0] - 2, max: d.days[1] + 2 }),
      length: fc.integer({ min: -1, max: 25 }),
      aidTypes: fc.subarray(AID_TYPES),
      aggregators: fc.subarray(AGGREGATORS),
      statuses: fc.subarray(STATUSES),
      recipientTypes: fc.subarray(RECIPIENT_TYPES),
      homes: fc.option(fc.subarray([...d.units.map((u) => u.idx), 3_000_000]), { nil: null }),
    })
    .map((r) => ({
      f: {
        from: iso(r.from),
        to: iso(r.from + r.length),
        aidTypes: r.aidTypes,
        aggregators: r.aggregators,
        statuses: r.statuses,
        recipientTypes: r.recipientTypes,
        area: null,
      } as unknown as ResolvedFilters,
      homes: r.homes && new Set(r.homes),
    }));

const optionsArb: fc.Arbitrary<ReachIndexOptions> = fc.record({
  blockRecords: fc.integer({ min: 1, max: 40 }),
  blockUnits: fc.integer({ min: 1, max: 4 }),
});

/** Records matching a filter, by brute force over the raw list. */
function matching(records: readonly ReachRecord[], { f, homes }: Filter): ReachRecord[] {
  if (f.recipientTypes.length && !f.recipientTypes.includes('household')) return [];
  const from = Date.parse(f.from) / DAY_MS;
  const to = Date.parse(f.to) / DAY_MS;
  return records.filter(
    (r) =>
      r.day >= from &&
      r.day <= to &&
      (!f.aidTypes.length || (f.aidTypes as string[]).includes(r.aidType)) &&
      (!f.aggregators.length || (f.aggregators as string[]).includes(r.aggregator)) &&
      (f.statuses as string[]).includes(r.status) &&
      (!homes || homes.has(r.home)),
  );
}

function bruteReach(units: HomeUnit[], records: readonly ReachRecord[], filter: Filter) {
  const from = Date.parse(filter.f.from) / DAY_MS;
  const to = Date.parse(filter.f.to) / DAY_MS;
  const first = new Map<number, ReachRecord>();
  for (const r of matching(records, filter)) {
    const seen = first.get(r.household);
    if (!seen || r.day < seen.day) first.set(r.household, r);
  }
  const perUnit = new Array<number>(Math.max(...units.map((u) => u.idx)) + 1).fill(0);
  const newPerDay = new Array<number>(Math.max(0, to - from + 1)).fill(0);
  for (const r of first.values()) {
    perUnit[r.home]!++;
    newPerDay[r.day - from]!++;
  }
  return { perUnit, total: first.size, newPerDay };
}

function bruteByAggregator(records: readonly ReachRecord[], filter: Filter) {
  const households = new Map<string, Set<number>>();
  for (const r of matching(records, filter)) {
    if (!households.has(r.aggregator)) households.set(r.aggregator, new Set());
    households.get(r.aggregator)!.add(r.household);
  }
  return Object.fromEntries([...households].map(([a, s]) => [a, s.size]));
}

function bruteByRegion(units: HomeUnit[], perUnit: number[], level: Level) {
  const out: Record<string, number> = {};
  for (const u of units) {
    const code = u[level];
    if (code !== null && perUnit[u.idx]) out[code] = (out[code] ?? 0) + perUnit[u.idx]!;
  }
  return out;
}

/** Non-zero entries only, so a failure shows which units differ. */
const sparse = (perUnit: ArrayLike<number>) =>
  Object.fromEntries(Array.from(perUnit, (n, u) => [u, n] as const).filter(([, n]) => n > 0));

const plain = (r: Reach) => ({
  perUnit: sparse(r.perUnit),
  length: r.perUnit.length,
  total: r.total,
  newPerDay: [...r.newPerDay],
});

/** Every answer the index gives for a filter, in a comparable form. */
function answers(index: ReachIndex, filter: Filter) {
  const reach = index.reach(filter.f, filter.homes);
  return {
    reach: plain(reach),
    byAggregator: Object.fromEntries(index.reachByAggregator(filter.f, filter.homes)),
    byRegion: LEVELS.map((level) => Object.fromEntries(index.byRegion(reach, level))),
  };
}

function bruteAnswers(units: HomeUnit[], records: readonly ReachRecord[], filter: Filter) {
  const reach = bruteReach(units, records, filter);
  return {
    reach: {
      perUnit: sparse(reach.perUnit),
      length: reach.perUnit.length,
      total: reach.total,
      newPerDay: reach.newPerDay,
    },
    byAggregator: bruteByAggregator(records, filter),
    byRegion: LEVELS.map((level) => bruteByRegion(units, reach.perUnit, level)),
  };
}

const byHomeHousehold = (a: ReachRecord, b: ReachRecord) =>
  a.home - b.home || a.household - b.household;

/**
 * The same records through each loading path: any order; streamed in (home, household) order as
 * columns; with two extra copies of a record that are then removed; and spilled from the streamed
 * path to the sorted one midway (an out-of-order copy, removed afterwards).
 */
function buildAllWays(d: Dataset, options: ReachIndexOptions): ReachIndex[] {
  const sorted = [...d.records].sort(byHomeHousehold);
  const streamed = ReachIndex.builder(d.units, options);
  const combos = sorted.map((r) => streamed.combo(r.aggregator, r.aidType, r.status));
  streamed.addColumns(
    sorted.map((r) => r.household),
    sorted.map((r) => r.home),
    combos,
    sorted.map((r) => r.day),
  );
  const ways = [ReachIndex.fromRecords(d.units, d.records, options), streamed.build()];
  const first = sorted[0];
  if (first) {
    const twice = [first, first];
    ways.push(
      ReachIndex.fromRecords(d.units, [...d.records, ...twice], options).withChanges({
        remove: twice,
      }),
    );
    const spilled = ReachIndex.builder(d.units, options);
    const half = Math.ceil(sorted.length / 2);
    for (const r of [...sorted.slice(0, half), first, ...sorted.slice(half)]) spilled.add(r);
    ways.push(spilled.build().withChanges({ remove: [first] }));
  }
  return ways;
}

describe('ReachIndex', () => {
  it('counts distinct households, first days and regions as a brute-force count does', () => {
    fc.assert(
      fc.property(
        datasetArb.chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(filterArb(d), { minLength: 1, maxLength: 5 }),
            optionsArb,
          ),
        ),
        ([d, filters, options]) => {
          for (const index of buildAllWays(d, options)) {
            expect(index.records).toBe(d.records.length);
            expect(index.units).toBe(Math.max(...d.units.map((u) => u.idx)) + 1);
            for (const filter of filters)
              expect(answers(index, filter)).toEqual(bruteAnswers(d.units, d.records, filter));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives after any sequence of changes what a rebuild gives, and old versions keep answering', () => {
    const stepArb = (d: Dataset) =>
      fc.record({
        add: fc.array(fc.tuple(fc.constantFrom(...d.homes.keys()), recordFieldsArb), {
          maxLength: 6,
        }),
        remove: fc.array(fc.nat(), { maxLength: 4 }),
        move: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...STATUSES)), { maxLength: 4 }),
      });
    fc.assert(
      fc.property(
        datasetArb.chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(stepArb(d), { minLength: 1, maxLength: 6 }),
            fc.array(filterArb(d), { minLength: 1, maxLength: 4 }),
            optionsArb,
          ),
        ),
        ([d, steps, filters, options]) => {
          let model = [...d.records];
          let index = ReachIndex.fromRecords(d.units, model, options);
          const versions: { index: ReachIndex; expected: unknown[] }[] = [];
          const snapshot = (i: ReachIndex) =>
            versions.push({ index: i, expected: filters.map((f) => answers(i, f)) });
          snapshot(index);
          for (const step of steps) {
            const add = step.add.map(([household, r]) => ({
              household,
              home: d.homes.get(household)!,
              aggregator: r.aggregator,
              aidType: r.aidType,
              status: r.status,
              day: d.days[0] + r.offset,
            }));
            // Removals and status moves pick distinct records present before the step.
            const picked = [
              ...new Set(
                [...step.remove, ...step.move.map(([p]) => p)].map((p) => p % (model.length || 1)),
              ),
            ].filter((p) => p < model.length);
            const removedAt = picked.slice(0, step.remove.length);
            const movedAt = picked.slice(step.remove.length);
            const moved = movedAt.map((p, i) => ({ ...model[p]!, status: step.move[i]![1] }));
            const remove = [...removedAt, ...movedAt].map((p) => model[p]!);
            const gone = new Set([...removedAt, ...movedAt]);
            model = [...model.filter((_, p) => !gone.has(p)), ...add, ...moved];
            index = index.withChanges({ add: [...add, ...moved], remove });
            snapshot(index);
          }
          const rebuilt = ReachIndex.fromRecords(d.units, model, options);
          expect(index.records).toBe(model.length);
          for (const filter of filters) {
            expect(answers(index, filter)).toEqual(answers(rebuilt, filter));
            expect(answers(index, filter)).toEqual(bruteAnswers(d.units, model, filter));
          }
          for (const v of versions)
            expect(filters.map((f) => answers(v.index, f))).toEqual(v.expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sorts a large load or change set arriving in any order as it sorts a small one', () => {
    const units: HomeUnit[] = Array.from({ length: 50 }, (_, idx) => ({
      idx,
      rw: `rw-${idx}`,
      kelurahan: `kel-${idx % 7}`,
      kecamatan: 'kec',
      kota: 'kota',
    }));
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    // Household ids within 22 bits take one radix pass, full 32-bit ids two.
    for (const householdRange of [3_000, 2 ** 32]) {
      const homeOf = new Map<number, number>();
      const records = Array.from({ length: 140_000 }, (): ReachRecord => {
        const household = householdRange === 3_000 ? random(3_000) : random(2 ** 31) * 2 + 1;
        if (!homeOf.has(household)) homeOf.set(household, random(50));
        return {
          household,
          home: homeOf.get(household)!,
          aggregator: AGGREGATORS[random(AGGREGATORS.length)]!,
          aidType: AID_TYPES[random(AID_TYPES.length)]!,
          status: STATUSES[random(STATUSES.length)]!,
          day: 18_000 + random(40),
        };
      });
      const first = records.slice(0, 70_000);
      const rest = records.slice(70_000);
      const whole = ReachIndex.fromRecords(units, records);
      const changed = ReachIndex.fromRecords(units, [...first, ...rest.slice(0, 100)]).withChanges({
        add: rest.slice(100),
      });
      const shrunk = whole.withChanges({ remove: rest });
      const filter: Filter = {
        f: {
          from: iso(18_005),
          to: iso(18_030),
          aidTypes: AID_TYPES.slice(1),
          aggregators: AGGREGATORS.slice(2),
          statuses: STATUSES.slice(1),
          recipientTypes: [],
          area: null,
        } as unknown as ResolvedFilters,
        homes: null,
      };
      const expected = bruteAnswers(units, records, filter);
      expect(answers(whole, filter)).toEqual(expected);
      expect(answers(changed, filter)).toEqual(expected);
      expect(answers(shrunk, filter)).toEqual(bruteAnswers(units, first, filter));
    }
  });

  it('refuses to remove a record that is not there, and changes nothing', () => {
    const units: HomeUnit[] = [
      { idx: 0, rw: '01', kelurahan: 'k', kecamatan: 'c', kota: 't' },
      { idx: 1, rw: '02', kelurahan: 'k', kecamatan: 'c', kota: 't' },
    ];
    const r: ReachRecord = {
      household: 7,
      home: 0,
      aggregator: 'act',
      aidType: 'sembako',
      status: 'verified',
      day: 18_400,
    };
    const index = ReachIndex.fromRecords(units, [r]);
    expect(() => index.withChanges({ remove: [{ ...r, day: 18_401 }] })).toThrow(/not there/);
    expect(() => index.withChanges({ remove: [{ ...r, status: 'rejected' }] })).toThrow(
      /not there/,
    );
    expect(() => index.withChanges({ remove: [{ ...r, aggregator: 'pmi' }] })).toThrow(/not there/);
    expect(() => index.withChanges({ remove: [{ ...r, home: 1 }] })).toThrow(/not there/);
    expect(() => index.withChanges({ remove: [{ ...r, home: 5 }] })).toThrow(/not there/);
    expect(() => index.withChanges({ remove: [r, r] })).toThrow(/not there/);
    const f = {
      from: iso(18_390),
      to: iso(18_410),
      aidTypes: [],
      aggregators: [],
      statuses: ['verified'],
      recipientTypes: [],
      area: null,
    } as unknown as ResolvedFilters;
    expect(index.reach(f, null).total).toBe(1);
    expect(index.withChanges({ remove: [r] }).reach(f, null).total).toBe(0);
    expect(index.withChanges({ add: [r], remove: [r, r] }).records).toBe(0);
  });

  it('throws a clear error instead of wrapping when combinations exceed the capacity', () => {
    const units: HomeUnit[] = [{ idx: 0, rw: '01', kelurahan: 'k', kecamatan: 'c', kota: 't' }];
    const record = (a: number, t = 0): ReachRecord => ({
      household: a,
      home: 0,
      aggregator: `agg-${a}`,
      aidType: `type-${t}`,
      status: 'verified',
      day: 0,
    });
    const eight = Array.from({ length: 8 }, (_, a) => record(a));
    expect(() =>
      ReachIndex.fromRecords(units, [...eight, record(8)], { comboCapacity: 8 }),
    ).toThrow(/at most 8 combinations/);
    const full = ReachIndex.fromRecords(units, eight, { comboCapacity: 8 });
    expect(() => full.withChanges({ add: [record(8)] })).toThrow(/at most 8 combinations/);
    expect(full.withChanges({ add: [record(7)] }).records).toBe(9);

    // The real capacity: 65,536 combinations fit and every one keeps its own count.
    const many: ReachRecord[] = [];
    for (let a = 0; a < 256; a++) for (let t = 0; t < 256; t++) many.push(record(a, t));
    const big = ReachIndex.fromRecords(units, many);
    const f = {
      from: iso(0),
      to: iso(0),
      aidTypes: ['type-3'],
      aggregators: ['agg-255'],
      statuses: ['verified'],
      recipientTypes: [],
      area: null,
    } as unknown as ResolvedFilters;
    expect(big.reach(f, null).total).toBe(1);
    expect(
      big.reachByAggregator({ ...f, aidTypes: [], aggregators: [] }, null).get('agg-200'),
    ).toBe(1);
    expect(() => big.withChanges({ add: [{ ...record(0), status: 'rejected' }] })).toThrow(
      /at most 65536 combinations/,
    );
  });

  it('keeps a household with more than 65,535 records of one combination whole', () => {
    const units: HomeUnit[] = [{ idx: 0, rw: '01', kelurahan: 'k', kecamatan: 'c', kota: 't' }];
    const record = (day: number, household = 1): ReachRecord => ({
      household,
      home: 0,
      aggregator: 'act',
      aidType: 'sembako',
      status: 'verified',
      day,
    });
    const records = Array.from({ length: 70_000 }, (_, d) => record(69_999 - d));
    const f = (from: number, to: number) =>
      ({
        from: iso(from),
        to: iso(to),
        aidTypes: [],
        aggregators: [],
        statuses: ['verified'],
        recipientTypes: [],
        area: null,
      }) as unknown as ResolvedFilters;
    for (const index of [
      ReachIndex.fromRecords(units, [record(5, 2), ...records, record(5, 0)]),
      ReachIndex.fromRecords(units, [record(5, 0), record(5, 2)]).withChanges({ add: records }),
    ]) {
      expect(index.records).toBe(70_002);
      const late = index.reach(f(66_000, 69_000), null);
      expect([late.total, late.newPerDay[0], late.newPerDay[1]]).toEqual([1, 1, 0]);
      const early = index.reach(f(0, 10), null);
      expect([early.total, early.newPerDay[0], early.newPerDay[5]]).toEqual([3, 1, 2]);
      const fewer = index.withChanges({ remove: records.slice(0, 3_000) });
      expect(fewer.reach(f(67_000, 69_999), null).total).toBe(0);
      expect(fewer.reach(f(66_999, 66_999), null).total).toBe(1);
    }
  });

  it('handles home unit indexes beyond 16 bits', () => {
    const units: HomeUnit[] = [0, 65_535, 65_536, 800_123].map((idx) => ({
      idx,
      rw: idx === 800_123 ? null : `rw-${idx}`,
      kelurahan: idx >= 65_536 ? 'kel-b' : 'kel-a',
      kecamatan: 'kec',
      kota: 'kota',
    }));
    const records: ReachRecord[] = units.flatMap((u, i) =>
      Array.from({ length: i + 1 }, (_, h) => ({
        household: u.idx * 10 + h,
        home: u.idx,
        aggregator: 'act',
        aidType: 'sembako',
        status: 'verified',
        day: 100,
      })),
    );
    const index = ReachIndex.fromRecords(units, records, { blockUnits: 1000 });
    const f = {
      from: iso(100),
      to: iso(100),
      aidTypes: [],
      aggregators: [],
      statuses: ['verified'],
      recipientTypes: [],
      area: null,
    } as unknown as ResolvedFilters;
    const all = index.reach(f, null);
    expect(index.units).toBe(800_124);
    expect([0, 65_535, 65_536, 800_123].map((u) => all.perUnit[u])).toEqual([1, 2, 3, 4]);
    expect(Object.fromEntries(index.byRegion(all, 'kelurahan'))).toEqual({
      'kel-a': 3,
      'kel-b': 7,
    });
    expect(Object.fromEntries(index.byRegion(all, 'rw'))).toEqual({
      'rw-0': 1,
      'rw-65535': 2,
      'rw-65536': 3,
    });
    expect(index.homesIn({ code: 'kel-b', level: 'kelurahan' })).toEqual(
      new Set([65_536, 800_123]),
    );
    expect(index.homesIn({ code: 'rw-65536', level: 'rw' })).toEqual(new Set([65_536]));
    expect(index.reach(f, index.homesIn({ code: 'kel-b', level: 'kelurahan' })).total).toBe(7);
    const moved = index.withChanges({ add: [{ ...records[0]!, household: 9, home: 800_123 }] });
    expect(moved.reach(f, null).perUnit[800_123]).toBe(5);
    expect(index.reach(f, null).perUnit[800_123]).toBe(4);
  });

  it('rejects records the index cannot hold', () => {
    const units: HomeUnit[] = [{ idx: 2, rw: '01', kelurahan: 'k', kecamatan: 'c', kota: 't' }];
    const r: ReachRecord = {
      household: 1,
      home: 2,
      aggregator: 'act',
      aidType: 'sembako',
      status: 'verified',
      day: 0,
    };
    expect(() => ReachIndex.fromRecords(units, [{ ...r, home: 1 }])).toThrow(/not a unit/);
    expect(() => ReachIndex.fromRecords(units, [{ ...r, household: -1 }])).toThrow(/household/);
    expect(() => ReachIndex.fromRecords(units, [{ ...r, day: 0.5 }])).toThrow(/day/);
    const b = ReachIndex.builder(units);
    expect(() => b.addColumns([1], [2], [0], [0])).toThrow(/combination id/);
  });
});
