import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { num, readCsv } from './lib/csv';
import { DATA_DIR, SHARED_DATA_DIR } from './lib/paths';

const regions = readCsv(path.join(DATA_DIR, 'regions.csv'));
const byLevel = (level: string) => regions.filter((r) => r.level === level);
const rws = byLevel('rw');
const kelurahan = byLevel('kelurahan');

function sumBy(rows: typeof regions, key: string, value: string) {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r[key]!, (m.get(r[key]!) ?? 0) + num(r, value));
  return m;
}

describe('need model (data/regions.csv)', () => {
  it('has every level', () => {
    expect(byLevel('kota')).toHaveLength(6);
    expect(byLevel('kecamatan')).toHaveLength(44);
    expect(kelurahan).toHaveLength(267);
    expect(rws.length).toBeGreaterThan(2_700);
  });

  it.skipIf(!existsSync(SHARED_DATA_DIR))(
    'keeps Dukcapil households and residents per kelurahan',
    () => {
      const dukcapil = readCsv(
        path.join(SHARED_DATA_DIR, 'population', 'dukcapil-2019-kelurahan.csv'),
      ).filter((r) => r.kode_kemendagri && num(r, 'JUMLAH_KK') > 0);
      expect(dukcapil).toHaveLength(267);
      const kel = new Map(kelurahan.map((k) => [k.code, k]));
      for (const d of dukcapil) {
        const k = kel.get(d.kode_kemendagri!);
        expect(k, d.kode_kemendagri).toBeDefined();
        expect(num(k!, 'households')).toBe(num(d, 'JUMLAH_KK'));
        expect(num(k!, 'population')).toBe(num(d, 'JUMLAH_PEN'));
      }
    },
  );

  it('splits each kelurahan exactly over its RWs', () => {
    const hh = sumBy(rws, 'kelurahan_code', 'households');
    const need = sumBy(rws, 'kelurahan_code', 'need');
    const pop = sumBy(rws, 'kelurahan_code', 'population');
    for (const k of kelurahan) {
      expect(hh.get(k.code!), k.code).toBe(num(k, 'households'));
      expect(need.get(k.code!), k.code).toBe(num(k, 'need'));
      expect(pop.get(k.code!), k.code).toBe(num(k, 'population'));
    }
  });

  it('adds up to 1.2 million vulnerable households and 3,543,305 households city-wide', () => {
    const total = (rows: typeof regions, col: string) => rows.reduce((s, r) => s + num(r, col), 0);
    for (const level of [rws, kelurahan, byLevel('kecamatan'), byLevel('kota')]) {
      expect(total(level, 'need')).toBe(1_200_000);
      expect(total(level, 'households')).toBe(3_543_305);
      expect(total(level, 'population')).toBe(11_011_862);
    }
  });

  it('has no negative or missing values and need never exceeds households', () => {
    for (const r of regions) {
      for (const col of ['population', 'households', 'need', 'area_km2']) {
        expect(r[col], `${r.code} ${col}`).not.toBe('');
        expect(num(r, col), `${r.code} ${col}`).toBeGreaterThanOrEqual(0);
      }
      expect(num(r, 'label_lon')).toBeGreaterThan(106.3);
      expect(num(r, 'label_lon')).toBeLessThan(107.1);
      expect(num(r, 'label_lat')).toBeGreaterThan(-6.5);
      expect(num(r, 'label_lat')).toBeLessThan(-5.1);
      expect(num(r, 'need')).toBeLessThanOrEqual(num(r, 'households'));
    }
    expect(rws.every((r) => num(r, 'households') > 0)).toBe(true);
  });

  it('models higher need where education is low and work precarious', () => {
    const need = readCsv(path.join(DATA_DIR, 'need-kelurahan.csv'));
    const rate = (r: (typeof need)[number]) => num(r, 'rate');
    const sorted = [...need].sort((a, b) => num(a, 'index') - num(b, 'index'));
    const low = sorted.slice(0, 50).reduce((s, r) => s + rate(r), 0) / 50;
    const high = sorted.slice(-50).reduce((s, r) => s + rate(r), 0) / 50;
    expect(high).toBeGreaterThan(low * 2);
  });
});
