import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type TokenSpec } from '../auth/tokens';
import type { ChoroplethRow } from '../db/choropleth';
import type { ResolvedFilters } from '../db/filters';
import { sql } from '../db/sql';
import type { Summary } from '../db/summary';
import { AGGREGATORS, AID_TYPES, RECORD_STATUSES, type AggregatorSlug } from '../domain';
import { loadReachIndex } from '../reach-load';
import { getJson, openFixtureApp, type TestApp } from '../test-support';
import { REASONS, TARGETS } from './rules';

// Any sequence of uploads, corrections, verifications, rejections and returns leaves the
// rollups, the reach index and every public figure equal to a recomputation from the raw
// records, and the audit trail holds exactly one entry per record moved or corrected.

const RWS = [
  '31.71.01.1001.001',
  '31.71.01.1001.002',
  '31.71.01.1002.001',
  '31.71.02.1001.001',
  '31.72.01.1001.001',
  '31.72.01.1001.002',
];
/** Households (KK numbers) the uploads draw from, so that some are served more than once. */
const KKS = Array.from(
  { length: 10 },
  (_, i) => `317101150315${String(7000 + i).padStart(4, '0')}`,
);
const DAYS = Array.from({ length: 20 }, (_, i) =>
  new Date(Date.UTC(2020, 3, 25 + i * 2)).toISOString().slice(0, 10),
);
const WINDOW = { from: '2020-04-01', to: '2020-07-31' };

const recordArb = fc.record({
  rw: fc.constantFrom(...RWS),
  kk: fc.constantFrom(...KKS),
  date: fc.constantFrom(...DAYS),
  aid: fc.constantFrom(...AID_TYPES),
  quantity: fc.integer({ min: 1, max: 9 }),
  community: fc.boolean(),
});

type RecordSpec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

type Command =
  | { kind: 'upload'; org: AggregatorSlug; records: RecordSpec[] }
  | {
      kind: 'move';
      actor: 'kelurahan' | 'province';
      pick: number[];
      to: (typeof TARGETS)[number];
      reason: number;
    }
  | { kind: 'bulk'; actor: 'kelurahan' | 'province'; batch: number }
  /** Re-uploads a returned record (picked among them) with changed fields. */
  | { kind: 'correct'; pick: number; change: RecordSpec };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('upload' as const),
    org: fc.constantFrom(...AGGREGATORS),
    records: fc.array(recordArb, { minLength: 1, maxLength: 5 }),
  }),
  fc.record({
    kind: fc.constant('move' as const),
    actor: fc.constantFrom('kelurahan' as const, 'province' as const),
    pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    to: fc.constantFrom(...TARGETS),
    reason: fc.nat({ max: REASONS.length - 1 }),
  }),
  fc.record({
    kind: fc.constant('bulk' as const),
    actor: fc.constantFrom('kelurahan' as const, 'province' as const),
    batch: fc.nat(),
  }),
  fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), change: recordArb }),
);

let env: TestApp;
const tokens: Record<string, string> = {};
let uploads = 0;
/** Records moved and corrected over all runs: the property must have exercised both. */
let movedTotal = 0;
let correctedTotal = 0;
/** What was sent under each external_id, and by whom. */
const sent = new Map<string, { org: AggregatorSlug; spec: RecordSpec }>();

