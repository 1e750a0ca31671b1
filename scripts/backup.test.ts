import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../api/auth/auth';
import { createToken, revokeToken } from '../api/auth/tokens';
import { openDatabase } from '../api/db/database';
import { appliedVersions, migrations } from '../api/db/migrate';
import { DATA_TABLES, tableHash } from '../api/db/schema';
import { raw, sql } from '../api/db/sql';
import { buildFixtureDatabase } from '../api/test-support';
import { main as backup, Manifest, sha256File } from './backup';
import { ROOT } from './lib/paths';
import { main as restore } from './restore';

// tableHash takes DATA_TABLES; audit_log and tokens are hashed the same way.
const COMPARED = [...DATA_TABLES, 'audit_log', 'tokens'] as (typeof DATA_TABLES)[number][];

let dir: string;
let dbPath: string;
let snapshot: string;
let secret: string;
let before: { hashes: Record<string, string>; schema: number[] };

async function contents(file: string) {
  const db = await openDatabase(file, { readOnly: true });
  try {
    return await db.withConnection(async (conn) => {
      const hashes: Record<string, string> = {};
      for (const t of COMPARED) hashes[t] = await tableHash(conn, t);
      return { hashes, schema: await appliedVersions(conn) };
    });
  } finally {
    await db.close();
  }
}

async function count(file: string, table: 'sessions' | 'audit_log'): Promise<number> {
  const db = await openDatabase(file, { readOnly: true });
  try {
    return (
      await db.read((r) =>
        r.one<{ n: number }>(sql`SELECT count(*)::INTEGER AS n FROM ${raw(table)}`),
      )
    ).n;
  } finally {
    await db.close();
  }
}

async function resolve(file: string, token: string) {
  const db = await openDatabase(file, { readOnly: true });
  try {
    return (await Auth.load(db, null)).fromToken(token);
  } finally {
    await db.close();
  }
}

