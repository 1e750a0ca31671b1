import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from './cache';
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
