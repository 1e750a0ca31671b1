/** What the operator commands (token, backup, restore) share: arguments, exit codes, opening a database. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openDatabase, type Database, type OpenOptions } from '../../api/db/database';
import { LIVE_DB_PATH } from './paths';

/** Bad arguments: the command prints the message and its usage, and exits with code 2. */
export class UsageError extends Error {}

/** An expected failure (no database, held lock, refused snapshot): the message alone, exit code 1. */
export class CliError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const CONSOLE_IO: Io = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs (strict), its errors turned into usage errors. */
export function parseCli<const O extends Options>(
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Runs a command body and maps its outcome to an exit code: 0, 1 (failure) or 2 (usage). */
export async function exitCode(io: Io, usage: string, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${usage}`);
      return 2;
    }
    io.err(err instanceof CliError ? err.message : `error: ${(err as Error).message}`);
    return 1;
  }
}

/** True when the module is the script node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(path.resolve(entry)).href;
}

export async function runMain(main: (argv: string[], io: Io) => Promise<number>): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), CONSOLE_IO);
}

/** `--db`, else DB_PATH, else the live database `npm start` serves. */
export function databasePath(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.DB_PATH ?? LIVE_DB_PATH);
}

/** A path for messages: relative to the working directory when it lies below it. */
export function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A file-name-safe UTC timestamp that sorts in time order: 2020-04-24T18-00-00.000Z. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replaceAll(':', '-');
}

/**
 * A path as an SQL string literal, for the statements that take no bound parameter
 * (EXPORT DATABASE, IMPORT DATABASE).
 */
export function pathLiteral(file: string): string {
  return `'${file.replaceAll("'", "''")}'`;
}

/** The process holding a DuckDB file lock, from DuckDB's "Could not set lock" error; else null. */
export function lockHolder(err: unknown): { pid: string | null } | null {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Could not set lock on file/.test(message)) return null;
  return { pid: /\(PID (\d+)\)/.exec(message)?.[1] ?? null };
}

/**
 * Opens a database file that must already exist (DuckDB would silently create an empty one).
 * DuckDB lets one process hold a file read-write (or several read-only): while the server runs,
 * this fails with a message that says so (and `whenHeld`, what to do) instead of DuckDB's lock error.
 */
export async function openExisting(
  file: string,
  options: OpenOptions = {},
  whenHeld = 'then run this command again',
): Promise<Database> {
  if (!existsSync(file)) {
    throw new CliError(`no database at ${shown(file)} (set DB_PATH or pass --db <path>)`);
  }
  try {
    return await openDatabase(file, options);
  } catch (err) {
    const held = lockHolder(err);
    if (!held) throw err;
    throw new CliError(
      `the server holds the database ${shown(file)}${held.pid ? ` (process ${held.pid})` : ''}: ` +
        `stop it first, ${whenHeld}. (DuckDB lets one process write a database file, and no ` +
        'other process open it meanwhile.)',
    );
  }
}
