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

/** Where a point lies; the locator hands out one shared, frozen object per RW or kelurahan. */
export interface Located {
  readonly rw_code: string | null;
  readonly kelurahan_code: string;
  readonly kecamatan_code: string;
  readonly kota_code: string;
  readonly kind: LocationKind;
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

function partContains(layer: Layer<unknown>, part: number, x: number, y: number): boolean {
  return flatContains(layer, part, x, y) ?? booleanPointInPolygon([x, y], layer.parts[part]!);
}

/** Whether any part of a feature contains the point, borders included. */
function featureContains(layer: Layer<unknown>, feature: number, x: number, y: number): boolean {
  for (let part = layer.featurePart[feature]!; part < layer.featurePart[feature + 1]!; part++) {
    if (partContains(layer, part, x, y)) return true;
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

/** Side of a cell of the answer grid, in degrees (about 55 m): a few hundred across an RW. */
const GRID_CELL = 0.0005;
/** Cells per side of a block: the grid keeps only blocks that some RW box reaches. */
const GRID_BLOCK = 32;
/**
 * How far beyond its cell a grid cell is checked, in degrees: more than any rounding of a point
 * into its cell, and far more than the distance to an edge below which the orientation test of
 * `flatContains` may be unsure.
 */
const GRID_MARGIN = 1e-9;

/**
 * RW answers by grid cell, for cells that no RW edge comes near and that lie inside exactly one
 * RW part: every point of such a cell is inside that part and outside every other, so it gets the
 * answer the full search gives, without the search. Other cells (0) take the full way.
 */
interface AnswerGrid {
  x0: number;
  y0: number;
  /** Blocks across and down. */
  columns: number;
  rows: number;
  /** RW feature + 1 of each cell, by block (row-major), null for a block no RW box reaches. */
  blocks: (Uint16Array | null)[];
}

function answerGrid(layer: Layer<unknown>, cell: number): AnswerGrid | null {
  const parts = layer.parts.length;
  if (parts === 0 || !(cell > 0) || layer.props.length >= 0xffff) return null;
  const { coords, ringStart, partRing } = layer;
  const boxes = new Float64Array(4 * parts);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let p = 0; p < parts; p++) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = ringStart[partRing[p]!]!; i < ringStart[partRing[p + 1]!]!; i++) {
      [minX, maxX] = [Math.min(minX, coords[2 * i]!), Math.max(maxX, coords[2 * i]!)];
      [minY, maxY] = [Math.min(minY, coords[2 * i + 1]!), Math.max(maxY, coords[2 * i + 1]!)];
    }
    boxes.set([minX, minY, maxX, maxY], 4 * p);
    [x0, y0] = [Math.min(x0, minX), Math.min(y0, minY)];
    [x1, y1] = [Math.max(x1, maxX), Math.max(y1, maxY)];
  }
  if (![x0, y0, x1, y1].every(Number.isFinite)) return null;
  const side = GRID_BLOCK;
  const columns = Math.floor((x1 - x0) / (cell * side)) + 1;
  const rows = Math.floor((y1 - y0) / (cell * side)) + 1;
  /** Per cell while building: −1 near an edge, else how many parts contain it (at most 2). */
  const state: (Int8Array | null)[] = new Array<Int8Array | null>(columns * rows).fill(null);
  const owner: (Int32Array | null)[] = new Array<Int32Array | null>(columns * rows).fill(null);
  /** Calls f for every cell whose rectangle, widened by the margin, meets the box. */
  const cellsOf = (
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    f: (block: number, i: number, c: number, r: number) => void,
  ) => {
    const c0 = Math.max(0, Math.floor((minX - GRID_MARGIN - x0) / cell));
    const c1 = Math.min(columns * side - 1, Math.floor((maxX + GRID_MARGIN - x0) / cell));
    const r0 = Math.max(0, Math.floor((minY - GRID_MARGIN - y0) / cell));
    const r1 = Math.min(rows * side - 1, Math.floor((maxY + GRID_MARGIN - y0) / cell));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const b = Math.floor(r / side) * columns + Math.floor(c / side);
        state[b] ??= new Int8Array(side * side);
        owner[b] ??= new Int32Array(side * side);
        f(b, (r % side) * side + (c % side), c, r);
      }
    }
  };
  for (let p = 0; p < parts; p++) {
    for (let ring = partRing[p]!; ring < partRing[p + 1]!; ring++) {
      for (let i = ringStart[ring]! + 1; i < ringStart[ring + 1]!; i++) {
        const [ax, ay, bx, by] = [
          coords[2 * i - 2]!,
          coords[2 * i - 1]!,
          coords[2 * i]!,
          coords[2 * i + 1]!,
        ];
        const [minX, maxX] = ax < bx ? [ax, bx] : [bx, ax];
        const [minY, maxY] = ay < by ? [ay, by] : [by, ay];
        cellsOf(minX, minY, maxX, maxY, (b, k) => (state[b]![k] = -1));
      }
    }
  }
  // Cells clear of every edge lie wholly inside or wholly outside each part: their centres tell.
  for (let p = 0; p < parts; p++) {
    cellsOf(
      boxes[4 * p]!,
      boxes[4 * p + 1]!,
      boxes[4 * p + 2]!,
      boxes[4 * p + 3]!,
      (b, k, c, r) => {
        const s = state[b]!;
        if (s[k]! < 0 || s[k]! >= 2) return;
        if (flatContains(layer, p, x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell) !== true) return;
        s[k]!++;
        owner[b]![k] = p;
      },
    );
  }
  const blocks = state.map((s, b) => {
    if (!s) return null;
    const answers = new Uint16Array(side * side);
    for (let k = 0; k < side * side; k++) {
      if (s[k] === 1) answers[k] = layer.owner[owner[b]![k]!]! + 1;
    }
    return answers;
  });
  return { x0, y0, columns, rows, blocks };
}

