import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type TokenSpec } from '../auth/tokens';
import type { ResolvedFilters } from '../db/filters';
import { sql } from '../db/sql';
import { loadReachIndex } from '../reach-load';
import type { BatchRow } from '../routes/batches';
import { getJson, openFixtureApp, type TestApp } from '../test-support';
import type { RecordHistory } from './history';

// Corrections (issue "layered verification"): a record returned to its aggregator comes back as
// a re-upload of the same external_id with changed fields. It keeps its id, becomes the next
// version back in `submitted`, the replaced version is kept, and every figure follows.

const HEADER = 'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,rw_code';
const RW_A = '31.71.01.1001.001';
const RW_B = '31.71.01.1002.001';
const KK = (n: number) => `317101150315${String(6000 + n).padStart(4, '0')}`;

let env: TestApp;
const tokens: Record<string, string> = {};
let tag = 0;

async function issue(spec: TokenSpec): Promise<string> {
  const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
  return token;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function upload(lines: string[], token = tokens.act!) {
  const res = await env.app.request('/api/distributions', {
    method: 'POST',
    body: [HEADER, ...lines].join('\n') + '\n',
    headers: { ...auth(token), 'Content-Type': 'text/csv' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function move(token: string, ids: number[], to: string, reason?: string) {
  const res = await env.app.request('/api/records/transitions', {
    method: 'POST',
    body: JSON.stringify({ ids, to, ...(reason ? { reason } : {}) }),
    headers: { ...auth(token), 'Content-Type': 'application/json' },
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

interface Stored {
  id: number;
  version: number;
  status: string;
  quantity: number;
  batch_id: string;
  rw_code: string;
  household_id: number;
  status_reason: string | null;
}

async function record(externalId: string): Promise<Stored> {
  const r = await env.db.read((db) =>
    db.one<Stored>(sql`SELECT id::DOUBLE AS id, version, status::VARCHAR AS status, quantity,
                              batch_id, rw_code, household_id, status_reason
                       FROM distributions WHERE external_id = ${externalId}`),
  );
  return { ...r, id: Number(r.id) };
}

async function count(q: ReturnType<typeof sql>): Promise<number> {
  return Number((await env.db.read((db) => db.one<{ n: number }>(q))).n);
}

/** Rollups and the reach index equal a recomputation from the raw records. */
async function expectFiguresFollow(): Promise<void> {
  const diff = await count(sql`
    WITH fresh AS (
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type, recipient_type, status,
             sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
      FROM distributions GROUP BY ALL
    ), kept AS (
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aggregator, aid_type, recipient_type, status,
             packages, records FROM rollup_rw_day
    )
    SELECT ((SELECT count(*) FROM (FROM fresh EXCEPT FROM kept)) + (SELECT count(*) FROM (FROM kept EXCEPT FROM fresh)))::DOUBLE AS n`);
  expect(diff, 'rollup rows differing from a recomputation').toBe(0);
  const state = env.holder.current;
  const rebuilt = await env.db.read((db) => loadReachIndex(db, state.ctx.units));
  for (const statuses of [['submitted'], ['returned'], ['submitted', 'returned', 'verified']]) {
    const f: ResolvedFilters = {
      from: '2020-04-01',
      to: '2020-07-31',
      aidTypes: [],
      aggregators: [],
      recipientTypes: [],
      area: null,
      statuses: statuses as ResolvedFilters['statuses'],
    };
    expect(state.reach.reach(f, null).total, statuses.join()).toBe(rebuilt.reach(f, null).total);
    expect([...state.reach.reach(f, null).perUnit]).toEqual([...rebuilt.reach(f, null).perUnit]);
  }
}

/** Uploads records and has the kelurahan verifier return the first one. */
async function returnedRecord(n = 3) {
  tag++;
  const ids = Array.from({ length: n }, (_, i) => `c${tag}-${i}`);
  const lines = ids.map(
    (e, i) => `${e},2020-05-1${i},sembako,2,household,${KK(tag * 10 + i)},AB,${RW_A}`,
  );
  const first = await upload(lines);
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  const before = await record(ids[0]!);
  await move(tokens.kelurahan!, [before.id], 'returned', 'wrong_quantity');
  return { ids, lines, before, firstBatch: String(first.body.batch_id) };
}

beforeAll(async () => {
  env = await openFixtureApp();
  tokens.act = await issue({ role: 'aggregator', org: 'act', kelurahan: [], label: 'act' });
  tokens.kelurahan = await issue({
    role: 'verifier_kelurahan',
    org: null,
    kelurahan: ['31.71.01.1001', '31.71.01.1002'],
    label: 'kelurahan',
  });
  await env.auth.reloadTokens();
});
afterAll(() => env?.close());

describe('a returned record corrected by re-upload', () => {
  it('keeps its id, becomes version 2 in submitted, and keeps version 1 as it was', async () => {
    const { ids, lines, before, firstBatch } = await returnedRecord();
    expect((await record(ids[0]!)).status).toBe('returned');
    const corrected = `${ids[0]},2020-05-10,sembako,5,household,${KK(tag * 10)},AB,${RW_A}`;
    const fresh = `c${tag}-new,2020-05-12,thr,1,household,${KK(tag * 10 + 9)},CD,${RW_B}`;
    // One corrected record, one re-sent unchanged, one new.
    const res = await upload([corrected, lines[1]!, fresh]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ accepted: 2, corrected: 1, already_received: 1, rows: 3 });
    expect((res.body.packages as Record<string, number>).total).toBe(6);

    const after = await record(ids[0]!);
    expect(after).toMatchObject({
      id: before.id,
      version: 2,
      status: 'submitted',
      quantity: 5,
      batch_id: res.body.batch_id,
      household_id: before.household_id,
      status_reason: null,
    });
    const old = await env.db.read((db) =>
      db.rows<{
        version: number;
        status: string;
        quantity: number;
        batch_id: string;
        status_reason: string;
      }>(
        sql`SELECT version, status::VARCHAR AS status, quantity, batch_id, status_reason
            FROM record_versions WHERE id = ${before.id}`,
      ),
    );
    expect(old).toEqual([
      {
        version: 1,
        status: 'returned',
        quantity: 2,
        batch_id: firstBatch,
        status_reason: 'wrong_quantity',
      },
    ]);
    await expectFiguresFollow();
  });

  it('shows both versions and the correction in the history and in the batch', async () => {
    const { ids, before } = await returnedRecord();
    const res = await upload([
      `${ids[0]},2020-05-10,sembako,4,household,${KK(tag * 10)},AB,${RW_A}`,
    ]);
    expect(res.status).toBe(201);
    const history = await getJson<RecordHistory>(env.app, `/api/records/${before.id}/history`, {
      headers: auth(tokens.kelurahan!),
    });
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v) => [v.version, v.status, v.quantity])).toEqual([
      [1, 'returned', 2],
      [2, 'submitted', 4],
    ]);
    expect(history.body.versions[0]!.replaced_at).not.toBeNull();
    const actions = history.body.events.map((e) => [e.action, e.from, e.to, e.version]);
    expect(actions).toContainEqual(['record.transition', 'submitted', 'returned', 1]);
    expect(actions).toContainEqual(['record.corrected', 'returned', 'submitted', 2]);
    expect(JSON.stringify(history.body)).not.toContain(KK(tag * 10));

    const batch = await getJson<BatchRow>(env.app, `/api/batches/${String(res.body.batch_id)}`, {
      headers: auth(tokens.act!),
    });
    expect(batch.body).toMatchObject({ accepted: 1, corrected: 1, rows: 1 });
    expect(batch.body.by_status.submitted).toBe(1);
  });

  it('goes through both checks again as version 2, and a re-send of it is already received', async () => {
    const { ids, before } = await returnedRecord();
    const line = `${ids[0]},2020-05-10,sembako,3,household,${KK(tag * 10)},AB,${RW_A}`;
    expect((await upload([line])).status).toBe(201);
    const again = await upload([line]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, already_received: 1, corrected: 0 });
    await move(tokens.kelurahan!, [before.id], 'verified_kelurahan');
    const audit = await env.db.read((db) =>
      db.one<{
        version: number;
      }>(sql`SELECT (details->>'version')::INTEGER AS version FROM audit_log
        WHERE record_id = ${before.id} AND to_status = 'verified_kelurahan'`),
    );
    expect(audit.version).toBe(2);
    await expectFiguresFollow();
  });

  it('may move the record to another household and RW; the reach index follows', async () => {
    const { ids, before } = await returnedRecord();
    const res = await upload([
      `${ids[0]},2020-05-14,lebaran,1,household,${KK(900 + tag)},XY,${RW_B}`,
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const after = await record(ids[0]!);
    expect(after.rw_code).toBe(RW_B);
    expect(after.household_id).not.toBe(before.household_id);
    await expectFiguresFollow();
  });

  it('refuses changed content for a record that was not returned, naming its state; nothing is stored', async () => {
    const { ids } = await returnedRecord();
    const submitted = await record(ids[1]!);
    const rowsBefore = await count(sql`SELECT count(*)::DOUBLE AS n FROM distributions`);
    const res = await upload([
      `c${tag}-other,2020-05-10,sembako,1,household,${KK(tag * 10 + 8)},AB,${RW_A}`,
      `${ids[1]},2020-05-11,sembako,7,household,${KK(tag * 10 + 1)},AB,${RW_A}`,
    ]);
    expect(res.status).toBe(422);
    const errors = (res.body.error as { details: { rows: Record<string, unknown>[] } }).details
      .rows;
    expect(errors).toEqual([
      expect.objectContaining({ row: 3, column: 'external_id', code: 'external_id_changed' }),
    ]);
    expect(String(errors[0]!.message)).toContain('submitted');
    expect(await count(sql`SELECT count(*)::DOUBLE AS n FROM distributions`)).toBe(rowsBefore);
    expect(await record(ids[1]!)).toEqual(submitted);
  });
});
