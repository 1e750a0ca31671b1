/**
 * Soak: the real server over a copy of the demo database takes hostile requests for a while —
 * absurd date ranges, junk and oversized parameters, the longest lists, a flood of distinct
 * valid keys that overfills the response cache, HEAD and If-None-Match on bad requests, project
 * files and missing assets, oversized and unsigned uploads — together with ordinary reads. It
 * fails on any answer outside what each request class may get (never a 5xx besides 503) and
 * when the server's RSS at the end exceeds what it held after warming up plus the cache budget
 * and a margin.
 *
 *   npx tsx scripts/soak.ts [--minutes 10] [--cache-mb 64] [--concurrency 8] [--seed n]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGGREGATORS, AID_TYPES } from '../api/domain';
import { freePort, rssBytes } from '../api/http/test-process';
import { MAX_LIST_ITEMS } from '../api/schemas/filters';
import { DEMO_DB_PATH } from './lib/paths';
import { Random } from './lib/random';
import { startServerProcess } from './lib/server-process';
import { ensureDefaultDatabase } from './prepare-data';

const MB = 1024 * 1024;
/** What RSS may hold beyond warm-up and the cache budget: garbage not yet collected, slack. */
const MARGIN_MB = 160;

export interface SoakOptions {
  minutes: number;
  cacheMb: number;
  concurrency: number;
  seed: number;
  /** Planner requests sent before the baseline RSS is taken (200 unless told). */
  warmUp?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  requests: number;
  /** Per request class: status → count. */
  byClass: Record<string, Record<number, number>>;
  /** Requests answered outside what their class may get. */
  violations: string[];
  rssWarmMb: number;
  rssEndMb: number;
  rssPeakMb: number;
  limitMb: number;
}

/**
 * Bad parameters are checked by the route, after admission: under overload they may get 503
 * (with Retry-After) before anyone looked at them. Never a 5xx besides that, never a 200.
 */
const BAD_INPUT = [400, 503];

interface Probe {
  name: string;
  /** Statuses this class of request may get. */
  allowed: number[];
  make(random: Random, i: number): { url: string; init?: RequestInit };
}

const day = (random: Random) =>
  new Date(Date.UTC(2020, 3, 1) + random.int(0, 90) * 86_400_000).toISOString().slice(0, 10);

function window(random: Random): string {
  const [a, b] = [day(random), day(random)].sort();
  return `from=${a}&to=${b}`;
}

const PROBES: Probe[] = [
  {
    name: 'absurd date range',
    allowed: BAD_INPUT,
    make: (r) => ({
      url: `/api/${r.pick(['timeseries', 'summary', 'gaps'])}?${r.pick([
        'from=0001-01-01',
        'from=1000-01-01&to=9999-12-31',
        'to=2999-01-01',
        'from=2020-13-45',
      ])}`,
    }),
  },
  {
    name: 'junk parameter 12 KB',
    allowed: BAD_INPUT,
    make: (r, i) => ({ url: `/api/summary?${window(r)}&junk${i}=${'x'.repeat(12 * 1024)}` }),
  },
  {
    name: 'list past its limit',
    allowed: BAD_INPUT,
    make: (r) => ({
      url: `/api/summary?aid_type=${Array.from({ length: MAX_LIST_ITEMS + 1 + r.int(0, 500) }, () => r.pick(AID_TYPES)).join(',')}`,
    }),
  },
  {
    name: 'distinct valid key (cache flood)',
    allowed: [200, 503],
    make: (r) => {
      const list = (values: readonly string[]) =>
        Array.from({ length: MAX_LIST_ITEMS }, () => r.pick(values)).join(',');
      const filters = `${window(r)}&aid_type=${list(AID_TYPES)}&aggregator=${list(AGGREGATORS)}`;
      return {
        url: r.chance(0.5)
          ? `/api/summary?${filters}`
          : `/api/gaps?level=rw&limit=${r.int(100, 1500)}&${filters}`,
      };
    },
  },
  {
    name: 'HEAD and If-None-Match on a bad request',
    allowed: BAD_INPUT,
    make: (r) => ({
      url: `/api/summary?from=${r.pick(['yesterday', '2020-02-30', '0001-01-01'])}`,
      init: { method: r.pick(['GET', 'HEAD']), headers: { 'If-None-Match': '*' } },
    }),
  },
  {
    name: 'project files and missing assets',
    allowed: [404],
    make: (r) => ({
      url: r.pick([
        '/.env',
        '/package.json',
        '/.git/config',
        '/assets/missing-0000.js',
        '/api/nothing-here',
        '/../../etc/passwd',
      ]),
    }),
  },
  {
    name: 'unsigned, oversized or bad upload',
    allowed: [401, 413, 422],
    make: (r) => ({
      url: '/api/distributions',
      init: {
        method: 'POST',
        headers: {
          'Content-Type': 'text/csv',
          ...(r.chance(0.5) ? { Authorization: 'Bearer demo-act' } : {}),
        },
        body: r.chance(0.5) ? 'external_id\n1\n' : 'x'.repeat(21 * MB),
      },
    }),
  },
  {
    name: 'unknown area and bad codes',
    allowed: [...BAD_INPUT, 404],
    make: (r) => ({
      url: `/api/areas/${r.pick(['99.99', '31.71.01.9999', 'x'.repeat(300), '%00'])}`,
    }),
  },
  {
    name: 'ordinary reads',
    allowed: [200, 503],
    make: (r) => ({
      url: r.pick([
        '/api/meta',
        '/api/summary',
        '/api/choropleth?level=kelurahan',
        '/api/choropleth?level=rw',
        `/api/timeseries?${window(r)}`,
      ]),
    }),
  },
];

