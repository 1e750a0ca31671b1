/**
 * `npm run bench -- ingest`: uploads of 100,000-row CSV batches (points inside RW polygons,
 * households with structurally valid KKs, a mix of aid types) to the real server over a copy of
 * the demo database, end to end (send, parse, validate, point-in-polygon, hash, commit, rollups,
 * reach index, answer). Measures rows per second, the server's peak RSS during a batch, and the
 * RW choropleth latency while batches stream in against idle. Then the same stages in process,
 * timed one by one, so a missed goal says where the time goes.
 *
 * BENCH_INGEST_BATCHES (default 5) batches are timed. BENCH_INGEST_HTTP=0 skips the server part,
 * BENCH_INGEST_PROFILE=0 the breakdown; BENCH_INGEST_TRACE=1 prints every statement of each
 * profiled commit; BENCH_INGEST_EXPLAIN=1 runs the heavy statements of one more commit as
 * EXPLAIN ANALYZE (which executes them) and prints their plans.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { demoPrincipals } from '../../api/auth/demo';
import { openDatabase, type Database, type Tx } from '../../api/db/database';
import { migrate } from '../../api/db/migrate';
import { Sql } from '../../api/db/sql';
import { queryChoropleth } from '../../api/db/choropleth';
import type { QueryContext } from '../../api/db/query-context';
import { loadDeps } from '../../api/deps';
import { AGGREGATORS, AID_TYPES } from '../../api/domain';
import type { Locator } from '../../api/geo/locate';
import { checkContextData, checkContextOf } from '../../api/ingest/check-context';
import { checkInProcess } from '../../api/ingest/checked-upload';
import { commitBatch } from '../../api/ingest/commit';
import { KeyedHasher } from '../../api/ingest/keyed-hash';
import { BodyReader } from '../../api/ingest/parse';
import { jakartaToday } from '../../api/schemas/filters';
import { kkHashKey } from '../../api/kk';
import { resolveFilters } from '../../api/resolve-filters';
import { DEMO_DB_PATH, GEOJSON_DIR } from '../lib/paths';
import { Random } from '../lib/random';
import { startServerProcess } from '../lib/server-process';

const ROWS = 100_000;
const BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 5);
const STREAMED_BATCHES = 3;
const LATENCY_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150);
const TARGET_ROWS_PER_S = 100_000;
const TARGET_RSS_MB = 1024;
const TARGET_LATENCY_RATIO = 2;
const POINT_POOL = 20_000;
const SEED = 20_200_424;
const TOKEN = 'demo-act';
const PLANNER = 'demo-planner';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface RwProps {
  code: string;
  kecamatan_code: string;
}

interface Point {
  lon: string;
  lat: string;
  kecamatan6: string;
}

/** Points drawn uniformly inside RW polygons (an RW at random, then rejection in its box). */
function pointPool(random: Random): Point[] {
  const rw = JSON.parse(
    readFileSync(path.join(GEOJSON_DIR, 'rw.geojson'), 'utf8'),
  ) as FeatureCollection<Polygon | MultiPolygon, RwProps>;
  const boxes = rw.features.map((f: Feature<Polygon | MultiPolygon, RwProps>) => {
    const rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of rings)
      for (const [x = NaN, y = NaN] of poly[0] ?? []) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    return [minX, minY, maxX, maxY] as const;
  });
  const points: Point[] = [];
  while (points.length < POINT_POOL) {
    const i = random.int(0, rw.features.length - 1);
    const f = rw.features[i]!;
    const [minX, minY, maxX, maxY] = boxes[i]!;
    for (let attempt = 0; attempt < 50; attempt++) {
      const lon = minX + random.float() * (maxX - minX);
      const lat = minY + random.float() * (maxY - minY);
      if (booleanPointInPolygon([lon, lat], f)) {
        points.push({
          lon: lon.toFixed(6),
          lat: lat.toFixed(6),
          kecamatan6: f.properties.kecamatan_code.replaceAll('.', ''),
        });
        break;
      }
    }
  }
  return points;
}

const AID_WEIGHTS = Float64Array.from([0.55, 0.85, 0.96, 1]);

