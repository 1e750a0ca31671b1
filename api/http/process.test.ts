import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_PATH, ROOT } from '../../scripts/lib/paths';
import { startServerProcess } from '../../scripts/lib/server-process';
import { alive, descendants, freePort, listeningAddresses } from './test-process';

let dir: string;
/** Processes this file started in their own group, killed at the end whatever happened. */
const groups: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-process-'));
});

afterAll(() => {
  for (const child of groups) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function copyOfDemo(name: string): string {
  const file = path.join(dir, name);
  copyFileSync(DEMO_DB_PATH, file);
  return file;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answers(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/api/health`)).ok;
  } catch {
    return false;
  }
}

/**
 * A sign-in whose body arrives in two parts: in flight from the first byte until the rest is
 * sent. Resolves with the status line of the answer, or null if the server closed first.
 */
function slowSignIn(port: number) {
  const body = JSON.stringify({ token: 'demo-planner' });
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const closed = new Promise<string | null>((resolve) => {
    socket.on('close', () => resolve(received ? received.split('\r\n')[0]! : null));
    socket.on('error', () => {});
  });
  socket.write(
    `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`,
  );
  return { finish: () => socket.write(body.slice(4)), closed };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('npm start and signals', () => {
  it('SIGTERM to npm drains a request in flight, then nothing listens and no process is left', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true, // its own process group, so the clean-up can reach every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        DB_PATH: copyOfDemo('npm-start.duckdb'),
        SKIP_CLIENT_BUILD: '1',
      },
    });
    groups.push(npm);
    let output = '';
    npm.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor(() => answers(base), 90_000, `npm start to answer on ${port}\n${output}`);
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);

    const inFlight = slowSignIn(port);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(npm.pid!, 'SIGTERM');
    // It stops accepting at once...
    await waitFor(() => refused(port), 5000, 'the listener to close');
    // ...and the request already in flight still gets its answer.
    inFlight.finish();
    expect(await inFlight.closed).toBe('HTTP/1.1 200 OK');

    await exitOf(npm);
    await waitFor(() => tree.every((pid) => !alive(pid)), 15_000, 'every process to exit');
    expect(listeningAddresses(port)).toEqual([]);
    expect(output).toContain('SIGTERM: draining');
    expect(output).toMatch(/"event":"stopped","drained":true/);
  });

  it('closes what is still in flight at the drain deadline and exits; HOST chooses the interface', async () => {
    const port = await freePort();
    const server = await startServerProcess({
      dbPath: copyOfDemo('deadline.duckdb'),
      port,
      env: { DRAIN_SECONDS: '1', HOST: '0.0.0.0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    server.child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    expect(listeningAddresses(port)).toEqual(['0.0.0.0']);
    const stuck = slowSignIn(port);
    await new Promise((r) => setTimeout(r, 300));
    const stopped = performance.now();
    server.stop();
    // The body never comes: the deadline closes the connection without an answer.
    expect(await stuck.closed).toBeNull();
    const exit = await server.exited;
    const seconds = (performance.now() - stopped) / 1000;
    expect(exit.code).toBe(0);
    expect(seconds).toBeGreaterThanOrEqual(0.9);
    expect(seconds).toBeLessThan(5);
    expect(output).toMatch(/"event":"stopped","drained":false/);
    expect(listeningAddresses(port)).toEqual([]);
  });
});

describe('fail-safe configuration', () => {
  /** `npm start`'s server command with DB_PATH set; returns its exit code and stderr. */
  function startWith(env: Record<string, string>) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, SKIP_CLIENT_BUILD: '1', PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, stderr: result.stderr, stdout: result.stdout };
  }

  function expectOneLineError(
    run: { code: number | null; stderr: string },
    file: string,
    says: RegExp,
  ) {
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.trim());
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[server\] /);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(says);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }

  const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('refuses a missing DB_PATH without creating a database there', () => {
    const missing = path.join(dir, 'typo', 'peta.duckdb');
    mkdirSync(path.dirname(missing), { recursive: true });
    expectOneLineError(startWith({ DB_PATH: missing }), missing, /no database/);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(`${missing}.wal`)).toBe(false);
  });

  it('refuses a DB_PATH that is not a file', () => {
    const folder = path.join(dir, 'a-folder.duckdb');
    mkdirSync(folder);
    expectOneLineError(startWith({ DB_PATH: folder }), folder, /not a file/);
  });

  it('refuses a truncated or empty database file and leaves it as it was', () => {
    const whole = readFileSync(DEMO_DB_PATH);
    const truncated = path.join(dir, 'truncated.duckdb');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 3)));
    const empty = path.join(dir, 'empty.duckdb');
    writeFileSync(empty, '');
    const garbage = path.join(dir, 'garbage.duckdb');
    writeFileSync(garbage, Buffer.alloc(64 * 1024, 7));
    for (const file of [truncated, empty, garbage]) {
      const before = digest(file);
      expectOneLineError(startWith({ DB_PATH: file }), file, /cannot open the database/);
      expect(digest(file), file).toBe(before);
      expect(existsSync(`${file}.wal`), file).toBe(false);
    }
  });

  it('refuses a bad setting with a line naming it', () => {
    const run = startWith({ DB_PATH: copyOfDemo('settings.duckdb'), DRAIN_SECONDS: 'soon' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      '[server] DRAIN_SECONDS must be a whole number from 0 to 600, not "soon"',
    );
  });
});
