/**
 * Geography for the map and for point-in-polygon, from ../shared/data/boundaries:
 * geojson/{kota,kecamatan,kelurahan,rw}.geojson (detailed, 6 decimals) and geojson/web/*.geojson
 * (simplified through a shared topology, 5 decimals). The six Kepulauan Seribu kelurahan have no
 * RW polygons in the source; their RWs are modelled by an equal-area partition (marked modelled).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { area, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, GeoJsonProperties, MultiPolygon, Polygon } from 'geojson';
import { num, readCsv } from './lib/csv';
import type { Level, RegionProperties } from './lib/geojson';
import { GEOJSON_DIR, SHARED_DATA_DIR } from './lib/paths';
import { partitionEqualArea } from './geo/partition';
import { repairPolygon, roundPositions } from './geo/repair';
import { simplifyLayer } from './geo/simplify';

type Shape<P extends GeoJsonProperties> = Feature<Polygon | MultiPolygon, P>;
type Layer<P extends GeoJsonProperties> = FeatureCollection<Polygon | MultiPolygon, P>;

interface SourceProps {
  code: string;
  name: string;
  lat?: number;
  lng?: number;
  kota_code?: string;
  kecamatan_code?: string;
  kelurahan_code?: string;
  rw_number?: number;
  flood_prone?: boolean | null;
}

/** Average households per RW in Jakarta (3.54 M households over about 2,700 RWs). */
export const HOUSEHOLDS_PER_MODELLED_RW = 1_300;
/** Topology simplification thresholds (minimum triangle area in square degrees). */
export const WEB_MIN_AREA: Record<Level, number> = {
  kota: 2e-8,
  kecamatan: 1e-8,
  kelurahan: 4e-9,
  rw: 1.5e-9,
};
const SERIBU_KOTA = '31.01';

export function modelledRwCount(households: number): number {
  return Math.max(2, Math.round(households / HOUSEHOLDS_PER_MODELLED_RW));
}

