import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH, ROOT } from '../scripts/lib/paths';

// The real server process (`npm start` minus the data check) over a copy of the default database.
const PORT = 18_787 + Math.floor(Math.random() * 1000);
let child: ChildProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-server-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEFAULT_DB_PATH, dbPath);
  child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: String(PORT), DB_PATH: dbPath, SKIP_CLIENT_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start within 60 s');
});

afterAll(() => {
  child?.kill('SIGTERM');
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
