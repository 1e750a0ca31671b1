/**
 * `npm run bench -- verify`: bulk verification at the 10 M scale. Each round uploads a batch of
 * 10,000 household records in kecamatan Penjaringan, then the kelurahan verifier and the province
 * verifier each verify the whole batch in one bulk action. Measured: time from sending each bulk
 * action to its answer (the answer comes after the durable commit, with rollups, reach index and
 * public figures moved), and RW choropleth latency while the actions run against idle.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createToken, type TokenSpec } from '../../api/auth/tokens';
import { openDatabase, queryRows } from '../../api/db/database';
import { migrate } from '../../api/db/migrate';
import { sql } from '../../api/db/sql';
import { Random } from '../lib/random';
import { startServerProcess } from '../lib/server-process';
import { ensureBenchDatabase } from './bench-dataset';
import { probeLoop, stats, timeGet, type Sample } from './probe';

const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 5);
const BATCH = 10_000;
const KECAMATAN = '31.72.01';
const TARGET_MS = 2_000;
const TARGET_RATIO = 2;
const PORT = 18_831;

const agent = new http.Agent({ keepAlive: true });

function send(
  base: string,
  method: string,
  url: string,
  token: string,
  body: string | null,
  type = 'application/json',
): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      base + url,
      {
        method,
        agent,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': type } : {}) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** A valid KK of kecamatan Penjaringan, distinct for every n below about 3.3 million. */
function kkOf(n: number): string {
  const serial = (n % 9999) + 1;
  const k = Math.floor(n / 9999);
  const day = (k % 28) + 1;
  const month = (Math.floor(k / 28) % 12) + 1;
  const pad = (x: number, w: number) => String(x).padStart(w, '0');
  return `${KECAMATAN.replaceAll('.', '')}${pad(day, 2)}${pad(month, 2)}21${pad(serial, 4)}`;
}

