-- The read-only store as first built: regions, COVID-19, aggregators, households, institutions
-- and distribution records. Databases built before migrations existed hold exactly this.
CREATE TYPE level_t AS ENUM ('kota', 'kecamatan', 'kelurahan', 'rw');
CREATE TYPE aid_type_t AS ENUM ('sembako', 'siap_saji', 'lebaran', 'thr');
CREATE TYPE aggregator_t AS ENUM ('act', 'baznas', 'pmi', 'rumah-zakat', 'human-initiative', 'dompet-dhuafa');
CREATE TYPE recipient_type_t AS ENUM ('household', 'orphanage', 'pesantren', 'nursing_home', 'disability_home', 'community');
CREATE TYPE status_t AS ENUM ('verified', 'pending', 'rejected');

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

CREATE TABLE rollup_rw_day AS
SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type,
       recipient_type, status,
       sum(quantity)::BIGINT AS packages,
       count(*)::INTEGER AS records
FROM distributions
GROUP BY ALL;
