/**
 * Makes sure the default database exists and matches its inputs: regenerates the dataset and
 * rebuilds DuckDB when any input file, generator code or the KK hash key changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kkHashKey } from '../api/kk';
import { buildDatabase } from './build-db';
import { DEFAULT_DATASET_DIR, generateDefault, writeDataset } from './generate-dataset';
import { DEFAULT_DB_PATH, ROOT } from './lib/paths';

const INPUTS = [
  'data/regions.csv',
  'data/aggregators.csv',
  'data/covid-kelurahan-daily.csv',
  'geojson/rw.geojson',
  'api/domain.ts',
  'api/kk.ts',
  'api/db/schema.ts',
  'scripts/build-db.ts',
  'scripts/generate-dataset.ts',
  'scripts/lib',
  'scripts/dataset',
];

function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!existsSync(abs)) throw new Error(`missing input ${rel}`);
  if (statSync(abs).isDirectory()) {
    return readdirSync(abs)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort()
      .map((f) => path.join(rel, f));
  }
  return [rel];
}

export function inputFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(file).update(readFileSync(path.join(ROOT, file)));
  }
  hash.update(createHash('sha256').update(kkHashKey()).digest());
  return hash.digest('hex').slice(0, 16);
}

const versionFile = (dbPath: string) => `${dbPath}.version`;

export function isDatabaseCurrent(dbPath = DEFAULT_DB_PATH, version = inputFingerprint()): boolean {
  return (
    existsSync(dbPath) &&
    existsSync(versionFile(dbPath)) &&
    readFileSync(versionFile(dbPath), 'utf8').trim() === version
  );
}

export async function ensureDefaultDatabase(dbPath = DEFAULT_DB_PATH): Promise<string> {
  const version = inputFingerprint();
  if (isDatabaseCurrent(dbPath, version)) return version;
  console.log('[data] default database missing or stale: generating dataset and building DuckDB…');
  const started = performance.now();
  const dataset = generateDefault();
  writeDataset(dataset, DEFAULT_DATASET_DIR);
  const generated = (performance.now() - started) / 1000;
  const { seconds, bytes } = await buildDatabase({
    dbPath,
    datasetDir: DEFAULT_DATASET_DIR,
    version,
  });
  writeFileSync(versionFile(dbPath), `${version}\n`);
  console.log(
    `[data] dataset ${generated.toFixed(1)} s (${dataset.distributions.length} records), ` +
      `database ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB at ${path.relative(ROOT, dbPath)}`,
  );
  return version;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureDefaultDatabase();
}
