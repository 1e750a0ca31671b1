-- The store takes writes: verification states, uploads in batches, tokens, sessions, an audit
-- trail and idempotency keys. Home units replace SMALLINT RW indexes.

-- Verification states of the workflow; the generated `pending` records become the first queue.
CREATE TYPE record_status_t AS ENUM ('submitted', 'verified_kelurahan', 'verified', 'rejected', 'returned');
ALTER TABLE distributions ALTER status TYPE record_status_t
  USING (CASE status::VARCHAR WHEN 'pending' THEN 'submitted' ELSE status::VARCHAR END)::record_status_t;
-- The rollup is derived from the records: rebuilt here with the new status type.
DROP TABLE rollup_rw_day;
DROP TYPE status_t;

-- A point inside a kelurahan but outside every RW polygon keeps its kelurahan and no RW.
ALTER TABLE distributions ALTER rw_code DROP NOT NULL;
-- How the location was given: 'rw_code', 'point' (assigned to an RW), 'kelurahan_only'.
ALTER TABLE distributions ADD COLUMN location_kind VARCHAR;
UPDATE distributions SET location_kind = 'rw_code';
ALTER TABLE distributions ALTER location_kind SET NOT NULL;
-- A digest of the record's content as sent, to tell a re-send from a changed record.
ALTER TABLE distributions ADD COLUMN fingerprint VARCHAR;
ALTER TABLE distributions ADD COLUMN initials_hash VARCHAR;

-- Home units: every RW, and per kelurahan the part outside all RW polygons (RWs first, by code).
ALTER TABLE regions ADD COLUMN home_idx INTEGER;
UPDATE regions SET home_idx = rw_idx WHERE level = 'rw';
UPDATE regions SET home_idx = k.idx
FROM (SELECT code, (SELECT count(*) FROM regions WHERE level = 'rw') + row_number() OVER (ORDER BY code) AS idx
      FROM regions WHERE level = 'kelurahan') k
WHERE regions.code = k.code;
ALTER TABLE regions DROP COLUMN rw_idx;

ALTER TABLE households ALTER rw_idx TYPE INTEGER;
ALTER TABLE households RENAME rw_idx TO home_idx;
ALTER TABLE households ALTER rw_code DROP NOT NULL;
-- Households first seen in an upload that named an RW but no point have no coordinates.
ALTER TABLE households ALTER lon DROP NOT NULL;
ALTER TABLE households ALTER lat DROP NOT NULL;

CREATE TABLE rollup_rw_day AS
SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type,
       recipient_type, status,
       sum(quantity)::BIGINT AS packages,
       count(*)::INTEGER AS records
FROM distributions
GROUP BY ALL
ORDER BY date, rw_code;

-- One row per upload (and per generated daily batch of the demo seed).
CREATE TABLE batches (
  batch_id VARCHAR PRIMARY KEY,
  aggregator aggregator_t NOT NULL,
  source VARCHAR NOT NULL CHECK (source IN ('seed', 'upload')),
  received_at TIMESTAMPTZ NOT NULL,
  submitted_by VARCHAR NOT NULL,
  rows INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  already_received INTEGER NOT NULL,
  request_sha256 VARCHAR
);
INSERT INTO batches
SELECT batch_id, any_value(aggregator), 'seed', (min(date) + INTERVAL 18 HOUR)::TIMESTAMPTZ, 'seed',
       count(*), count(*), 0, NULL
FROM distributions GROUP BY batch_id;

-- Tokens are stored only as SHA-256 digests of their 128-bit random value.
CREATE TABLE tokens (
  token_id VARCHAR PRIMARY KEY,
  token_sha256 VARCHAR NOT NULL UNIQUE,
  role VARCHAR NOT NULL,
  org VARCHAR,
  kelurahan VARCHAR[] NOT NULL,
  label VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

-- Browser sessions, keyed by the digest of the cookie value.
CREATE TABLE sessions (
  session_sha256 VARCHAR PRIMARY KEY,
  principal_id VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);

-- Append-only: who did what, when, to which batch or record.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  occurred_at TIMESTAMPTZ NOT NULL,
  actor VARCHAR NOT NULL,
  actor_role VARCHAR NOT NULL,
  actor_org VARCHAR,
  action VARCHAR NOT NULL,
  batch_id VARCHAR,
  record_id BIGINT,
  from_status VARCHAR,
  to_status VARCHAR,
  reason VARCHAR,
  details JSON
);

-- The first answer to a request with an Idempotency-Key, replayed for the same key and body.
CREATE TABLE idempotency_keys (
  principal_id VARCHAR NOT NULL,
  key VARCHAR NOT NULL,
  request_sha256 VARCHAR NOT NULL,
  status INTEGER NOT NULL,
  body VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (principal_id, key)
);
