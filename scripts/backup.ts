/**
 * A consistent Parquet snapshot of the whole database: DuckDB's EXPORT DATABASE writes the schema
 * (schema.sql), a load script (load.sql) and one Parquet file per table. Row counts and the export
 * come from one transaction, so the manifest describes exactly what was exported. The snapshot is
 * written under a temporary name and renamed when complete; an existing snapshot is never
 * overwritten. `npm run restore` verifies and loads it.
 *
 * Sessions are left out (the table is exported empty): a restore must not bring back sign-ins
 * that ended after the snapshot; everyone signs in again. Tokens are kept, as digests only.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { execute, queryOne, queryRows } from '../api/db/database';
import { appliedVersions } from '../api/db/migrate';
import { raw, sql } from '../api/db/sql';
import {
  CliError,
  CONSOLE_IO,
  databasePath,
  exitCode,
  fileTimestamp,
  isMain,
  openExisting,
  parseCli,
  pathLiteral,
  runMain,
  shown,
  UsageError,
  type Io,
} from './lib/cli';
import { ROOT } from './lib/paths';

export const USAGE = `usage:
  npm run backup [-- [--out <dir>] [--db <path>]]

  --out  the snapshot folder to create (default: backups/<UTC timestamp>/); never overwritten
  --db   the database file (default: DB_PATH, else data/live/peta.duckdb)`;

export const MANIFEST_FILE = 'manifest.json';
export const BACKUPS_DIR = path.join(ROOT, 'backups');

/** Tables whose rows a snapshot leaves out, and why. */
const LEFT_OUT: Record<string, string> = {
  sessions:
    'sign-ins are not restored: one ended after the snapshot would come back; everyone signs in again',
};

export const Manifest = z.object({
  format: z.literal('peta-kolaborasi-snapshot'),
  format_version: z.literal(1),
  created_at: z.string(),
  source: z.string(),
  duckdb_version: z.string(),
  /** The newest applied migration (schema_migrations). */
  schema_version: z.number().int().nonnegative(),
  data_version: z.string().nullable(),
  dataset: z.string().nullable(),
  commit_seq: z.number().int().nullable(),
  /** Rows per table as exported, by table name. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  left_out: z.record(z.string(), z.object({ rows: z.number().int(), reason: z.string() })),
  /** Every file of the snapshot but the manifest: plain names, no folders. */
  files: z.record(
    z.string().regex(/^[\w-]+(\.[\w-]+)*$/),
    z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
});
export type Manifest = z.infer<typeof Manifest>;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Row counts of every table of the database, by name (schema-qualified outside `main`). */
export async function rowCounts(conn: DuckDBConnection): Promise<Record<string, number>> {
  const tables = await queryRows<{ schema: string; name: string }>(
    conn,
    sql`SELECT schema_name AS schema, table_name AS name FROM duckdb_tables()
        WHERE database_name = current_database() AND NOT temporary
        ORDER BY schema_name, table_name`,
  );
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const key = t.schema === 'main' ? t.name : `${t.schema}.${t.name}`;
    // Names come from the catalog, not from input.
    const { n } = await queryOne<{ n: string }>(
      conn,
      sql`SELECT count(*)::BIGINT AS n FROM ${raw(`${quotedIdentifier(t.schema)}.${quotedIdentifier(t.name)}`)}`,
    );
    counts[key] = Number(n);
  }
  return counts;
}