function batchCsv(round: number, rws: string[], random: Random): string {
  const lines = ['external_id,date,aid_type,quantity,recipient_type,kk,head_initials,rw_code'];
  for (let i = 0; i < BATCH; i++) {
    const date = `2021-04-${String(random.int(1, 23)).padStart(2, '0')}`;
    lines.push(
      `vb${round}-${i},${date},sembako,1,household,${kkOf(round * BATCH + i)},AB,${random.pick(rws)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Tokens for the bench, issued into the database as `npm run token` would. */
async function issueTokens(dbPath: string) {
  const db = await openDatabase(dbPath);
  try {
    await db.withConnection((conn) => migrate(conn, () => {}));
    const kelurahan = await db.withConnection((conn) =>
      queryRows<{ code: string }>(
        conn,
        sql`SELECT code FROM regions WHERE level = 'kelurahan' AND kecamatan_code = ${KECAMATAN} ORDER BY code`,
      ),
    );
    const rws = await db.withConnection((conn) =>
      queryRows<{ code: string }>(
        conn,
        sql`SELECT code FROM regions WHERE level = 'rw' AND kecamatan_code = ${KECAMATAN} ORDER BY code`,
      ),
    );
    const issue = async (spec: TokenSpec) =>
      (await db.write((tx) => createToken(tx, spec, 'bench'))).token;
    return {
      aggregator: await issue({ role: 'aggregator', org: 'act', kelurahan: [], label: 'bench' }),
      kelurahan: await issue({
        role: 'verifier_kelurahan',
        org: null,
        kelurahan: kelurahan.map((k) => k.code),
        label: 'bench',
      }),
      province: await issue({
        role: 'verifier_province',
        org: null,
        kelurahan: [],
        label: 'bench',
      }),
      planner: await issue({ role: 'planner', org: null, kelurahan: [], label: 'bench' }),
      rws: rws.map((r) => r.code),
    };
  } finally {
    await db.close();
  }
}

async function publicPackages(base: string): Promise<number> {
  const r = await new Promise<string>((resolve, reject) => {
    http
      .get(`${base}/api/summary?from=2021-04-01&to=2021-04-23&aggregator=act`, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  return (JSON.parse(r) as { packages: { total: number } }).packages.total;
}

export async function benchVerify(): Promise<boolean> {
  const source = await ensureBenchDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'peta-verify-'));
  const dbPath = path.join(dir, 'bench.duckdb');
  try {
    copyFileSync(source, dbPath);
    const tokens = await issueTokens(dbPath);
    const server = await startServerProcess({ dbPath, port: PORT, timeoutMs: 300_000 });
    try {
      const base = server.base;
      const random = new Random(4242);
      const extent = { from: '2020-04-24', to: '2021-04-23' };
      // Warm up, then idle latency.
      await probeLoop(base, random, extent, tokens.planner, () => false, 20);
      const idle = await probeLoop(base, random, extent, tokens.planner, () => false, 150);
      const actions: { kind: string; ms: number; t0: number; t1: number }[] = [];
      const during: Sample[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const up = await send(
          base,
          'POST',
          '/api/distributions',
          tokens.aggregator,
          batchCsv(round, tokens.rws, random),
          'text/csv',
        );
        if (up.status !== 201)
          throw new Error(`upload answered ${up.status}: ${up.body.slice(0, 300)}`);
        const batchId = (JSON.parse(up.body) as { batch_id: string }).batch_id;
        const before = await publicPackages(base);
        for (const [kind, token, to] of [
          ['kelurahan', tokens.kelurahan, 'verified_kelurahan'],
          ['province', tokens.province, 'verified'],
        ] as const) {
          let done = false;
          const probes = probeLoop(base, random, extent, tokens.planner, () => done);
          await timeGet(base, '/api/health', null); // let the probe loop start
          const t0 = performance.now();
          const r = await send(
            base,
            'POST',
            '/api/records/transitions',
            token,
            JSON.stringify({ batch_id: batchId, to }),
          );
          const t1 = performance.now();
          done = true;
          if (r.status !== 200)
            throw new Error(`${kind} bulk answered ${r.status}: ${r.body.slice(0, 300)}`);
          const moved = (JSON.parse(r.body) as { moved: number }).moved;
          if (moved !== BATCH) throw new Error(`${kind} bulk moved ${moved} of ${BATCH}`);
          actions.push({ kind, ms: r.ms, t0, t1 });
          during.push(...(await probes).filter((s) => s.t0 < t1 && s.t0 + s.ms > t0));
        }
        const after = await publicPackages(base);
        if (after - before !== BATCH)
          throw new Error(
            `public packages moved by ${after - before}, not ${BATCH}, after the province's bulk action`,
          );
      }
      const f = (x: number) => x.toFixed(0).padStart(6);
      const kel = stats(actions.filter((a) => a.kind === 'kelurahan').map((a) => a.ms));
      const prov = stats(actions.filter((a) => a.kind === 'province').map((a) => a.ms));
      const idleStats = stats(idle.map((s) => s.ms));
      const duringStats = stats(during.map((s) => s.ms));
      const ratio = duringStats.p95 / idleStats.p95;
      const mark = (ok: boolean) => (ok ? '  ok' : '  OVER TARGET');
      console.log(
        `\nverify: ${ROUNDS} rounds over the 10 M benchmark database; each round uploads ${BATCH.toLocaleString('en')} records, ` +
          `then the kelurahan and the province each verify the whole batch in one bulk action`,
      );
      console.log('bulk action, to the answer (durable, figures moved)   median    max');
      console.log(
        `  kelurahan check (submitted → verified_kelurahan)   ${f(kel.median)} ${f(Math.max(...actions.filter((a) => a.kind === 'kelurahan').map((a) => a.ms)))} ms${mark(kel.median <= TARGET_MS)}`,
      );
      console.log(
        `  province check (→ verified, public figures move)   ${f(prov.median)} ${f(Math.max(...actions.filter((a) => a.kind === 'province').map((a) => a.ms)))} ms${mark(prov.median <= TARGET_MS)}`,
      );
      console.log(
        `RW choropleth p95: idle ${idleStats.p95.toFixed(1)} ms (median ${idleStats.median.toFixed(1)}, ${idle.length} requests); ` +
          `during the bulk actions ${duringStats.p95.toFixed(1)} ms (median ${duringStats.median.toFixed(1)}, ${during.length} requests); ratio ${ratio.toFixed(2)}×${mark(ratio <= TARGET_RATIO)}`,
      );
      console.log(
        `targets: a 10,000-record bulk action ≤ ${TARGET_MS} ms; choropleth p95 during it ≤ ${TARGET_RATIO}× idle`,
      );
      return prov.median <= TARGET_MS && kel.median <= TARGET_MS && ratio <= TARGET_RATIO;
    } finally {
      server.stop();
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