/** One batch as CSV: households at points, KKs of the point's kecamatan, fresh external ids. */
function makeBatch(random: Random, points: Point[], tag: string, rows = ROWS): Buffer {
  const lines = ['external_id,date,aid_type,quantity,recipient_type,kk,head_initials,lon,lat'];
  const day0 = Date.parse('2020-04-24T00:00:00Z');
  for (let i = 0; i < rows; i++) {
    const p = random.pick(points);
    const date = new Date(day0 + random.int(0, 33) * 86_400_000).toISOString().slice(0, 10);
    const issued = `${String(random.int(1, 28)).padStart(2, '0')}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(5, 19)).padStart(2, '0')}`;
    const kk = `${p.kecamatan6}${issued}${String(random.int(1, 9999)).padStart(4, '0')}`;
    const initials = `${LETTERS[random.int(0, 25)]}${LETTERS[random.int(0, 25)]}`;
    lines.push(
      `${tag}-${i + 1},${date},${AID_TYPES[random.weighted(AID_WEIGHTS)]},${random.int(1, 3)},household,${kk},${initials},${p.lon},${p.lat}`,
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

interface Stats {
  median: number;
  p95: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets the peak RSS of a process (Linux: writing 5 to clear_refs); false where not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function post(base: string, body: Buffer): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      `${base}/api/distributions`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          'Content-Type': 'text/csv',
          'Content-Length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function upload(base: string, body: Buffer, rows: number): Promise<number> {
  const r = await post(base, body);
  if (r.status !== 201) throw new Error(`upload answered ${r.status}: ${r.body.slice(0, 500)}`);
  const accepted = (JSON.parse(r.body) as { accepted: number }).accepted;
  if (accepted !== rows) throw new Error(`upload accepted ${accepted} of ${rows} rows`);
  return r.ms;
}

const readAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function timeGet(base: string, url: string, token: string | null): Promise<number> {
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

/** An RW choropleth no cache can answer: a random date window, public or planner states. */
function choroplethRequest(random: Random, extent: { from: string; to: string }) {
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
  return { url: `/api/choropleth?${p}`, token: planner ? PLANNER : null, planner };
}

interface Sample {
  ms: number;
  planner: boolean;
}

async function latencies(
  base: string,
  random: Random,
  extent: { from: string; to: string },
  until: () => boolean,
  max = Infinity,
): Promise<Sample[]> {
  const out: Sample[] = [];
  while (!until() && out.length < max) {
    const q = choroplethRequest(random, extent);
    out.push({ ms: await timeGet(base, q.url, q.token), planner: q.planner });
  }
  return out;
}

interface HttpResult {
  rowsPerSecond: number[];
  uploadMs: number[];
  warmupMs: number;
  peakRssMb: number[];
  baselineRssMb: number;
  peakResettable: boolean;
  idle: Sample[];
  loaded: Sample[];
  streamedRowsPerSecond: number[];
}

async function benchHttp(dbPath: string, random: Random, points: Point[]): Promise<HttpResult> {
  const port = 18_803;
  const server = await startServerProcess({ dbPath, port, timeoutMs: 180_000 });
  const base = server.base;
  try {
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as {
      date_extent: { from: string; to: string };
    };
    const extent = meta.date_extent;
    const tag = `BI${Date.now().toString(36)}`;
    // Warm-up: the locator loads on first use, and the JIT warms up.
    const warmupMs = await upload(base, makeBatch(random, points, `${tag}-w`, 1_000), 1_000);
    await upload(base, makeBatch(random, points, `${tag}-w2`, 20_000), 20_000);
    const baselineRssMb = procStatus(server.pid, 'VmRSS');
    const uploadMs: number[] = [];
    const peakRssMb: number[] = [];
    let peakResettable = true;
    for (let i = 0; i < BATCHES; i++) {
      const body = makeBatch(random, points, `${tag}-${i}`);
      peakResettable &&= resetPeak(server.pid);
      const ms = await upload(base, body, ROWS);
      uploadMs.push(ms);
      peakRssMb.push(procStatus(server.pid, 'VmHWM'));
      console.log(
        `  batch ${i + 1}: ${ROWS.toLocaleString('en')} rows in ${(ms / 1000).toFixed(2)} s ` +
          `(${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s), peak RSS ${peakRssMb.at(-1)!.toFixed(0)} MB`,
      );
    }
    await latencies(base, random, extent, () => false, 10); // warm-up
    const idle = await latencies(base, random, extent, () => false, LATENCY_REQUESTS);
    // Batches stream in back to back while the map asks for RW choropleths.
    const bodies = Array.from({ length: STREAMED_BATCHES }, (_, i) =>
      makeBatch(random, points, `${tag}-s${i}`),
    );
    let done = false;
    const streamed = (async () => {
      const ms: number[] = [];
      try {
        for (const body of bodies) ms.push(await upload(base, body, ROWS));
      } finally {
        done = true;
      }
      return ms;
    })();
    const loaded = await latencies(base, random, extent, () => done);
    const streamedMs = await streamed;
    return {
      rowsPerSecond: uploadMs.map((ms) => ROWS / (ms / 1000)),
      uploadMs,
      warmupMs,
      peakRssMb,
      baselineRssMb,
      peakResettable,
      idle,
      loaded,
      streamedRowsPerSecond: streamedMs.map((ms) => ROWS / (ms / 1000)),
    };
  } finally {
    server.stop();
    await server.exited;
  }
}

/** Wall and CPU time (this process, all threads: DuckDB's too) per stage. */
class Book {
  readonly entries = new Map<string, { ms: number; cpuMs: number }>();
  /** When each timed stage ran, to line reads up against it. */
  readonly spans: { label: string; t0: number; t1: number }[] = [];

  add(label: string, ms: number, cpuMs: number): void {
    const e = this.entries.get(label) ?? { ms: 0, cpuMs: 0 };
    e.ms += ms;
    e.cpuMs += cpuMs;
    this.entries.set(label, e);
  }

  async time<T>(label: string, f: () => Promise<T>): Promise<T> {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return await f();
    } finally {
      const used = process.cpuUsage(c);
      const now = performance.now();
      this.add(label, now - t, (used.user + used.system) / 1000);
      this.spans.push({ label, t0: t, t1: now });
    }
  }
}

/** Times every statement of each write unit, its BEGIN/COMMIT and its publish step. */
function timedDatabase(db: Database, book: Book, plans?: Map<string, string>): Database {
  let unit = 0;
  const label = (q: Sql) =>
    q.text
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/\(\s*\$?\d+\s*\)/g, '')
      .slice(0, 64);
  const timedTx = (tx: Tx, n: number): Tx => ({
    run: (q) =>
      book.time(`unit ${n} sql: ${label(q)}`, async () => {
        // With a plan book, the heavy statements run as EXPLAIN ANALYZE (which executes them).
        if (plans && /^\s*(INSERT INTO (households|distributions)|MERGE)/.test(q.text)) {
          const rows = await tx.rows<{ explain_value: string }>(
            new Sql(`EXPLAIN ANALYZE ${q.text}`, q.values),
          );
          plans.set(label(q), rows.map((r) => r.explain_value).join('\n'));
        } else await tx.run(q);
      }),
    rows: (q) => book.time(`unit ${n} sql: ${label(q)}`, () => tx.rows(q)),
    one: (q) => book.time(`unit ${n} sql: ${label(q)}`, () => tx.one(q)),
    chunks: (q, onChunk) => book.time(`unit ${n} sql: ${label(q)}`, () => tx.chunks(q, onChunk)),
    append: (table, rows, options) =>
      book.time(`unit ${n} append into ${table} (values through the appender)`, () =>
        tx.append(table, rows, options),
      ),
  });
  return {
    ...db,
    read: db.read.bind(db),
    withConnection: db.withConnection.bind(db),
    close: db.close.bind(db),
    async write(work, publish) {
      const n = ++unit;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let inner = { ms: 0, cpuMs: 0 };
      const measureInner = async <T>(f: () => T | Promise<T>) => {
        const t = performance.now();
        const c = process.cpuUsage();
        try {
          return await f();
        } finally {
          const used = process.cpuUsage(c);
          inner = {
            ms: inner.ms + performance.now() - t,
            cpuMs: inner.cpuMs + (used.user + used.system) / 1000,
          };
        }
      };
      let publishMs = 0;
      let publishCpu = 0;
      let workEnd = 0;
      let publishStart = 0;
      const value = await db.write(
        async (tx) => {
          try {
            return await measureInner(() => work(timedTx(tx, n)));
          } finally {
            workEnd = performance.now();
          }
        },
        publish &&
          ((v) => {
            const t = performance.now();
            publishStart = t;
            const c = process.cpuUsage();
            publish(v);
            const used = process.cpuUsage(c);
            publishMs = performance.now() - t;
            publishCpu = (used.user + used.system) / 1000;
          }),
      );
      const used = process.cpuUsage(c0);
      book.spans.push({
        label: `unit ${n} BEGIN + COMMIT (WAL write, fsync)`,
        t0: workEnd,
        t1: publishStart || performance.now(),
      });
      if (publishStart)
        book.spans.push({
          label: `unit ${n} publish: next state`,
          t0: publishStart,
          t1: publishStart + publishMs,
        });
      book.add(
        `unit ${n} BEGIN + COMMIT (WAL write, fsync)`,
        performance.now() - t0 - inner.ms - publishMs,
        (used.user + used.system) / 1000 - inner.cpuMs - publishCpu,
      );
      if (publish) book.add(`unit ${n} publish: next state`, publishMs, publishCpu);
      return value;
    },
  };
}

/** Every stage of the route, in this process, on the same kind of batch. */
async function profile(random: Random, points: Point[], dir: string) {
  const dbPath = path.join(dir, 'profile.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const raw = await openDatabase(dbPath);
  await raw.withConnection((conn) => migrate(conn, () => {}));
  const deps = await loadDeps(raw);
  const principal = demoPrincipals(deps.holder.current.ctx).get(TOKEN)!;
  const runs: Book[] = [];
  const plans = new Map<string, string>();
  const trace = process.env.BENCH_INGEST_TRACE === '1';
  const tLocator = performance.now();
  const realLocator = deps.locator();
  const locatorLoadMs = performance.now() - tLocator;
  const probes: { t0: number; t1: number }[] = [];
  /** The WAL after each commit: near zero when the commit checkpointed. */
  const walMb: number[] = [];
  let memoryNotes: string[] = [];
  let probeSpans: Book['spans'] = [];
  let idleProbe: Stats = { median: NaN, p95: NaN };
  try {
    const explainRun = process.env.BENCH_INGEST_EXPLAIN === '1' ? 4 : -1;
    const probeRun = explainRun > 0 ? 5 : 4;
    for (let i = 0; i <= probeRun; i++) {
      const book = new Book();
      // The last run has RW choropleths (planner states, random windows) asked all along, as the
      // map would, to see which stage holds them up.
      let probing = false;
      let probeLoop: Promise<void> = Promise.resolve();
      if (i === probeRun) {
        const plannerP = demoPrincipals(deps.holder.current.ctx).get(PLANNER)!;
        const ask = async () => {
          const { ctx, reach } = deps.holder.current;
          const { from, to } = ctx.fullExtent;
          const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
          const a = random.int(0, span);
          const b = random.int(0, span);
          const iso = (n: number) =>
            new Date(Date.parse(from) + n * 86_400_000).toISOString().slice(0, 10);
          const filters = resolveFilters(
            {
              from: iso(Math.min(a, b)),
              to: iso(Math.max(a, b)),
              status: ['submitted', 'verified_kelurahan', 'verified'],
            },
            ctx,
            plannerP,
          );
          const fork = <U>(inner: (q: QueryContext) => Promise<U>): Promise<U> =>
            raw.read((r) => inner({ db: r, reach, ctx, fork }));
          const t0 = performance.now();
          await fork((q) =>
            queryChoropleth(q, filters, { level: 'rw', parent: null, threshold: 0.5 }),
          );
          return { t0, t1: performance.now() };
        };
        const idle: number[] = [];
        for (let k = 0; k < 60; k++) {
          const p = await ask();
          if (k >= 10) idle.push(p.t1 - p.t0);
        }
        idleProbe = stats(idle);
        probing = true;
        probeLoop = (async () => {
          while (probing) probes.push(await ask());
        })();
      }
      const body = makeBatch(random, points, `BP${Date.now().toString(36)}-${i}`);
      const chunks: Buffer[] = [];
      for (let o = 0; o < body.length; o += 65_536) chunks.push(body.subarray(o, o + 65_536));
      // Parsing alone and the keyed hashes alone, timed apart before the batch.
      let t = performance.now();
      let c = process.cpuUsage();
      const reader = new BodyReader('csv');
      for (const chunk of chunks) reader.push(chunk);
      reader.finish({ row: () => {}, notObject: () => {} });
      const parseMs = performance.now() - t;
      let used = process.cpuUsage(c);
      const parseCpu = (used.user + used.system) / 1000;
      const hasher = new KeyedHasher(kkHashKey());
      const households = body
        .toString('utf8')
        .split('\n')
        .slice(1, -1)
        .map((line) => line.split(','));
      t = performance.now();
      c = process.cpuUsage();
      for (const fields of households) {
        hasher.kk(fields[5]!);
        hasher.initials(fields[5]!, fields[6]!);
      }
      const hashMs = performance.now() - t;
      used = process.cpuUsage(c);
      const hashCpu = (used.user + used.system) / 1000;

      const tTotal = performance.now();
      const cTotal = process.cpuUsage();
      const memory: string[] = [];
      const note = (stage: string) => {
        const m = process.memoryUsage();
        memory.push(
          `${stage} rss ${(m.rss / 1e6).toFixed(0)} MB, JS heap ${(m.heapUsed / 1e6).toFixed(0)} MB`,
        );
      };
      let pipMs = 0;
      const locator = {
        locate(lon: number, lat: number) {
          const s = performance.now();
          try {
            return realLocator.locate(lon, lat);
          } finally {
            pipMs += performance.now() - s;
          }
        },
        rwContains(code: string, lon: number, lat: number) {
          const s = performance.now();
          try {
            return realLocator.rwContains(code, lon, lat);
          } finally {
            pipMs += performance.now() - s;
          }
        },
      } as unknown as Locator;
      t = performance.now();
      c = process.cpuUsage();
      // The check thread's work, here in process: parse, row checks, hashes, staged chunks.
      const upload = checkInProcess(chunks, {
        format: 'csv',
        context: checkContextOf(checkContextData(deps.holder.current.ctx)),
        locator: () => locator,
        today: jakartaToday(),
        kkKey: kkHashKey(),
      });
      const checked = await upload.outcome;
      const checkMs = performance.now() - t;
      book.spans.push({
        label: 'check (parse, row checks, point-in-polygon, HMAC)',
        t0: t,
        t1: t + checkMs,
      });
      used = process.cpuUsage(c);
      const checkCpu = (used.user + used.system) / 1000;
      if (checked.problems) throw new Error(`profile batch has ${checked.problems.total} problems`);
      note('after the check:');
      book.add('check: parse (csv, body sha256; timed apart)', parseMs, parseCpu);
      book.add('check: point-in-polygon (locator)', pipMs, pipMs);
      book.add('check: KK + initials HMAC-SHA256 (timed apart)', hashMs, hashCpu);
      book.add(
        'check: the other row checks, staged columns',
        checkMs - parseMs - pipMs - hashMs,
        checkCpu - parseCpu - pipMs - hashCpu,
      );

      const db = timedDatabase(raw, book, i === explainRun ? plans : undefined);
      t = performance.now();
      c = process.cpuUsage();
      const outcome = await commitBatch(db, deps.holder, {
        principal: { ...principal, org: principal.org! },
        upload,
        idempotencyKey: `bp-${i}-${Date.now()}`,
      });
      const commitMs = performance.now() - t;
      used = process.cpuUsage(c);
      note('after commit:');
      if (i === probeRun - 1) memoryNotes = memory;
      walMb.push(existsSync(`${dbPath}.wal`) ? statSync(`${dbPath}.wal`).size / 1e6 : 0);
      if (outcome.kind !== 'stored' || outcome.body.accepted !== ROWS)
        throw new Error(`profile batch not stored: ${JSON.stringify(outcome).slice(0, 300)}`);
      let bookedMs = 0;
      let bookedCpu = 0;
      for (const [k, e] of book.entries) {
        if (!k.startsWith('unit ')) continue;
        bookedMs += e.ms;
        bookedCpu += e.cpuMs;
      }
      book.add(
        'commit: JS between the statements (reach index merge in slices, receipt)',
        commitMs - bookedMs,
        (used.user + used.system) / 1000 - bookedCpu,
      );
      used = process.cpuUsage(cTotal);
      book.add('TOTAL', performance.now() - tTotal, (used.user + used.system) / 1000);
      if (i === probeRun) {
        probing = false;
        await probeLoop;
        probeSpans = book.spans;
      }
      // The first run warms up; EXPLAIN ANALYZE and probed runs are not counted.
      if (i > 0 && i !== explainRun && i !== probeRun) runs.push(book);
      if (trace) {
        console.log(`  profile run ${i + 1}:`);
        for (const [k, e] of book.entries)
          console.log(
            `    ${e.ms.toFixed(1).padStart(9)} ms ${e.cpuMs.toFixed(0).padStart(7)} ms CPU  ${k}`,
          );
      }
    }
  } finally {
    await raw.close();
  }
  const keys = [...runs[0]!.entries.keys()];
  const median = (k: string, f: 'ms' | 'cpuMs') =>
    stats(runs.map((r) => r.entries.get(k)?.[f] ?? 0)).median;
  for (const [statement, plan] of plans) console.log(`\nEXPLAIN ANALYZE ${statement}…\n${plan}`);
  // Per stage: the reads that overlapped it, and the slowest of them.
  const merged: Book['spans'] = [];
  for (const sp of probeSpans) {
    const last = merged.at(-1);
    if (last && last.label === sp.label) last.t1 = sp.t1;
    else merged.push({ ...sp });
  }
  const reads = merged
    .filter((sp) => sp.t1 - sp.t0 >= 1)
    .map((sp) => {
      const overlapping = probes
        .filter((p) => p.t0 < sp.t1 && p.t1 > sp.t0)
        .map((p) => p.t1 - p.t0);
      return {
        stage: sp.label,
        ms: sp.t1 - sp.t0,
        reads: overlapping.length,
        max: Math.max(0, ...overlapping),
      };
    });
  return {
    rows: keys.map((k) => ({ stage: k, ms: median(k, 'ms'), cpuMs: median(k, 'cpuMs') })),
    locatorLoadMs,
    runs: runs.length,
    reads,
    idleProbe,
    probeStats: stats(probes.map((p) => p.t1 - p.t0)),
    probes: probes.length,
    walMb,
    memoryNotes,
  };
}

const mark = (ok: boolean) => (ok ? '  ok' : '  OVER TARGET');

export async function benchIngest(): Promise<boolean> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-ingest-'));
  try {
    const random = new Random(SEED);
    const t = performance.now();
    const points = pointPool(random);
    console.log(
      `\ningest: ${BATCHES} batches of ${ROWS.toLocaleString('en')} CSV rows (households at points inside RW polygons), ` +
        `demo database copy, loopback; point pool ${POINT_POOL.toLocaleString('en')} drawn in ${(performance.now() - t).toFixed(0)} ms`,
    );
    let ok = true;
    if (process.env.BENCH_INGEST_HTTP !== '0') {
      const dbPath = path.join(dir, 'ingest.duckdb');
      copyFileSync(DEMO_DB_PATH, dbPath);
      const r = await benchHttp(dbPath, random, points);
      const rate = stats(r.rowsPerSecond);
      const rss = Math.max(...r.peakRssMb);
      const idle = stats(r.idle.map((s) => s.ms));
      const loaded = stats(r.loaded.map((s) => s.ms));
      const ratio = loaded.p95 / idle.p95;
      const split = (xs: Sample[], planner: boolean) =>
        stats(xs.filter((s) => s.planner === planner).map((s) => s.ms));
      const f = (x: number) => x.toFixed(1).padStart(7);
      console.log(
        `upload, end to end        median ${Math.round(rate.median).toLocaleString('en')} rows/s ` +
          `(${(stats(r.uploadMs).median / 1000).toFixed(2)} s per batch; slowest ${Math.round(Math.min(...r.rowsPerSecond)).toLocaleString('en')} rows/s)` +
          mark(rate.median >= TARGET_ROWS_PER_S),
      );
      console.log(
        `peak RSS of the server    ${rss.toFixed(0)} MB during a batch (${r.peakResettable ? 'VmHWM reset before each' : 'VmHWM since start'}; ` +
          `${r.baselineRssMb.toFixed(0)} MB resident before the batches)` +
          mark(rss <= TARGET_RSS_MB),
      );
      console.log('RW choropleth               median     p95   (public p95 / planner p95)');
      console.log(
        `  idle                    ${f(idle.median)} ${f(idle.p95)}   (${split(r.idle, false).p95.toFixed(1)} / ${split(r.idle, true).p95.toFixed(1)}) ms, ${r.idle.length} requests`,
      );
      console.log(
        `  while batches stream in ${f(loaded.median)} ${f(loaded.p95)}   (${split(r.loaded, false).p95.toFixed(1)} / ${split(r.loaded, true).p95.toFixed(1)}) ms, ${r.loaded.length} requests ` +
          `during ${STREAMED_BATCHES} batches (${Math.round(stats(r.streamedRowsPerSecond).median).toLocaleString('en')} rows/s)`,
      );
      console.log(`  p95 ratio ${ratio.toFixed(2)}×${mark(ratio <= TARGET_LATENCY_RATIO)}`);
      console.log(
        `targets: ≥ ${TARGET_ROWS_PER_S.toLocaleString('en')} rows/s, peak RSS ≤ ${TARGET_RSS_MB} MB, choropleth p95 while ingesting ≤ ${TARGET_LATENCY_RATIO}× idle`,
      );
      ok =
        rate.median >= TARGET_ROWS_PER_S && rss <= TARGET_RSS_MB && ratio <= TARGET_LATENCY_RATIO;
    }
    if (process.env.BENCH_INGEST_PROFILE !== '0') {
      const p = await profile(random, points, dir);
      const total = p.rows.find((x) => x.stage === 'TOTAL')!;
      console.log(
        `\nwhere the time goes: the route's stages in this process on ${ROWS.toLocaleString('en')}-row batches, ` +
          `median of ${p.runs} (locator load ${p.locatorLoadMs.toFixed(0)} ms, once; CPU = all threads of the process)`,
      );
      console.log('     wall   share      CPU  stage');
      for (const row of p.rows) {
        if (row.stage === 'TOTAL' || row.ms < 0.5) continue;
        console.log(
          `${row.ms.toFixed(0).padStart(6)} ms ${((100 * row.ms) / total.ms).toFixed(1).padStart(5)}% ${row.cpuMs.toFixed(0).padStart(6)} ms  ${row.stage}`,
        );
      }
      console.log(
        `${total.ms.toFixed(0).padStart(6)} ms        ${total.cpuMs.toFixed(0).padStart(6)} ms  total (${Math.round(ROWS / (total.ms / 1000)).toLocaleString('en')} rows/s; ` +
          `the goal leaves ${((1000 * ROWS) / TARGET_ROWS_PER_S).toFixed(0)} ms for everything)`,
      );
      console.log(
        `memory of this process during the run before the probed one: ${p.memoryNotes.join('; ')}`,
      );
      console.log(
        `WAL after each commit: ${p.walMb.map((m) => `${m.toFixed(1)} MB`).join(', ')} (about 0 when the commit checkpointed)`,
      );
      console.log(
        `\nRW choropleths in the same process during one more batch (planner states, random windows): ` +
          `idle median ${p.idleProbe.median.toFixed(1)} ms, p95 ${p.idleProbe.p95.toFixed(1)} ms; during the batch ` +
          `median ${p.probeStats.median.toFixed(1)} ms, p95 ${p.probeStats.p95.toFixed(1)} ms (${p.probes} reads)`,
      );
      console.log('  stage wall   reads  slowest read  stage');
      for (const row of p.reads) {
        console.log(
          `${row.ms.toFixed(0).padStart(9)} ms ${String(row.reads).padStart(6)} ${row.max.toFixed(0).padStart(9)} ms   ${row.stage}`,
        );
      }
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
