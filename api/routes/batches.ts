import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole } from '../auth/middleware';
import type { Principal } from '../auth/principal';
import type { Reader } from '../db/database';
import { joinSql, sql, type Sql } from '../db/sql';
import { AID_TYPES, RECORD_STATUSES, type AidType, type RecordStatus } from '../domain';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { validate } from '../validate';

export interface BatchRow {
  batch_id: string;
  aggregator: string;
  source: 'seed' | 'upload';
  received_at: string;
  submitted_by: string;
  rows: number;
  accepted: number;
  already_received: number;
  /** Of the accepted records, those that replaced a returned record (corrections). */
  corrected: number;
  by_status: Record<RecordStatus, number>;
  packages: Record<'total' | AidType, number>;
  rws: number;
  kelurahan: number;
  /** Records placed by a point inside a kelurahan but outside all of its RW polygons. */
  kelurahan_only: number;
}

/** Which batches a caller may see, in the query itself: another aggregator's are simply absent. */
function scopeOf(p: Principal): Sql {
  return p.role === 'aggregator' ? sql`b.aggregator = ${p.org}::aggregator_t` : sql`true`;
}

const statusColumns = joinSql(
  RECORD_STATUSES.map((s) => sql`count(*) FILTER (d.status = ${s})::INTEGER`),
  ', ',
);
const packageColumns = joinSql(
  AID_TYPES.map((t) => sql`coalesce(sum(d.quantity) FILTER (d.aid_type = ${t}), 0)::DOUBLE`),
  ', ',
);

async function queryBatches(
  db: Reader,
  p: Principal,
  where: Sql,
  limit: number,
): Promise<(BatchRow & { rw_codes: string[] })[]> {
  const rows = await db.rows<Record<string, unknown>>(sql`
    WITH b AS (
      SELECT * FROM batches b WHERE ${scopeOf(p)} AND ${where}
      ORDER BY received_at DESC, batch_id LIMIT ${limit}
    ), corrections AS (
      SELECT a.batch_id, count(*)::INTEGER AS corrected FROM audit_log a
      WHERE a.action = 'record.corrected' AND a.batch_id IN (SELECT batch_id FROM b)
      GROUP BY a.batch_id
    )
    SELECT b.batch_id, b.aggregator::VARCHAR AS aggregator, b.source, epoch_ms(b.received_at)::DOUBLE AS received_at,
           b.submitted_by, b.rows, b.accepted, b.already_received,
           coalesce(any_value(c.corrected), 0)::INTEGER AS corrected,
           [${statusColumns}] AS by_status, [${packageColumns}] AS packages,
           count(DISTINCT d.rw_code)::INTEGER AS rws, count(DISTINCT d.kelurahan_code)::INTEGER AS kelurahan,
           count(*) FILTER (d.location_kind = 'kelurahan_only')::INTEGER AS kelurahan_only,
           list_sort(list_distinct(list(d.rw_code))) AS rw_codes
    FROM b LEFT JOIN distributions d USING (batch_id) LEFT JOIN corrections c USING (batch_id)
    GROUP BY ALL
    ORDER BY any_value(b.received_at) DESC, b.batch_id`);
  return rows.map((r) => {
    const byStatus = r.by_status as number[];
    const packages = (r.packages as number[]).map(Number);
    const byType = Object.fromEntries(AID_TYPES.map((t, i) => [t, packages[i] ?? 0])) as Record<
      AidType,
      number
    >;
    return {
      batch_id: String(r.batch_id),
      aggregator: String(r.aggregator),
      source: r.source as 'seed' | 'upload',
      received_at: new Date(Number(r.received_at)).toISOString(),
      submitted_by: String(r.submitted_by),
      rows: Number(r.rows),
      accepted: Number(r.accepted),
      already_received: Number(r.already_received),
      corrected: Number(r.corrected),
      by_status: Object.fromEntries(RECORD_STATUSES.map((s, i) => [s, byStatus[i] ?? 0])) as Record<
        RecordStatus,
        number
      >,
      packages: { total: packages.reduce((s, n) => s + n, 0), ...byType },
      rws: Number(r.rws),
      kelurahan: Number(r.kelurahan),
      kelurahan_only: Number(r.kelurahan_only),
      rw_codes: (r.rw_codes as (string | null)[]).filter((c): c is string => c !== null),
    };
  });
}

const BatchesQuery = z.object({
  source: z.enum(['upload', 'seed', 'all']).optional().default('all'),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
    .default(100),
});

/** An aggregator's own batches; planners and admins see all (DESIGN section 8). */
export const batches = new Hono<AppEnv>()
  .use(requireRole('aggregator', 'planner', 'admin'))
  .use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  .get('/', validate('query', BatchesQuery), async (c) => {
    const q = c.req.valid('query');
    const where = q.source === 'all' ? sql`true` : sql`b.source = ${q.source}`;
    const rows = await c.var.db.read((db) => queryBatches(db, c.var.principal!, where, q.limit));
    return c.json({ rows: rows.map(({ rw_codes: _, ...r }) => r) });
  })
  .get('/:id', async (c) => {
    const id = c.req.param('id');
    const [row] = await c.var.db.read((db) =>
      queryBatches(db, c.var.principal!, sql`b.batch_id = ${id}`, 1),
    );
    if (!row) throw new ApiError(404, 'batch_not_found', 'No batch of yours has this id.', null);
    return c.json(row);
  });
