import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apportion } from './apportion';

describe('apportion', () => {
  it('splits by largest remainder', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
  });

  it('respects caps and moves the excess to the others', () => {
    expect(apportion(10, [10, 1, 1], [2, 100, 100])).toEqual([2, 4, 4]);
  });

  it('always adds up exactly and never exceeds caps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 50 })),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 2000 }),
        (pairs, wanted) => {
          const weights = pairs.map(([w]) => w);
          const caps = pairs.map(([, c]) => c);
          const capacity = caps.reduce((s, c) => s + c, 0);
          const total = Math.min(wanted, capacity);
          const parts = apportion(total, weights, caps);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(caps[i] as number);
          });
        },
      ),
    );
  });
});
