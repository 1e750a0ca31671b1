import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { GEOJSON_DIR } from './paths';

export type Level = 'kota' | 'kecamatan' | 'kelurahan' | 'rw';

export type RegionProperties = {
  code: string;
  name: string;
  level: Level;
  kota_code: string;
  kecamatan_code: string | null;
  kelurahan_code?: string;
  rw_number?: number;
  flood_prone?: boolean;
  modelled?: boolean;
  area_km2: number;
  label_lon: number;
  label_lat: number;
};

export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProperties>;

/** Reads a detailed boundary layer from geojson/ (or another folder, for tests). */
export function readLayer(level: Level, dir = GEOJSON_DIR): RegionCollection {
  return JSON.parse(readFileSync(path.join(dir, `${level}.geojson`), 'utf8')) as RegionCollection;
}
