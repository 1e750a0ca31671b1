/**
 * Writes the default dataset (households, institutions, distribution records) as CSV into
 * data/generated/default/. Deterministic: the same inputs and seed give byte-identical files.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { kkHashKey } from '../api/kk';
import { KSBB } from './dataset/calibration';
import { generateDataset, type Dataset } from './dataset/generate';
import { loadAggregators, loadRws } from './dataset/inputs';
import { writeCsv } from './lib/csv';
import { GENERATED_DIR } from './lib/paths';

export const DATASET_SEED = 20200424;
/** Recipient households in the default dataset (about a quarter of the 1.2 million in need). */
export const DEFAULT_RECIPIENT_HOUSEHOLDS = 250_000;
export const DEFAULT_DATASET_DIR = path.join(GENERATED_DIR, 'default');

export function generateDefault(): Dataset {
  return generateDataset(
    loadRws(),
    loadAggregators(),
    {
      from: KSBB.from,
      to: KSBB.to,
      lebaran: KSBB.lebaran,
      packages: { ...KSBB.packages },
      rwsReached: KSBB.rwsReached,
      households: DEFAULT_RECIPIENT_HOUSEHOLDS,
      dompetDhuafa: { ...KSBB.dompetDhuafa },
    },
    DATASET_SEED,
    kkHashKey(),
  );
}

export const DATASET_FILES = {
  households: ['household_id', 'kk_hash', 'initials_hash', 'rw_code', 'lon', 'lat'],
  institutions: ['institution_id', 'type', 'name', 'rw_code', 'lon', 'lat', 'illustrative'],
  distributions: [
    'id',
    'external_id',
    'batch_id',
    'aggregator',
    'date',
    'aid_type',
    'quantity',
    'recipient_type',
    'household_id',
    'institution_id',
    'rw_code',
    'lon',
    'lat',
    'status',
  ],
} as const satisfies Record<keyof Dataset, readonly string[]>;

export function writeDataset(
  dataset: Dataset,
  dir: string,
  only: (keyof Dataset)[] = Object.keys(DATASET_FILES) as (keyof Dataset)[],
): void {
  mkdirSync(dir, { recursive: true });
  // Earlier versions listed demo households with plain KK numbers; no data file holds one now.
  rmSync(path.join(dir, 'demo.csv'), { force: true });
  for (const name of only) {
    writeCsv(path.join(dir, `${name}.csv`), DATASET_FILES[name], dataset[name]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const dataset = generateDefault();
  writeDataset(dataset, process.argv[2] ?? DEFAULT_DATASET_DIR);
  console.log(
    `[dataset] ${dataset.households.length} households, ${dataset.institutions.length} institutions, ` +
      `${dataset.distributions.length} records (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
