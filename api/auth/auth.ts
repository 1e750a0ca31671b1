import type { Database } from '../db/database';
import { sql } from '../db/sql';
import { appendAudit } from '../audit';
import { digest, secret, type Principal } from './principal';
import { activeTokens } from './tokens';

/** A browser session lasts this long after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

interface Session {
  principalId: string;
  expiresAt: number;
}

/**
 * Resolves bearer tokens and session cookies to principals. Tokens and sessions live in DuckDB
 * (as digests only) and are mirrored here so a request needs no query to know its caller; every
 * change is written first and mirrored after its commit.
 */
export class Auth {
  private constructor(
    private readonly db: Database,
    private tokens: Map<string, Principal>,
    private readonly sessions: Map<string, Session>,
    private readonly demo: Map<string, Principal> | null,
  ) {}

  static async load(db: Database, demo: Map<string, Principal> | null): Promise<Auth> {
    const { tokens, sessions } = await db.read(async (r) => ({
      tokens: await activeTokens(r),
      sessions: await r.rows<{ session_sha256: string; principal_id: string; expires: number }>(
        sql`SELECT session_sha256, principal_id, epoch_ms(expires_at)::DOUBLE AS expires
            FROM sessions WHERE expires_at > now()`,
      ),
    }));
    return new Auth(
      db,
      tokens,
      new Map(
        sessions.map((s) => [
          s.session_sha256,
          { principalId: s.principal_id, expiresAt: s.expires },
        ]),
      ),
      demo,
    );
  }

  get demoEnabled(): boolean {
    return this.demo !== null;
  }

  /** Reloads the active tokens (after a token was issued or revoked through this process). */
  async reloadTokens(): Promise<void> {
    this.tokens = await this.db.read(activeTokens);
  }

  private byId(id: string): Principal | null {
    const demo = this.demo?.get(id);
    if (demo) return demo;
    for (const p of this.tokens.values()) if (p.id === id) return p;
    return null;
  }

  fromToken(token: string): Principal | null {
    return this.demo?.get(token) ?? this.tokens.get(digest(token)) ?? null;
  }

  fromSession(cookie: string, now = Date.now()): Principal | null {
    const session = this.sessions.get(digest(cookie));
    if (!session || session.expiresAt <= now) return null;
    return this.byId(session.principalId);
  }

  /** Starts a session for a principal; the cookie value is returned once, only its digest is kept. */
  async startSession(p: Principal): Promise<{ cookie: string; expiresAt: number }> {
    const cookie = secret('');
    const key = digest(cookie);
    const expiresAt = Date.now() + SESSION_TTL_MS;
    await this.db.write(
      async (tx) => {
        // Expired sessions go as new ones come.
        await tx.run(sql`DELETE FROM sessions WHERE expires_at <= now()`);
        await tx.run(
          sql`INSERT INTO sessions VALUES (${key}, ${p.id}, now(), make_timestamptz(${expiresAt * 1000}::BIGINT))`,
        );
        await appendAudit(tx, {
          actor: p.id,
          actorRole: p.role,
          actorOrg: p.org,
          action: 'session.start',
        });
      },
      () => {
        for (const [k, s] of this.sessions) if (s.expiresAt <= Date.now()) this.sessions.delete(k);
        this.sessions.set(key, { principalId: p.id, expiresAt });
      },
    );
    return { cookie, expiresAt };
  }

  async endSession(cookie: string): Promise<void> {
    const key = digest(cookie);
    const session = this.sessions.get(key);
    if (!session) return;
    const p = this.byId(session.principalId);
    await this.db.write(
      async (tx) => {
        await tx.run(sql`DELETE FROM sessions WHERE session_sha256 = ${key}`);
        await appendAudit(tx, {
          actor: session.principalId,
          actorRole: p?.role ?? 'unknown',
          actorOrg: p?.org ?? null,
          action: 'session.end',
        });
      },
      () => this.sessions.delete(key),
    );
  }
}
