-- Layered verification: every record carries its version and the reason of its last decision;
-- a correction keeps the replaced version in record_versions.

-- A correction (re-upload of a returned record) becomes version 2, 3, … of the same record id.
ALTER TABLE distributions ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE distributions ALTER version SET NOT NULL;
-- The last decision on the record: reason code (rejected / returned), free text, and when.
ALTER TABLE distributions ADD COLUMN status_reason VARCHAR;
ALTER TABLE distributions ADD COLUMN status_note VARCHAR;
ALTER TABLE distributions ADD COLUMN status_at TIMESTAMPTZ;

-- Versions replaced by a correction, as they were when replaced.
CREATE TABLE record_versions (
  id BIGINT NOT NULL,
  version INTEGER NOT NULL,
  external_id VARCHAR NOT NULL,
  batch_id VARCHAR NOT NULL,
  aggregator aggregator_t NOT NULL,
  date DATE NOT NULL,
  aid_type aid_type_t NOT NULL,
  quantity INTEGER NOT NULL,
  recipient_type recipient_type_t NOT NULL,
  household_id INTEGER,
  institution_id INTEGER,
  rw_code VARCHAR,
  kelurahan_code VARCHAR NOT NULL,
  kecamatan_code VARCHAR NOT NULL,
  kota_code VARCHAR NOT NULL,
  lon DOUBLE,
  lat DOUBLE,
  status record_status_t NOT NULL,
  location_kind VARCHAR NOT NULL,
  fingerprint VARCHAR,
  initials_hash VARCHAR,
  status_reason VARCHAR,
  status_note VARCHAR,
  status_at TIMESTAMPTZ,
  replaced_at TIMESTAMPTZ NOT NULL,
  replaced_by_batch VARCHAR NOT NULL,
  PRIMARY KEY (id, version)
);

-- Commit counters for databases created before they existed (the seed build sets both to 0).
INSERT INTO meta SELECT 'commit_seq', '0' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'commit_seq');
INSERT INTO meta SELECT 'public_seq', '0' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'public_seq');
