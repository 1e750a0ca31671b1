/**
 * Kill -9 harness for uploads: the real server over a small database takes batches from several
 * clients at once and is SIGKILLed at a random moment, again and again. After every restart the
 * API must show every acknowledged batch in full, no batch in part, no batch that was never sent,
 * no second copy of a re-sent one, and planner totals equal to the base plus the batches present.
 *
 *   npx tsx scripts/crash-harness.ts --kills 1000 [--db path] [--seed n] [--port n] [--keep]
 *
 * `--db` starts from a copy of that database instead of the fixture of api/fixtures; `--keep`
 * keeps the work directory (database, server log). It is kept anyway when a violation is found.
 */
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createToken, type TokenSpec } from '../api/auth/tokens';
import { openDatabase, type Database } from '../api/db/database';
import { migrate } from '../api/db/migrate';
import { sql } from '../api/db/sql';
import { AID_TYPES, type AidType } from '../api/domain';
import { jakartaToday } from '../api/schemas/filters';
import { hashKk, kkHashKey } from '../api/kk';
import { buildFixtureDatabase } from '../api/test-support';
import { Random } from './lib/random';
import { startServerProcess, type ServerProcess } from './lib/server-process';

type Packages = Record<'total' | AidType, number>;

const STATUS_LIST = 'submitted,verified,verified_kelurahan,rejected,returned';
/** Every record, whatever its state: from the first day a figure may cover to today in Jakarta. */
const summaryUrl = () => `/api/summary?status=${STATUS_LIST}&from=2020-01-01&to=${jakartaToday()}`;
const HARNESS_ORG = 'act';
/** KK numbers are drawn from a fixed pool so households repeat across batches. */
const KK_DATES = 30;
const KK_SERIALS = 3_333;
const HOT_KKS = 3_000;

export interface HarnessOptions {
  kills: number;
  /** Start from a copy of this database instead of the fixture. */
  dbPath?: string;
  /** Work directory (database copy, server log); a new temporary one by default. */
  workDir?: string;
  keep?: boolean;
  port?: number;
  seed?: number;
  /** Upload clients running at once. */
  concurrency?: number;
  smallRows?: [number, number];
  bigRows?: [number, number];
  /** Chance that a round starts a big batch. */
  bigChance?: number;
  /** Big batches sent at the latest by these rounds (1-based), whatever the dice say. */
  bigRounds?: number[];
  /** Upper end of the kill delay in rounds without a big batch, ms. */
  maxKillMs?: number;
  /** Every that many kills, every batch present is fetched by id (and at the end). */
  fullCheckEvery?: number;
  /** Wall-time budget: no new round starts after it (the final restart and checks still run). */
  minutes?: number;
  log?: (line: string) => void;
}

export interface HarnessResult {
  kills: number;
  violations: 0;
  sent: number;
  acknowledged: number;
  big: number;
  bigAcknowledged: number;
  bigPresent: number;
  inFlight: number;
  inFlightCommitted: number;
  resends: number;
  /** Kills with no upload waiting for its answer, and kills while a big one was. */
  killsIdle: number;
  killsDuringBig: number;
  present: number;
  rowsPresent: number;
  seconds: number;
  restartMs: { median: number; max: number };
  workDir: string;
}

export class Violation extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** One batch as the harness sent it (possibly several times). */
export interface SentBatch {
  seq: number;
  key: string | null;
  /** The exact body, kept while it may be sent again. */
  csv: string | null;
  rows: number;
  big: boolean;
  packages: Packages;
  /** rows and packages per type: unique among the batches of a run, so the API's list maps back. */
  signature: string;
  /** KK pool indices of the batch, until it is present (then counted in `kksPresent`). */
  kks: Uint32Array | null;
  state: 'unsent' | 'in_flight' | 'acknowledged';
  batchId: string | null;
  /** As the API lists it, once present. */
  receivedAt: string | null;
  present: boolean;
  wasInFlight: boolean;
  sends: number;
}

