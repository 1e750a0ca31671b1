/**
 * Builds the DuckDB file from data/ (regions, COVID-19, aggregators) and a generated dataset
 * folder. Writes to a temporary file and renames it into place, so a failed build never leaves a
 * half-written database behind. Idempotent: the same inputs give the same table contents.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../api/db/database';
import { createSchema, refreshRollups, setMeta } from '../api/db/schema';
import { DATA_DIR, DEFAULT_DB_PATH } from './lib/paths';
import { DEFAULT_DATASET_DIR } from './generate-dataset';

export interface BuildOptions {
  dbPath: string;
  datasetDir: string;
  dataDir?: string;
  version: string;
}

/** Quotes a file path we built ourselves as a SQL string literal. */
function literal(file: string): string {
  return `'${file.replaceAll("'", "''")}'`;
}

export async function buildDatabase(
  options: BuildOptions,
): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now();
  const dataDir = options.dataDir ?? DATA_DIR;
  const tmp = `${options.dbPath}.tmp`;
  mkdirSync(path.dirname(options.dbPath), { recursive: true });
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.wal`, { force: true });

  const csv = (dir: string, name: string, columns: string) =>
    `read_csv(${literal(path.join(dir, name))}, header = true, auto_detect = false, columns = {${columns}})`;

  const db = await openDatabase(tmp);
  try {
    await db.withConnection(async (conn) => {
      await createSchema(conn);
      await conn.run(`
        INSERT INTO regions
        SELECT *, CASE WHEN level = 'rw' THEN row_number() OVER (PARTITION BY level = 'rw' ORDER BY code) END
        FROM ${csv(
          dataDir,
          'regions.csv',
          `'code': 'VARCHAR', 'level': 'VARCHAR', 'name': 'VARCHAR', 'parent_code': 'VARCHAR',
           'kota_code': 'VARCHAR', 'kecamatan_code': 'VARCHAR', 'kelurahan_code': 'VARCHAR',
           'population': 'INTEGER', 'households': 'INTEGER', 'need': 'INTEGER', 'area_km2': 'DOUBLE',
           'label_lon': 'DOUBLE', 'label_lat': 'DOUBLE', 'flood_prone': 'BOOLEAN', 'modelled': 'BOOLEAN',
           'household_weight': 'VARCHAR'`,
        )};
        INSERT INTO covid_daily SELECT * FROM ${csv(
          dataDir,
          'covid-kelurahan-daily.csv',
          `'date': 'DATE', 'kelurahan_code': 'VARCHAR', 'positive': 'INTEGER', 'hospitalised': 'INTEGER',
           'recovered': 'INTEGER', 'died': 'INTEGER', 'self_isolating': 'INTEGER', 'odp': 'INTEGER',
           'pdp': 'INTEGER'`,
        )};
        INSERT INTO aggregators
        SELECT slug, name, short_name, string_split(coalesce(home_kota, ''), ' ').list_filter(x -> x <> ''), start_date
        FROM ${csv(
          dataDir,
          'aggregators.csv',
          `'slug': 'VARCHAR', 'name': 'VARCHAR', 'short_name': 'VARCHAR', 'home_kota': 'VARCHAR',
           'start_date': 'DATE'`,
        )};
        INSERT INTO households
        SELECT h.household_id, h.kk_hash, h.initials_hash, h.rw_code, r.kelurahan_code, r.kecamatan_code,
               r.kota_code, r.rw_idx, h.lon, h.lat
        FROM ${csv(
          options.datasetDir,
          'households.csv',
          `'household_id': 'INTEGER', 'kk_hash': 'VARCHAR', 'initials_hash': 'VARCHAR', 'rw_code': 'VARCHAR',
           'lon': 'DOUBLE', 'lat': 'DOUBLE'`,
        )} h
        JOIN regions r ON r.code = h.rw_code AND r.level = 'rw'
        ORDER BY h.household_id;
        INSERT INTO institutions SELECT * FROM ${csv(
          options.datasetDir,
          'institutions.csv',
          `'institution_id': 'INTEGER', 'type': 'VARCHAR', 'name': 'VARCHAR', 'rw_code': 'VARCHAR',
           'lon': 'DOUBLE', 'lat': 'DOUBLE', 'illustrative': 'BOOLEAN'`,
        )};
        -- Region codes come from the RW the record was assigned to; an unknown RW fails the join check below.
        INSERT INTO distributions
        SELECT d.id, d.external_id, d.batch_id, d.aggregator, d.date, d.aid_type, d.quantity, d.recipient_type,
               d.household_id, d.institution_id, d.rw_code, r.kelurahan_code, r.kecamatan_code, r.kota_code,
               d.lon, d.lat, d.status
        FROM ${csv(
          options.datasetDir,
          'distributions.csv',
          `'id': 'BIGINT', 'external_id': 'VARCHAR', 'batch_id': 'VARCHAR', 'aggregator': 'VARCHAR',
           'date': 'DATE', 'aid_type': 'VARCHAR', 'quantity': 'INTEGER', 'recipient_type': 'VARCHAR',
           'household_id': 'INTEGER', 'institution_id': 'INTEGER', 'rw_code': 'VARCHAR', 'lon': 'DOUBLE',
           'lat': 'DOUBLE', 'status': 'VARCHAR'`,
        )} d
        JOIN regions r ON r.code = d.rw_code AND r.level = 'rw'
        ORDER BY d.date, d.id;
      `);
      const check = await conn.runAndReadAll(`
        SELECT (SELECT count(*) FROM read_csv(${literal(path.join(options.datasetDir, 'distributions.csv'))}, header = true))
             - (SELECT count(*) FROM distributions) AS lost`);
      const lost = Number(check.getRowObjectsJson()[0]?.lost ?? 0);
      if (lost !== 0) throw new Error(`${lost} distribution records name an unknown RW`);
      await refreshRollups(conn);
      await setMeta(conn, 'data_version', options.version);
      await conn.run('CHECKPOINT');
    });
  } finally {
    db.close();
  }
  renameSync(tmp, options.dbPath);
  rmSync(`${tmp}.wal`, { force: true });
  return { seconds: (performance.now() - started) / 1000, bytes: statSync(options.dbPath).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dbPath = process.argv[2] ?? DEFAULT_DB_PATH;
  if (!existsSync(path.join(DEFAULT_DATASET_DIR, 'distributions.csv'))) {
    throw new Error('no generated dataset: run `npm run build:data` first');
  }
  const { seconds, bytes } = await buildDatabase({
    dbPath,
    datasetDir: DEFAULT_DATASET_DIR,
    version: 'manual',
  });
  console.log(`[db] ${dbPath}: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
}
