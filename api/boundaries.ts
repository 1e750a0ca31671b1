import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { LEVELS, type Level } from './domain';

export interface BoundaryFile {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  collection: FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;
}

export type Boundaries = Record<Level, BoundaryFile>;

/** Web geometry of every level, read and compressed once at start-up. */
export function loadBoundaries(dir: string): Boundaries {
  return Object.fromEntries(
    LEVELS.map((level) => {
      const body = readFileSync(path.join(dir, `${level}.geojson`));
      return [
        level,
        {
          body,
          gzip: gzipSync(body, { level: 9 }),
          etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
          collection: JSON.parse(body.toString('utf8')) as BoundaryFile['collection'],
        },
      ];
    }),
  ) as Boundaries;
}