/** The RW feature the grid has for a point, or −1 when the full search must answer. */
function gridAnswer(grid: AnswerGrid, cell: number, lon: number, lat: number): number {
  const c = Math.floor((lon - grid.x0) / cell);
  const r = Math.floor((lat - grid.y0) / cell);
  if (!(c >= 0 && r >= 0 && c < grid.columns * GRID_BLOCK && r < grid.rows * GRID_BLOCK)) return -1;
  const block = grid.blocks[Math.floor(r / GRID_BLOCK) * grid.columns + Math.floor(c / GRID_BLOCK)];
  return block ? block[(r % GRID_BLOCK) * GRID_BLOCK + (c % GRID_BLOCK)]! - 1 : -1;
}

/** Features of `layer` whose polygon contains the point, borders included. */
function containing(layer: Layer<unknown>, lon: number, lat: number): number[] {
  const found: number[] = [];
  for (const part of layer.index.search(lon, lat, lon, lat)) {
    const feature = layer.owner[part]!;
    if (!found.includes(feature) && partContains(layer, part, lon, lat)) {
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
  /** The answers, one object per RW and per kelurahan, so that locating allocates nothing. */
  private readonly inRw: Located[];
  private readonly inKelurahanOnly: Located[];
  private readonly grid: AnswerGrid | null;
  private readonly gridCell: number;

  /** `options.gridCell`: side of the answer grid's cells in degrees; 0 for no grid. */
  constructor(
    rw: FeatureCollection<Area, RwProperties>,
    kelurahan: FeatureCollection<Area, KelurahanProperties>,
    options: { gridCell?: number } = {},
  ) {
    this.rw = buildLayer(rw);
    this.kelurahan = buildLayer(kelurahan);
    this.gridCell = options.gridCell ?? GRID_CELL;
    this.grid = answerGrid(this.rw, this.gridCell);
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

    this.inRw = this.rw.props.map((p) =>
      Object.freeze({
        rw_code: p.code,
        kelurahan_code: p.kelurahan_code,
        kecamatan_code: p.kecamatan_code,
        kota_code: p.kota_code,
        kind: 'rw' as const,
      }),
    );
    this.inKelurahanOnly = this.kelurahan.props.map((k) =>
      Object.freeze({
        rw_code: null,
        kelurahan_code: k.code,
        kecamatan_code: k.kecamatan_code,
        kota_code: k.kota_code,
        kind: 'kelurahan_only' as const,
      }),
    );

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
    const known = this.grid ? gridAnswer(this.grid, this.gridCell, lon, lat) : -1;
    if (known >= 0) return this.inRw[known]!;
    const rws = containing(this.rw, lon, lat);
    if (rws.length > 0) return this.inRw[rws.length === 1 ? rws[0]! : this.pick(rws, lon, lat)]!;
    const kelurahan = containing(this.kelurahan, lon, lat);
    if (kelurahan.length === 0) return null;
    return this.inKelurahanOnly[
      kelurahan.reduce((best, i) => (this.kelurahanCode(i) < this.kelurahanCode(best) ? i : best))
    ]!;
  }

  /** Whether the polygon of `rwCode` contains the point, borders included; false for an unknown code. */
  rwContains(rwCode: string, lon: number, lat: number): boolean {
    const feature = this.rwByCode.get(rwCode);
    if (feature === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return false;
    return featureContains(this.rw, feature, lon, lat);
  }

  /** Rule 2: among RWs that all contain the point. */
  private pick(rws: number[], lon: number, lat: number): number {
    const inOwnKelurahan = rws.filter((i) => {
      const k = this.rwKelurahan[i]!;
      return k >= 0 && featureContains(this.kelurahan, k, lon, lat);
    });
    const pool = inOwnKelurahan.length > 0 ? inOwnKelurahan : rws;
    return pool.reduce((best, i) => (this.rwRank[i]! < this.rwRank[best]! ? i : best));
  }

  private kelurahanCode(feature: number): string {
    return this.kelurahan.props[feature]!.code;
  }
}