async function metaValues(conn: DuckDBConnection): Promise<Map<string, string>> {
  const rows = await queryRows<{ key: string; value: string }>(
    conn,
    sql`SELECT key, value FROM meta`,
  );
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Writes a snapshot of the database at `dbPath` into the new folder `outDir`. */
export async function createSnapshot(dbPath: string, outDir: string): Promise<Manifest> {
  if (existsSync(outDir)) {
    throw new CliError(
      `${shown(outDir)} already exists: a snapshot is never overwritten; choose another --out`,
    );
  }
  // Read-only: a server started with DB_READ_ONLY=1 may keep running (read-only processes share a file).
  const db = await openExisting(
    dbPath,
    { readOnly: true },
    'then back up (a server started with DB_READ_ONLY=1 can stay up: read-only processes share the file)',
  );
  const partial = `${outDir}.partial-${process.pid}`;
  let facts: Omit<Manifest, 'files' | 'format' | 'format_version' | 'source'>;
  try {
    mkdirSync(path.dirname(outDir), { recursive: true });
    facts = await db.withConnection(async (conn) => {
      const createdAt = new Date().toISOString();
      await conn.run('BEGIN TRANSACTION');
      try {
        const tables = await rowCounts(conn);
        const meta = await metaValues(conn);
        const schema = (await appliedVersions(conn)).at(-1) ?? 1;
        const { version } = await queryOne<{ version: string }>(
          conn,
          sql`SELECT version() AS version`,
        );
        await conn.run(`EXPORT DATABASE ${pathLiteral(partial)} (FORMAT parquet)`);
        const left_out: Manifest['left_out'] = {};
        for (const [table, reason] of Object.entries(LEFT_OUT)) {
          if (tables[table] === undefined) continue;
          const file = path.join(partial, `${table}.parquet`);
          if (!existsSync(file)) throw new Error(`EXPORT DATABASE wrote no ${table}.parquet`);
          // The same columns, no rows; IMPORT then creates the table empty.
          await execute(
            conn,
            sql`COPY (SELECT * FROM ${raw(quotedIdentifier(table))} LIMIT 0) TO ${file} (FORMAT parquet)`,
          );
          left_out[table] = { rows: tables[table], reason };
          tables[table] = 0;
        }
        await conn.run('COMMIT');
        const seq = meta.get('commit_seq');
        return {
          created_at: createdAt,
          duckdb_version: version,
          schema_version: schema,
          data_version: meta.get('data_version') ?? null,
          dataset: meta.get('dataset') ?? null,
          commit_seq: seq === undefined ? null : Number(seq),
          tables,
          left_out,
        };
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => {});
        throw err;
      }
    });
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  } finally {
    await db.close();
  }
  try {
    const files: Manifest['files'] = {};
    for (const name of readdirSync(partial).sort()) {
      const file = path.join(partial, name);
      files[name] = { bytes: statSync(file).size, sha256: await sha256File(file) };
    }
    const manifest: Manifest = {
      format: 'peta-kolaborasi-snapshot',
      format_version: 1,
      source: dbPath,
      ...facts,
      files,
    };
    writeFileSync(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(outDir))
      throw new CliError(`${shown(outDir)} appeared while the snapshot was written`);
    renameSync(partial, outDir);
    return manifest;
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return exitCode(io, USAGE, async () => {
    const { values } = parseCli(argv, { out: { type: 'string' }, db: { type: 'string' } });
    if (values.out === '') throw new UsageError('--out needs a folder');
    const dbPath = databasePath(values.db);
    const outDir = path.resolve(values.out ?? path.join(BACKUPS_DIR, fileTimestamp()));
    const m = await createSnapshot(dbPath, outDir);
    const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
    const bytes = Object.values(m.files).reduce((a, f) => a + f.bytes, 0);
    io.out(
      `Snapshot of ${shown(dbPath)} in ${shown(outDir)}: schema version ${m.schema_version}, ` +
        `data ${m.data_version ?? '?'} (commit ${m.commit_seq ?? '?'}), ${Object.keys(m.tables).length} tables, ` +
        `${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB.`,
    );
    for (const [table, { rows: n, reason }] of Object.entries(m.left_out)) {
      io.out(`Left out: the ${n} row(s) of ${table} (${reason}).`);
    }
    io.out(`Restore with: npm run restore -- ${shown(outDir)} [--db <path>]`);
  });
}

if (isMain(import.meta.url)) await runMain(main);
