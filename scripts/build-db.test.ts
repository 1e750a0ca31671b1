import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../api/db/database';
import { DATA_TABLES, tableHash } from '../api/db/schema';
import { buildDatabase } from './build-db';
import {
  DATASET_FILES,
  DEFAULT_DATASET_DIR,
  generateDefault,
  writeDataset,
} from './generate-dataset';
import { DEMO_DB_PATH } from './lib/paths';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const hashFiles = (dir: string) =>
  Object.fromEntries(
    Object.keys(DATASET_FILES).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(path.join(dir, `${name}.csv`)))
        .digest('hex'),
    ]),
  );

async function hashTables(dbPath: string) {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    return await db.withConnection(async (conn) => {
      const out: Record<string, string> = {};
      for (const t of DATA_TABLES) out[t] = await tableHash(conn, t);
      return out;
    });
  } finally {
    await db.close();
  }
}

describe('building the default database', () => {
  // The test setup built the demo database from the same inputs (scripts/prepare-data.ts).
  it('gives identical data when built again from scratch', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'peta-build-'));
    dirs.push(dir);
    writeDataset(generateDefault(), dir);
    const dbPath = path.join(dir, 'peta.duckdb');
    await buildDatabase({ dbPath, datasetDir: dir, version: 'test', dataset: 'demo' });
    expect(hashFiles(dir)).toEqual(hashFiles(DEFAULT_DATASET_DIR));
    const again = await hashTables(dbPath);
    expect(again).toEqual(await hashTables(DEMO_DB_PATH));
    expect(again.distributions).toMatch(/^[1-9]\d*:/);
  }, 300_000);
});
