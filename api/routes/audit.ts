import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { requireRole } from '../auth/middleware';
import { sql } from '../db/sql';
import type { AppEnv } from '../env';
import { IsoDate } from '../schemas/filters';
import { validate } from '../validate';

/** Columns of the audit export, in order. None holds a KK number or its hash. */
export const AUDIT_COLUMNS = [
  'id',
  'occurred_at',
  'actor',
  'actor_role',
  'actor_org',
  'action',
  'batch_id',
  'record_id',
  'from_status',
  'to_status',
  'reason',
  'note',
  'version',
  'kelurahan_code',
] as const;

/** The longest period one export covers. */
const MAX_DAYS = 366;
const PAGE = 20_000;

export const AuditQuery = z
  .object({ from: IsoDate, to: IsoDate, format: z.enum(['csv', 'json']).optional().default('csv') })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, {
    message: `a period of at most ${MAX_DAYS} days`,
    path: ['to'],
  });

const JAKARTA_MS = 7 * 3_600_000;

/** Epoch milliseconds of midnight in Jakarta (UTC+7, no daylight saving) `days` after `date`. */
function jakartaMidnight(date: string, days: number): number {
  return Date.parse(`${date}T00:00:00Z`) + days * 86_400_000 - JAKARTA_MS;
}

/** An instant as Jakarta wall time with its offset, e.g. 2020-05-01T18:00:00.000+07:00. */
function jakartaTime(ms: number): string {
  return new Date(ms + JAKARTA_MS).toISOString().replace('Z', '+07:00');
}

/**
 * The audit trail for a period of days in Jakarta time (planners and admins), streamed chunk by
 * chunk as CSV or as JSON lines.
 */
export const audit = new Hono<AppEnv>()
  .use(requireRole('planner', 'admin'))
  .get('/', validate('query', AuditQuery), (c) => {
    const q = c.req.valid('query');
    const name = `peta-kolaborasi-audit-${q.from}-${q.to}`;
    c.header('Cache-Control', 'private, no-store');
    c.header(
      'Content-Type',
      q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    );
    c.header(
      'Content-Disposition',
      `attachment; filename="${name}.${q.format === 'csv' ? 'csv' : 'jsonl'}"`,
    );
    const page = (after: number) => sql`
      SELECT id::DOUBLE AS id,
             epoch_ms(occurred_at)::DOUBLE AS occurred_at,
             actor, actor_role, actor_org, action, batch_id, record_id::DOUBLE AS record_id, from_status,
             to_status, reason, details->>'note' AS note, (details->>'version')::INTEGER AS version,
             details->>'kelurahan' AS kelurahan_code
      FROM audit_log
      WHERE epoch_ms(occurred_at) >= ${jakartaMidnight(q.from, 0)}
        AND epoch_ms(occurred_at) < ${jakartaMidnight(q.to, 1)}
        AND id > ${after}
      ORDER BY id LIMIT ${PAGE}`;
    return stream(c, async (out) => {
      if (q.format === 'csv') await out.write(stringify([[...AUDIT_COLUMNS]]));
      // Page by id so memory stays bounded however long the period's trail is.
      for (let after = 0; ;) {
        const rows = (
          await c.var.db.read((db) => db.rows<{ id: number; occurred_at: number }>(page(after)))
        ).map((r) => ({ ...r, occurred_at: jakartaTime(Number(r.occurred_at)) }));
        if (rows.length === 0) break;
        after = Number(rows.at(-1)!.id);
        await out.write(
          q.format === 'csv'
            ? stringify(rows, { columns: [...AUDIT_COLUMNS] })
            : rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
        );
        if (rows.length < PAGE) break;
      }
    });
  });
