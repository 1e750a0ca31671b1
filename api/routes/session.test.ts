import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type TokenSpec } from '../auth/tokens';
import { sql } from '../db/sql';
import { openFixtureApp, type TestApp } from '../test-support';

// Browser sessions: a token once, then an HttpOnly, SameSite=Strict cookie that authenticates
// reads and same-origin writes; signing out ends it.

let env: TestApp;
const tokens = { act: '', planner: '' };
/** The origin app.request() uses for its URLs. */
const ORIGIN = 'http://localhost';

/** Issues a token as the token command does: only its digest is stored. */
async function issue(spec: TokenSpec): Promise<string> {
  const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
  return token;
}

beforeAll(async () => {
  env = await openFixtureApp();
  tokens.act = await issue({ role: 'aggregator', org: 'act', kelurahan: [], label: 'ACT desk' });
  tokens.planner = await issue({ role: 'planner', org: null, kelurahan: [], label: 'Planner' });
  await env.auth.reloadTokens();
});
afterAll(() => env.close());

async function signIn(token: string) {
  const res = await env.app.request('/api/session', {
    method: 'POST',
    body: JSON.stringify({ token }),
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
  });
  return { res, text: await res.text(), setCookie: res.headers.get('Set-Cookie') };
}

/** The `name=value` pair of a Set-Cookie header. */
function cookiePair(setCookie: string | null): string {
  const pair = setCookie?.split(';')[0]?.trim() ?? '';
  expect(pair).toMatch(/^[^=]+=.+$/);
  return pair;
}

async function uploadWith(headers: Record<string, string>, externalId: string) {
  const body = [
    'external_id,date,aid_type,quantity,recipient_type,rw_code',
    `${externalId},2020-05-02,sembako,3,community,31.71.01.1001.001`,
  ].join('\n');
  const res = await env.app.request('/api/distributions', {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/csv', ...headers },
  });
  return { status: res.status, text: await res.text() };
}

async function stored(externalId: string): Promise<number> {
  const [row] = await env.db.read((r) =>
    r.rows<{ n: number }>(
      sql`SELECT count(*)::INTEGER AS n FROM distributions WHERE external_id = ${externalId}`,
    ),
  );
  return row!.n;
}

