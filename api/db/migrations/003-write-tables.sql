-- The store takes writes: uploads in batches, tokens, sessions, an audit trail and idempotency
-- keys. (Its own migration: DuckDB builds no index in a transaction that has updated rows.)

-- Home units took the place of the RW index.
ALTER TABLE regions DROP COLUMN rw_idx;

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
SELECT batch_id, any_value(aggregator), 'seed', (strftime(min(date), '%Y-%m-%d') || ' 18:00:00+07')::TIMESTAMPTZ, 'seed',
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