/** A batch as GET /api/batches lists it. */
export interface ListedBatch {
  batch_id: string;
  source: string;
  received_at: string;
  rows: number;
  accepted: number;
  already_received: number;
  by_status: Record<string, number>;
  packages: Packages;
}

export function signatureOf(rows: number, p: Packages): string {
  return `${rows}:${AID_TYPES.map((t) => p[t]).join(':')}`;
}

/**
 * Checks one listed batch against what was sent: it must map to a sent batch, under one id only,
 * and be complete. Returns the sent batch it is.
 */
export function checkListed(row: ListedBatch, bySignature: Map<string, SentBatch>): SentBatch {
  const sent = bySignature.get(signatureOf(row.rows, row.packages));
  if (!sent) {
    throw new Violation('a batch exists that was never sent (or is present in part)', { row });
  }
  if (sent.batchId !== null && sent.batchId !== row.batch_id) {
    throw new Violation(`batch #${sent.seq} is present twice (a second copy)`, {
      known: sent.batchId,
      row,
    });
  }
  checkComplete(row, sent);
  return sent;
}

export function checkComplete(row: ListedBatch, sent: SentBatch): void {
  const statusSum = Object.values(row.by_status).reduce((s, n) => s + n, 0);
  const problems: string[] = [];
  if (row.rows !== sent.rows) problems.push(`rows ${row.rows} ≠ ${sent.rows} sent`);
  if (row.accepted !== sent.rows) problems.push(`accepted ${row.accepted} ≠ ${sent.rows} sent`);
  if (statusSum !== row.accepted)
    problems.push(`records by status sum to ${statusSum}, accepted ${row.accepted}`);
  if ((row.by_status.submitted ?? 0) !== sent.rows)
    problems.push(`${row.by_status.submitted ?? 0} submitted records ≠ ${sent.rows}`);
  for (const k of ['total', ...AID_TYPES] as const) {
    if (row.packages[k] !== sent.packages[k])
      problems.push(`packages.${k} ${row.packages[k]} ≠ ${sent.packages[k]} sent`);
  }
  if (problems.length) {
    throw new Violation(`batch #${sent.seq} (${row.batch_id}) is present in part`, {
      problems,
      row,
      sent: { seq: sent.seq, rows: sent.rows, packages: sent.packages, key: sent.key },
    });
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP exchange on a per-round agent (so no socket of a killed server is ever reused). */
function exchange(
  agent: http.Agent,
  base: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Fixture {
  rws: string[];
  kecamatan6: string[];
  institutions: { id: number; type: string }[];
  /** Pool indices whose KK already belongs to a household of the base database. */
  baseKk: Set<string>;
  aggregatorToken: string;
  plannerToken: string;
}

async function issueToken(db: Database, spec: TokenSpec): Promise<string> {
  return (await db.write((tx) => createToken(tx, spec, 'crash-harness'))).token;
}

async function prepare(dbPath: string): Promise<Fixture> {
  const db = await openDatabase(dbPath);
  try {
    await db.withConnection((conn) => migrate(conn, () => {}));
    const facts = await db.read(async (r) => ({
      rws: (
        await r.rows<{ code: string }>(
          sql`SELECT code FROM regions WHERE level = 'rw' ORDER BY code`,
        )
      ).map((x) => x.code),
      kecamatan: (
        await r.rows<{ code: string }>(
          sql`SELECT code FROM regions WHERE level = 'kecamatan' ORDER BY code`,
        )
      ).map((x) => x.code),
      institutions: await r.rows<{ id: number; type: string }>(
        sql`SELECT institution_id AS id, type::VARCHAR AS type FROM institutions ORDER BY 1`,
      ),
      kk: (await r.rows<{ h: string }>(sql`SELECT kk_hash AS h FROM households`)).map((x) => x.h),
    }));
    const tokens = {
      aggregator: await issueToken(db, {
        role: 'aggregator',
        org: HARNESS_ORG,
        kelurahan: [],
        label: 'crash-harness aggregator',
      }),
      planner: await issueToken(db, {
        role: 'planner',
        org: null,
        kelurahan: [],
        label: 'crash-harness planner',
      }),
    };
    return {
      rws: facts.rws,
      kecamatan6: facts.kecamatan.map((c) => c.replaceAll('.', '')),
      institutions: facts.institutions,
      baseKk: new Set(facts.kk),
      aggregatorToken: tokens.aggregator,
      plannerToken: tokens.planner,
    };
  } finally {
    await db.close();
  }
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Makes batches: unique external ids, KKs of the database's kecamatan, unique signatures. */
class BatchMaker {
  private seq = 0;
  readonly bySignature = new Map<string, SentBatch>();
  private readonly kkState: Uint8Array;
  private readonly poolSize: number;
  private readonly day0 = Date.parse('2020-04-24T00:00:00Z');

  constructor(
    private readonly fx: Fixture,
    private readonly random: Random,
    private readonly runTag: string,
  ) {
    this.poolSize = fx.kecamatan6.length * KK_DATES * KK_SERIALS;
    this.kkState = new Uint8Array(this.poolSize);
  }

  kkOf(idx: number): string {
    const n = this.fx.kecamatan6.length;
    const kec = this.fx.kecamatan6[idx % n]!;
    const rest = Math.floor(idx / n);
    const d = rest % KK_DATES;
    const serial = Math.floor(rest / KK_DATES) + 1;
    const dd = String(1 + (d % 28)).padStart(2, '0');
    const mm = String(1 + (d % 12)).padStart(2, '0');
    const yy = String(10 + (d % 10)).padStart(2, '0');
    return `${kec}${dd}${mm}${yy}${String(serial).padStart(4, '0')}`;
  }

  /** A pool KK that no household of the base database has (so reach counts stay exact). */
  private drawKk(big: boolean): number {
    for (;;) {
      const idx = big
        ? this.random.int(0, this.poolSize - 1)
        : this.random.int(0, Math.min(HOT_KKS, this.poolSize) - 1);
      let s = this.kkState[idx]!;
      if (s === 0) {
        s = this.fx.baseKk.has(hashKk(this.kkOf(idx), kkHashKey())) ? 2 : 1;
        this.kkState[idx] = s;
      }
      if (s === 1) return idx;
    }
  }

  make(rows: number, big: boolean, withKey: boolean): SentBatch {
    const seq = ++this.seq;
    const r = this.random;
    const lines: string[][] = [];
    const kks: number[] = [];
    const packages: Packages = { total: 0, sembako: 0, siap_saji: 0, lebaran: 0, thr: 0 };
    for (let i = 0; i < rows; i++) {
      const date = new Date(this.day0 + r.int(0, 60) * 86_400_000).toISOString().slice(0, 10);
      const aid = AID_TYPES[r.weighted(AID_WEIGHTS)]!;
      const kind = r.float();
      let recipient = 'household';
      let kk = '';
      let initials = '';
      let institution = '';
      let quantity: number;
      if (kind < 0.88 || (kind >= 0.96 && this.fx.institutions.length === 0)) {
        const idx = this.drawKk(big);
        kks.push(idx);
        kk = this.kkOf(idx);
        initials = `${LETTERS[idx % 26]}${LETTERS[Math.floor(idx / 26) % 26]}`;
        quantity = r.int(1, 3);
      } else if (kind < 0.96) {
        recipient = 'community';
        quantity = r.int(1, 200);
      } else {
        const inst = r.pick(this.fx.institutions);
        recipient = inst.type;
        institution = String(inst.id);
        quantity = r.int(1, 500);
      }
      packages[aid] += quantity;
      lines.push([
        `CH${this.runTag}-${seq}-${i + 1}`,
        date,
        aid,
        String(quantity),
        recipient,
        kk,
        initials,
        institution,
        r.pick(this.fx.rws),
      ]);
    }
    // Each batch's (rows, packages per type) is unique in the run: the API's list maps back to it.
    let signature = signatureOf(rows, packages);
    while (this.bySignature.has(signature)) {
      const first = lines[0]!;
      first[3] = String(Number(first[3]) + 1);
      packages[first[2] as AidType] += 1;
      signature = signatureOf(rows, packages);
    }
    packages.total = AID_TYPES.reduce((s, t) => s + packages[t], 0);
    const csv =
      'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,institution_id,rw_code\r\n' +
      lines.map((l) => l.join(',')).join('\r\n') +
      '\r\n';
    const batch: SentBatch = {
      seq,
      key: withKey ? `ch-${this.runTag}-${seq}` : null,
      csv,
      rows,
      big,
      packages,
      signature,
      kks: Uint32Array.from(kks),
      state: 'unsent',
      batchId: null,
      receivedAt: null,
      present: false,
      wasInFlight: false,
      sends: 0,
    };
    this.bySignature.set(signature, batch);
    return batch;
  }
}

const AID_WEIGHTS = Float64Array.from([0.6, 0.85, 0.97, 1]);

interface Summary {
  packages: Packages;
  records: number;
  households_reached: number;
}

const USAGE = `npx tsx scripts/crash-harness.ts [options]
  --kills n          SIGKILLs to deliver (default 1000)
  --db path          start from a copy of this database (default: the fixture of api/fixtures)
  --seed n           seed of the batches and kill times
  --port n           port of the server
  --concurrency n    upload clients running at once
  --big-chance p     chance that a round starts a big batch (20,000–100,000 rows)
  --minutes m        start no new round after m minutes
  --keep             keep the work directory (database, server log)`;

function parseArgs(argv: string[]): HarnessOptions {
  const opts: HarnessOptions = { kills: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--kills') opts.kills = Number(value());
    else if (a === '--db') opts.dbPath = path.resolve(value());
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--port') opts.port = Number(value());
    else if (a === '--concurrency') opts.concurrency = Number(value());
    else if (a === '--big-chance') opts.bigChance = Number(value());
    else if (a === '--minutes') opts.minutes = Number(value());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.kills) || opts.kills < 1) throw new Error('--kills takes a count');
  return opts;
}

const VERBOSE = process.env.CRASH_VERBOSE === '1';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}

/** The server of a running harness, so a CLI interrupted by a signal can take it down too. */
let currentServer: ServerProcess | null = null;

export async function runCrashHarness(options: HarnessOptions): Promise<HarnessResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = new Random(seed);
  const port = options.port ?? 19_000 + Math.floor(Math.random() * 1000);
  const concurrency = options.concurrency ?? 3;
  const [smallMin, smallMax] = options.smallRows ?? [1, 200];
  const [bigMin, bigMax] = options.bigRows ?? [20_000, 100_000];
  const bigChance = options.bigChance ?? 0.12;
  const bigRounds = new Set(options.bigRounds ?? []);
  const maxKillMs = options.maxKillMs ?? 2_000;
  const fullCheckEvery = options.fullCheckEvery ?? 200;
  const workDir = options.workDir ?? mkdtempSync(path.join(tmpdir(), 'peta-crash-'));
  const started = performance.now();

  let dbPath: string;
  if (options.dbPath) {
    if (!existsSync(options.dbPath)) throw new Error(`no database at ${options.dbPath}`);
    dbPath = path.join(workDir, 'crash.duckdb');
    copyFileSync(options.dbPath, dbPath);
    if (existsSync(`${options.dbPath}.wal`)) copyFileSync(`${options.dbPath}.wal`, `${dbPath}.wal`);
  } else {
    dbPath = await buildFixtureDatabase(workDir);
  }
  const fx = await prepare(dbPath);
  const runTag = seed.toString(36);
  const maker = new BatchMaker(fx, random, runTag);
  const logPath = path.join(workDir, 'server.log');
  const logFd = openSync(logPath, 'a');
  log(
    `[crash] seed ${seed}, port ${port}, ${concurrency} clients, database ${dbPath} ` +
      `(${fx.rws.length} RWs, ${fx.kecamatan6.length} kecamatan), server log ${logPath}`,
  );

  const batches: SentBatch[] = [];
  const kksPresent = new Set<number>();
  let preexisting: Set<string> | null = null;
  let base: Summary | null = null;
  let server: ServerProcess | null = null;
  const restartMs: number[] = [];
  /** Time per row of a big batch, sent to answered: big rounds spread their kill over it. */
  let bigMsPerRow = 0.1;
  let resends = 0;
  let inFlightCommitted = 0;
  const recentlyAcked: SentBatch[] = [];
  /** Requests waiting for an answer, to tell kills between batches from kills during one. */
  let active = 0;
  let bigActive = 0;
  const stats = { killsIdle: 0, killsDuringBig: 0 };

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function getJson<T>(agent: http.Agent, base_: string, url: string): Promise<T> {
    const reply = await exchange(agent, base_, 'GET', url, auth(fx.plannerToken));
    if (reply.status !== 200) {
      throw new Violation(`GET ${url} answered ${reply.status}`, {
        body: reply.body.slice(0, 2000),
      });
    }
    return JSON.parse(reply.body) as T;
  }

  function markPresent(b: SentBatch, row: ListedBatch) {
    if (b.present) return;
    b.present = true;
    b.batchId = row.batch_id;
    b.receivedAt = row.received_at;
    if (b.kks) for (const k of b.kks) kksPresent.add(k);
    b.kks = null;
    if (b.state === 'in_flight') inFlightCommitted++;
  }

  /** Everything the API shows right after a (re)start, against what was sent and answered. */
  async function verify(agent: http.Agent, serverBase: string, round: number, full: boolean) {
    const list = await getJson<{ rows: ListedBatch[] }>(
      agent,
      serverBase,
      '/api/batches?source=upload&limit=1000',
    );
    if (preexisting === null) {
      preexisting = new Set(list.rows.map((r) => r.batch_id));
    }
    const seen = new Map<SentBatch, string>();
    for (const row of list.rows) {
      if (preexisting.has(row.batch_id)) continue;
      const sent = checkListed(row, maker.bySignature);
      if (seen.has(sent)) {
        throw new Violation(`batch #${sent.seq} is present twice (a second copy)`, {
          ids: [seen.get(sent), row.batch_id],
        });
      }
      seen.set(sent, row.batch_id);
      if (sent.state === 'unsent') {
        throw new Violation(`batch #${sent.seq} is present but was never sent`, { row });
      }
      markPresent(sent, row);
    }
    // A batch once present stays: every one as new as the oldest listed must still be listed.
    const oldest =
      list.rows.length < 1000
        ? ''
        : list.rows.reduce((m, r) => (r.received_at < m ? r.received_at : m), '~');
    for (const b of batches) {
      if (b.present && b.receivedAt! >= oldest && !seen.has(b)) {
        throw new Violation(`batch #${b.seq} (${b.batchId}) was present and is gone`, {
          received_at: b.receivedAt,
          acknowledged: b.state === 'acknowledged',
        });
      }
    }
    // Acknowledged batches: the recent ones must be in the list, all of them now and then by id.
    const toFetch = full ? batches.filter((b) => b.present) : recentlyAcked.splice(0);
    for (const b of batches) {
      if (b.state === 'acknowledged' && !b.present) {
        throw new Violation(`acknowledged batch #${b.seq} is missing`, {
          batch_id: b.batchId,
          rows: b.rows,
          key: b.key,
        });
      }
    }
    const pending = toFetch.filter((b) => !seen.has(b));
    const fetchOne = async (b: SentBatch) => {
      const reply = await exchange(
        agent,
        serverBase,
        'GET',
        `/api/batches/${b.batchId}`,
        auth(fx.plannerToken),
      );
      if (reply.status === 404) {
        throw new Violation(`batch #${b.seq} (${b.batchId}) was present and is gone`, {
          acknowledged: b.state === 'acknowledged',
        });
      }
      if (reply.status !== 200) {
        throw new Violation(`GET /api/batches/${b.batchId} answered ${reply.status}`, reply.body);
      }
      checkComplete(JSON.parse(reply.body) as ListedBatch, b);
    };
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let b = pending.pop(); b; b = pending.pop()) await fetchOne(b);
      }),
    );
    const summary = await getJson<Summary>(agent, serverBase, summaryUrl());
    if (base === null) {
      base = {
        packages: { ...summary.packages },
        records: summary.records,
        households_reached: summary.households_reached,
      };
    }
    const expected: Summary = {
      packages: { ...base.packages },
      records: base.records,
      households_reached: base.households_reached + kksPresent.size,
    };
    for (const b of batches) {
      if (!b.present) continue;
      expected.records += b.rows;
      for (const k of ['total', ...AID_TYPES] as const) expected.packages[k] += b.packages[k];
    }
    const diff: string[] = [];
    for (const k of ['total', ...AID_TYPES] as const) {
      if (summary.packages[k] !== expected.packages[k])
        diff.push(`packages.${k} ${summary.packages[k]} ≠ ${expected.packages[k]}`);
    }
    if (summary.records !== expected.records)
      diff.push(`records ${summary.records} ≠ ${expected.records}`);
    if (summary.households_reached !== expected.households_reached)
      diff.push(
        `households_reached ${summary.households_reached} ≠ ${expected.households_reached}`,
      );
    if (diff.length) {
      throw new Violation(
        `after restart ${round}, the planner summary is not base + batches present`,
        {
          diff,
        },
      );
    }
  }

  /** Sends one batch and books the answer; a connection cut by the kill leaves it in flight. */
  async function send(agent: http.Agent, serverBase: string, b: SentBatch, withKey: boolean) {
    const headers: Record<string, string> = {
      ...auth(fx.aggregatorToken),
      'Content-Type': 'text/csv',
    };
    if (withKey && b.key) headers['Idempotency-Key'] = b.key;
    b.sends++;
    if (b.state === 'unsent') b.state = 'in_flight';
    if (b.sends > 1) resends++;
    const t0 = performance.now();
    let reply: Reply;
    active++;
    if (b.big) bigActive++;
    try {
      reply = await exchange(agent, serverBase, 'POST', '/api/distributions', headers, b.csv!);
    } catch {
      if (b.state === 'in_flight') b.wasInFlight = true;
      return;
    } finally {
      active--;
      if (b.big) bigActive--;
    }
    if (b.big && reply.status === 201) {
      bigMsPerRow = 0.7 * bigMsPerRow + (0.3 * (performance.now() - t0)) / b.rows;
    }
    let body: { batch_id?: string | null; accepted?: number; already_received?: number } = {};
    try {
      body = JSON.parse(reply.body) as typeof body;
    } catch {
      // checked below
    }
    const replayed = reply.headers['idempotent-replayed'] === 'true';
    const fresh = reply.status === 201 && body.accepted === b.rows && body.already_received === 0;
    const again = reply.status === 200 && body.accepted === 0 && body.already_received === b.rows;
    if (!(fresh || again) || typeof body.batch_id !== 'string') {
      throw new Violation(`batch #${b.seq} (send ${b.sends}) answered ${reply.status}`, {
        replayed,
        key: withKey ? b.key : null,
        rows: b.rows,
        body: reply.body.slice(0, 2000),
      });
    }
    if (b.batchId !== null && b.batchId !== body.batch_id) {
      throw new Violation(`batch #${b.seq} was stored twice: ${b.batchId} and ${body.batch_id}`, {
        send: b.sends,
        status: reply.status,
        replayed,
        key: withKey ? b.key : null,
      });
    }
    b.batchId = body.batch_id;
    if (b.state !== 'acknowledged') {
      b.state = 'acknowledged';
      recentlyAcked.push(b);
    }
    if (b.big) b.csv = null;
  }

  const deadline = options.minutes ? started + options.minutes * 60_000 : Infinity;
  let kills = 0;
  let round = 0;
  try {
    for (round = 1; ; round++) {
      const t0 = performance.now();
      server = await startServerProcess({
        dbPath,
        port,
        timeoutMs: 120_000,
        stdio: ['ignore', logFd, logFd],
      });
      currentServer = server;
      restartMs.push(performance.now() - t0);
      const agent = new http.Agent({ keepAlive: true });
      const last = kills === options.kills || performance.now() > deadline;
      const t1 = performance.now();
      await verify(agent, server.base, round, last || round % fullCheckEvery === 0);
      const verifyMs = performance.now() - t1;
      if (last) {
        // A clean stop checkpoints on close: that file must show the same, too.
        server.stop();
        const exit = await server.exited;
        agent.destroy();
        if (exit.code !== 0) throw new Error(`the server stopped with ${JSON.stringify(exit)}`);
        server = await startServerProcess({ dbPath, port, stdio: ['ignore', logFd, logFd] });
        currentServer = server;
        const after = new http.Agent({ keepAlive: true });
        await verify(after, server.base, round + 1, true);
        server.stop();
        await server.exited;
        after.destroy();
        server = null;
        break;
      }

      // Work for this round: batches in flight at the last kill are re-sent first (with their key,
      // or as the same rows without it); now and then an acknowledged one is sent again.
      const queue: { b: SentBatch; withKey: boolean; twice?: boolean }[] = [];
      for (const b of batches) {
        if (b.state === 'in_flight' && b.csv && random.chance(0.7)) {
          queue.push({ b, withKey: b.key !== null && random.chance(0.8) });
        }
      }
      const ackedSmall = batches.filter((b) => b.state === 'acknowledged' && b.csv);
      if (ackedSmall.length && random.chance(0.3)) {
        queue.push({ b: random.pick(ackedSmall), withKey: random.chance(0.5) });
      }
      const bigThisRound = bigRounds.has(round) || random.chance(bigChance);
      let bigBatch: SentBatch | null = null;
      if (bigThisRound) {
        bigBatch = maker.make(random.int(bigMin, bigMax), true, random.chance(0.8));
        batches.push(bigBatch);
        queue.unshift({ b: bigBatch, withKey: true });
      }
      // Kill: usually uniform over a few ms to maxKillMs; with a big batch, over its expected
      // time too (parse, validate, commit), or right after its answer (a big WAL to replay).
      const bigRows = queue.reduce((n, j) => n + (j.b.big ? j.b.rows : 0), 0);
      const killAfterAck = bigBatch !== null && random.chance(0.25);
      const killMs = random.int(3, Math.max(maxKillMs, Math.round(bigRows * bigMsPerRow * 1.3)));
      let killed = false;
      const srv = server;
      const kill = () => {
        if (killed) return;
        killed = true;
        if (active === 0) stats.killsIdle++;
        if (bigActive > 0) stats.killsDuringBig++;
        srv.kill('SIGKILL');
      };
      const timer = setTimeout(kill, killAfterAck ? 300_000 : killMs);
      kills++;
      // Now and then a quiet round: one client pausing between batches, so kills land between them.
      const quiet = bigRows === 0 && random.chance(0.15);
      const workers = Array.from({ length: quiet ? 1 : concurrency }, async () => {
        try {
          while (!killed) {
            const job = queue.shift() ?? {
              b: (() => {
                const b = maker.make(random.int(smallMin, smallMax), false, random.chance(0.8));
                batches.push(b);
                return b;
              })(),
              withKey: true,
              twice: random.chance(0.05),
            };
            if (job.twice) {
              // The same batch twice at once: the writer queue must store it once.
              await Promise.all([
                send(agent, srv.base, job.b, true),
                send(agent, srv.base, job.b, job.b.key === null || random.chance(0.5)),
              ]);
            } else {
              await send(agent, srv.base, job.b, job.withKey);
            }
            if (killAfterAck && job.b === bigBatch) {
              await sleep(random.int(0, 30));
              kill();
            }
            if (!killed) await sleep(quiet ? random.int(100, 400) : random.int(0, 40));
          }
        } catch (err) {
          kill();
          throw err;
        }
      });
      const outcome = await Promise.allSettled(workers);
      if (timer) clearTimeout(timer);
      kill();
      await srv.exited;
      agent.destroy();
      server = null;
      const failed = outcome.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
      if (VERBOSE) {
        log(
          `[crash] round ${round}: restart ${restartMs.at(-1)!.toFixed(0)} ms, ` +
            `verify ${verifyMs.toFixed(0)} ms, kill ${killAfterAck ? 'after the big answer' : `at ${killMs} ms`}` +
            `${bigBatch ? `, big ${bigBatch.rows} rows ${bigBatch.state}` : ''}, in flight at the kill ` +
            `${batches.filter((b) => b.state === 'in_flight').length}`,
        );
      }
      // Bodies of in-flight batches are kept for re-sending; acknowledged small ones for a while.
      if (round % 25 === 0) {
        const keep = new Set(batches.filter((b) => b.state === 'acknowledged' && b.csv).slice(-50));
        for (const b of batches) if (b.state === 'acknowledged' && !keep.has(b)) b.csv = null;
      }
      if (round % 10 === 0 || kills === options.kills) {
        const acked = batches.filter((b) => b.state === 'acknowledged').length;
        const big = batches.filter((b) => b.big);
        const elapsed = (performance.now() - started) / 1000;
        log(
          `[crash] ${kills}/${options.kills} kills, ${elapsed.toFixed(0)} s: ${batches.length} batches sent, ` +
            `${acked} acknowledged, ${batches.filter((b) => b.state === 'in_flight').length} in flight, ` +
            `${inFlightCommitted} in-flight found committed, ${big.length} big (${big.filter((b) => b.present).length} present), ` +
            `restart median ${quantile(restartMs, 0.5).toFixed(0)} ms`,
        );
      }
    }
  } catch (err) {
    server?.kill('SIGKILL');
    await server?.exited;
    closeSync(logFd);
    if (err instanceof Violation) {
      (err as Violation & { context?: unknown }).context = {
        round,
        seed,
        workDir,
        dbPath,
        logPath,
      };
    }
    throw err;
  }
  closeSync(logFd);
  const big = batches.filter((b) => b.big);
  const result: HarnessResult = {
    kills,
    violations: 0,
    sent: batches.filter((b) => b.state !== 'unsent').length,
    acknowledged: batches.filter((b) => b.state === 'acknowledged').length,
    big: big.length,
    bigAcknowledged: big.filter((b) => b.state === 'acknowledged').length,
    bigPresent: big.filter((b) => b.present).length,
    inFlight: batches.filter((b) => b.wasInFlight).length,
    inFlightCommitted,
    resends,
    ...stats,
    present: batches.filter((b) => b.present).length,
    rowsPresent: batches.filter((b) => b.present).reduce((s, b) => s + b.rows, 0),
    seconds: (performance.now() - started) / 1000,
    restartMs: { median: quantile(restartMs, 0.5), max: Math.max(...restartMs) },
    workDir,
  };
  if (!options.keep && !options.workDir) rmSync(workDir, { recursive: true, force: true });
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      currentServer?.kill('SIGKILL');
      process.exit(130);
    });
  }
  try {
    const r = await runCrashHarness(options);
    console.log(
      `[crash] ${r.seconds.toFixed(0)} s; ${r.sent} batches sent, ${r.present} present ` +
        `(${r.rowsPresent.toLocaleString('en')} records), ${r.inFlight} in flight at a kill ` +
        `(${r.inFlightCommitted} had committed), ${r.resends} re-sends, ${r.bigPresent} of ${r.big} big ` +
        `batches committed, ${r.killsIdle} kills between batches, ${r.killsDuringBig} during a big one; ` +
        `restart median ${r.restartMs.median.toFixed(0)} ms, max ${r.restartMs.max.toFixed(0)} ms`,
    );
    console.log(
      `${r.kills} kills, 0 violations, ${r.acknowledged} batches acknowledged, ${r.big} big batches`,
    );
  } catch (err) {
    if (err instanceof Violation) {
      console.error(`VIOLATION: ${err.message}`);
      console.error(JSON.stringify(err.details, null, 2));
      console.error(JSON.stringify((err as Violation & { context?: unknown }).context, null, 2));
    } else {
      console.error(err);
    }
    process.exit(1);
  }
}
