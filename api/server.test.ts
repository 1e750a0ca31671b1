import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIST_DIR } from './paths';
import { DEMO_DB_PATH } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';
import { freePort, listeningAddresses } from './http/test-process';
import { FIRST_DATA_DAY, jakartaToday, MAX_LIST_ITEMS } from './schemas/filters';

// The real server process (`npm start` minus the data check) over a copy of the default database.
let PORT: number;
let BASE: string;
let server: ServerProcess;
let dir: string;
/** The server's stdout: its start-up lines and one JSON access log line per request. */
let stdout = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-server-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  PORT = await freePort();
  BASE = `http://127.0.0.1:${PORT}`;
  server = await startServerProcess({
    dbPath,
    port: PORT,
    timeoutMs: 60_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
});

afterAll(async () => {
  server?.stop();
  await server?.exited;
  rmSync(dir, { recursive: true, force: true });
});

interface AccessLine {
  time: string;
  id: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

function accessLines(): AccessLine[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as AccessLine)
    .filter((l) => 'method' in l);
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

/** A built asset's URL (the build names them by content hash). */
function someAsset(): string {
  const js = readdirSync(path.join(CLIENT_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'));
  return `/assets/${js}`;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

function expectSecurityHeaders(res: Response, what: string) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(res.headers.get(name), `${name} on ${what}`).toBe(value);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("connect-src 'self'");
  expect(res.headers.get('x-request-id'), what).toMatch(/^[\w=-]{8,}$/);
}

describe('the HTTP server', () => {
  it('answers health', async () => {
    const res = await fetch(`${BASE}/api/health`);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the published figures', async () => {
    const res = await fetch(`${BASE}/api/summary?from=2020-04-24&to=2020-05-27`);
    const body = (await res.json()) as {
      packages: { total: number };
      areas_reached: { rw: number };
    };
    expect(body.packages.total).toBe(561_118);
    expect(body.areas_reached.rw).toBe(2_000);
  });

  it('answers bad input with a JSON 400', async () => {
    const res = await fetch(`${BASE}/api/summary?aid_type=beras`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_parameters');
  });

  it('listens on loopback only by default', () => {
    expect(listeningAddresses(PORT)).toEqual(['127.0.0.1']);
  });
});

describe('security headers', () => {
  it('are on every answer: API, cache hit, 304, HEAD, errors, the page, assets and 404s', async () => {
    const url = `${BASE}/api/choropleth?level=kota`;
    const first = await fetch(url);
    const hit = await fetch(url);
    const etag = hit.headers.get('etag')!;
    const answers: [string, Response][] = [
      ['API answer', first],
      ['cache hit', hit],
      ['304', await fetch(url, { headers: { 'If-None-Match': etag } })],
      ['HEAD', await fetch(url, { method: 'HEAD' })],
      ['400', await fetch(`${BASE}/api/summary?aid_type=beras`)],
      ['401', await fetch(`${BASE}/api/batches`)],
      ['API 404', await fetch(`${BASE}/api/nothing-here`)],
      ['boundaries', await fetch(`${BASE}/api/boundaries/kota`)],
      ['the page', await fetch(`${BASE}/`)],
      ['an asset', await fetch(`${BASE}${someAsset()}`)],
      ['a missing asset', await fetch(`${BASE}/assets/gone-0000.js`)],
    ];
    expect(answers[2]![1].status).toBe(304);
    for (const [what, res] of answers) expectSecurityHeaders(res, what);
  });
});

describe('CORS', () => {
  const ELSEWHERE = 'https://elsewhere.example';

  it('lets any origin read public figures, without credentials', async () => {
    const res = await fetch(`${BASE}/api/summary`, { headers: { Origin: ELSEWHERE } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('allows a preflight for conditional GETs, never for a token', async () => {
    const res = await fetch(`${BASE}/api/choropleth`, {
      method: 'OPTIONS',
      headers: {
        Origin: ELSEWHERE,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,HEAD');
    expect(res.headers.get('access-control-allow-headers')).toBe('If-None-Match');
  });

  it('gives sign-in, uploads, records and batches no CORS headers at all', async () => {
    for (const p of ['/api/session', '/api/distributions', '/api/records', '/api/batches']) {
      const preflight = await fetch(`${BASE}${p}`, {
        method: 'OPTIONS',
        headers: { Origin: ELSEWHERE, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin'), p).toBeNull();
      const get = await fetch(`${BASE}${p}`, { headers: { Origin: ELSEWHERE } });
      expect(get.headers.get('access-control-allow-origin'), p).toBeNull();
    }
  });
});

describe('static files', () => {
  it('answers a missing asset 404 that no cache keeps, not the page', async () => {
    const res = await fetch(`${BASE}/assets/index-00000000.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await errorOf(res)).code).toBe('not_found');
  });

  it('serves a real asset immutable and the page revalidated', async () => {
    const asset = await fetch(`${BASE}${someAsset()}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const page of ['/', '/?page=upload', '/?level=rw&metric=gap&lang=en', '/index.html']) {
      const res = await fetch(`${BASE}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type'), page).toContain('text/html');
      expect(res.headers.get('cache-control'), page).toBe('no-cache');
      expect(await res.text(), page).toContain('<div id="root">');
    }
  });

  it('never serves dotfiles, project files or paths the app does not use', async () => {
    for (const p of [
      '/.env',
      '/.git/config',
      '/.fingerprint',
      '/package.json',
      '/README.md',
      '/api/../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/data/generated/demo.duckdb',
      '/upload',
      '/some/page',
    ]) {
      const res = await fetch(`${BASE}${p}`);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('content-type'), p).not.toContain('text/html');
      expect(res.headers.get('cache-control'), p).toBe('no-store');
    }
  });
});

describe('HEAD and conditional requests', () => {
  it('answers HEAD like GET from the cache, with the ETag and no body', async () => {
    const url = `${BASE}/api/gaps?level=kecamatan&aid_type=thr`;
    const get = await fetch(url);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    // A HEAD first fills the cache like a GET: the GET after it is a hit with the same ETag.
    const fresh = `${BASE}/api/gaps?level=kecamatan&aid_type=lebaran`;
    const headFirst = await fetch(fresh, { method: 'HEAD' });
    expect(headFirst.headers.get('etag')).toBeTruthy();
    expect((await fetch(fresh)).headers.get('etag')).toBe(headFirst.headers.get('etag'));
  });

  it('answers 304 only to a request that would have been answered 200', async () => {
    const url = `${BASE}/api/summary?aid_type=sembako`;
    const etag = (await fetch(url)).headers.get('etag')!;
    expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    for (const bad of [
      `${url}&junk=1`,
      `${BASE}/api/summary?aid_type=beras`,
      `${BASE}/api/summary?from=1999-01-01`,
    ]) {
      for (const tag of [etag, '*']) {
        const res = await fetch(bad, { headers: { 'If-None-Match': tag } });
        expect(res.status, `${bad} with ${tag}`).toBe(400);
      }
    }
  });
});

describe('bounded requests', () => {
  it('refuses unknown query parameters, naming them, on every data endpoint', async () => {
    for (const p of [
      '/api/meta',
      '/api/summary',
      '/api/choropleth',
      '/api/gaps',
      '/api/timeseries',
      '/api/areas/31.71',
      '/api/institutions',
      '/api/export?format=csv',
      '/api/boundaries/kota',
    ]) {
      const res = await fetch(
        `${BASE}${p}${p.includes('?') ? '&' : '?'}junk_param=${'x'.repeat(500)}`,
      );
      expect(res.status, p).toBe(400);
      const error = await errorOf(res);
      expect(error.message, p).toContain('junk_param');
      expect(error.message, p).not.toContain('x'.repeat(50));
    }
  });

  it('refuses a date range past the data period with a 400 naming the limit', async () => {
    const started = performance.now();
    const res = await fetch(`${BASE}/api/timeseries?from=1000-01-01&to=9999-12-31`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(400);
    const { message } = await errorOf(res);
    expect(message).toContain(FIRST_DATA_DAY);
    expect(message).toContain(jakartaToday());
    expect((await fetch(`${BASE}/api/summary?from=0001-01-01`)).status).toBe(400);
    // The widest range allowed is fine.
    const widest = await fetch(
      `${BASE}/api/timeseries?from=${FIRST_DATA_DAY}&to=${jakartaToday()}`,
    );
    expect(widest.status).toBe(200);
  });

  it('caps list parameters', async () => {
    const many = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => 'sembako').join(',');
    const res = await fetch(`${BASE}/api/summary?aid_type=${many}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain(`at most ${MAX_LIST_ITEMS}`);
    const repeated = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => 'aggregator=act').join('&');
    expect((await fetch(`${BASE}/api/summary?${repeated}`)).status).toBe(400);
    // Thousands of bad items are one problem, not thousands.
    const junk = await fetch(`${BASE}/api/summary?aid_type=${'x,'.repeat(2000)}`);
    const body = (await junk.json()) as { error: { details: { parameters: unknown[] } } };
    expect(body.error.details.parameters).toHaveLength(1);
  });
});

describe('access log', () => {
  it('writes one JSON line per request with its id, never the query string', async () => {
    const res = await fetch(`${BASE}/api/summary?to=2020-05-13&recipient_type=pesantren`, {
      headers: { 'X-Request-Id': 'probe-access-log-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('probe-access-log-1');
    const minted = await fetch(`${BASE}/api/health`, { headers: { 'X-Request-Id': 'bad id!' } });
    const mintedId = minted.headers.get('x-request-id')!;
    expect(mintedId).not.toBe('bad id!');
    await fetch(`${BASE}/api/summary?kk=3171010101200001&head_initials=SITI`);
    await new Promise((r) => setTimeout(r, 200)); // the lines cross a pipe
    const lines = accessLines();
    const line = lines.find((l) => l.id === 'probe-access-log-1');
    expect(line).toMatchObject({ method: 'GET', path: '/api/summary', status: 200 });
    expect(Object.keys(line!).sort()).toEqual(['id', 'method', 'ms', 'path', 'status', 'time']);
    expect(Number.isNaN(Date.parse(line!.time))).toBe(false);
    expect(line!.ms).toBeGreaterThanOrEqual(0);
    expect(lines.some((l) => l.id === mintedId && l.path === '/api/health')).toBe(true);
    expect(lines.some((l) => l.status === 400 && l.path === '/api/summary')).toBe(true);
    for (const secret of [
      '2020-05-13',
      'pesantren',
      '3171010101200001',
      'SITI',
      'head_initials',
      '?',
    ])
      expect(stdout, secret).not.toContain(secret);
  });
});
