import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.join(ROOT, 'data');
export const GEOJSON_DIR = path.join(ROOT, 'geojson');
export const GENERATED_DIR = path.join(DATA_DIR, 'generated');
export const DEFAULT_DB_PATH = path.join(GENERATED_DIR, 'peta.duckdb');
export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
