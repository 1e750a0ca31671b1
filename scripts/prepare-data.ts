/**
 * Two databases that never share a fate. The demo build (data/generated/demo.duckdb) is a build
 * artefact: regenerated from the seed whenever an input, the generator or the KK hash key
 * changes. The live database (data/live/peta.duckdb) is what `npm start` serves and writes: it is
 * created once as a copy of the demo build and from then on only moves forward through
 * migrations; a changed seed never replaces a live database that holds anything written to it.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../api/db/database';
import { getMeta } from '../api/db/schema';
import { hasLiveWrites } from '../api/db/live';
import { kkHashKey } from '../api/kk';
import { buildDatabase } from './build-db';
import { DEFAULT_DATASET_DIR, generateDefault, writeDataset } from './generate-dataset';
import { DEMO_DB_PATH, LIVE_DB_PATH, ROOT } from './lib/paths';

const INPUTS = [
  'data/regions.csv',
  'data/aggregators.csv',
  'data/covid-kelurahan-daily.csv',
  'geojson/rw.geojson',
  'api/domain.ts',
  'api/kk.ts',
  'api/db/schema.ts',
  'api/db/records.ts',
  'api/db/migrations',
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
      .filter((f) => (f.endsWith('.ts') || f.endsWith('.sql')) && !f.endsWith('.test.ts'))
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

export function isDatabaseCurrent(dbPath = DEMO_DB_PATH, version = inputFingerprint()): boolean {
  return (
    existsSync(dbPath) &&
    existsSync(versionFile(dbPath)) &&
    readFileSync(versionFile(dbPath), 'utf8').trim() === version
  );
}

export async function ensureDefaultDatabase(dbPath = DEMO_DB_PATH): Promise<string> {
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
    dataset: 'demo',
  });
  writeFileSync(versionFile(dbPath), `${version}\n`);
  console.log(
    `[data] dataset ${generated.toFixed(1)} s (${dataset.distributions.length} records), ` +
      `database ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB at ${path.relative(ROOT, dbPath)}`,
  );
  return version;
}

/** Copies a database file to a new path through a temporary name, so no half copy is ever seen. */
function copyInto(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.copying`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

/**
 * Makes sure the live database exists: a first start copies the demo build. An existing one is
 * kept; only when it still holds nothing but a stale demo seed (no upload, token, session or any
 * other write) is it replaced by the fresh build.
 */
export async function ensureLiveDatabase(
  livePath = LIVE_DB_PATH,
  demoPath = DEMO_DB_PATH,
  log: (message: string) => void = console.log,
): Promise<void> {
  if (!existsSync(livePath)) {
    copyInto(demoPath, livePath);
    log(`[data] created the live database ${path.relative(ROOT, livePath)} from the demo build`);
    return;
  }
  const demoVersion = readFileSync(versionFile(demoPath), 'utf8').trim();
  const db = await openDatabase(livePath);
  let state: { version: string | null; dataset: string | null; written: boolean };
  try {
    state = await db.withConnection(async (conn) => ({
      version: await getMeta(conn, 'data_version'),
      dataset: await getMeta(conn, 'dataset'),
      written: await hasLiveWrites(conn),
    }));
  } finally {
    await db.close();
  }
  if (state.dataset !== 'demo' || state.version === demoVersion) return;
  if (state.written) {
    log(
      `[data] the demo seed changed since ${path.relative(ROOT, livePath)} was created; it holds ` +
        'live writes, so it is kept as it is (move it away to start over from the new seed)',
    );
    return;
  }
  rmSync(`${livePath}.wal`, { force: true });
  copyInto(demoPath, livePath);
  log(
    `[data] refreshed ${path.relative(ROOT, livePath)} from the new demo build (it held no writes)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureDefaultDatabase();
}
