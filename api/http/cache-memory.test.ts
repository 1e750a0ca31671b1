import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATORS, AID_TYPES, RECIPIENT_TYPES } from '../domain';
import { DEMO_DB_PATH } from '../../scripts/lib/paths';
import { Random } from '../../scripts/lib/random';
import { startServerProcess, type ServerProcess } from '../../scripts/lib/server-process';
import { MAX_LIST_ITEMS } from '../schemas/filters';
import { freePort, rssBytes } from './test-process';

const MB = 1024 * 1024;
/**
 * The cache budget the server gets here (CACHE_MB): small, so a flood overfills it fast. The suite
 * runs a short flood; CACHE_FLOOD=800 CACHE_FLOOD_MB=48 runs the long one.
 */
const CACHE_MB = Number(process.env.CACHE_FLOOD_MB ?? 16);
/**
 * What RSS may grow beyond the budget: evicted entries V8 has not collected yet, allocator
 * slack and DuckDB's working memory for queries that differ from the warm-up.
 */
const MARGIN_MB = 96;
/** Distinct URLs sent: several times what the budget holds. */
const FLOOD = Number(process.env.CACHE_FLOOD ?? 250);
const CONCURRENCY = 2;
/** The shortest key the flood makes: the longest lists the parameters allow, four of them. */
const MIN_KEY_CHARS = 1200;

let server: ServerProcess;
let base: string;
let dir: string;
let stdout = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'peta-cache-memory-'));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServerProcess({
    dbPath,
    port,
    timeoutMs: 60_000,
    env: { CACHE_MB: String(CACHE_MB) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
});

afterAll(async () => {
  server?.stop();
  await server?.exited;
  rmSync(dir, { recursive: true, force: true });
});

function day(random: Random): string {
  const d = new Date(Date.UTC(2020, 3, 1) + random.int(0, 90) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** A list parameter at its longest: MAX_LIST_ITEMS valid values in a random order. */
function longList(random: Random, values: readonly string[]): string {
  return Array.from({ length: MAX_LIST_ITEMS }, () => random.pick(values)).join(',');
}

/**
 * Distinct valid URLs, each with the longest lists the parameters allow: half with a small
 * answer (the summary), where the key is most of an entry, half with a large one (RW gaps).
 */
function adversarialUrl(random: Random, i: number, status = 'verified'): string {
  const [a, b] = [day(random), day(random)].sort();
  const p = new URLSearchParams({ from: a!, to: b! });
  p.set('aid_type', longList(random, AID_TYPES));
  p.set('aggregator', longList(random, AGGREGATORS));
  p.set('recipient_type', longList(random, RECIPIENT_TYPES));
  p.set('status', Array.from({ length: MAX_LIST_ITEMS }, () => status).join(','));
  if (i % 2 === 0) return `/api/summary?${p}`;
  p.set('level', 'rw');
  p.set('limit', String(random.int(200, 1500)));
  return `/api/gaps?${p}`;
}

/** `count` URLs never sent before (a repeat would be a cache hit, not a new entry). */
function freshUrls(random: Random, count: number, seen: Set<string>, status?: string): string[] {
  const urls: string[] = [];
  for (let i = 0; urls.length < count; i++) {
    const url = adversarialUrl(random, i, status);
    if (seen.has(url)) continue;
    seen.add(url);
    urls.push(url);
  }
  return urls;
}

async function flood(urls: string[], headers: Record<string, string> = {}) {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!;
        const res = await fetch(`${base}${url}`, {
          headers: { 'Accept-Encoding': 'gzip', ...headers },
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('the response cache under a flood of distinct keys', () => {
  it(
    'keeps its accounted size within budget and the process RSS within budget plus margin',
    { timeout: 600_000 },
    async () => {
      const random = new Random(13);
      const seen = new Set<string>();
      // Warm up DuckDB and the JIT on the same queries without filling the cache: answers with
      // unverified records are a planner's own and never cached.
      const warmUp = freshUrls(random, 100, seen, 'submitted');
      const warmed = await flood(warmUp, { Authorization: 'Bearer demo-planner' });
      expect(Object.fromEntries(warmed)).toEqual({ 200: warmUp.length });
      const before = rssBytes(server.pid);
      const urls = freshUrls(random, FLOOD, seen);
      expect(Math.min(...urls.map((u) => u.length))).toBeGreaterThan(MIN_KEY_CHARS);
      const started = performance.now();
      const statuses = await flood(urls);
      const seconds = (performance.now() - started) / 1000;
      expect(Object.fromEntries(statuses)).toEqual({ 200: FLOOD });
      const after = rssBytes(server.pid);

      server.stop();
      await server.exited;
      const stopped = stdout
        .split('\n')
        .filter((l) => l.includes('"event":"stopped"'))
        .map(
          (l) =>
            JSON.parse(l) as {
              cache_entries: number;
              cache_bytes: number;
              cache_max_bytes: number;
            },
        )[0]!;
      console.log(
        `[cache-memory] ${FLOOD} distinct URLs in ${seconds.toFixed(1)} s; cache ${stopped.cache_entries} entries, ` +
          `${(stopped.cache_bytes / MB).toFixed(1)} of ${CACHE_MB} MB; RSS ${(before / MB).toFixed(0)} → ${(after / MB).toFixed(0)} MB ` +
          `(limit ${(before / MB + CACHE_MB + MARGIN_MB).toFixed(0)} MB)`,
      );
      expect(stopped.cache_max_bytes).toBe(CACHE_MB * MB);
      expect(stopped.cache_bytes).toBeLessThanOrEqual(CACHE_MB * MB);
      // The flood overfilled the budget: entries were evicted, and the budget was nearly used.
      expect(stopped.cache_entries).toBeLessThan(FLOOD);
      expect(stopped.cache_bytes).toBeGreaterThan(0.8 * CACHE_MB * MB);
      // Keys are counted: every entry weighs at least its key.
      expect(stopped.cache_bytes).toBeGreaterThan(stopped.cache_entries * MIN_KEY_CHARS);
      expect(after).toBeLessThanOrEqual(before + (CACHE_MB + MARGIN_MB) * MB);
    },
  );
});
