import type { Tx } from '../db/database';
import { Sql, sql } from '../db/sql';
import { PLACE_COLUMNS, STAGED_COLUMNS, type StagedBatch } from './staging';

/**
 * `SELECT` of staged text columns: DuckDB splits each and zips them back into rows. The casts go
 * outside the unnesting: an expression around `unnest` makes DuckDB ten times slower here.
 */
function unnestColumns(columns: readonly (readonly [string, string])[], texts: Uint8Array[]): Sql {
  const split = columns.map(([name]) => `unnest(string_split(?, ',')) AS ${name}`);
  const cast = columns.map(([name, type]) =>
    type === 'VARCHAR'
      ? `NULLIF(${name}, '') AS ${name}`
      : `NULLIF(${name}, '')::${type} AS ${name}`,
  );
  return new Sql(
    `SELECT ${cast.join(', ')} FROM (SELECT ${split.join(', ')})`,
    texts.map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('latin1')),
  );
}

/**
 * A chunk of staged records as `temp.staged`, with the codes of their places; checked against
 * the chunk's count. The split texts are tables of their own before the join: in
 * one statement with it, the planner copies the constant lists around for over a second.
 */
export async function stageChunk(tx: Tx, batch: StagedBatch): Promise<void> {
  await tx.run(
    sql`CREATE OR REPLACE TEMP TABLE places AS ${unnestColumns(PLACE_COLUMNS, batch.placeColumns)}`,
  );
  await tx.run(
    sql`CREATE OR REPLACE TEMP TABLE staged_text AS ${unnestColumns(STAGED_COLUMNS, batch.columns)}`,
  );
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE staged AS
    SELECT s.row, s.seq, s.external_id, DATE '1970-01-01' + s.day AS date, s.day,
           s.aid_type::aid_type_t AS aid_type, s.quantity,
           s.recipient_type::recipient_type_t AS recipient_type, s.kk_hash, s.initials_hash,
           s.institution_id, s.rw_given, s.lon, s.lat, p.rw_code, p.kelurahan_code,
           p.kecamatan_code, p.kota_code, p.home, s.location_kind, s.fingerprint, s.first_kk
    FROM temp.staged_text s JOIN temp.places p USING (place)`);
  await tx.run(sql`DROP TABLE temp.staged_text`);
  await tx.run(sql`DROP TABLE temp.places`);
  const check = await tx.one<{ n: number; complete: number }>(
    sql`SELECT count(*)::INTEGER AS n,
               count(*) FILTER (row IS NOT NULL AND external_id IS NOT NULL)::INTEGER AS complete
        FROM temp.staged`,
  );
  if (check.n !== batch.records || check.complete !== batch.records) {
    throw new Error(`staging kept ${check.complete} of ${batch.records} records`);
  }
}
