import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { area, booleanPointInPolygon } from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/** Detailed boundaries built by scripts/build-geojson.ts; sources in geojson/ATTRIBUTION.md. */
const DEFAULT_GEOJSON_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'geojson',
);

export type LocationKind = 'rw' | 'kelurahan_only';

export interface Located {
  rw_code: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  kota_code: string;
  kind: LocationKind;
}

export interface RwProperties {
  code: string;
  kelurahan_code: string;
  kecamatan_code: string;
  kota_code: string;
}

export interface KelurahanProperties {
  code: string;
  kecamatan_code: string;
  kota_code: string;
}

type Area = Polygon | MultiPolygon;

/** Polygons of one layer, indexed part by part: a MultiPolygon's parts have far tighter boxes. */
interface Layer<P> {
  props: P[];
  /** Feature geometries, for `rwContains`. */
  geometries: Area[];
  parts: Polygon[];
  /** Feature index of each part. */
  owner: Uint32Array;
  /** Parts of feature f: featurePart[f] … featurePart[f + 1] − 1 (parts are in feature order). */
  featurePart: Uint32Array;
  /** Every ring as flat x, y pairs: ring r spans vertices ringStart[r] … ringStart[r + 1] − 1. */
  coords: Float64Array;
  ringStart: Uint32Array;
  /** Rings of part p: partRing[p] … partRing[p + 1] − 1. */
  partRing: Uint32Array;
  index: Flatbush;
}

/** orient2d's error bound of its fast path (robust-predicates, as point-in-polygon-hao uses it). */
const EPSILON = 1.1102230246251565e-16;
const CCW_ERRBOUND_A = (3 + 16 * EPSILON) * EPSILON;

/**
 * Whether a part contains (x, y), borders included: point-in-polygon-hao's crossing count (which
 * turf's booleanPointInPolygon runs) over flat coordinates, with the same arithmetic. Its robust
 * orientation test is needed only for a point within rounding error of an edge's line; then this
 * answers null and the caller asks turf.
 */
function flatContains(layer: Layer<unknown>, part: number, x: number, y: number): boolean | null {
  const { coords, ringStart, partRing } = layer;
  let k = 0;
  for (let ring = partRing[part]!; ring < partRing[part + 1]!; ring++) {
    const first = ringStart[ring]!;
    // The last vertex repeats the first.
    const last = ringStart[ring + 1]! - 1;
    let u1 = coords[2 * first]! - x;
    let v1 = coords[2 * first + 1]! - y;
    for (let i = first + 1; i <= last; i++) {
      const u2 = coords[2 * i]! - x;
      const v2 = coords[2 * i + 1]! - y;
      if (v1 === 0 && v2 === 0) {
        if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return true;
      } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
        // orient2d(u1, u2, v1, v2, 0, 0), fast path only.
        const left = u2 * v1;
        const right = u1 * v2;
        const f = left - right;
        if (!(left === 0 || right === 0 || left > 0 !== right > 0)) {
          if (!(Math.abs(f) >= CCW_ERRBOUND_A * Math.abs(left + right))) return null;
        }
        if (f === 0) return true;
        if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) k++;
      }
      u1 = u2;
      v1 = v2;
    }
  }
  return k % 2 !== 0;
}

function partContains(layer: Layer<unknown>, part: number, point: [number, number]): boolean {
  return (
    flatContains(layer, part, point[0], point[1]) ??
    booleanPointInPolygon(point, layer.parts[part]!)
  );
}

/** Whether any part of a feature contains the point, borders included. */
function featureContains(layer: Layer<unknown>, feature: number, point: [number, number]): boolean {
  for (let part = layer.featurePart[feature]!; part < layer.featurePart[feature + 1]!; part++) {
    if (partContains(layer, part, point)) return true;
  }
  return false;
}

