import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.join(ROOT, 'data');
export const GEOJSON_DIR = path.join(ROOT, 'geojson');
export const GENERATED_DIR = path.join(DATA_DIR, 'generated');
/** The default demo dataset as built from its seed: a build artefact, rebuilt when inputs change. */
export const DEMO_DB_PATH = path.join(GENERATED_DIR, 'demo.duckdb');
/** The live database `npm start` serves: created once from the demo build, then only migrated. */
export const LIVE_DB_PATH = path.join(DATA_DIR, 'live', 'peta.duckdb');
export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
