import type { Reader } from '../db/database';
import { joinSql, sql } from '../db/sql';

export interface HistoryEvent {
  at: string;
  actor_role: string;
  actor_org: string | null;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  note: string | null;
  batch_id: string | null;
  version: number;
}

export interface RecordVersion {
  version: number;
  date: string;
  aid_type: string;
  quantity: number;
  recipient_type: string;
  rw_code: string | null;
  kelurahan_code: string;
  batch_id: string;
  status: string;
  /** When a correction replaced this version; null for the current one. */
  replaced_at: string | null;
}

export interface RecordHistory {
  id: number;
  events: HistoryEvent[];
  versions: RecordVersion[];
}

/**
 * A record's path, oldest first: the upload of each version (the batch's receipt) and every
 * transition on it, from the append-only audit trail; plus its versions' content.
 */
export async function recordHistory(db: Reader, id: number): Promise<RecordHistory> {
  const versions = await db.rows<RecordVersion & { replaced_ms: number | null }>(sql`
    SELECT version, strftime(date, '%Y-%m-%d') AS date, aid_type::VARCHAR AS aid_type, quantity,
           recipient_type::VARCHAR AS recipient_type, rw_code, kelurahan_code, batch_id,
           status::VARCHAR AS status, epoch_ms(replaced_at)::DOUBLE AS replaced_ms
    FROM record_versions WHERE id = ${id}
    UNION ALL
    SELECT version, strftime(date, '%Y-%m-%d'), aid_type::VARCHAR, quantity, recipient_type::VARCHAR,
           rw_code, kelurahan_code, batch_id, status::VARCHAR, NULL
    FROM distributions WHERE id = ${id}
    ORDER BY version`);
  const inBatches = joinSql(
    [...new Set(versions.map((v) => v.batch_id)), ''].map((b) => sql`${b}`),
    ', ',
  );
  const events = await db.rows<HistoryEvent & { at_ms: number; details: string | null }>(sql`
    SELECT epoch_ms(a.occurred_at)::DOUBLE AS at_ms, a.actor_role, a.actor_org, a.action,
           a.from_status AS "from", a.to_status AS "to", a.reason, a.batch_id, a.details::VARCHAR AS details
    FROM audit_log a
    WHERE a.record_id = ${id}
       OR (a.record_id IS NULL AND a.action = 'batch.received' AND a.batch_id IN (${inBatches}))
    UNION ALL
    -- Generated demo batches have no receipt in the trail: their arrival time stands in.
    SELECT epoch_ms(b.received_at)::DOUBLE, 'aggregator', b.aggregator::VARCHAR, 'batch.received', NULL,
           'submitted', NULL, b.batch_id, NULL
    FROM batches b WHERE b.source = 'seed' AND b.batch_id IN (${inBatches})
    ORDER BY at_ms`);
  const versionOfBatch = new Map(versions.map((v) => [v.batch_id, v.version]));
  return {
    id,
    versions: versions.map(({ replaced_ms, ...v }) => ({
      ...v,
      replaced_at: replaced_ms === null ? null : new Date(Number(replaced_ms)).toISOString(),
    })),
    events: events.map(({ at_ms, details, ...e }) => {
      const d = details ? (JSON.parse(details) as { note?: string; version?: number }) : {};
      return {
        ...e,
        at: new Date(Number(at_ms)).toISOString(),
        note: d.note ?? null,
        version: d.version ?? versionOfBatch.get(e.batch_id ?? '') ?? 1,
      };
    }),
  };
}
