import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { area, booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { CODE_PATTERNS, LEVELS, type Level } from '../api/domain';
import { isValidShape } from './geo/repair';
import { readLayer, type RegionCollection } from './lib/geojson';
import { GEOJSON_DIR } from './lib/paths';

const layers = Object.fromEntries(LEVELS.map((l) => [l, readLayer(l)])) as Record<
  Level,
  RegionCollection
>;
const webText = (level: Level) => readFileSync(path.join(GEOJSON_DIR, 'web', `${level}.geojson`));
const web = Object.fromEntries(
  LEVELS.map((l) => [l, JSON.parse(webText(l).toString()) as RegionCollection]),
) as Record<Level, RegionCollection>;
const codes = (level: Level) => layers[level].features.map((f) => f.properties.code);
const rws = layers.rw.features;

/** Budgets for the gzip size of each web layer, in bytes. */
const WEB_GZIP_BUDGET: Record<Level, number> = {
  kota: 50_000,
  kecamatan: 80_000,
  kelurahan: 200_000,
  rw: 800_000,
};

describe('geojson/', () => {
  it('has 6 kota, 44 kecamatan, 267 kelurahan and every RW', () => {
    expect(layers.kota.features).toHaveLength(6);
    expect(layers.kecamatan.features).toHaveLength(44);
    expect(layers.kelurahan.features).toHaveLength(267);
    const modelled = rws.filter((f) => f.properties.modelled);
    expect(rws.length - modelled.length).toBe(2_700);
    expect(modelled.length).toBeGreaterThanOrEqual(12);
  });

  it('uses well-formed, unique codes whose parents exist', () => {
    for (const level of LEVELS) {
      const list = codes(level);
      expect(new Set(list).size).toBe(list.length);
      list.forEach((c) => expect(c, level).toMatch(CODE_PATTERNS[level]));
    }
    const kota = new Set(codes('kota'));
    const kecamatan = new Set(codes('kecamatan'));
    const kelurahan = new Set(codes('kelurahan'));
    for (const f of layers.kecamatan.features) expect(kota.has(f.properties.kota_code)).toBe(true);
    for (const f of layers.kelurahan.features) {
      expect(kecamatan.has(f.properties.kecamatan_code!)).toBe(true);
      expect(f.properties.code.startsWith(`${f.properties.kecamatan_code}.`)).toBe(true);
    }
    for (const f of rws) {
      const p = f.properties;
      expect(kelurahan.has(p.kelurahan_code!), p.code).toBe(true);
      expect(p.code.startsWith(`${p.kelurahan_code}.`), p.code).toBe(true);
      expect(p.kecamatan_code).toBe(p.kelurahan_code!.slice(0, 8));
    }
  });

  it('models RWs only for the six Kepulauan Seribu kelurahan, with equal areas that fill the kelurahan', () => {
    const modelledKel = new Set(
      rws.filter((f) => f.properties.modelled).map((f) => f.properties.kelurahan_code),
    );
    expect([...modelledKel].sort()).toEqual(
      codes('kelurahan').filter((c) => c.startsWith('31.01.')),
    );
    for (const kel of modelledKel) {
      const parts = rws.filter((f) => f.properties.kelurahan_code === kel);
      expect(parts.every((f) => f.properties.modelled)).toBe(true);
      expect(parts.length).toBeGreaterThanOrEqual(2);
      const areas = parts.map((f) => area(f));
      const whole = area(layers.kelurahan.features.find((f) => f.properties.code === kel)!);
      const mean = areas.reduce((s, a) => s + a, 0) / areas.length;
      areas.forEach((a) => expect(Math.abs(a - mean) / mean).toBeLessThan(0.02));
      expect(Math.abs(mean * areas.length - whole) / whole).toBeLessThan(0.02);
    }
  });

  it('has valid geometry everywhere, detailed and web', () => {
    for (const level of LEVELS) {
      const bad = [...layers[level].features, ...web[level].features]
        .filter((f) => !isValidShape(f))
        .map((f) => f.properties.code);
      expect(bad, level).toEqual([]);
    }
  });

  it('catches an invalid polygon', () => {
    const bowtie = {
      type: 'Feature' as const,
      properties: null,
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      },
    };
    expect(isValidShape(bowtie)).toBe(false);
  });

  it('serves the same regions on the web as in the detailed layers, within size budgets', () => {
    for (const level of LEVELS) {
      expect(web[level].features.map((f) => f.properties.code)).toEqual(codes(level));
      expect(gzipSync(webText(level)).length, level).toBeLessThanOrEqual(WEB_GZIP_BUDGET[level]);
    }
  });

  it('puts every label point inside its region', () => {
    for (const level of LEVELS) {
      for (const f of layers[level].features) {
        const p = f.properties;
        expect(booleanPointInPolygon([p.label_lon, p.label_lat], f), p.code).toBe(true);
      }
    }
  });
});
