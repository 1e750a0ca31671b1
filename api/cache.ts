import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { AppEnv } from './env';

interface Entry {
  body: Buffer;
  gzip: Buffer | null;
  contentType: string;
  disposition: string | null;
  etag: string;
}

/** Responses under this size are not worth compressing. */
const MIN_GZIP_BYTES = 1024;

/** A canonical key: the data version, the path and the query parameters in sorted order. */
export function cacheKey(version: string, url: string): string {
  const u = new URL(url, 'http://localhost');
  const params = [...u.searchParams.entries()].sort(
    ([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y),
  );
  return `${version}|${u.pathname}?${new URLSearchParams(params).toString()}`;
}

export function etagFor(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}

function accepts(header: string | undefined, encoding: string): boolean {
  return (header ?? '').split(',').some((e) => e.trim().split(';')[0] === encoding);
}

function send(entry: Entry, acceptEncoding: string | undefined, cacheControl: string): Response {
  const headers = new Headers({
    'Content-Type': entry.contentType,
    ETag: entry.etag,
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
  });
  if (entry.disposition) headers.set('Content-Disposition', entry.disposition);
  if (entry.gzip && accepts(acceptEncoding, 'gzip')) {
    headers.set('Content-Encoding', 'gzip');
    return new Response(new Uint8Array(entry.gzip), { status: 200, headers });
  }
  return new Response(new Uint8Array(entry.body), { status: 200, headers });
}

/** Whether a request asks for more than verified records (then its answer is a planner's own). */
export function asksBeyondPublic(url: string): boolean {
  const values = new URL(url, 'http://localhost').searchParams
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return values.some((v) => v !== 'verified');
}

/** Answers that depend on who asks: never stored in a shared cache, never shared across callers. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/**
 * Caches successful public GET answers per public version: a repeated request is answered from
 * memory, compressed once, and a client holding the ETag gets 304 without any query. Public
 * figures change only when verified records do, so the key (and the ETag) is derived from the
 * public version and the canonical URL, and uploads of unverified records leave it in place.
 * Answers that include unverified records depend on the caller's role: they bypass the cache and
 * are marked private.
 */
export function responseCache(options: {
  maxBytes: number;
  cacheControl: string;
}): MiddlewareHandler<AppEnv> {
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (e) => e.body.length + (e.gzip?.length ?? 0) + 64,
  });
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    if (asksBeyondPublic(c.req.url)) {
      await next();
      c.res.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
      return;
    }
    const key = cacheKey(c.var.state.publicVersion, c.req.url);
    const etag = etagFor(key);
    if (c.req.header('If-None-Match') === etag) {
      return new Response(null, {
        status: 304,
        headers: { ETag: etag, 'Cache-Control': options.cacheControl },
      });
    }
    const hit = cache.get(key);
    if (hit) return send(hit, c.req.header('Accept-Encoding'), options.cacheControl);
    await next();
    if (c.res.status !== 200 || c.res.headers.get('Content-Encoding')) return;
    const body = Buffer.from(await c.res.arrayBuffer());
    const entry: Entry = {
      body,
      // Level 1: several times faster than the default on a megabyte of JSON, nearly as small.
      gzip: body.length >= MIN_GZIP_BYTES ? gzipSync(body, { level: 1 }) : null,
      contentType: c.res.headers.get('Content-Type') ?? 'application/json',
      disposition: c.res.headers.get('Content-Disposition'),
      etag,
    };
    if (body.length < options.maxBytes / 4) cache.set(key, entry);
    c.res = send(entry, c.req.header('Accept-Encoding'), options.cacheControl);
  };
}
