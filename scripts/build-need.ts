/**
 * Need model: real Dukcapil 2019 households and residents per kelurahan, a vulnerability index
 * from real education and occupation shares scaled to the 1.2 million registered families, split
 * to RWs by RT counts; and the real daily COVID-19 table per kelurahan.
 * Reads ../shared/data and geojson/; writes data/regions.csv, data/need-kelurahan.csv and
 * data/covid-kelurahan-daily.csv (all committed, regenerated only when sources change).
 */
import path from 'node:path';
import { readCsv, writeCsv, num } from './lib/csv';
import { readLayer, type Level, type RegionProperties } from './lib/geojson';
import { DATA_DIR, SHARED_DATA_DIR } from './lib/paths';
import { Random } from './lib/random';
import { kelurahanStats, modelNeed } from './need/vulnerability';
import { splitKelurahan, type RwInput } from './need/split-rw';

export const NEED_SEED = 20200417;

const REGION_COLUMNS = [
  'code',
  'level',
  'name',
  'parent_code',
  'kota_code',
  'kecamatan_code',
  'kelurahan_code',
  'population',
  'households',
  'need',
  'area_km2',
  'label_lon',
  'label_lat',
  'flood_prone',
  'modelled',
  'household_weight',
] as const;

type RegionRow = Record<(typeof REGION_COLUMNS)[number], string | number | boolean | null>;

function parentOf(p: RegionProperties): string | null {
  if (p.level === 'kota') return null;
  if (p.level === 'kecamatan') return p.kota_code;
  if (p.level === 'kelurahan') return p.kecamatan_code;
  return p.kelurahan_code ?? null;
}

function main(): void {
  const started = performance.now();
  const shared = (...parts: string[]) => path.join(SHARED_DATA_DIR, ...parts);

  // The two lake rows (code 31888888) carry no people and no polygon.
  const dukcapil = readCsv(
    shared('population', 'dukcapil-2019-kelurahan-all-attributes.csv'),
  ).filter((r) => r.kode_kemendagri && !r.KODE_DESA?.startsWith('31888888'));
  const needByKel = new Map(modelNeed(dukcapil.map(kelurahanStats)).map((k) => [k.code, k]));

  const rtCounts = new Map(
    readCsv(shared('rw', 'rw-list-2012-rt-counts.csv')).map((r) => [r.code, num(r, 'n_rt')]),
  );

  const layers = (['kota', 'kecamatan', 'kelurahan', 'rw'] as Level[]).map((l) => readLayer(l));
  const [kota, kecamatan, kelurahan, rw] = layers as [
    (typeof layers)[0],
    (typeof layers)[0],
    (typeof layers)[0],
    (typeof layers)[0],
  ];
  if (kelurahan.features.length !== needByKel.size) {
    throw new Error(
      `kelurahan: ${kelurahan.features.length} polygons vs ${needByKel.size} Dukcapil rows`,
    );
  }

  const rwsByKel = new Map<string, RegionProperties[]>();
  for (const f of rw.features) {
    const k = f.properties.kelurahan_code as string;
    rwsByKel.set(k, [...(rwsByKel.get(k) ?? []), f.properties]);
  }

  const random = new Random(NEED_SEED);
  const rows = new Map<string, RegionRow>();
  const base = (p: RegionProperties): RegionRow => ({
    code: p.code,
    level: p.level,
    name: p.name,
    parent_code: parentOf(p),
    kota_code: p.kota_code,
    kecamatan_code: p.kecamatan_code ?? null,
    kelurahan_code:
      p.level === 'rw' ? (p.kelurahan_code ?? null) : p.level === 'kelurahan' ? p.code : null,
    population: 0,
    households: 0,
    need: 0,
    area_km2: p.area_km2,
    label_lon: p.label_lon,
    label_lat: p.label_lat,
    flood_prone: p.flood_prone ?? false,
    modelled: p.modelled ?? false,
    household_weight: null,
  });
  for (const f of [...kota.features, ...kecamatan.features])
    rows.set(f.properties.code, base(f.properties));

  const add = (
    code: string | null,
    n: { population: number; households: number; need: number },
  ) => {
    const row = code ? rows.get(code) : undefined;
    if (!row) throw new Error(`unknown parent region ${code}`);
    row.population = (row.population as number) + n.population;
    row.households = (row.households as number) + n.households;
    row.need = (row.need as number) + n.need;
  };

  for (const f of kelurahan.features) {
    const p = f.properties;
    const k = needByKel.get(p.code);
    if (!k) throw new Error(`kelurahan ${p.code} has no Dukcapil row`);
    const totals = { population: k.population, households: k.households, need: k.need };
    rows.set(p.code, { ...base(p), ...totals });
    add(p.kecamatan_code, totals);
    add(p.kota_code, totals);

    const rws = (rwsByKel.get(p.code) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    if (rws.length === 0) throw new Error(`kelurahan ${p.code} has no RW`);
    const inputs: RwInput[] = rws.map((r) => ({
      code: r.code,
      rtCount: rtCounts.get(r.code) ?? null,
      areaKm2: r.area_km2,
      floodProne: r.flood_prone ?? false,
    }));
    const split = splitKelurahan(inputs, totals, random);
    rws.forEach((r, i) => {
      const s = split[i]!;
      rows.set(r.code, {
        ...base(r),
        population: s.population,
        households: s.households,
        need: s.need,
        household_weight: s.weightSource,
      });
    });
  }

  const ordered = [...rows.values()].sort((a, b) => String(a.code).localeCompare(String(b.code)));
  writeCsv(path.join(DATA_DIR, 'regions.csv'), REGION_COLUMNS, ordered);

  writeCsv(
    path.join(DATA_DIR, 'need-kelurahan.csv'),
    [
      'code',
      'population',
      'households',
      'low_education_share',
      'precarious_work_share',
      'index',
      'rate',
      'need',
    ],
    [...needByKel.values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((k) => ({
        code: k.code,
        population: k.population,
        households: k.households,
        low_education_share: k.lowEducationShare.toFixed(4),
        precarious_work_share: k.precariousShare.toFixed(4),
        index: k.index.toFixed(4),
        rate: k.rate.toFixed(4),
        need: k.need,
      })),
  );

  const covid = readCsv(shared('covid', 'covid-kelurahan-daily-2020-04-01_2020-05-31.csv'));
  writeCsv(
    path.join(DATA_DIR, 'covid-kelurahan-daily.csv'),
    [
      'date',
      'kelurahan_code',
      'positive',
      'hospitalised',
      'recovered',
      'died',
      'self_isolating',
      'odp',
      'pdp',
    ],
    covid
      .map((r) => ({
        date: r.date,
        kelurahan_code: r.kode_kemendagri,
        positive: num(r, 'positif'),
        hospitalised: num(r, 'dirawat'),
        recovered: num(r, 'sembuh'),
        died: num(r, 'meninggal'),
        self_isolating: num(r, 'isolasi'),
        odp: num(r, 'odp'),
        pdp: num(r, 'pdp'),
      }))
      .sort(
        (a, b) =>
          a.date!.localeCompare(b.date!) || a.kelurahan_code!.localeCompare(b.kelurahan_code!),
      ),
  );

  const rwRows = ordered.filter((r) => r.level === 'rw');
  const sum = (f: (r: RegionRow) => number) => rwRows.reduce((s, r) => s + f(r), 0);
  console.log(
    `[need] ${needByKel.size} kelurahan, ${rwRows.length} RW; households ${sum((r) => r.households as number)}, ` +
      `need ${sum((r) => r.need as number)}, covid rows ${covid.length} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

main();
