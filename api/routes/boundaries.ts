import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { BoundaryParams, BoundaryQuery } from '../schemas/filters';
import { validate } from '../validate';

/**
 * Web geometry per level. The versioned URL that /api/meta lists (`?v=` its ETag) is immutable,
 * so clients may cache it for good; any other URL is revalidated with its ETag.
 */
export const boundaries = new Hono<AppEnv>().get(
  '/:level',
  validate('param', BoundaryParams),
  validate('query', BoundaryQuery),
  (c) => {
    const file = c.var.boundaries[c.req.valid('param').level];
    const headers: Record<string, string> = {
      'Content-Type': 'application/geo+json',
      ETag: file.etag,
      'Cache-Control':
        c.req.query('v') === file.etag.replaceAll('"', '')
          ? 'public, max-age=31536000, immutable'
          : 'public, no-cache',
      Vary: 'Accept-Encoding',
    };
    if (c.req.header('If-None-Match') === file.etag) return c.body(null, 304, headers);
    if ((c.req.header('Accept-Encoding') ?? '').includes('gzip')) {
      return c.body(new Uint8Array(file.gzip), 200, { ...headers, 'Content-Encoding': 'gzip' });
    }
    return c.body(new Uint8Array(file.body), 200, headers);
  },
);
