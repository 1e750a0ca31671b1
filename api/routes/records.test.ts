import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { getJson, openWritableDemoApp, type TestApp } from '../test-support';
import type { AggregatorQueue, OverlapRow, RecordHistory, RecordRow } from './records';

// Verification (DESIGN section 8, issue "layered verification"): who may see and move which
// record, all-or-nothing moves, concurrent verifiers, the audit trail, duplicate flags, and the
// public figures moving only when a record becomes verified.

let env: TestApp;

const PENJARINGAN_RW = '31.72.01.1001.001'; // in the demo kelurahan verifier's kecamatan
const GAMBIR_RW = '31.71.01.1001.001'; // outside it
const HEADER = 'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,rw_code';

let serial = 0;
/** A valid KK of kecamatan Penjaringan (31.72.01) with a fresh serial. */
function freshKk(): string {
  serial++;
  return `317201150315${String(8000 + serial).padStart(4, '0')}`;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function upload(token: string, lines: string[]): Promise<string> {
  const res = await env.app.request('/api/distributions', {
    method: 'POST',
    body: [HEADER, ...lines].join('\n') + '\n',
    headers: { ...auth(token), 'Content-Type': 'text/csv' },
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { batch_id: string }).batch_id;
}

async function recordsOf(token: string, query: string) {
  const r = await getJson<{ rows: RecordRow[]; total: number }>(env.app, `/api/records?${query}`, {
    headers: auth(token),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

function move(token: string, body: unknown) {
  return getJson<{ moved?: number; ids?: number[]; error?: { code: string; details: unknown } }>(
    env.app,
    '/api/records/transitions',
    {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { ...auth(token), 'Content-Type': 'application/json' },
    },
  );
}

async function statusOf(id: number): Promise<string> {
  const r = await env.db.read((db) =>
    db.one<{ s: string }>(sql`SELECT status::VARCHAR AS s FROM distributions WHERE id = ${id}`),
  );
  return r.s;
}

async function publicPackages(query: string): Promise<number> {
  const r = await getJson<{ packages: { total: number } }>(env.app, `/api/summary?${query}`);
  return r.body.packages.total;
}

/** Uploads one household record per line spec and returns the records' ids in order. */
async function uploaded(
  token: string,
  specs: { rw?: string; date?: string; aid?: string; kk?: string; qty?: number }[],
) {
  const tag = `v${Date.now().toString(36)}${serial}`;
  const lines = specs.map(
    (s, i) =>
      `${tag}-${i},${s.date ?? '2020-05-10'},${s.aid ?? 'sembako'},${s.qty ?? 1},household,${s.kk ?? freshKk()},AB,${s.rw ?? PENJARINGAN_RW}`,
  );
  const batch = await upload(token, lines);
  const rows = await env.db.read((db) =>
    db.rows<{ id: number }>(
      sql`SELECT id::DOUBLE AS id FROM distributions WHERE batch_id = ${batch} ORDER BY external_id`,
    ),
  );
  return { batch, ids: rows.map((r) => Number(r.id)) };
}

beforeAll(async () => {
  env = await openWritableDemoApp();
});

afterAll(async () => {
  await env?.close();
});

describe('GET /api/records: each caller sees only its scope', () => {
  it('needs a signed-in caller', async () => {
    expect((await getJson(env.app, '/api/records')).status).toBe(401);
  });

  it("gives a kelurahan verifier its own kelurahan's submitted records, oldest first", async () => {
    const { rows, total } = await recordsOf('demo-verifier-kelurahan', 'limit=200');
    expect(total).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.kelurahan_code.startsWith('31.72.01.')).toBe(true);
      expect(r.status).toBe('submitted');
      expect(r).not.toHaveProperty('kk_hash');
    }
    const order = rows.map((r) => `${r.received_at}|${String(r.id).padStart(12, '0')}`);
    expect(order).toEqual([...order].sort());
  });

  it("gives an aggregator its own records only, and another's record id answers 404", async () => {
    const own = await recordsOf('demo-act', 'status=submitted,verified&limit=50');
    expect(own.rows.every((r) => r.aggregator === 'act')).toBe(true);
    const other = await recordsOf('demo-baznas', 'limit=1');
    const id = other.rows[0]!.id;
    expect(
      (await getJson(env.app, `/api/records/${id}`, { headers: auth('demo-act') })).status,
    ).toBe(404);
    expect(
      (await getJson(env.app, `/api/records/${id}/history`, { headers: auth('demo-act') })).status,
    ).toBe(404);
    expect(
      (await getJson(env.app, `/api/records/${id}`, { headers: auth('demo-baznas') })).status,
    ).toBe(200);
  });

  it('answers 404 to a kelurahan verifier for a record outside its kelurahan', async () => {
    const { ids } = await uploaded('demo-act', [{ rw: GAMBIR_RW }]);
    const r = await getJson(env.app, `/api/records/${ids[0]}`, {
      headers: auth('demo-verifier-kelurahan'),
    });
    expect(r.status).toBe(404);
    expect((await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' })).status).toBe(
      404,
    );
    expect(await statusOf(ids[0]!)).toBe('submitted');
  });

  it('rejects bad parameters with 400', async () => {
    for (const q of [
      'status=pending',
      'limit=0',
      'limit=501',
      'kelurahan=31.72',
      'from=2020-05-10&to=2020-05-01',
    ]) {
      const r = await getJson(env.app, `/api/records?${q}`, { headers: auth('demo-planner') });
      expect(r.status, q).toBe(400);
    }
  });
});

describe('POST /api/records/transitions: who may move what', () => {
  const roles = ['demo-act', 'demo-planner', 'demo-admin'];
  it.each(roles)('%s may not move records (403)', async (token) => {
    const { ids } = await uploaded('demo-act', [{}]);
    for (const to of ['verified_kelurahan', 'verified']) {
      const r = await move(token, { ids, to });
      expect(r.status).toBe(403);
    }
    expect(await statusOf(ids[0]!)).toBe('submitted');
  });

  it('keeps each verifier to its layer', async () => {
    const { ids } = await uploaded('demo-act', [{}]);
    // The kelurahan verifier never gives the final verification.
    expect((await move('demo-verifier-kelurahan', { ids, to: 'verified' })).status).toBe(403);
    // The province acting before the kelurahan: the state does not allow it yet.
    const early = await move('demo-verifier-province', { ids, to: 'verified' });
    expect(early.status).toBe(409);
    expect(early.body.error!.details).toMatchObject({
      records: [{ id: ids[0], status: 'submitted' }],
    });
    expect(
      (await move('demo-verifier-province', { ids, to: 'rejected', reason: 'duplicate' })).status,
    ).toBe(409);
    expect((await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' })).status).toBe(
      200,
    );
    expect((await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' })).status).toBe(
      409,
    );
    expect((await move('demo-verifier-province', { ids, to: 'verified' })).status).toBe(200);
    expect(await statusOf(ids[0]!)).toBe('verified');
    // Verified is final.
    expect(
      (await move('demo-verifier-province', { ids, to: 'returned', reason: 'incomplete' })).status,
    ).toBe(409);
  });

  it('needs a reason from the list to reject or return, and a note for "other"', async () => {
    const { ids } = await uploaded('demo-act', [{}]);
    const cases: [unknown, number][] = [
      [{ ids, to: 'rejected' }, 400],
      [{ ids, to: 'returned', reason: 'because' }, 400],
      [{ ids, to: 'returned', reason: 'other' }, 400],
      [{ ids, to: 'verified_kelurahan', reason: 'duplicate' }, 400],
      [{ ids, to: 'pending' }, 400],
      [{ ids: [], to: 'verified_kelurahan' }, 400],
      [{ to: 'verified_kelurahan' }, 400],
      [{ ids, batch_id: 'b_x', to: 'verified_kelurahan' }, 400],
      [{ ids, to: 'returned', reason: 'other', note: 'x'.repeat(501) }, 400],
    ];
    for (const [body, status] of cases) {
      expect(
        (await move('demo-verifier-kelurahan', body)).status,
        JSON.stringify(body).slice(0, 80),
      ).toBe(status);
    }
    expect(await statusOf(ids[0]!)).toBe('submitted');
    const ok = await move('demo-verifier-kelurahan', {
      ids,
      to: 'returned',
      reason: 'other',
      note: 'Foto serah terima tidak terbaca',
    });
    expect(ok.status).toBe(200);
    // The aggregator sees why.
    const seen = await getJson<{ record: RecordRow }>(env.app, `/api/records/${ids[0]}`, {
      headers: auth('demo-act'),
    });
    expect(seen.body.record).toMatchObject({
      status: 'returned',
      reason: 'other',
      note: 'Foto serah terima tidak terbaca',
    });
  });

  it('moves all or none: one record in the wrong state or out of scope stops the whole request', async () => {
    const { ids } = await uploaded('demo-act', [{}, {}, {}]);
    expect(
      (await move('demo-verifier-kelurahan', { ids: [ids[0]], to: 'verified_kelurahan' })).status,
    ).toBe(200);
    const mixed = await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' });
    expect(mixed.status).toBe(409);
    expect(await statusOf(ids[1]!)).toBe('submitted');
    expect(await statusOf(ids[2]!)).toBe('submitted');
    const unknown = await move('demo-verifier-kelurahan', {
      ids: [ids[1], 999_999_999],
      to: 'verified_kelurahan',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.details).toMatchObject({ ids: [999_999_999] });
    expect(await statusOf(ids[1]!)).toBe('submitted');
  });

  it('lets two verifiers acting at once change a record exactly once', async () => {
    const { ids } = await uploaded('demo-act', [{}]);
    const [a, b] = await Promise.all([
      move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' }),
      move('demo-verifier-kelurahan', { ids, to: 'rejected', reason: 'not_eligible' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'verified_kelurahan' : 'rejected';
    expect(loser.body.error!.details).toMatchObject({ records: [{ id: ids[0], status: winner }] });
    const history = await getJson<RecordHistory>(env.app, `/api/records/${ids[0]}/history`, {
      headers: auth('demo-planner'),
    });
    expect(history.body.events.filter((e) => e.action === 'record.transition')).toHaveLength(1);
  });
});

describe('verification moves the public figures only at the final check', () => {
  it('counts a record publicly the moment the province verifies it, and audits each move', async () => {
    const date = '2020-05-12';
    const query = `from=${date}&to=${date}&aggregator=act&aid_type=lebaran`;
    const before = await publicPackages(query);
    const { ids, batch } = await uploaded('demo-act', [{ date, aid: 'lebaran', qty: 7 }]);
    expect(await publicPackages(query)).toBe(before);
    const v0 = env.holder.current.publicVersion;
    expect((await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' })).status).toBe(
      200,
    );
    expect(await publicPackages(query)).toBe(before);
    expect(env.holder.current.publicVersion).toBe(v0);
    expect((await move('demo-verifier-province', { ids, to: 'verified' })).status).toBe(200);
    expect(env.holder.current.publicVersion).not.toBe(v0);
    expect(await publicPackages(query)).toBe(before + 7);
    // The aggregator's "data per …" moves to this upload.
    const meta = await getJson<{ aggregators: { slug: string; last_verified_upload: string }[] }>(
      env.app,
      '/api/meta',
    );
    const receipt = await getJson<{ received_at: string }>(env.app, `/api/batches/${batch}`, {
      headers: auth('demo-act'),
    });
    expect(meta.body.aggregators.find((a) => a.slug === 'act')!.last_verified_upload).toBe(
      receipt.body.received_at,
    );

    const history = await getJson<RecordHistory>(env.app, `/api/records/${ids[0]}/history`, {
      headers: auth('demo-act'),
    });
    expect(history.status).toBe(200);
    expect(history.body.events.map((e) => [e.action, e.from, e.to, e.actor_role])).toEqual([
      ['batch.received', null, 'submitted', 'aggregator'],
      ['record.transition', 'submitted', 'verified_kelurahan', 'verifier_kelurahan'],
      ['record.transition', 'verified_kelurahan', 'verified', 'verifier_province'],
    ]);
    expect(history.body.events.every((e) => e.batch_id === batch && e.version === 1)).toBe(true);
    expect(JSON.stringify(history.body)).not.toMatch(/\d{16}/);
  });

  it('keeps the rollups equal to a recomputation from the records', async () => {
    const diff = await env.db.read((db) =>
      db.one<{ n: number }>(sql`
        WITH fresh AS (
          SELECT date, rw_code, kelurahan_code, aggregator, aid_type, recipient_type, status,
                 sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
          FROM distributions GROUP BY ALL
        ), kept AS (
          SELECT date, rw_code, kelurahan_code, aggregator, aid_type, recipient_type, status, packages, records
          FROM rollup_rw_day
        )
        SELECT (SELECT count(*) FROM (FROM fresh EXCEPT FROM kept))
             + (SELECT count(*) FROM (FROM kept EXCEPT FROM fresh))::DOUBLE AS n`),
    );
    expect(Number(diff.n)).toBe(0);
  });
});

describe('bulk verification and duplicate flags', () => {
  it('flags a household served the same aid by two aggregators within the window, in both queues', async () => {
    const kk = freshKk();
    const a = await uploaded('demo-act', [{ kk, date: '2020-05-14', aid: 'siap_saji' }, {}]);
    const b = await uploaded('demo-baznas', [{ kk, date: '2020-05-20', aid: 'siap_saji' }]);
    const far = await uploaded('demo-pmi', [{ kk, date: '2020-06-20', aid: 'siap_saji' }]);
    const other = await uploaded('demo-dompet-dhuafa', [{ kk, date: '2020-05-15', aid: 'thr' }]);

    const flagged = await recordsOf(
      'demo-verifier-kelurahan',
      'flag=possible_duplicate&from=2020-05-14&to=2020-06-30&limit=500',
    );
    const flaggedIds = new Set(flagged.rows.map((r) => r.id));
    expect(flaggedIds.has(a.ids[0]!)).toBe(true);
    expect(flaggedIds.has(b.ids[0]!)).toBe(true);
    expect(flaggedIds.has(far.ids[0]!)).toBe(false); // 31 days later
    expect(flaggedIds.has(other.ids[0]!)).toBe(false); // another aid type
    expect(flagged.rows.every((r) => r.flags.includes('possible_duplicate'))).toBe(true);

    const view = await getJson<{ duplicates: { id: number; aggregator: string }[] }>(
      env.app,
      `/api/records/${a.ids[0]}`,
      { headers: auth('demo-verifier-kelurahan') },
    );
    expect(view.body.duplicates.map((d) => [d.id, d.aggregator])).toEqual([[b.ids[0], 'baznas']]);

    // "Verify all clean records of the batch" leaves the flagged one for a decision.
    const bulk = await move('demo-verifier-kelurahan', {
      batch_id: a.batch,
      to: 'verified_kelurahan',
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.ids).toEqual([a.ids[1]]);
    expect(await statusOf(a.ids[0]!)).toBe('submitted');

    // Rejecting one as the duplicate clears the flag on the other.
    expect(
      (
        await move('demo-verifier-kelurahan', {
          ids: [b.ids[0]],
          to: 'rejected',
          reason: 'duplicate',
        })
      ).status,
    ).toBe(200);
    const after = await getJson<{ record: RecordRow }>(env.app, `/api/records/${a.ids[0]}`, {
      headers: auth('demo-verifier-kelurahan'),
    });
    expect(after.body.record.flags).toEqual([]);
  });

  it('verifies every clean record of a kelurahan-day in one move', async () => {
    const date = '2020-05-16';
    const { ids } = await uploaded('demo-human-initiative', [
      { date },
      { date },
      { date, rw: GAMBIR_RW },
    ]);
    const r = await move('demo-verifier-kelurahan', {
      kelurahan: PENJARINGAN_RW.slice(0, 13),
      date,
      to: 'verified_kelurahan',
    });
    expect(r.status).toBe(200);
    expect(r.body.ids).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    expect(r.body.ids).not.toContain(ids[2]);
    const audit = await env.db.read((db) =>
      db.one<{ n: number }>(
        sql`SELECT count(*)::DOUBLE AS n FROM audit_log WHERE action = 'record.transition'
            AND record_id IN (${ids[0]!}, ${ids[1]!}, ${ids[2]!})`,
      ),
    );
    expect(Number(audit.n)).toBe(2);
  });
});

describe('GET /api/audit: planners export the trail for a period', () => {
  it('streams every transition of the period as CSV, without KK numbers, to planners only', async () => {
    const { ids } = await uploaded('demo-act', [{}]);
    await move('demo-verifier-kelurahan', {
      ids,
      to: 'returned',
      reason: 'incomplete',
      note: 'RT kosong',
    });
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const url = `/api/audit?from=${today}&to=${today}`;
    expect((await env.app.request(url)).status).toBe(401);
    expect((await env.app.request(url, { headers: auth('demo-verifier-province') })).status).toBe(
      403,
    );
    const res = await env.app.request(url, { headers: auth('demo-planner') });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/text\/csv/);
    const text = await res.text();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,occurred_at,actor,actor_role,actor_org,action,batch_id,record_id,from_status,to_status,reason,note,version,kelurahan_code',
    );
    const mine = lines.find((l) => l.includes(`,${ids[0]},submitted,returned,`));
    expect(mine).toMatch(/,incomplete,RT kosong,1,31\.72\.01\.1001$/);
    expect(mine).toMatch(
      /^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00,demo-verifier-kelurahan,verifier_kelurahan,/,
    );
    expect(text).not.toMatch(/\d{16}/);
    const ids2 = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect(ids2.size).toBe(lines.length - 1);
    const json = await env.app.request(`${url}&format=json`, { headers: auth('demo-planner') });
    const entries = (await json.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { record_id: number });
    expect(entries).toHaveLength(lines.length - 1);
    const bad = await env.app.request(`/api/audit?from=2020-01-01&to=2022-01-01`, {
      headers: auth('demo-planner'),
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /api/records/stats: queues and verification time per aggregator', () => {
  it('counts what waits at each check and the median hours to final verification', async () => {
    const before = await getJson<{ aggregators: AggregatorQueue[] }>(
      env.app,
      '/api/records/stats',
      {
        headers: auth('demo-planner'),
      },
    );
    const pmi0 = before.body.aggregators.find((a) => a.aggregator === 'pmi')!;
    const { ids } = await uploaded('demo-pmi', [{}, {}, {}]);
    await move('demo-verifier-kelurahan', { ids: [ids[0], ids[1]], to: 'verified_kelurahan' });
    await move('demo-verifier-province', { ids: [ids[0]], to: 'verified' });
    const after = await getJson<{ aggregators: AggregatorQueue[] }>(env.app, '/api/records/stats', {
      headers: auth('demo-planner'),
    });
    const pmi = after.body.aggregators.find((a) => a.aggregator === 'pmi')!;
    expect(pmi.submitted - pmi0.submitted).toBe(1);
    expect(pmi.verified_kelurahan - pmi0.verified_kelurahan).toBe(1);
    expect(pmi.verified - pmi0.verified).toBe(1);
    expect(pmi.median_hours_to_verified).toBeGreaterThanOrEqual(0);
    expect(pmi.median_hours_to_verified).toBeLessThan(1);
    // A kelurahan verifier counts only its own kelurahan; aggregators see only themselves.
    const own = await getJson<{ aggregators: AggregatorQueue[] }>(env.app, '/api/records/stats', {
      headers: auth('demo-act'),
    });
    expect(own.body.aggregators.map((a) => a.aggregator)).toEqual(['act']);
  });
});

describe('GET /api/records/overlap: households served by more than one aggregator', () => {
  it('counts a household two aggregators served, at its home, for planners only', async () => {
    const kk = freshKk();
    const date = '2020-05-18';
    const a = await uploaded('demo-act', [{ kk, date, aid: 'thr', rw: PENJARINGAN_RW }]);
    const b = await uploaded('demo-pmi', [{ kk, date, aid: 'sembako', rw: PENJARINGAN_RW }]);
    const url = `/api/records/overlap?level=kelurahan&parent=31.72.01&from=${date}&to=${date}`;
    const overlap = async () => {
      const r = await getJson<{ rows: OverlapRow[] }>(env.app, url, {
        headers: auth('demo-planner'),
      });
      expect(r.status).toBe(200);
      return r.body.rows.find((x) => x.code === PENJARINGAN_RW.slice(0, 13));
    };
    const before = await overlap();
    for (const ids of [a.ids, b.ids]) {
      expect(
        (await move('demo-verifier-kelurahan', { ids, to: 'verified_kelurahan' })).status,
      ).toBe(200);
      expect((await move('demo-verifier-province', { ids, to: 'verified' })).status).toBe(200);
    }
    const after = await overlap();
    expect(after!.households_multi_aggregator - (before?.households_multi_aggregator ?? 0)).toBe(1);
    expect(after!.households_reached - (before?.households_reached ?? 0)).toBe(1);
    expect(after!.multi_aggregator_share).toBeCloseTo(
      after!.households_multi_aggregator / after!.households_reached,
    );
    expect((await getJson(env.app, url)).status).toBe(401);
    expect((await getJson(env.app, url, { headers: auth('demo-act') })).status).toBe(403);
  });
});
