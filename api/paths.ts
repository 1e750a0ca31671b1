import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_GEOJSON_DIR = path.join(ROOT, 'geojson', 'web');
export const CLIENT_DIST_DIR = path.join(ROOT, 'dist', 'client');
