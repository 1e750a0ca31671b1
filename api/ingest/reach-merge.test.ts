import { describe, expect, it } from 'vitest';
import type { ResolvedFilters } from '../db/filters';
import { ReachIndex, type HomeUnit, type ReachRecord } from '../reach-index';

// An upload merges its household records into the reach index in slices, yielding to the event
// loop between them; the index it gives must be the one withChanges gives.

const DAY = 18_400;

function dataset(units: number, records: number, seed: number): ReachRecord[] {
  let s = seed;
  const random = (n: number) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % n;
  };
  return Array.from({ length: records }, () => {
    const household = random(records);
    return {
      household,
      home: household % units,
      aggregator: ['act', 'pmi', 'baznas'][random(3)]!,
      aidType: ['sembako', 'thr'][random(2)]!,
      status: ['submitted', 'verified'][random(2)]!,
      day: DAY + random(30),
    };
  });
}

describe('merging an upload into the reach index in slices', () => {
  it('gives the index withChanges gives, and leaves the old one as it was', async () => {
    const units: HomeUnit[] = Array.from({ length: 400 }, (_, idx) => ({
      idx,
      rw: `rw-${idx}`,
      kelurahan: `kel-${idx % 20}`,
      kecamatan: `kec-${idx % 5}`,
      kota: 'kota',
    }));
    const base = ReachIndex.fromRecords(units, dataset(400, 60_000, 1), {
      blockRecords: 2_000,
    });
    const add = dataset(400, 70_000, 2).map((r) => ({ ...r, household: r.household + 30_000 }));
    let yields = 0;
    const counting = setInterval(() => yields++, 0);
    const sliced = await base.withChangesInSlices({ add }, 1);
    clearInterval(counting);
    const whole = base.withChanges({ add });
    const f = {
      from: '2020-05-01',
      to: '2020-06-30',
      aidTypes: [],
      aggregators: [],
      statuses: ['submitted', 'verified'],
      recipientTypes: [],
      area: null,
    } as unknown as ResolvedFilters;
    expect(sliced.records).toBe(whole.records);
    expect(sliced.reach(f, null)).toEqual(whole.reach(f, null));
    expect(base.reach(f, null).total).toBeLessThan(whole.reach(f, null).total);
    expect(base.records).toBe(60_000);
    // The merge gave the event loop a turn while it ran.
    expect(yields).toBeGreaterThan(0);
  });
});
