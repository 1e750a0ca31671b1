import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths';

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  stop(): void;
}

/**
 * The real server (`scripts/start.ts`) in a child process over a given database, without the
 * data and client rebuild checks; resolves once GET /api/health answers.
 */
export async function startServerProcess(options: {
  dbPath: string;
  port: number;
  readOnly?: boolean;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(options.port),
        DB_PATH: options.dbPath,
        DB_READ_ONLY: options.readOnly ? '1' : '',
        SKIP_CLIENT_BUILD: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health`)).ok)
        return { child, base, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`server on port ${options.port} did not start`);
}
