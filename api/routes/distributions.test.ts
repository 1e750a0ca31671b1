import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type TokenSpec } from '../auth/tokens';
import type { ChoroplethRow } from '../db/choropleth';
import { raw, sql } from '../db/sql';
import type { Summary } from '../db/summary';
import { CHUNK_RECORDS } from '../ingest/check';
import { getJson, openFixtureApp, openWritableDemoApp, type TestApp } from '../test-support';

// Uploads of distribution records (DESIGN section 8) against a writable copy of the small
// fixture: validation, all-or-nothing, idempotency, roles, personal data, read-your-writes.

const COLUMNS = [
  'external_id',
  'date',
  'aid_type',
  'quantity',
  'recipient_type',
  'kk',
  'head_initials',
  'institution_id',
  'rw_code',
  'lon',
  'lat',
] as const;
type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, string | number>>;

/** Label points (well inside their polygons) of fixture RWs, from geojson/rw.geojson. */
const GAMBIR_RW1 = { code: '31.71.01.1001.001', lon: 106.833486, lat: -6.177463 };
const PENJARINGAN_RW1 = { code: '31.72.01.1001.001', lon: 106.806221, lat: -6.127118 };

function csv(rows: Row[], columns: readonly string[] = COLUMNS, separator = ','): string {
  const lines = [columns.join(separator)];
  for (const r of rows)
    lines.push(columns.map((c) => String(r[c as Column] ?? '')).join(separator));
  return lines.join('\n') + '\n';
}

let serial = 0;
/** A valid KK of kecamatan Gambir (31.71.01), issued 15 March 2015, with a fresh serial. */
function freshKk(): string {
  serial++;
  return `317101150315${String(serial).padStart(4, '0')}`;
}

function household(externalId: string, over: Row = {}): Row {
  return {
    external_id: externalId,
    date: '2020-05-02',
    aid_type: 'sembako',
    quantity: 1,
    recipient_type: 'household',
    kk: freshKk(),
    head_initials: 'AS',
    rw_code: GAMBIR_RW1.code,
    ...over,
  };
}

function community(externalId: string, over: Row = {}): Row {
  return {
    external_id: externalId,
    date: '2020-05-03',
    aid_type: 'siap_saji',
    quantity: 10,
    recipient_type: 'community',
    rw_code: GAMBIR_RW1.code,
    ...over,
  };
}

