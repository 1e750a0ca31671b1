import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type TokenSpec } from '../auth/tokens';
import { sql } from '../db/sql';
import { getJson, openFixtureApp, type TestApp } from '../test-support';

// GET /api/batches and /api/batches/:id (DESIGN section 8): an aggregator sees its own
// organisation's batches (another's is simply not found), planners and admins see all.

interface Batch {
  batch_id: string;
  aggregator: string;
  source: 'seed' | 'upload';
  received_at: string;
  submitted_by: string;
  rows: number;
  accepted: number;
  already_received: number;
  by_status: Record<string, number>;
  packages: Record<string, number>;
  rws: number;
  kelurahan: number;
  rw_codes?: string[];
}

let env: TestApp;
const tokens = { act: '', actColleague: '', baznas: '', planner: '', admin: '', verifier: '' };
/** Batch ids of the uploads made in beforeAll. */
const ids = { act: '', baznas: '' };
let uploadWindow: { from: number; to: number };

/** Issues a token as the token command does: only its digest is stored. */
async function issue(spec: TokenSpec): Promise<string> {
  const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
  return token;
}

async function upload(token: string, body: string): Promise<string> {
  const res = await env.app.request('/api/distributions', {
    method: 'POST',
    body,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' },
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { batch_id: string }).batch_id;
}

const HEADER =
  'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,institution_id,rw_code,lon,lat';

beforeAll(async () => {
  env = await openFixtureApp();
  tokens.act = await issue({
    role: 'aggregator',
    org: 'act',
    kelurahan: [],
    label: 'ACT uploader',
  });
  tokens.actColleague = await issue({
    role: 'aggregator',
    org: 'act',
    kelurahan: [],
    label: 'ACT second desk',
  });
  tokens.baznas = await issue({
    role: 'aggregator',
    org: 'baznas',
    kelurahan: [],
    label: 'BAZNAS uploader',
  });
  tokens.planner = await issue({ role: 'planner', org: null, kelurahan: [], label: 'Planner' });
  tokens.admin = await issue({ role: 'admin', org: null, kelurahan: [], label: 'Admin' });
  tokens.verifier = await issue({
    role: 'verifier_province',
    org: null,
    kelurahan: [],
    label: 'Province verifier',
  });
  await env.auth.reloadTokens();

  const from = Date.now();
  ids.act = await upload(
    tokens.act,
    [
      HEADER,
      'B-ACT-1,2020-05-02,sembako,2,household,3171011503150901,AS,,31.71.01.1001.001,,',
      'B-ACT-2,2020-05-03,siap_saji,3,household,3171011503150902,BW,,31.71.01.1001.002,,',
      // By point only: Penjaringan RW 001's label point.
      'B-ACT-3,2020-05-04,lebaran,10,community,,,,,106.806221,-6.127118',
      'B-ACT-4,2020-05-05,thr,1,orphanage,,,1,31.71.01.1001.002,,',
    ].join('\n'),
  );
  ids.baznas = await upload(
    tokens.baznas,
    [HEADER, 'B-BAZ-1,2020-05-06,sembako,5,community,,,,31.71.01.1002.001,,'].join('\n'),
  );
  uploadWindow = { from, to: Date.now() };
});
afterAll(() => env.close());

const as = (token: string | null) =>
  token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;

async function list(token: string, query = '') {
  const r = await getJson<{ rows: Batch[] }>(env.app, `/api/batches${query}`, as(token));
  expect(r.status).toBe(200);
  return r.body.rows;
}

describe('GET /api/batches', () => {
  it("lists an aggregator's own organisation's batches only", async () => {
    const act = await list(tokens.act);
    expect(act.map((b) => b.batch_id)).toContain(ids.act);
    expect(act.map((b) => b.batch_id)).not.toContain(ids.baznas);
    expect(new Set(act.map((b) => b.aggregator))).toEqual(new Set(['act']));
    // The seed's batches of that organisation are its own too.
    expect(act.some((b) => b.source === 'seed')).toBe(true);

    const colleague = await list(tokens.actColleague);
    expect(colleague.map((b) => b.batch_id).sort()).toEqual(act.map((b) => b.batch_id).sort());

    const baznas = await list(tokens.baznas);
    expect(baznas.map((b) => b.batch_id)).toContain(ids.baznas);
    expect(baznas.map((b) => b.batch_id)).not.toContain(ids.act);
    expect(new Set(baznas.map((b) => b.aggregator))).toEqual(new Set(['baznas']));
  });

  it('lists every batch for planners and admins', async () => {
    const all = await env.db.read((r) =>
      r.rows<{ batch_id: string }>(sql`SELECT batch_id FROM batches ORDER BY batch_id`),
    );
    for (const token of [tokens.planner, tokens.admin]) {
      const rows = await list(token);
      expect(rows.map((b) => b.batch_id).sort()).toEqual(all.map((b) => b.batch_id));
      expect(new Set(rows.map((b) => b.aggregator)).size).toBeGreaterThan(2);
    }
  });

  it('filters by source', async () => {
    const uploads = await list(tokens.planner, '?source=upload');
    expect(uploads.map((b) => b.batch_id).sort()).toEqual([ids.act, ids.baznas].sort());
    const seed = await list(tokens.planner, '?source=seed');
    expect(seed.length).toBeGreaterThan(0);
    expect(seed.every((b) => b.source === 'seed')).toBe(true);
  });

  it('needs a token of an aggregator, planner or admin', async () => {
    const none = await env.app.request('/api/batches');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toEqual(
      expect.any(String),
    );
    expect((await env.app.request('/api/batches', as('pk_wrong'))).status).toBe(401);
    expect((await env.app.request('/api/batches', as(tokens.verifier))).status).toBe(403);
    expect((await env.app.request(`/api/batches/${ids.act}`, as(null))).status).toBe(401);
  });

  it('is never cached for others', async () => {
    const res = await env.app.request('/api/batches', as(tokens.act));
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  });
});

describe('GET /api/batches/:id', () => {
  it('shows counts by status, totals by aid type, RWs touched, who and when', async () => {
    const r = await getJson<Batch>(env.app, `/api/batches/${ids.act}`, as(tokens.act));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      batch_id: ids.act,
      aggregator: 'act',
      source: 'upload',
      submitted_by: 'ACT uploader',
      rows: 4,
      accepted: 4,
      already_received: 0,
      by_status: { submitted: 4, verified_kelurahan: 0, verified: 0, rejected: 0, returned: 0 },
      packages: { total: 16, sembako: 2, siap_saji: 3, lebaran: 10, thr: 1 },
      rws: 3,
      kelurahan: 2,
      rw_codes: ['31.71.01.1001.001', '31.71.01.1001.002', '31.72.01.1001.001'],
    });
    const at = Date.parse(r.body.received_at);
    expect(at).toBeGreaterThanOrEqual(uploadWindow.from - 1000);
    expect(at).toBeLessThanOrEqual(uploadWindow.to + 1000);
  });

  it('counts records by their current state', async () => {
    // The seed batch of ACT on 1 May holds one submitted, one verified and one rejected record.
    const r = await getJson<Batch>(env.app, '/api/batches/fixture-act-2020-05-01', as(tokens.act));
    expect(r.status).toBe(200);
    expect(r.body.by_status).toEqual({
      submitted: 1,
      verified_kelurahan: 0,
      verified: 1,
      rejected: 1,
      returned: 0,
    });
    expect(r.body.packages).toEqual({ total: 3, sembako: 3, siap_saji: 0, lebaran: 0, thr: 0 });
    expect(r.body.rw_codes).toEqual(['31.71.01.1001.001', '31.71.01.1001.002']);
  });

  it("answers 404, not 403, for another organisation's batch", async () => {
    for (const [token, id] of [
      [tokens.baznas, ids.act],
      [tokens.act, ids.baznas],
      [tokens.act, 'fixture-baznas-2020-04-25'],
    ] as const) {
      const r = await getJson<{ error: { code: string } }>(
        env.app,
        `/api/batches/${id}`,
        as(token),
      );
      expect(r.status, id).toBe(404);
      expect(r.body.error.code).toEqual(expect.any(String));
    }
    // Same answer as for an id that does not exist at all.
    const unknown = await getJson<{ error: { code: string } }>(
      env.app,
      '/api/batches/b_doesnotexist',
      as(tokens.baznas),
    );
    const foreign = await getJson<{ error: { code: string } }>(
      env.app,
      `/api/batches/${ids.act}`,
      as(tokens.baznas),
    );
    expect(foreign).toEqual(unknown);
  });

  it("shows a colleague's batch of the same organisation, and any batch to planners and admins", async () => {
    expect((await env.app.request(`/api/batches/${ids.act}`, as(tokens.actColleague))).status).toBe(
      200,
    );
    for (const token of [tokens.planner, tokens.admin]) {
      for (const id of [ids.act, ids.baznas]) {
        const r = await getJson<Batch>(env.app, `/api/batches/${id}`, as(token));
        expect(r.status, id).toBe(200);
        expect(r.body.batch_id).toBe(id);
      }
      expect((await env.app.request('/api/batches/b_doesnotexist', as(token))).status).toBe(404);
    }
    const baznas = await getJson<Batch>(env.app, `/api/batches/${ids.baznas}`, as(tokens.planner));
    expect(baznas.body).toMatchObject({
      aggregator: 'baznas',
      submitted_by: 'BAZNAS uploader',
      packages: { total: 5, sembako: 5 },
      rw_codes: ['31.71.01.1002.001'],
    });
  });
});