function buildLayer<P>(collection: FeatureCollection<Area, P>): Layer<P> {
  const features = collection.features;
  const parts: Polygon[] = [];
  const owners: number[] = [];
  features.forEach((f: Feature<Area, P>, i) => {
    const rings: Position[][][] =
      f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const coordinates of rings) {
      parts.push({ type: 'Polygon', coordinates });
      owners.push(i);
    }
  });
  const index = new Flatbush(Math.max(parts.length, 1));
  for (const part of parts) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    // The outer ring bounds its holes.
    for (const [x = NaN, y = NaN] of part.coordinates[0] ?? []) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    index.add(minX, minY, maxX, maxY);
  }
  // Flatbush cannot be empty; an unreachable box keeps an empty layer valid.
  if (parts.length === 0) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  const featurePart = new Uint32Array(features.length + 1);
  for (const f of owners) featurePart[f + 1]!++;
  for (let f = 0; f < features.length; f++) featurePart[f + 1]! += featurePart[f]!;
  const rings = parts.flatMap((p) => p.coordinates);
  const ringStart = new Uint32Array(rings.length + 1);
  rings.forEach((ring, r) => (ringStart[r + 1] = ringStart[r]! + ring.length));
  const coords = new Float64Array(2 * ringStart[rings.length]!);
  rings.forEach((ring, r) =>
    ring.forEach(([x = NaN, y = NaN], i) => {
      coords[2 * (ringStart[r]! + i)] = x;
      coords[2 * (ringStart[r]! + i) + 1] = y;
    }),
  );
  const partRing = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => (partRing[i + 1] = partRing[i]! + p.coordinates.length));
  return {
    props: features.map((f) => f.properties),
    geometries: features.map((f) => f.geometry),
    parts,
    owner: Uint32Array.from(owners),
    featurePart,
    coords,
    ringStart,
    partRing,
    index,
  };
}

/** Features of `layer` whose polygon contains the point, borders included, in ascending order. */
function containing(layer: Layer<unknown>, point: [number, number]): number[] {
  const [lon, lat] = point;
  const found: number[] = [];
  for (const part of layer.index.search(lon, lat, lon, lat)) {
    const feature = layer.owner[part]!;
    if (!found.includes(feature) && partContains(layer, part, point)) {
      found.push(feature);
    }
  }
  return found;
}

/**
 * Assigns a point (WGS 84 lon, lat) to its RW and kelurahan by exact point-in-polygon against
 * the detailed polygons. A point on a polygon's border counts as inside it.
 *
 * 1. A point inside one or more RW polygons gets an RW (`kind: 'rw'`), and the kelurahan,
 *    kecamatan and kota of that RW, even where the kelurahan polygon disagrees: the RW is the
 *    unit of every rollup, so its codes must be consistent with each other.
 * 2. Where RW polygons overlap (the OSM 2014–15 survey overlaps in places, and neighbours share
 *    their borders), the first of these that separates the candidates decides:
 *    a. an RW whose own kelurahan polygon also contains the point. The kelurahan polygons are
 *       the official source: every checked kantor lurah lies in its kelurahan polygon, while
 *       the RW polygons put one of them in the neighbouring kelurahan;
 *    b. the smaller RW by geodesic area: the smaller, more specific polygon;
 *    c. the lowest RW code.
 * 3. A point in a kelurahan polygon but in no RW polygon gets that kelurahan, `rw_code: null`,
 *    `kind: 'kelurahan_only'`; kelurahan polygons share borders too, and the lowest code wins.
 * 4. Anything else is outside Jakarta: `null`, as is a non-finite coordinate. There is no
 *    tolerance: a point a few metres off the coast is outside.
 *
 * Construction only indexes what it is given; `fromFiles` is the one place that reads files.
 */
export class Locator {
  private readonly rw: Layer<RwProperties>;
  private readonly kelurahan: Layer<KelurahanProperties>;
  /** Position of each RW in the order of rule 2b–c (smaller area, then lower code). */
  private readonly rwRank: Uint32Array;
  /** Kelurahan feature of each RW (−1 when its kelurahan has no polygon). */
  private readonly rwKelurahan: Int32Array;
  private readonly rwByCode: Map<string, number>;