/** Today plus `days`, in Jakarta (UTC+7). */
function jakartaDay(days: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

interface RowProblem {
  row: number;
  column: string | null;
  code: string;
  message: string;
}
interface ErrorJson {
  error: {
    code: string;
    message: string;
    details: { rows: RowProblem[]; total: number; listed: number } | null;
  };
}
interface Receipt {
  batch_id: string | null;
  accepted: number;
  already_received: number;
}

let env: TestApp;
const tokens = {
  act: '',
  baznas: '',
  planner: '',
  verifierProvince: '',
  verifierKelurahan: '',
};

/** Issues a token as the token command does: only its digest is stored. */
async function issue(spec: TokenSpec): Promise<string> {
  const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
  return token;
}

beforeAll(async () => {
  env = await openFixtureApp();
  tokens.act = await issue({ role: 'aggregator', org: 'act', kelurahan: [], label: 'ACT test' });
  tokens.baznas = await issue({
    role: 'aggregator',
    org: 'baznas',
    kelurahan: [],
    label: 'BAZNAS test',
  });
  tokens.planner = await issue({ role: 'planner', org: null, kelurahan: [], label: 'Planner' });
  tokens.verifierProvince = await issue({
    role: 'verifier_province',
    org: null,
    kelurahan: [],
    label: 'Province verifier',
  });
  tokens.verifierKelurahan = await issue({
    role: 'verifier_kelurahan',
    org: null,
    kelurahan: ['31.71.01.1001'],
    label: 'Gambir verifier',
  });
  await env.auth.reloadTokens();
});
afterAll(() => env.close());

interface Sent {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function send(
  app: TestApp['app'],
  body: BodyInit,
  options: {
    token?: string | null;
    type?: string | null;
    headers?: Record<string, string>;
    query?: string;
    init?: Record<string, unknown>;
  } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...options.headers };
  const type = options.type === undefined ? 'text/csv' : options.type;
  if (type !== null) headers['Content-Type'] = type;
  const token = options.token === undefined ? tokens.act : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await app.request(`/api/distributions${options.query ?? ''}`, {
    method: 'POST',
    body,
    headers,
    ...options.init,
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left undefined: the assertions on the body then fail with the text in view.
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const upload = (body: BodyInit, options?: Parameters<typeof send>[2]) =>
  send(env.app, body, options);

function problems(r: Sent): RowProblem[] {
  expect(r.status, r.text).toBe(422);
  const body = r.body as ErrorJson;
  expect(body.error.code).toBe('invalid_rows');
  return body.error.details!.rows;
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await env.db.read((r) => r.rows<{ n: number }>(query));
  return Number(row!.n);
}

/** Everything an upload may touch, as plain numbers. */
async function storeSnapshot() {
  return env.db.read((r) =>
    r.one<{
      records: number;
      quantity: number;
      batches: number;
      households: number;
      rollup_rows: number;
      rollup_packages: number;
      rollup_records: number;
    }>(sql`SELECT
      (SELECT count(*) FROM distributions)::INTEGER AS records,
      (SELECT coalesce(sum(quantity), 0) FROM distributions)::DOUBLE AS quantity,
      (SELECT count(*) FROM batches)::INTEGER AS batches,
      (SELECT count(*) FROM households)::INTEGER AS households,
      (SELECT count(*) FROM rollup_rw_day)::INTEGER AS rollup_rows,
      (SELECT coalesce(sum(packages), 0) FROM rollup_rw_day)::DOUBLE AS rollup_packages,
      (SELECT coalesce(sum(records), 0) FROM rollup_rw_day)::DOUBLE AS rollup_records`),
  );
}

async function plannerSummary(app: TestApp['app'] = env.app, token = tokens.planner) {
  return getJson<Summary & { data_version: string }>(
    app,
    '/api/summary?status=submitted,verified',
    { headers: { Authorization: `Bearer ${token}` } },
  );
}

describe('POST /api/distributions: accepted batches', () => {
  it('stores a CSV batch as submitted records and answers 201 with the batch id', async () => {
    const rows = [
      household('OK-1', { quantity: 10_000, date: '2020-01-01' }),
      household('OK-2', { date: jakartaDay(0), aid_type: 'thr' }),
      {
        external_id: 'OK-3',
        date: '2020-05-05',
        aid_type: 'lebaran',
        quantity: 3,
        recipient_type: 'orphanage',
        institution_id: 1,
        rw_code: '31.71.01.1001.002',
      },
      community('OK-4'),
    ];
    const r = await upload(csv(rows));
    expect(r.status, r.text).toBe(201);
    const body = r.body as Receipt;
    expect(body).toMatchObject({ accepted: 4, already_received: 0 });
    expect(body.batch_id).toEqual(expect.any(String));
    const stored = await env.db.read((db) =>
      db.rows<{ external_id: string; status: string; batch_id: string; quantity: number }>(
        sql`SELECT external_id, status::VARCHAR AS status, batch_id, quantity
            FROM distributions WHERE external_id LIKE 'OK-%' ORDER BY external_id`,
      ),
    );
    expect(stored).toEqual([
      { external_id: 'OK-1', status: 'submitted', batch_id: body.batch_id, quantity: 10_000 },
      { external_id: 'OK-2', status: 'submitted', batch_id: body.batch_id, quantity: 1 },
      { external_id: 'OK-3', status: 'submitted', batch_id: body.batch_id, quantity: 3 },
      { external_id: 'OK-4', status: 'submitted', batch_id: body.batch_id, quantity: 10 },
    ]);
  });

  it('accepts a JSON array of the same fields, numbers as numbers', async () => {
    const items = [
      { ...household('JS-1'), quantity: 2 },
      {
        external_id: 'JS-2',
        date: '2020-05-06',
        aid_type: 'siap_saji',
        quantity: 30,
        recipient_type: 'pesantren',
        institution_id: 2,
        lon: PENJARINGAN_RW1.lon,
        lat: PENJARINGAN_RW1.lat,
      },
    ];
    const r = await upload(JSON.stringify(items), { type: 'application/json; charset=utf-8' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ accepted: 2, already_received: 0 });
  });

  it('assigns a point without rw_code to its RW and kelurahan by point-in-polygon', async () => {
    const rows: Row[] = [
      community('PT-1', { rw_code: '', lon: PENJARINGAN_RW1.lon, lat: PENJARINGAN_RW1.lat }),
      community('PT-2', { rw_code: '', lon: GAMBIR_RW1.lon, lat: GAMBIR_RW1.lat }),
    ];
    // Without an rw_code column at all: lon and lat are enough.
    const r = await upload(
      csv(rows, ['external_id', 'date', 'aid_type', 'quantity', 'recipient_type', 'lon', 'lat']),
    );
    expect(r.status, r.text).toBe(201);
    const stored = await env.db.read((db) =>
      db.rows(
        sql`SELECT external_id, rw_code, kelurahan_code, kecamatan_code, kota_code
            FROM distributions WHERE external_id LIKE 'PT-%' ORDER BY external_id`,
      ),
    );
    expect(stored).toEqual([
      {
        external_id: 'PT-1',
        rw_code: '31.72.01.1001.001',
        kelurahan_code: '31.72.01.1001',
        kecamatan_code: '31.72.01',
        kota_code: '31.72',
      },
      {
        external_id: 'PT-2',
        rw_code: '31.71.01.1001.001',
        kelurahan_code: '31.71.01.1001',
        kecamatan_code: '31.71.01',
        kota_code: '31.71',
      },
    ]);
  });

  it('accepts an rw_code together with a point inside that RW', async () => {
    const r = await upload(
      csv([
        community('BOTH-1', { rw_code: GAMBIR_RW1.code, lon: GAMBIR_RW1.lon, lat: GAMBIR_RW1.lat }),
      ]),
    );
    expect(r.status, r.text).toBe(201);
  });

  it('accepts semicolon-separated CSV with decimal commas (spreadsheets in Indonesian)', async () => {
    const text = [
      COLUMNS.join(';'),
      `SEMI-1;2020-05-07;sembako;2;community;;;;;106,833486;-6,177463`,
      `SEMI-2;2020-05-07;sembako;1;household;${freshKk()};BW;;${GAMBIR_RW1.code};;`,
    ].join('\r\n');
    const r = await upload(text);
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ accepted: 2 });
    const stored = await env.db.read((db) =>
      db.rows(
        sql`SELECT external_id, quantity, lon, lat, rw_code FROM distributions
            WHERE external_id LIKE 'SEMI-%' ORDER BY external_id`,
      ),
    );
    expect(stored).toEqual([
      {
        external_id: 'SEMI-1',
        quantity: 2,
        lon: 106.833486,
        lat: -6.177463,
        rw_code: GAMBIR_RW1.code,
      },
      { external_id: 'SEMI-2', quantity: 1, lon: null, lat: null, rw_code: GAMBIR_RW1.code },
    ]);
  });

  it('accepts a spreadsheet export with a byte-order mark and CRLF line ends', async () => {
    const text = '\ufeff' + csv([community('BOM-1')]).replace(/\n/g, '\r\n');
    const r = await upload(text, { type: 'text/csv; charset=utf-8' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ accepted: 1 });
  });
});

describe('POST /api/distributions: every rule has a failing example', () => {
  const goodA = household('GOOD-A');
  const goodB = community('GOOD-B');
  const cases: [string, Row, string | RegExp, string][] = [
    ['unknown aid type', { aid_type: 'beras' }, 'aid_type', 'unknown_aid_type'],
    [
      'unknown recipient type',
      { recipient_type: 'family', kk: '', head_initials: '' },
      'recipient_type',
      'unknown_recipient_type',
    ],
    ['date not a real day', { date: '2020-02-30' }, 'date', 'invalid_date'],
    ['date in the future', { date: jakartaDay(2) }, 'date', 'future_date'],
    ['date before 2020-01-01', { date: '2019-12-31' }, 'date', 'date_too_early'],
    ['malformed date (slashes)', { date: '2020/05/01' }, 'date', 'invalid_date'],
    ['malformed date (day first)', { date: '01-05-2020' }, 'date', 'invalid_date'],
    ['quantity 0', { quantity: '0' }, 'quantity', 'invalid_quantity'],
    ['quantity negative', { quantity: '-3' }, 'quantity', 'invalid_quantity'],
    ['quantity not whole', { quantity: '1.5' }, 'quantity', 'invalid_quantity'],
    ['quantity above 10,000', { quantity: '10001' }, 'quantity', 'invalid_quantity'],
    ['quantity not a number', { quantity: 'ten' }, 'quantity', 'invalid_quantity'],
    ['KK of 15 digits', { kk: '317101150315012' }, 'kk', 'kk_format'],
    ['KK of 17 digits', { kk: '31710115031501234' }, 'kk', 'kk_format'],
    ['KK with a letter', { kk: '317101150315012X' }, 'kk', 'kk_format'],
    ['KK outside Jakarta (Bandung)', { kk: '3273011503150123' }, 'kk', 'kk_region'],
    ['KK of an unknown kecamatan', { kk: '3199011503150123' }, 'kk', 'kk_region'],
    ['KK issued on 31 February', { kk: '3171013102150123' }, 'kk', 'kk_date'],
    ['KK issued in month 13', { kk: '3171011513150123' }, 'kk', 'kk_date'],
    ['KK serial 0000', { kk: '3171011503150000' }, 'kk', 'kk_serial'],
    ['KK missing for a household', { kk: '' }, 'kk', 'required'],
    ['initials missing for a household', { head_initials: '' }, 'head_initials', 'required'],
    [
      'KK given for a community',
      { recipient_type: 'community', head_initials: '' },
      'kk',
      'not_allowed',
    ],
    [
      'initials given for an orphanage',
      { recipient_type: 'orphanage', institution_id: 1, kk: '' },
      'head_initials',
      'not_allowed',
    ],
    ['initials with a digit', { head_initials: 'A1' }, 'head_initials', 'invalid_initials'],
    ['initials of five letters', { head_initials: 'ABCDE' }, 'head_initials', 'invalid_initials'],
    ['initials without a letter', { head_initials: '!!' }, 'head_initials', 'invalid_initials'],
    ...(['orphanage', 'pesantren', 'nursing_home', 'disability_home'] as const).map(
      (t): [string, Row, string, string] => [
        `institution_id missing for ${t}`,
        { recipient_type: t, kk: '', head_initials: '' },
        'institution_id',
        'required',
      ],
    ),
    [
      'institution_id given for a household',
      { institution_id: 1 },
      'institution_id',
      'not_allowed',
    ],
    [
      'institution_id given for a community',
      { recipient_type: 'community', kk: '', head_initials: '', institution_id: 1 },
      'institution_id',
      'not_allowed',
    ],
    [
      'unknown institution',
      { recipient_type: 'orphanage', kk: '', head_initials: '', institution_id: 999 },
      'institution_id',
      'unknown_institution',
    ],
    [
      'institution of another type (a pesantren sent as orphanage)',
      { recipient_type: 'orphanage', kk: '', head_initials: '', institution_id: 2 },
      'institution_id',
      'institution_type_mismatch',
    ],
    ['rw_code malformed', { rw_code: '31.71.01.1001.1' }, 'rw_code', 'invalid_rw_code'],
    ['rw_code without dots', { rw_code: '3171011001001' }, 'rw_code', 'invalid_rw_code'],
    ['rw_code of a kelurahan', { rw_code: '31.71.01.1001' }, 'rw_code', 'invalid_rw_code'],
    ['rw_code unknown', { rw_code: '31.71.01.1001.099' }, 'rw_code', 'unknown_rw'],
    ['no location at all', { rw_code: '' }, 'rw_code', 'missing_location'],
    ['lon without lat', { rw_code: '', lon: GAMBIR_RW1.lon }, 'lat', 'incomplete_point'],
    ['lat without lon', { rw_code: '', lat: GAMBIR_RW1.lat }, 'lon', 'incomplete_point'],
    [
      'lon not a number',
      { rw_code: '', lon: 'east', lat: GAMBIR_RW1.lat },
      'lon',
      'invalid_coordinate',
    ],
    [
      'rw_code and a point that disagree',
      { rw_code: GAMBIR_RW1.code, lon: PENJARINGAN_RW1.lon, lat: PENJARINGAN_RW1.lat },
      'rw_code',
      'location_mismatch',
    ],
    ['a point in Bogor', { rw_code: '', lon: 106.8, lat: -6.6 }, /^(lon|lat)$/, 'outside_jakarta'],
    [
      'a point in the Java Sea',
      { rw_code: '', lon: 106.9, lat: -6.0 },
      /^(lon|lat)$/,
      'outside_jakarta',
    ],
    ['external_id missing', { external_id: '' }, 'external_id', 'required'],
    ['external_id with a space', { external_id: 'A B' }, 'external_id', 'invalid_external_id'],
    [
      'external_id used twice in the batch',
      { external_id: 'GOOD-A' },
      'external_id',
      'duplicate_in_batch',
    ],
  ];

  let before: Awaited<ReturnType<typeof storeSnapshot>>;
  beforeAll(async () => {
    before = await storeSnapshot();
  });

  it.each(cases)('%s → 422 on that row and column', async (_name, over, column, code) => {
    // The bad row comes third: row 4 as a spreadsheet counts (the header is row 1).
    const bad = household('BAD-1', over);
    const r = await upload(csv([goodA, goodB, bad]));
    const rows = problems(r);
    expect(rows).toEqual([
      {
        row: 4,
        column: typeof column === 'string' ? column : expect.stringMatching(column),
        code,
        message: expect.stringMatching(/\S/),
      },
    ]);
    expect((r.body as ErrorJson).error.details).toMatchObject({ total: 1, listed: 1 });
  });

  it('numbers JSON items from 1', async () => {
    const r = await upload(JSON.stringify([goodA, goodB, household('BAD-J', { quantity: 0 })]), {
      type: 'application/json',
    });
    expect(problems(r)).toEqual([
      { row: 3, column: 'quantity', code: 'invalid_quantity', message: expect.any(String) },
    ]);
  });

  it('names unknown and missing columns on the header row', async () => {
    const unknown = await upload(csv([{ ...goodB }], [...COLUMNS, 'donor']));
    expect(problems(unknown)).toEqual([
      { row: 1, column: 'donor', code: 'unknown_column', message: expect.any(String) },
    ]);
    const missing = await upload(
      csv(
        [goodB],
        COLUMNS.filter((c) => c !== 'quantity'),
      ),
    );
    expect(problems(missing)).toContainEqual({
      row: 1,
      column: 'quantity',
      code: 'missing_column',
      message: expect.any(String),
    });
    const noLocation = await upload(
      csv([goodB], ['external_id', 'date', 'aid_type', 'quantity', 'recipient_type']),
    );
    expect(problems(noLocation).map((p) => [p.row, p.code])).toContainEqual([1, 'missing_column']);
    const json = await upload(
      JSON.stringify([goodB, { ...goodB, external_id: 'X', donor: 'PT A' }]),
      {
        type: 'application/json',
      },
    );
    expect(problems(json)).toEqual([
      { row: 2, column: 'donor', code: 'unknown_column', message: expect.any(String) },
    ]);
  });

  it('lists at most 1,000 problems and counts them all', async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) =>
      community(`CAP-${i}`, { aid_type: 'beras' }),
    );
    const r = await upload(csv(rows));
    const listed = problems(r);
    expect(listed).toHaveLength(1_000);
    expect(listed[0]).toMatchObject({ row: 2, column: 'aid_type', code: 'unknown_aid_type' });
    expect(listed.at(-1)).toMatchObject({ row: 1_001 });
    expect((r.body as ErrorJson).error.details).toMatchObject({ total: 1_500, listed: 1_000 });
  });

  it('answers in Indonesian by default and in English when asked', async () => {
    const body = csv([community('LANG-1', { aid_type: 'beras' })]);
    const id = await upload(body);
    const en = await upload(body, { query: '?lang=en' });
    const accept = await upload(body, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    const idAccept = await upload(body, { headers: { 'Accept-Language': 'id-ID,id;q=0.9' } });
    expect(problems(id)[0]!.message).toMatch(/jenis bantuan tidak dikenal/);
    expect((id.body as ErrorJson).error.message).toMatch(/baris bermasalah/);
    expect(problems(idAccept)[0]!.message).toBe(problems(id)[0]!.message);
    for (const r of [en, accept]) {
      expect(problems(r)[0]!.message).toMatch(/unknown aid type/);
      expect((r.body as ErrorJson).error.message).toMatch(/row\(s\) have problems/);
    }
  });

  it("explains an unreadable file in the caller's language too", async () => {
    const broken = `${COLUMNS.join(',')}\nBRK-1,2020-05-01,sembako,1,community,,,,"31.71.01.1001.001,,\n`;
    const id = await upload(broken);
    const en = await upload(broken, { query: '?lang=en' });
    for (const r of [id, en]) expect(r.status, r.text).toBe(422);
    const [idRow] = (id.body as ErrorJson).error.details!.rows;
    const [enRow] = (en.body as ErrorJson).error.details!.rows;
    expect(enRow).toMatchObject({ row: 2 });
    expect(enRow!.message).toMatch(/\S/);
    expect(idRow!.message, 'Indonesian by default').not.toBe(enRow!.message);
    expect((id.body as ErrorJson).error.message).not.toBe((en.body as ErrorJson).error.message);
  });

  it('counts blank lines as rows, as a spreadsheet does', async () => {
    const lines = csv([goodA, goodB, household('BLANK-1', { quantity: 0 })]).split('\n');
    // header, GOOD-A, (blank), GOOD-B, bad row: the bad row is row 5 in a spreadsheet.
    const text = [lines[0], lines[1], '', lines[2], lines[3], ''].join('\n');
    expect(problems(await upload(text))).toEqual([
      { row: 5, column: 'quantity', code: 'invalid_quantity', message: expect.any(String) },
    ]);
  });

  it('stored nothing for any of the rejected batches above', async () => {
    expect(await storeSnapshot()).toEqual(before);
  });
});

