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
  index: Flatbush;
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
  return {
    props: features.map((f) => f.properties),
    geometries: features.map((f) => f.geometry),
    parts,
    owner: Uint32Array.from(owners),
    index,
  };
}

/** Features of `layer` whose polygon contains the point, borders included, in ascending order. */
function containing(layer: Layer<unknown>, point: [number, number]): number[] {
  const [lon, lat] = point;
  const found: number[] = [];
  for (const part of layer.index.search(lon, lat, lon, lat)) {
    const feature = layer.owner[part]!;
    if (!found.includes(feature) && booleanPointInPolygon(point, layer.parts[part]!)) {
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
    return booleanPointInPolygon([lon, lat], this.rw.geometries[feature]!);
  }

  /** Rule 2: among RWs that all contain the point. */
  private pick(rws: number[], point: [number, number]): number {
    const inOwnKelurahan = rws.filter((i) => {
      const k = this.rwKelurahan[i]!;
      return k >= 0 && booleanPointInPolygon(point, this.kelurahan.geometries[k]!);
    });
    const pool = inOwnKelurahan.length > 0 ? inOwnKelurahan : rws;
    return pool.reduce((best, i) => (this.rwRank[i]! < this.rwRank[best]! ? i : best));
  }

  private kelurahanCode(feature: number): string {
    return this.kelurahan.props[feature]!.code;
  }
}
