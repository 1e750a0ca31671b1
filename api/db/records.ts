import { raw, type Sql } from './sql';

/**
 * A digest of a record's content as its aggregator sent it (KK and initials as keyed hashes),
 * over a relation with the columns date, aid_type, quantity, recipient_type, kk_hash,
 * initials_hash, institution_id, rw_given, lon, lat. Tells a re-send (same digest) from a changed
 * record under the same external_id. Written once, used by the seed build and by uploads.
 */
export function fingerprintSql(alias: string): Sql {
  const c = (name: string) => `${alias}.${name}`;
  return raw(`sha256(concat_ws('|',
    ${c('date')}::VARCHAR, ${c('aid_type')}::VARCHAR, ${c('quantity')}::VARCHAR, ${c('recipient_type')}::VARCHAR,
    coalesce(${c('kk_hash')}, ''), coalesce(${c('initials_hash')}, ''),
    coalesce(${c('institution_id')}::VARCHAR, ''), coalesce(${c('rw_given')}, ''),
    coalesce(printf('%.6f', ${c('lon')}), ''), coalesce(printf('%.6f', ${c('lat')}), '')))`);
}
