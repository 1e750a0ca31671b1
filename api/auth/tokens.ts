import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Reader, Tx } from '../db/database';
import { sql } from '../db/sql';
import { AGGREGATORS, ROLES, type AggregatorSlug, type Role } from '../domain';
import { appendAudit } from '../audit';
import { digest, secret, type Principal } from './principal';

export const TokenSpec = z
  .object({
    role: z.enum(ROLES),
    org: z.enum(AGGREGATORS).nullable().default(null),
    kelurahan: z.array(z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/)).default([]),
    label: z.string().min(1).max(120),
  })
  .refine((t) => (t.role === 'aggregator') === (t.org !== null), {
    message: 'an aggregator token names exactly one organisation (--org), other roles none',
    path: ['org'],
  })
  .refine((t) => (t.role === 'verifier_kelurahan') === t.kelurahan.length > 0, {
    message: 'a kelurahan verifier token names its kelurahan (--kelurahan), other roles none',
    path: ['kelurahan'],
  });
export type TokenSpec = z.infer<typeof TokenSpec>;

interface TokenRow {
  token_id: string;
  token_sha256: string;
  role: Role;
  org: AggregatorSlug | null;
  kelurahan: string[];
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export function principalOf(row: TokenRow): Principal {
  return {
    id: row.token_id,
    role: row.role,
    org: row.org,
    kelurahan: row.kelurahan,
    label: row.label,
    demo: false,
  };
}

/** Issues a token: the secret is returned once and only its digest is stored. */
export async function createToken(
  tx: Tx,
  spec: TokenSpec,
  actor: string,
): Promise<{ token_id: string; token: string }> {
  const token = secret('pk_');
  const tokenId = secret('tok_').slice(0, 16);
  await tx.run(sql`INSERT INTO tokens VALUES (${tokenId}, ${digest(token)}, ${spec.role}, ${spec.org},
                   coalesce(${spec.kelurahan.length ? listValue(spec.kelurahan) : null}::VARCHAR[], []), ${spec.label}, now(), NULL)`);
  await appendAudit(tx, {
    actor,
    actorRole: 'admin',
    action: 'token.create',
    details: { token_id: tokenId, role: spec.role, org: spec.org, label: spec.label },
  });
  return { token_id: tokenId, token };
}

/** Revokes a token (and thereby its sessions). Returns false when no active token has that id. */
export async function revokeToken(tx: Tx, tokenId: string, actor: string): Promise<boolean> {
  const rows = await tx.rows<{ n: number }>(
    sql`UPDATE tokens SET revoked_at = now() WHERE token_id = ${tokenId} AND revoked_at IS NULL
        RETURNING 1 AS n`,
  );
  if (rows.length === 0) return false;
  await tx.run(sql`DELETE FROM sessions WHERE principal_id = ${tokenId}`);
  await appendAudit(tx, {
    actor,
    actorRole: 'admin',
    action: 'token.revoke',
    details: { token_id: tokenId },
  });
  return true;
}

export async function listTokens(db: Reader): Promise<Omit<TokenRow, 'token_sha256'>[]> {
  return db.rows(
    sql`SELECT token_id, role, org, kelurahan, label, created_at::VARCHAR AS created_at,
               revoked_at::VARCHAR AS revoked_at
        FROM tokens ORDER BY created_at, token_id`,
  );
}

/** Active tokens by digest, for the in-memory lookup of every request. */
export async function activeTokens(db: Reader): Promise<Map<string, Principal>> {
  const rows = await db.rows<TokenRow>(
    sql`SELECT token_id, token_sha256, role, org, kelurahan, label, created_at::VARCHAR AS created_at,
               NULL AS revoked_at
        FROM tokens WHERE revoked_at IS NULL`,
  );
  return new Map(rows.map((r) => [r.token_sha256, principalOf(r)]));
}