describe('tokens issued by createToken', () => {
  it('sign in with and without a kelurahan list', async () => {
    const specs: TokenSpec[] = [
      { role: 'aggregator', org: 'pmi', kelurahan: [], label: 'PMI desk' },
      { role: 'planner', org: null, kelurahan: [], label: 'Kota planner' },
      { role: 'verifier_kelurahan', org: null, kelurahan: ['31.71.01.1001'], label: 'Gambir' },
    ];
    const issued: string[] = [];
    for (const spec of specs) {
      const { token } = await env.db.write((tx) => createToken(tx, spec, 'test'));
      issued.push(token);
    }
    await env.auth.reloadTokens();
    for (const [i, token] of issued.entries()) {
      const res = await env.app.request('/api/session', {
        method: 'POST',
        body: JSON.stringify({ token }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status, specs[i]!.label).toBe(200);
      const body = (await res.json()) as { principal: { role: string } };
      expect(body.principal.role).toBe(specs[i]!.role);
    }
  });
});

describe('POST /api/session', () => {
  it('refuses a bad token with 401 and no cookie', async () => {
    for (const token of ['pk_not-a-token', tokens.act.slice(0, -1), 'demo-act']) {
      const r = await signIn(token);
      expect(r.res.status, token).toBe(401);
      expect(r.setCookie).toBeNull();
      expect((JSON.parse(r.text) as { error: { code: string } }).error.code).toEqual(
        expect.any(String),
      );
    }
    const empty = await env.app.request('/api/session', {
      method: 'POST',
      body: JSON.stringify({}),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('Set-Cookie')).toBeNull();
  });

  it('answers 200 with an HttpOnly, SameSite=Strict cookie and never echoes the token', async () => {
    const r = await signIn(tokens.act);
    expect(r.res.status).toBe(200);
    expect(r.setCookie).toBeTruthy();
    const attributes = r.setCookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
    expect(r.text).not.toContain(tokens.act);
    expect(JSON.parse(r.text)).toMatchObject({ principal: { role: 'aggregator', org: 'act' } });
    // Only a digest of the cookie is kept.
    const value = cookiePair(r.setCookie).split('=').slice(1).join('=');
    const sessions = await env.db.read((db) => db.rows(sql`SELECT * FROM sessions`));
    expect(JSON.stringify(sessions)).not.toContain(value);
    expect(sessions.length).toBeGreaterThan(0);
  });
});

describe('a signed-in browser', () => {
  let cookie = '';
  beforeAll(async () => {
    cookie = cookiePair((await signIn(tokens.act)).setCookie);
  });

  it('is recognised by GET /api/session; without it the caller is signed out', async () => {
    const me = await env.app.request('/api/session', { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(me.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await me.json()).toMatchObject({
      principal: { role: 'aggregator', org: 'act', label: 'ACT desk' },
    });
    for (const headers of [{}, { Cookie: 'pk_session=forged' }] as Record<string, string>[]) {
      const anonymous = await env.app.request('/api/session', { headers });
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ principal: null });
    }
  });

  it('uploads with the cookie from the same origin', async () => {
    const r = await uploadWith({ Cookie: cookie, Origin: ORIGIN }, 'SESS-1');
    expect(r.status, r.text).toBe(201);
    expect(await stored('SESS-1')).toBe(1);
    const fetchMetadata = await uploadWith(
      { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' },
      'SESS-2',
    );
    expect(fetchMetadata.status, fetchMetadata.text).toBe(201);
  });

  it('refuses a cookie-authenticated upload from another origin with 403', async () => {
    for (const [headers, id] of [
      [{ Origin: 'https://evil.example' }, 'SESS-X1'],
      [{ Origin: 'http://localhost.evil.example' }, 'SESS-X2'],
      [{ Origin: 'null' }, 'SESS-X3'],
      [{ 'Sec-Fetch-Site': 'cross-site' }, 'SESS-X4'],
    ] as const) {
      const r = await uploadWith({ Cookie: cookie, ...headers }, id);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect((JSON.parse(r.text) as { error: { code: string } }).error.code).toEqual(
        expect.any(String),
      );
      expect(await stored(id)).toBe(0);
    }
  });

  it('gives a planner cookie access to unverified figures, privately', async () => {
    const planner = cookiePair((await signIn(tokens.planner)).setCookie);
    const res = await env.app.request('/api/summary?status=submitted,verified', {
      headers: { Cookie: planner },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    // A planner's cookie is still not an aggregator's.
    const upload = await uploadWith({ Cookie: planner, Origin: ORIGIN }, 'SESS-P1');
    expect(upload.status).toBe(403);
  });

  it('ends with DELETE /api/session: the cookie no longer works', async () => {
    const out = await env.app.request('/api/session', {
      method: 'DELETE',
      headers: { Cookie: cookie, Origin: ORIGIN },
    });
    expect(out.status).toBeLessThan(300);
    // The browser is told to drop the cookie.
    expect(out.headers.get('Set-Cookie')).toMatch(
      /pk_session=;|max-age=0|expires=thu, 01 jan 1970/i,
    );
    const me = await env.app.request('/api/session', { headers: { Cookie: cookie } });
    expect(await me.json()).toEqual({ principal: null });
    const r = await uploadWith({ Cookie: cookie, Origin: ORIGIN }, 'SESS-3');
    expect(r.status).toBe(401);
    expect(await stored('SESS-3')).toBe(0);
  });

  it('does not survive a restart once ended, but an open one does', async () => {
    const open = cookiePair((await signIn(tokens.act)).setCookie);
    const ended = cookiePair((await signIn(tokens.act)).setCookie);
    await env.app.request('/api/session', {
      method: 'DELETE',
      headers: { Cookie: ended, Origin: ORIGIN },
    });
    // A fresh Auth reads the sessions from the store, as a restarted server would.
    const { Auth } = await import('../auth/auth');
    const reloaded = await Auth.load(env.db, null);
    const value = (pair: string) => pair.split('=').slice(1).join('=');
    expect(reloaded.fromSession(value(open))).toMatchObject({ role: 'aggregator', org: 'act' });
    expect(reloaded.fromSession(value(ended))).toBeNull();
  });
});

describe('what a session tells the browser', () => {
  it("gives planners every record's dates, which follow an upload at once", async () => {
    const me = async (token: string) =>
      (
        (await (
          await env.app.request('/api/session', { headers: { Authorization: `Bearer ${token}` } })
        ).json()) as { principal: { records_extent?: { from: string; to: string } } }
      ).principal;
    expect((await me(tokens.act)).records_extent).toBeUndefined();
    const before = (await me(tokens.planner)).records_extent!;
    expect(before.to < '2021-03-01').toBe(true);
    const res = await env.app.request('/api/distributions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.act}`, 'Content-Type': 'text/csv' },
      body: 'external_id,date,aid_type,quantity,recipient_type,rw_code\nLATE-1,2021-03-01,sembako,5,community,31.71.01.1001.001\n',
    });
    expect(res.status, await res.text()).toBe(201);
    expect((await me(tokens.planner)).records_extent).toEqual({
      from: before.from,
      to: '2021-03-01',
    });
  });
});
