import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { ROOT } from './paths';

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** The server itself: one node process, so a signal to it reaches the server and nothing else. */
  child: ChildProcess;
  pid: number;
  base: string;
  /** SIGTERM: the server closes its listener and the database, then exits. */
  stop(): void;
  kill(signal?: NodeJS.Signals): void;
  /** Settles when the process has exited (after which its database lock is released). */
  exited: Promise<ServerExit>;
}

export interface ServerProcessOptions {
  dbPath: string;
  port: number;
  readOnly?: boolean;
  timeoutMs?: number;
  /** Extra environment for the server, over this process's own. */
  env?: Record<string, string | undefined>;
  /** Where the server's stdout and stderr go; by default stdout is dropped and stderr inherited. */
  stdio?: StdioOptions;
}

/**
 * The real server (`scripts/start.ts`) in a child process over a given database, without the
 * data and client rebuild checks; resolves once GET /api/health answers. tsx is loaded with
 * `--import` in the same node process (its CLI would start the script in a grandchild that a
 * SIGKILL to the child leaves running, still holding the DuckDB lock).
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...options.env,
      PORT: String(options.port),
      DB_PATH: options.dbPath,
      DB_READ_ONLY: options.readOnly ? '1' : '',
      SKIP_CLIENT_BUILD: '1',
    },
    stdio: options.stdio ?? ['ignore', 'ignore', 'inherit'],
  });
  let exit: ServerExit | null = null;
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', () => {
      exit ??= { code: null, signal: null };
      resolve(exit);
    });
  });
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exit === null) child.kill(signal);
  };
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline && exit === null) {
    try {
      if ((await fetch(`${base}/api/health`)).ok && exit === null) {
        return {
          child,
          pid: child.pid!,
          base,
          stop: () => kill('SIGTERM'),
          kill,
          exited,
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const early = exit as ServerExit | null;
  kill('SIGKILL');
  await exited;
  throw new Error(
    early
      ? `server on port ${options.port} exited before answering (code ${early.code}, signal ${early.signal})`
      : `server on port ${options.port} did not answer within ${options.timeoutMs ?? 120_000} ms`,
  );
}
