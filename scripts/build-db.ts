/**
 * Builds a DuckDB file from data/ (regions, COVID-19, aggregators) and a generated dataset folder:
 * the schema through the numbered migrations, then the seed records. Writes to a temporary file
 * and renames it into place, so a failed build never leaves a half-written database behind.
 * Idempotent: the same inputs give the same table contents. It only ever creates new files; live
 * databases are created from a build once and then only migrated (scripts/prepare-data.ts).
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../api/db/database';
import { migrate } from '../api/db/migrate';
import { fingerprintSql } from '../api/db/records';
import { rebuildRollups, setMeta } from '../api/db/schema';
import { DATA_DIR, DEMO_DB_PATH } from './lib/paths';
import { DEFAULT_DATASET_DIR } from './generate-dataset';

export interface BuildOptions {
  dbPath: string;
  datasetDir: string;
  dataDir?: string;
  version: string;
  /** 'demo' marks the default demo dataset (demo tokens may work on it outside production). */
  dataset?: string;
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
      await migrate(conn);
      await conn.run(`
        INSERT INTO regions (code, level, name, parent_code, kota_code, kecamatan_code, kelurahan_code,
                             population, households, need, area_km2, label_lon, label_lat, flood_prone,
                             modelled, household_weight, home_idx)
        -- Home units: RWs 1…N by code, then one per kelurahan for the part outside its RW polygons.
        SELECT *, CASE WHEN level IN ('rw', 'kelurahan')
                       THEN row_number() OVER (PARTITION BY level IN ('rw', 'kelurahan')
                                               ORDER BY level = 'kelurahan', code) END
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
        INSERT INTO households (household_id, kk_hash, initials_hash, rw_code, kelurahan_code, kecamatan_code,
                                kota_code, home_idx, lon, lat)
        SELECT h.household_id, h.kk_hash, h.initials_hash, h.rw_code, r.kelurahan_code, r.kecamatan_code,
               r.kota_code, r.home_idx, h.lon, h.lat
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
        INSERT INTO distributions (id, external_id, batch_id, aggregator, date, aid_type, quantity, recipient_type,
                                   household_id, institution_id, rw_code, kelurahan_code, kecamatan_code, kota_code,
                                   lon, lat, status, location_kind, fingerprint, initials_hash)
        SELECT d.id, d.external_id, d.batch_id, d.aggregator, d.date, d.aid_type, d.quantity, d.recipient_type,
               d.household_id, d.institution_id, d.rw_code, r.kelurahan_code, r.kecamatan_code, r.kota_code,
               d.lon, d.lat, d.status, 'rw_code', ${fingerprintSql('d').text}, d.initials_hash
        FROM (
          SELECT s.*, h.kk_hash, h.initials_hash, s.rw_code AS rw_given
          FROM ${csv(
            options.datasetDir,
            'distributions.csv',
            `'id': 'BIGINT', 'external_id': 'VARCHAR', 'batch_id': 'VARCHAR', 'aggregator': 'VARCHAR',
             'date': 'DATE', 'aid_type': 'VARCHAR', 'quantity': 'INTEGER', 'recipient_type': 'VARCHAR',
             'household_id': 'INTEGER', 'institution_id': 'INTEGER', 'rw_code': 'VARCHAR', 'lon': 'DOUBLE',
             'lat': 'DOUBLE', 'status': 'VARCHAR'`,
          )} s
          LEFT JOIN households h USING (household_id)
        ) d
        JOIN regions r ON r.code = d.rw_code AND r.level = 'rw'
        ORDER BY d.date, d.id;
        -- The generator's daily batches per aggregator, as if each had been uploaded that evening (18:00 WIB).
        INSERT INTO batches
        SELECT batch_id, any_value(aggregator), 'seed', (strftime(min(date), '%Y-%m-%d') || ' 18:00:00+07')::TIMESTAMPTZ, 'seed',
               count(*), count(*), 0, NULL
        FROM distributions GROUP BY batch_id;
      `);
      const check = await conn.runAndReadAll(`
        SELECT (SELECT count(*) FROM read_csv(${literal(path.join(options.datasetDir, 'distributions.csv'))}, header = true))
             - (SELECT count(*) FROM distributions) AS lost`);
      const lost = Number(check.getRowObjectsJson()[0]?.lost ?? 0);
      if (lost !== 0) throw new Error(`${lost} distribution records name an unknown RW`);
      await rebuildRollups(conn);
      await setMeta(conn, 'data_version', options.version);
      await setMeta(conn, 'dataset', options.dataset ?? 'custom');
      await setMeta(conn, 'commit_seq', '0');
      await setMeta(conn, 'public_seq', '0');
      await conn.run('CHECKPOINT');
    });
  } finally {
    await db.close();
  }
  renameSync(tmp, options.dbPath);
  rmSync(`${tmp}.wal`, { force: true });
  return { seconds: (performance.now() - started) / 1000, bytes: statSync(options.dbPath).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dbPath = process.argv[2] ?? DEMO_DB_PATH;
  if (!existsSync(path.join(DEFAULT_DATASET_DIR, 'distributions.csv'))) {
    throw new Error('no generated dataset: run `npm run build:data` first');
  }
  if (existsSync(dbPath) && dbPath !== DEMO_DB_PATH) {
    throw new Error(`${dbPath} exists; a build never overwrites a database (move it away first)`);
  }
  const { seconds, bytes } = await buildDatabase({
    dbPath,
    datasetDir: DEFAULT_DATASET_DIR,
    version: 'manual',
    dataset: 'demo',
  });
  console.log(`[db] ${dbPath}: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
}
