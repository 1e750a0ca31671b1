-- Households lose the UNIQUE index on kk_hash: keeping it up to date cost an upload of a hundred
-- thousand records about half a second. A KK still gets one household: the single writer queue
-- looks every KK of a batch up before it adds a household for it (api/ingest/commit.ts).
-- DuckDB cannot drop a UNIQUE constraint in place, so the table is rebuilt without it.

CREATE TABLE households_rebuilt (
  household_id INTEGER PRIMARY KEY,
  kk_hash VARCHAR NOT NULL,
  initials_hash VARCHAR NOT NULL,
  rw_code VARCHAR,
  kelurahan_code VARCHAR NOT NULL,
  kecamatan_code VARCHAR NOT NULL,
  kota_code VARCHAR NOT NULL,
  home_idx INTEGER NOT NULL,
  lon DOUBLE,
  lat DOUBLE
);
INSERT INTO households_rebuilt
SELECT household_id, kk_hash, initials_hash, rw_code, kelurahan_code, kecamatan_code, kota_code,
       home_idx, lon, lat
FROM households
ORDER BY household_id;
DROP TABLE households;
ALTER TABLE households_rebuilt RENAME TO households;
