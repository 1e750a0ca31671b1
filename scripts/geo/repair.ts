import {
  area,
  booleanIntersects,
  booleanValid,
  cleanCoords,
  featureCollection,
  intersect,
  kinks,
  polygon,
  union,
} from '@turf/turf';
import type { Feature, GeoJsonProperties, MultiPolygon, Polygon, Position } from 'geojson';

type Shape = Feature<Polygon | MultiPolygon>;

/** Parts below this share of the feature's area that touch a larger part are survey slivers. */
const SLIVER_SHARE = 0.01;

export function polygonsOf(f: Shape): Position[][][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

function fromPolygons<P extends GeoJsonProperties>(
  polys: Position[][][],
  properties: P,
): Feature<Polygon | MultiPolygon, P> {
  return {
    type: 'Feature',
    properties,
    geometry:
      polys.length === 1
        ? { type: 'Polygon', coordinates: polys[0]! }
        : { type: 'MultiPolygon', coordinates: polys },
  };
}

/**
 * OGC validity: every polygon valid on its own, and the parts of a MultiPolygon with disjoint
 * interiors (they may touch at points, which turf's booleanValid alone rejects).
 */
export function isValidShape(f: Shape): boolean {
  try {
    return validOrTouching(f);
  } catch {
    return false; // turf throws on degenerate rings
  }
}

function validOrTouching(f: Shape): boolean {
  if (polygonsOf(f).length === 0) return false;
  // turf's booleanValid does not look for self-intersecting rings; kinks does.
  if (polygonsOf(f).some((p) => kinks(polygon(p)).features.length > 0)) return false;
  if (booleanValid(f)) return true;
  if (f.geometry.type !== 'MultiPolygon') return false;
  const parts = polygonsOf(f).map((p) => polygon(p));
  if (!parts.every((p) => booleanValid(p))) return false;
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      const overlap = intersect(featureCollection([parts[i]!, parts[j]!]));
      if (overlap && area(overlap) > 0) return false;
    }
  }
  return true;
}

/**
 * Makes a source polygon valid: removes repeated points, merges overlapping parts of a
 * MultiPolygon (the RW layer merges split survey parts), then drops tiny slivers that only touch
 * a larger part. Returns the feature untouched when it is already valid.
 */
export function repairPolygon<P extends GeoJsonProperties>(
  f: Feature<Polygon | MultiPolygon, P>,
): {
  feature: Feature<Polygon | MultiPolygon, P>;
  repaired: boolean;
} {
  if (isValidShape(f)) return { feature: f, repaired: false };
  const parts = polygonsOf(f as Shape).map((p) => cleanCoords(polygon(p)));
  let merged: Shape = parts.length > 1 ? (union(featureCollection(parts)) as Shape) : parts[0]!;
  if (!isValidShape(merged)) {
    const polys = polygonsOf(merged);
    const total = area(merged);
    const sorted = [...polys].sort((a, b) => area(polygon(b)) - area(polygon(a)));
    const kept: Position[][][] = [];
    for (const p of sorted) {
      const small = area(polygon(p)) < total * SLIVER_SHARE;
      if (small && kept.some((k) => booleanIntersects(polygon(k), polygon(p)))) continue;
      kept.push(p);
    }
    merged = fromPolygons(kept, null) as Shape;
  }
  const out = fromPolygons(polygonsOf(cleanCoords(merged) as Shape), f.properties);
  if (!isValidShape(out))
    throw new Error(`could not repair polygon ${JSON.stringify(f.properties)}`);
  return { feature: out, repaired: true };
}

export function roundPositions<G extends Polygon | MultiPolygon>(geometry: G, decimals: number): G {
  const k = 10 ** decimals;
  const r = (p: Position): Position => [Math.round(p[0]! * k) / k, Math.round(p[1]! * k) / k];
  const ring = (ps: Position[]) =>
    ps.map(r).filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
  // Rings that collapse below four positions are dropped; a polygon whose shell collapses goes too.
  const poly = (rings: Position[][]) => {
    const rounded = rings.map(ring);
    return rounded[0] && rounded[0].length >= 4 ? rounded.filter((x) => x.length >= 4) : null;
  };
  if (geometry.type === 'Polygon')
    return { ...geometry, coordinates: poly(geometry.coordinates) ?? [] };
  const polys = (geometry as MultiPolygon).coordinates
    .map(poly)
    .filter((x): x is Position[][] => x !== null);
  return { ...geometry, coordinates: polys };
}
