/**
 * Restores a snapshot made by `npm run backup`. The snapshot is checked against its manifest
 * (every file present, every SHA-256 equal) before DuckDB reads any of it, imported into a new
 * file next to the target, and its row counts and schema version checked against the manifest.
 * Only then does the new file take the target's place: the old database keeps its data under
 * `<db>.before-restore-<timestamp>` (never deleted), and the target path always holds a whole
 * database, the old one or the new one.
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { openDatabase, type Database } from '../api/db/database';
import { appliedVersions, migrations } from '../api/db/migrate';
import { getMeta } from '../api/db/schema';
import { Manifest, MANIFEST_FILE, rowCounts, sha256File } from './backup';
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

export const USAGE = `usage:
  npm run restore -- <snapshot dir> [--db <path>]

  <snapshot dir>  a folder written by npm run backup (with its manifest.json)
  --db            the database file to replace (default: DB_PATH, else data/live/peta.duckdb);
                  the current one is kept as <db>.before-restore-<UTC timestamp>`;

/** Reads the manifest and checks every file it lists; refuses a snapshot that does not match. */
export async function verifySnapshot(dir: string): Promise<Manifest> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) {
    throw new CliError(`${shown(dir)} is not a snapshot: it has no ${MANIFEST_FILE}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    throw new CliError(
      `refusing ${shown(dir)}: ${MANIFEST_FILE} is not JSON (${(err as Error).message})`,
    );
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    throw new CliError(
      `refusing ${shown(dir)}: ${MANIFEST_FILE} is not a snapshot manifest (${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')})`,
    );
  }
  const manifest = parsed.data;
  const problems: string[] = [];
  for (const required of ['schema.sql', 'load.sql']) {
    if (!manifest.files[required]) problems.push(`the manifest lists no ${required}`);
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) problems.push(`${name} is missing`);
    else if (statSync(file).size !== expected.bytes)
      problems.push(
        `${name} has ${statSync(file).size} bytes, the manifest says ${expected.bytes}`,
      );
    else if ((await sha256File(file)) !== expected.sha256)
      problems.push(`${name} does not match its SHA-256 in the manifest`);
  }
  if (problems.length) {
    throw new CliError(
      `refusing ${shown(dir)}: the snapshot does not match its manifest\n  - ${problems.join('\n  - ')}`,
    );
  }
  return manifest;
}

/** Imports the snapshot into the new file `fresh` and checks it against the manifest. */
async function importInto(dir: string, fresh: string, manifest: Manifest): Promise<void> {
  const db = await openDatabase(fresh);
  try {
    await db.withConnection(async (conn) => {
      await conn.run(`IMPORT DATABASE ${pathLiteral(dir)}`);
      const counts = await rowCounts(conn);
      const problems: string[] = [];
      for (const table of new Set([...Object.keys(manifest.tables), ...Object.keys(counts)])) {
        const expected = manifest.tables[table];
        const found = counts[table];
        if (expected === undefined) problems.push(`table ${table} is not in the manifest`);
        else if (found === undefined) problems.push(`table ${table} is missing`);
        else if (found !== expected)
          problems.push(`table ${table} has ${found} rows, the manifest says ${expected}`);
      }
      const schema = (await appliedVersions(conn)).at(-1) ?? 1;
      if (schema !== manifest.schema_version)
        problems.push(`schema version ${schema}, the manifest says ${manifest.schema_version}`);
      if (problems.length) {
        throw new CliError(
          `refusing ${shown(dir)}: the imported database does not match the manifest\n  - ${problems.join('\n  - ')}`,
        );
      }
      await conn.run('CHECKPOINT');
    });
  } finally {
    await db.close();
  }
  if (existsSync(`${fresh}.wal`))
    throw new Error(`${shown(fresh)} kept a WAL after its checkpoint`);
}

async function describeData(db: Database): Promise<string> {
  return db.withConnection(async (conn) => {
    const version = await getMeta(conn, 'data_version').catch(() => null);
    const seq = await getMeta(conn, 'commit_seq').catch(() => null);
    return `data ${version ?? '?'}, commit ${seq ?? '?'}`;
  });
}

export interface Restored {
  manifest: Manifest;
  /** Where the database that was at the target went, if there was one. */
  aside: string | null;
  replaced: string | null;
}

export async function restoreSnapshot(snapshotDir: string, target: string): Promise<Restored> {
  const dir = path.resolve(snapshotDir);
  const manifest = await verifySnapshot(dir);
  const latest = migrations().at(-1)?.version ?? 0;
  if (manifest.schema_version > latest) {
    throw new CliError(
      `refusing ${shown(dir)}: its schema version ${manifest.schema_version} is newer than this code's (${latest}); use a newer release`,
    );
  }
  const stamp = fileTimestamp();
  const fresh = `${target}.restoring-${stamp}`;
  const aside = `${target}.before-restore-${stamp}`;
  // Holding the current database keeps a server from opening it while the new one is built.
  const current = existsSync(target)
    ? await openExisting(target, {}, 'or restore into another file with --db <path>')
    : null;
  let replaced: string | null = null;
  try {
    if (current) replaced = await describeData(current);
    mkdirSync(path.dirname(target), { recursive: true });
    if (existsSync(fresh) || existsSync(aside))
      throw new CliError(`${shown(fresh)} already exists`);
    try {
      await importInto(dir, fresh, manifest);
    } catch (err) {
      rmSync(fresh, { force: true });
      rmSync(`${fresh}.wal`, { force: true });
      throw err;
    }
  } finally {
    // Closing checkpoints the current database, so its file alone holds all its data.
    await current?.close();
  }
  if (!current) {
    renameSync(fresh, target);
    return { manifest, aside: null, replaced };
  }
  if (existsSync(`${target}.wal`)) renameSync(`${target}.wal`, `${aside}.wal`);
  let linked = true;
  try {
    // A second name for the old file, then one rename over the target: no moment without a database.
    linkSync(target, aside);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    linked = false;
  }
  // Without hard links on this file system: two renames, with a moment between them.
  if (!linked) renameSync(target, aside);
  renameSync(fresh, target);
  return { manifest, aside, replaced };
}

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return exitCode(io, USAGE, async () => {
    const { values, positionals } = parseCli(argv, { db: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('restore needs exactly one snapshot folder');
    const target = databasePath(values.db);
    const { manifest: m, aside, replaced } = await restoreSnapshot(positionals[0]!, target);
    io.out(
      `Restored ${shown(path.resolve(positionals[0]!))} into ${shown(target)}: schema version ${m.schema_version}, ` +
        `data ${m.data_version ?? '?'}, commit ${m.commit_seq ?? '?'}, snapshot of ${m.created_at}.`,
    );
    if (aside) io.out(`The database it replaced (${replaced}) is kept as ${shown(aside)}.`);
    for (const [table, { rows }] of Object.entries(m.left_out)) {
      io.out(`The snapshot left out the ${rows} row(s) of ${table}: that table starts empty.`);
    }
    io.out(
      `Tokens are as they were at ${m.created_at}: one revoked since then is active again; ` +
        'check with npm run token -- list.',
    );
  });
}

if (isMain(import.meta.url)) await runMain(main);
