/**
 * The benchmark dataset: the default generator scaled to about a year of city-wide aid and about
 * ten million distribution records, streamed to CSV and built into its own DuckDB file.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { kkHashKey } from '../../api/kk';
import { buildDatabase } from '../build-db';
import { KSBB } from '../dataset/calibration';
import { generateDataset, type DatasetTargets, type DraftRecord } from '../dataset/generate';
import { loadAggregators, loadRws } from '../dataset/inputs';
import { DATASET_FILES, writeDataset } from '../generate-dataset';
import { GENERATED_DIR } from '../lib/paths';
import { inputFingerprint } from '../prepare-data';

export const BENCH_DIR = path.join(GENERATED_DIR, 'bench');
export const BENCH_DB_PATH = path.join(BENCH_DIR, 'peta-bench.duckdb');
const BENCH_SEED = 20210423;

export const BENCH_TARGETS: DatasetTargets = {
  from: '2020-04-24',
  to: '2021-04-23',
  lebaran: KSBB.lebaran,
  packages: { sembako: 9_400_000, siap_saji: 4_000_000, lebaran: 900_000, thr: 150_000 },
  rwsReached: 2_600,
  households: 1_000_000,
  dompetDhuafa: { households: 30_000, kecamatan: 32, kelurahan: 69 },
};
export const BENCH_SHAPE = { sembakoPerHousehold: 8.8, bulkRounds: 12 };

const FLUSH_LINES = 50_000;

/** Streams records to CSV; ids and external ids follow emission order. */
function csvSink(file: string) {
  const fd = openSync(file, 'w');
  writeSync(fd, `${DATASET_FILES.distributions.join(',')}\n`);
  let lines: string[] = [];
  let id = 0;
  const seq = new Map<string, number>();
  const flush = () => {
    writeSync(fd, lines.join(''));
    lines = [];
  };
  return {
    write(d: DraftRecord) {
      id++;
      const n = (seq.get(d.aggregator) ?? 0) + 1;
      seq.set(d.aggregator, n);
      lines.push(
        `${id},${d.aggregator}-${n},seed-${d.aggregator}-${d.date},${d.aggregator},${d.date},${d.aid_type},` +
          `${d.quantity},${d.recipient_type},${d.household_id ?? ''},${d.institution_id ?? ''},${d.rw_code},` +
          `${d.lon},${d.lat},${d.status}\n`,
      );
      if (lines.length >= FLUSH_LINES) flush();
    },
    close() {
      flush();
      closeSync(fd);
      return id;
    },
  };
}

/** Builds the benchmark database unless one from the same inputs exists. Returns its path. */
export async function ensureBenchDatabase(): Promise<string> {
  const version = `bench-${inputFingerprint()}-${readFileSync(new URL(import.meta.url)).length}`;
  const versionFile = `${BENCH_DB_PATH}.version`;
  if (
    existsSync(BENCH_DB_PATH) &&
    existsSync(versionFile) &&
    readFileSync(versionFile, 'utf8').trim() === version
  ) {
    return BENCH_DB_PATH;
  }
  mkdirSync(BENCH_DIR, { recursive: true });
  console.log('[bench] generating the benchmark dataset (about 10 million records)…');
  const started = performance.now();
  const sink = csvSink(path.join(BENCH_DIR, 'distributions.csv'));
  const dataset = generateDataset(
    loadRws(),
    loadAggregators(),
    BENCH_TARGETS,
    BENCH_SEED,
    kkHashKey(),
    BENCH_SHAPE,
    (d) => sink.write(d),
  );
  const records = sink.close();
  writeDataset({ ...dataset, distributions: [] }, BENCH_DIR, ['households', 'institutions']);
  console.log(
    `[bench] ${records.toLocaleString('en')} records in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  const { seconds, bytes } = await buildDatabase({
    dbPath: BENCH_DB_PATH,
    datasetDir: BENCH_DIR,
    version,
  });
  writeFileSync(versionFile, `${version}\n`);
  console.log(`[bench] database ${(bytes / 1e9).toFixed(2)} GB in ${seconds.toFixed(0)} s`);
  return BENCH_DB_PATH;
}