describe('POST /api/distributions: all or nothing', () => {
  it('a bad row at the end of a batch leaves no record, batch, household or rollup behind', async () => {
    const before = await storeSnapshot();
    const summaryBefore = await plannerSummary();
    const rows: Row[] = [];
    for (let i = 0; i < 300; i++) rows.push(i % 2 ? household(`END-${i}`) : community(`END-${i}`));
    rows.push(household('END-last', { date: '2020-02-30' }));
    const r = await upload(csv(rows));
    expect(problems(r)).toEqual([
      { row: 302, column: 'date', code: 'invalid_date', message: expect.any(String) },
    ]);
    expect(await storeSnapshot()).toEqual(before);
    expect(
      await count(
        sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id LIKE 'END-%'`,
      ),
    ).toBe(0);
    const summaryAfter = await plannerSummary();
    expect(summaryAfter).toEqual(summaryBefore);
  });

  it('a changed re-send at the end of a batch stores none of the new rows before it', async () => {
    const first = await upload(csv([community('TAIL-1')]));
    expect(first.status, first.text).toBe(201);
    const before = await storeSnapshot();
    const rows = Array.from({ length: 50 }, (_, i) => household(`TAIL-new-${i}`));
    rows.push(community('TAIL-1', { quantity: 11 }));
    const r = await upload(csv(rows));
    expect(problems(r)).toEqual([
      { row: 52, column: 'external_id', code: 'external_id_changed', message: expect.any(String) },
    ]);
    expect(await storeSnapshot()).toEqual(before);
  });
});

describe('POST /api/distributions: batches stored chunk by chunk while checked', () => {
  // Storing begins with the first chunk of checked rows (CHUNK_RECORDS); these batches span more.
  const MANY = CHUNK_RECORDS + 10;
  let kks = 0;
  /** KKs issued 15 March 2016, apart from freshKk's. */
  const kk = () => `317101150316${String(++kks % 10_000 || 1).padStart(4, '0')}`;
  // Households built here, not by household(): its KK serials would run out.
  const many = (prefix: string) =>
    Array.from({ length: MANY }, (_, i) =>
      i % 5 === 0
        ? community(`${prefix}-${i}`, {
            recipient_type: 'household',
            kk: kk(),
            head_initials: 'AS',
          })
        : community(`${prefix}-${i}`),
    );

  it('a bad row after the first chunk leaves nothing of the chunks before it', async () => {
    const before = await storeSnapshot();
    const rows = many('CHUNK-BAD');
    rows[MANY - 1] = community(`CHUNK-BAD-last`, { aid_type: 'beras' });
    const r = await upload(csv(rows));
    expect(problems(r)).toEqual([
      { row: MANY + 1, column: 'aid_type', code: 'unknown_aid_type', message: expect.any(String) },
    ]);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('a changed re-send in the last chunk leaves nothing of the chunks before it', async () => {
    const sent = community('CHUNK-CHG-sent');
    expect((await upload(csv([sent]))).status).toBe(201);
    const before = await storeSnapshot();
    const rows = many('CHUNK-CHG');
    rows[MANY - 1] = { ...sent, quantity: 99 };
    const r = await upload(csv(rows));
    expect(problems(r)).toEqual([
      {
        row: MANY + 1,
        column: 'external_id',
        code: 'external_id_changed',
        message: expect.any(String),
      },
    ]);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('numbers the new records of every chunk on from the last, skipping re-sent ones', async () => {
    const rows = many('CHUNK-OK');
    const first = await upload(csv(rows.slice(CHUNK_RECORDS - 5, CHUNK_RECORDS + 5)));
    expect(first.status, first.text).toBe(201);
    const r = await upload(csv(rows));
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ accepted: MANY - 10, already_received: 10 });
    const ids = await env.db.read((q) =>
      q.one<{ n: number; low: number; high: number; ordered: boolean }>(
        sql`SELECT count(*)::INTEGER AS n, min(id)::INTEGER AS low, max(id)::INTEGER AS high,
                   bool_and(id = expected)::BOOLEAN AS ordered
            FROM (SELECT id, min(id) OVER () + row_number() OVER (ORDER BY regexp_extract(external_id, '[0-9]+$')::INTEGER) - 1 AS expected
                  FROM distributions WHERE batch_id = ${(r.body as Receipt).batch_id})`,
      ),
    );
    // One id per new record, contiguous, in row order across both chunks.
    expect(ids).toMatchObject({ n: MANY - 10, ordered: true });
    expect(ids.high - ids.low + 1).toBe(MANY - 10);
    const households = await count(
      sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id LIKE 'CHUNK-OK-%'
          AND household_id IS NOT NULL`,
    );
    expect(households).toBe(rows.filter((row) => row.kk).length);
  });
});

describe('POST /api/distributions: limits and formats', () => {
  it('refuses a file of 100,001 rows with 413 JSON', async () => {
    const header = 'external_id,date,aid_type,quantity,recipient_type,rw_code\n';
    const lines: string[] = [header];
    for (let i = 0; i < 100_001; i++)
      lines.push(`R${i},2020-05-01,sembako,1,community,31.71.01.1001.001\n`);
    const r = await upload(lines.join(''));
    expect(r.status).toBe(413);
    expect(r.headers.get('Content-Type')).toMatch(/application\/json/);
    expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
  });

  it('refuses a JSON array of 100,001 items with 413 JSON', async () => {
    const item = {
      external_id: 'x',
      date: '2020-05-01',
      aid_type: 'sembako',
      quantity: 1,
      recipient_type: 'community',
      rw_code: '31.71.01.1001.001',
    };
    const items = Array.from({ length: 100_001 }, (_, i) => ({ ...item, external_id: `J${i}` }));
    const r = await upload(JSON.stringify(items), { type: 'application/json' });
    expect(r.status).toBe(413);
    expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
  });

  const MB = 1024 * 1024;
  /** A CSV body of a little more than 20 MB: a header, then padding rows. */
  function bigChunks(): Uint8Array[] {
    const row = new TextEncoder().encode(
      `${'x'.repeat(1000)},2020-05-01,sembako,1,community,31.71.01.1001.001\n`,
    );
    const chunk = new Uint8Array(MB - (MB % row.length));
    for (let o = 0; o + row.length <= chunk.length; o += row.length) chunk.set(row, o);
    const header = new TextEncoder().encode(
      'external_id,date,aid_type,quantity,recipient_type,rw_code\n',
    );
    const out = [header];
    for (let total = 0; total <= 20 * MB + MB; total += chunk.length) out.push(chunk);
    return out;
  }
  function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else controller.close();
      },
    });
  }

  it('refuses a body over 20 MB with 413 JSON (with Content-Length)', async () => {
    const chunks = bigChunks();
    const body = Buffer.concat(chunks);
    expect(body.length).toBeGreaterThan(20 * MB);
    const r = await upload(body, { headers: { 'Content-Length': String(body.length) } });
    expect(r.status).toBe(413);
    expect(r.headers.get('Content-Type')).toMatch(/application\/json/);
    expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
  });

  it('refuses a body over 20 MB sent chunked, without Content-Length', async () => {
    const r = await upload(streamOf(bigChunks()), { init: { duplex: 'half' } });
    expect(r.status).toBe(413);
    expect(r.headers.get('Content-Type')).toMatch(/application\/json/);
    expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
  });

  it('refuses a body over 20 MB whose Content-Length understates it', async () => {
    const r = await upload(streamOf(bigChunks()), {
      init: { duplex: 'half' },
      headers: { 'Content-Length': '100' },
    });
    expect(r.status).toBe(413);
    expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
  });

  it('refuses other content types with 415 and malformed JSON with 400', async () => {
    const text = csv([community('CT-1')]);
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', null]) {
      const r = await upload(text, { type });
      expect(r.status, String(type)).toBe(415);
      expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
    }
    const bad = await upload('[{"external_id": "x",', { type: 'application/json' });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorJson).error.code).toEqual(expect.any(String));
    expect(
      await count(sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id = 'CT-1'`),
    ).toBe(0);
  });
});

describe('POST /api/distributions: roles', () => {
  it('needs an aggregator token: none or a wrong one → 401, other roles → 403', async () => {
    const body = csv([community('ROLE-1')]);
    const none = await upload(body, { token: null });
    expect(none.status).toBe(401);
    expect((none.body as ErrorJson).error.code).toEqual(expect.any(String));
    const wrong = await upload(body, { token: 'pk_not-a-real-token' });
    expect(wrong.status).toBe(401);
    const malformed = await upload(body, {
      token: null,
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(malformed.status).toBe(401);
    for (const token of [tokens.planner, tokens.verifierProvince, tokens.verifierKelurahan]) {
      const r = await upload(body, { token });
      expect(r.status).toBe(403);
      expect((r.body as ErrorJson).error.code).toEqual(expect.any(String));
    }
    // Demo tokens are not valid outside the demo dataset.
    expect((await upload(body, { token: 'demo-act' })).status).toBe(401);
    expect(
      await count(
        sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id = 'ROLE-1'`,
      ),
    ).toBe(0);
  });
});

