import { gunzipSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cacheKey,
  ENTRY_OVERHEAD_BYTES,
  entryBytes,
  etagFor,
  matchesEtag,
  responseCache,
} from './cache';
import type { AppEnv } from './env';
import { handleError } from './errors';
import type { DataState } from './state';
import { openFixtureApp, type TestApp } from './test-support';

let env: TestApp;
beforeAll(async () => {
  env = await openFixtureApp();
});
afterAll(() => env.close());

describe('HTTP caching and compression', () => {
  it('keys requests by version and canonical parameters', () => {
    expect(cacheKey('v1', '/api/summary?b=2&a=1')).toBe(cacheKey('v1', '/api/summary?a=1&b=2'));
    expect(cacheKey('v1', '/api/summary?a=1')).not.toBe(cacheKey('v2', '/api/summary?a=1'));
  });

  it('answers a matching ETag with 304 and no body', async () => {
    const first = await env.app.request('/api/choropleth?level=rw');
    const etag = first.headers.get('ETag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('Cache-Control')).toContain('max-age');
    const again = await env.app.request('/api/choropleth?level=rw', {
      headers: { 'If-None-Match': etag! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves the same body from the cache, compressed when asked', async () => {
    const plain = await (await env.app.request('/api/choropleth?level=rw&aid_type=sembako')).text();
    const zipped = await env.app.request('/api/choropleth?aid_type=sembako&level=rw', {
      headers: { 'Accept-Encoding': 'gzip, br' },
    });
    expect(zipped.headers.get('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(plain);
  });

  it('never caches errors', async () => {
    const a = await env.app.request('/api/summary?aid_type=nope');
    const b = await env.app.request('/api/summary?aid_type=nope');
    expect([a.status, b.status]).toEqual([400, 400]);
    expect(a.headers.get('ETag')).toBeNull();
  });

  it('serves boundaries precompressed with an ETag, immutable at the versioned URL', async () => {
    const meta = (await (await env.app.request('/api/meta')).json()) as {
      levels: { slug: string; boundaries: string }[];
    };
    const url = meta.levels.find((l) => l.slug === 'kelurahan')!.boundaries;
    const res = await env.app.request(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('Content-Type')).toBe('application/geo+json');
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    // Without the version (or with an old one) a cache must ask again.
    for (const other of ['/api/boundaries/kelurahan', '/api/boundaries/kelurahan?v=old'])
      expect((await env.app.request(other)).headers.get('Cache-Control')).toBe('public, no-cache');
    const fc = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()) as {
      features: unknown[];
    };
    expect(fc.features).toHaveLength(267);
    const again = await env.app.request('/api/boundaries/kelurahan', {
      headers: { 'If-None-Match': res.headers.get('ETag')! },
    });
    expect(again.status).toBe(304);
    expect((await env.app.request('/api/boundaries/desa')).status).toBe(400);
  });

  it('publishes an OpenAPI document covering every endpoint', async () => {
    const doc = (await (await env.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/summary',
        '/api/choropleth',
        '/api/gaps',
        '/api/timeseries',
        '/api/areas/{code}',
      ]),
    );
    expect(doc.paths['/api/gaps']!.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'aid_type', 'level', 'limit', 'min_need', 'threshold']),
    );
  });
});

describe('HEAD and conditional requests', () => {
  it('answers HEAD from the cache with the ETag, no body and no query', async () => {
    const url = '/api/choropleth?level=kecamatan&aid_type=thr';
    const get = await env.app.request(url);
    const reads = vi.spyOn(env.db, 'read');
    try {
      const head = await env.app.request(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('ETag')).toBe(get.headers.get('ETag'));
      expect(head.headers.get('Content-Type')).toBe(get.headers.get('Content-Type'));
      expect(await head.text()).toBe('');
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('answers 304 to a valid request not yet cached, after checking it', async () => {
    const url = '/api/summary?aid_type=lebaran&from=2020-05-01';
    const etag = etagFor(cacheKey(env.holder.current.publicVersion, url));
    const res = await env.app.request(url, { headers: { 'If-None-Match': `W/${etag}, "x"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get('ETag')).toBe(etag);
  });

  it('never answers 304 to a request that would be 400', async () => {
    for (const url of [
      '/api/summary?aid_type=beras',
      '/api/summary?junk=1',
      '/api/timeseries?from=1000-01-01&to=9999-12-31',
    ]) {
      const own = etagFor(cacheKey(env.holder.current.publicVersion, url));
      for (const tag of [own, '*']) {
        const res = await env.app.request(url, { headers: { 'If-None-Match': tag } });
        expect(res.status, `${url} with ${tag}`).toBe(400);
      }
    }
  });

  it('reads If-None-Match lists, weak validators and *', () => {
    expect(matchesEtag('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesEtag('*', '"b"')).toBe(true);
    expect(matchesEtag('"a"', '"b"')).toBe(false);
    expect(matchesEtag(undefined, '"b"')).toBe(false);
  });
});

/** The cache alone in front of a handler that answers `size` bytes, keyed by version v1. */
function cachedApp(maxBytes: number, size: (url: URL) => number, maxAnswerBytes?: number) {
  const cache = responseCache({ maxBytes, cacheControl: 'public, max-age=1', maxAnswerBytes });
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('state', { publicVersion: 'v1' } as DataState);
      await next();
    })
    .use(cache.middleware)
    .get('/data', (c) => c.text('x'.repeat(size(new URL(c.req.url)))));
  app.onError(handleError);
  return { app, cache };
}

describe('the cache budget', () => {
  it('counts keys and per-entry overhead, not only bodies', async () => {
    const maxBytes = 1024 * 1024;
    const { app, cache } = cachedApp(maxBytes, () => 100);
    const junk = 'k'.repeat(1500);
    for (let i = 0; i < 2000; i++) await app.request(`/data?i=${i}&pad=${junk}`);
    const { entries, bytes } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(maxBytes);
    // Each entry holds a key of about 1.5 KB: a budget of bodies alone would keep all 2000.
    expect(entries).toBeLessThanOrEqual(Math.floor(maxBytes / (1500 + 100 + ENTRY_OVERHEAD_BYTES)));
    expect(entries).toBeGreaterThan(0);
  });

  it('counts the whole memory behind a compressed body, and keeps no more than it needs', async () => {
    const zipped = gzipSync(Buffer.alloc(4000), { level: 1 });
    expect(zipped.buffer.byteLength).toBeGreaterThan(zipped.length); // a view into zlib's chunk
    const entry = {
      body: Buffer.alloc(4000),
      gzip: zipped,
      contentType: 'text/plain',
      disposition: null,
      etag: '"e"',
    };
    expect(entryBytes('key', entry)).toBeGreaterThanOrEqual(4000 + zipped.buffer.byteLength);
    // The cache stores its own compact copy: one 4 KB answer costs about 4 KB, not 20.
    const { app, cache } = cachedApp(1024 * 1024, () => 4000);
    await app.request('/data');
    expect(cache.stats().bytes).toBeLessThan(4000 + 200 + ENTRY_OVERHEAD_BYTES);
  });

  it('refuses an answer larger than the ceiling instead of holding it', async () => {
    const { app, cache } = cachedApp(1024 * 1024, (u) => Number(u.searchParams.get('n')), 5000);
    expect((await app.request('/data?n=4000')).status).toBe(200);
    const res = await app.request('/data?n=6000');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('answer_too_large');
    expect(cache.stats().entries).toBe(1);
  });
});
