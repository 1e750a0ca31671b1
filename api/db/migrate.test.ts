import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDatabase, FIXTURE_DIR, getJson } from '../test-support';
import { createApp } from '../app';
import { loadDeps } from '../deps';
import { openDatabase, queryRows, type Database } from './database';
import { appliedVersions, migrate, migrations, MIGRATIONS_DIR } from './migrate';
import { sql } from './sql';

/**
 * A database as the build made it before migrations existed: the baseline schema (001), the
 * fixture loaded the old way (SMALLINT RW indexes, `pending` records), no schema_migrations.
 */
async function buildPreMigrationDatabase(file: string): Promise<void> {
  const db = await openDatabase(file);
  const csv = (name: string) => `read_csv('${path.join(FIXTURE_DIR, name)}', header = true)`;
  try {
    await db.withConnection(async (conn) => {
      await conn.run(readFileSync(path.join(MIGRATIONS_DIR, '001-baseline.sql'), 'utf8'));
      await conn.run(`
        INSERT INTO regions
        SELECT code, level, name, parent_code, kota_code, kecamatan_code, kelurahan_code, population,
               households, need, area_km2, label_lon, label_lat, flood_prone, modelled, household_weight,
               CASE WHEN level = 'rw' THEN row_number() OVER (PARTITION BY level = 'rw' ORDER BY code) END
        FROM ${csv('regions.csv')};
        INSERT INTO covid_daily SELECT * FROM ${csv('covid-kelurahan-daily.csv')};
        INSERT INTO aggregators SELECT slug, name, short_name,
          string_split(coalesce(home_kota, ''), ' ').list_filter(x -> x <> ''), start_date
        FROM ${csv('aggregators.csv')};
        INSERT INTO households SELECT h.household_id, h.kk_hash, h.initials_hash, h.rw_code, r.kelurahan_code,
          r.kecamatan_code, r.kota_code, r.rw_idx, h.lon, h.lat
        FROM ${csv('households.csv')} h JOIN regions r ON r.code = h.rw_code;
        INSERT INTO institutions SELECT * FROM ${csv('institutions.csv')};
        INSERT INTO distributions SELECT d.id, d.external_id, d.batch_id, d.aggregator, d.date, d.aid_type,
          d.quantity, d.recipient_type, d.household_id, d.institution_id, d.rw_code, r.kelurahan_code,
          r.kecamatan_code, r.kota_code, d.lon, d.lat,
          CASE d.status WHEN 'submitted' THEN 'pending' ELSE d.status END
        FROM ${csv('distributions.csv')} d JOIN regions r ON r.code = d.rw_code;
        CREATE OR REPLACE TABLE rollup_rw_day AS
        SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type,
               recipient_type, status, sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
        FROM distributions GROUP BY ALL;
        INSERT INTO meta VALUES ('data_version', 'fixture');`);
    });
  } finally {
    await db.close();
  }
}

let dir: string;
let migrated: Database;
let fresh: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-migrate-'));
  const old = path.join(dir, 'old.duckdb');
  await buildPreMigrationDatabase(old);
  migrated = await openDatabase(old);
  fresh = await openDatabase(await buildFixtureDatabase(dir));
});
afterAll(async () => {
  await migrated?.close();
  await fresh?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('are numbered without gaps, from the baseline', () => {
    expect(migrations().map((m) => m.version)).toEqual(migrations().map((_, i) => i + 1));
  });

  it('bring a database from before migrations forward, keeping its data', async () => {
    const log: string[] = [];
    const applied = await migrated.withConnection((conn) => migrate(conn, (m) => log.push(m)));
    expect(applied.map((m) => m.version)).toEqual(
      migrations()
        .slice(1)
        .map((m) => m.version),
    );
    expect(log.join('\n')).toContain('002-states-and-homes');
    const versions = await migrated.withConnection(appliedVersions);
    expect(versions).toEqual(migrations().map((m) => m.version));
    // Running again changes nothing.
    expect(await migrated.withConnection((conn) => migrate(conn))).toEqual([]);

    const statuses = await migrated.withConnection((conn) =>
      queryRows<{ status: string; n: number }>(
        conn,
        sql`SELECT status::VARCHAR AS status, count(*)::INTEGER AS n FROM distributions GROUP BY 1 ORDER BY 1`,
      ),
    );
    // The generated pending record became the first of the verification queue.
    expect(statuses).toEqual([
      { status: 'rejected', n: 1 },
      { status: 'submitted', n: 1 },
      { status: 'verified', n: 14 },
    ]);
  });

  it('give the same tables and answers as a fresh build of the same data', async () => {
    const tables = (db: Database) =>
      db.withConnection((conn) =>
        queryRows<{ t: string; n: number }>(
          conn,
          sql`SELECT table_name AS t, estimated_size::INTEGER AS n FROM duckdb_tables() ORDER BY 1`,
        ),
      );
    expect((await tables(migrated)).map((t) => t.t)).toEqual((await tables(fresh)).map((t) => t.t));
    const units = (db: Database) =>
      db.withConnection((conn) =>
        queryRows(
          conn,
          sql`SELECT code, home_idx FROM regions WHERE home_idx IS NOT NULL ORDER BY home_idx`,
        ),
      );
    expect(await units(migrated)).toEqual(await units(fresh));

    const answers = async (db: Database) => {
      const app = createApp(await loadDeps(db));
      const out: unknown[] = [];
      for (const url of [
        '/api/summary',
        '/api/choropleth?level=rw',
        '/api/choropleth?level=kelurahan&aggregator=act',
        '/api/timeseries?interval=week',
      ]) {
        const { body } = await getJson<Record<string, unknown>>(app, url);
        out.push({ ...body, data_version: null });
      }
      return out;
    };
    expect(await answers(migrated)).toEqual(await answers(fresh));
  });
});
