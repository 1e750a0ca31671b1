/**
 * `npm run bench -- load`: the server under many connections at the 10 M scale, on loopback and
 * bounded in time. 50, then 200 connections for LOAD_SECONDS each (default 30), every one
 * sending requests back to back: half repeat one of a few public URLs (cache hits once warm),
 * half are unique random filters over the main aggregate routes (misses that query the store).
 * Prints throughput, p50/p99 of hits and of admitted misses, 503 and error counts, and the
 * server's RSS before, after and at its peak, against the goals of the hardening issue.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { Random } from '../lib/random';
import { startServerProcess } from '../lib/server-process';
import { ensureBenchDatabase } from './bench-dataset';
import { peakRssMb, randomFilters } from './probe';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CONNECTIONS = [50, 200];
const GOALS = { hitP99Ms: 50, admittedP99Ms: 1000, rssMb: 2048 };

interface Outcome {
  repeated: boolean;
  status: number;
  ms: number;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

/** One GET to the last byte; status 0 for a connection error. */
function get(
  agent: http.Agent,
  base: string,
  url: string,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    http
      .get(base + url, { agent, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        res.on('data', () => {});
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }),
        );
        res.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      })
      .on('error', () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

async function run(
  base: string,
  connections: number,
  repeatedUrls: string[],
  unique: (r: Random) => string,
  seed: number,
): Promise<Outcome[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const stopAt = performance.now() + SECONDS * 1000;
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      const random = new Random(seed * 1000 + i);
      while (performance.now() < stopAt) {
        const repeated = random.chance(0.5);
        const url = repeated ? random.pick(repeatedUrls) : unique(random);
        const { status, ms } = await get(agent, base, url);
        outcomes.push({ repeated, status, ms });
        // A refused client waits as Retry-After asks (scaled down: the run is short).
        if (status === 503) await new Promise((r) => setTimeout(r, 100 + random.int(0, 200)));
      }
    }),
  );
  agent.destroy();
  return outcomes;
}

export async function benchLoad(): Promise<boolean> {
  const dbPath = await ensureBenchDatabase();
  const server = await startServerProcess({ dbPath, port: 18_803, readOnly: true });
  const base = `http://127.0.0.1:18803`;
  let ok = true;
  try {
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as {
      date_extent: { from: string; to: string };
    };
    const extent = meta.date_extent;
    const random = new Random(11);
    const routes = [
      (r: Random) => `/api/choropleth?level=rw&${randomFilters(r, extent)}`,
      (r: Random) => `/api/choropleth?level=kelurahan&${randomFilters(r, extent)}`,
      (r: Random) => `/api/summary?${randomFilters(r, extent)}`,
      (r: Random) => `/api/timeseries?interval=week&${randomFilters(r, extent)}`,
      (r: Random) => `/api/gaps?level=rw&limit=50&${randomFilters(r, extent)}`,
    ];
    const unique = (r: Random) => r.pick(routes)(r);
    const repeatedUrls = Array.from({ length: 12 }, () => unique(random));
    for (const url of repeatedUrls) await fetch(base + url).then((r) => r.arrayBuffer());
    console.log(
      `\nload: 10 M records, loopback, ${SECONDS} s per run; half repeated URLs (12, warm in the cache), half unique random filters; server admission defaults`,
    );
    console.log(
      '  conns  requests   req/s   200    503  errors   hit p50/p99 ms   admitted miss p50/p99 ms   RSS before → after MB',
    );
    for (const [i, connections] of CONNECTIONS.entries()) {
      const before = rssMb(server.pid);
      const outcomes = await run(base, connections, repeatedUrls, unique, i + 1);
      const after = rssMb(server.pid);
      const hits = outcomes.filter((o) => o.repeated && o.status === 200).map((o) => o.ms);
      const admitted = outcomes.filter((o) => !o.repeated && o.status === 200).map((o) => o.ms);
      const refused = outcomes.filter((o) => o.status === 503).length;
      const errors = outcomes.filter((o) => o.status !== 200 && o.status !== 503).length;
      const fmt = (n: number) => n.toFixed(0).padStart(5);
      console.log(
        `  ${String(connections).padStart(5)} ${String(outcomes.length).padStart(9)} ${fmt(outcomes.length / SECONDS)}  ${String(outcomes.length - refused - errors).padStart(5)} ${String(refused).padStart(6)} ${String(errors).padStart(7)}    ${fmt(quantile(hits, 0.5))} / ${fmt(quantile(hits, 0.99))}            ${fmt(quantile(admitted, 0.5))} / ${fmt(quantile(admitted, 0.99))}           ${before.toFixed(0)} → ${after.toFixed(0)}`,
      );
      const runOk =
        errors === 0 &&
        quantile(hits, 0.99) <= GOALS.hitP99Ms &&
        quantile(admitted, 0.99) <= GOALS.admittedP99Ms;
      ok &&= runOk;
    }
    const peak = peakRssMb(server.pid);
    ok &&= peak <= GOALS.rssMb;
    console.log(
      `  peak RSS of the server ${peak.toFixed(0)} MB; goals: 0 errors besides 503, hit p99 ≤ ${GOALS.hitP99Ms} ms, admitted p99 ≤ ${GOALS.admittedP99Ms} ms, RSS ≤ ${GOALS.rssMb} MB  ${ok ? 'ok' : 'OVER TARGET'}`,
    );
  } finally {
    server.stop();
    await server.exited;
  }
  return ok;
}