  constructor(
    rw: FeatureCollection<Area, RwProperties>,
    kelurahan: FeatureCollection<Area, KelurahanProperties>,
  ) {
    this.rw = buildLayer(rw);
    this.kelurahan = buildLayer(kelurahan);
    this.rwByCode = new Map(this.rw.props.map((p, i) => [p.code, i]));
    if (this.rwByCode.size !== this.rw.props.length) throw new Error('duplicate RW codes');

    const areas = this.rw.geometries.map((geometry) => area(geometry));
    const order = this.rw.props.map((_, i) => i);
    order.sort((a, b) => {
      const byArea = areas[a]! - areas[b]!;
      if (byArea !== 0) return byArea;
      const [ca, cb] = [this.rw.props[a]!.code, this.rw.props[b]!.code];
      return ca < cb ? -1 : ca > cb ? 1 : 0;
    });
    this.rwRank = new Uint32Array(order.length);
    order.forEach((feature, rank) => (this.rwRank[feature] = rank));

    const kelurahanByCode = new Map(this.kelurahan.props.map((p, i) => [p.code, i]));
    this.rwKelurahan = Int32Array.from(
      this.rw.props,
      (p) => kelurahanByCode.get(p.kelurahan_code) ?? -1,
    );
  }

  /** Reads `rw.geojson` and `kelurahan.geojson` from `dir` (default: the repository's geojson/). */
  static fromFiles(dir = DEFAULT_GEOJSON_DIR): Locator {
    const read = <P>(file: string) =>
      JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as FeatureCollection<Area, P>;
    return new Locator(
      read<RwProperties>('rw.geojson'),
      read<KelurahanProperties>('kelurahan.geojson'),
    );
  }

  /** The RW and kelurahan of a point, or null outside Jakarta; see the class comment for rules. */
  locate(lon: number, lat: number): Located | null {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const point: [number, number] = [lon, lat];
    const rws = containing(this.rw, point);
    if (rws.length > 0) {
      const p = this.rw.props[rws.length === 1 ? rws[0]! : this.pick(rws, point)]!;
      return {
        rw_code: p.code,
        kelurahan_code: p.kelurahan_code,
        kecamatan_code: p.kecamatan_code,
        kota_code: p.kota_code,
        kind: 'rw',
      };
    }
    const kelurahan = containing(this.kelurahan, point);
    if (kelurahan.length === 0) return null;
    const k =
      this.kelurahan.props[
        kelurahan.reduce((best, i) => (this.kelurahanCode(i) < this.kelurahanCode(best) ? i : best))
      ]!;
    return {
      rw_code: null,
      kelurahan_code: k.code,
      kecamatan_code: k.kecamatan_code,
      kota_code: k.kota_code,
      kind: 'kelurahan_only',
    };
  }

  /** Whether the polygon of `rwCode` contains the point, borders included; false for an unknown code. */
  rwContains(rwCode: string, lon: number, lat: number): boolean {
    const feature = this.rwByCode.get(rwCode);
    if (feature === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return false;
    return featureContains(this.rw, feature, [lon, lat]);
  }

  /** Rule 2: among RWs that all contain the point. */
  private pick(rws: number[], point: [number, number]): number {
    const inOwnKelurahan = rws.filter((i) => {
      const k = this.rwKelurahan[i]!;
      return k >= 0 && featureContains(this.kelurahan, k, point);
    });
    const pool = inOwnKelurahan.length > 0 ? inOwnKelurahan : rws;
    return pool.reduce((best, i) => (this.rwRank[i]! < this.rwRank[best]! ? i : best));
  }

  private kelurahanCode(feature: number): string {
    return this.kelurahan.props[feature]!.code;
  }
}
