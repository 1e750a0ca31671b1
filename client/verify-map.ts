import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

export type Bounds = [west: number, south: number, east: number, north: number];
export type AreaFeature = Feature<Polygon | MultiPolygon, { code: string; name: string }>;

/**
 * Where the record map looks: at the recorded point (framed by its RW when it has one), or
 * (with no point) at the record's RW, or its kelurahan when it has no RW, with the area's name
 * as the label.
 */
export type MapFocus =
  | { kind: 'point'; center: Position; bounds: Bounds | null }
  | { kind: 'area'; center: Position; bounds: Bounds; label: string };

function ringsOf(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon'
    ? [geometry.coordinates[0] ?? []]
    : geometry.coordinates.map((p) => p[0] ?? []);
}

function boundsOfRing(ring: readonly Position[]): Bounds {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of ring) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

const areaOf = (b: Bounds) => (b[2] - b[0]) * (b[3] - b[1]);

/** The bounding box of a polygon's outer rings. */
export function boundsOf(geometry: Polygon | MultiPolygon): Bounds {
  const parts = ringsOf(geometry).map(boundsOfRing);
  return parts.reduce(
    (a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

/**
 * Where an area's name goes: the middle of its largest part (a kelurahan with islands is named
 * on its main land, not in the sea between them).
 */
export function labelPoint(geometry: Polygon | MultiPolygon): Position {
  const parts = ringsOf(geometry).map(boundsOfRing);
  const main = parts.reduce((a, b) => (areaOf(b) > areaOf(a) ? b : a));
  return [(main[0] + main[2]) / 2, (main[1] + main[3]) / 2];
}

export interface Locatable {
  lon: number | null;
  lat: number | null;
  rw_name: string | null;
  kelurahan_name: string;
}

/** The map's focus for a record, or null while the area it needs is not loaded. */
export function recordFocus(
  record: Locatable,
  rw: AreaFeature | undefined,
  kelurahan: AreaFeature | undefined,
): MapFocus | null {
  if (record.lon !== null && record.lat !== null)
    return {
      kind: 'point',
      center: [record.lon, record.lat],
      bounds: rw ? boundsOf(rw.geometry) : null,
    };
  const area = rw ?? kelurahan;
  if (!area) return null;
  return {
    kind: 'area',
    center: labelPoint(area.geometry),
    bounds: boundsOf(area.geometry),
    label: rw
      ? `${record.rw_name ?? rw.properties.name}, ${record.kelurahan_name}`
      : record.kelurahan_name,
  };
}
