import type { Tx } from './db/database';
import { sql } from './db/sql';

export interface AuditEntry {
  actor: string;
  actorRole: string;
  actorOrg?: string | null;
  action: string;
  batchId?: string | null;
  recordId?: number | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  details?: unknown;
}

/**
 * Appends to the audit trail inside the caller's transaction, so the entry and the change it
 * describes commit together. Never holds a plain KK number or a secret.
 */
export async function appendAudit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.run(sql`INSERT INTO audit_log
    SELECT coalesce(max(id), 0) + 1, now(), ${e.actor}, ${e.actorRole}, ${e.actorOrg ?? null}, ${e.action},
           ${e.batchId ?? null}, ${e.recordId ?? null}, ${e.fromStatus ?? null}, ${e.toStatus ?? null},
           ${e.reason ?? null}, ${e.details === undefined ? null : JSON.stringify(e.details)}::JSON
    FROM audit_log`);
}
