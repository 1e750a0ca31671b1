import { area, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { partitionEqualArea } from './partition';
import { isValidShape, repairPolygon } from './repair';

describe('partitionEqualArea', () => {
  it('splits a 2×1 rectangle into two 1×1 halves', () => {
    const rect = polygon([
      [
        [0, 0],
        [0.02, 0],
        [0.02, 0.01],
        [0, 0.01],
        [0, 0],
      ],
    ]);
    const parts = partitionEqualArea(rect, 2);
    expect(parts).toHaveLength(2);
    const [a, b] = parts.map((p) => area(p));
    expect(Math.abs(a! - b!) / a!).toBeLessThan(1e-6);
    expect(parts[0]!.geometry.coordinates.flat(3).every((x) => (x as number) <= 0.01 + 1e-9)).toBe(
      true,
    );
  });

  it('splits islands into equal areas, deterministically', () => {
    const islands = {
      type: 'Feature' as const,
      properties: null,
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: [
          [
            [
              [0, 0],
              [0.01, 0],
              [0.01, 0.01],
              [0, 0.01],
              [0, 0],
            ],
          ],
          [
            [
              [0.03, 0],
              [0.05, 0],
              [0.05, 0.01],
              [0.03, 0.01],
              [0.03, 0],
            ],
          ],
        ],
      },
    };
    const parts = partitionEqualArea(islands, 3);
    const areas = parts.map((p) => area(p));
    const total = area(islands);
    areas.forEach((a) => expect(Math.abs(a - total / 3) / total).toBeLessThan(1e-4));
    parts.forEach((p) => expect(isValidShape(p)).toBe(true));
    expect(JSON.stringify(partitionEqualArea(islands, 3))).toBe(JSON.stringify(parts));
  });
});

describe('repairPolygon', () => {
  it('merges overlapping parts of a MultiPolygon into a valid shape with the same area', () => {
    const overlapping = {
      type: 'Feature' as const,
      properties: { code: 'x' },
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: [
          [
            [
              [0, 0],
              [0.02, 0],
              [0.02, 0.02],
              [0, 0.02],
              [0, 0],
            ],
          ],
          [
            [
              [0.01, 0],
              [0.03, 0],
              [0.03, 0.02],
              [0.01, 0.02],
              [0.01, 0],
            ],
          ],
        ],
      },
    };
    expect(isValidShape(overlapping)).toBe(false);
    const { feature, repaired } = repairPolygon(overlapping);
    expect(repaired).toBe(true);
    expect(isValidShape(feature)).toBe(true);
    expect(
      area(feature) /
        area(
          polygon([
            [
              [0, 0],
              [0.03, 0],
              [0.03, 0.02],
              [0, 0.02],
              [0, 0],
            ],
          ]),
        ),
    ).toBeCloseTo(1, 6);
    expect(feature.properties).toEqual({ code: 'x' });
  });
});