async function issue(spec: TokenSpec): Promise<string> {
  const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
  return token;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function send(token: string, path: string, body: string, type: string) {
  const res = await env.app.request(path, {
    method: 'POST',
    body,
    headers: { ...auth(token), 'Content-Type': type },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function statuses(): Promise<Map<number, string>> {
  const rows = await env.db.read((db) =>
    db.rows<{ id: number; s: string }>(
      sql`SELECT id::DOUBLE AS id, status::VARCHAR AS s FROM distributions`,
    ),
  );
  return new Map(rows.map((r) => [Number(r.id), r.s]));
}

async function count(q: ReturnType<typeof sql>): Promise<number> {
  return Number((await env.db.read((db) => db.one<{ n: number }>(q))).n);
}

const line = (externalId: string, r: RecordSpec) =>
  `${externalId},${r.date},${r.aid},${r.quantity},${r.community ? 'community' : 'household'},` +
  `${r.community ? '' : r.kk},${r.community ? '' : 'AB'},${r.rw}`;

async function sendRecords(org: AggregatorSlug, lines: string[]) {
  return send(
    tokens[org]!,
    '/api/distributions',
    ['external_id,date,aid_type,quantity,recipient_type,kk,head_initials,rw_code', ...lines].join(
      '\n',
    ),
    'text/csv',
  );
}

/**
 * Re-uploads a returned record with changed fields. With none returned, the kelurahan verifier
 * first returns one of the submitted records in its scope (a move of its own).
 */
async function correct(cmd: Extract<Command, { kind: 'correct' }>, batches: string[]) {
  const ours = (status: string) =>
    env.db.read((db) =>
      db.rows<{ id: number; external_id: string }>(
        sql`SELECT id::DOUBLE AS id, external_id FROM distributions
            WHERE status = ${status}::record_status_t
              AND batch_id IN (SELECT batch_id FROM batches WHERE source = 'upload')
              AND kelurahan_code IN ('31.71.01.1001', '31.72.01.1001')
            ORDER BY id`,
      ),
    );
  let moved = 0;
  let returned = await ours('returned');
  if (returned.length === 0) {
    const submitted = await ours('submitted');
    const victim = submitted[cmd.pick % Math.max(submitted.length, 1)];
    if (!victim) return { moved: 0, corrected: 0 };
    const res = await send(
      tokens.kelurahan!,
      '/api/records/transitions',
      JSON.stringify({ ids: [Number(victim.id)], to: 'returned', reason: 'wrong_quantity' }),
      'application/json',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    moved = 1;
    returned = [victim];
  }
  const picked = returned[cmd.pick % returned.length]!;
  const { org, spec } = sent.get(picked.external_id)!;
  const changed = { ...cmd.change, quantity: spec.quantity + cmd.change.quantity };
  const res = await sendRecords(org, [line(picked.external_id, changed)]);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ accepted: 1, corrected: 1 });
  sent.set(picked.external_id, { org, spec: changed });
  batches.push(String(res.body.batch_id));
  return { moved, corrected: 1 };
}

/** Runs one command through the HTTP API; returns how many records it moved and corrected. */
async function run(
  cmd: Command,
  ids: number[],
  batches: string[],
): Promise<{ moved: number; corrected: number }> {
  if (cmd.kind === 'correct') return correct(cmd, batches);
  return { moved: await runMove(cmd, ids, batches), corrected: 0 };
}

async function runMove(
  cmd: Exclude<Command, { kind: 'correct' }>,
  ids: number[],
  batches: string[],
): Promise<number> {
  if (cmd.kind === 'upload') {
    uploads++;
    const lines = cmd.records.map((r, i) => {
      sent.set(`p${uploads}-${i}`, { org: cmd.org, spec: r });
      return line(`p${uploads}-${i}`, r);
    });
    const res = await sendRecords(cmd.org, lines);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    batches.push(String(res.body.batch_id));
    return 0;
  }
  const token = tokens[cmd.actor]!;
  const to =
    cmd.kind === 'move' ? cmd.to : cmd.actor === 'kelurahan' ? 'verified_kelurahan' : 'verified';
  const body =
    cmd.kind === 'move'
      ? {
          ids: [...new Set(cmd.pick.map((p) => ids[p % ids.length]!))],
          to: cmd.to,
          ...(cmd.to === 'rejected' || cmd.to === 'returned'
            ? { reason: REASONS[cmd.reason], note: 'catatan' }
            : {}),
        }
      : {
          batch_id: batches[cmd.batch % batches.length] ?? 'none',
          to,
        };
  const before = await statuses();
  const res = await send(
    token,
    '/api/records/transitions',
    JSON.stringify(body),
    'application/json',
  );
  const after = await statuses();
  if (res.status !== 200) {
    // All or none: a refused move changes nothing.
    expect([403, 404, 409], JSON.stringify(res.body)).toContain(res.status);
    expect(after).toEqual(before);
    return 0;
  }
  const moved = res.body.ids as number[];
  for (const [id, s] of after) {
    expect(s, `record ${id}`).toBe(moved.includes(id) ? to : before.get(id));
  }
  return Number(res.body.moved);
}

/** Every figure the public and planners read equals a recomputation from the raw records. */
async function checkConsistency(): Promise<void> {
  const rollupDiff = await count(sql`
    WITH fresh AS (
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type, recipient_type, status,
             sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
      FROM distributions GROUP BY ALL
    ), kept AS (
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type, recipient_type, status,
             packages, records FROM rollup_rw_day
    )
    SELECT ((SELECT count(*) FROM (FROM fresh EXCEPT FROM kept)) + (SELECT count(*) FROM (FROM kept EXCEPT FROM fresh)))::DOUBLE AS n`);
  expect(rollupDiff, 'rollup rows differing from a recomputation').toBe(0);

  const state = env.holder.current;
  const fresh = await env.db.read((db) => loadReachIndex(db, state.ctx.units));
  for (const statusSet of [
    ['verified'],
    ['submitted', 'verified_kelurahan', 'verified'],
    [...RECORD_STATUSES],
  ]) {
    const f: ResolvedFilters = {
      ...WINDOW,
      aidTypes: [],
      aggregators: [],
      recipientTypes: [],
      area: null,
      statuses: statusSet as ResolvedFilters['statuses'],
    };
    const kept = state.reach.reach(f, null);
    const rebuilt = fresh.reach(f, null);
    expect(kept.total, `reach total for ${statusSet.join(',')}`).toBe(rebuilt.total);
    expect([...kept.perUnit]).toEqual([...rebuilt.perUnit]);
  }

  const q = `from=${WINDOW.from}&to=${WINDOW.to}`;
  const summary = (await getJson<Summary>(env.app, `/api/summary?${q}`)).body;
  const truth = await env.db.read((db) =>
    db.one<{ packages: number; households: number }>(sql`
      SELECT coalesce(sum(quantity), 0)::DOUBLE AS packages, count(DISTINCT household_id)::DOUBLE AS households
      FROM distributions WHERE status = 'verified' AND date BETWEEN ${WINDOW.from}::DATE AND ${WINDOW.to}::DATE`),
  );
  expect(summary.packages.total).toBe(Number(truth.packages));
  expect(summary.households_reached).toBe(Number(truth.households));

  const rw = (await getJson<{ rows: ChoroplethRow[] }>(env.app, `/api/choropleth?level=rw&${q}`))
    .body.rows;
  const perRw = await env.db.read((db) =>
    db.rows<{ code: string; packages: number }>(sql`
      SELECT rw_code AS code, sum(quantity)::DOUBLE AS packages FROM distributions
      WHERE status = 'verified' AND rw_code IS NOT NULL AND date BETWEEN ${WINDOW.from}::DATE AND ${WINDOW.to}::DATE
      GROUP BY rw_code`),
  );
  const expected = new Map(perRw.map((r) => [r.code, Number(r.packages)]));
  for (const row of rw) expect(row.packages, row.code).toBe(expected.get(row.code) ?? 0);
}

describe('verification workflow: any sequence keeps every figure equal to a recomputation', () => {
  beforeAll(async () => {
    env = await openFixtureApp();
    for (const org of AGGREGATORS) {
      tokens[org] = await issue({ role: 'aggregator', org, kelurahan: [], label: org });
    }
    tokens.kelurahan = await issue({
      role: 'verifier_kelurahan',
      org: null,
      kelurahan: ['31.71.01.1001', '31.72.01.1001'],
      label: 'kelurahan',
    });
    tokens.province = await issue({
      role: 'verifier_province',
      org: null,
      kelurahan: [],
      label: 'province',
    });
    await env.auth.reloadTokens();
  });
  afterAll(() => env?.close());

  it('holds for random sequences of uploads, corrections and moves', async () => {
    const audited = (action: string) =>
      count(sql`SELECT count(*)::DOUBLE AS n FROM audit_log WHERE action = ${action}`);
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 3, maxLength: 14 }), async (commands) => {
        const movesBefore = await audited('record.transition');
        const correctionsBefore = await audited('record.corrected');
        const batches: string[] = [];
        let moved = 0;
        let corrected = 0;
        for (const cmd of commands) {
          const ids = [...(await statuses()).keys()].sort((a, b) => a - b);
          const n = await run(cmd, ids, batches);
          moved += n.moved;
          corrected += n.corrected;
        }
        expect((await audited('record.transition')) - movesBefore).toBe(moved);
        expect((await audited('record.corrected')) - correctionsBefore).toBe(corrected);
        movedTotal += moved;
        correctedTotal += corrected;
        await checkConsistency();
      }),
      { numRuns: 12 },
    );
    expect(movedTotal).toBeGreaterThan(10);
    expect(correctedTotal).toBeGreaterThan(0);
  });
});
