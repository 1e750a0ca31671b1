import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AGGREGATORS, AID_TYPES, RECIPIENT_TYPES } from '../../api/domain';
import type { Random } from '../lib/random';

/** Median and 95th percentile of a sample. */
export function stats(samples: readonly number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}

const readAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds from sending a GET to the last byte of its gzip answer; rejects unless 200. */
export function timeGet(base: string, url: string, token: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string> = { 'Accept-Encoding': 'gzip' };
    if (token) headers.Authorization = `Bearer ${token}`;
    http
      .get(base + url, { agent: readAgent, headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
          else resolve(performance.now() - started);
        });
      })
      .on('error', reject);
  });
}

export interface ProbeRequest {
  url: string;
  token: string | null;
  planner: boolean;
}

/** An RW choropleth no cache can answer: a random date window, public or planner states. */
export function choroplethRequest(
  random: Random,
  extent: { from: string; to: string },
  plannerToken: string,
): ProbeRequest {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const span = day(extent.to) - day(extent.from);
  const a = random.int(0, span);
  const b = random.int(0, span);
  const iso = (n: number) =>
    new Date((day(extent.from) + n) * 86_400_000).toISOString().slice(0, 10);
  const p = new URLSearchParams({
    level: 'rw',
    from: iso(Math.min(a, b)),
    to: iso(Math.max(a, b)),
  });
  if (random.chance(0.4)) {
    const v = AID_TYPES.filter(() => random.chance(0.5));
    if (v.length) p.set('aid_type', v.join(','));
  }
  if (random.chance(0.4)) {
    const v = AGGREGATORS.filter(() => random.chance(0.5));
    if (v.length) p.set('aggregator', v.join(','));
  }
  const planner = random.chance(0.5);
  if (planner) p.set('status', 'submitted,verified_kelurahan,verified');
  return { url: `/api/choropleth?${p}`, token: planner ? plannerToken : null, planner };
}

export interface Sample {
  /** When the request was sent (performance.now()). */
  t0: number;
  ms: number;
  planner: boolean;
}

/** Sends random RW choropleths one after another until `until()` (or `max` of them). */
export async function probeLoop(
  base: string,
  random: Random,
  extent: { from: string; to: string },
  plannerToken: string,
  until: () => boolean,
  max = Infinity,
): Promise<Sample[]> {
  const out: Sample[] = [];
  while (!until() && out.length < max) {
    const q = choroplethRequest(random, extent, plannerToken);
    const t0 = performance.now();
    out.push({ t0, ms: await timeGet(base, q.url, q.token), planner: q.planner });
  }
  return out;
}

/** Peak resident set of the server process (one node process; children counted if it has any). */
export function peakRssMb(pid: number): number {
  const own = (p: number) => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  let peak = own(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    for (const c of children) peak = Math.max(peak, own(Number(c)));
  } catch {
    // no children file on this kernel
  }
  return peak;
}

/** Random public filters over the extent: a date window, and some aid types, aggregators, recipients. */
export function randomFilters(
  random: Random,
  extent: { from: string; to: string },
): URLSearchParams {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const span = day(extent.to) - day(extent.from);
  const a = random.int(0, span);
  const b = random.int(0, span);
  const iso = (n: number) =>
    new Date((day(extent.from) + n) * 86_400_000).toISOString().slice(0, 10);
  const p = new URLSearchParams({ from: iso(Math.min(a, b)), to: iso(Math.max(a, b)) });
  const subset = (values: readonly string[]) => values.filter(() => random.chance(0.5));
  if (random.chance(0.5)) {
    const v = subset(AID_TYPES);
    if (v.length) p.set('aid_type', v.join(','));
  }
  if (random.chance(0.5)) {
    const v = subset(AGGREGATORS);
    if (v.length) p.set('aggregator', v.join(','));
  }
  if (random.chance(0.3)) {
    const v = subset(RECIPIENT_TYPES);
    if (v.length) p.set('recipient_type', v.join(','));
  }
  return p;
}
