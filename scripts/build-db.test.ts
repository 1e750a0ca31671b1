import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../api/db/database';
import { DATA_TABLES, tableHash } from '../api/db/schema';
import { buildDatabase } from './build-db';
import { DATASET_FILES, generateDefault, writeDataset } from './generate-dataset';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function buildFromScratch() {
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-build-'));
  dirs.push(dir);
  writeDataset(generateDefault(), dir);
  const dbPath = path.join(dir, 'peta.duckdb');
  await buildDatabase({ dbPath, datasetDir: dir, version: 'test' });
  const files = Object.fromEntries(
    Object.keys(DATASET_FILES).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(path.join(dir, `${name}.csv`)))
        .digest('hex'),
    ]),
  );
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const tables = await db.withConnection(async (conn) => {
      const out: Record<string, string> = {};
      for (const t of DATA_TABLES) out[t] = await tableHash(conn, t);
      return out;
    });
    return { files, tables };
  } finally {
    db.close();
  }
}

describe('building the default database', () => {
  it('gives identical data on two builds from scratch', async () => {
    const a = await buildFromScratch();
    const b = await buildFromScratch();
    expect(b.files).toEqual(a.files);
    expect(b.tables).toEqual(a.tables);
    expect(a.tables.distributions).toMatch(/^[1-9]\d*:/);
  }, 300_000);
});
