-- Records take verification states; a location may be a kelurahan without an RW; home units
-- (RWs and the parts of kelurahan outside them) replace SMALLINT RW indexes. DuckDB rebuilds no
-- index in a transaction that has updated rows: changes to tables with keys come first.

ALTER TABLE households ALTER rw_idx TYPE INTEGER;
ALTER TABLE households RENAME rw_idx TO home_idx;
ALTER TABLE households ALTER rw_code DROP NOT NULL;
-- Households first seen in an upload that named an RW but no point have no coordinates.
ALTER TABLE households ALTER lon DROP NOT NULL;
ALTER TABLE households ALTER lat DROP NOT NULL;
ALTER TABLE regions ADD COLUMN home_idx INTEGER;

-- Verification states of the workflow; the generated `pending` records become the first queue.
CREATE TYPE record_status_t AS ENUM ('submitted', 'verified_kelurahan', 'verified', 'rejected', 'returned');
ALTER TABLE distributions ALTER status TYPE record_status_t
  USING (CASE status::VARCHAR WHEN 'pending' THEN 'submitted' ELSE status::VARCHAR END)::record_status_t;
-- A point inside a kelurahan but outside every RW polygon keeps its kelurahan and no RW.
ALTER TABLE distributions ALTER rw_code DROP NOT NULL;
-- How the location was given: 'rw_code', 'point' (assigned to an RW), 'kelurahan_only'.
-- Every record so far named its RW. (No UPDATE here: DuckDB adds no constraint after one.)
ALTER TABLE distributions ADD COLUMN location_kind VARCHAR DEFAULT 'rw_code';
ALTER TABLE distributions ALTER location_kind SET NOT NULL;
ALTER TABLE distributions ALTER location_kind DROP DEFAULT;
-- A digest of the record's content as sent, to tell a re-send from a changed record.
ALTER TABLE distributions ADD COLUMN fingerprint VARCHAR;
ALTER TABLE distributions ADD COLUMN initials_hash VARCHAR;

-- Home units: every RW, and per kelurahan the part outside all RW polygons (RWs first, by code).
UPDATE regions SET home_idx = rw_idx WHERE level = 'rw';
UPDATE regions SET home_idx = k.idx
FROM (SELECT code, (SELECT count(*) FROM regions WHERE level = 'rw') + row_number() OVER (ORDER BY code) AS idx
      FROM regions WHERE level = 'kelurahan') k
WHERE regions.code = k.code;

-- The rollup is derived from the records: rebuilt with the new status type.
DROP TABLE rollup_rw_day;
DROP TYPE status_t;
CREATE TABLE rollup_rw_day AS
SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type,
       recipient_type, status,
       sum(quantity)::BIGINT AS packages,
       count(*)::INTEGER AS records
FROM distributions
GROUP BY ALL
ORDER BY date, rw_code;
