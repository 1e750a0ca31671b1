import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_PATH } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

// The real server process (`npm start` minus the data check) over a copy of the default database.
const PORT = 18_787 + Math.floor(Math.random() * 1000);
let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-server-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  server = await startServerProcess({ dbPath, port: PORT, timeoutMs: 60_000 });
});

afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTTP server', () => {
  it('answers health', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/health`);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the published figures', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/summary?from=2020-04-24&to=2020-05-27`);
    const body = (await res.json()) as {
      packages: { total: number };
      areas_reached: { rw: number };
    };
    expect(body.packages.total).toBe(561_118);
    expect(body.areas_reached.rw).toBe(2_000);
  });

  it('answers bad input with a JSON 400', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/summary?aid_type=beras`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_parameters',
    );
  });
});
