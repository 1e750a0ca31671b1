import path from 'node:path';
import type { AggregatorSlug } from '../../api/domain';
import { AGGREGATORS } from '../../api/domain';
import { num, readCsv } from '../lib/csv';
import { readLayer } from '../lib/geojson';
import { DATA_DIR, GEOJSON_DIR } from '../lib/paths';
import type { AggregatorInfo, RwInfo } from './generate';
import { pointSampler } from './points';

/** RWs with their need and a sampler for points inside their detailed polygon. */
export function loadRws(dataDir = DATA_DIR, geojsonDir = GEOJSON_DIR): RwInfo[] {
  const regions = readCsv(path.join(dataDir, 'regions.csv'));
  const kelurahanNames = new Map(
    regions.filter((r) => r.level === 'kelurahan').map((r) => [r.code, r.name]),
  );
  const shapes = new Map(readLayer('rw', geojsonDir).features.map((f) => [f.properties.code, f]));
  return regions
    .filter((r) => r.level === 'rw')
    .map((r) => {
      const code = r.code as string;
      const shape = shapes.get(code);
      if (!shape) throw new Error(`RW ${code} has no polygon`);
      return {
        code,
        kelurahan: r.kelurahan_code as string,
        kecamatan: r.kecamatan_code as string,
        kota: r.kota_code as string,
        kelurahanName: kelurahanNames.get(r.kelurahan_code as string) ?? '',
        households: num(r, 'households'),
        need: num(r, 'need'),
        sampler: pointSampler(shape, [num(r, 'label_lon'), num(r, 'label_lat')]),
      };
    });
}

export function loadAggregators(dataDir = DATA_DIR): AggregatorInfo[] {
  return readCsv(path.join(dataDir, 'aggregators.csv')).map((r) => {
    if (!AGGREGATORS.includes(r.slug as AggregatorSlug))
      throw new Error(`unknown aggregator ${r.slug}`);
    return {
      slug: r.slug as AggregatorSlug,
      homeKota: (r.home_kota ?? '').split(' ').filter(Boolean),
      start: r.start_date as string,
    };
  });
}
