import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openFixtureApp, type TestApp } from './test-support';

const ENDPOINTS = [
  '/api/summary',
  '/api/choropleth',
  '/api/gaps',
  '/api/timeseries',
  '/api/areas/31.71.01.1001',
  '/api/areas/{value}',
  '/api/institutions',
  '/api/export',
  '/api/boundaries/{value}',
  '/api/meta',
];
const PARAMS = [
  'from',
  'to',
  'aid_type',
  'aggregator',
  'recipient_type',
  'area',
  'level',
  'parent',
  'threshold',
  'limit',
  'min_need',
  'interval',
  'cumulative',
  'type',
  'format',
];
const HOSTILE = [
  "' OR 1=1 --",
  "31.71'; DROP TABLE distributions; --",
  '../../etc/passwd',
  '%00',
  '\u0000',
  '𝔍𝔞𝔨𝔞𝔯𝔱𝔞',
  'ج',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '2020-02-30',
  '0000-00-00',
  '2020-04-24T00:00:00Z',
  'sembako,,,,',
  ',',
  'rw',
  '31.71.01.1001.001',
  '31.99',
  'csv',
  'true',
  '0.5',
  '1.5',
  'x'.repeat(5000),
];

const valueArb = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

let env: TestApp;
beforeAll(async () => {
  env = await openFixtureApp();
});
afterAll(() => env.close());

describe('fuzzing every endpoint', () => {
  it('never answers 5xx, and every error is JSON with a code', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        valueArb,
        fc.array(fc.tuple(fc.constantFrom(...PARAMS), valueArb), { maxLength: 6 }),
        async (endpoint, pathValue, params) => {
          const search = new URLSearchParams();
          for (const [k, v] of params) search.append(k, v);
          const url = `${endpoint.replace('{value}', encodeURIComponent(pathValue))}?${search.toString()}`;
          const res = await env.app.request(url);
          expect(res.status, url).toBeLessThan(500);
          if (res.status >= 400) {
            const body = (await res.json()) as { error: { code: string; message: string } };
            expect(typeof body.error.code, url).toBe('string');
            expect(body.error.message, url).not.toMatch(/duckdb|stack|at .*\.ts/i);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });

  it('treats repeated single-value keys as an error, not a crash', async () => {
    const res = await env.app.request('/api/summary?from=2020-05-01&from=2020-05-02');
    expect(res.status).toBe(400);
  });
});
