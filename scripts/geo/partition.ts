import { area, bbox, bboxClip, cleanCoords } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { isValidShape, polygonsOf } from './repair';

type Shape = Feature<Polygon | MultiPolygon>;
type BBox = [number, number, number, number];

const BISECTION_STEPS = 40;

function clip(f: Shape, box: BBox): Position[][][] {
  const clipped = bboxClip(f, box) as Shape;
  return polygonsOf(clipped)
    .map((poly) => poly.filter((ring) => ring.length >= 4))
    .filter((poly) => poly.length > 0 && area({ type: 'Polygon', coordinates: poly }) > 0);
}

/**
 * Splits a (Multi)Polygon into n parts of equal area: its bounding box is cut into n strips
 * along the longer axis, each cut placed by bisection so every strip holds 1/n of the area.
 * Deterministic: the same polygon and n always give the same parts.
 */
export function partitionEqualArea(f: Shape, n: number): Feature<Polygon | MultiPolygon, null>[] {
  const [minX, minY, maxX, maxY] = bbox(f) as BBox;
  const alongX = maxX - minX >= maxY - minY;
  const lo = alongX ? minX : minY;
  const hi = alongX ? maxX : maxY;
  const strip = (a: number, b: number): BBox => (alongX ? [a, minY, b, maxY] : [minX, a, maxX, b]);
  const total = area(f);
  const areaBefore = (cut: number) =>
    clip(f, strip(lo, cut)).reduce((s, p) => s + area({ type: 'Polygon', coordinates: p }), 0);

  const cuts: number[] = [lo];
  for (let i = 1; i < n; i++) {
    const target = (total * i) / n;
    let a = cuts[i - 1]!;
    let b = hi;
    for (let s = 0; s < BISECTION_STEPS; s++) {
      const mid = (a + b) / 2;
      if (areaBefore(mid) < target) a = mid;
      else b = mid;
    }
    cuts.push((a + b) / 2);
  }
  cuts.push(hi);

  return cuts.slice(0, -1).map((start, i) => {
    const polys = clip(f, strip(start, cuts[i + 1]!));
    const part: Feature<Polygon | MultiPolygon, null> = cleanCoords({
      type: 'Feature',
      properties: null,
      geometry:
        polys.length === 1
          ? { type: 'Polygon', coordinates: polys[0]! }
          : { type: 'MultiPolygon', coordinates: polys },
    });
    if (!isValidShape(part)) throw new Error(`partition part ${i + 1} of ${n} is invalid`);
    return part;
  });
}
