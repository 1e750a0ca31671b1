import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { openDatabase, type Database } from '../db/database';
import { loadDeps } from '../deps';
import { buildFixtureDatabase } from '../test-support';
import { demoTokensEnabled } from './demo';

let dir: string;
const dbs: Database[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-auth-'));
});
afterAll(async () => {
  for (const db of dbs) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function appOn(dataset: string) {
  const sub = mkdtempSync(path.join(dir, `${dataset}-`));
  const db = await openDatabase(await buildFixtureDatabase(sub, dataset));
  dbs.push(db);
  return createApp(await loadDeps(db));
}

const whoAmI = (app: Awaited<ReturnType<typeof appOn>>, token: string) =>
  app.request('/api/session', { headers: { Authorization: `Bearer ${token}` } });

describe('demo tokens', () => {
  it('work on the demo dataset, with the scope the README names', async () => {
    const app = await appOn('demo');
    const res = await whoAmI(app, 'demo-act');
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { principal: { role: string; org: string } }).principal,
    ).toMatchObject({
      role: 'aggregator',
      org: 'act',
    });
    const verifier = (await (await whoAmI(app, 'demo-verifier-kelurahan')).json()) as {
      principal: { kelurahan: string[] };
    };
    expect(verifier.principal.kelurahan.length).toBeGreaterThan(0);
    expect(verifier.principal.kelurahan.every((k) => k.startsWith('31.72.01.'))).toBe(true);
  });

  it('never open another dataset', async () => {
    const app = await appOn('custom');
    for (const token of ['demo-act', 'demo-planner', 'demo-admin']) {
      const res = await whoAmI(app, token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
    }
  });

  it('are off in production and with DEMO_TOKENS=0', () => {
    expect(demoTokensEnabled(true, {})).toBe(true);
    expect(demoTokensEnabled(true, { NODE_ENV: 'production' })).toBe(false);
    expect(demoTokensEnabled(true, { DEMO_TOKENS: '0' })).toBe(false);
    expect(demoTokensEnabled(false, {})).toBe(false);
  });
});