describe('POST /api/distributions: the KK number is never echoed or stored', () => {
  // Distinctive digit strings that appear nowhere else.
  const KK_STORED = '3171012704189071';
  const KK_CHANGED = '3171012704189072';
  const KK_BAD_REGION = '3273012704189073';
  const KK_NOT_ALLOWED = '3171012704189074';
  const KK_UNREADABLE = '3171012704189075';
  const ALL = [KK_STORED, KK_CHANGED, KK_BAD_REGION, KK_NOT_ALLOWED, KK_UNREADABLE];
  const noKk = (text: string) => {
    for (const kk of ALL) expect(text.includes(kk), `response contains ${kk}: ${text}`).toBe(false);
  };

  it('leaves the digits out of every answer, 422 included', async () => {
    const rejected = await upload(
      csv([
        household('KK-1', { kk: KK_STORED }),
        household('KK-2', { kk: KK_BAD_REGION }),
        community('KK-3', { kk: KK_NOT_ALLOWED }),
      ]),
    );
    expect(problems(rejected).map((p) => p.code)).toEqual(['kk_region', 'not_allowed']);
    noKk(rejected.text);
    const rejectedEn = await upload(
      csv([household('KK-1', { kk: KK_STORED }), household('KK-2', { kk: KK_BAD_REGION })]),
      { query: '?lang=en' },
    );
    expect(rejectedEn.status).toBe(422);
    noKk(rejectedEn.text);
    const unreadable = await upload(
      `${COLUMNS.join(',')}\nKK-9,2020-05-01,sembako,1,household,"${KK_UNREADABLE},AS,,31.71.01.1001.001,,\n`,
    );
    expect(unreadable.status).toBe(422);
    noKk(unreadable.text);

    const stored = await upload(csv([household('KK-1', { kk: KK_STORED })]), {
      headers: { 'Idempotency-Key': 'kk-key-1' },
    });
    expect(stored.status, stored.text).toBe(201);
    noKk(stored.text);
    const changed = await upload(csv([household('KK-1', { kk: KK_CHANGED })]));
    expect(problems(changed).map((p) => p.code)).toEqual(['external_id_changed']);
    noKk(changed.text);
    const batch = await getJson(env.app, `/api/batches/${(stored.body as Receipt).batch_id}`, {
      headers: { Authorization: `Bearer ${tokens.act}` },
    });
    expect(batch.status).toBe(200);
    noKk(JSON.stringify(batch.body));
  });

  it('keeps no plain KK in any table nor in the database files', async () => {
    const tables = await env.db.read((r) =>
      r.rows<{ name: string }>(
        sql`SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`,
      ),
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['distributions', 'households', 'audit_log', 'idempotency_keys']),
    );
    let text = '';
    for (const { name } of tables) {
      const rows = await env.db.read((r) =>
        r.rows(raw(`SELECT * FROM "${name.replace(/"/g, '""')}"`)),
      );
      text += JSON.stringify(rows);
    }
    // The scan sees what was stored: the record itself is there, by its external id.
    expect(text).toContain('KK-1');
    noKk(text);
    for (const file of [env.db.file, `${env.db.file}.wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      for (const kk of ALL) expect(bytes.includes(kk), `${file} holds ${kk}`).toBe(false);
    }
  });
});

describe('POST /api/distributions: idempotency', () => {
  it('counts a re-sent batch as already received, under the first batch id', async () => {
    const rows = [
      household('IDEM-1'),
      community('IDEM-2'),
      household('IDEM-3', { aid_type: 'lebaran' }),
    ];
    const body = csv(rows);
    const first = await upload(body);
    expect(first.status, first.text).toBe(201);
    const before = await storeSnapshot();
    const again = await upload(body);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({
      batch_id: (first.body as Receipt).batch_id,
      accepted: 0,
      already_received: 3,
    });
    expect(await storeSnapshot()).toEqual(before);
    // Also as JSON: the same records are the same whatever the format.
    const json = await upload(JSON.stringify(rows), { type: 'application/json' });
    expect(json.status, json.text).toBe(200);
    expect(json.body).toMatchObject({ accepted: 0, already_received: 3 });
    expect(await storeSnapshot()).toEqual(before);
  });

  it('stores only the new rows of a batch that repeats some', async () => {
    const a = household('MIX-1');
    const first = await upload(csv([a]));
    expect(first.status).toBe(201);
    const second = await upload(csv([a, community('MIX-2')]));
    expect(second.status, second.text).toBe(201);
    expect(second.body).toMatchObject({ accepted: 1, already_received: 1 });
    expect(
      await count(
        sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id LIKE 'MIX-%'`,
      ),
    ).toBe(2);
  });

  it('refuses the same external_id with other content (external_id_changed)', async () => {
    const row = community('CHG-1');
    expect((await upload(csv([row]))).status).toBe(201);
    const before = await storeSnapshot();
    for (const over of [
      { quantity: 11 },
      { date: '2020-05-04' },
      { aid_type: 'sembako' },
      { rw_code: '31.71.01.1001.002' },
    ]) {
      const r = await upload(csv([{ ...row, ...over }]));
      expect(problems(r), JSON.stringify(over)).toEqual([
        { row: 2, column: 'external_id', code: 'external_id_changed', message: expect.any(String) },
      ]);
    }
    expect(await storeSnapshot()).toEqual(before);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
    const body = csv([community('KEY-1'), household('KEY-2')]);
    const headers = { 'Idempotency-Key': 'batch-2020-05-01-a' };
    const first = await upload(body, { headers });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const before = await storeSnapshot();
    const replay = await upload(body, { headers });
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    const other = await upload(csv([community('KEY-3')]), { headers });
    expect(other.status).toBe(409);
    expect((other.body as ErrorJson).error.code).toEqual(expect.any(String));
    expect(await storeSnapshot()).toEqual(before);
    // Keys belong to their caller: another aggregator's identical key is a new request.
    const baznas = await upload(csv([community('KEY-1')]), { headers, token: tokens.baznas });
    expect(baznas.status, baznas.text).toBe(201);
  });

  it('stores 20 concurrent identical uploads once', async () => {
    const body = csv(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 ? household(`CONC-${i}`) : community(`CONC-${i}`),
      ),
    );
    const before = await storeSnapshot();
    const summaryBefore = (await plannerSummary()).body;
    const answers = await Promise.all(Array.from({ length: 20 }, () => upload(body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const created = answers.find((a) => a.status === 201)!.body as Receipt;
    for (const a of answers.filter((x) => x.status === 200)) {
      expect(a.body).toMatchObject({
        batch_id: created.batch_id,
        accepted: 0,
        already_received: 40,
      });
    }
    const after = await storeSnapshot();
    expect(after.records - before.records).toBe(40);
    expect(after.batches - before.batches).toBe(1);
    expect(after.rollup_records - before.rollup_records).toBe(40);
    const summaryAfter = (await plannerSummary()).body;
    expect(summaryAfter.records - summaryBefore.records).toBe(40);
    expect(summaryAfter.households_reached - summaryBefore.households_reached).toBe(20);
  });

  it('stores 20 concurrent uploads with one Idempotency-Key once and replays the rest', async () => {
    const body = csv(Array.from({ length: 10 }, (_, i) => community(`CKEY-${i}`)));
    const before = await storeSnapshot();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        upload(body, { headers: { 'Idempotency-Key': 'concurrent-key' } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(answers.filter((a) => a.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(19);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const after = await storeSnapshot();
    expect(after.records - before.records).toBe(10);
    expect(after.batches - before.batches).toBe(1);
  });

  it('lets another aggregator use the same external_id for its own record', async () => {
    const act = await upload(csv([community('SHARED-1', { quantity: 4 })]));
    expect(act.status).toBe(201);
    const baznas = await upload(csv([community('SHARED-1', { quantity: 7 })]), {
      token: tokens.baznas,
    });
    expect(baznas.status, baznas.text).toBe(201);
    expect(baznas.body).toMatchObject({ accepted: 1, already_received: 0 });
    const stored = await env.db.read((r) =>
      r.rows(sql`SELECT aggregator::VARCHAR AS aggregator, quantity FROM distributions
                 WHERE external_id = 'SHARED-1' ORDER BY aggregator`),
    );
    expect(stored).toEqual([
      { aggregator: 'act', quantity: 4 },
      { aggregator: 'baznas', quantity: 7 },
    ]);
  });
});

/** Figures recomputed from the raw records, for the given states. */
async function recompute(app: TestApp, statuses: string[]) {
  const list = raw(statuses.map((s) => `'${s}'`).join(', '));
  return app.db.read(async (r) => {
    const totals = await r.one<{
      total: number;
      sembako: number;
      siap_saji: number;
      lebaran: number;
      thr: number;
      households: number;
      records: number;
    }>(sql`SELECT
        coalesce(sum(quantity), 0)::DOUBLE AS total,
        coalesce(sum(quantity) FILTER (aid_type = 'sembako'), 0)::DOUBLE AS sembako,
        coalesce(sum(quantity) FILTER (aid_type = 'siap_saji'), 0)::DOUBLE AS siap_saji,
        coalesce(sum(quantity) FILTER (aid_type = 'lebaran'), 0)::DOUBLE AS lebaran,
        coalesce(sum(quantity) FILTER (aid_type = 'thr'), 0)::DOUBLE AS thr,
        count(DISTINCT household_id) FILTER (recipient_type = 'household')::INTEGER AS households,
        count(*)::INTEGER AS records
      FROM distributions WHERE status::VARCHAR IN (${list})`);
    const perKelurahan = await r.rows<{ code: string; packages: number }>(sql`
      SELECT kelurahan_code AS code, sum(quantity)::DOUBLE AS packages
      FROM distributions WHERE status::VARCHAR IN (${list}) GROUP BY 1 ORDER BY 1`);
    return {
      packages: {
        total: totals.total,
        sembako: totals.sembako,
        siap_saji: totals.siap_saji,
        lebaran: totals.lebaran,
        thr: totals.thr,
      },
      households: totals.households,
      records: totals.records,
      perKelurahan: new Map(perKelurahan.map((k) => [k.code, k.packages])),
    };
  });
}

async function getRaw(app: TestApp['app'], path: string, token?: string) {
  const res = await app.request(
    path,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  );
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Checks the planner's answers against the raw records, and returns them. */
async function expectConsistent(app: TestApp, planner: string) {
  const truth = await recompute(app, ['submitted', 'verified']);
  const s = await getJson<Summary>(app.app, '/api/summary?status=submitted,verified', {
    headers: { Authorization: `Bearer ${planner}` },
  });
  expect(s.status).toBe(200);
  expect(s.body.packages).toEqual(truth.packages);
  expect(s.body.households_reached).toBe(truth.households);
  expect(s.body.records).toBe(truth.records);
  const ch = await getJson<{ rows: ChoroplethRow[] }>(
    app.app,
    '/api/choropleth?level=kelurahan&status=submitted,verified',
    { headers: { Authorization: `Bearer ${planner}` } },
  );
  expect(ch.status).toBe(200);
  for (const row of ch.body.rows) {
    expect(row.packages, row.code).toBe(truth.perKelurahan.get(row.code) ?? 0);
  }
  const sum = ch.body.rows.reduce((n, r) => n + r.packages, 0);
  expect(sum).toBe(truth.packages.total);
  return { summary: s.body, truth };
}

describe('read-your-writes on the fixture', () => {
  it('shows an upload to planners at once while public answers stay byte-identical', async () => {
    const publicPaths = ['/api/summary', '/api/choropleth?level=rw'];
    const publicBefore = await Promise.all(publicPaths.map((p) => getRaw(env.app, p)));
    const plannerBefore = await expectConsistent(env, tokens.planner);

    const rows: Row[] = [
      household('RYW-1', { aid_type: 'sembako', quantity: 2, rw_code: '31.71.01.1001.002' }),
      household('RYW-2', { aid_type: 'siap_saji', quantity: 3, rw_code: '31.71.02.1001.001' }),
      household('RYW-3', { aid_type: 'lebaran', rw_code: '31.72.01.1001.002' }),
      {
        ...household('RYW-4', { aid_type: 'thr', rw_code: '' }),
        lon: PENJARINGAN_RW1.lon,
        lat: PENJARINGAN_RW1.lat,
      },
      community('RYW-5', { quantity: 25, rw_code: '31.71.01.1002.001' }),
      // Dated after every earlier record: the planner's default window must widen to it.
      community('RYW-6', { quantity: 7, date: '2020-06-15', rw_code: '31.71.02.1001.001' }),
    ];
    // The same household twice in the batch (another aid type): counted once.
    rows.push({ ...rows[0]!, external_id: 'RYW-7', aid_type: 'lebaran' });
    const r = await upload(csv(rows));
    expect(r.status, r.text).toBe(201);
    // Another aggregator serves the household of RYW-1 too: still one household.
    const other = await upload(csv([{ ...rows[0]!, external_id: 'RYW-8', quantity: 5 }]), {
      token: tokens.baznas,
    });
    expect(other.status, other.text).toBe(201);
    const statuses = await env.db.read((db) =>
      db.rows<{ status: string }>(
        sql`SELECT DISTINCT status::VARCHAR AS status FROM distributions WHERE external_id LIKE 'RYW-%'`,
      ),
    );
    expect(statuses).toEqual([{ status: 'submitted' }]);

    const plannerAfter = await expectConsistent(env, tokens.planner);
    expect(plannerAfter.summary.packages.total - plannerBefore.summary.packages.total).toBe(
      2 + 3 + 1 + 1 + 25 + 7 + 2 + 5,
    );
    expect(plannerAfter.summary.households_reached - plannerBefore.summary.households_reached).toBe(
      4,
    );

    const publicAfter = await Promise.all(publicPaths.map((p) => getRaw(env.app, p)));
    publicPaths.forEach((p, i) => {
      expect(publicAfter[i]!.status, p).toBe(200);
      expect(publicAfter[i]!.text, p).toBe(publicBefore[i]!.text);
      expect(publicAfter[i]!.headers.get('ETag'), p).toBe(publicBefore[i]!.headers.get('ETag'));
      expect(publicAfter[i]!.headers.get('ETag'), p).toBeTruthy();
    });
    // A browser holding the public ETag keeps its copy.
    const revalidated = await env.app.request(publicPaths[1]!, {
      headers: { 'If-None-Match': publicBefore[1]!.headers.get('ETag')! },
    });
    expect(revalidated.status).toBe(304);
    // A public question not asked before the upload still counts only verified records.
    const verified = await recompute(env, ['verified']);
    const fresh = await getJson<Summary>(
      env.app,
      '/api/summary?aid_type=sembako,siap_saji,lebaran,thr',
    );
    expect(fresh.body.packages).toEqual(verified.packages);
    expect(fresh.body.households_reached).toBe(verified.households);
    const kel = await getJson<{ rows: ChoroplethRow[] }>(
      env.app,
      '/api/choropleth?level=kelurahan',
    );
    for (const row of kel.body.rows)
      expect(row.packages, row.code).toBe(verified.perKelurahan.get(row.code) ?? 0);
  });

  it('shows other states to planners only, never cached publicly', async () => {
    const none = await getRaw(env.app, '/api/summary?status=submitted');
    expect(none.status).toBe(401);
    const noneMap = await getRaw(env.app, '/api/choropleth?level=rw&status=submitted,verified');
    expect(noneMap.status).toBe(401);
    const aggregator = await getRaw(env.app, '/api/summary?status=submitted', tokens.act);
    expect(aggregator.status).toBe(403);
    const verifier = await getRaw(
      env.app,
      '/api/choropleth?level=rw&status=submitted',
      tokens.verifierProvince,
    );
    expect(verifier.status).toBe(403);
    for (const path of [
      '/api/summary?status=submitted',
      '/api/choropleth?level=kelurahan&status=submitted,verified',
    ]) {
      const planner = await getRaw(env.app, path, tokens.planner);
      expect(planner.status, path).toBe(200);
      expect(planner.headers.get('Cache-Control'), path).toBe('private, no-store');
    }
    const s = await getJson<Summary>(env.app, '/api/summary?status=submitted', {
      headers: { Authorization: `Bearer ${tokens.planner}` },
    });
    const truth = await recompute(env, ['submitted']);
    expect(s.body.packages).toEqual(truth.packages);
  });
});

describe('read-your-writes on the demo dataset (real geography)', () => {
  let demo: TestApp;
  beforeAll(async () => {
    demo = await openWritableDemoApp();
  });
  afterAll(() => demo.close());

  it('places points anywhere in Jakarta and keeps every figure consistent', async () => {
    // One RW per kota (Kepulauan Seribu's modelled RWs included), at its label point from the
    // boundaries the locator itself reads.
    const rw = JSON.parse(
      readFileSync(new URL('../../geojson/rw.geojson', import.meta.url), 'utf8'),
    ) as {
      features: {
        properties: { code: string; kelurahan_code: string; label_lon: number; label_lat: number };
      }[];
    };
    const picks = [
      '31.01.02.1001.001',
      '31.71.04.1004.004',
      '31.72.03.1003.016',
      '31.73.04.1008.007',
      '31.74.05.1004.014',
      '31.75.05.1005.001',
    ];
    const chosen = picks.map(
      (code) => rw.features.find((f) => f.properties.code === code)!.properties,
    );
    const rows: Row[] = chosen.map((p, i) => ({
      external_id: `DEMO-PT-${i}`,
      date: '2020-05-12',
      aid_type: i % 2 ? 'sembako' : 'siap_saji',
      quantity: i + 1,
      recipient_type: 'community',
      lon: p.label_lon,
      lat: p.label_lat,
    }));
    const publicPaths = ['/api/summary', '/api/choropleth?level=rw'];
    const publicBefore = await Promise.all(publicPaths.map((p) => getRaw(demo.app, p)));
    const before = await expectConsistent(demo, 'demo-planner');

    const r = await send(demo.app, csv(rows), { token: 'demo-act' });
    expect(r.status, r.text).toBe(201);
    const stored = await demo.db.read((db) =>
      db.rows<{ external_id: string; rw_code: string; kelurahan_code: string }>(
        sql`SELECT external_id, rw_code, kelurahan_code FROM distributions
            WHERE external_id LIKE 'DEMO-PT-%' ORDER BY id`,
      ),
    );
    expect(stored).toEqual(
      chosen.map((p, i) => ({
        external_id: `DEMO-PT-${i}`,
        rw_code: p.code,
        kelurahan_code: p.kelurahan_code,
      })),
    );

    const after = await expectConsistent(demo, 'demo-planner');
    expect(after.summary.packages.total - before.summary.packages.total).toBe(
      rows.reduce((n, row) => n + Number(row.quantity), 0),
    );
    const publicAfter = await Promise.all(publicPaths.map((p) => getRaw(demo.app, p)));
    publicPaths.forEach((p, i) => {
      expect(publicAfter[i]!.text, p).toBe(publicBefore[i]!.text);
      expect(publicAfter[i]!.headers.get('ETag'), p).toBe(publicBefore[i]!.headers.get('ETag'));
    });
  });

  it('keeps a point outside every RW polygon at its kelurahan, marked, and counts it there', async () => {
    // Reclaimed land in Kamal Muara (Penjaringan) that the 2014–15 RW survey does not cover.
    const row: Row = {
      external_id: 'DEMO-KEL-1',
      date: '2020-05-13',
      aid_type: 'sembako',
      quantity: 7,
      recipient_type: 'community',
      lon: 106.734072,
      lat: -6.086886,
    };
    const kelurahan = async () =>
      (
        await getJson<{ rows: { code: string; packages: number }[] }>(
          demo.app,
          '/api/choropleth?level=kelurahan&parent=31.72.01&status=submitted',
          { headers: { Authorization: 'Bearer demo-planner' } },
        )
      ).body.rows.find((k) => k.code === '31.72.01.1002')!.packages;
    const before = await kelurahan();
    const r = await send(demo.app, csv([row]), { token: 'demo-act' });
    expect(r.status, r.text).toBe(201);
    const receipt = JSON.parse(r.text) as { batch_id: string; kelurahan_only: number; rws: number };
    expect(receipt).toMatchObject({ kelurahan_only: 1, rws: 0 });
    const [stored] = await demo.db.read((db) =>
      db.rows(sql`SELECT rw_code, kelurahan_code, location_kind FROM distributions
                  WHERE external_id = 'DEMO-KEL-1'`),
    );
    expect(stored).toEqual({
      rw_code: null,
      kelurahan_code: '31.72.01.1002',
      location_kind: 'kelurahan_only',
    });
    expect(await kelurahan()).toBe(before + 7);
    const batch = await getJson<{ kelurahan_only: number; rw_codes: string[] }>(
      demo.app,
      `/api/batches/${receipt.batch_id}`,
      { headers: { Authorization: 'Bearer demo-act' } },
    );
    expect(batch.body).toMatchObject({ kelurahan_only: 1, rw_codes: [] });
  });
});
