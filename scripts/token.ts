/**
 * Issues, revokes and lists API tokens. A token's secret is printed once; the database keeps only
 * its SHA-256 digest. Every change goes through one write transaction together with its audit
 * entry. The server loads tokens when it starts, and DuckDB lets one process write a file, so this
 * runs while the server is stopped.
 */
import { userInfo } from 'node:os';
import { listValue } from '@duckdb/node-api';
import type { Database } from '../api/db/database';
import { appliedVersions, migrations } from '../api/db/migrate';
import { sql } from '../api/db/sql';
import { createToken, listTokens, revokeToken, TokenSpec } from '../api/auth/tokens';
import { AGGREGATORS, ROLES } from '../api/domain';
import {
  CliError,
  CONSOLE_IO,
  databasePath,
  exitCode,
  isMain,
  openExisting,
  parseCli,
  runMain,
  shown,
  UsageError,
  type Io,
} from './lib/cli';

export const USAGE = `usage:
  npm run token -- create --role <role> [--org <aggregator>] [--kelurahan <code,…>] [--label <text>] [--db <path>]
  npm run token -- revoke <token_id> [--db <path>]
  npm run token -- list [--db <path>]

  roles:       ${ROLES.join(', ')}
  --org        the organisation of an aggregator token (${AGGREGATORS.join(', ')}); other roles take none
  --kelurahan  the kelurahan codes of a verifier_kelurahan token, comma-separated or repeated
  --label      who or what holds the token (default: the role and organisation)
  --db         the database file (default: DB_PATH, else data/live/peta.duckdb)`;

const WHEN_HELD = 'then run this again (the server loads the tokens when it starts)';

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Tokens live in tables of migration 002 and later: a database not migrated to this code's schema is refused. */
async function requireCurrentSchema(db: Database): Promise<void> {
  const current = (await db.withConnection((conn) => appliedVersions(conn))).at(-1) ?? 1;
  const latest = migrations().at(-1)?.version ?? 0;
  if (current === latest) return;
  throw new CliError(
    current < latest
      ? `the database is at schema version ${current}, this code expects ${latest}: start the server ` +
          'once (it migrates the database forward), stop it, then run this again'
      : `the database is at schema version ${current}, newer than this code (${latest}): use a newer release`,
  );
}

async function withDatabase<T>(
  file: string,
  readOnly: boolean,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openExisting(file, { readOnly }, WHEN_HELD);
  try {
    await requireCurrentSchema(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

function defaultLabel(role: string, org: string | undefined, kelurahan: string[]): string {
  if (org) return `${role} ${org}`;
  if (kelurahan.length) return `${role} (${kelurahan.length} kelurahan)`;
  return role;
}

async function create(args: string[], io: Io): Promise<void> {
  const { values } = parseCli(args, {
    role: { type: 'string' },
    org: { type: 'string' },
    kelurahan: { type: 'string', multiple: true },
    label: { type: 'string' },
    db: { type: 'string' },
  });
  if (!values.role) throw new UsageError('create needs --role');
  const kelurahan = (values.kelurahan ?? [])
    .flatMap((v) => v.split(','))
    .map((code) => code.trim())
    .filter(Boolean);
  const parsed = TokenSpec.safeParse({
    role: values.role,
    org: values.org ?? null,
    kelurahan: [...new Set(kelurahan)],
    label: values.label ?? defaultLabel(values.role, values.org, kelurahan),
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .map((i) => `${i.path.length ? `--${i.path[0]?.toString()}: ` : ''}${i.message}`)
        .join('\n'),
    );
  }
  const spec = parsed.data;
  const file = databasePath(values.db);
  const issued = await withDatabase(file, false, async (db) => {
    if (spec.kelurahan.length) {
      const known = await db.read((r) =>
        r.rows<{ code: string }>(
          sql`SELECT code FROM regions WHERE level = 'kelurahan'
              AND list_contains(${listValue(spec.kelurahan)}::VARCHAR[], code)`,
        ),
      );
      const unknown = spec.kelurahan.filter((k) => !known.some((r) => r.code === k));
      if (unknown.length)
        throw new UsageError(`--kelurahan: no such kelurahan ${unknown.join(', ')}`);
    }
    return db.write((tx) => createToken(tx, spec, actor()));
  });
  const scope = spec.org ?? (spec.kelurahan.length ? spec.kelurahan.join(', ') : null);
  io.out(
    [
      `Created token ${issued.token_id} (${spec.role}${scope ? `, ${scope}` : ''}, "${spec.label}") in ${shown(file)}:`,
      '',
      `  ${issued.token}`,
      '',
      'This is the only time the token is shown. The database keeps only its SHA-256 digest, so it',
      'cannot be recovered: hand it over through a safe channel, or revoke it and issue a new one.',
      `Revoke it with: npm run token -- revoke ${issued.token_id}`,
    ].join('\n'),
  );
}

async function revoke(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCli(args, { db: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('revoke needs exactly one token id');
  const tokenId = positionals[0]!;
  const file = databasePath(values.db);
  const revoked = await withDatabase(file, false, (db) =>
    db.write((tx) => revokeToken(tx, tokenId, actor())),
  );
  if (!revoked)
    throw new CliError(
      `no active token ${tokenId} in ${shown(file)} (unknown, or already revoked)`,
    );
  io.out(`Revoked token ${tokenId} in ${shown(file)}; its sessions are ended.`);
}

async function list(args: string[], io: Io): Promise<void> {
  const { values } = parseCli(args, { db: { type: 'string' } });
  const file = databasePath(values.db);
  const tokens = await withDatabase(file, true, (db) => db.read(listTokens));
  if (tokens.length === 0) {
    io.out(`No tokens in ${shown(file)}.`);
    return;
  }
  // DuckDB prints TIMESTAMPTZ as `2020-04-24 18:00:00.123456+00`: seconds are enough here.
  const when = (t: string | null) => (t ? t.replace(/\.\d+/, '') : '-');
  const rows = [
    ['id', 'role', 'org', 'kelurahan', 'label', 'created', 'revoked'],
    ...tokens.map((t) => [
      t.token_id,
      t.role,
      t.org ?? '-',
      String(t.kelurahan.length),
      t.label,
      when(t.created_at),
      when(t.revoked_at),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    io.out(
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

const COMMANDS = new Map([
  ['create', create],
  ['revoke', revoke],
  ['list', list],
]);

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return exitCode(io, USAGE, async () => {
    const run = command === undefined ? undefined : COMMANDS.get(command);
    if (!run) throw new UsageError(command ? `unknown command ${command}` : 'no command given');
    await run(args, io);
  });
}

if (isMain(import.meta.url)) await runMain(main);