/** Oversized uploads are the costliest probe for the client itself: send them rarely. */
function pickProbe(random: Random): Probe {
  for (;;) {
    const p = random.pick(PROBES);
    if (p.name !== 'unsigned, oversized or bad upload' || random.chance(0.05)) return p;
  }
}

export async function soak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? console.log;
  await ensureDefaultDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-soak-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const port = await freePort();
  const server = await startServerProcess({
    dbPath,
    port,
    timeoutMs: 60_000,
    env: { CACHE_MB: String(options.cacheMb), SKIP_CLIENT_BUILD: '' },
  });
  const base = `http://127.0.0.1:${port}`;
  const random = new Random(options.seed);
  const byClass: SoakResult['byClass'] = {};
  const violations: string[] = [];
  let requests = 0;
  let rssPeak = 0;
  try {
    // Warm-up on the flood's own queries, as a planner's private answers that are never cached:
    // the baseline then holds DuckDB's and V8's working set, and growth past it is the cache's.
    const flood = PROBES.find((p) => p.name === 'distinct valid key (cache flood)')!;
    for (let w = 0; w < (options.warmUp ?? 200); w++) {
      const { url } = flood.make(random, w);
      const res = await fetch(`${base}${url}&status=submitted`, {
        headers: { Authorization: 'Bearer demo-planner' },
      });
      await res.arrayBuffer();
    }
    const rssWarm = rssBytes(server.pid) / MB;
    const limitMb = rssWarm + options.cacheMb + MARGIN_MB;
    const stopAt = Date.now() + options.minutes * 60_000;
    let lastReport = Date.now();
    let i = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (Date.now() < stopAt) {
          const probe = pickProbe(random);
          const { url, init } = probe.make(random, i++);
          let status: number;
          try {
            const res = await fetch(base + url, init);
            await res.arrayBuffer();
            status = res.status;
          } catch (err) {
            status = 0;
            // An oversized body may be cut by the server once it has answered 413.
            if (!(init?.method === 'POST'))
              violations.push(`${probe.name}: ${(err as Error).message}`);
            else status = 413;
          }
          requests++;
          const counts = (byClass[probe.name] ??= {});
          counts[status] = (counts[status] ?? 0) + 1;
          if (!probe.allowed.includes(status) && violations.length < 50)
            violations.push(`${probe.name}: ${status} for ${url.slice(0, 120)}`);
          rssPeak = Math.max(rssPeak, rssBytes(server.pid) / MB);
          if (Date.now() - lastReport > 30_000) {
            lastReport = Date.now();
            log(
              `[soak] ${Math.round((options.minutes * 60_000 - (stopAt - Date.now())) / 1000)} s: ${requests} requests, RSS ${(rssBytes(server.pid) / MB).toFixed(0)} MB (limit ${limitMb.toFixed(0)}), ${violations.length} violations`,
            );
          }
        }
      }),
    );
    const rssEnd = rssBytes(server.pid) / MB;
    if (rssEnd > limitMb)
      violations.push(`RSS ${rssEnd.toFixed(0)} MB at the end, over ${limitMb.toFixed(0)} MB`);
    const health = await fetch(`${base}/api/health`);
    if (health.status !== 200) violations.push(`health answered ${health.status} after the soak`);
    return {
      requests,
      byClass,
      violations,
      rssWarmMb: rssWarm,
      rssEndMb: rssEnd,
      rssPeakMb: rssPeak,
      limitMb,
    };
  } finally {
    server.stop();
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): SoakOptions {
  const opts: SoakOptions = { minutes: 10, cacheMb: 64, concurrency: 8, seed: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value)) throw new Error(`${argv[i]} needs a number`);
    if (argv[i] === '--minutes') opts.minutes = value;
    else if (argv[i] === '--cache-mb') opts.cacheMb = value;
    else if (argv[i] === '--concurrency') opts.concurrency = value;
    else if (argv[i] === '--seed') opts.seed = value;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return opts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  const r = await soak(options);
  console.log(
    `[soak] ${options.minutes} min, ${r.requests} requests, concurrency ${options.concurrency}`,
  );
  for (const [name, counts] of Object.entries(r.byClass))
    console.log(`  ${name}: ${JSON.stringify(counts)}`);
  console.log(
    `  RSS after warm-up ${r.rssWarmMb.toFixed(0)} MB, at the end ${r.rssEndMb.toFixed(0)} MB, peak ${r.rssPeakMb.toFixed(0)} MB; limit ${r.limitMb.toFixed(0)} MB (warm-up + CACHE_MB ${options.cacheMb} + margin ${MARGIN_MB})`,
  );
  for (const v of r.violations) console.log(`  VIOLATION ${v}`);
  console.log(`${r.violations.length} violations`);
  process.exit(r.violations.length === 0 ? 0 : 1);
}
