import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * Public reads: the published figures, geometry, metadata and the API description. Any site may
 * read them (they are public, and no cookie or token is involved: `*` never carries credentials).
 */
const PUBLIC_READS =
  /^\/api\/(health|meta|summary|choropleth|gaps|timeseries|institutions|export|openapi\.json|areas\/[^/]+|boundaries\/[^/]+)$/;

/**
 * The API's CORS decision: public GET endpoints allow any origin without credentials, and a
 * preflight may ask for `If-None-Match` only (no `Authorization`: tokens are for server-side
 * clients). Everything else (sign-in, uploads, batches, records, audit) answers no CORS headers,
 * so browsers keep other origins out; cookie-authenticated writes also check their Origin.
 */
export function publicReadCors(): MiddlewareHandler {
  const allow = cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD'],
    allowHeaders: ['If-None-Match'],
    exposeHeaders: ['ETag', 'Content-Disposition', 'X-Request-Id'],
    maxAge: 86_400,
  });
  return (c, next) => (PUBLIC_READS.test(c.req.path) ? allow(c, next) : next());
}
