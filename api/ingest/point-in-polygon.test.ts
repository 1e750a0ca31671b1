import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { Locator, type KelurahanProperties, type RwProperties } from '../geo/locate';

// Uploads place a hundred thousand points per batch, so the locator runs turf's point-in-polygon
// algorithm over flat coordinates. Its answers must be turf's, borders included.

const GEOJSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'geojson');
const read = <P>(file: string) =>
  JSON.parse(readFileSync(path.join(GEOJSON, file), 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    P
  >;

describe('point-in-polygon of the locator', () => {
  it("answers as turf's booleanPointInPolygon on vertices, on edges and next to them", () => {
    const rw = read<RwProperties>('rw.geojson');
    const locator = new Locator(rw, read<KelurahanProperties>('kelurahan.geojson'));
    let seed = 20_200_424;
    const random = () => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed / 2 ** 32;
    };
    const mismatches: string[] = [];
    for (let k = 0; k < 40_000; k++) {
      const f = rw.features[Math.floor(random() * rw.features.length)]!;
      const polygons =
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      const ring = polygons[Math.floor(random() * polygons.length)]![0]!;
      const i = Math.floor(random() * (ring.length - 1));
      const [ax, ay] = ring[i]! as [number, number];
      const [bx, by] = ring[i + 1]! as [number, number];
      const t = random();
      const [x, y] = [
        [ax, ay],
        [ax + (bx - ax) * t, ay + (by - ay) * t],
        [ax + (random() - 0.5) * 1e-4, ay + (random() - 0.5) * 1e-4],
      ][k % 3]!;
      const expected = booleanPointInPolygon([x!, y!], f.geometry);
      if (locator.rwContains(f.properties.code, x!, y!) !== expected) {
        mismatches.push(`${f.properties.code} (${x}, ${y}): turf says ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
