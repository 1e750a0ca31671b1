/**
 * `npm run bench`: latency of the main queries over HTTP on loopback (request sent to last byte of
 * the gzip answer, one at a time on a kept-alive connection), against the default dataset and a
 * scaled one of about ten million records. For each query: median and p95 over random
 * filter combinations (no cache can serve them) and over repeated identical requests (cache
 * allowed), the ratio to GET /api/health, and the server's peak RSS. `npm run bench -- ingest`:
 * uploads of 100,000-row batches end to end (scripts/bench/ingest.ts). `npm run bench -- verify`:
 * bulk verification of 10,000-record batches at the 10 M scale (scripts/bench/verify.ts).
 * `npm run bench -- load`: 50 and 200 connections at once at the 10 M scale (scripts/bench/load.ts).
 */
import http from 'node:http';
import { ensureBenchDatabase } from './bench/bench-dataset';
import { peakRssMb, randomFilters, stats } from './bench/probe';
import { benchIngest } from './bench/ingest';
import { benchLoad } from './bench/load';
import { benchVerify } from './bench/verify';
import { DEMO_DB_PATH } from './lib/paths';
import { startServerProcess } from './lib/server-process';
import { Random } from './lib/random';
import { ensureDefaultDatabase } from './prepare-data';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const TARGET_P95_MS = 100;
const TARGET_REPEAT_P95_MS = 10;
const TARGET_RSS_MB = 2048;

interface Stats {
  median: number;
  p95: number;
}

type UrlMaker = (random: Random) => string;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Time from sending the request to the last byte of the (gzip) answer, one request at a time. */
function timeRequest(base: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(base + url, { agent, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else resolve(performance.now() - started);
      });
    });
    req.on('error', reject);
  });
}

async function measure(base: string, urls: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const url of urls) times.push(await timeRequest(base, url));
  return times;
}

async function benchDataset(name: string, dbPath: string, port: number) {
  const server = await startServerProcess({ dbPath, port, readOnly: true });
  const base = `http://127.0.0.1:${port}`;
  try {
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as {
      date_extent: { from: string; to: string };
    };
    const regions = (await (await fetch(`${base}/api/choropleth?level=kelurahan`)).json()) as {
      rows: { code: string }[];
    };
    const rws = (await (
      await fetch(
        `${base}/api/choropleth?level=rw&from=${meta.date_extent.from}&to=${meta.date_extent.from}`,
      )
    ).json()) as {
      rows: { code: string }[];
    };
    const extent = meta.date_extent;
    const queries: [string, UrlMaker][] = [
      ['choropleth rw', (r) => `/api/choropleth?level=rw&${randomFilters(r, extent)}`],
      ['summary', (r) => `/api/summary?${randomFilters(r, extent)}`],
      [
        'timeseries',
        (r) =>
          `/api/timeseries?interval=${r.pick(['day', 'week'])}&cumulative=${r.pick(['true', 'false'])}&${randomFilters(r, extent)}`,
      ],
      ['gaps rw', (r) => `/api/gaps?level=rw&limit=${r.int(10, 200)}&${randomFilters(r, extent)}`],
      [
        'area detail',
        (r) =>
          `/api/areas/${r.chance(0.5) ? r.pick(regions.rows).code : r.pick(rws.rows).code}?${randomFilters(r, extent)}`,
      ],
    ];
    const random = new Random(7);
    const health = stats(
      await measure(
        base,
        Array.from({ length: REQUESTS }, () => '/api/health'),
      ),
    );
    const rows: { query: string; random: Stats; repeated: Stats }[] = [];
    for (const [query, make] of queries) {
      const urls = new Set<string>();
      while (urls.size < REQUESTS) urls.add(make(random));
      await measure(base, [make(random)]); // warm-up
      const randomStats = stats(await measure(base, [...urls]));
      const one = make(random);
      const repeated = stats(
        await measure(
          base,
          Array.from({ length: REQUESTS + 1 }, () => one),
        ).then((t) => t.slice(1)),
      );
      rows.push({ query, random: randomStats, repeated });
    }
    const rss = peakRssMb(server.child.pid!);
    const records = (
      (await (await fetch(`${base}/api/summary?from=1900-01-01&to=2100-01-01`)).json()) as {
        records: number;
      }
    ).records;
    return { name, health, rows, rss, records };
  } finally {
    server.stop();
    await new Promise((r) => setTimeout(r, 500));
  }
}

function print(result: Awaited<ReturnType<typeof benchDataset>>, checkTargets: boolean) {
  const f = (x: number) => x.toFixed(1).padStart(7);
  const ratio = (x: number) => `${(x / result.health.median).toFixed(1)}×`.padStart(7);
  console.log(
    `\n${result.name}, ${result.records.toLocaleString('en')} verified records: ${REQUESTS} requests per row, sequential, loopback, gzip, time to last byte`,
  );
  console.log('query            random median    p95  ratio | repeated median    p95  ratio');
  console.log(
    `health                  ${f(result.health.median)}${f(result.health.p95)}${ratio(result.health.median)} |`,
  );
  let ok = true;
  for (const r of result.rows) {
    const pass = r.random.p95 <= TARGET_P95_MS && r.repeated.p95 <= TARGET_REPEAT_P95_MS;
    ok &&= pass;
    console.log(
      `${r.query.padEnd(16)}        ${f(r.random.median)}${f(r.random.p95)}${ratio(r.random.median)} |         ` +
        `${f(r.repeated.median)}${f(r.repeated.p95)}${ratio(r.repeated.median)}${checkTargets ? (pass ? '  ok' : '  OVER TARGET') : ''}`,
    );
  }
  const rssOk = result.rss <= TARGET_RSS_MB;
  console.log(
    `peak RSS of the server: ${result.rss.toFixed(0)} MB${checkTargets ? (rssOk ? '  ok' : '  OVER TARGET') : ''}`,
  );
  return ok && rssOk;
}

const which = process.argv[2] ?? 'all';
await ensureDefaultDatabase();
if (which === 'all' || which === 'default') {
  print(await benchDataset('default dataset (KSBB 2020)', DEMO_DB_PATH, 18_801), false);
}
if (which === 'all' || which === 'scaled') {
  const dbPath = await ensureBenchDatabase();
  print(await benchDataset('scaled dataset (a year, about 10 M records)', dbPath, 18_802), true);
  console.log(
    `\ntargets at 10 M records: random p95 ≤ ${TARGET_P95_MS} ms, repeated p95 ≤ ${TARGET_REPEAT_P95_MS} ms, peak RSS ≤ ${TARGET_RSS_MB} MB`,
  );
}
if (which === 'ingest') {
  await benchIngest();
}
if (which === 'verify') {
  await benchVerify();
}
if (which === 'load') {
  await benchLoad();
}
