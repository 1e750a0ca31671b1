import type { DuckDBConnection } from '@duckdb/node-api';
import { AGGREGATORS, AID_TYPES, LEVELS, RECIPIENT_TYPES, RECORD_STATUSES } from '../domain';
import { execute, queryRows } from './database';
import { raw, sql } from './sql';

const enumOf = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Tables of the store. Slugs are ENUMs: compact, fast to filter, and reject unknown values. */
export const SCHEMA = `
CREATE TYPE level_t AS ENUM (${enumOf(LEVELS)});
CREATE TYPE aid_type_t AS ENUM (${enumOf(AID_TYPES)});
CREATE TYPE aggregator_t AS ENUM (${enumOf(AGGREGATORS)});
CREATE TYPE recipient_type_t AS ENUM (${enumOf(RECIPIENT_TYPES)});
CREATE TYPE status_t AS ENUM (${enumOf(RECORD_STATUSES)});

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE regions (
  code VARCHAR PRIMARY KEY,
  level level_t NOT NULL,
  name VARCHAR NOT NULL,
  parent_code VARCHAR,
  kota_code VARCHAR NOT NULL,
  kecamatan_code VARCHAR,
  kelurahan_code VARCHAR,
  population INTEGER NOT NULL CHECK (population >= 0),
  households INTEGER NOT NULL CHECK (households >= 0),
  need INTEGER NOT NULL CHECK (need >= 0 AND need <= households),
  area_km2 DOUBLE NOT NULL,
  label_lon DOUBLE NOT NULL,
  label_lat DOUBLE NOT NULL,
  flood_prone BOOLEAN NOT NULL,
  modelled BOOLEAN NOT NULL,
  household_weight VARCHAR,
  -- Dense 1-based index of RWs (by code), so queries can group households by a small integer.
  rw_idx SMALLINT
);

CREATE TABLE covid_daily (
  date DATE NOT NULL,
  kelurahan_code VARCHAR NOT NULL,
  positive INTEGER NOT NULL,
  hospitalised INTEGER NOT NULL,
  recovered INTEGER NOT NULL,
  died INTEGER NOT NULL,
  self_isolating INTEGER NOT NULL,
  odp INTEGER NOT NULL,
  pdp INTEGER NOT NULL,
  PRIMARY KEY (date, kelurahan_code)
);

CREATE TABLE aggregators (
  slug aggregator_t PRIMARY KEY,
  name VARCHAR NOT NULL,
  short_name VARCHAR NOT NULL,
  home_kota VARCHAR[] NOT NULL,
  start_date DATE NOT NULL
);

-- A household counts in the area of its home RW (where it was first registered).
CREATE TABLE households (
  household_id INTEGER PRIMARY KEY,
  kk_hash VARCHAR NOT NULL UNIQUE,
  initials_hash VARCHAR NOT NULL,
  rw_code VARCHAR NOT NULL,
  kelurahan_code VARCHAR NOT NULL,
  kecamatan_code VARCHAR NOT NULL,
  kota_code VARCHAR NOT NULL,
  rw_idx SMALLINT NOT NULL,
  lon DOUBLE NOT NULL,
  lat DOUBLE NOT NULL
);

CREATE TABLE institutions (
  institution_id INTEGER PRIMARY KEY,
  type recipient_type_t NOT NULL,
  name VARCHAR NOT NULL,
  rw_code VARCHAR NOT NULL,
  lon DOUBLE NOT NULL,
  lat DOUBLE NOT NULL,
  illustrative BOOLEAN NOT NULL
);

-- Raw records are the source of truth; region codes are denormalised for fast filtering.
CREATE TABLE distributions (
  id BIGINT NOT NULL,
  external_id VARCHAR NOT NULL,
  batch_id VARCHAR NOT NULL,
  aggregator aggregator_t NOT NULL,
  date DATE NOT NULL,
  aid_type aid_type_t NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  recipient_type recipient_type_t NOT NULL,
  household_id INTEGER,
  institution_id INTEGER,
  rw_code VARCHAR NOT NULL,
  kelurahan_code VARCHAR NOT NULL,
  kecamatan_code VARCHAR NOT NULL,
  kota_code VARCHAR NOT NULL,
  lon DOUBLE,
  lat DOUBLE,
  status status_t NOT NULL
);
`;

/** Map rollup: packages and records per RW, day and every filter dimension. */
export const ROLLUP_SQL = `
CREATE OR REPLACE TABLE rollup_rw_day AS
SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type,
       recipient_type, status,
       sum(quantity)::BIGINT AS packages,
       count(*)::INTEGER AS records
FROM distributions
GROUP BY ALL
ORDER BY date, rw_code;
`;

export async function createSchema(conn: DuckDBConnection): Promise<void> {
  await conn.run(SCHEMA);
}

export async function refreshRollups(conn: DuckDBConnection): Promise<void> {
  await conn.run(ROLLUP_SQL);
}

export async function setMeta(conn: DuckDBConnection, key: string, value: string): Promise<void> {
  await execute(conn, sql`INSERT OR REPLACE INTO meta VALUES (${key}, ${value})`);
}

export async function getMeta(conn: DuckDBConnection, key: string): Promise<string | null> {
  const rows = await queryRows<{ value: string }>(
    conn,
    sql`SELECT value FROM meta WHERE key = ${key}`,
  );
  return rows[0]?.value ?? null;
}

/** Tables whose content defines the dataset (rollups are derived, meta is bookkeeping). */
export const DATA_TABLES = [
  'regions',
  'covid_daily',
  'aggregators',
  'households',
  'institutions',
  'distributions',
] as const;

/** Order-independent content hash of a table, for determinism checks. */
export async function tableHash(
  conn: DuckDBConnection,
  table: (typeof DATA_TABLES)[number],
): Promise<string> {
  const rows = await queryRows<{ h: string; n: number }>(
    conn,
    sql`SELECT coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS h, count(*)::INTEGER AS n FROM ${raw(table)} t`,
  );
  return `${rows[0]?.n}:${rows[0]?.h}`;
}
