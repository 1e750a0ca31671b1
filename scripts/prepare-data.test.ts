import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../api/audit';
import { openDatabase, queryRows } from '../api/db/database';
import { setMeta } from '../api/db/schema';
import { sql } from '../api/db/sql';
import { startServer } from '../api/server';
import { productionProblems } from '../api/settings';
import { buildFixtureDatabase } from '../api/test-support';
import { ensureLiveDatabase } from './prepare-data';

let dir: string;
let demo: string;
const logs: string[] = [];
const log = (m: string) => logs.push(m);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-live-'));
  demo = await buildFixtureDatabase(dir, 'demo');
  writeFileSync(`${demo}.version`, 'fixture\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function meta(file: string) {
  const db = await openDatabase(file);
  try {
    return await db.withConnection(async (conn) => ({
      version: (
        await queryRows<{ value: string }>(
          conn,
          sql`SELECT value FROM meta WHERE key = 'data_version'`,
        )
      )[0]?.value,
      audit: (
        await queryRows<{ n: number }>(conn, sql`SELECT count(*)::INTEGER AS n FROM audit_log`)
      )[0]?.n,
    }));
  } finally {
    await db.close();
  }
}

/** Marks a live database as built from an older seed, optionally with a write on it. */
async function age(file: string, written: boolean) {
  const db = await openDatabase(file);
  try {
    await db.withConnection((conn) => setMeta(conn, 'data_version', 'older-seed'));
    if (written) {
      await db.write((tx) =>
        appendAudit(tx, { actor: 't', actorRole: 'admin', action: 'test.write' }),
      );
    }
  } finally {
    await db.close();
  }
}

describe('the live database', () => {
  it('is created once from the demo build', async () => {
    const live = path.join(dir, 'live', 'a.duckdb');
    await ensureLiveDatabase(live, demo, log);
    expect(existsSync(live)).toBe(true);
    expect((await meta(live)).version).toBe('fixture');
  });

  it('is refreshed from a changed seed only while nothing was written to it', async () => {
    const live = path.join(dir, 'live', 'b.duckdb');
    await ensureLiveDatabase(live, demo, log);
    await age(live, false);
    await ensureLiveDatabase(live, demo, log);
    expect((await meta(live)).version).toBe('fixture');
  });

  it('is never replaced once it holds a write, whatever the seed', async () => {
    const live = path.join(dir, 'live', 'c.duckdb');
    await ensureLiveDatabase(live, demo, log);
    await age(live, true);
    await ensureLiveDatabase(live, demo, log);
    expect(await meta(live)).toEqual({ version: 'older-seed', audit: 1 });
    expect(logs.at(-1)).toContain('it is kept');
  });
});

describe('starting the server', () => {
  it('refuses a database path that does not exist instead of creating an empty one', async () => {
    const missing = path.join(dir, 'nope.duckdb');
    await expect(startServer({ dbPath: missing, port: 0, log })).rejects.toThrow(/no database/);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses production with the demo KK key or demo tokens', () => {
    expect(productionProblems({ NODE_ENV: 'production' })).toHaveLength(1);
    expect(
      productionProblems({ NODE_ENV: 'production', KK_HASH_KEY: 'peta-kolaborasi-demo-key-2020' }),
    ).toHaveLength(1);
    expect(
      productionProblems({ NODE_ENV: 'production', KK_HASH_KEY: 'x'.repeat(40), DEMO_TOKENS: '1' }),
    ).toEqual(['DEMO_TOKENS=1: demo tokens never work in production']);
    expect(productionProblems({ NODE_ENV: 'production', KK_HASH_KEY: 'x'.repeat(40) })).toEqual([]);
    expect(productionProblems({ NODE_ENV: 'development' })).toEqual([]);
  });
});