function readSource(file: string): Layer<SourceProps> {
  return JSON.parse(
    readFileSync(path.join(SHARED_DATA_DIR, 'boundaries', file), 'utf8'),
  ) as Layer<SourceProps>;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const areaKm2 = (f: Shape<GeoJsonProperties>) => Math.round((area(f) / 1e6) * 1e4) / 1e4;

function labelOf(f: Shape<GeoJsonProperties>): [number, number] {
  const [lon, lat] = pointOnFeature(f).geometry.coordinates as [number, number];
  return [round6(lon), round6(lat)];
}

/** Stable property order so two runs give byte-identical files. */
function regionProps(p: RegionProperties): RegionProperties {
  const rw =
    p.level === 'rw'
      ? {
          kelurahan_code: p.kelurahan_code,
          rw_number: p.rw_number,
          flood_prone: p.flood_prone,
          modelled: p.modelled,
        }
      : {};
  return {
    code: p.code,
    name: p.name,
    level: p.level,
    kota_code: p.kota_code,
    kecamatan_code: p.kecamatan_code,
    ...rw,
    area_km2: p.area_km2,
    label_lon: p.label_lon,
    label_lat: p.label_lat,
  };
}

function adminLayer(file: string, level: Level): Layer<RegionProperties> {
  const features = readSource(file).features.map((f): Shape<RegionProperties> => {
    const p = f.properties;
    const geometry = roundPositions(repairPolygon(f).feature.geometry, 6);
    const shape = { type: 'Feature' as const, properties: null, geometry };
    const inside =
      p.lng !== undefined && p.lat !== undefined && booleanPointInPolygon([p.lng, p.lat], shape);
    const [label_lon, label_lat] = inside ? [p.lng!, p.lat!] : labelOf(shape);
    return {
      type: 'Feature',
      properties: regionProps({
        code: p.code,
        name: p.name,
        level,
        kota_code: p.kota_code ?? p.code.slice(0, 5),
        kecamatan_code: level === 'kota' ? null : (p.kecamatan_code ?? p.code.slice(0, 8)),
        area_km2: areaKm2(shape),
        label_lon,
        label_lat,
      }),
      geometry,
    };
  });
  return {
    type: 'FeatureCollection',
    features: features.sort((a, b) => a.properties.code.localeCompare(b.properties.code)),
  };
}

function rwLayer(kelurahan: Layer<RegionProperties>, households: Map<string, number>) {
  const kelByCode = new Map(kelurahan.features.map((f) => [f.properties.code, f]));
  let repaired = 0;
  const real = readSource('jakarta-rw-2015.geojson').features.map((f): Shape<RegionProperties> => {
    const p = f.properties;
    const kel = kelByCode.get(p.kelurahan_code ?? '');
    if (!kel || !p.code.startsWith(`${p.kelurahan_code}.`))
      throw new Error(`RW ${p.code}: no kelurahan ${p.kelurahan_code}`);
    const fixed = repairPolygon(f);
    if (fixed.repaired) repaired++;
    const geometry = roundPositions(fixed.feature.geometry, 6);
    const shape = { type: 'Feature' as const, properties: null, geometry };
    const [label_lon, label_lat] = labelOf(shape);
    return {
      type: 'Feature',
      properties: regionProps({
        code: p.code,
        name: p.name,
        level: 'rw',
        kota_code: kel.properties.kota_code,
        kecamatan_code: kel.properties.kecamatan_code,
        kelurahan_code: kel.properties.code,
        rw_number: p.rw_number,
        flood_prone: p.flood_prone === true,
        modelled: false,
        area_km2: areaKm2(shape),
        label_lon,
        label_lat,
      }),
      geometry,
    };
  });

  const hasRw = new Set(real.map((f) => f.properties.kelurahan_code));
  const modelled: Shape<RegionProperties>[] = [];
  const seribu: Record<string, number> = {};
  for (const kel of kelurahan.features.filter((k) => !hasRw.has(k.properties.code))) {
    const k = kel.properties;
    if (k.kota_code !== SERIBU_KOTA) throw new Error(`kelurahan ${k.code} has no RW polygons`);
    const n = modelledRwCount(households.get(k.code) ?? 0);
    seribu[k.code] = n;
    partitionEqualArea(kel, n).forEach((part, i) => {
      const geometry = roundPositions(part.geometry, 6);
      const shape = { type: 'Feature' as const, properties: null, geometry };
      const [label_lon, label_lat] = labelOf(shape);
      const number = String(i + 1).padStart(3, '0');
      modelled.push({
        type: 'Feature',
        properties: regionProps({
          code: `${k.code}.${number}`,
          name: `RW ${number}`,
          level: 'rw',
          kota_code: k.kota_code,
          kecamatan_code: k.kecamatan_code,
          kelurahan_code: k.code,
          rw_number: i + 1,
          flood_prone: false,
          modelled: true,
          area_km2: areaKm2(shape),
          label_lon,
          label_lat,
        }),
        geometry,
      });
    });
  }
  const features = [...real, ...modelled].sort((a, b) =>
    a.properties.code.localeCompare(b.properties.code),
  );
  const codes = new Set(features.map((f) => f.properties.code));
  if (codes.size !== features.length) throw new Error('duplicate RW codes');
  return { layer: { type: 'FeatureCollection' as const, features }, repaired, seribu };
}

function webProps(p: RegionProperties) {
  return p.level === 'rw'
    ? { code: p.code, name: p.name, kelurahan_code: p.kelurahan_code, modelled: p.modelled }
    : { code: p.code, name: p.name };
}

function write(file: string, layer: Layer<GeoJsonProperties>): { raw: number; gzip: number } {
  const text = `${JSON.stringify(layer)}\n`;
  writeFileSync(file, text);
  return { raw: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length };
}

function main(): void {
  const started = performance.now();
  const households = new Map(
    readCsv(path.join(SHARED_DATA_DIR, 'population', 'dukcapil-2019-kelurahan.csv'))
      .filter((r) => r.kode_kemendagri)
      .map((r) => [r.kode_kemendagri!, num(r, 'JUMLAH_KK')]),
  );
  const kota = adminLayer('jakarta-kota.geojson', 'kota');
  const kecamatan = adminLayer('jakarta-kecamatan.geojson', 'kecamatan');
  const kelurahan = adminLayer('jakarta-kelurahan.geojson', 'kelurahan');
  const rw = rwLayer(kelurahan, households);
  const layers: Record<Level, Layer<RegionProperties>> = {
    kota,
    kecamatan,
    kelurahan,
    rw: rw.layer,
  };

  mkdirSync(path.join(GEOJSON_DIR, 'web'), { recursive: true });
  const rows: string[] = [];
  for (const level of Object.keys(layers) as Level[]) {
    const detailed = write(path.join(GEOJSON_DIR, `${level}.geojson`), layers[level]);
    const { layer: simple, fallbacks } = simplifyLayer(layers[level], WEB_MIN_AREA[level], 5);
    const web = write(path.join(GEOJSON_DIR, 'web', `${level}.geojson`), {
      type: 'FeatureCollection',
      features: simple.features.map((f) => ({
        type: 'Feature',
        properties: webProps(f.properties),
        geometry: f.geometry,
      })),
    });
    rows.push(
      `${level.padEnd(10)} ${String(layers[level].features.length).padStart(5)}  detailed ${(detailed.raw / 1024).toFixed(0).padStart(5)} KB` +
        `  web ${(web.raw / 1024).toFixed(0).padStart(5)} KB raw, ${(web.gzip / 1024).toFixed(0).padStart(4)} KB gzip` +
        (fallbacks ? `  (${fallbacks} kept detailed)` : ''),
    );
  }
  console.log(rows.join('\n'));
  console.log(
    `[geojson] repaired ${rw.repaired} source RW polygons; modelled Seribu RWs ${JSON.stringify(rw.seribu)}`,
  );
  console.log(`[geojson] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
