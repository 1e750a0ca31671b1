import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../scripts/lib/server-process';
import { createApp } from '../app';
import { openDatabase, type Database } from '../db/database';
import { migrate } from '../db/migrate';
import { sql } from '../db/sql';
import { loadDeps } from '../deps';
import { buildFixtureDatabase } from '../test-support';
import { Admission, DEFAULT_ADMISSION, type AdmissionLimits } from './admission';
import { serverSettings } from './server-settings';

// Admission control (issue "hardening"): a bounded number of requests query the store at once,
// a short queue waits, the rest get 503 with Retry-After at once; cache hits and health never
// wait; identical misses run once; a query past its deadline is interrupted (503).

let dir: string;
let db: Database;
let deps: Awaited<ReturnType<typeof loadDeps>>;

/** Holds the store's reads at the gate while closed: the requests behind them stay in flight. */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  reads = 0;
  close(): void {
    this.opened = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release();
  }
  /** The store with every read counted and, while the gate is closed, held before it starts. */
  over(inner: Database): Database {
    return {
      ...inner,
      read: async (work, options) => {
        this.reads++;
        await this.opened;
        return inner.read(work, options);
      },
    };
  }
}

function appWith(limits: Partial<AdmissionLimits>, gate = new Gate()) {
  const admission = new Admission({ ...DEFAULT_ADMISSION, ...limits });
  return { app: createApp({ ...deps, db: gate.over(db), admission }), admission, gate };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

const Q = 'from=2020-04-01&to=2020-05-31';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-admission-'));
  db = await openDatabase(await buildFixtureDatabase(dir));
  await db.withConnection((conn) => migrate(conn));
  deps = await loadDeps(db);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admission control', () => {
  it('refuses at once past the slots and the queue; cache hits and health answer meanwhile', async () => {
    const { app, admission, gate } = appWith({ concurrency: 1, queue: 1, queueMs: 10_000 });
    expect((await app.request(`/api/summary?${Q}`)).status).toBe(200);
    gate.close();
    const first = app.request(`/api/choropleth?level=rw&${Q}`);
    const second = app.request(`/api/choropleth?level=kelurahan&${Q}`);
    await until(() => admission.stats().running === 1 && admission.stats().waiting === 1);

    const refused = await app.request(`/api/gaps?level=kelurahan&${Q}`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    // The cached answer and health do not wait for a slot.
    expect((await app.request(`/api/summary?${Q}`)).status).toBe(200);
    expect((await app.request('/api/health')).status).toBe(200);

    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(admission.stats()).toMatchObject({ running: 0, waiting: 0, refused: 1 });
  });

  it('lets a request wait in the queue only so long', async () => {
    const { app, admission, gate } = appWith({ concurrency: 1, queue: 4, queueMs: 100 });
    gate.close();
    const held = app.request(`/api/timeseries?${Q}`);
    await until(() => admission.stats().running === 1);
    const started = performance.now();
    const waited = await app.request(`/api/timeseries?level=kota&${Q}`);
    expect(waited.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2_000);
    gate.open();
    expect((await held).status).toBe(200);
  });

  it('waits patiently in a burst, briefly once the queue has stayed full (overload)', async () => {
    const { app, admission, gate } = appWith({
      concurrency: 1,
      queue: 8,
      queueMs: 5_000,
      overloadMs: 60,
      overloadQueueMs: 20,
    });
    gate.close();
    const held = app.request(`/api/timeseries?from=2020-04-03&to=2020-05-31`);
    await until(() => admission.stats().running === 1);
    const patient = app.request(`/api/timeseries?from=2020-04-04&to=2020-05-31`);
    await until(() => admission.stats().waiting === 1);
    await new Promise((r) => setTimeout(r, 120));
    // The queue has not emptied for longer than overloadMs: a newcomer waits only briefly.
    const started = performance.now();
    expect((await app.request(`/api/timeseries?from=2020-04-05&to=2020-05-31`)).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_000);
    gate.open();
    expect((await held).status).toBe(200);
    expect((await patient).status).toBe(200);
  });

  it('runs identical concurrent misses once and gives every caller the answer', async () => {
    const { app, gate } = appWith({ concurrency: 8 });
    expect((await app.request(`/api/choropleth?level=kecamatan&${Q}`)).status).toBe(200);
    const readsOfOne = gate.reads;
    gate.reads = 0;
    gate.close();
    const url = `/api/choropleth?level=kecamatan&from=2020-04-01&to=2020-05-30`;
    const answers = Array.from({ length: 6 }, () => app.request(url));
    await until(() => gate.reads > 0);
    gate.open();
    const bodies = await Promise.all(
      answers.map(async (a) => {
        const res = await a;
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    expect(new Set(bodies).size).toBe(1);
    expect(gate.reads).toBe(readsOfOne);
  });

  it('answers 503 query_timeout when the queries run past the deadline', async () => {
    const { app, admission, gate } = appWith({ deadlineMs: 30 });
    gate.close();
    const late = app.request(`/api/gaps?level=kelurahan&from=2020-04-02&to=2020-05-31`);
    await new Promise((r) => setTimeout(r, 80));
    gate.open();
    const res = await late;
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).not.toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('query_timeout');
    expect(admission.stats().timedOut).toBe(1);
  });

  it('interrupts a running DuckDB query when its signal aborts, and the store reads on', async () => {
    const started = performance.now();
    await expect(
      db.read(
        (r) => r.one(sql`SELECT count(*) AS n FROM range(100000000000) t(i) WHERE i % 7 = 3`),
        {
          signal: AbortSignal.timeout(150),
        },
      ),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await db.read((r) => r.one<{ n: number }>(sql`SELECT 1 AS n`))).toEqual({ n: 1 });
  });
});

describe('admission settings', () => {
  it('come from the environment, and a bad value names the variable', () => {
    expect(
      serverSettings({ QUERY_CONCURRENCY: '3', QUERY_QUEUE: '0', QUERY_DEADLINE_SECONDS: '5' })
        .admission,
    ).toMatchObject({ concurrency: 3, queue: 0, deadlineMs: 5_000 });
    expect(() => serverSettings({ QUERY_QUEUE_MS: 'soon' })).toThrow(/QUERY_QUEUE_MS/);
    expect(() => serverSettings({ QUERY_CONCURRENCY: '0' })).toThrow(/QUERY_CONCURRENCY/);
  });
});

describe('admission control in the real server process', () => {
  it('holds a burst of distinct misses with 503s and Retry-After, never another error', async () => {
    const port = 24_000 + Math.floor(Math.random() * 1000);
    // A database of its own: this process holds the other one open.
    const own = path.join(dir, 'process');
    mkdirSync(own);
    const server = await startServerProcess({
      dbPath: await buildFixtureDatabase(own),
      port,
      env: { QUERY_CONCURRENCY: '1', QUERY_QUEUE: '0', SKIP_CLIENT_BUILD: '1' },
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const days = Array.from(
        { length: 24 },
        (_, i) => `2020-05-${String(i + 1).padStart(2, '0')}`,
      );
      const answers = await Promise.all(
        days.map((d) => fetch(`${base}/api/choropleth?level=rw&from=2020-04-01&to=${d}`)),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses).toContain(200);
      expect(statuses).toContain(503);
      for (const a of answers.filter((x) => x.status === 503))
        expect(a.headers.get('Retry-After')).toBe('1');
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
    } finally {
      server.stop();
      await server.exited;
    }
  });
});
