import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../api/auth/auth';
import { digest } from '../api/auth/principal';
import { openDatabase } from '../api/db/database';
import { sql } from '../api/db/sql';
import { buildFixtureDatabase } from '../api/test-support';
import { ROOT } from './lib/paths';
import { main } from './token';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-token-'));
  dbPath = await buildFixtureDatabase(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function token(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What the server would make of a bearer token, loading tokens as it does at start. */
async function resolve(secret: string) {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    return (await Auth.load(db, null)).fromToken(secret);
  } finally {
    await db.close();
  }
}

async function create(...argv: string[]) {
  const res = await token('create', ...argv, '--db', dbPath);
  expect(res.err).toBe('');
  expect(res.code).toBe(0);
  const secret = /\b(pk_[\w-]+)/.exec(res.out)?.[1];
  const id = /\b(tok_[\w-]+)/.exec(res.out)?.[1];
  if (!secret || !id) throw new Error(`no token in ${res.out}`);
  return { secret, id, out: res.out };
}

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

describe('npm run token', () => {
  it('creates an aggregator token: shown once, stored as a digest, resolved by the server', async () => {
    const { secret, id, out } = await create(
      '--role',
      'aggregator',
      '--org',
      'act',
      '--label',
      'ACT data desk',
    );
    expect(out).toContain('only time the token is shown');

    const list = await token('list', '--db', dbPath);
    expect(list.code).toBe(0);
    const row = list.out.split('\n').find((l) => l.startsWith(id));
    expect(row).toMatch(
      /aggregator\s+act\s+0\s+ACT data desk\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00\s+-$/,
    );
    expect(list.out).not.toContain(secret);
    expect(list.out).not.toContain(digest(secret));

    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const found = await db.read(async (r) => {
        const tables = await r.rows<{ name: string }>(
          sql`SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary`,
        );
        const hits: string[] = [];
        for (const { name } of tables) {
          // Every column of every row, as text.
          const { n } = await r.one<{ n: number }>({
            text: `SELECT count(*)::INTEGER AS n FROM "${name}" t WHERE contains(t::VARCHAR, ?)`,
            values: [secret],
          });
          if (n > 0) hits.push(name);
        }
        return hits;
      });
      expect(found).toEqual([]);
      const stored = await db.read((r) =>
        r.one<{ token_sha256: string }>(
          sql`SELECT token_sha256 FROM tokens WHERE token_id = ${id}`,
        ),
      );
      expect(stored.token_sha256).toBe(digest(secret));
      const audit = await db.read((r) =>
        r.rows<{ actor_role: string }>(
          sql`SELECT actor_role FROM audit_log WHERE action = 'token.create' AND (details->>'token_id') = ${id}`,
        ),
      );
      expect(audit).toEqual([{ actor_role: 'admin' }]);
    } finally {
      await db.close();
    }

    expect(await resolve(secret)).toMatchObject({
      id,
      role: 'aggregator',
      org: 'act',
      kelurahan: [],
      label: 'ACT data desk',
      demo: false,
    });
  });

  it('scopes a kelurahan verifier token to the listed kelurahan, and revokes it', async () => {
    const { secret, id } = await create(
      '--role',
      'verifier_kelurahan',
      '--kelurahan',
      '31.71.01.1001,31.71.01.1002',
    );
    const principal = await resolve(secret);
    expect(principal?.kelurahan.toSorted()).toEqual(['31.71.01.1001', '31.71.01.1002']);
    const listed = (await token('list', '--db', dbPath)).out
      .split('\n')
      .find((l) => l.startsWith(id));
    expect(listed).toMatch(/verifier_kelurahan\s+-\s+2\s+verifier_kelurahan \(2 kelurahan\)/);

    expect(await token('revoke', id, '--db', dbPath)).toMatchObject({ code: 0 });
    expect(await resolve(secret)).toBeNull();
    const revoked = (await token('list', '--db', dbPath)).out
      .split('\n')
      .find((l) => l.startsWith(id));
    expect(revoked).toMatch(/\d\d:\d\d:\d\d\+00$/);

    const again = await token('revoke', id, '--db', dbPath);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`no active token ${id}`);
  });

  it('answers bad arguments with the usage and exit code 2', async () => {
    const cases = [
      [],
      ['frobnicate'],
      ['create', '--db', dbPath],
      ['create', '--role', 'aggregator', '--db', dbPath],
      ['create', '--role', 'planner', '--org', 'act', '--db', dbPath],
      ['create', '--role', 'aggregator', '--org', 'unicef', '--db', dbPath],
      ['create', '--role', 'root', '--db', dbPath],
      ['create', '--role', 'verifier_kelurahan', '--kelurahan', '31.72.01.9999', '--db', dbPath],
      ['list', '--bogus'],
      ['revoke', '--db', dbPath],
    ];
    for (const argv of cases) {
      const res = await token(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.err, argv.join(' ')).toContain('usage:');
    }
    expect(
      (
        await token(
          'create',
          '--role',
          'verifier_kelurahan',
          '--kelurahan',
          '31.72.01.9999',
          '--db',
          dbPath,
        )
      ).err,
    ).toContain('no such kelurahan 31.72.01.9999');
  });

  it('exits with code 2 on bad arguments when run as a command', () => {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/token.ts', 'create', '--role', 'aggregator', '--db', dbPath],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('an aggregator token names exactly one organisation');
    expect(res.stderr).toContain('npm run token -- create --role');
  });

  it('never creates a missing database', async () => {
    const missing = path.join(dir, 'missing.duckdb');
    const res = await token('list', '--db', missing);
    expect(res.code).toBe(1);
    expect(res.err).toContain('no database at');
    expect(existsSync(missing)).toBe(false);
  });

  it('says that the server holds the database instead of a lock error', async () => {
    const holder = await holdDatabase(dbPath);
    try {
      for (const argv of [['list'], ['create', '--role', 'planner']]) {
        const res = await token(...argv, '--db', dbPath);
        expect(res.code).toBe(1);
        expect(res.err).toMatch(/^the server holds the database .*\(process \d+\): stop it first/);
      }
    } finally {
      await release(holder);
    }
  });
});