async function run(command: typeof backup, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Files next to `file` whose names start with its name (restores in progress, old databases). */
function siblings(file: string): string[] {
  return readdirSync(path.dirname(file))
    .filter((f) => f.startsWith(`${path.basename(file)}.`))
    .sort();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-backup-'));
  dbPath = await buildFixtureDatabase(dir);
  snapshot = path.join(dir, 'snapshot');
  const db = await openDatabase(dbPath);
  try {
    const issued = await db.write((tx) =>
      createToken(
        tx,
        {
          role: 'verifier_kelurahan',
          org: null,
          kelurahan: ['31.71.01.1001'],
          label: 'Gambir desk',
        },
        'test',
      ),
    );
    secret = issued.token;
    const auth = await Auth.load(db, null);
    await auth.startSession(auth.fromToken(secret)!);
  } finally {
    await db.close();
  }
  before = await contents(dbPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run backup', () => {
  it('writes a snapshot with a manifest of its schema version, row counts and file hashes', async () => {
    const res = await run(backup, '--db', dbPath, '--out', snapshot);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const manifest = Manifest.parse(
      JSON.parse(readFileSync(path.join(snapshot, 'manifest.json'), 'utf8')),
    );
    expect(manifest.schema_version).toBe(migrations().at(-1)?.version);
    expect(manifest).toMatchObject({ data_version: 'fixture', commit_seq: 0 });
    expect(manifest.tables).toMatchObject({
      distributions: 16,
      tokens: 1,
      sessions: 0,
      audit_log: 2,
    });
    expect(manifest.left_out.sessions?.rows).toBe(1);
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining([
        'schema.sql',
        'load.sql',
        'distributions.parquet',
        'sessions.parquet',
      ]),
    );
    for (const [name, f] of Object.entries(manifest.files)) {
      expect(await sha256File(path.join(snapshot, name)), name).toBe(f.sha256);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
    // The backup changed nothing in the database it read.
    expect(await count(dbPath, 'sessions')).toBe(1);
    expect(await contents(dbPath)).toEqual(before);
  });

  it('never overwrites an existing snapshot', async () => {
    const manifest = readFileSync(path.join(snapshot, 'manifest.json'), 'utf8');
    const res = await run(backup, '--db', dbPath, '--out', snapshot);
    expect(res.code).toBe(1);
    expect(res.err).toContain('already exists');
    expect(readFileSync(path.join(snapshot, 'manifest.json'), 'utf8')).toBe(manifest);
    expect((await run(backup, '--db', dbPath, '--bogus')).code).toBe(2);
  });
});

describe('npm run restore', () => {
  it('restores into a new path the same tables, schema version and tokens, without sessions', async () => {
    const target = path.join(dir, 'restored', 'peta.duckdb');
    const res = await run(restore, snapshot, '--db', target);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(await contents(target)).toEqual(before);
    expect(await count(target, 'sessions')).toBe(0);
    expect(await resolve(target, secret)).toMatchObject({ role: 'verifier_kelurahan' });
    expect(siblings(target)).toEqual([]);
  });

  it('keeps the database it replaces aside', async () => {
    const target = path.join(dir, 'replaced.duckdb');
    expect((await run(restore, snapshot, '--db', target)).code).toBe(0);
    const db = await openDatabase(target);
    try {
      const tokenId = (
        await db.read((r) => r.one<{ id: string }>(sql`SELECT token_id AS id FROM tokens`))
      ).id;
      expect(await db.write((tx) => revokeToken(tx, tokenId, 'test'))).toBe(true);
    } finally {
      await db.close();
    }
    expect(await resolve(target, secret)).toBeNull();

    const res = await run(restore, snapshot, '--db', target);
    expect(res.code).toBe(0);
    expect(await contents(target)).toEqual(before);
    expect(await resolve(target, secret)).not.toBeNull();
    const aside = siblings(target);
    expect(aside).toEqual([
      expect.stringMatching(/^replaced\.duckdb\.before-restore-\d{4}-\d\d-\d\dT[\d.-]+Z$/),
    ]);
    expect(res.out).toContain(aside[0]);
    // The old database, whole: its revocation and the audit entry for it.
    expect(await resolve(path.join(dir, aside[0]!), secret)).toBeNull();
    expect(await count(path.join(dir, aside[0]!), 'audit_log')).toBe(3);
  });

  it('refuses a snapshot with a changed Parquet byte, before importing anything', async () => {
    const tampered = path.join(dir, 'tampered-parquet');
    cpSync(snapshot, tampered, { recursive: true });
    const file = path.join(tampered, 'distributions.parquet');
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    const target = path.join(dir, 'never.duckdb');
    const res = await run(restore, tampered, '--db', target);
    expect(res.code).toBe(1);
    expect(res.err).toContain('distributions.parquet does not match its SHA-256');
    expect(existsSync(target)).toBe(false);
    expect(siblings(target)).toEqual([]);
  });

  it('refuses a snapshot whose manifest was edited, and leaves no half database', async () => {
    const tampered = path.join(dir, 'tampered-manifest');
    cpSync(snapshot, tampered, { recursive: true });
    const manifestFile = path.join(tampered, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    manifest.tables.distributions = 15;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const target = path.join(dir, 'never.duckdb');
    const res = await run(restore, tampered, '--db', target);
    expect(res.code).toBe(1);
    expect(res.err).toContain('table distributions has 16 rows, the manifest says 15');
    expect(existsSync(target)).toBe(false);
    expect(siblings(target)).toEqual([]);
    expect((await run(restore, path.join(dir, 'nowhere'), '--db', target)).err).toContain(
      'is not a snapshot',
    );
    expect((await run(restore, '--db', target)).code).toBe(2);
  });

  it('refuses while the server holds the target', async () => {
    const target = path.join(dir, 'held.duckdb');
    expect((await run(restore, snapshot, '--db', target)).code).toBe(0);
    const holder = await holdDatabase(target);
    try {
      const res = await run(restore, snapshot, '--db', target);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/^the server holds the database .*: stop it first/);
    } finally {
      await release(holder);
    }
    expect(siblings(target)).toEqual([]);
  });
});

/** A process other than this one holding the file, as the server does (DuckDB locks per process). */
async function holdDatabase(file: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(file)})
         .then(() => console.log('held'));
       setInterval(() => {}, 1000);`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve, reject) => {
    child.stdout!.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
