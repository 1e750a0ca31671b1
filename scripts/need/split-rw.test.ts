import { describe, expect, it } from 'vitest';
import { Random } from '../lib/random';
import { splitKelurahan } from './split-rw';

describe('splitKelurahan', () => {
  const totals = { population: 10_000, households: 3_000, need: 900 };

  it('follows RT counts and keeps totals exactly', () => {
    const split = splitKelurahan(
      [
        { code: 'a', rtCount: 10, areaKm2: 1, floodProne: false },
        { code: 'b', rtCount: 5, areaKm2: 5, floodProne: false },
        { code: 'c', rtCount: 15, areaKm2: 1, floodProne: true },
      ],
      totals,
      new Random(1),
    );
    expect(split.map((s) => s.households)).toEqual([1_000, 500, 1_500]);
    expect(split.reduce((s, r) => s + r.need, 0)).toBe(900);
    expect(split.reduce((s, r) => s + r.population, 0)).toBe(10_000);
    expect(split.every((s) => s.weightSource === 'rt')).toBe(true);
  });

  it('uses the median RT count for an RW missing from the list, and area when none is listed', () => {
    const partial = splitKelurahan(
      [
        { code: 'a', rtCount: 4, areaKm2: 1, floodProne: false },
        { code: 'b', rtCount: null, areaKm2: 1, floodProne: false },
        { code: 'c', rtCount: 8, areaKm2: 1, floodProne: false },
      ],
      totals,
      new Random(1),
    );
    expect(partial[1]!.weightSource).toBe('rt-median');
    expect(partial[1]!.households).toBe(partial[2]!.households);
    const byArea = splitKelurahan(
      [
        { code: 'a', rtCount: null, areaKm2: 1, floodProne: false },
        { code: 'b', rtCount: null, areaKm2: 2, floodProne: false },
      ],
      totals,
      new Random(1),
    );
    expect(byArea.map((s) => s.households)).toEqual([1_000, 2_000]);
  });

  it('never gives an RW more need than households', () => {
    const split = splitKelurahan(
      [
        { code: 'a', rtCount: 1, areaKm2: 1, floodProne: true },
        { code: 'b', rtCount: 99, areaKm2: 1, floodProne: false },
      ],
      { population: 100, households: 100, need: 95 },
      new Random(7),
    );
    split.forEach((s) => expect(s.need).toBeLessThanOrEqual(s.households));
    expect(split.reduce((s, r) => s + r.need, 0)).toBe(95);
  });
});
