import { booleanPointInPolygon, bbox } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Random } from '../lib/random';

export interface PointSampler {
  /** A point inside the region, uniform over its bounding box by rejection. */
  sample(random: Random): [number, number];
}

const MAX_TRIES = 500;

export function pointSampler(
  feature: Feature<Polygon | MultiPolygon>,
  fallback: [number, number],
): PointSampler {
  const [minX, minY, maxX, maxY] = bbox(feature);
  return {
    sample(random) {
      for (let i = 0; i < MAX_TRIES; i++) {
        const p: [number, number] = [
          round6(minX + random.float() * (maxX - minX)),
          round6(minY + random.float() * (maxY - minY)),
        ];
        if (booleanPointInPolygon(p, feature)) return p;
      }
      return fallback;
    },
  };
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
